/**
 * All Lasso solvers agree on the same small problem: run to a duality gap of 1e-11, their mean
 * objectives match each other to 1e-9 (relative to 1 + |F|), and they match the exact optimum
 * found by enumerating supports and signs (test/problems/support.ts).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fcParams } from './support/arbitraries.js';
import { gaussianMatrix, normal } from '../src/random/index.js';
import {
  checkRunOptions,
  coordinateDescent,
  fista,
  fistaRestart,
  ista,
  istaBacktracking,
  lassoProblem,
  oracleIsta,
  runSolver,
  type IterativeSolver,
  type LassoProblem,
  type SolverState,
} from '../src/solvers/index.js';
import { exactLasso, rowOf, rowsOf } from '../test/problems/support.js';

const solvers: IterativeSolver<LassoProblem, SolverState>[] = [
  ista,
  istaBacktracking,
  fista,
  fistaRestart,
  oracleIsta,
  coordinateDescent,
];

describe('all Lasso solvers agree', () => {
  it('on the objective, to 1e-9, and with the exact optimum', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 2, max: 6 }),
        fc.double({ min: 0.1, max: 0.6, noNaN: true }),
        (seed, n, m, ratio) => {
          const A = gaussianMatrix(seed, n, m);
          const Y = normal(seed + 1, [2, n]);
          const problem = lassoProblem(A, Y, { ratio });
          const objectives = solvers.map((solver) => {
            const result = runSolver(
              solver,
              problem,
              checkRunOptions(solver.name, { tol: 1e-11, maxIter: 200_000, checkEvery: 10 }),
            );
            expect(result.converged, `${solver.name} did not reach the gap`).toBe(true);
            return result.meanObjective;
          });
          let exact = 0;
          for (let i = 0; i < 2; i++) {
            const y = rowOf(Y, i);
            exact += exactLasso(rowsOf(A), y, problem.lambdas[i]).value / 2;
          }
          for (const [k, f] of objectives.entries()) {
            expect(Math.abs(f - objectives[0]), solvers[k].name).toBeLessThanOrEqual(
              1e-9 * (1 + Math.abs(objectives[0])),
            );
            expect(Math.abs(f - exact), solvers[k].name).toBeLessThanOrEqual(1e-9 * (1 + Math.abs(exact)));
          }
        },
      ),
      fcParams(20),
    );
  });
});
