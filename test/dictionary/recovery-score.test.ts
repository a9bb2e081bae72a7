import { describe, expect, it } from 'vitest';
import { recoveryScore } from '../../src/dictionary/recovery-score.js';
import { gaussianMatrix, permutation } from '../../src/random/index.js';
import { eye, fromArray, zeros, type Tensor } from '../../src/tensor/index.js';

/** Columns of D permuted, flipped and scaled. */
function shuffled(D: Tensor, seed: number): Tensor {
  const [n, K] = D.shape;
  const perm = permutation(seed, K);
  const out = new Float64Array(n * K);
  for (let j = 0; j < K; j++) {
    const s = (j % 2 === 0 ? -1 : 1) * (0.5 + j);
    for (let i = 0; i < n; i++) out[i * K + j] = s * D.data[i * K + perm[j]];
  }
  return fromArray(out, [n, K]);
}

describe('recoveryScore', () => {
  const D = gaussianMatrix(1, 8, 12);

  it('is 1 for a permuted, sign-flipped, rescaled copy', () => {
    expect(recoveryScore(shuffled(D, 2), D)).toBeCloseTo(1, 12);
  });

  it('is symmetric and in [0, 1]', () => {
    const E = gaussianMatrix(5, 8, 12);
    const s = recoveryScore(D, E);
    expect(s).toBeGreaterThan(0);
    expect(s).toBeLessThan(1);
    expect(recoveryScore(E, D)).toBe(s);
  });

  it("matches min(K, K') atoms: a subset of the truth scores 1, both ways", () => {
    const sub = fromArray(
      Array.from({ length: 8 * 5 }, (_, k) => D.data[Math.floor(k / 5) * 12 + (k % 5) + 3]),
      [8, 5],
    );
    expect(recoveryScore(sub, D)).toBeCloseTo(1, 12);
    expect(recoveryScore(D, sub)).toBeCloseTo(1, 12);
  });

  it('is the mean of the matched correlations, found by the optimal matching', () => {
    // Atom 0 of D is closer to both true atoms, but the best one-to-one matching pairs it with e_2.
    const truth = eye(2);
    const d = fromArray([1, Math.SQRT1_2, 0.1, Math.SQRT1_2], [2, 2]);
    // corr: d_0 = (1, 0.1)/|.| ~ (0.995, 0.0995); d_1 = (0.707, 0.707).
    const c0 = 1 / Math.hypot(1, 0.1);
    const expected = (c0 + Math.SQRT1_2) / 2; // d_0 <-> e_1, d_1 <-> e_2 beats 0.0995 + 0.707
    expect(recoveryScore(d, truth)).toBeCloseTo(expected, 12);
    expect(recoveryScore(zeros([2, 2]), truth)).toBe(0);
  });

  it('rejects a dictionary of another signal length', () => {
    expect(() => recoveryScore(D, zeros([7, 3]))).toThrow(
      "recoveryScore: argument 'Dtrue' must be a tensor of shape [8, *]. Got a tensor of shape [7, 3].",
    );
  });
});
