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
export {
  istaIterations,
  type IstaIterationsOptions,
  type IstaIterationsResult,
} from './backend-iterations.js';
export {
  omp,
  ompInto,
  ompWorkspace,
  OMP_CORRELATION_FLOOR,
  OMP_DEPENDENCE_TOL,
  type OmpOptions,
  type OmpResult,
  type OmpWorkspace,
} from './omp.js';
export {
  coordinateDescent,
  coordinateDescentSolver,
  CD_REFRESH_EVERY,
  CD_GROWTH_FRACTION,
  CD_SYNC_EVERY,
  type CoordinateDescentOptions,
  type CoordinateDescentState,
} from './coordinate-descent.js';
export {
  primalDual,
  primalDualSteps,
  primalDualStepInto,
  analysisL1Instance,
  AnalysisL1Instance,
  PRIMAL_DUAL_STEP_MARGIN,
  type AnalysisL1InstanceOptions,
  type PrimalDualState,
  type PrimalDualSteps,
} from './primal-dual.js';
export {
  istaBacktracking,
  istaBacktrackingSolver,
  type IstaBacktrackingOptions,
  type IstaBacktrackingState,
} from './ista-backtracking.js';
export { fista, fistaRestart, fistaSolver, type FistaOptions, type FistaState } from './fista.js';
export { oracleIsta, type OracleIstaState } from './oracle-ista.js';
