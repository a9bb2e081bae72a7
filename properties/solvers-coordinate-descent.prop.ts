/**
 * Properties of coordinate descent (src/solvers/coordinate-descent.ts) on small random Lasso
 * problems: n, m <= 10, N <= 3, unit-norm Gaussian atoms (seeded), Gaussian signals and
 * lambda_i = (0.1 .. 0.5) lambdaMax_i, with and without the working set.
 *
 * - It reaches a duality gap of 1e-12 on every sample, as certified by lassoCertificate (which
 *   recomputes the residual and A^T r from scratch), not only by its own certificate.
 * - The objective never increases from one epoch to the next (each coordinate step is an exact
 *   minimisation), evaluated with the plain loops of test/problems/support.ts.
 * - Its certificate, computed from the correlations it maintains without touching A, equals the
 *   one lassoDualityGap computes from the residual, sample by sample, at every epoch.
 * - Its objective matches the exact Lasso optimum found by enumerating supports and signs
 *   (test/problems/support.ts; m <= 6 to keep the 3^m enumeration small) to 1e-9.
 * - The working-set and plain versions reach the same objective.
 * - The iterates do not depend on whether (or how often) the states are certified.
 *
 * Tolerances are rounding-level and say what they are relative to: S = 1 + ||y||^2 + ||z||_1^2
 * bounds the magnitude of every term of the objective and of the gap for unit-norm atoms. The
 * epochs CD needs grow with the conditioning of G on the support, which has a long tail for
 * random atoms in n <= 10 dimensions: over 3000 such problems, 99.9% reached a gap of 1e-13 within
 * 5300 epochs and the slowest took 45000 (0.6 s), hence the cap of 100000.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fcParams } from './support/arbitraries.js';
import { gaussianMatrix, normal } from '../src/random/index.js';
import { fromArray, type Tensor } from '../src/tensor/index.js';
import { lambdaMax, lassoDualityGap } from '../src/problems/index.js';
import {
  checkRunOptions,
  coordinateDescent,
  coordinateDescentSolver,
  lassoCertificate,
  lassoProblem,
  runSolver,
  type CoordinateDescentState,
  type IterativeSolver,
  type LassoProblem,
} from '../src/solvers/index.js';
import { exactLasso, lassoValue, rowOf, rowsOf } from '../test/problems/support.js';

type Solver = IterativeSolver<LassoProblem, CoordinateDescentState>;
const plain = coordinateDescentSolver({ workingSet: false });

/** A random problem: seeded dictionary and signals, one lambda ratio per sample. */
interface Instance {
  A: Tensor;
  Y: Tensor;
  problem: LassoProblem;
  workingSet: boolean;
}

const instanceArb = (maxM: number): fc.Arbitrary<Instance> =>
  fc
    .record({
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      n: fc.integer({ min: 1, max: 10 }),
      m: fc.integer({ min: 1, max: maxM }),
      N: fc.integer({ min: 1, max: 3 }),
      workingSet: fc.boolean(),
    })
    .chain((r) =>
      fc
        .array(fc.double({ min: 0.1, max: 0.5, noNaN: true }), { minLength: r.N, maxLength: r.N })
        .map((ratios) => {
          const A = gaussianMatrix(r.seed, r.n, r.m);
          const Y = normal(r.seed + 1, [r.N, r.n]);
          const lmax = lambdaMax(A, Y).data;
          const lambdas = fromArray(
            ratios.map((q, i) => q * lmax[i]),
            [r.N],
          );
          return { A, Y, problem: lassoProblem(A, Y, lambdas), workingSet: r.workingSet };
        }),
    );

const solverOf = (inst: Instance): Solver => (inst.workingSet ? coordinateDescent : plain);

function solve(solver: Solver, problem: LassoProblem, tol: number) {
  return runSolver(solver, problem, checkRunOptions(solver.name, { tol, maxIter: 100_000 }));
}

/** S_i = 1 + ||y_i||^2 + ||z_i||_1^2: the scale of every term of F and of the gap of sample i. */
function scaleOf(y: readonly number[], z: ArrayLike<number>): number {
  let l1 = 0;
  for (let j = 0; j < z.length; j++) l1 += Math.abs(z[j]);
  return 1 + y.reduce((s, v) => s + v * v, 0) + l1 * l1;
}

describe('coordinate descent: convergence', () => {
  it('reaches a gap of 1e-12 on every sample, certified by lassoCertificate', () => {
    fc.assert(
      fc.property(instanceArb(10), (inst) => {
        const result = solve(solverOf(inst), inst.problem, 1e-13);
        expect(result.converged).toBe(true);
        const independent = lassoCertificate(inst.problem, result.Z.data.slice());
        expect(independent.maxGap).toBeLessThanOrEqual(1e-12);
      }),
      fcParams(60),
    );
  });

  it('never increases the objective from one epoch to the next', () => {
    fc.assert(
      fc.property(instanceArb(10), (inst) => {
        const solver = solverOf(inst);
        const { problem, A, Y } = inst;
        const a = rowsOf(A);
        const lambdas = problem.lambdas;
        let state = solver.init(problem);
        const previous = rowsOf(solver.solution(problem, state)).map((z, i) =>
          lassoValue(a, rowOf(Y, i), z, lambdas[i]),
        );
        for (let k = 0; k < 60; k++) {
          state = solver.step(problem, state);
          const Z = solver.solution(problem, state);
          rowsOf(Z).forEach((z, i) => {
            const y = rowOf(Y, i);
            const value = lassoValue(a, y, z, lambdas[i]);
            expect(value).toBeLessThanOrEqual(previous[i] + 1e-14 * scaleOf(y, z));
            previous[i] = value;
          });
        }
      }),
      fcParams(40),
    );
  });
});

describe('coordinate descent: its certificate', () => {
  it('equals lassoDualityGap sample by sample at every epoch (objective and gap)', () => {
    fc.assert(
      fc.property(instanceArb(10), (inst) => {
        const solver = solverOf(inst);
        const { problem, A, Y } = inst;
        let state = solver.init(problem);
        // Past two refreshes of c from scratch (every 16 epochs), to cover the drift in between.
        for (let k = 0; k <= 40; k++) {
          const Z = solver.solution(problem, state);
          const reference = lassoDualityGap(A, Y, Z, problem.lambda);
          const cert = solver.certificate(problem, state);
          let scale = 0;
          for (let i = 0; i < problem.N; i++) {
            const tol = 1e-14 * scaleOf(rowOf(Y, i), rowOf(Z, i));
            expect(Math.abs(cert.gaps[i] - reference.gap.data[i])).toBeLessThanOrEqual(tol);
            scale += tol / problem.N;
          }
          expect(Math.abs(cert.meanObjective - reference.meanPrimal)).toBeLessThanOrEqual(scale);
          state = solver.step(problem, state);
        }
      }),
      fcParams(40),
    );
  });
});

describe('coordinate descent: determinism', () => {
  it('gives the same iterates whether or not each state is certified', () => {
    fc.assert(
      fc.property(instanceArb(10), (inst) => {
        const solver = solverOf(inst);
        const { problem } = inst;
        let watched = solver.init(problem);
        let unwatched = solver.init(problem);
        for (let k = 0; k < 40; k++) {
          solver.certificate(problem, watched);
          watched = solver.step(problem, watched);
          unwatched = solver.step(problem, unwatched);
          expect(Array.from(solver.solution(problem, unwatched).data)).toEqual(
            Array.from(solver.solution(problem, watched).data),
          );
        }
        expect(Array.from(solver.certificate(problem, unwatched).gaps)).toEqual(
          Array.from(solver.certificate(problem, watched).gaps),
        );
      }),
      fcParams(40),
    );
  });
});

describe('coordinate descent: the solution', () => {
  it('matches the exact Lasso optimum (enumeration of supports and signs) to 1e-9', () => {
    fc.assert(
      fc.property(instanceArb(6), (inst) => {
        const { problem, A, Y } = inst;
        const result = solve(solverOf(inst), problem, 1e-13);
        rowsOf(result.Z).forEach((z, i) => {
          const y = rowOf(Y, i);
          const exact = exactLasso(rowsOf(A), y, problem.lambdas[i]);
          expect(Math.abs(lassoValue(rowsOf(A), y, z, problem.lambdas[i]) - exact.value)).toBeLessThanOrEqual(
            1e-9,
          );
        });
      }),
      fcParams(40),
    );
  });

  it('is the same with and without the working set (objectives to 1e-12)', () => {
    fc.assert(
      fc.property(instanceArb(10), (inst) => {
        const { problem, A, Y } = inst;
        const a = solve(coordinateDescent, problem, 1e-13);
        const b = solve(plain, problem, 1e-13);
        const za = rowsOf(a.Z);
        const zb = rowsOf(b.Z);
        for (let i = 0; i < problem.N; i++) {
          const y = rowOf(Y, i);
          const fa = lassoValue(rowsOf(A), y, za[i], problem.lambdas[i]);
          const fb = lassoValue(rowsOf(A), y, zb[i], problem.lambdas[i]);
          expect(Math.abs(fa - fb)).toBeLessThanOrEqual(1e-12);
        }
      }),
      fcParams(40),
    );
  });
});
