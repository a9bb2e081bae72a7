/**
 * The forward model A of an objective, given either as a dense matrix (a Tensor (n, m), atoms as
 * columns) or as any {@link LinearOperator} (outputSize n, inputSize m), and the two batch products
 * the objectives need: the residual R = Y - Z A^T and the correlation C = R A, one sample per row.
 *
 * Both kinds go through the same two functions, so every objective has one code path. A dense A
 * uses the blocked GEMM, or the support-aware product when the codes are sparse (solver iterates
 * are); an operator uses its own batch `apply` / `adjoint`.
 *
 * @module
 */
import { checkTensor, rangeError, typeError } from '../validate/index.js';
import { Tensor, unsafeData, wrap } from '../tensor/tensor.js';
import { gemmInto } from '../linalg/gemm.js';
import { sparseRowsTimesTInto } from '../linalg/sparse-rows.js';
import type { LinearOperator } from '../operators/types.js';

/** A forward model: a dense matrix A (n, m) or a linear operator from R^m to R^n. */
export type ForwardModel = Tensor | LinearOperator;

/** Sizes of a checked forward model: signals of length n, codes of length m. */
export interface ModelSizes {
  /** Length of a signal y (rows of A, outputSize of an operator). */
  n: number;
  /** Length of a code z (columns of A, inputSize of an operator). */
  m: number;
}

/**
 * Below this fraction of non-zeros in the codes, Z A^T uses the support-aware product: it does
 * nnz(Z) * n multiply-adds against N * m * n for GEMM, which runs a few times faster per flop.
 */
const SPARSE_FRACTION = 1 / 8;

/** Whether a value has the shape of a {@link LinearOperator} (sizes and the three methods). */
export function isLinearOperator(value: unknown): value is LinearOperator {
  if (value === null || typeof value !== 'object') return false;
  const op = value as Partial<Record<keyof LinearOperator, unknown>>;
  return (
    Number.isInteger(op.inputSize) &&
    Number.isInteger(op.outputSize) &&
    typeof op.apply === 'function' &&
    typeof op.adjoint === 'function' &&
    typeof op.norm === 'function'
  );
}

/** Checks that `value` is a {@link LinearOperator} (TypeError otherwise). */
export function checkOperator(fn: string, name: string, value: unknown): LinearOperator {
  if (!isLinearOperator(value)) typeError(fn, name, 'a LinearOperator', value);
  return value;
}

/**
 * Checks a forward model: a finite rank-2 tensor or a {@link LinearOperator}; returns its sizes.
 * A tensor of another rank is a RangeError, anything else a TypeError.
 */
export function checkForwardModel(fn: string, name: string, a: unknown): ModelSizes {
  if (a instanceof Tensor) {
    if (a.rank !== 2) rangeError(fn, name, 'a tensor of rank 2 or a LinearOperator', a);
    checkTensor(fn, name, a, { rank: 2 });
    return { n: a.shape[0], m: a.shape[1] };
  }
  if (!isLinearOperator(a)) typeError(fn, name, 'a tensor of rank 2 or a LinearOperator', a);
  return { n: a.outputSize, m: a.inputSize };
}

/** Number of non-zero entries of `z[0 .. length)`. */
function countNonZeros(z: Float64Array, length: number): number {
  let count = 0;
  for (let k = 0; k < length; k++) if (z[k] !== 0) count++;
  return count;
}

/**
 * A fresh buffer (N x n, row-major) holding R = Y - Z A^T for signals Y (N, n) and codes Z (N, m).
 * Unchecked: the caller has checked the shapes. Never writes into Y, Z or anything A returns.
 */
export function residualRows(a: ForwardModel, y: Tensor, z: Tensor): Float64Array {
  const [N, n] = y.shape;
  const m = z.shape[1];
  const yd = unsafeData(y);
  const zd = unsafeData(z);
  let r: Float64Array;
  if (a instanceof Tensor) {
    r = new Float64Array(N * n);
    const ad = unsafeData(a);
    if (countNonZeros(zd, N * m) <= SPARSE_FRACTION * N * m) sparseRowsTimesTInto(zd, N, m, ad, n, r);
    else gemmInto(zd, ad, r, N, m, n, false, true);
    for (let k = 0; k < r.length; k++) r[k] = yd[k] - r[k];
  } else {
    // The operator's output may be shared (an identity may return its input): read it, copy out.
    const az = unsafeData(a.apply(z));
    r = new Float64Array(N * n);
    for (let k = 0; k < r.length; k++) r[k] = yd[k] - az[k];
  }
  return r;
}

/**
 * C = R A (N x m), one row A^T r_i per sample, for a row-major buffer R (N x n). The result is
 * read-only for the caller (for an operator it is whatever `adjoint` returned). Unchecked.
 */
export function correlationRows(a: ForwardModel, r: Float64Array, N: number, sizes: ModelSizes): Tensor {
  const { n, m } = sizes;
  if (a instanceof Tensor) {
    const c = new Float64Array(N * m);
    gemmInto(r, unsafeData(a), c, N, n, m, false, false);
    return wrap(c, [N, m]);
  }
  return a.adjoint(wrap(r, [N, n]));
}
