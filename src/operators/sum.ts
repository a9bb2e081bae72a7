/**
 * Sum of two linear operators of the same shape: (A + B) x = A x + B x.
 *
 * @module
 */
import { Got, rangeError } from '../validate/index.js';
import type { LinearOperator } from './types.js';
import {
  adjointKernelOf,
  applyKernelOf,
  checkOperator,
  defineOperator,
  growableBuffer,
  type BatchKernel,
} from './define.js';
import type { KernelOperator } from './define.js';
import { powerNormEstimate } from './norm.js';

/** out = first(x) + second(x), the second result going through the work buffer. */
function added(first: BatchKernel, second: BatchKernel, outSize: number): BatchKernel {
  const work = growableBuffer();
  return (x, batch, out) => {
    const length = batch * outSize;
    const t = work(length);
    first(x, batch, out);
    second(x, batch, t);
    for (let i = 0; i < length; i++) out[i] += t[i];
  };
}

/**
 * The sum A + B of two operators of the same shape (outputSize, inputSize); adjoint A^T + B^T.
 * Named so as not to clash with the tensor `sum`. Norm by power iteration.
 */
export function sumOperators(a: LinearOperator, b: LinearOperator): KernelOperator {
  const fn = 'sumOperators';
  checkOperator(fn, 'a', a);
  checkOperator(fn, 'b', b);
  if (a.outputSize !== b.outputSize || a.inputSize !== b.inputSize)
    rangeError(
      fn,
      'b',
      `an operator of shape [${a.outputSize}, ${a.inputSize}] (the shape of a)`,
      new Got(`an operator of shape [${b.outputSize}, ${b.inputSize}]`),
    );
  return defineOperator({
    fn,
    name: `sum(${a.name}, ${b.name})`,
    inputSize: a.inputSize,
    outputSize: a.outputSize,
    applyBatch: added(applyKernelOf(a), applyKernelOf(b), a.outputSize),
    adjointBatch: added(adjointKernelOf(a), adjointKernelOf(b), a.inputSize),
    norm: powerNormEstimate,
  });
}
