/**
 * Convergence to a fixed point: run the sparse-coding iterations of a (learned) unrolled model,
 * ISTA or FISTA from z_0 = 0 with the dictionary D and the model's steps, beyond its training depth,
 * and watch whether they converge and to what. Per iteration k (batch means, Frobenius norms):
 *
 * - `stepNorm[k]` = ||Z_{k+1} - Z_k||_F / sqrt(N) (k = 0 .. I-1): the root mean square over signals
 *   of ||z_{k+1,i} - z_{k,i}||; tends to 0 at a fixed point;
 * - `suboptimality[k]` = F(Z_k) - F* (k = 0 .. I), F the mean Lasso objective over signals and F*
 *   that of the exact solution (coordinate descent to a duality gap of `tol`), so it can be
 *   negative by at most the gap;
 * - `distance[k]` = ||Z_k - Z*||_F / sqrt(N) (k = 0 .. I), the distance to the exact solution (when
 *   the solution is unique).
 *
 * Steps: iteration k uses steps[min(k, T - 1)] of the given steps (length T: a learned model's
 * steps; beyond the training depth the last learned step repeats), or 1/L(D) for every iteration
 * (plain ISTA / FISTA, which converge to a Lasso solution). A learned step above 2/L need not
 * converge, and a step different from 1/L gives the fixed points of ST(z - α ∇f(z), λα), which are
 * the Lasso solutions for every α > 0: so iterations that converge converge to Z*, and the study
 * shows whether and how fast they do. Iterations that diverge are reported as they go (the values
 * grow until they overflow to Infinity, and then NaN); nothing is thrown.
 *
 * Example (measured on the synthetic setting of the issue, 30 x 50, 1,000 signals, λ = 0.1): a DDL
 * model with learned steps trained at depth 20 learned steps of 0.33-0.73, far above 2/L (the
 * iterates are sparse, so the smaller Lipschitz constant on their support is what matters within
 * the training depth); repeating its last step, the iterations still decreased F - F* up to about
 * 50 iterations, then diverged (F - F* about 3e4 at 100 iterations).
 *
 * @module
 */
import { Tensor, unsafeData, wrap } from '../tensor/tensor.js';
import { checkInteger, checkNumber, checkOneOf, isArray, rangeError, typeError } from '../validate/index.js';
import { EXACT_GAP_TOL, lassoSolution } from './gradient-study.js';
import { residualInto } from '../unrolled/step-threshold.js';
import { checkSteps, defaultSteps, type UnrolledAlgorithm } from './unrolled-gradient.js';
import { dictionaryStepInto, StepWorkspace } from './unrolled-ista.js';
import { checkDictionaryAndSignals } from './common.js';

/** Options of {@link fixedPointStudy}. */
export interface FixedPointOptions {
  /** 'ista' (default) or 'fista'. */
  readonly algorithm?: UnrolledAlgorithm;
  /** The model's steps (>= 0, at least one; the last repeats), default 1/L(D). */
  readonly steps?: Tensor | readonly number[];
  /** Duality-gap tolerance of the reference solution, > 0 (default 1e-12). */
  readonly tol?: number;
}

/** What {@link fixedPointStudy} returns (see the module notes). */
export interface FixedPointResult {
  /** ||Z_{k+1} - Z_k||_F / sqrt(N), k = 0 .. iterations - 1. */
  readonly stepNorm: number[];
  /** F(Z_k) - F*, k = 0 .. iterations. */
  readonly suboptimality: number[];
  /** ||Z_k - Z*||_F / sqrt(N), k = 0 .. iterations. */
  readonly distance: number[];
  /** F* (mean over signals) and the largest duality gap of the reference solution. */
  readonly optimum: number;
  readonly referenceGap: number;
  /** The last iterate Z_I (N, K). */
  readonly codes: Tensor;
}

/**
 * Runs `iterations` >= 1 ISTA / FISTA iterations from 0 with the dictionary D (n, K) on the signals
 * Y (N >= 1, n), λ >= 0, and reports per iteration the step norm, the suboptimality and the distance
 * to the exact solution (see the module notes).
 */
export function fixedPointStudy(
  D: Tensor,
  Y: Tensor,
  lambda: number,
  iterations: number,
  options: FixedPointOptions = {},
): FixedPointResult {
  const fn = 'fixedPointStudy';
  const { n, K, N } = checkDictionaryAndSignals(fn, D, Y);
  const lam = checkNumber(fn, 'lambda', lambda, { min: 0 });
  const I = checkInteger(fn, 'iterations', iterations, { min: 1 });
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const algorithm =
    options.algorithm === undefined
      ? 'ista'
      : checkOneOf(fn, 'options.algorithm', options.algorithm, ['ista', 'fista'] as const);
  let steps: Float64Array;
  if (options.steps === undefined) steps = defaultSteps(D, 1);
  else {
    const given = options.steps;
    const T =
      given instanceof Tensor
        ? given.size
        : isArray(given)
          ? given.length
          : typeError(fn, 'options.steps', 'a tensor of rank 1 or an array of numbers', given);
    if (T < 1) rangeError(fn, 'options.steps', 'at least one step', given);
    steps = checkSteps(fn, 'options.steps', given, T);
  }
  const tol =
    options.tol === undefined
      ? EXACT_GAP_TOL
      : checkNumber(fn, 'options.tol', options.tol, { min: 0, exclusiveMin: true });

  const exact = lassoSolution(D, Y, lam, tol);
  const zStar = unsafeData(exact.Z);
  const d = unsafeData(D);
  const y = unsafeData(Y);
  const NK = N * K;
  const ws = new StepWorkspace(N, n, K);
  const r = new Float64Array(N * n);
  const rootN = Math.sqrt(N);
  let z = new Float64Array(NK); // Z_k
  let out = new Float64Array(NK); // Z_{k+1}
  const x = new Float64Array(NK); // FISTA's extrapolated point
  const fista = algorithm === 'fista';
  const stepNorm: number[] = [];
  const suboptimality: number[] = [];
  const distance: number[] = [];
  const record = (codes: Float64Array) => {
    residualInto(d, codes, y, N, n, K, r);
    let F = 0;
    for (let q = 0; q < N * n; q++) F += 0.5 * r[q] * r[q];
    for (let q = 0; q < NK; q++) F += lam * Math.abs(codes[q]);
    F /= N;
    suboptimality.push(F - exact.objective);
    let s = 0;
    for (let k = 0; k < NK; k++) s += (codes[k] - zStar[k]) ** 2;
    distance.push(Math.sqrt(s) / rootN);
  };
  record(z);
  let s = 1;
  for (let k = 0; k < I; k++) {
    const alpha = steps[Math.min(k, steps.length - 1)];
    dictionaryStepInto(ws, d, fista ? x : z, y, alpha, lam * alpha, r, out);
    let diff = 0;
    for (let q = 0; q < NK; q++) diff += (out[q] - z[q]) ** 2;
    stepNorm.push(Math.sqrt(diff) / rootN);
    if (fista) {
      const s1 = (1 + Math.sqrt(1 + 4 * s * s)) / 2;
      const beta = (s - 1) / s1;
      s = s1;
      for (let q = 0; q < NK; q++) x[q] = out[q] + beta * (out[q] - z[q]);
    }
    const tmp = z;
    z = out;
    out = tmp;
    record(z);
  }
  return {
    stepNorm,
    suboptimality,
    distance,
    optimum: exact.objective,
    referenceGap: exact.maxGap,
    codes: wrap(z.slice(), [N, K]),
  };
}
