/**
 * `unfolded solve`: sparse codes of signals Y.npy over a dictionary A.npy with a classical solver.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { writeNpy } from '../../io/index.js';
import {
  CD_SYNC_EVERY,
  coordinateDescentSolver,
  fista,
  fistaRestart,
  ista,
  istaBacktracking,
  lassoProblem,
  omp,
  oracleIsta,
  runSolver,
  type LambdaSpec,
} from '../../solvers/index.js';
import type { IterativeSolver, SolverState } from '../../solvers/types.js';
import type { LassoProblem } from '../../solvers/lasso-problem.js';
import { UsageError, type Command, type CommandIO } from '../command.js';
import type { Tensor } from '../../tensor/tensor.js';
import { numberOption, readMatrix, required } from '../input.js';
import { progressBar } from '../progress.js';

/** The Lasso solvers by their command-line names. */
type SolverFactory = (tol: number) => {
  solver: IterativeSolver<LassoProblem, SolverState>;
  checkEvery: number;
};
// Certifying costs about one iteration, so the proximal-gradient solvers certify every 10.
const every =
  (solver: IterativeSolver<LassoProblem, SolverState>): SolverFactory =>
  () => ({ solver, checkEvery: 10 });
const lassoSolvers: Record<string, SolverFactory> = {
  ista: every(ista),
  'ista-bt': every(istaBacktracking),
  fista: every(fista),
  'fista-restart': every(fistaRestart),
  oista: every(oracleIsta),
  // Coordinate descent leaves samples alone once they meet the tolerance, and certifies cheaply
  // at its synchronisation points (every CD_SYNC_EVERY epochs).
  cd: (tol) => ({ solver: coordinateDescentSolver({ tol }), checkEvery: CD_SYNC_EVERY }),
};
const solverNames = [...Object.keys(lassoSolvers), 'omp'];

const usage = `Usage: unfolded solve --operator A.npy --signals Y.npy (--lambda X | --lambda-ratio R)
                      [--solver ${solverNames.join('|')}] [--max-iter K] [--tol T]
                      [--sparsity S] --out Z.npy [--json]

Solves the Lasso min_z 1/2||y_i - A z||^2 + lambda_i ||z||_1 for every row y_i of Y, or, with
--solver omp, the sparse approximation min ||y_i - A z||^2 s.t. ||z||_0 <= S by orthogonal
matching pursuit (no lambda; --tol is then the residual energy ||y_i - A z||^2 to stop at).

  --operator A.npy      dictionary A of shape (n, m), atoms as columns
  --signals Y.npy       signals Y of shape (N, n), one per row
  --lambda X            the same lambda >= 0 for every signal
  --lambda-ratio R      lambda_i = R * ||A^T y_i||_inf (R in [0, 1] is the useful range)
  --solver NAME         default fista; ista-bt is ISTA with backtracking, fista-restart FISTA
                        with adaptive restart, oista oracle ISTA, cd coordinate descent
  --sparsity S          omp: at most S atoms per signal
  --max-iter K          iteration cap (default 1000)
  --tol T               stop when every signal's duality gap is <= T (default 1e-8)
  --out Z.npy           codes Z of shape (N, m), written atomically, only on success
  --json                print one JSON object on stdout:
                        {"solver", "iterations", "meanObjective", "maxGap", "seconds"}
                        (for omp: meanObjective is the mean of 1/2||y_i - A z_i||^2 and
                        maxGap is null: OMP has no duality gap)

A progress bar goes to stderr when stderr is a terminal. Bad files or arguments: a one-line
error and exit code 2, and no output file.
`;

export const solve: Command = {
  name: 'solve',
  summary: 'Sparse codes of signals over a dictionary (ISTA, FISTA, oracle ISTA, CD, OMP)',
  usage,
  run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        operator: { type: 'string' },
        signals: { type: 'string' },
        lambda: { type: 'string' },
        'lambda-ratio': { type: 'string' },
        solver: { type: 'string', default: 'fista' },
        'max-iter': { type: 'string' },
        tol: { type: 'string' },
        sparsity: { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const solverName = values.solver;
    if (!solverNames.includes(solverName))
      throw new UsageError(`--solver must be one of ${solverNames.join(', ')}. Got '${solverName}'.`);
    const out = required('out', values.out);
    const maxIter = numberOption('max-iter', values['max-iter'], { min: 0, integer: true }) ?? 1000;
    const tolGiven = numberOption('tol', values.tol, { min: 0 });
    const sparsity = numberOption('sparsity', values.sparsity, { min: 1, integer: true });
    const lambda = numberOption('lambda', values.lambda, { min: 0 });
    const ratio = numberOption('lambda-ratio', values['lambda-ratio'], { min: 0 });
    if (solverName === 'omp') {
      if (sparsity === undefined && tolGiven === undefined)
        throw new UsageError('omp needs --sparsity or --tol.');
      const [A, Y] = readProblem(values.operator, values.signals);
      const result = omp(A, Y, { sparsity, tol: tolGiven });
      writeNpy(out, result.Z);
      let energy = 0;
      for (const r of result.residualNorms.data) energy += 0.5 * r * r;
      const meanObjective = Y.shape[0] ? energy / Y.shape[0] : 0;
      return finish(io, values.json, out, {
        solver: 'omp',
        iterations: result.iterations,
        meanObjective,
        maxGap: null,
        seconds: result.seconds,
      });
    }
    if (sparsity !== undefined) throw new UsageError('--sparsity is for --solver omp only.');
    if ((lambda === undefined) === (ratio === undefined))
      throw new UsageError('give exactly one of --lambda and --lambda-ratio.');
    const tol = tolGiven ?? 1e-8;
    const [A, Y] = readProblem(values.operator, values.signals);
    const { solver, checkEvery } = lassoSolvers[solverName](tol);

    const spec: LambdaSpec = lambda !== undefined ? lambda : { ratio: ratio! };
    const problem = lassoProblem(A, Y, spec, 'solve');
    const bar = progressBar(io.stderr, solverName, maxIter);
    const result = runSolver(solver, problem, {
      maxIter,
      tol,
      checkEvery,
      callback: (r) => bar.update(r.iteration, `max gap ${r.maxGap.toExponential(2)}`),
    });
    bar.done();
    writeNpy(out, result.Z);

    return finish(io, values.json, out, {
      solver: solverName,
      iterations: result.iterations,
      meanObjective: result.meanObjective,
      maxGap: result.maxGap,
      seconds: result.seconds,
      converged: result.converged,
    });
  },
};

/** A and Y from their files, with matching sizes. */
function readProblem(operator: string | undefined, signals: string | undefined): [Tensor, Tensor] {
  const A = readMatrix('operator', required('operator', operator));
  const Y = readMatrix('signals', required('signals', signals));
  if (Y.shape[1] !== A.shape[0])
    throw new UsageError(
      `--signals has shape [${Y.shape.join(', ')}] but --operator has ${A.shape[0]} rows: signals must have ${A.shape[0]} columns.`,
    );
  return [A, Y];
}

interface SolveReport {
  solver: string;
  iterations: number;
  meanObjective: number;
  maxGap: number | null;
  seconds: number;
  converged?: boolean;
}

/** Prints the JSON object or the summary line. */
function finish(io: CommandIO, json: boolean, out: string, report: SolveReport): Promise<number> {
  const { converged, ...fields } = report;
  if (json) io.stdout.write(JSON.stringify(fields) + '\n');
  else {
    const gap =
      report.maxGap === null
        ? ''
        : `, max gap ${report.maxGap.toExponential(2)} (${converged ? 'converged' : 'not converged'})`;
    io.stdout.write(
      `${report.solver}: ${report.iterations} iterations, mean objective ${report.meanObjective.toPrecision(8)}${gap}, ` +
        `${report.seconds.toFixed(3)} s; wrote ${out}\n`,
    );
  }
  return Promise.resolve(0);
}
