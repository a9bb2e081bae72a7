/**
 * Linear algebra: gemm/gemv kernels, norms, power iteration, Cholesky, and small dense
 * decompositions (symmetric eigen-decomposition and SVD by Jacobi rotations).
 *
 * @module
 */
export * from './gemv.js';
export * from './gemm.js';
export * from './sparse-rows.js';
export * from './norms.js';
export * from './power-iteration.js';
export * from './cholesky.js';
export * from './eig.js';
export * from './hungarian.js';
