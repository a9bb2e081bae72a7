/**
 * Learned priors: dictionary learning by alternating minimisation, unrolled (deep) dictionary
 * learning and K-SVD; initialisation, the Lasso objective of a dictionary and its analytic
 * gradient, the atom recovery score against a ground truth, and patch-based image denoising.
 *
 * @module
 */
export * from './types.js';
export { denoiseImage, type DenoiseMethod, type DenoiseOptions, type DenoiseResult } from './denoise.js';
