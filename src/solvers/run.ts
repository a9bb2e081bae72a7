/**
 * The one run loop shared by every iterative solver: iterate, certify every `checkEvery`
 * iterations, report to the callback, stop on the gap tolerance, the cap, or the callback.
 *
 * @module
 */
import { checkInteger, checkNumber, typeError } from '../validate/index.js';
import { wrap } from '../tensor/tensor.js';
import type { Certificate, IterativeSolver, RunOptions, SolveResult, SolverState } from './types.js';

/** Checked run options with defaults. */
export interface ResolvedRunOptions {
  maxIter: number;
  tol: number;
  checkEvery: number;
  callback: RunOptions['callback'];
}

/** Checks run options (messages name the solver). */
export function checkRunOptions(fn: string, options: RunOptions): ResolvedRunOptions {
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const callback = options.callback;
  if (callback !== undefined && typeof callback !== 'function')
    typeError(fn, 'callback', 'a function', callback);
  return {
    // Only a missing option takes the default: null is a mistake, reported as such.
    maxIter: checkInteger(fn, 'maxIter', options.maxIter === undefined ? 1000 : options.maxIter, { min: 0 }),
    tol: checkNumber(fn, 'tol', options.tol === undefined ? 1e-8 : options.tol, { min: 0 }),
    checkEvery: checkInteger(fn, 'checkEvery', options.checkEvery === undefined ? 1 : options.checkEvery, {
      min: 1,
    }),
    callback,
  };
}

/**
 * Runs `solver` on `problem` from its init (or the warm start) until every sample's gap is <= tol,
 * `maxIter` iterations, or the callback returns false. A non-finite certificate stops the run with
 * an Error that says at which iteration the iterates stopped being finite.
 */
export function runSolver<P, S extends SolverState>(
  solver: IterativeSolver<P, S>,
  problem: P,
  runOptions: RunOptions = {},
): SolveResult {
  const options = { ...checkRunOptions(solver.name, runOptions), warmStart: runOptions.warmStart };
  const start = performance.now();
  let state = solver.init(problem, options.warmStart);
  let cert: Certificate = certify(solver, problem, state);
  let stopped = report(options, state.iteration, cert, start) === false;
  while (!stopped && !(cert.maxGap <= options.tol) && state.iteration < options.maxIter) {
    state = solver.step(problem, state);
    const due = state.iteration % options.checkEvery === 0 || state.iteration === options.maxIter;
    if (!due) continue;
    cert = certify(solver, problem, state);
    stopped = report(options, state.iteration, cert, start) === false;
  }
  if (state.iteration % options.checkEvery !== 0) cert = certify(solver, problem, state);
  return {
    solver: solver.name,
    Z: solver.solution(problem, state),
    iterations: state.iteration,
    converged: cert.maxGap <= options.tol,
    meanObjective: cert.meanObjective,
    maxGap: cert.maxGap,
    meanGap: cert.meanGap,
    gaps: wrap(cert.gaps, [cert.gaps.length]),
    seconds: (performance.now() - start) / 1000,
  };
}

function certify<P, S extends SolverState>(solver: IterativeSolver<P, S>, problem: P, state: S): Certificate {
  const cert = solver.certificate(problem, state);
  if (!Number.isFinite(cert.meanObjective) || Number.isNaN(cert.maxGap)) {
    throw new Error(
      `${solver.name}: the iterates became non-finite at iteration ${state.iteration} (objective ${cert.meanObjective}); ` +
        'check the step size and the scale of the data.',
    );
  }
  return cert;
}

function report(
  options: ResolvedRunOptions,
  iteration: number,
  cert: Certificate,
  start: number,
): void | boolean {
  return options.callback?.({
    iteration,
    meanObjective: cert.meanObjective,
    maxGap: cert.maxGap,
    meanGap: cert.meanGap,
    seconds: (performance.now() - start) / 1000,
  });
}
