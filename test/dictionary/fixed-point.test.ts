import { describe, expect, it } from 'vitest';
import { fixedPointStudy } from '../../src/dictionary/fixed-point.js';
import { defaultSteps } from '../../src/dictionary/unrolled-gradient.js';
import { matmulNT } from '../../src/linalg/gemm.js';
import { bernoulliGaussian, gaussianMatrix, normal } from '../../src/random/index.js';
import { add, scale } from '../../src/tensor/index.js';

const n = 8;
const K = 12;
const N = 20;
const D = gaussianMatrix(41, n, K);
const Y = add(matmulNT(bernoulliGaussian(42, [N, K], 0.25), D), scale(normal(43, [N, n]), 0.1));
const alpha = defaultSteps(D, 1)[0];

describe('fixedPointStudy', () => {
  it('ISTA with 1/L: monotone objective, steps and suboptimality vanish, the iterates reach Z*', () => {
    const I = 1000;
    const r = fixedPointStudy(D, Y, 0.1, I);
    expect(r.stepNorm).toHaveLength(I);
    expect(r.suboptimality).toHaveLength(I + 1);
    expect(r.distance).toHaveLength(I + 1);
    expect(r.suboptimality[0]).toBeGreaterThan(0.1);
    for (let k = 1; k <= I; k++)
      expect(r.suboptimality[k]).toBeLessThanOrEqual(r.suboptimality[k - 1] + 1e-15);
    expect(r.suboptimality[I]).toBeLessThan(1e-10);
    expect(r.suboptimality[I]).toBeGreaterThanOrEqual(-r.referenceGap - 1e-14);
    expect(r.stepNorm[I - 1]).toBeLessThan(1e-6);
    expect(r.distance[I]).toBeLessThan(1e-4);
    expect(r.distance[I]).toBeLessThan(1e-3 * r.distance[0]);
    expect(r.codes.shape).toEqual([N, K]);
  });

  it('FISTA converges to the same point', () => {
    const r = fixedPointStudy(D, Y, 0.1, 1000, { algorithm: 'fista' });
    expect(r.suboptimality[1000]).toBeLessThan(1e-10);
    expect(r.distance[1000]).toBeLessThan(1e-4);
  });

  it('learned steps: the last one repeats beyond the given ones; a step above 2/L does not converge', () => {
    // Steps 1.5/L for two iterations, then 1/L forever: converges.
    const ok = fixedPointStudy(D, Y, 0.1, 1000, { steps: [1.5 * alpha, 1.5 * alpha, alpha] });
    expect(ok.suboptimality[1000]).toBeLessThan(1e-10);
    // The first two iterations differ from plain ISTA's, the rest follow the same map.
    const plain = fixedPointStudy(D, Y, 0.1, 3);
    expect(ok.stepNorm[0]).not.toBe(plain.stepNorm[0]);
    // 2.5/L repeated: the iteration is expansive along the top singular direction.
    const bad = fixedPointStudy(D, Y, 0.1, 200, { steps: [2.5 * alpha] });
    expect(bad.stepNorm[199]).toBeGreaterThan(1e-2);
    expect(bad.suboptimality[200]).toBeGreaterThan(1e-2);
  });

  it('rejects bad input with the template message', () => {
    expect(() => fixedPointStudy(D, Y, 0.1, 0)).toThrow(
      /^fixedPointStudy: argument 'iterations' must be an integer >= 1\. Got 0\.$/,
    );
    expect(() => fixedPointStudy(D, Y, 0.1, 5, { steps: [] })).toThrow(RangeError);
    expect(() => fixedPointStudy(D, Y, 0.1, 5, { steps: [-1] })).toThrow(RangeError);
    expect(() => fixedPointStudy(D, Y, 0.1, 5, { steps: 3 as unknown as number[] })).toThrow(TypeError);
  });
});
