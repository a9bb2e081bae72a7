import { describe, expect, it } from 'vitest';
import { gradientErrorByDepth } from '../../src/dictionary/gradient-study.js';
import { matmulNT } from '../../src/linalg/gemm.js';
import { bernoulliGaussian, gaussianMatrix, normal } from '../../src/random/index.js';
import { add, scale } from '../../src/tensor/index.js';

// A small synthetic problem (unit-norm Gaussian atoms, sparse codes, noise): the Lasso solution of
// each signal is unique (D in general position).
const n = 8;
const K = 12;
const N = 30;
const D = gaussianMatrix(31, n, K);
const Y = add(matmulNT(bernoulliGaussian(32, [N, K], 0.25), D), scale(normal(33, [N, n]), 0.1));

describe('gradientErrorByDepth', () => {
  it('the unrolled gradient approaches the analytic gradient at the exact solution as T grows', () => {
    const depths = [5, 50, 200, 1000];
    const r = gradientErrorByDepth(D, Y, 0.1, depths);
    expect(r.depths).toEqual(depths);
    expect(r.referenceGap).toBeLessThanOrEqual(1e-12);
    expect(r.referenceNorm).toBeGreaterThan(0.01);
    expect(r.relative[0]).toBeGreaterThan(0.5);
    expect(r.relative[1]).toBeLessThan(r.relative[0]);
    expect(r.relative[2]).toBeLessThan(0.1 * r.relative[0]);
    expect(r.relative[3]).toBeLessThan(1e-6);
    expect(r.codesError[3]).toBeLessThan(1e-4);
    for (let i = 0; i < depths.length; i++) {
      expect(r.absolute[i]).toBeCloseTo(r.relative[i] * r.referenceNorm, 12);
      expect(r.analyticAbsolute[i]).toBeCloseTo(r.analyticRelative[i] * r.referenceNorm, 12);
    }
    // The analytic formula at the unrolled codes converges too, but more slowly: once the support
    // is identified the unrolled gradient's error shrinks faster than the codes' error.
    expect(r.analyticRelative[3]).toBeLessThan(1e-3);
    expect(r.relative[3]).toBeLessThan(0.1 * r.analyticRelative[3]);
  });

  it('FISTA converges too; truncation keeps the analytic-at-z_T column unchanged', () => {
    const f = gradientErrorByDepth(D, Y, 0.1, [600], { algorithm: 'fista' });
    expect(f.relative[0]).toBeLessThan(1e-6);
    const full = gradientErrorByDepth(D, Y, 0.1, [20]);
    const trunc = gradientErrorByDepth(D, Y, 0.1, [20], { truncate: 1 });
    expect(trunc.analyticAbsolute[0]).toBe(full.analyticAbsolute[0]);
    expect(trunc.absolute[0]).not.toBe(full.absolute[0]);
  });

  it('rejects bad input with the template message', () => {
    expect(() => gradientErrorByDepth(D, Y, 0.1, [3, 0])).toThrow(
      /^gradientErrorByDepth: argument 'depths\[1\]' must be an integer >= 1\. Got 0\.$/,
    );
    expect(() => gradientErrorByDepth(D, Y, 0.1, [])).toThrow(RangeError);
    expect(() => gradientErrorByDepth(D, Y, 0, [3])).toThrow(RangeError);
    expect(() => gradientErrorByDepth(D, Y, 0.1, 3 as unknown as number[])).toThrow(TypeError);
  });
});
