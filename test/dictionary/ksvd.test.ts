import { describe, expect, it } from 'vitest';
import { learnDictionaryKsvd } from '../../src/dictionary/ksvd.js';
import { dictionaryObjective } from '../../src/dictionary/objective.js';
import { recoveryScore } from '../../src/dictionary/recovery-score.js';
import { normal } from '../../src/random/index.js';
import { omp } from '../../src/solvers/omp.js';
import { fromFunction, type Tensor } from '../../src/tensor/index.js';
import { columnNorms, plantedProblem } from './planted.js';

function maxNonZerosPerRow(Z: Tensor): number {
  const [N, K] = Z.shape;
  let most = 0;
  for (let i = 0; i < N; i++) {
    let c = 0;
    for (let j = 0; j < K; j++) if (Z.data[i * K + j] !== 0) c++;
    most = Math.max(most, c);
  }
  return most;
}

describe('learnDictionaryKsvd', () => {
  // The AM test's problem: n = 10, K = 15, 500 noiseless 2-sparse signals. Measured on seeds 1..6:
  // after 30 iterations the score is 0.954, 0.978, 0.952, 0.960, 0.908, 0.899 (local minima on
  // the last two); seed 2 is used here.
  const { D, Y } = plantedProblem(10, 15, 500, 2, 2);

  it('recovers a planted dictionary (score > 0.95) with unit atoms and S-sparse codes', () => {
    const result = learnDictionaryKsvd(Y, {
      atoms: 15,
      sparsity: 2,
      iterations: 30,
      seed: 2,
      trueDictionary: D,
    });
    expect(result.method).toBe('ksvd');
    expect(result.history).toHaveLength(31);
    expect(result.history[0].recoveryScore!).toBeLessThan(0.8);
    expect(recoveryScore(result.D, D)).toBeGreaterThan(0.95);
    columnNorms(result.D).forEach((v) => expect(v).toBeCloseTo(1, 12));
    expect(maxNonZerosPerRow(result.codes)).toBeLessThanOrEqual(2);
    // The objective is the mean of 1/2 ||y - D z||^2 of what is returned.
    expect(result.history[30].objective).toBeCloseTo(dictionaryObjective(result.D, Y, result.codes, 0), 12);
    expect(result.history[30].objective).toBeLessThan(0.2 * result.history[0].objective);
  });

  it('with no iteration returns the OMP codes of the initial dictionary', () => {
    const Ys = normal(2, [30, 6]);
    const result = learnDictionaryKsvd(Ys, { atoms: 9, sparsity: 3, iterations: 0 });
    expect(result.history).toHaveLength(1);
    const codes = omp(result.D, Ys, { sparsity: 3 }).Z;
    Array.from(result.codes.data).forEach((v, k) => expect(v).toBeCloseTo(codes.data[k], 10));
  });

  it('error-constrained coding (tol) uses fewer atoms, never more than S', () => {
    const Ys = normal(3, [80, 8]);
    const tight = learnDictionaryKsvd(Ys, { atoms: 16, sparsity: 4, iterations: 3 });
    const loose = learnDictionaryKsvd(Ys, { atoms: 16, sparsity: 4, iterations: 3, tol: 4 });
    const count = (Z: Tensor) => Array.from(Z.data).filter((v) => v !== 0).length;
    expect(maxNonZerosPerRow(loose.codes)).toBeLessThanOrEqual(4);
    expect(count(loose.codes)).toBeLessThan(count(tight.codes));
  });

  it('replaces atoms that no signal uses', () => {
    // Signals in the span of e_0 and e_1, Gaussian initial atoms, sparsity 1: most atoms are unused
    // at the first coding. Used atoms move into the span (singular vectors of residuals in it), and
    // so do the replaced ones (normalised signals): at the end no atom has any part outside it.
    const c = normal(4, [40, 2]);
    const Ys = fromFunction([40, 5], (i, t) => (t < 2 ? c.data[i * 2 + t] : 0));
    const result = learnDictionaryKsvd(Ys, { atoms: 6, sparsity: 1, iterations: 2, init: normal(5, [5, 6]) });
    columnNorms(result.D).forEach((v) => expect(v).toBeCloseTo(1, 12));
    for (let t = 2; t < 5; t++)
      for (let j = 0; j < 6; j++) expect(Math.abs(result.D.data[t * 6 + j])).toBe(0);
  });

  it('rejects bad options with the template', () => {
    expect(() => learnDictionaryKsvd(Y, { atoms: 15, sparsity: 11 })).toThrow(
      "learnDictionaryKsvd: argument 'sparsity' must be an integer >= 1 and <= 10. Got 11.",
    );
    expect(() => learnDictionaryKsvd(Y, { atoms: 15, sparsity: 2, tol: -1 })).toThrow(
      "learnDictionaryKsvd: argument 'tol' must be a finite number >= 0. Got -1.",
    );
    expect(() => learnDictionaryKsvd(Y, { atoms: 1.5, sparsity: 1 })).toThrow(RangeError);
  });
});
