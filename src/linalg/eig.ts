/**
 * Dense decompositions of small matrices by Jacobi rotations: the symmetric eigen-decomposition
 * (cyclic two-sided Jacobi) and the singular value decomposition (one-sided Jacobi, Hestenes).
 *
 * Both cost O(n^3) per sweep and usually converge (quadratically) in 5 to 10 sweeps; they are
 * meant for matrices up to a few hundred rows (Gram matrices of dictionaries, ALISTA weights,
 * test oracles), not for large data. Results are deterministic: values sorted in descending
 * order (ties kept in index order) and each vector signed so that its largest-magnitude entry
 * (first on ties) is positive.
 *
 * @module
 */
import { checkInteger, checkNumber, checkSameSize, checkTensor, typeError } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkSymmetric } from './cholesky.js';
import { dotRaw, norm2Raw } from './norms.js';

/** Options of {@link eigSym} and {@link svd}. */
export interface JacobiOptions {
  /**
   * Convergence tolerance (>= 0). eigSym: stop when the off-diagonal Frobenius norm is
   * <= tol * ||A||_F. svd: stop when every pair of working columns has |cos(angle)| <= tol.
   * Default 1e-14.
   */
  tol?: number;
  /** Sweep cap (each sweep visits every pair once). Default 100. */
  maxSweeps?: number;
}

/** Result of {@link eigSym}: A = V diag(values) V^T. */
export interface EigSymResult {
  /** Eigenvalues in descending order (n). */
  values: Tensor;
  /** Orthogonal matrix V (n, n) whose column j is the eigenvector of values[j]. */
  vectors: Tensor;
  /** Sweeps performed. */
  sweeps: number;
  /** Whether the tolerance was met within `maxSweeps`. */
  converged: boolean;
}

/** Result of {@link svd}: A = U diag(s) V^T with r = min(n, m). */
export interface SvdResult {
  /** U (n, r) with orthonormal columns. */
  u: Tensor;
  /** Singular values in descending order, all >= 0 (r). */
  s: Tensor;
  /** V (m, r) with orthonormal columns. */
  v: Tensor;
  /** Sweeps performed. */
  sweeps: number;
  /** Whether the tolerance was met within `maxSweeps`. */
  converged: boolean;
}

/**
 * Working columns (scaled so that max |a_ij| = 1) shorter than this are treated as zero: their
 * inner products would underflow, so they take no part in the rotations, their singular value is
 * reported as 0 and their singular vector comes from the orthonormal completion.
 */
const TINY_COLUMN = 1e-150;

/** Default tolerance of both methods. */
export const JACOBI_TOL = 1e-14;
/** Default sweep cap of both methods. */
export const JACOBI_MAX_SWEEPS = 100;

function readOptions(fn: string, options: JacobiOptions | undefined): { tol: number; maxSweeps: number } {
  if (options === undefined) options = {};
  else if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  return {
    tol: options.tol === undefined ? JACOBI_TOL : checkNumber(fn, 'tol', options.tol, { min: 0 }),
    maxSweeps:
      options.maxSweeps === undefined
        ? JACOBI_MAX_SWEEPS
        : checkInteger(fn, 'maxSweeps', options.maxSweeps, { min: 1 }),
  };
}

/** Indices 0..n-1 sorted by decreasing key, ties in index order (Array.prototype.sort is stable). */
function descendingOrder(keys: Float64Array, n: number): number[] {
  return Array.from({ length: n }, (_, i) => i).sort((i, j) => keys[j] - keys[i]);
}

/** Index of the first largest-magnitude entry of x[offset + k * stride], k < n. */
function argmaxAbs(x: Float64Array, offset: number, stride: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++)
    if (Math.abs(x[offset + k * stride]) > Math.abs(x[offset + best * stride])) best = k;
  return best;
}

/**
 * Cyclic Jacobi on the symmetric row-major n x n matrix `w` (full storage), in place: on exit its
 * diagonal holds the (unsorted) eigenvalues, and `v` (n x n, overwritten) the eigenvectors as
 * columns. Rotations are applied to rows and columns p, q of `w` and to columns p, q of `v`.
 */
function jacobiEigInPlace(w: Float64Array, n: number, v: Float64Array, tol: number, maxSweeps: number) {
  v.fill(0);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const limit = tol * norm2Raw(w, 0, n * n); // ||W||_F is invariant under the rotations
  let sweeps = 0;
  for (;;) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) off += 2 * w[i * n + j] * w[i * n + j];
    if (Math.sqrt(off) <= limit) return { sweeps, converged: true };
    if (sweeps === maxSweeps) return { sweeps, converged: false };
    sweeps++;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = w[p * n + q];
        if (apq === 0) continue;
        const app = w[p * n + p];
        const aqq = w[q * n + q];
        // Negligible next to the diagonal (Demmel-Veselic): set to zero rather than rotate, so
        // that the off-diagonal part reaches exactly zero instead of stalling at rounding level.
        if (Math.abs(apq) <= 0.5 * Number.EPSILON * Math.sqrt(Math.abs(app * aqq))) {
          w[p * n + q] = 0;
          w[q * n + p] = 0;
          continue;
        }
        // Rotation angle (Rutishauser): t = tan(phi) is the smaller root of t^2 + 2 theta t - 1 = 0.
        const theta = (aqq - app) / (2 * apq);
        const t =
          Math.abs(theta) > 1e150
            ? 1 / (2 * theta)
            : (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        w[p * n + p] = app - t * apq;
        w[q * n + q] = aqq + t * apq;
        w[p * n + q] = 0;
        w[q * n + p] = 0;
        for (let k = 0; k < n; k++) {
          if (k === p || k === q) continue;
          const akp = w[k * n + p];
          const akq = w[k * n + q];
          const np = c * akp - s * akq;
          const nq = s * akp + c * akq;
          w[k * n + p] = np;
          w[p * n + k] = np;
          w[k * n + q] = nq;
          w[q * n + k] = nq;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p];
          const vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
}

/**
 * Eigen-decomposition of a small symmetric matrix A (n, n) by the cyclic Jacobi method:
 * A = V diag(values) V^T with V orthogonal, values in descending order, each eigenvector signed
 * so that its largest-magnitude entry is positive.
 *
 * Stops when the off-diagonal Frobenius norm of the rotated matrix is <= tol * ||A||_F (default
 * tol 1e-14) or after `maxSweeps` (default 100) sweeps. Guarantee when converged: by Weyl's
 * inequality every returned eigenvalue is within tol * ||A||_F (plus rounding, a few eps * ||A||_F
 * per sweep) of an exact eigenvalue of A, in order. Throws a RangeError when A is not square or not
 * symmetric to a relative sqrt(eps) (the symmetric part is decomposed).
 */
export function eigSym(a: Tensor, options?: JacobiOptions): EigSymResult {
  const fn = 'eigSym';
  checkTensor(fn, 'a', a, { rank: 2 });
  const n = a.shape[0];
  checkSameSize(fn, 'a', a.shape[1], n, 'a square matrix with columns');
  const { tol, maxSweeps } = readOptions(fn, options);
  const src = unsafeData(a);
  checkSymmetric(fn, 'a', src, n);

  // Work on the symmetric part, scaled to max |entry| = 1 so that no step overflows or underflows.
  let amax = 0;
  for (let k = 0; k < n * n; k++) amax = Math.max(amax, Math.abs(src[k]));
  const w = new Float64Array(n * n);
  const scale = amax > 0 ? amax : 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) w[i * n + j] = (src[i * n + j] + src[j * n + i]) / 2 / scale;
  }
  const v = new Float64Array(n * n);
  const { sweeps, converged } = jacobiEigInPlace(w, n, v, tol, maxSweeps);

  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = w[i * n + i];
  const order = descendingOrder(diag, n);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    values[to] = diag[from] * scale;
    const sign = v[argmaxAbs(v, from, n, n) * n + from] < 0 ? -1 : 1;
    for (let k = 0; k < n; k++) vectors[k * n + to] = sign * v[k * n + from];
  });
  return { values: wrap(values, [n]), vectors: wrap(vectors, [n, n]), sweeps, converged };
}

/**
 * One-sided Jacobi on the rows of the row-major r x len matrix `x` (r <= len), in place: rotates
 * pairs of rows until every pair is orthogonal to a relative `tol`, accumulating the same
 * rotations in the rows of `qt` (r x r, overwritten; starts as the identity). With T = x^T (the
 * tall matrix whose columns are the rows), on exit T_initial = T_final Q^T with Q = qt^T orthogonal.
 */
function hestenesInPlace(
  x: Float64Array,
  r: number,
  len: number,
  qt: Float64Array,
  tol: number,
  maxSweeps: number,
) {
  qt.fill(0);
  for (let i = 0; i < r; i++) qt[i * r + i] = 1;
  const norms = new Float64Array(r);
  for (let i = 0; i < r; i++) norms[i] = norm2Raw(x, i * len, len);
  let sweeps = 0;
  for (;;) {
    let rotated = false;
    for (let p = 0; p < r - 1; p++) {
      for (let q = p + 1; q < r; q++) {
        // Norms by the careful norm2Raw: squared norms of short columns would underflow, the
        // cosine test would then never pass, and the sweeps would not end.
        const np = norms[p];
        const nq = norms[q];
        if (np <= TINY_COLUMN || nq <= TINY_COLUMN) continue; // no direction to keep orthogonal
        const gamma = dotRaw(x, p * len, x, q * len, len);
        if (!(Math.abs(gamma) > tol * np * nq)) continue;
        rotated = true;
        // The rotation that diagonalises the 2 x 2 Gram matrix [[np^2, gamma], [gamma, nq^2]].
        const zeta = ((nq - np) * (nq + np)) / (2 * gamma);
        const t =
          Math.abs(zeta) > 1e150
            ? 1 / (2 * zeta)
            : (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotateRows(x, p * len, q * len, len, c, s);
        rotateRows(qt, p * r, q * r, r, c, s);
        norms[p] = norm2Raw(x, p * len, len);
        norms[q] = norm2Raw(x, q * len, len);
      }
    }
    if (!rotated) return { sweeps, converged: true };
    sweeps++;
    if (sweeps === maxSweeps) return { sweeps, converged: false };
  }
}

/** (x_p, x_q) <- (c x_p - s x_q, s x_p + c x_q) on two rows of length len. */
function rotateRows(x: Float64Array, p: number, q: number, len: number, c: number, s: number): void {
  for (let k = 0; k < len; k++) {
    const a = x[p + k];
    const b = x[q + k];
    x[p + k] = c * a - s * b;
    x[q + k] = s * a + c * b;
  }
}

/**
 * Fills the unit vectors of `cols` (a list of column indices of the row-major dim x width matrix
 * `m`) that have no direction of their own (a zero singular value) with an orthonormal completion
 * of the other columns, by Gram-Schmidt (twice) on the canonical basis vectors.
 */
function completeColumns(
  m: Float64Array,
  dim: number,
  width: number,
  missing: readonly number[],
  have: number[],
) {
  const cand = new Float64Array(dim);
  let e = 0;
  for (const col of missing) {
    for (; e < dim; e++) {
      cand.fill(0);
      cand[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (const h of have) {
          let d = 0;
          for (let k = 0; k < dim; k++) d += m[k * width + h] * cand[k];
          for (let k = 0; k < dim; k++) cand[k] -= d * m[k * width + h];
        }
      }
      const nrm = norm2Raw(cand, 0, dim);
      // A basis vector keeps at least 1/sqrt(dim) of its length outside a proper subspace, so some e passes.
      if (nrm > 0.5 / Math.sqrt(dim)) {
        for (let k = 0; k < dim; k++) m[k * width + col] = cand[k] / nrm;
        have.push(col);
        e++;
        break;
      }
    }
  }
}

/**
 * Singular value decomposition of a small matrix A (n, m) by one-sided Jacobi (Hestenes):
 * A = U diag(s) V^T with r = min(n, m), U (n, r) and V (m, r) with orthonormal columns and
 * s (r) in descending order. Each pair (u_j, v_j) is signed so that the largest-magnitude entry of
 * v_j is positive (the convention of topSingularPair). Singular values below 1e-150 * max |a_ij|
 * are reported as 0, and the columns of U (or V, for a wide A) that belong to zero singular values
 * are a deterministic orthonormal completion, so U and V are always orthonormal.
 *
 * Stops when every pair of working columns has |cos(angle)| <= tol (default 1e-14) or after
 * `maxSweeps` (default 100) sweeps. When converged, U^T U and V^T V equal the identity to about
 * tol plus rounding, and A = U diag(s) V^T to about 1e-15 * sqrt(n m) * ||A||_F per sweep.
 * Small singular values are computed to high relative accuracy for well-scaled A.
 */
export function svd(a: Tensor, options?: JacobiOptions): SvdResult {
  const fn = 'svd';
  checkTensor(fn, 'a', a, { rank: 2 });
  const { tol, maxSweeps } = readOptions(fn, options);
  const [n, m] = a.shape;
  const src = unsafeData(a);
  // Orthogonalise the columns of the tall one of A and A^T; x holds them as rows (contiguous).
  const tall = n >= m;
  const r = Math.min(n, m);
  const len = Math.max(n, m);
  let amax = 0;
  for (let k = 0; k < n * m; k++) amax = Math.max(amax, Math.abs(src[k]));
  const scale = amax > 0 ? amax : 1; // scaled entries <= 1: no overflow in the squared norms
  const x = new Float64Array(r * len);
  if (tall) {
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) x[j * len + i] = src[i * m + j] / scale;
  } else {
    for (let k = 0; k < n * m; k++) x[k] = src[k] / scale;
  }
  const qt = new Float64Array(r * r);
  const { sweeps, converged } = hestenesInPlace(x, r, len, qt, tol, maxSweeps);

  const norms = new Float64Array(r);
  for (let j = 0; j < r; j++) norms[j] = norm2Raw(x, j * len, len);
  const order = descendingOrder(norms, r);
  // "Left" factor (from the normalised rows of x) is len x r; "right" (from qt) is r x r.
  const left = new Float64Array(len * r);
  const right = new Float64Array(r * r);
  const s = new Float64Array(r);
  const missing: number[] = [];
  const have: number[] = [];
  order.forEach((from, to) => {
    const nrm = norms[from];
    s[to] = nrm > TINY_COLUMN ? nrm * scale : 0;
    for (let k = 0; k < r; k++) right[k * r + to] = qt[from * r + k];
    if (nrm > TINY_COLUMN) {
      for (let k = 0; k < len; k++) left[k * r + to] = x[from * len + k] / nrm;
      have.push(to);
    } else {
      missing.push(to);
    }
  });
  completeColumns(left, len, r, missing, have);

  const u = tall ? left : right;
  const v = tall ? right : left;
  // Sign convention: the largest-magnitude entry of each v_j is positive.
  for (let j = 0; j < r; j++) {
    if (v[argmaxAbs(v, j, r, m) * r + j] < 0) {
      for (let k = 0; k < m; k++) v[k * r + j] = -v[k * r + j];
      for (let k = 0; k < n; k++) u[k * r + j] = -u[k * r + j];
    }
  }
  return { u: wrap(u, [n, r]), s: wrap(s, [r]), v: wrap(v, [m, r]), sweeps, converged };
}
