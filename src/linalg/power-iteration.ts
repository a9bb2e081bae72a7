/**
 * The spectral norm ||A||_2 = sigma_max(A) and the top singular pair by power iteration on A^T A.
 *
 * One iteration is v <- A^T u / ||A^T u||, u <- A v / ||A v||, and the estimate is
 * s_k = ||A v_k||_2 for the unit vector v_k. In exact arithmetic s_k is a lower bound of sigma_max
 * (s_k^2 is a Rayleigh quotient of A^T A) and it never decreases: with mu_j = v_0^T (A^T A)^j v_0,
 * s_k^2 = mu_(2k+1) / mu_(2k), and these ratios increase because the moments mu_j of a positive
 * measure are log-convex. Iteration stops when the relative change of successive estimates is at
 * most `tol`: |s_k - s_(k-1)| <= tol * s_k, or after `maxIter` iterations (then `converged` is
 * false).
 *
 * What the tolerance does and does not guarantee. It bounds the last *change*, not the error. If
 * q = sigma_2 / sigma_1 < 1, the error sigma_1 - s_k eventually shrinks by about q^4 per iteration,
 * so once in that regime the remaining error is about change * q^4 / (1 - q^4): below tol for
 * q <= 0.84, below 10 tol for q <= 0.95. For near-equal top singular values the error can be much
 * larger than tol while the changes are small, and the vectors are then not well determined
 * (the value still is a lower bound); e.g. for random 200 x 200 matrices, tol = 1e-10 leaves a
 * relative error of about 1e-9. A start almost orthogonal to the top singular vector can also
 * linger near sigma_2 before it turns. The value carries rounding errors of a few ulps times the
 * matrix dimension on top.
 *
 * The vectors converge at half the rate of the value: the value error is quadratic in the angle
 * between v and the top singular vector, so with tol = 1e-10 expect the vectors to be right to
 * about 1e-5 (relative to the gap). Pass a smaller `tol` (e.g. 1e-14) when the vectors matter.
 *
 * The start is deterministic: a fixed hash-generated vector with no zero entries (never
 * Math.random, never the all-ones vector, which is orthogonal to the top vector of many structured
 * matrices). If A maps it to exactly zero, the start is replaced by the largest row of A, which A
 * does not annihilate unless A = 0.
 *
 * Sign convention: the largest-magnitude entry of v (first one on ties) is positive, and u has the
 * matching sign, so that A v = sigma u.
 *
 * @module
 */
import { checkInteger, checkNumber, checkTensor, checkSameSize, typeError } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { gemvInto, gemvTInto } from './gemv.js';
import { norm2Raw } from './norms.js';

/** Options of {@link spectralNorm} and {@link topSingularPair}. */
export interface PowerIterationOptions {
  /** Stop when |s_k - s_(k-1)| <= tol * s_k (relative change of successive estimates). Default 1e-10. */
  tol?: number;
  /** Iteration cap (one iteration = one product with A and one with A^T). Default 1000. */
  maxIter?: number;
  /**
   * Start vector for v (length m, the number of columns), e.g. a previous estimate to warm-start.
   * A zero vector falls back to the default deterministic start.
   */
  start?: Tensor;
}

/** Counters of a power iteration run, returned by the raw kernel {@link powerIterationInto}. */
export interface PowerIterationStats {
  /** The estimate s = ||A v|| of sigma_max (0 for the zero matrix). */
  value: number;
  /** Iterations performed (0 for the zero matrix). */
  iterations: number;
  /** Whether the relative-change test was met before `maxIter` (true for the zero matrix). */
  converged: boolean;
}

/** Result of {@link spectralNorm}. */
export interface SpectralNormResult extends PowerIterationStats {
  /** Unit right singular vector estimate (m). */
  v: Tensor;
  /** Unit left singular vector estimate (n), with A v = value * u. */
  u: Tensor;
}

/** Result of {@link topSingularPair}: A v ~ sigma u and A^T u ~ sigma v, u and v unit. */
export interface SingularTriple {
  /** The largest singular value estimate (a lower bound, see the module notes). */
  sigma: number;
  /** Unit left singular vector (n). */
  u: Tensor;
  /** Unit right singular vector (m); its largest-magnitude entry is positive. */
  v: Tensor;
  /** Iterations performed. */
  iterations: number;
  /** Whether the relative-change test was met before `maxIter`. */
  converged: boolean;
}

/** Default relative-change tolerance. */
export const POWER_ITERATION_TOL = 1e-10;
/** Default iteration cap. */
export const POWER_ITERATION_MAX_ITER = 1000;

/**
 * Fills `out[0 .. length)` with the fixed start vector of the power iteration: hash-generated
 * entries in (-1, 1), none zero, then scaled to unit norm (nothing to scale when length is 0).
 * The same length always gives the same bits.
 */
export function powerStartInto(out: Float64Array, length: number = out.length): void {
  for (let j = 0; j < length; j++) {
    // A 32-bit integer mix (murmur3 finaliser) of the index: deterministic and well spread.
    let h = Math.imul(j + 1, 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    out[j] = ((h >>> 0) + 0.5) / 2 ** 31 - 1; // never exactly 0: (h + 0.5) / 2^31 is never 1
  }
  const nrm = norm2Raw(out, 0, length);
  if (nrm > 0) for (let j = 0; j < length; j++) out[j] /= nrm;
}

function scaleInPlace(x: Float64Array, length: number, s: number): void {
  for (let i = 0; i < length; i++) x[i] *= s;
}

/** Makes the largest-magnitude entry of v positive (of u when v is empty), flipping both. */
function fixSigns(v: Float64Array, cols: number, u: Float64Array, rows: number): void {
  const ref = cols > 0 ? v : u;
  const len = cols > 0 ? cols : rows;
  let best = 0;
  for (let j = 1; j < len; j++) if (Math.abs(ref[j]) > Math.abs(ref[best])) best = j;
  if (len > 0 && ref[best] < 0) {
    scaleInPlace(v, cols, -1);
    scaleInPlace(u, rows, -1);
  }
}

/**
 * Power iteration on A^T A for a row-major (rows x cols) matrix A, unchecked.
 *
 * On entry `v` (length cols) holds the start vector, any scale; a zero (or non-finite) start is
 * replaced by {@link powerStartInto}. On exit `v` and `u` (length rows) hold unit right and left
 * singular vector estimates with A v = value * u and the sign convention of the module. Writes
 * `v` and `u` only; allocates nothing but the returned record. See the module notes for what
 * `tol` guarantees.
 */
export function powerIterationInto(
  a: Float64Array,
  rows: number,
  cols: number,
  tol: number,
  maxIter: number,
  v: Float64Array,
  u: Float64Array,
): PowerIterationStats {
  const nv = norm2Raw(v, 0, cols);
  if (nv > 0 && nv < Infinity) scaleInPlace(v, cols, 1 / nv);
  else powerStartInto(v, cols);

  gemvInto(a, rows, cols, v, u);
  let s = norm2Raw(u, 0, rows);
  if (s === 0) {
    // The start lies in the null space: restart from the largest row a_r, since (A a_r)_r = ||a_r||^2.
    let best = -1;
    let bestNorm = 0;
    for (let i = 0; i < rows; i++) {
      const r = norm2Raw(a, i * cols, cols);
      if (r > bestNorm) {
        bestNorm = r;
        best = i;
      }
    }
    if (best < 0) {
      // A = 0: sigma = 0, and any unit vectors are singular vectors; keep the fixed ones.
      powerStartInto(v, cols);
      powerStartInto(u, rows);
      fixSigns(v, cols, u, rows);
      return { value: 0, iterations: 0, converged: true };
    }
    for (let j = 0; j < cols; j++) v[j] = a[best * cols + j] / bestNorm;
    gemvInto(a, rows, cols, v, u);
    s = norm2Raw(u, 0, rows);
  }
  scaleInPlace(u, rows, 1 / s);

  let iterations = 0;
  let converged = false;
  while (iterations < maxIter) {
    // Normalising u before A^T keeps the entries O(sigma): no overflow from squaring sigma.
    gemvTInto(a, rows, cols, u, v);
    scaleInPlace(v, cols, 1 / norm2Raw(v, 0, cols)); // > 0 because u^T A v_prev = s > 0
    gemvInto(a, rows, cols, v, u);
    const next = norm2Raw(u, 0, rows); // > 0 because v^T A^T u_prev > 0
    scaleInPlace(u, rows, 1 / next);
    iterations++;
    const change = Math.abs(next - s);
    s = next;
    if (change <= tol * next) {
      converged = true;
      break;
    }
  }
  fixSigns(v, cols, u, rows);
  return { value: s, iterations, converged };
}

/** Checks the arguments shared by the two public functions and runs the kernel. */
function run(fn: string, a: Tensor, options: PowerIterationOptions | undefined) {
  checkTensor(fn, 'a', a, { rank: 2 });
  if (options === undefined) options = {};
  else if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const tol =
    options.tol === undefined ? POWER_ITERATION_TOL : checkNumber(fn, 'tol', options.tol, { min: 0 });
  const maxIter =
    options.maxIter === undefined
      ? POWER_ITERATION_MAX_ITER
      : checkInteger(fn, 'maxIter', options.maxIter, { min: 1 });
  const [rows, cols] = a.shape;
  const v = new Float64Array(cols);
  if (options.start !== undefined) {
    checkTensor(fn, 'start', options.start, { rank: 1 });
    checkSameSize(fn, 'start', options.start.shape[0], cols, 'a vector of length (columns of a)');
    v.set(unsafeData(options.start));
  }
  const u = new Float64Array(rows);
  const stats = powerIterationInto(unsafeData(a), rows, cols, tol, maxIter, v, u);
  return { stats, u: wrap(u, [rows]), v: wrap(v, [cols]) };
}

/**
 * The spectral norm ||A||_2 (largest singular value) of a matrix A (n, m), estimated by power
 * iteration on A^T A from a deterministic start.
 *
 * `value` is a lower bound of sigma_max in exact arithmetic, increasing with the iterations; the run
 * stops when the relative change of successive estimates is <= `tol` (default 1e-10) or after
 * `maxIter` (default 1000) iterations. The tolerance bounds the change, not the error: see the
 * module notes (error about change * q^4 / (1 - q^4) with q = sigma_2 / sigma_1). When a Lipschitz
 * constant must not be underestimated, multiply by a safety factor such as 1 + 1e-6.
 */
export function spectralNorm(a: Tensor, options?: PowerIterationOptions): SpectralNormResult {
  const { stats, u, v } = run('spectralNorm', a, options);
  return { value: stats.value, iterations: stats.iterations, converged: stats.converged, u, v };
}

/**
 * The largest singular value of a matrix A (n, m) with its unit singular vectors, A v ~ sigma u,
 * by power iteration (same stopping rule and guarantees as {@link spectralNorm}).
 *
 * Works for any shape, including a single row or column and rank-one matrices (which converge in
 * one or two iterations). Sign convention: the largest-magnitude entry of v is positive. For the
 * zero matrix sigma is 0 and u, v are the fixed unit start vectors (no NaN); for an empty side
 * (n or m = 0) that vector is empty.
 */
export function topSingularPair(a: Tensor, options?: PowerIterationOptions): SingularTriple {
  const { stats, u, v } = run('topSingularPair', a, options);
  return { sigma: stats.value, u, v, iterations: stats.iterations, converged: stats.converged };
}
