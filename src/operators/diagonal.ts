/**
 * A diagonal operator x -> d .* x (entrywise weights), self-adjoint, norm max |d_i| exactly.
 *
 * @module
 */
import { checkTensor, rangeError } from '../validate/index.js';
import { unsafeData, type Tensor } from '../tensor/tensor.js';
import { defineOperator, exactNorm, type KernelOperator } from './define.js';

/**
 * The diagonal operator diag(d) for a finite, non-empty vector d (n): apply and adjoint both
 * multiply entrywise by d; ||diag(d)|| = max_i |d_i| exactly.
 */
export function diagonalOperator(d: Tensor): KernelOperator {
  const fn = 'diagonalOperator';
  checkTensor(fn, 'd', d, { rank: 1 });
  if (d.size < 1) rangeError(fn, 'd', 'a tensor of rank 1 with at least one entry', d);
  const n = d.size;
  const w = unsafeData(d); // read only
  const multiply = (x: Float64Array, xOffset: number, out: Float64Array, outOffset: number) => {
    for (let i = 0; i < n; i++) out[outOffset + i] = w[i] * x[xOffset + i];
  };
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(w[i]));
  return defineOperator({
    fn,
    name: `diagonal(${n})`,
    inputSize: n,
    outputSize: n,
    applyRow: multiply,
    adjointRow: multiply,
    norm: () => exactNorm(largest),
  });
}
