/**
 * Interop with the `ndarray` ecosystem (scijs): ndarray-ops, ndarray-linear-solve, image I/O.
 *
 * @module
 */
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { typeError } from '../validate/index.js';
import { checkShape } from '../validate/index.js';
import { unsafeData, wrap, type Tensor, shapeSize } from './tensor.js';

/**
 * A contiguous tensor copied from any ndarray (any strides, offset or element type); the
 * ndarray can be changed afterwards without touching the tensor.
 */
export function fromNdarray(array: ndarray.NdArray): Tensor {
  const ok =
    array !== null && typeof array === 'object' && Array.isArray(array.shape) && Array.isArray(array.stride);
  if (!ok) typeError('fromNdarray', 'array', 'an ndarray', array);
  const shape = array.shape.slice();
  checkShape('fromNdarray', 'array.shape', shape);
  const out = new Float64Array(shapeSize(shape));
  if (out.length > 0) ops.assign(ndarray(out, shape), array);
  return wrap(out, shape);
}

/**
 * An ndarray view over the tensor's buffer (no copy). Treat it as read-only: the tensor shares
 * the memory, and writing into the view would change an immutable tensor.
 */
export function toNdarray(t: Tensor): ndarray.NdArray<Float64Array> {
  return ndarray(unsafeData(t), t.shape.slice());
}
