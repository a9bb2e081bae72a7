/**
 * The identity operator on R^n: a copy in both directions, norm exactly 1.
 *
 * @module
 */
import { checkInteger } from '../validate/index.js';
import { defineOperator, exactNorm, type KernelOperator } from './define.js';

/** The identity I_n (n >= 1): apply and adjoint return copies; ||I|| = 1 exactly. */
export function identityOperator(n: number): KernelOperator {
  checkInteger('identityOperator', 'n', n, { min: 1 });
  const copy = (x: Float64Array, batch: number, out: Float64Array) => {
    out.set(x.subarray(0, batch * n));
  };
  return defineOperator({
    fn: 'identityOperator',
    name: `identity(${n})`,
    inputSize: n,
    outputSize: n,
    applyBatch: copy,
    adjointBatch: copy,
    norm: () => exactNorm(1),
  });
}
