/**
 * The Lipschitz constant L = ||A||_2^2 of the gradient A^T (A z - y) of the smooth part of the
 * Lasso (and of 1/2 ||y - A x||^2 in general): the largest eigenvalue of A^T A. Gradient steps use
 * 1/L, and a step larger than 1/(true L) can make ISTA / FISTA diverge, so this module reports how
 * far the estimate can be off and can return a bound that is safe to divide by.
 *
 * Tolerances. An estimate of ||A|| within relative tolerance t gives L within (1 + t)^2 - 1, about
 * 2t. For dense matrices:
 *
 * - a single row or column has the closed form ||A||_2 = ||A||_F (exact);
 * - when the shorter side is at most 128, L is the largest eigenvalue of the Gram matrix of that
 *   side by Jacobi rotations, accurate to rounding whatever the spectrum (t = 1e-12 stated);
 * - larger matrices use power iteration on A^T A from a fixed start, stopped when the relative
 *   change of successive estimates is <= 1e-11, and state t = 1e-6. That is only as good as the
 *   stopping test: the remaining error is about change * q^4 / (1 - q^4) for q = sigma_2 / sigma_1
 *   (see linalg/power-iteration), but when the top singular values agree to about 1e-5 the
 *   estimate can linger near sigma_2 with tiny changes (the property suite found a 7x5 matrix with
 *   sigma_1 - sigma_2 = 3.6e-6 where it stopped 3.6e-6 low). That is why small matrices, where such
 *   near-ties are easy to hit, take the eigenvalue route; for large ones the value is stated, not
 *   proved. Power iteration never overestimates (up to rounding), so only the low side matters for
 *   a safe step.
 *
 * Operators report their own estimate through `norm()`.
 *
 * @module
 */
import { checkBoolean, checkNumber, Got, rangeError, typeError } from '../validate/index.js';
import { Tensor, unsafeData, wrap } from '../tensor/tensor.js';
import { eigSym } from '../linalg/eig.js';
import { gemmInto, gramInto } from '../linalg/gemm.js';
import { norm2Raw } from '../linalg/norms.js';
import { powerIterationInto } from '../linalg/power-iteration.js';
import type { NormEstimate } from '../operators/types.js';
import { checkForwardModel, type ForwardModel } from './forward-model.js';

/**
 * Dense matrices whose shorter side is at most this long get the eigenvalues of their Gram matrix
 * (Jacobi: tens of milliseconds, about 50 ms for 128 x 256); longer ones the power iteration.
 */
const EIGEN_LIMIT = 128;
/**
 * The relative tolerance stated for ||A|| from the Gram eigenvalues: Jacobi stops at an
 * off-diagonal norm of 1e-14 ||B||_F and rounds by a few eps ||B||_F per sweep (Weyl), with
 * ||B||_F <= sqrt(128) lambda_max: about 2e-13 on L, 1e-13 on ||A||, stated with a factor 10.
 */
const EIGEN_STATED_TOL = 1e-12;
/** Relative-change tolerance of the power iteration on dense matrices. */
const POWER_TOL = 1e-11;
/** Iteration cap of the power iteration on dense matrices. */
const POWER_MAX_ITER = 10_000;
/** The relative tolerance stated for ||A|| when the power iteration converged. */
const POWER_STATED_TOL = 1e-6;
/**
 * Added to the default margin of an upper bound to cover rounding in the estimate itself: a few
 * ulps per product, times the dimension (1e-10 covers dimensions up to about 1e5).
 */
const ROUNDING_MARGIN = 1e-10;

/** Options of {@link lipschitzConstant}. */
export interface LipschitzOptions {
  /**
   * Return a value that is >= the true L whenever the norm estimate is within its stated
   * tolerance: the estimate times (1 + margin). Default false (the estimate itself).
   */
  upperBound?: boolean;
  /**
   * The relative margin of an upper bound, at least the default t_L / (1 - t_L) + 1e-10 for an
   * estimate of L with tolerance t_L. Only with `upperBound: true`.
   */
  margin?: number;
}

/** An estimate of L = ||A||_2^2. */
export interface LipschitzEstimate {
  /** The estimate of L, or an upper bound of it when `upperBound`. */
  value: number;
  /** True when the underlying norm is exact up to rounding (closed form). */
  exact: boolean;
  /** Relative tolerance of `value`: |value - L| <= tolerance * L (stated, see the module notes). */
  tolerance: number;
  /** True when `value` was inflated by a margin so that value >= L. */
  upperBound: boolean;
}

/** ||A||_2 of a dense matrix (n, m) with a stated tolerance (see the module notes). */
function matrixNorm(a: Tensor): NormEstimate {
  const [n, m] = a.shape;
  const data = unsafeData(a);
  if (n <= 1 || m <= 1) return { value: norm2Raw(data, 0, a.size), exact: true, tolerance: 0 };
  const k = Math.min(n, m);
  if (k <= EIGEN_LIMIT) {
    // The Gram matrix of the shorter side: A A^T (n x n) or A^T A (m x m), same largest eigenvalue.
    const gram = new Float64Array(k * k);
    if (n < m) gemmInto(data, data, gram, n, m, n, false, true);
    else gramInto(data, n, m, gram);
    const eig = eigSym(wrap(gram, [k, k]));
    if (eig.converged)
      return { value: Math.sqrt(Math.max(0, eig.values.data[0])), exact: false, tolerance: EIGEN_STATED_TOL };
  }
  const v = new Float64Array(m);
  const u = new Float64Array(n);
  const stats = powerIterationInto(data, n, m, POWER_TOL, POWER_MAX_ITER, v, u);
  // Unconverged (top singular values nearly equal in a large matrix): fall back on the
  // Kuczynski-Wozniakowski bound on the expected relative error of the power method, about
  // ln(m) / (2k) for lambda_max after k iterations (2k + 1 powers of A^T A), halved for ||A||.
  const tolerance = stats.converged
    ? POWER_STATED_TOL
    : Math.max(POWER_STATED_TOL, Math.log(m) / (4 * stats.iterations));
  return { value: stats.value, exact: false, tolerance };
}

/**
 * The Lipschitz constant L = ||A||_2^2 of z -> A^T (A z - y), for a dense matrix A (n, m) or a
 * LinearOperator, with the relative tolerance of the estimate: (1 + t)^2 - 1 for a norm estimate
 * of tolerance t (about 2t).
 *
 * With `upperBound: true` the value is multiplied by (1 + margin), margin defaulting to
 * t_L / (1 - t_L) + 1e-10, so that it is >= the true L whenever the norm estimate is within its
 * tolerance: 1 / value is then a safe step size. The reported tolerance becomes
 * (1 + t_L)(1 + margin) - 1.
 */
export function lipschitzConstant(a: ForwardModel, options?: LipschitzOptions): LipschitzEstimate {
  const fn = 'lipschitzConstant';
  checkForwardModel(fn, 'a', a);
  if (options === undefined) options = {};
  else if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const upperBound =
    options.upperBound === undefined ? false : checkBoolean(fn, 'upperBound', options.upperBound);

  const norm = a instanceof Tensor ? matrixNorm(a) : a.norm();
  const t = norm.tolerance;
  const tolerance = t * (2 + t); // (1 + t)^2 - 1 without cancellation
  const value = norm.value * norm.value;
  if (!upperBound) {
    if (options.margin !== undefined)
      rangeError(fn, 'margin', 'undefined unless upperBound is true', options.margin);
    return { value, exact: norm.exact, tolerance, upperBound: false };
  }
  if (!(tolerance < 1))
    rangeError(
      fn,
      'a',
      'an operator whose norm estimate has a tolerance below sqrt(2) - 1 (to bound L)',
      new Got(`tolerance ${t}`),
    );
  const minMargin = tolerance / (1 - tolerance) + ROUNDING_MARGIN;
  const margin =
    options.margin === undefined ? minMargin : checkNumber(fn, 'margin', options.margin, { min: minMargin });
  return {
    value: value * (1 + margin),
    exact: norm.exact,
    tolerance: tolerance + margin + tolerance * margin, // (1 + t_L)(1 + margin) - 1
    upperBound: true,
  };
}
