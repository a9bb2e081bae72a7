/**
 * A scaled operator c A.
 *
 * @module
 */
import { checkNumber } from '../validate/index.js';
import type { LinearOperator } from './types.js';
import { adjointKernelOf, applyKernelOf, checkOperator, defineOperator, type BatchKernel } from './define.js';
import type { KernelOperator } from './define.js';

/** out = c * kernel(x). */
function scaled(kernel: BatchKernel, c: number, outSize: number): BatchKernel {
  return (x, batch, out) => {
    kernel(x, batch, out);
    const length = batch * outSize;
    for (let i = 0; i < length; i++) out[i] *= c;
  };
}

/**
 * The operator c A for a finite number c; adjoint c A^T. Its norm is |c| ||A|| with A's
 * exactness and relative tolerance (both scale exactly).
 */
export function scaleOperator(a: LinearOperator, c: number): KernelOperator {
  const fn = 'scaleOperator';
  checkOperator(fn, 'a', a);
  checkNumber(fn, 'c', c);
  return defineOperator({
    fn,
    name: `${c} * ${a.name}`,
    inputSize: a.inputSize,
    outputSize: a.outputSize,
    applyBatch: scaled(applyKernelOf(a), c, a.outputSize),
    adjointBatch: scaled(adjointKernelOf(a), c, a.inputSize),
    norm: () => {
      const { value, exact, tolerance } = a.norm();
      return { value: Math.abs(c) * value, exact, tolerance };
    },
  });
}
