/**
 * Properties of dictionary learning by alternating minimisation and K-SVD (src/dictionary), of the
 * atom recovery score and of the Hungarian algorithm behind it (src/linalg/hungarian.ts):
 *
 * - Hungarian: a one-to-one assignment whose cost equals the brute-force minimum over all
 *   injections (small random matrices, rows <= cols <= 5, with ties from integer costs).
 * - Recovery score: 1 for a permuted, sign-flipped, rescaled copy of the truth; symmetric; in [0, 1].
 * - projectAtoms: every atom in the unit ball, idempotent, atoms inside left as they are.
 * - Analytic gradient = central finite differences of the objective in D at fixed Z (the
 *   objective is quadratic in D, so the difference is exact up to rounding; dot-product test with
 *   a random direction).
 * - AM: the objective never increases across outer iterations and every atom stays in the unit
 *   ball, for both updates and both coding solvers, on random small problems.
 * - K-SVD: codes have at most S non-zeros and atoms unit norm, with and without a tolerance.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fcParams } from './support/arbitraries.js';
import { dot, fro } from './support/vectors.js';
import { hungarian } from '../src/linalg/hungarian.js';
import { learnDictionaryAm } from '../src/dictionary/am.js';
import { learnDictionaryKsvd } from '../src/dictionary/ksvd.js';
import { projectAtoms } from '../src/dictionary/init.js';
import { dictionaryGradient, dictionaryObjective } from '../src/dictionary/objective.js';
import { recoveryScore } from '../src/dictionary/recovery-score.js';
import { normal, permutation, Rng } from '../src/random/index.js';
import { fromArray, type Tensor } from '../src/tensor/index.js';

/** The minimum total cost over all injections of rows into columns, by enumeration. */
function bruteForce(cost: Float64Array, rows: number, cols: number): number {
  let best = Infinity;
  const used = new Array<boolean>(cols).fill(false);
  const visit = (i: number, total: number): void => {
    if (i === rows) {
      best = Math.min(best, total);
      return;
    }
    for (let j = 0; j < cols; j++) {
      if (used[j]) continue;
      used[j] = true;
      visit(i + 1, total + cost[i * cols + j]);
      used[j] = false;
    }
  };
  visit(0, 0);
  return best;
}

/** Column norms of a row-major (n, K) tensor. */
function columnNorms(D: Tensor): number[] {
  const [n, K] = D.shape;
  const out = new Array<number>(K).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < K; j++) out[j] += D.data[i * K + j] ** 2;
  return out.map(Math.sqrt);
}

const seed = fc.integer({ min: 0, max: 1e6 });

describe('hungarian', () => {
  it('finds an assignment as cheap as the brute-force minimum', () => {
    const problem = fc
      .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 4 }), fc.boolean(), seed)
      .map(([cols, fewer, integers, s]) => {
        const rows = Math.max(1, cols - fewer);
        const rng = new Rng(s);
        // Integer costs in [-3, 3] make ties common; real costs test the general case.
        const cost = Float64Array.from({ length: rows * cols }, () =>
          integers ? rng.int(-3, 3) : rng.normal() * 10,
        );
        return { rows, cols, cost };
      });
    fc.assert(
      fc.property(problem, ({ rows, cols, cost }) => {
        const assignment = hungarian(cost, rows, cols);
        expect(assignment.length).toBe(rows);
        expect(new Set(assignment).size).toBe(rows);
        assignment.forEach((j) => expect(j >= 0 && j < cols).toBe(true));
        const total = Array.from(assignment).reduce((s, j, i) => s + cost[i * cols + j], 0);
        expect(Math.abs(total - bruteForce(cost, rows, cols))).toBeLessThanOrEqual(1e-9);
      }),
      fcParams(200),
    );
  });
});

describe('recoveryScore', () => {
  const shapes = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 7 }), seed);

  it('is 1 for a permuted, sign-flipped, rescaled copy of the truth', () => {
    fc.assert(
      fc.property(shapes, ([n, K, s]) => {
        const D = normal(s, [n, K]);
        const perm = permutation(s + 1, K);
        const rng = new Rng(s + 2);
        const factors = Array.from(
          { length: K },
          () => (rng.uniform() < 0.5 ? -1 : 1) * (0.1 + 3 * rng.uniform()),
        );
        const copy = fromArray(
          Array.from(
            { length: n * K },
            (_, k) => factors[k % K] * D.data[Math.floor(k / K) * K + perm[k % K]],
          ),
          [n, K],
        );
        expect(recoveryScore(copy, D)).toBeCloseTo(1, 10);
      }),
      fcParams(100),
    );
  });

  it('is symmetric and in [0, 1]', () => {
    fc.assert(
      fc.property(shapes, fc.integer({ min: 1, max: 7 }), ([n, K, s], K2) => {
        const D = normal(s, [n, K]);
        const E = normal(s + 7, [n, K2]);
        const score = recoveryScore(D, E);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        expect(Math.abs(recoveryScore(E, D) - score)).toBeLessThanOrEqual(1e-15);
      }),
      fcParams(100),
    );
  });
});

describe('projectAtoms', () => {
  it('puts every atom in the unit ball, keeps those inside, and is idempotent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 6 }), seed, (n, K, s) => {
        const D = normal(s, [n, K], 0, 0.7);
        const P = projectAtoms(D);
        const before = columnNorms(D);
        columnNorms(P).forEach((v, j) => {
          expect(v).toBeLessThanOrEqual(1 + 1e-15);
          if (before[j] <= 1) for (let i = 0; i < n; i++) expect(P.data[i * K + j]).toBe(D.data[i * K + j]);
        });
        expect(Array.from(projectAtoms(P).data)).toEqual(Array.from(P.data));
      }),
      fcParams(100),
    );
  });
});

describe('dictionaryGradient', () => {
  it('equals central finite differences of the objective in D at fixed Z', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        seed,
        (N, n, K, s) => {
          const D = normal(s, [n, K]);
          const Y = normal(s + 1, [N, n]);
          const Z = normal(s + 2, [N, K]);
          const V = normal(s + 3, [n, K]);
          const h = 1e-4;
          const shifted = (sign: number) =>
            fromArray(
              Array.from(D.data, (d, k) => d + sign * h * V.data[k]),
              [n, K],
            );
          const fd =
            (dictionaryObjective(shifted(1), Y, Z, 0.3) - dictionaryObjective(shifted(-1), Y, Z, 0.3)) /
            (2 * h);
          const G = dictionaryGradient(D, Y, Z);
          const scale = fro(G.data) * fro(V.data) + 1e-12;
          expect(Math.abs(fd - dot(G.data, V.data))).toBeLessThanOrEqual(1e-7 * scale);
        },
      ),
      fcParams(100),
    );
  });
});

describe('learnDictionaryAm', () => {
  it('never increases the objective and keeps every atom in the unit ball', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 7 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.constantFrom('bcd' as const, 'pgd' as const),
        fc.constantFrom('cd' as const, 'fista' as const),
        seed,
        (N, n, K, lambda, update, coding, s) => {
          const Y = normal(s, [N, n]);
          const result = learnDictionaryAm(Y, { atoms: K, lambda, iterations: 5, update, coding, seed: s });
          const objectives = result.history.map((h) => h.objective);
          for (let t = 1; t < objectives.length; t++)
            expect(objectives[t]).toBeLessThanOrEqual(objectives[t - 1]);
          columnNorms(result.D).forEach((v) => expect(v).toBeLessThanOrEqual(1 + 1e-12));
        },
      ),
      fcParams(40),
    );
  });
});

describe('learnDictionaryKsvd', () => {
  it('codes with at most S non-zeros per signal and unit-norm atoms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 6 }),
        fc.option(fc.double({ min: 0, max: 2, noNaN: true }), { nil: undefined }),
        seed,
        (N, n, K, S0, tol, s) => {
          const S = Math.min(S0, n, K);
          const Y = normal(s, [N, n]);
          const result = learnDictionaryKsvd(Y, { atoms: K, sparsity: S, tol, iterations: 3, seed: s });
          for (let i = 0; i < N; i++) {
            let count = 0;
            for (let j = 0; j < K; j++) if (result.codes.data[i * K + j] !== 0) count++;
            expect(count).toBeLessThanOrEqual(S);
          }
          columnNorms(result.D).forEach((v) => expect(v).toBeCloseTo(1, 12));
        },
      ),
      fcParams(60),
    );
  });
});
