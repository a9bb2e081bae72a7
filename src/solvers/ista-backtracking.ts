/**
 * ISTA with a backtracking line search (Beck & Teboulle 2009, section 4), one step per sample:
 *
 *     z+ = ST(z - t g, t lambda_i),   g = A^T (A z - y_i),
 *
 * with t accepted when the sufficient-decrease condition of the quadratic model holds,
 *
 *     f(z+) <= f(z) + <g, z+ - z> + ||z+ - z||^2 / (2t),   f(z) = 1/2 ||y_i - A z||^2.
 *
 * Each iteration starts from the sample's previous step times `increase` (at most `maxStep`; the
 * first iteration from `initialStep`) and multiplies it by `shrink` until the condition holds.
 *
 * Per-sample steps. The rows of a batch are independent problems, so each sample keeps its own
 * step: one shared step would be dictated by the sample with the largest local curvature and
 * slow down all the others. A backtracking round recomputes only the rejected samples.
 *
 * The test, exactly and without cancellation. f is quadratic, so with d = z+ - z,
 * f(z+) - f(z) - <g, d> = 1/2 ||A d||^2 exactly, and the condition is t ||A d||^2 <= ||d||^2. It is
 * evaluated in that form, from the product A d (support-aware: d lives on supp(z) and supp(z+)),
 * never as a difference of two nearly equal objectives, which rounding would make fail at random
 * near the optimum.
 *
 * Guarantees. An accepted step gives F(z+) <= F(z) - ||d||^2 / t + ||A d||^2 / 2
 * <= F(z) - ||d||^2 / (2t) (z+ minimises the (1/t)-strongly convex model, whose value at z is
 * F(z)): the objective never increases. (The test allows a relative 1e-10 for rounding, which
 * changes the decrease by that factor only.) The step never goes below 1/L (L = problem.lipschitz,
 * an upper bound of ||A||_2^2): a step that would fall below it is set to 1/L, which satisfies the
 * condition in exact arithmetic and is accepted without a test (so a rounding-level failure cannot
 * loop). Hence every step lies in [t_min, maxStep], t_min = min(1/L, initialStep, maxStep), and
 * ISTA's rate holds: F(z_k) - F* <= ||z_0 - z*||^2 / (2 t_min k).

 * Defaults: `increase` 2, `shrink` 1/2, `maxStep` = 1 / min_j ||a_j||^2 over the non-zero atoms
 * (the largest step that a change of a single coordinate can accept: a larger cap only matters
 * along directions of curvature below every atom's), `initialStep` = `maxStep`.
 *
 * @module
 */
import { unsafeData, wrap } from '../tensor/tensor.js';
import { checkNumber, typeError } from '../validate/index.js';
import { lassoCertificate } from './lasso-certificate.js';
import type { LassoProblem } from './lasso-problem.js';
import { initialCodes } from './ista.js';
import { lassoGradientInto, rowsTimesAtInto } from './gradient.js';
import { inverseLipschitz, proxGradRowInto } from './prox-grad-kernels.js';
import type { IterativeSolver, SolverState } from './types.js';

/**
 * Relative slack of the test t ||A d||^2 <= ||d||^2 for the rounding of the two sums of squares:
 * along a single atom j at the step 1/||a_j||^2 the two sides are equal in exact arithmetic, and
 * rounding must not turn that tie into a rejection. An accepted step still gives
 * F(z+) <= F(z) - (1 - 1e-10) ||d||^2 / (2t).
 */
const ACCEPT_SLACK = 1 + 1e-10;

/** Options of {@link istaBacktrackingSolver}. */
export interface IstaBacktrackingOptions {
  /** Step tried first by every sample (> 0, <= maxStep). Default: maxStep. */
  initialStep?: number;
  /** Largest step ever tried (> 0). Default: 1 / min_j ||a_j||^2 over the non-zero atoms. */
  maxStep?: number;
  /** Each iteration starts from the previous step times this (>= 1). Default 2. */
  increase?: number;
  /** A rejected step is multiplied by this (in (0, 1)). Default 0.5. */
  shrink?: number;
}

/** The state of {@link istaBacktracking}: codes and the step each sample used last. */
export interface IstaBacktrackingState extends SolverState {
  /** Codes (N x m, row-major). */
  readonly z: Float64Array;
  /** Per-sample step of the last iteration (the initial step before the first). */
  readonly steps: Float64Array;
  /** Largest step tried. */
  readonly maxStep: number;
  /** Backtracking rounds in the last iteration (1 when every first trial was accepted). */
  readonly rounds: number;
}

/** The largest step that any single-coordinate change accepts: 1 / min_j ||a_j||^2 (1 if A = 0). */
function atomStepCap(problem: LassoProblem): number {
  const { n, m } = problem;
  const a = unsafeData(problem.A);
  let smallest = Infinity;
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[k * m + j] * a[k * m + j];
    if (s > 0 && s < smallest) smallest = s;
  }
  return smallest < Infinity ? 1 / smallest : 1;
}

/**
 * ISTA with a per-sample backtracking line search (see the module notes), with the given options;
 * `istaBacktracking` is this solver with the defaults.
 */
export function istaBacktrackingSolver(
  options: IstaBacktrackingOptions = {},
): IterativeSolver<LassoProblem, IstaBacktrackingState> {
  const fn = 'istaBacktrackingSolver';
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const increase = checkNumber(fn, 'increase', options.increase ?? 2, { min: 1 });
  const shrink = checkNumber(fn, 'shrink', options.shrink ?? 0.5, {
    min: 0,
    max: 1,
    exclusiveMin: true,
    exclusiveMax: true,
  });
  const maxStepOption =
    options.maxStep === undefined
      ? undefined
      : checkNumber(fn, 'maxStep', options.maxStep, { min: 0, exclusiveMin: true });
  const initialStepOption =
    options.initialStep === undefined
      ? undefined
      : checkNumber(fn, 'initialStep', options.initialStep, {
          min: 0,
          exclusiveMin: true,
          ...(maxStepOption === undefined ? {} : { max: maxStepOption }),
        });
  const name = 'istaBacktracking';

  return {
    name,
    init(problem, warmStart) {
      const z = initialCodes(name, problem, warmStart);
      const maxStep = maxStepOption ?? Math.max(atomStepCap(problem), initialStepOption ?? 0);
      const steps = new Float64Array(problem.N).fill(initialStepOption ?? maxStep);
      return { iteration: 0, z, steps, maxStep, rounds: 0 };
    },
    step(problem, state) {
      const { N, n, m } = problem;
      const lambdas = problem.lambdas;
      const z = state.z;
      const residual = new Float64Array(N * n);
      const grad = new Float64Array(N * m);
      lassoGradientInto(problem, z, residual, grad);
      const minStep = inverseLipschitz(problem.lipschitz);

      const next = new Float64Array(N * m);
      const steps = new Float64Array(N);
      const pending = new Int32Array(N);
      for (let i = 0; i < N; i++) {
        const previous = state.steps[i];
        steps[i] = state.iteration === 0 ? previous : Math.min(state.maxStep, previous * increase);
        pending[i] = i;
      }
      // Rejected samples are packed into the first rows of d / ad: a round costs its samples only.
      const d = new Float64Array(N * m);
      const ad = new Float64Array(N * n);
      let count = N;
      let rounds = 0;
      while (count > 0) {
        rounds++;
        for (let p = 0; p < count; p++) {
          const i = pending[p];
          const o = i * m;
          proxGradRowInto(z, grad, o, m, steps[i], lambdas[i], next);
          for (let j = 0; j < m; j++) d[p * m + j] = next[o + j] - z[o + j];
        }
        rowsTimesAtInto(problem, d, count, ad);
        let rejected = 0;
        for (let p = 0; p < count; p++) {
          const i = pending[p];
          const t = steps[i];
          if (t <= minStep) continue; // 1/L or less: satisfies the condition in exact arithmetic
          let dd = 0;
          for (let j = p * m; j < (p + 1) * m; j++) dd += d[j] * d[j];
          let aa = 0;
          for (let k = p * n; k < (p + 1) * n; k++) aa += ad[k] * ad[k];
          if (t * aa <= dd * ACCEPT_SLACK) continue;
          steps[i] = Math.max(t * shrink, minStep);
          pending[rejected++] = i;
        }
        count = rejected;
      }
      return { iteration: state.iteration + 1, z: next, steps, maxStep: state.maxStep, rounds };
    },
    solution(problem, state) {
      return wrap(state.z.slice(), [problem.N, problem.m]);
    },
    certificate(problem, state) {
      return lassoCertificate(problem, state.z);
    },
  };
}

/** ISTA with the default per-sample backtracking line search (see {@link istaBacktrackingSolver}). */
export const istaBacktracking: IterativeSolver<LassoProblem, IstaBacktrackingState> =
  istaBacktrackingSolver();
