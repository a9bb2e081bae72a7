/**
 * How good is the unrolled gradient? For a fixed dictionary D, compare the gradient of the unrolled
 * objective at depth T (back-propagation through T ISTA / FISTA iterations, unrolled-gradient.ts)
 * with the analytic gradient at the exact Lasso solution,
 *
 *     g* = ∇_D F(D, Z*) = (Z* Dᵀ - Y)ᵀ Z* / N        (objective.ts, dictionaryGradient),
 *
 * which is the gradient of the value function D -> min_Z F(D, Z) where the solution is unique
 * (Malezieux, Moreau & Kowalski 2022, Proposition 2.1). Z* comes from coordinate descent run to a
 * tight duality gap (default 1e-12 per signal). Their analysis: the unrolled gradient converges to
 * g* once the iterates have identified the support (the Jacobian of z_T then converges too), but
 * in the first iterations it can be worse than the analytic gradient taken at z_T (the gradient of
 * alternating minimisation), which is reported alongside.
 *
 * Reported for each depth T (norms are Frobenius norms of (n, K) matrices):
 *
 * - `absolute[T]` = ||g_T - g*||, `relative[T]` = ||g_T - g*|| / ||g*||, g_T the unrolled gradient;
 * - `analyticAbsolute[T]`, `analyticRelative[T]`: the same for ∇_D F(D, z_T), the analytic
 *   formula at the unrolled codes (no back-propagation);
 * - `codesError[T]` = ||z_T - Z*||_F / sqrt(N), the root mean square over signals of ||z_T,i - z*_i||.
 *
 * Each depth is its own run from z_0 = 0 (the cost is the sum of the depths, forward and backward).
 *
 * @module
 */
import { coordinateDescentSolver, CD_SYNC_EVERY } from '../solvers/coordinate-descent.js';
import { lassoProblem } from '../solvers/lasso-problem.js';
import { runSolver } from '../solvers/run.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkInteger, checkNumber, checkOneOf, isArray, rangeError, typeError } from '../validate/index.js';
import { dictionaryGradient } from './objective.js';
import {
  defaultSteps,
  unrolledBackward,
  unrolledForward,
  type UnrolledAlgorithm,
} from './unrolled-gradient.js';
import { checkDictionaryAndSignals } from './common.js';

/** Default duality-gap tolerance (per signal) of the reference solution. */
export const EXACT_GAP_TOL = 1e-12;
/** Epoch cap of coordinate descent for the reference solution. */
const EXACT_MAX_ITER = 1_000_000;

/** The Lasso solution of reference: codes, mean objective F* and the largest gap reached. */
export interface LassoSolution {
  readonly Z: Tensor;
  readonly objective: number;
  readonly maxGap: number;
}

/**
 * The Lasso codes of the signals Y (N, n) for the dictionary D (n, K) by coordinate descent to a
 * duality gap of `tol` on every signal (or the epoch cap; `maxGap` says what was reached).
 * Unchecked.
 */
export function lassoSolution(D: Tensor, Y: Tensor, lambda: number, tol: number): LassoSolution {
  const result = runSolver(coordinateDescentSolver({ tol }), lassoProblem(D, Y, lambda), {
    tol,
    maxIter: EXACT_MAX_ITER,
    checkEvery: CD_SYNC_EVERY,
  });
  return { Z: result.Z, objective: result.meanObjective, maxGap: result.maxGap };
}

/** Options of {@link gradientErrorByDepth}. */
export interface GradientErrorOptions {
  /** 'ista' (default) or 'fista'. */
  readonly algorithm?: UnrolledAlgorithm;
  /** Back-propagate through the last min(K, T) iterations only (default: all). */
  readonly truncate?: number;
  /** Duality-gap tolerance of the reference solution, > 0 (default 1e-12). */
  readonly tol?: number;
}

/** What {@link gradientErrorByDepth} returns: one entry per depth, in the order given. */
export interface GradientErrorResult {
  readonly depths: number[];
  readonly absolute: number[];
  readonly relative: number[];
  readonly analyticAbsolute: number[];
  readonly analyticRelative: number[];
  readonly codesError: number[];
  /** ||g*||_F. */
  readonly referenceNorm: number;
  /** The largest duality gap of the reference solution. */
  readonly referenceGap: number;
}

function distance(a: Float64Array | readonly number[], b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < b.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/**
 * The error of the unrolled gradient at each depth T in `depths` (integers >= 1) against the
 * analytic gradient at the exact solution, for the dictionary D (n, K), signals Y (N >= 1, n) and
 * λ > 0 (see the module notes). The steps are 1/L(D).
 */
export function gradientErrorByDepth(
  D: Tensor,
  Y: Tensor,
  lambda: number,
  depths: readonly number[],
  options: GradientErrorOptions = {},
): GradientErrorResult {
  const fn = 'gradientErrorByDepth';
  const { n, K, N } = checkDictionaryAndSignals(fn, D, Y);
  const lam = checkNumber(fn, 'lambda', lambda, { min: 0, exclusiveMin: true });
  if (!isArray(depths)) typeError(fn, 'depths', 'an array of integers >= 1', depths);
  if (depths.length < 1) rangeError(fn, 'depths', 'an array of at least one integer >= 1', depths);
  const ds = depths.map((t, i) => checkInteger(fn, `depths[${i}]`, t, { min: 1 }));
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const algorithm =
    options.algorithm === undefined
      ? 'ista'
      : checkOneOf(fn, 'options.algorithm', options.algorithm, ['ista', 'fista'] as const);
  const truncate =
    options.truncate === undefined
      ? Infinity
      : checkInteger(fn, 'options.truncate', options.truncate, { min: 1 });
  const tol =
    options.tol === undefined
      ? EXACT_GAP_TOL
      : checkNumber(fn, 'options.tol', options.tol, { min: 0, exclusiveMin: true });

  const exact = lassoSolution(D, Y, lam, tol);
  const gStar = unsafeData(dictionaryGradient(D, Y, exact.Z));
  const zStar = unsafeData(exact.Z);
  const referenceNorm = distance(new Float64Array(gStar.length), gStar);
  const rel = (e: number) => (referenceNorm > 0 ? e / referenceNorm : e === 0 ? 0 : Infinity);
  const d = unsafeData(D);
  const y = unsafeData(Y);
  const stepValue = defaultSteps(D, 1)[0];
  const result = {
    depths: ds,
    absolute: [] as number[],
    relative: [] as number[],
    analyticAbsolute: [] as number[],
    analyticRelative: [] as number[],
    codesError: [] as number[],
    referenceNorm,
    referenceGap: exact.maxGap,
  };
  for (const T of ds) {
    const steps = new Float64Array(T).fill(stepValue);
    const trace = unrolledForward(
      new Array<Float64Array>(T).fill(d),
      y,
      N,
      n,
      K,
      lam,
      steps,
      algorithm === 'fista',
      Math.min(truncate, T),
    );
    const { gradD } = unrolledBackward(trace);
    const e = distance(gradD, gStar);
    const codes = wrap(trace.codes, [N, K]);
    const ea = distance(unsafeData(dictionaryGradient(D, Y, codes)), gStar);
    result.absolute.push(e);
    result.relative.push(rel(e));
    result.analyticAbsolute.push(ea);
    result.analyticRelative.push(rel(ea));
    result.codesError.push(distance(trace.codes, zStar) / Math.sqrt(N));
  }
  return result;
}
