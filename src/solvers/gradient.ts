/**
 * The smooth part of the Lasso on a batch: the residual Z A^T - Y and the gradient
 * (Z A^T - Y) A, by the cheapest route for the sparsity of the codes. Shared by the solvers and
 * their certificates.
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import { sparseRowsTimesInto, sparseRowsTimesTInto } from '../linalg/sparse-rows.js';
import { unsafeData } from '../tensor/tensor.js';
import type { LassoProblem } from './lasso-problem.js';

/** Fraction of non-zeros under which Z A^T uses the support-aware product. */
const SPARSE_PRODUCT_DENSITY = 0.25;

/**
 * out = Z A^T - Y (the residual with the gradient's sign), choosing the support-aware product for
 * sparse codes (`sparse`, counted here unless the caller already knows). Writes `out` (N x n) only.
 */
export function forwardMinusYInto(
  problem: LassoProblem,
  z: Float64Array,
  out: Float64Array,
  sparse = countNonZeros(z, z.length) < SPARSE_PRODUCT_DENSITY * z.length,
): void {
  const { N, n } = problem;
  timesAtInto(problem, z, N, sparse, out);
  const y = unsafeData(problem.Y);
  for (let k = 0; k < N * n; k++) out[k] -= y[k];
}

/**
 * The gradient of the smooth part at codes z, grad = (Z A^T - Y) A (N x m), by the cheaper of two
 * routes: through A (Z A^T, support-aware when Z is sparse, then a product with A: about
 * nnz(Z) n + N n m operations) or through the Gram matrix, grad = Z G - Y A with G = A^T A and
 * Y A cached by the problem (about nnz(Z) m operations when Z is sparse, N m^2 when dense). For
 * sparse codes the Gram route skips the dense N n m product entirely. `residual` (N x n) is
 * scratch for the first route. Writes `grad` (and `residual`) only; returns true when the first
 * route ran and `residual` holds Z A^T - Y (so a caller that also needs it need not recompute).
 */
export function lassoGradientInto(
  problem: LassoProblem,
  z: Float64Array,
  residual: Float64Array,
  grad: Float64Array,
): boolean {
  const { N, n, m } = problem;
  const nnz = countNonZeros(z, z.length);
  const sparse = nnz < SPARSE_PRODUCT_DENSITY * z.length;
  const throughA = (sparse ? nnz * n : N * m * n) + N * n * m;
  const throughGram = sparse ? nnz * m : N * m * m;
  if (throughGram < throughA) {
    const g = unsafeData(problem.gram);
    if (sparse) sparseRowsTimesInto(z, N, m, g, m, grad);
    else gemmInto(z, g, grad, N, m, m, false, false);
    const ya = unsafeData(problem.YA);
    for (let k = 0; k < N * m; k++) grad[k] -= ya[k];
    return false;
  }
  forwardMinusYInto(problem, z, residual, sparse);
  gemmInto(residual, unsafeData(problem.A), grad, N, n, m, false, false);
  return true;
}

/**
 * out (count x n) = rows (count x m) A^T for the first `count` rows of `rows`, skipping zeros when
 * the rows are sparse. Writes `out` only.
 */
export function rowsTimesAtInto(
  problem: LassoProblem,
  rows: Float64Array,
  count: number,
  out: Float64Array,
): void {
  const size = count * problem.m;
  timesAtInto(problem, rows, count, countNonZeros(rows, size) < SPARSE_PRODUCT_DENSITY * size, out);
}

function timesAtInto(
  problem: LassoProblem,
  rows: Float64Array,
  count: number,
  sparse: boolean,
  out: Float64Array,
): void {
  const { n, m } = problem;
  const a = unsafeData(problem.A);
  if (sparse) sparseRowsTimesTInto(rows, count, m, a, n, out);
  else gemmInto(rows, a, out, count, m, n, false, true);
}

/** Non-zeros among the first `size` entries. */
function countNonZeros(z: Float64Array, size: number): number {
  let nnz = 0;
  for (let k = 0; k < size; k++) if (z[k] !== 0) nnz++;
  return nnz;
}
