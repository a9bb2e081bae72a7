/**
 * Composition of linear operators: (A o B) x = A (B x), adjoint B^T (A^T y).
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
  type KernelOperator,
} from './define.js';
import { powerNormEstimate } from './norm.js';

/**
 * The composition A o B: x -> A (B x), from R^(B.inputSize) to R^(A.outputSize); requires
 * A.inputSize = B.outputSize. The intermediate B x lives in a buffer owned by the operator. Norm
 * by power iteration (||A|| ||B|| is only an upper bound).
 */
export function compose(a: LinearOperator, b: LinearOperator): KernelOperator {
  const fn = 'compose';
  checkOperator(fn, 'a', a);
  checkOperator(fn, 'b', b);
  if (b.outputSize !== a.inputSize)
    rangeError(
      fn,
      'b',
      `an operator with outputSize ${a.inputSize} (the inputSize of a)`,
      new Got(`an operator with outputSize ${b.outputSize}`),
    );
  const mid = a.inputSize;
  const applyA = applyKernelOf(a);
  const applyB = applyKernelOf(b);
  const adjointA = adjointKernelOf(a);
  const adjointB = adjointKernelOf(b);
  const work = growableBuffer();
  return defineOperator({
    fn,
    name: `compose(${a.name}, ${b.name})`,
    inputSize: b.inputSize,
    outputSize: a.outputSize,
    applyBatch: (x, batch, out) => {
      const t = work(batch * mid);
      applyB(x, batch, t);
      applyA(t, batch, out);
    },
    adjointBatch: (y, batch, out) => {
      const t = work(batch * mid);
      adjointA(y, batch, t);
      adjointB(t, batch, out);
    },
    norm: powerNormEstimate,
  });
}
