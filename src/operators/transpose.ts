/**
 * The adjoint A^T of an operator as an operator in its own right (apply and adjoint swapped).
 *
 * @module
 */
import type { LinearOperator } from './types.js';
import {
  adjointKernelOf,
  applyKernelOf,
  checkOperator,
  defineOperator,
  type KernelOperator,
} from './define.js';

/** A^T: apply is A's adjoint and adjoint is A's apply; same norm estimate as A (||A^T|| = ||A||). */
export function transposeOperator(a: LinearOperator): KernelOperator {
  const fn = 'transposeOperator';
  checkOperator(fn, 'a', a);
  return defineOperator({
    fn,
    name: `transpose(${a.name})`,
    inputSize: a.outputSize,
    outputSize: a.inputSize,
    applyBatch: adjointKernelOf(a),
    adjointBatch: applyKernelOf(a),
    norm: () => a.norm(),
  });
}
