/**
 * unfolded: sparse inverse problems and learning to solve them.
 *
 * The public API, re-exports only. The GPU backend is a separate entry (`unfolded/gpu`) so that
 * this one never loads gpu.js; the command-line tool is `unfolded` (see the README).
 *
 * @module
 */
export * from './tensor/index.js';
export * from './linalg/index.js';
export * from './backend/index.js';
export * from './random/index.js';
export * from './io/index.js';
export * from './prox/index.js';
export * from './operators/index.js';
export * from './problems/index.js';
export * from './solvers/index.js';
export * from './unrolled/index.js';
export * from './train/index.js';
export * from './data/index.js';
export * from './dictionary/index.js';
export * from './metrics/index.js';
export * as validate from './validate/index.js';
