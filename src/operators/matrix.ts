/**
 * A dense matrix A (n, m) as a LinearOperator: y = A x. Batches use the blocked GEMM of
 * linalg/gemm.ts (Y = X A^T, and X = Y A for the adjoint), single signals the matrix-vector
 * kernels; the two sum in different orders, so a batch row and the same signal alone agree to
 * rounding, not bit for bit.
 *
 * @module
 */
import { checkTensor, rangeError } from '../validate/index.js';
import { unsafeData, type Tensor } from '../tensor/tensor.js';
import { gemmInto } from '../linalg/gemm.js';
import { gemvInto, gemvTInto } from '../linalg/gemv.js';
import { defineOperator, type KernelOperator } from './define.js';
import type { LinearOperator, NormEstimate } from './types.js';
import { powerNormEstimate } from './norm.js';

/** A LinearOperator backed by an explicit matrix, which it exposes. */
export interface MatrixOperator extends KernelOperator {
  /** The matrix A (outputSize, inputSize); read-only like every tensor. */
  readonly matrix: Tensor;
}

/** Checks a matrix argument: a finite rank-2 tensor with at least one row and one column. */
export function checkMatrix(fn: string, name: string, a: unknown): Tensor {
  const t = checkTensor(fn, name, a, { rank: 2 });
  if (t.shape[0] < 1 || t.shape[1] < 1)
    rangeError(fn, name, 'a tensor of rank 2 with at least one row and one column', t);
  return t;
}

/**
 * The operator of a checked matrix, with the given names and norm (default: power iteration);
 * shared with the sensing operators.
 */
export function denseOperator(
  fn: string,
  name: string,
  a: Tensor,
  norm: (self: LinearOperator) => NormEstimate = powerNormEstimate,
): MatrixOperator {
  const [n, m] = a.shape;
  const data = unsafeData(a); // read only
  const op = defineOperator({
    fn,
    name,
    inputSize: m,
    outputSize: n,
    applyBatch: (x, batch, out) => {
      if (batch === 1) gemvInto(data, n, m, x, out);
      else gemmInto(x, data, out, batch, m, n, false, true);
    },
    adjointBatch: (y, batch, out) => {
      if (batch === 1) gemvTInto(data, n, m, y, out);
      else gemmInto(y, data, out, batch, n, m, false, false);
    },
    norm,
  });
  return Object.freeze({ ...op, matrix: a });
}

/**
 * The dense operator of a matrix A (n, m): outputSize n, inputSize m, apply x -> A x (batch
 * X -> X A^T), adjoint y -> A^T y (batch Y -> Y A). The matrix is kept, not copied (tensors are
 * immutable), and exposed as `matrix`. The norm is a power-iteration estimate (`exact: false`,
 * tolerance as stated by `normOfOperator`, default 1e-10).
 */
export function matrixOperator(a: Tensor): MatrixOperator {
  const t = checkMatrix('matrixOperator', 'a', a);
  return denseOperator('matrixOperator', `matrix(${t.shape[0]}x${t.shape[1]})`, t);
}
