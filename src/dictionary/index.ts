/**
 * Learned priors: dictionary learning by alternating minimisation, unrolled (deep) dictionary
 * learning and K-SVD; initialisation, the Lasso objective of a dictionary and its analytic
 * gradient, the atom recovery score against a ground truth, and patch-based image denoising.
 *
 * @module
 */
export * from './types.js';
export {
  denoiseImage,
  defaultDenoiseLambda,
  DENOISE_DDL_BATCH,
  DENOISE_DDL_DEPTH,
  DENOISE_ITERATIONS,
  DENOISE_LASSO_TOL,
  type DenoiseMethod,
  type DenoiseOptions,
  type DenoiseResult,
} from './denoise.js';
export { initialDictionary, projectAtoms } from './init.js';
export { dictionaryObjective, dictionaryGradient } from './objective.js';
export { recoveryScore } from './recovery-score.js';
export {
  learnDictionaryAm,
  AM_DEFAULT_ITERATIONS,
  AM_DEFAULT_CODING_TOL,
  AM_DEFAULT_CODING_MAX_ITER,
  type AmOptions,
} from './am.js';
export {
  learnDictionaryKsvd,
  KSVD_DEFAULT_ITERATIONS,
  KSVD_POWER_TOL,
  KSVD_POWER_MAX_ITER,
  KSVD_DUPLICATE,
  type KsvdOptions,
} from './ksvd.js';
export {
  learnDictionaryDdl,
  DDL_DEFAULT_ADAM_LR,
  DDL_DEFAULT_GD_LR,
  DDL_DEFAULT_ITERATIONS,
  type DdlOptions,
  type DdlResult,
} from './ddl.js';
export {
  unrolledDictionaryGradient,
  type UnrolledAlgorithm,
  type UnrolledGradient,
  type UnrolledGradientOptions,
} from './unrolled-gradient.js';
export { dictionaryIstaLayer, type DictionaryStepCache, type DictionaryStepParams } from './unrolled-ista.js';
export {
  gradientErrorByDepth,
  EXACT_GAP_TOL,
  type GradientErrorOptions,
  type GradientErrorResult,
} from './gradient-study.js';
export { fixedPointStudy, type FixedPointOptions, type FixedPointResult } from './fixed-point.js';
