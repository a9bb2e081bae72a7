/**
 * Learned priors: dictionary learning by alternating minimisation, unrolled (deep) dictionary
 * learning and K-SVD; initialisation, the Lasso objective of a dictionary and its analytic
 * gradient, and the atom recovery score against a ground truth.
 *
 * @module
 */
export * from './types.js';
