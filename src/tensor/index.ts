/**
 * Immutable Float64 tensors: the type, constructors, views, arithmetic, reductions, comparison
 * and ndarray interop.
 *
 * @module
 */
export { Tensor, shapeSize, type Mutators, type ReadonlyFloat64Array, type Shape } from './tensor.js';
export * from './create.js';
export * from './views.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './compare.js';
export * from './ndarray.js';
