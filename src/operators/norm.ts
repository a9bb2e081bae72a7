/**
 * The spectral norm of a LinearOperator by power iteration on A^T A through its kernels, for the
 * operators without a closed form (zero-padded convolutions, dense matrices, combinators).
 *
 * Block (subspace) power iteration on A^T A: one iteration is V <- orth(A^T A V) for a block of
 * b orthonormal vectors (the rows of V; default b = min(4, inputSize), and 1 from inputSize 16384
 * on, see OPERATOR_NORM_LARGE; b = 1 is the plain v <- A^T A v / ||A^T A v||), and the estimate
 * s_k is the largest singular value of A V_k, the norm of A on the span of V_k (the square root of
 * the top Ritz value of A^T A there; ||A v_k|| for b = 1). s_k is a lower bound of ||A||_2 in
 * exact arithmetic and never decreases (for the top Ritz vector x of span(V), A^T A x lies in the
 * next span, and its Rayleigh quotient is at least x's by the log-convexity of moments used in
 * linalg/power-iteration.ts). The start is deterministic: the rows are consecutive pieces of the
 * hash sequence of `powerStartInto` (row 0 is its start vector), orthonormalised; never random,
 * never all-ones. A block that has become numerically dependent (b > rank of A) is completed with
 * unit vectors. If A maps the whole start block to zero, row 0 becomes A^T of the output-space
 * hash vector, and if that is zero too, the first unit vector e_j with A e_j != 0 (a zero operator
 * costs inputSize products to recognise; it then reports 0, exact).
 *
 * Cost: per iteration, b products with A and with A^T and O(b^2 inputSize) for the
 * orthonormalisation. Operators without a closed form run this once, lazily, on their first
 * `norm()`, with the defaults below: on the development machine about 1 s for a zero-padded
 * 5 x 5 convolution of 64 x 64 images (converged to 1e-10) and 3 s for a 3 x 3 one on 256 x 256
 * (capped at 1000 iterations; stated tolerance 2e-4 from the circular bound below). Call
 * normOfOperator with a looser `tol` or a smaller `maxIter` for a quicker estimate; circular
 * convolutions have exact norms at no cost.
 *
 * Stopping rule. power-iteration.ts stops when the last change is small, which bounds the change,
 * not the error: with close top singular values (every zero-padded convolution has them: its
 * singular values sample |DFT of the kernel| on a fine grid) the changes are small long before the
 * error is. Here the rule estimates the remaining error instead. The increments of s_k shrink
 * geometrically, by a factor rho per iteration, once the top singular vector dominates; with a
 * window of h iterations, D1 = s_(k-h) - s_(k-2h), D2 = s_k - s_(k-h) and R = D2 / D1 (= rho^h),
 * the rest of the geometric series is E = D2 R / (1 - R). The window is the shortest one
 * (h >= 1, 2h <= k - 1) whose increment D2 exceeds 1e4 times the rounding level (64 ulps of s_k):
 * short, because when several singular values converge at different rates the latest increments
 * weigh the slowest rate most (a long window averages in the faster, earlier ones and
 * underestimates E, by 10 times in a test), and long enough that rounding noise in the values
 * does not swamp R when rho is close to 1. s_0 is never used: it still carries the start's weight on the null space of A,
 * which the first iteration removes at once. When D2 is at the rounding level, E = max(D2, 0);
 * when the increments are not shrinking (D1 <= D2), E is unknown (infinite) and the run goes on.
 *
 * The run stops when both
 * - MARGIN * E <= tol * s_k, MARGIN = 10: a margin for the upward drift of R while faster
 *   components die out (R then underestimates the final rate); and
 * - the last increment s_k - s_(k-1) is at most max(64 ulps, 1e-4 tol) relative. A singular value
 *   very close to the top one contributes increments too small to see while faster components
 *   still dominate D1 and D2; waiting for tiny increments lets such a slow component show (its
 *   increments stop shrinking, R goes to 1, E grows) before the run ends. With the default tol
 *   this means running to the rounding level, typically a third more iterations than a plain
 *   tol test.
 *
 * With a known upper bound U (option `upperBound`; zero-padded and valid convolutions pass the
 * norm of the circular convolution they are a part of), the run also stops when
 * U - s_k <= tol s_k, and the stated tolerance is at most (U - s_k) / s_k, which holds exactly.
 *
 * What the tolerance means. The reported `tolerance` is `tol` when the rule was met. When the
 * iteration cap is reached first, the run is in a slow regime (typically many singular values
 * packed close below the top one, as in zero-padded convolutions of large images) where the
 * geometric extrapolation can miss a slow tail, so the reported tolerance is the largest of `tol`,
 * MARGIN * E / s_k and 0.871 ln(inputSize) / k, capped at 1 (s_k is a lower bound, so the
 * relative error is at most 1). The third term is Kuczynski & Wozniakowski's bound on the expected
 * relative error of the power method after k steps from a random start, whatever the spectrum
 * (SIAM J. Matrix Anal. Appl. 13(4), 1992; it bounds 1 - (s/sigma)^2, which is at least
 * 1 - s/sigma). In tests over thousands of random small operators the error of capped runs stayed
 * below a thirtieth of it; raise `maxIter` for a tighter statement.
 *
 * The statement is not a proof: it assumes the converged run was in its geometric regime and the
 * start was not unusually close to orthogonal to the top singular vectors (a start nearly
 * orthogonal to them lingers at a lower singular value and can look converged there). A block of
 * b vectors removes the commonest trap, top singular values closer than rounding can separate:
 * the estimate converges at the rate of sigma_(b+1) / sigma_1, so up to b (nearly) equal top
 * singular values are resolved at once (blockSize 1 cannot separate values within about 1e-7
 * relative; its error is then at most about that gap). Rounding errors of a few ulps times the
 * dimension come on top, as for every computed norm.
 *
 * @module
 */
import { checkInteger, checkNumber, typeError } from '../validate/index.js';
import { dotRaw, norm2Raw } from '../linalg/norms.js';
import { eigSym } from '../linalg/eig.js';
import { wrap } from '../tensor/tensor.js';
import { powerStartInto } from '../linalg/power-iteration.js';
import type { LinearOperator, NormEstimate } from './types.js';
import { adjointKernelOf, applyKernelOf, checkOperator } from './define.js';

/** Options of {@link normOfOperator}. */
export interface OperatorNormOptions {
  /** Target relative error: stop when the estimated remaining error is <= tol * estimate. Default 1e-10. */
  tol?: number;
  /** Iteration cap (one iteration = one A^T and one A on the block). Default 1000. */
  maxIter?: number;
  /**
   * Number of vectors iterated together (subspace iteration), capped at inputSize. Default 4 (1 from
   * inputSize 16384 on): the estimate then converges at the rate of sigma_5 / sigma_1, so up to four
   * (nearly) equal top singular values cost nothing; 1 is the plain power iteration.
   */
  blockSize?: number;
  /**
   * A known upper bound U of ||A||_2 (e.g. the norm of a larger operator that A is a part of).
   * The run then also stops as soon as U - s_k <= tol * s_k, and the stated tolerance is never
   * more than (U - s_k) / s_k, a bound that holds exactly. A wrong bound gives a wrong statement.
   */
  upperBound?: number;
}

/** Result of {@link normOfOperator}: the estimate with its stated tolerance and the run's counters. */
export interface OperatorNormResult extends NormEstimate {
  /** Iterations performed (0 when no iteration was needed: empty or zero operator). */
  iterations: number;
  /** Whether the stopping rule was met before `maxIter` (true for the empty and zero operators). */
  converged: boolean;
}

/** Default target relative error of {@link normOfOperator}. */
export const OPERATOR_NORM_TOL = 1e-10;
/** Default iteration cap of {@link normOfOperator}. */
export const OPERATOR_NORM_MAX_ITER = 1000;
/** Default block size of {@link normOfOperator} (for inputSize up to {@link OPERATOR_NORM_LARGE}). */
export const OPERATOR_NORM_BLOCK = 4;
/**
 * From this inputSize on, the default block size is 1: a large operator's top singular values
 * typically form a dense cluster that a block of 4 does not resolve either, and one vector costs
 * a quarter of the work per iteration.
 */
export const OPERATOR_NORM_LARGE = 16384;

/** The default block size for an operator with `inputSize` columns. */
function defaultBlock(inputSize: number): number {
  return inputSize < OPERATOR_NORM_LARGE ? OPERATOR_NORM_BLOCK : 1;
}

/** Increments below this many ulps of the estimate are rounding noise. */
const NOISE_ULPS = 64;
/** The window of the rate estimate is the shortest whose increment exceeds this many noise floors. */
const WINDOW_SIGNAL = 1e4;
/** The run stops when the estimated remaining error is below tol / MARGIN (relative). */
const MARGIN = 10;
/** ... and the last increment is below TAIL * tol (relative) or at the rounding level. */
const TAIL = 1e-4;
/** Kuczynski & Wozniakowski: E[(lambda_1 - theta_k) / lambda_1] <= 0.871 ln(m) / (k - 1) for the power method. */
const KW_CONSTANT = 0.871;

/** The estimated remaining error sigma - s_k from the history s_0..s_k (see the module notes). */
function remainingError(history: Float64Array, k: number): number {
  // s_0 is left out: it still carries the start's weight on the null space of A, which the first
  // iteration removes at once, so its increment is no sample of the asymptotic rate.
  if (k < 3) return Infinity;
  const floor = NOISE_ULPS * Number.EPSILON * history[k];
  const longest = Math.floor((k - 1) / 2);
  let h = 1;
  while (h < longest && history[k] - history[k - h] < WINDOW_SIGNAL * floor) h++;
  const d2 = history[k] - history[k - h];
  const d1 = history[k - h] - history[k - 2 * h];
  if (d2 <= floor) return Math.max(d2, 0);
  if (d1 <= d2) return Infinity;
  const r = d2 / d1;
  return (d2 * r) / (1 - r);
}

function zeroOperator(): OperatorNormResult {
  return { value: 0, exact: true, tolerance: 0, iterations: 0, converged: true };
}

/** A column of the block is numerically dependent on the previous ones when orthogonalising shrinks it by this factor. */
const DEPENDENT = 1e-10;

/**
 * Orthonormalises the b rows (length m) of `v` in place by modified Gram-Schmidt, twice (once is
 * not enough in floating point). A row that is zero or numerically dependent on the previous rows
 * (the block outgrew the rank of A) is replaced by the next unit vector e_j (cycling through j),
 * orthogonalised in turn, so the rows always span b dimensions. Returns the cursor of e_j.
 */
function orthonormaliseRows(v: Float64Array, b: number, m: number, cursor: number): number {
  for (let i = 0; i < b; i++) {
    const at = i * m;
    for (let attempt = 0; ; attempt++) {
      const before = norm2Raw(v, at, m);
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < i; j++) {
          const proj = dotRaw(v, at, v, j * m, m);
          for (let t = 0; t < m; t++) v[at + t] -= proj * v[j * m + t];
        }
      }
      const after = norm2Raw(v, at, m);
      if (after > DEPENDENT * before && after > 0) {
        for (let t = 0; t < m; t++) v[at + t] /= after;
        break;
      }
      if (attempt > m)
        throw new Error('normOfOperator: internal error: cannot complete an orthonormal block');
      v.fill(0, at, at + m);
      v[at + (cursor++ % m)] = 1;
    }
  }
  return cursor;
}

/**
 * s = the largest singular value of the b x n matrix whose rows are the images A v_i: the norm of
 * A restricted to the span of the orthonormal rows of V (a lower bound of ||A||, the top Ritz
 * value of A^T A there, square-rooted). `gram` is b x b scratch.
 */
function restrictedNorm(av: Float64Array, b: number, n: number, gram: Float64Array): number {
  if (b === 1) return norm2Raw(av, 0, n);
  for (let i = 0; i < b; i++) {
    for (let j = i; j < b; j++) {
      const g = dotRaw(av, i * n, av, j * n, n);
      gram[i * b + j] = g;
      gram[j * b + i] = g;
    }
  }
  if (!gram.every(Number.isFinite)) return NaN;
  const top = eigSym(wrap(Float64Array.from(gram), [b, b]), { tol: 1e-16 }).values.get(0);
  return Math.sqrt(Math.max(top, 0));
}

/**
 * The block power-iteration estimate of ||A||_2 for any LinearOperator, unchecked (`tol` >= 0,
 * `maxIter` >= 1, `blockSize` >= 1). Allocates its work blocks and the history once. Throws an
 * Error when the operator produces non-finite values.
 */
export function estimateOperatorNorm(
  op: LinearOperator,
  tol: number,
  maxIter: number,
  blockSize: number = defaultBlock(op.inputSize),
  upperBound = Infinity,
): OperatorNormResult {
  const m = op.inputSize;
  const n = op.outputSize;
  if (m === 0 || n === 0) return zeroOperator();
  const apply = applyKernelOf(op);
  const adjoint = adjointKernelOf(op);
  const b = Math.min(blockSize, m);
  const v = new Float64Array(b * m); // the block, one vector per row
  const av = new Float64Array(b * n);
  const gram = new Float64Array(b * b);
  const nonFinite = () => new Error(`normOfOperator: ${op.name} produced non-finite values`);

  // The start: rows from the hash sequence (row 0 is the start of power-iteration.ts).
  powerStartInto(v);
  let cursor = orthonormaliseRows(v, b, m, 0);
  apply(v, b, av);
  let s = restrictedNorm(av, b, n, gram);
  if (s === 0) {
    // The start block lies in the null space. A^T u0 is not annihilated by A unless it is zero
    // (<u0, A A^T u0> = ||A^T u0||^2); failing that, the first unit vector e_j with A e_j != 0.
    const x = new Float64Array(m);
    const ax = new Float64Array(n);
    const u0 = new Float64Array(n);
    powerStartInto(u0);
    adjoint(u0, 1, x);
    apply(x, 1, ax);
    for (let j = 0; norm2Raw(ax, 0, n) === 0; j++) {
      if (j >= m) return zeroOperator(); // A e_j = 0 for every j: A = 0
      x.fill(0);
      x[j] = 1;
      apply(x, 1, ax);
    }
    v.set(x); // row 0; the other rows are orthogonalised against it
    cursor = orthonormaliseRows(v, b, m, cursor);
    apply(v, b, av);
    s = restrictedNorm(av, b, n, gram);
  }
  if (!Number.isFinite(s)) throw nonFinite();

  const history = new Float64Array(maxIter + 1);
  history[0] = s;
  let estimate = Infinity;
  let iterations = 0;
  let converged = upperBound - s <= tol * s;
  const w = new Float64Array(b * m);
  while (!converged && iterations < maxIter) {
    // V <- orth(A^T A V): A V is already in av; the rows of V are unit, so no overflow.
    adjoint(av, b, w);
    v.set(w);
    cursor = orthonormaliseRows(v, b, m, cursor);
    apply(v, b, av);
    const next = restrictedNorm(av, b, n, gram);
    if (!Number.isFinite(next)) throw nonFinite();
    iterations++;
    history[iterations] = next;
    estimate = remainingError(history, iterations);
    const increment = next - s;
    s = next;
    const small = increment <= Math.max(NOISE_ULPS * Number.EPSILON, TAIL * tol) * s;
    converged = (small && MARGIN * estimate <= tol * s) || upperBound - s <= tol * s;
  }
  // Capped: the extrapolation can miss the slow tail of a dense top cluster, so the statement never
  // goes below the Kuczynski-Wozniakowski bound of the power method.
  const sublinear = (KW_CONSTANT * Math.log(Math.max(m, 2))) / iterations;
  const stated = converged ? tol : Math.min(1, Math.max(tol, (MARGIN * estimate) / s, sublinear));
  const tolerance = Math.min(stated, Math.max(0, (upperBound - s) / s));
  return { value: s, exact: false, tolerance, iterations, converged };
}

/**
 * ||A||_2 of a LinearOperator by power iteration on A^T A through `apply` / `adjoint` (their raw
 * kernels when present), from a deterministic start. Stops when the estimated remaining error is
 * at most `tol` (default 1e-10) relative, or after `maxIter` (default 1000) iterations; the result
 * states the tolerance it reached (see the module notes for what it assumes). `exact` is false
 * except for the empty and zero operators (value 0).
 */
export function normOfOperator(op: LinearOperator, options?: OperatorNormOptions): OperatorNormResult {
  const fn = 'normOfOperator';
  checkOperator(fn, 'op', op);
  if (options === undefined) options = {};
  else if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const tol = options.tol === undefined ? OPERATOR_NORM_TOL : checkNumber(fn, 'tol', options.tol, { min: 0 });
  const maxIter =
    options.maxIter === undefined
      ? OPERATOR_NORM_MAX_ITER
      : checkInteger(fn, 'maxIter', options.maxIter, { min: 1 });
  const blockSize =
    options.blockSize === undefined
      ? defaultBlock(op.inputSize)
      : checkInteger(fn, 'blockSize', options.blockSize, { min: 1 });
  const upperBound =
    options.upperBound === undefined
      ? Infinity
      : checkNumber(fn, 'upperBound', options.upperBound, { min: 0 });
  return estimateOperatorNorm(op, tol, maxIter, blockSize, upperBound);
}

/** The default estimate of an operator without a closed form, as a NormEstimate. */
export function powerNormEstimate(op: LinearOperator): NormEstimate {
  return boundedPowerNorm(Infinity)(op);
}

/** The default estimate of an operator whose norm is known to be at most `upperBound`. */
export function boundedPowerNorm(upperBound: number): (op: LinearOperator) => NormEstimate {
  return (op) => {
    const { value, exact, tolerance } = estimateOperatorNorm(
      op,
      OPERATOR_NORM_TOL,
      OPERATOR_NORM_MAX_ITER,
      defaultBlock(op.inputSize),
      upperBound,
    );
    return { value, exact, tolerance };
  };
}
