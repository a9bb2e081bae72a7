/**
 * Objectives of the inverse problems: the synthesis Lasso (value, gradient, lambdaMax, duality
 * gap), the Lipschitz constant of its smooth part, and the analysis-l1 problem (value and
 * primal-dual gap).
 *
 * @module
 */
export type { Lambda } from './lambda.js';
export type { ForwardModel } from './forward-model.js';
export type { BatchObjective, DualityGap } from './report.js';
export {
  lambdaMax,
  lassoDualityGap,
  lassoGapInto,
  lassoGradient,
  lassoObjective,
  lassoObjectiveInto,
  type LassoDualityGap,
} from './lasso.js';
export { lipschitzConstant, type LipschitzEstimate, type LipschitzOptions } from './lipschitz.js';
export {
  AnalysisL1Problem,
  analysisL1DualityGap,
  analysisL1FeasibleDual,
  analysisL1Objective,
  analysisL1PrimalFromDual,
  analysisL1Problem,
} from './analysis-l1.js';
