/**
 * Matrix-vector products on raw row-major Float64 buffers (the `*Into` kernels) and on tensors.
 *
 * @module
 */
import { checkSameSize, checkTensor } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';

/** out[i] = sum_j A[i, j] x[j] for a row-major (rows x cols) matrix A. Writes `out` only. */
export function gemvInto(
  a: Float64Array,
  rows: number,
  cols: number,
  x: Float64Array,
  out: Float64Array,
): void {
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let s0 = 0;
    let s1 = 0;
    let j = 0;
    for (; j + 1 < cols; j += 2) {
      s0 += a[base + j] * x[j];
      s1 += a[base + j + 1] * x[j + 1];
    }
    if (j < cols) s0 += a[base + j] * x[j];
    out[i] = s0 + s1;
  }
}

/** out[j] = sum_i A[i, j] x[i] (the transposed product, row-major A read row by row). */
export function gemvTInto(
  a: Float64Array,
  rows: number,
  cols: number,
  x: Float64Array,
  out: Float64Array,
): void {
  out.fill(0, 0, cols);
  for (let i = 0; i < rows; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const base = i * cols;
    for (let j = 0; j < cols; j++) out[j] += a[base + j] * xi;
  }
}

/** A x for a matrix A (n, m) and a vector x (m): a vector (n). */
export function matvec(a: Tensor, x: Tensor): Tensor {
  checkTensor('matvec', 'a', a, { rank: 2 });
  checkTensor('matvec', 'x', x, { rank: 1 });
  const [rows, cols] = a.shape;
  checkSameSize('matvec', 'x', x.shape[0], cols, 'a vector of length');
  const out = new Float64Array(rows);
  gemvInto(unsafeData(a), rows, cols, unsafeData(x), out);
  return wrap(out, [rows]);
}

/** A^T x for a matrix A (n, m) and a vector x (n): a vector (m). */
export function matvecT(a: Tensor, x: Tensor): Tensor {
  checkTensor('matvecT', 'a', a, { rank: 2 });
  checkTensor('matvecT', 'x', x, { rank: 1 });
  const [rows, cols] = a.shape;
  checkSameSize('matvecT', 'x', x.shape[0], rows, 'a vector of length');
  const out = new Float64Array(cols);
  gemvTInto(unsafeData(a), rows, cols, unsafeData(x), out);
  return wrap(out, [cols]);
}
