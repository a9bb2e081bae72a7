/**
 * Learned priors: dictionary learning by alternating minimisation, unrolled (deep) dictionary
 * learning and K-SVD; initialisation, the Lasso objective of a dictionary and its analytic
 * gradient, the atom recovery score against a ground truth, and patch-based image denoising.
 *
 * @module
 */
export * from './types.js';
export { denoiseImage, type DenoiseMethod, type DenoiseOptions, type DenoiseResult } from './denoise.js';
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
