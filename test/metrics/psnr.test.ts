import { describe, expect, it } from 'vitest';
import { psnr, tensor } from '../../src/index.js';

describe('psnr', () => {
  it('is 10 log10(peak^2 / MSE)', () => {
    const clean = tensor([
      [0, 0.5],
      [1, 0.25],
    ]);
    const x = tensor([
      [0.1, 0.5],
      [0.9, 0.25],
    ]);
    // MSE = (0.01 + 0.01) / 4 = 0.005
    expect(psnr(x, clean)).toBeCloseTo(10 * Math.log10(1 / 0.005), 12);
    expect(psnr(x, clean, 255)).toBeCloseTo(10 * Math.log10(255 ** 2 / 0.005), 12);
    // An error of 1/10 of the peak everywhere is 20 dB.
    expect(psnr(tensor([0.1, 0.6]), tensor([0, 0.5]))).toBeCloseTo(20, 12);
    expect(psnr(clean, clean)).toBe(Infinity);
  });

  it('rejects bad shapes and peaks', () => {
    const t = tensor([1, 2]);
    expect(() => psnr(t, tensor([1, 2, 3]))).toThrow(
      "psnr: argument 'clean' must be a tensor of shape [2]. Got a tensor of shape [3].",
    );
    expect(() => psnr(t, t, 0)).toThrow("psnr: argument 'peak' must be a finite number > 0. Got 0.");
    expect(() => psnr(t, t, NaN)).toThrow(RangeError);
    expect(() => psnr(tensor([]), tensor([]))).toThrow(RangeError);
    expect(() => psnr(t, 'clean.png' as never)).toThrow(TypeError);
  });
});
