/**
 * Cholesky factorisation A = L L^T of a symmetric positive-definite matrix, triangular solves, and
 * the O(k^2) extension of a factor by one row and column (for Gram matrices grown one atom at a
 * time, as in OMP).
 *
 * Storage: L is lower triangular, row-major. The raw kernels take a row stride `ld` (leading
 * dimension) so that a k x k factor can live in the top-left corner of a preallocated
 * capacity x capacity buffer (ld = capacity) and grow in place with {@link choleskyAppendInPlace};
 * they never read or write entries above the diagonal. The tensor functions return L with explicit
 * zeros above the diagonal.
 *
 * Right-hand sides are rows (DESIGN: batches are rows): B (N, n) gives X (N, n) with A x_i = b_i.
 *
 * @module
 */
import { checkNumber, checkSameSize, checkTensor, Got, rangeError } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';

/**
 * Relative asymmetry accepted by {@link cholesky} and eigSym: |a_ij - a_ji| <= SYMMETRY_TOL * max|a|.
 * sqrt(eps) tolerates rounding from products computed in different orders and catches real asymmetry.
 */
export const SYMMETRY_TOL = Math.sqrt(Number.EPSILON);

/**
 * @internal Throws a RangeError unless the square row-major matrix `a` (n x n) is symmetric to
 * {@link SYMMETRY_TOL} relative to its largest entry.
 */
export function checkSymmetric(fn: string, name: string, a: Float64Array, n: number): void {
  let amax = 0;
  for (let k = 0; k < n * n; k++) amax = Math.max(amax, Math.abs(a[k]));
  const limit = SYMMETRY_TOL * amax;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const x = a[i * n + j];
      const y = a[j * n + i];
      if (Math.abs(x - y) > limit) {
        rangeError(fn, name, 'a symmetric matrix', new Got(`a[${i}][${j}] = ${x} but a[${j}][${i}] = ${y}`));
      }
    }
  }
}

/**
 * Cholesky factorisation of the row-major n x n matrix `a`, reading its lower triangle only, into
 * `l` (may be the same buffer as `a`: in place). Both use row stride n. Writes the lower triangle of
 * `l` and zeros above it.
 *
 * Returns -1 on success, or the index k of the first pivot a_kk - sum_(j<k) l_kj^2 that is not
 * > 0 (the leading (k+1) x (k+1) minor is not positive definite); that pivot value is then left in
 * l[k][k] and rows after k are unspecified.
 */
export function choleskyInto(a: Float64Array, n: number, l: Float64Array): number {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
      if (i === j) {
        if (!(s > 0)) {
          l[ri + i] = s;
          return i;
        }
        l[ri + i] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j];
      }
    }
    for (let j = i + 1; j < n; j++) l[ri + j] = 0;
  }
  return -1;
}

/**
 * Solves L y = x in place for the lower-triangular n x n factor `l` (row stride `ld`), where x is
 * `x[offset .. offset + n)`. Reads the lower triangle of `l` only; writes that slice of `x` only.
 */
export function forwardSubstituteInPlace(
  l: Float64Array,
  n: number,
  ld: number,
  x: Float64Array,
  offset: number = 0,
): void {
  for (let i = 0; i < n; i++) {
    const ri = i * ld;
    let s = x[offset + i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * x[offset + k];
    x[offset + i] = s / l[ri + i];
  }
}

/**
 * Solves L^T y = x in place (back substitution with the transpose), x = `x[offset .. offset + n)`.
 * Column-oriented so that it reads rows of the row-major `l` contiguously.
 */
export function backSubstituteTInPlace(
  l: Float64Array,
  n: number,
  ld: number,
  x: Float64Array,
  offset: number = 0,
): void {
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * ld;
    const xi = x[offset + i] / l[ri + i];
    x[offset + i] = xi;
    for (let k = 0; k < i; k++) x[offset + k] -= l[ri + k] * xi;
  }
}

/** Solves (L L^T) y = x in place, x = `x[offset .. offset + n)`: forward then back substitution. */
export function choleskySolveInPlace(
  l: Float64Array,
  n: number,
  ld: number,
  x: Float64Array,
  offset: number = 0,
): void {
  forwardSubstituteInPlace(l, n, ld, x, offset);
  backSubstituteTInPlace(l, n, ld, x, offset);
}

/**
 * Extends the k x k Cholesky factor in `l` (row stride `ld`, so ld >= k + 1) of a Gram matrix
 * G_SS to the factor of [[G_SS, g], [g^T, gjj]], in O(k^2): row k of L becomes [w^T, sqrt(d)]
 * with L w = g and d = gjj - ||w||^2.
 *
 * `g` holds G_(S, j) in `g[0 .. k)`. Returns d (the squared new pivot). Only when d > 0 is
 * l[k][k] = sqrt(d) written and the factor valid at size k + 1; otherwise row k is scratch and
 * the k x k factor is untouched. Callers that must reject nearly dependent atoms compare d with
 * a threshold of their own, e.g. d <= 1e-12 * gjj.
 */
export function choleskyAppendInPlace(
  l: Float64Array,
  k: number,
  ld: number,
  g: Float64Array,
  gjj: number,
): number {
  const rk = k * ld;
  for (let i = 0; i < k; i++) l[rk + i] = g[i];
  forwardSubstituteInPlace(l, k, ld, l, rk);
  let w2 = 0;
  for (let i = 0; i < k; i++) w2 += l[rk + i] * l[rk + i];
  const d = gjj - w2;
  if (d > 0) l[rk + k] = Math.sqrt(d);
  return d;
}

/**
 * The Cholesky factor L of a symmetric positive-definite matrix A (n, n): lower triangular with a
 * positive diagonal and A = L L^T, zeros above the diagonal.
 *
 * Throws a RangeError when A is not square, not symmetric (to a relative sqrt(eps), see
 * {@link SYMMETRY_TOL}), or not positive definite; the last names the first pivot that is not > 0.
 * Semidefinite matrices may pass with a tiny positive pivot (their factor is then ill-conditioned).
 */
export function cholesky(a: Tensor): Tensor {
  const fn = 'cholesky';
  checkTensor(fn, 'a', a, { rank: 2 });
  const n = a.shape[0];
  checkSameSize(fn, 'a', a.shape[1], n, 'a square matrix with columns');
  const data = unsafeData(a);
  checkSymmetric(fn, 'a', data, n);
  const l = new Float64Array(n * n);
  const k = choleskyInto(data, n, l);
  if (k >= 0) {
    rangeError(
      fn,
      'a',
      'a symmetric positive-definite matrix',
      new Got(
        `a non-positive pivot ${l[k * n + k]} at index ${k} (the leading ${k + 1}x${k + 1} minor is not positive definite)`,
      ),
    );
  }
  return wrap(l, [n, n]);
}

/** Checks that `l` is a square lower-triangular matrix with a positive diagonal; returns n. */
function checkFactor(fn: string, name: string, l: Tensor): number {
  checkTensor(fn, name, l, { rank: 2 });
  const n = l.shape[0];
  checkSameSize(fn, name, l.shape[1], n, 'a square matrix with columns');
  const d = unsafeData(l);
  const requirement = 'a lower-triangular matrix with a positive diagonal (a Cholesky factor)';
  for (let i = 0; i < n; i++) {
    if (!(d[i * n + i] > 0)) rangeError(fn, name, requirement, new Got(`${d[i * n + i]} at [${i}][${i}]`));
    for (let j = i + 1; j < n; j++) {
      if (d[i * n + j] !== 0) rangeError(fn, name, requirement, new Got(`${d[i * n + j]} at [${i}][${j}]`));
    }
  }
  return n;
}

/**
 * Solves A x = b given the Cholesky factor L of A (n, n) (A = L L^T, as returned by
 * {@link cholesky}). `b` is a vector (n), giving x (n), or a batch of right-hand sides as rows
 * B (N, n), giving X (N, n) with A x_i = b_i for each row.
 */
export function choleskySolve(l: Tensor, b: Tensor): Tensor {
  const fn = 'choleskySolve';
  const n = checkFactor(fn, 'l', l);
  checkTensor(fn, 'b', b, { rank: [1, 2] });
  checkSameSize(fn, 'b', b.shape[b.rank - 1], n, 'a vector or rows of length');
  const rows = b.rank === 1 ? 1 : b.shape[0];
  const x = Float64Array.from(unsafeData(b));
  const ld = unsafeData(l);
  for (let r = 0; r < rows; r++) choleskySolveInPlace(ld, n, n, x, r * n);
  return wrap(x, b.shape);
}

/**
 * The Cholesky factor of the (k+1) x (k+1) matrix [[G, g], [g^T, gjj]] from the factor L (k, k) of
 * G, in O(k^2) (the copy of L included). `g` is the new column G_(S, j) (k) and `gjj` the new
 * diagonal entry. Throws a RangeError when the extended matrix is not positive definite, i.e.
 * gjj <= ||L^-1 g||^2 (the new atom depends linearly on the others, for a Gram matrix). Start
 * from an empty factor, `zeros([0, 0])`, to build a factor one column at a time.
 */
export function choleskyAppend(l: Tensor, g: Tensor, gjj: number): Tensor {
  const fn = 'choleskyAppend';
  const k = checkFactor(fn, 'l', l);
  checkTensor(fn, 'g', g, { rank: 1 });
  checkSameSize(fn, 'g', g.shape[0], k, 'a vector of length (rows of l)');
  checkNumber(fn, 'gjj', gjj);
  const m = k + 1;
  const out = new Float64Array(m * m);
  const src = unsafeData(l);
  for (let i = 0; i < k; i++) out.set(src.subarray(i * k, i * k + i + 1), i * m);
  const d = choleskyAppendInPlace(out, k, m, unsafeData(g), gjj);
  if (!(d > 0)) {
    rangeError(
      fn,
      'gjj',
      `> ||L^-1 g||^2 = ${gjj - d} so that the extended matrix is positive definite (pivot ${k})`,
      gjj,
    );
  }
  return wrap(out, [m, m]);
}
