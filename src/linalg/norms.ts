/**
 * Vector norms and inner products: raw kernels on Float64 buffers and checked functions on tensors.
 *
 * For a tensor of any rank the norms are *entrywise*: `norm2` is the l2 norm of a vector and the
 * Frobenius norm of a matrix, `norm1` the sum of absolute entries, `normInf` the largest absolute
 * entry. Induced matrix norms are not here; the spectral norm ||A||_2 is in power-iteration.ts.
 * The row-wise versions treat a rank-2 tensor as a batch of row vectors (DESIGN: batches are rows).
 *
 * @module
 */
import { checkTensor, rangeError } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';

/**
 * A sum of squares at or below this may have lost digits to underflow (squares of entries below
 * ~1e-154 are subnormal or zero); such sums, and overflowed ones, are recomputed with scaling.
 */
const SMALL_SUM_OF_SQUARES = 1e-280;

/**
 * The l2 norm of `x[offset .. offset + length)`, without spurious overflow or underflow.
 *
 * The fast path is a plain sum of squares (two accumulators); when that sum overflowed, or is so
 * small that underflow may have eaten digits, the norm is recomputed as `amax * ||x / amax||`.
 * NaN entries give NaN, infinite entries (and no NaN) give Infinity. Reads `x` only.
 */
export function norm2Raw(x: Float64Array, offset: number, length: number): number {
  const end = offset + length;
  let s0 = 0;
  let s1 = 0;
  let i = offset;
  for (; i + 1 < end; i += 2) {
    const a = x[i];
    const b = x[i + 1];
    s0 += a * a;
    s1 += b * b;
  }
  if (i < end) s0 += x[i] * x[i];
  const s = s0 + s1;
  if (s > SMALL_SUM_OF_SQUARES && s < Infinity) return Math.sqrt(s);
  return scaledNorm2(x, offset, end);
}

/**
 * The careful path of {@link norm2Raw}: scale by a power of two near the largest magnitude before
 * squaring. Power-of-two scaling is exact, so norm2(2^k x) = 2^k norm2(x) bit for bit whenever no
 * entry is pushed out of the normal range.
 */
function scaledNorm2(x: Float64Array, start: number, end: number): number {
  let amax = 0;
  for (let i = start; i < end; i++) {
    const a = Math.abs(x[i]);
    if (Number.isNaN(a)) return NaN;
    if (a > amax) amax = a;
  }
  if (amax === 0 || amax === Infinity) return amax;
  const k = Math.floor(Math.log2(amax)); // off by one near powers of two does not matter
  // 2^-k in two factors: 2^1074 itself overflows for subnormal amax.
  const c1 = 2 ** Math.trunc(-k / 2);
  const c2 = 2 ** (-k - Math.trunc(-k / 2));
  let s0 = 0;
  let s1 = 0;
  let i = start;
  for (; i + 1 < end; i += 2) {
    const a = x[i] * c1 * c2;
    const b = x[i + 1] * c1 * c2;
    s0 += a * a;
    s1 += b * b;
  }
  if (i < end) {
    const a = x[i] * c1 * c2;
    s0 += a * a;
  }
  return Math.sqrt(s0 + s1) / c1 / c2;
}

/** The l1 norm (sum of absolute values) of `x[offset .. offset + length)`. Reads `x` only. */
export function norm1Raw(x: Float64Array, offset: number, length: number): number {
  const end = offset + length;
  let s = 0;
  for (let i = offset; i < end; i++) s += Math.abs(x[i]);
  return s;
}

/**
 * The l-infinity norm (largest absolute value) of `x[offset .. offset + length)`; 0 when empty,
 * NaN when any entry is NaN. Reads `x` only.
 */
export function normInfRaw(x: Float64Array, offset: number, length: number): number {
  const end = offset + length;
  let m = 0;
  for (let i = offset; i < end; i++) {
    const a = Math.abs(x[i]);
    if (a > m) m = a;
    else if (a !== a) return NaN; // a NaN never compares greater, so it must be caught here
  }
  return m;
}

/** The inner product of `a[aOffset ..]` and `b[bOffset ..]` over `length` entries. Reads only. */
export function dotRaw(
  a: Float64Array,
  aOffset: number,
  b: Float64Array,
  bOffset: number,
  length: number,
): number {
  let s0 = 0;
  let s1 = 0;
  let k = 0;
  for (; k + 1 < length; k += 2) {
    s0 += a[aOffset + k] * b[bOffset + k];
    s1 += a[aOffset + k + 1] * b[bOffset + k + 1];
  }
  if (k < length) s0 += a[aOffset + k] * b[bOffset + k];
  return s0 + s1;
}

/** out[i] = ||A[i, :]||_2 for a row-major (rows x cols) matrix A. Writes `out` only. */
export function rowNorms2Into(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let i = 0; i < rows; i++) out[i] = norm2Raw(a, i * cols, cols);
}

/** out[i] = ||A[i, :]||_1 for a row-major (rows x cols) matrix A. Writes `out` only. */
export function rowNorms1Into(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let i = 0; i < rows; i++) out[i] = norm1Raw(a, i * cols, cols);
}

/** out[i] = ||A[i, :]||_inf for a row-major (rows x cols) matrix A. Writes `out` only. */
export function rowNormsInfInto(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let i = 0; i < rows; i++) out[i] = normInfRaw(a, i * cols, cols);
}

/**
 * The l2 norm of all entries: the Euclidean norm of a vector, the Frobenius norm of a matrix.
 * Computed without spurious overflow or underflow (see {@link norm2Raw}).
 */
export function norm2(x: Tensor): number {
  checkTensor('norm2', 'x', x);
  return norm2Raw(unsafeData(x), 0, x.size);
}

/** The Frobenius norm sqrt(sum of squared entries); the same number as {@link norm2}. */
export function frobenius(x: Tensor): number {
  checkTensor('frobenius', 'x', x);
  return norm2Raw(unsafeData(x), 0, x.size);
}

/** The entrywise l1 norm: the sum of absolute entries (for a matrix, not the induced 1-norm). */
export function norm1(x: Tensor): number {
  checkTensor('norm1', 'x', x);
  return norm1Raw(unsafeData(x), 0, x.size);
}

/** The entrywise l-infinity norm: the largest absolute entry (0 for an empty tensor). */
export function normInf(x: Tensor): number {
  checkTensor('normInf', 'x', x);
  return normInfRaw(unsafeData(x), 0, x.size);
}

/**
 * The inner product sum_k a_k b_k of two tensors of the same shape (for matrices, the Frobenius
 * inner product trace(A^T B)).
 */
export function dot(a: Tensor, b: Tensor): number {
  checkTensor('dot', 'a', a);
  checkTensor('dot', 'b', b);
  const same = a.rank === b.rank && a.shape.every((d, i) => d === b.shape[i]);
  if (!same) rangeError('dot', 'b', `a tensor of the shape of 'a', [${a.shape.join(', ')}]`, b);
  return dotRaw(unsafeData(a), 0, unsafeData(b), 0, a.size);
}

/** Applies a row kernel to a checked rank-2 tensor and wraps the result as a vector (N). */
function rowWise(
  fn: string,
  x: Tensor,
  kernel: (a: Float64Array, rows: number, cols: number, out: Float64Array) => void,
): Tensor {
  checkTensor(fn, 'x', x, { rank: 2 });
  const [rows, cols] = x.shape;
  const out = new Float64Array(rows);
  kernel(unsafeData(x), rows, cols, out);
  return wrap(out, [rows]);
}

/** The l2 norm of each row of a batch X (N, n): a vector (N). */
export function rowNorms2(x: Tensor): Tensor {
  return rowWise('rowNorms2', x, rowNorms2Into);
}

/** The l1 norm of each row of a batch X (N, n): a vector (N). */
export function rowNorms1(x: Tensor): Tensor {
  return rowWise('rowNorms1', x, rowNorms1Into);
}

/** The l-infinity norm of each row of a batch X (N, n): a vector (N). */
export function rowNormsInf(x: Tensor): Tensor {
  return rowWise('rowNormsInf', x, rowNormsInfInto);
}
