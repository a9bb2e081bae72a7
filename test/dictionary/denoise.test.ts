import { describe, expect, it } from 'vitest';
import { denoiseImage } from '../../src/dictionary/denoise.js';
import { psnr } from '../../src/metrics/psnr.js';
import { Rng } from '../../src/random/rng.js';
import { fromArray, type Tensor } from '../../src/tensor/index.js';

/** A 40 x 40 test image in [0, 1]: a smooth ramp, a bright disc with a sharp edge and a dark bar. */
function testImage(size = 40): Tensor {
  const x = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let v = 0.2 + 0.4 * (j / size) + 0.1 * Math.sin(i / 5);
      if ((i - 14) ** 2 + (j - 24) ** 2 < 64) v = 0.9;
      if (j >= 6 && j < 10 && i > 20) v = 0.05;
      x[i * size + j] = v;
    }
  }
  return fromArray(x, [size, size]);
}

function noisy(clean: Tensor, sigma: number, seed: number): Tensor {
  const rng = new Rng(seed);
  return fromArray(
    clean.data.map((v) => v + sigma * rng.normal()),
    clean.shape,
  );
}

const clean = testImage();
const sigma = 0.1;
const y = noisy(clean, sigma, 1);

describe('denoiseImage', () => {
  it('with the DCT dictionary and OMP, raises the PSNR well above the noisy one', () => {
    const r = denoiseImage(y, { method: 'dct', sigma, patch: 6, atoms: 100 });
    expect(r.image.shape).toEqual([40, 40]);
    expect(r.D.shape).toEqual([36, 100]);
    const before = psnr(y, clean);
    const after = psnr(r.image, clean);
    expect(before).toBeGreaterThan(19.5);
    expect(before).toBeLessThan(20.5);
    expect(after).toBeGreaterThan(before + 5); // measured: 20.1 -> 28.3 dB
    // Error-constrained OMP: few atoms per patch at this noise level, never more than the cap.
    expect(r.meanAtoms).toBeGreaterThan(0);
    expect(r.meanAtoms).toBeLessThan(3); // measured 1.04
    expect(r.seconds).toBeGreaterThanOrEqual(r.codeSeconds);
  });

  it('learns a dictionary on the noisy patches with K-SVD, AM and DDL, each far better than the noise', () => {
    const dct = denoiseImage(y, { method: 'dct', sigma, patch: 6, atoms: 100 }).D;
    // Measured (40 x 40, sigma 0.1, 500 training patches, 3 iterations): ksvd 28.4 dB, am 28.8 dB,
    // ddl 28.4 dB from 20.1 dB noisy.
    for (const method of ['ksvd', 'am', 'ddl'] as const) {
      const r = denoiseImage(y, { method, sigma, patch: 6, atoms: 100, trainPatches: 500, iterations: 3 });
      expect(psnr(r.image, clean), method).toBeGreaterThan(psnr(y, clean) + 7);
      expect(r.D.shape).toEqual([36, 100]);
      // Learning started from the DCT (100 = 10², 10 >= 6) and moved away from it, atoms in the unit ball.
      let moved = 0;
      for (let k = 0; k < dct.size; k++) moved = Math.max(moved, Math.abs(r.D.data[k] - dct.data[k]));
      expect(moved, method).toBeGreaterThan(1e-3); // measured: ksvd 1.1, am 0.63, ddl 0.058
      for (let j = 0; j < 100; j++) {
        let norm = 0;
        for (let i = 0; i < 36; i++) norm += r.D.data[i * 100 + j] ** 2;
        expect(norm).toBeLessThanOrEqual(1 + 1e-12);
      }
      expect(r.learnSeconds).toBeGreaterThan(0);
    }
  });

  it('codes with the Lasso on request: worse than OMP for the same dictionary, and denser', () => {
    const omp = denoiseImage(y, { method: 'dct', sigma, patch: 4, atoms: 16 });
    const lasso = denoiseImage(y, { method: 'dct', sigma, patch: 4, atoms: 16, coding: 'lasso' });
    expect(psnr(lasso.image, clean)).toBeGreaterThan(psnr(y, clean) + 3);
    expect(psnr(lasso.image, clean)).toBeLessThan(psnr(omp.image, clean));
    expect(lasso.meanAtoms).toBeGreaterThan(omp.meanAtoms);
  });

  it('is deterministic, and honours the cap on atoms per patch', () => {
    const a = denoiseImage(y, { method: 'dct', sigma, patch: 4, atoms: 16 });
    const b = denoiseImage(y, { method: 'dct', sigma, patch: 4, atoms: 16 });
    expect(Array.from(b.image.data)).toEqual(Array.from(a.image.data));
    const capped = denoiseImage(y, { method: 'dct', sigma: 1e-6, patch: 4, atoms: 16, sparsity: 2 });
    expect(capped.meanAtoms).toBeLessThanOrEqual(2);
    expect(capped.meanAtoms).toBeGreaterThan(1.5);
  });

  it('leaves a constant image unchanged (every centred patch is zero and needs no atom)', () => {
    const flat = fromArray(new Float64Array(100).fill(0.37), [10, 10]);
    const r = denoiseImage(flat, { method: 'dct', sigma: 0.05, patch: 4, atoms: 16 });
    expect(r.meanAtoms).toBe(0);
    for (const v of r.image.data) expect(v).toBeCloseTo(0.37, 14);
  });

  it('with a tiny sigma, codes every patch almost exactly (an orthonormal DCT reproduces the image)', () => {
    const r = denoiseImage(clean, { method: 'dct', sigma: 1e-7, patch: 4, atoms: 16, sparsity: 16 });
    expect(psnr(r.image, clean)).toBeGreaterThan(100);
  });

  it('rejects bad options with the template messages', () => {
    expect(() => denoiseImage(y, { method: 'wavelet' as never, sigma })).toThrow(
      `denoiseImage: argument 'method' must be one of 'am', 'ddl', 'ksvd', 'dct'. Got "wavelet".`,
    );
    expect(() => denoiseImage(y, { method: 'dct', sigma: 0 })).toThrow(
      /^denoiseImage: argument 'sigma' must be a finite number > 0\. Got 0\.$/,
    );
    expect(() => denoiseImage(y, { method: 'dct', sigma, patch: 41 })).toThrow(
      "denoiseImage: argument 'patch' must be an integer <= the image's smaller side 40. Got 41.",
    );
    expect(() => denoiseImage(y, { method: 'dct', sigma, atoms: 200 })).toThrow(
      "denoiseImage: argument 'atoms' must be a perfect square k² with k >= 8 for the DCT dictionary. Got 200.",
    );
    expect(() => denoiseImage(y, { method: 'dct', sigma, sparsity: 65 })).toThrow(
      "denoiseImage: argument 'sparsity' must be an integer <= min(patch², atoms) = 64. Got 65.",
    );
    expect(() => denoiseImage(fromArray(new Float64Array(4), [4]), { method: 'dct', sigma })).toThrow(
      RangeError,
    );
    expect(() => denoiseImage(y, { method: 'dct', sigma, coding: 'ista' as never })).toThrow(
      /^denoiseImage: argument 'coding' must be one of 'omp', 'lasso'/,
    );
    expect(() => denoiseImage(y, null as never)).toThrow(TypeError);
  });
});
