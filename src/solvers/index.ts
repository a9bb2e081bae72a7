/**
 * Classical sparse solvers with certified convergence: the Lasso problem, the solver contract,
 * the run loop and the solvers.
 *
 * @module
 */
export * from './types.js';
export { lassoProblem, LassoProblem, type LambdaSpec } from './lasso-problem.js';
export { runSolver, checkRunOptions, type ResolvedRunOptions } from './run.js';
export { lassoCertificate } from './lasso-certificate.js';
export { ista, type IstaState } from './ista.js';
