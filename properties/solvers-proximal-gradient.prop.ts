/**
 * Properties of the proximal-gradient solvers (ISTA, ISTA with backtracking, FISTA with and without
 * restart, oracle ISTA) on small random Lasso problems: Gaussian A (n, m <= 8), Gaussian signals
 * (N <= 3), lambda_i a random fraction of lambdaMax_i (sometimes above it, where z* = 0).
 *
 * The reference solution z* and F* of each sample come from exactLasso (test/problems/support.ts):
 * an enumeration of supports and signs with plain loops, sharing no code with the solvers.
 *
 * Checked, per sample:
 * - ISTA, ISTA-backtracking and oracle ISTA never increase the objective;
 * - FISTA (no restart): F(x_k) - F* <= 2 L ||z0 - z*||^2 / (k + 1)^2 at every k, from zero and from
 *   random warm starts (Beck & Teboulle, Theorem 4.4, with L = problem.lipschitz, the L of the step);
 * - the fixed-point residual of the 1/L map T(z) = ST(z - grad / L, lambda / L) satisfies
 *   (L / 2) ||T(z) - z||^2 <= F(z) - F(T z) <= F(z) - F* <= gap at every iterate of every solver,
 *   so it goes to 0 with the gap; and along ISTA it never increases (T is non-expansive);
 * - 0 <= F - F* <= reported gap at every iteration, per sample (certificate) and for the means
 *   reported to the run loop's callback (checkEvery 1);
 * - oracle ISTA needs no more iterations than ISTA to reach a gap of 1e-10;
 * - FISTA follows Beck & Teboulle's recurrences (against a plain-loop FISTA), restarts exactly
 *   when its gradient test says so; oracle ISTA takes 1/B with L_S <= B <= L (B = L_S once the
 *   support repeats, L_S from a plain power iteration) when the support stays inside S, else 1/L;
 * - warm starts: starting at z* needs 0 iterations; a run of ISTA split in two (the second
 *   warm-started at the first's result) is bit-identical to one run.
 *
 * Tolerances are rounding-level, relative to the scale of the objective F(0) = ||y||^2 / 2.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromArray, type Tensor } from '../src/tensor/index.js';
import { gaussianMatrix, normal, uniform } from '../src/random/index.js';
import { lambdaMax, lassoObjective } from '../src/problems/index.js';
import {
  checkRunOptions,
  ista,
  lassoProblem,
  runSolver,
  type IterativeSolver,
  type LassoProblem,
  type RunOptions,
  type SolverState,
} from '../src/solvers/index.js';
import { istaBacktracking } from '../src/solvers/ista-backtracking.js';
import { fista, fistaRestart } from '../src/solvers/fista.js';
import { oracleIsta } from '../src/solvers/oracle-ista.js';
import { fcParams } from './support/arbitraries.js';
import { denseOperator, exactLasso, matTVec, matVec, rowOf, rowsOf } from '../test/problems/support.js';

type AnySolver = IterativeSolver<LassoProblem, SolverState>;
const ALL: [string, AnySolver][] = [
  ['ista', ista],
  ['istaBacktracking', istaBacktracking],
  ['fista', fista],
  ['fistaRestart', fistaRestart],
  ['oracleIsta', oracleIsta],
];
const MONOTONE: [string, AnySolver][] = [
  ['ista', ista],
  ['istaBacktracking', istaBacktracking],
  ['oracleIsta', oracleIsta],
];

/** A random small Lasso problem with its exact per-sample solutions. */
interface Case {
  problem: LassoProblem;
  a: number[][];
  ys: number[][];
  lambdas: number[];
  /** The exact solution and optimum of each sample (computed on first use). */
  readonly zStar: number[][];
  readonly fStar: number[];
  /** Rounding slack of each sample's objective: 1e-13 (1 + ||y||^2 / 2). */
  slack: number[];
  /** Random warm starts (N, m): dense, and sparse (about 40% non-zeros, so that supports can grow). */
  z0: Tensor;
  z0Sparse: Tensor;
}

type Start = 'zero' | 'dense' | 'sparse';
const startArb = fc.constantFrom<Start>('zero', 'dense', 'sparse');
const startOf = (c: Case, start: Start): Tensor | undefined =>
  start === 'zero' ? undefined : start === 'dense' ? c.z0 : c.z0Sparse;

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    n: fc.integer({ min: 1, max: 8 }),
    m: fc.integer({ min: 1, max: 8 }),
    N: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer({ min: 0, max: 2 ** 30 }),
    ratios: fc.array(fc.double({ min: 0.05, max: 1.2, noNaN: true }), { minLength: 3, maxLength: 3 }),
  })
  .map(({ n, m, N, seed, ratios }) => {
    const A = gaussianMatrix(seed, n, m, { unitColumns: false });
    const Y = normal(seed + 1, [N, n]);
    const lmax = lambdaMax(A, Y).data;
    const lambdas = Array.from({ length: N }, (_, i) => ratios[i] * lmax[i]);
    const problem = lassoProblem(A, Y, fromArray(lambdas, [N]));
    const a = rowsOf(A);
    const ys = rowsOf(Y);
    // The enumeration dominates the cost of a case: computed on first use only.
    let exact: { z: number[]; value: number }[] | undefined;
    const reference = () => (exact ??= ys.map((y, i) => exactLasso(a, y, lambdas[i])));
    const z0 = normal(seed + 2, [N, m]);
    const mask = uniform(seed + 3, [N, m]);
    return {
      problem,
      a,
      ys,
      lambdas,
      get zStar() {
        return reference().map((e) => e.z);
      },
      get fStar() {
        return reference().map((e) => e.value);
      },
      slack: ys.map((y) => 1e-13 * (1 + 0.5 * y.reduce((s, v) => s + v * v, 0))),
      z0,
      z0Sparse: fromArray(
        Array.from(z0.data, (v, k) => (mask.data[k] < 0.4 ? v : 0)),
        [N, m],
      ),
    };
  });

const perSampleObjective = (c: Case, z: Tensor): number[] =>
  Array.from(lassoObjective(c.problem.A, c.problem.Y, z, c.problem.lambda).perSample.data);

/** ||T(z_i) - z_i||^2 for the 1/L map, with plain loops. */
function fixedPointResidual2(c: Case, z: number[], i: number): number {
  const L = c.problem.lipschitz;
  const az = matVec(c.a, z);
  const grad = matTVec(
    c.a,
    az.map((v, k) => v - c.ys[i][k]),
  );
  const thr = c.lambdas[i] / L;
  return z.reduce((s, zj, j) => {
    const v = zj - grad[j] / L;
    const tz = v > thr ? v - thr : v < -thr ? v + thr : 0;
    return s + (tz - zj) ** 2;
  }, 0);
}

const run = (solver: AnySolver, problem: LassoProblem, options: RunOptions) =>
  runSolver(solver, problem, { ...checkRunOptions(solver.name, options), warmStart: options.warmStart });

/** The iterates' solutions of the first `k` steps (index 0 is the start). */
function iterates<S extends SolverState>(
  solver: IterativeSolver<LassoProblem, S>,
  c: Case,
  k: number,
  warmStart?: Tensor,
): S[] {
  const states = [solver.init(c.problem, warmStart)];
  for (let t = 0; t < k; t++) states.push(solver.step(c.problem, states[t]));
  return states;
}

describe('monotone decrease', () => {
  it.each(MONOTONE)("%s: each sample's objective never increases", (_, solver) => {
    fc.assert(
      fc.property(caseArb, startArb, (c, start) => {
        const states = iterates(solver, c, 60, startOf(c, start));
        let previous = perSampleObjective(c, solver.solution(c.problem, states[0]));
        for (const state of states.slice(1)) {
          const current = perSampleObjective(c, solver.solution(c.problem, state));
          current.forEach((f, i) => expect(f).toBeLessThanOrEqual(previous[i] + c.slack[i]));
          previous = current;
        }
      }),
      fcParams(30),
    );
  });
});

describe('FISTA rate', () => {
  it('F(x_k) - F* <= 2 L ||z0 - z*||^2 / (k + 1)^2 for every k and sample', () => {
    fc.assert(
      fc.property(caseArb, startArb, (c, startKind) => {
        const L = c.problem.lipschitz;
        const start = startOf(c, startKind);
        const states = iterates(fista, c, 100, start);
        const dist2 = c.zStar.map((zs, i) =>
          zs.reduce((s, v, j) => s + ((start ? start.data[i * zs.length + j] : 0) - v) ** 2, 0),
        );
        states.slice(1).forEach((state, index) => {
          const k = index + 1;
          const f = perSampleObjective(c, fista.solution(c.problem, state));
          f.forEach((fi, i) => {
            const bound = (2 * L * dist2[i]) / (k + 1) ** 2;
            expect(fi - c.fStar[i]).toBeLessThanOrEqual(bound + c.slack[i]);
          });
        });
      }),
      fcParams(30),
    );
  });
});

/** Soft thresholding of a plain number. */
const st = (v: number, thr: number) => (v > thr ? v - thr : v < -thr ? v + thr : 0);

/** grad_i = A^T (A z - y_i) with plain loops. */
const gradientOf = (c: Case, z: readonly number[], i: number): number[] =>
  matTVec(
    c.a,
    matVec(c.a, z).map((v, k) => v - c.ys[i][k]),
  );

/** Sample i's row of a solver state's solution. */
const rowAt = (solver: AnySolver, c: Case, state: SolverState, i: number): number[] =>
  rowOf(solver.solution(c.problem, state), i);

/** ||A_S||_2^2 by the plain power iteration of support.ts, memoised per case and support. */
const supportLipschitzMemo = new WeakMap<Case, Map<string, number>>();
function supportLipschitz(c: Case, support: number[]): number {
  let memo = supportLipschitzMemo.get(c);
  if (memo === undefined) supportLipschitzMemo.set(c, (memo = new Map<string, number>()));
  const key = support.join(',');
  let value = memo.get(key);
  if (value === undefined) {
    value = denseOperator(c.a.map((r) => support.map((j) => r[j]))).norm().value ** 2;
    memo.set(key, value);
  }
  return value;
}

describe('the update rules, against plain loops', () => {
  it("FISTA's iterates follow Beck & Teboulle's recurrences (independent plain-loop FISTA)", () => {
    fc.assert(
      fc.property(caseArb, startArb, (c, startKind) => {
        const L = c.problem.lipschitz;
        const start = startOf(c, startKind);
        const states = iterates(fista, c, 30, start);
        c.ys.forEach((_, i) => {
          let x = start ? rowOf(start, i) : new Array<number>(c.problem.m).fill(0);
          let y = x.slice();
          let t = 1;
          for (let k = 1; k < states.length; k++) {
            const g = gradientOf(c, y, i);
            const xn = y.map((v, j) => st(v - g[j] / L, c.lambdas[i] / L));
            const tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            y = xn.map((v, j) => v + ((t - 1) / tn) * (v - x[j]));
            [x, t] = [xn, tn];
            const got = rowAt(fista, c, states[k], i);
            const scale = 1 + Math.max(...x.map(Math.abs));
            got.forEach((v, j) => expect(Math.abs(v - x[j])).toBeLessThanOrEqual(1e-10 * scale));
          }
        });
      }),
      fcParams(30),
    );
  });

  it('FISTA with restart: a sample restarts (t = 1, y = x) exactly when (y - x_new) . (x_new - x) > 0', () => {
    fc.assert(
      fc.property(caseArb, startArb, (c, startKind) => {
        const m = c.problem.m;
        const states = iterates(fistaRestart, c, 40, startOf(c, startKind));
        let restarts = 0;
        for (let k = 1; k < states.length; k++) {
          const [before, after] = [states[k - 1], states[k]];
          c.ys.forEach((_, i) => {
            let alignment = 0;
            for (let j = i * m; j < (i + 1) * m; j++)
              alignment += (before.y[j] - after.x[j]) * (after.x[j] - before.x[j]);
            const restarted = alignment > 0;
            if (restarted) restarts++;
            const tk = before.t[i];
            const tn = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
            expect(after.t[i]).toBe(restarted ? 1 : tn);
            for (let j = i * m; j < (i + 1) * m; j++) {
              const expected = restarted
                ? after.x[j]
                : after.x[j] + ((tk - 1) / tn) * (after.x[j] - before.x[j]);
              expect(after.y[j]).toBe(expected);
            }
          });
        }
        expect(states[states.length - 1].restarts).toBe(restarts);
      }),
      fcParams(30),
    );
  });

  it('oracle ISTA: step 1/B, L_S <= B <= L (B = L_S once the support repeats), while the support stays in S; else 1/L', () => {
    fc.assert(
      fc.property(caseArb, startArb, (c, startKind) => {
        const L = c.problem.lipschitz;
        const states = iterates(oracleIsta, c, 30, startOf(c, startKind));
        for (let k = 1; k < states.length; k++) {
          const [before, after] = [states[k - 1], states[k]];
          let oracleSteps = 0;
          c.ys.forEach((_, i) => {
            const z = rowAt(oracleIsta, c, before, i);
            const next = rowAt(oracleIsta, c, after, i);
            const support = z.flatMap((v, j) => (v !== 0 ? [j] : []));
            const g = gradientOf(c, z, i);
            const lS = support.length === 0 ? 0 : supportLipschitz(c, support);
            // The bound the state carries is an upper bound of L_S, and L_S itself where it says so.
            const carried = before.supportLipschitz[i];
            if (support.length > 0) {
              expect(carried).toBeGreaterThanOrEqual(lS * (1 - 1e-6));
              expect(carried).toBeLessThanOrEqual(L);
              if (before.exact[i] === 1) expect(Math.abs(carried / lS - 1)).toBeLessThanOrEqual(1e-6);
            }
            // The bound this step uses: L_S when the support repeats (or is exact already).
            const usesLS = before.exact[i] === 1 || before.stable[i] === 1;
            const bound = usesLS ? lS : carried;
            const step = after.steps[i];
            const grows = next.some((v, j) => v !== 0 && z[j] === 0);
            if (step === 1 / L) {
              // The candidate 1/B must have left S (checked with a margin, where B < L clearly).
              const thr = c.lambdas[i] / bound;
              const clearlyInside = z.every(
                (v, j) => v !== 0 || Math.abs(v - g[j] / bound) < thr * (1 - 1e-5),
              );
              if (support.length > 0 && bound * (1 + 1e-5) < L) expect(clearlyInside).toBe(false);
            } else {
              oracleSteps++;
              expect(support.length).toBeGreaterThan(0);
              expect(grows).toBe(false);
              expect(Math.abs(step * bound - 1)).toBeLessThanOrEqual(1e-6);
            }
            const expected = z.map((v, j) => st(v - step * g[j], step * c.lambdas[i]));
            const scale = 1 + Math.max(...z.map(Math.abs));
            next.forEach((v, j) => expect(Math.abs(v - expected[j])).toBeLessThanOrEqual(1e-12 * scale));
            const same = next.every((v, j) => (v !== 0) === (z[j] !== 0));
            expect(after.stable[i]).toBe(same ? 1 : 0);
          });
          expect(after.oracleSteps).toBe(oracleSteps);
        }
      }),
      fcParams(25),
    );
  });
});

describe('certificates along the iterations', () => {
  it.each(ALL)(
    '%s: 0 <= F - F* <= gap and (L/2) ||T(z) - z||^2 <= gap at every iterate, per sample',
    (_, solver) => {
      fc.assert(
        fc.property(caseArb, startArb, (c, start) => {
          const L = c.problem.lipschitz;
          for (const state of iterates(solver, c, 40, startOf(c, start))) {
            const z = solver.solution(c.problem, state);
            const f = perSampleObjective(c, z);
            const gaps = solver.certificate(c.problem, state).gaps;
            f.forEach((fi, i) => {
              expect(fi - c.fStar[i]).toBeGreaterThanOrEqual(-c.slack[i]);
              expect(fi - c.fStar[i]).toBeLessThanOrEqual(gaps[i] + c.slack[i]);
              expect((L / 2) * fixedPointResidual2(c, rowOf(z, i), i)).toBeLessThanOrEqual(
                gaps[i] + c.slack[i],
              );
            });
          }
        }),
        fcParams(25),
      );
    },
  );

  it.each(ALL)(
    '%s: the callback (checkEvery 1) reports mean F - mean F* <= mean gap <= max gap',
    (_, solver) => {
      fc.assert(
        fc.property(caseArb, (c) => {
          const meanFStar = c.fStar.reduce((s, v) => s + v, 0) / c.fStar.length;
          const meanSlack = c.slack.reduce((s, v) => s + v, 0) / c.slack.length;
          let calls = 0;
          const result = run(solver, c.problem, {
            tol: 0,
            maxIter: 30,
            checkEvery: 1,
            callback: (record) => {
              expect(record.iteration).toBe(calls++);
              expect(record.meanObjective - meanFStar).toBeLessThanOrEqual(record.meanGap + meanSlack);
              expect(record.meanGap).toBeLessThanOrEqual(record.maxGap);
            },
          });
          expect(calls).toBe(result.iterations + 1);
        }),
        fcParams(20),
      );
    },
  );

  it('along ISTA the fixed-point residual never increases', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const L = c.problem.lipschitz;
        let previous = c.ys.map(() => Infinity);
        for (const state of iterates(ista, c, 60)) {
          const z = ista.solution(c.problem, state);
          const current = c.ys.map((_, i) => Math.sqrt(fixedPointResidual2(c, rowOf(z, i), i)));
          current.forEach((r, i) => {
            // Rounding of T(z) - z: a few ulps of the scale of z and of grad / L, per coordinate.
            const scale = 1 + Math.max(...rowOf(z, i).map(Math.abs)) + Math.hypot(...c.ys[i]) / Math.sqrt(L);
            expect(r).toBeLessThanOrEqual(previous[i] + 1e-14 * c.problem.m * scale);
          });
          previous = current;
        }
      }),
      fcParams(30),
    );
  });
});

describe('convergence', () => {
  it.each(ALL)(
    '%s reaches a gap of 1e-12 with F - F* <= 1e-12 and a fixed-point residual <= sqrt(2e-12 / L)',
    (_, solver) => {
      fc.assert(
        fc.property(caseArb, (c) => {
          const result = run(solver, c.problem, { tol: 1e-12, maxIter: 200000, checkEvery: 10 });
          expect(result.converged).toBe(true);
          const f = perSampleObjective(c, result.Z);
          f.forEach((fi, i) => {
            expect(fi - c.fStar[i]).toBeLessThanOrEqual(1e-12 + c.slack[i]);
            const r2 = fixedPointResidual2(c, rowOf(result.Z, i), i);
            expect(r2).toBeLessThanOrEqual((2 * (1e-12 + c.slack[i])) / c.problem.lipschitz);
          });
        }),
        fcParams(20),
      );
    },
  );

  it('oracle ISTA needs no more iterations than ISTA to reach a gap of 1e-10', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const plain = run(ista, c.problem, { tol: 1e-10, maxIter: 200000 });
        const oracle = run(oracleIsta, c.problem, { tol: 1e-10, maxIter: 200000 });
        expect(plain.converged && oracle.converged).toBe(true);
        expect(oracle.iterations).toBeLessThanOrEqual(plain.iterations);
      }),
      fcParams(30),
    );
  });
});

describe('warm starts', () => {
  it('every solver started at z* converges in 0 iterations and returns z*', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const zStar = fromArray(c.zStar.flat(), [c.ys.length, c.problem.m]);
        for (const [, solver] of ALL) {
          const result = run(solver, c.problem, { tol: 1e-10, warmStart: zStar });
          expect(result.iterations).toBe(0);
          expect(Array.from(result.Z.data)).toEqual(Array.from(zStar.data));
        }
      }),
      fcParams(30),
    );
  });

  it('ista: a run split in two is bit-identical to one run (the state is the codes)', () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (c, k1, k2) => {
        const whole = run(ista, c.problem, { tol: 0, maxIter: k1 + k2 });
        const first = run(ista, c.problem, { tol: 0, maxIter: k1 });
        const second = run(ista, c.problem, { tol: 0, maxIter: k2, warmStart: first.Z });
        expect(Array.from(second.Z.data)).toEqual(Array.from(whole.Z.data));
      }),
      fcParams(30),
    );
  });
});
