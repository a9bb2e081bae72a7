/**
 * Convergence of the classical solvers on the default problem, as a picture:
 * `npx tsx examples/convergence.ts [--samples N] [--out convergence.svg]`.
 *
 * A 64 x 256 Gaussian dictionary with unit-norm atoms, Bernoulli(0.05)-Gaussian codes, y = A z,
 * lambda = 0.1 lambdaMax per sample. F* comes from coordinate descent run to a duality gap of
 * 1e-13; the plot shows mean F - F* per iteration (log scale) for ISTA, ISTA with backtracking,
 * FISTA, FISTA with restart, oracle ISTA and coordinate descent (one epoch = one iteration),
 * drawn with vega-lite (src/plot/line-plot.ts).
 */
import { parseArgs } from 'node:util';
import {
  bernoulliGaussian,
  coordinateDescentSolver,
  CD_SYNC_EVERY,
  fista,
  fistaRestart,
  gaussianMatrix,
  ista,
  istaBacktracking,
  lassoProblem,
  matmulNT,
  oracleIsta,
  runSolver,
  type IterativeSolver,
  type LassoProblem,
  type SolverState,
} from '../src/index.js';
import { writeFileAtomic } from '../src/io/index.js';
import { linePlotSvg, type Series } from '../src/plot/line-plot.js';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '200' },
    iterations: { type: 'string', default: '300' },
    out: { type: 'string', default: 'convergence.svg' },
  },
});
const N = Number(values.samples);
const iterations = Number(values.iterations);
const A = gaussianMatrix(0, 64, 256);
const problem = lassoProblem(A, matmulNT(bernoulliGaussian(1, [N, 256], 0.05), A), { ratio: 0.1 });

const reference = runSolver(coordinateDescentSolver({ tol: 1e-13 }), problem, {
  tol: 1e-13,
  maxIter: 100_000,
  checkEvery: CD_SYNC_EVERY,
});
const fStar = reference.meanObjective;
console.log(`F* = ${fStar} (coordinate descent, max gap ${reference.maxGap.toExponential(1)})`);

const solvers: [string, IterativeSolver<LassoProblem, SolverState>][] = [
  ['ISTA', ista],
  ['ISTA backtracking', istaBacktracking],
  ['FISTA', fista],
  ['FISTA restart', fistaRestart],
  ['oracle ISTA', oracleIsta],
  ['coordinate descent', coordinateDescentSolver()],
];
const series: Series[] = solvers.map(([name, solver]) => {
  const x: number[] = [];
  const y: number[] = [];
  let reached = false;
  const result = runSolver(solver, problem, {
    tol: 0,
    maxIter: iterations,
    callback: (r) => {
      // A log axis shows F - F* > 0 only: once a solver reaches F* (to rounding), its curve ends.
      const gap = r.meanObjective - fStar;
      if (!(gap > 0)) reached = true;
      if (!reached) {
        x.push(r.iteration);
        y.push(gap);
      }
    },
  });
  console.log(
    `${name.padEnd(20)} F - F* after ${result.iterations} iterations: ${(result.meanObjective - fStar).toExponential(2)}`,
  );
  return { name, x, y };
});

writeFileAtomic(
  values.out,
  await linePlotSvg(series, {
    title: `Lasso, A 64 x 256, N = ${N}, lambda = 0.1 lambdaMax`,
    xTitle: 'iteration (epoch for coordinate descent)',
    yTitle: 'mean F - F*',
    logY: true,
  }),
);
console.log(`wrote ${values.out}`);
