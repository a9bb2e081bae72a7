import { describe, expect, it } from 'vitest';
import { nmseDb, tensor, zeros } from '../../src/index.js';

describe('nmseDb', () => {
  it('is 10 log10 of the ratio of sums over samples', () => {
    const Ztrue = tensor([
      [3, 4],
      [0, 0],
    ]);
    const Z = tensor([
      [3, 4.5],
      [0, 0.5],
    ]);
    // sum ||z - z*||^2 = 0.25 + 0.25 = 0.5, sum ||z*||^2 = 25: 10 log10(0.02)
    expect(nmseDb(Z, Ztrue)).toBeCloseTo(10 * Math.log10(0.02), 12);
    // Zero codes are the reference point: NMSE 0 dB. Ten times less error energy is -10 dB.
    expect(nmseDb(zeros([2, 2]), Ztrue)).toBe(0);
    expect(nmseDb(tensor([[3, 4 + Math.sqrt(2.5)]]), tensor([[3, 4]]))).toBeCloseTo(-10, 12);
    expect(nmseDb(Ztrue, Ztrue)).toBe(-Infinity);
  });

  it('rejects mismatched shapes, non-finite entries and all-zero targets', () => {
    const t = tensor([[1, 2]]);
    expect(() => nmseDb(t, tensor([1, 2]))).toThrow(
      "nmseDb: argument 'Ztrue' must be a tensor of shape [1, 2]. Got a tensor of shape [2].",
    );
    expect(() => nmseDb(tensor([[NaN, 0]]), t)).toThrow(RangeError);
    expect(() => nmseDb(t, zeros([1, 2]))).toThrow(
      "nmseDb: argument 'Ztrue' must be a tensor with a non-zero entry. Got all zeros.",
    );
    expect(() => nmseDb([[1, 2]] as never, t)).toThrow(TypeError);
  });
});
