/**
 * Unrolled (deep) dictionary learning, DDL (Malezieux, Moreau & Kowalski, ICLR 2022): minimise over
 * the dictionary D (atoms in the unit l2 ball) the Lasso objective at the output of T unrolled
 * ISTA / FISTA iterations from 0,
 *
 *     L(D) = 1/N Σ_i F(D, z_T(D, y_i)),
 *
 * with the gradient by back-propagation through the iterations (unrolled-gradient.ts; the VJP
 * w.r.t. D of one iteration is derived in unrolled-ista.ts). Options:
 *
 * - steps: 1/L(D) (L an upper bound of ||D||₂², recomputed whenever D changes and treated as a
 *   constant in the gradient), or `learnSteps: true`: one step α_t per iteration, trained with D
 *   (initialised at 1/L(D_0), kept >= 0);
 * - `truncate: K`: back-propagate through the last K iterations only;
 * - full batch (default): projected gradient descent with backtracking (src/train's
 *   backtrackingStep: a trial is accepted when the objective does not increase, the step is
 *   halved otherwise and doubled after an accepted step, starting at `lr`, default 1), so the
 *   objective never increases; one outer iteration is one accepted step, and the run stops early
 *   when no step decreases the objective (a stationary point, to rounding).
 * - `batch: B`: stochastic mini-batches with Adam (src/train/adam.ts), then the projection; one
 *   outer iteration is one pass over the shuffled signals (seeded). Adam's step is `lr` (default
 *   0.01) for D and lr / L(D_0) for the learned steps (whose scale is 1/L).
 *
 * The objective in the history is L(D) on all training signals (with the steps of that iteration).
 * Timing follows common.ts; for the mini-batch version it includes the full-batch L(D) evaluated
 * after each pass for the history (one forward pass over all signals, about a third of the cost
 * of the pass itself).
 *
 * The codes returned are the unrolled codes z_T(D, y_i) of the final dictionary; the result also
 * carries the steps (learned, or 1/L of the final D), for running the learned model further
 * (fixed-point.ts).
 *
 * @module
 */
import { Rng } from '../random/rng.js';
import { Tensor, unsafeData, wrap } from '../tensor/tensor.js';
import { Adam } from '../train/adam.js';
import { backtrackingStep, GD_GROWTH } from '../train/gradient-descent.js';
import { shuffleInPlace } from '../train/split.js';
import type { Objective } from '../train/types.js';
import type { NamedTensors } from '../unrolled/model-types.js';
import { checkBoolean, checkInteger, checkNumber, checkOneOf, rangeError } from '../validate/index.js';
import { checkLearningOptions, IterationRecorder } from './common.js';
import { checkSignals, initialAtoms, projectAtomsInPlace } from './init.js';
import type { DictionaryLearningOptions, DictionaryLearningResult } from './types.js';
import {
  defaultSteps,
  unrolledBackward,
  unrolledForward,
  type UnrolledAlgorithm,
  type UnrolledTrace,
} from './unrolled-gradient.js';

/** Options of {@link learnDictionaryDdl}. */
export interface DdlOptions extends DictionaryLearningOptions {
  /** The Lasso regularisation λ >= 0. */
  readonly lambda: number;
  /** T >= 1 unrolled iterations. */
  readonly depth: number;
  /** 'ista' (default) or 'fista'. */
  readonly algorithm?: UnrolledAlgorithm;
  /** Back-propagate through the last K iterations only, 1 <= K <= depth (default depth). */
  readonly truncate?: number;
  /** Learn one step per iteration (default false: 1/L(D)). */
  readonly learnSteps?: boolean;
  /** Mini-batch size >= 1 (stochastic version with Adam); default: full batch with backtracking. */
  readonly batch?: number;
  /** Adam's step (default 0.01), or the initial step of the full-batch backtracking (default 1); > 0. */
  readonly lr?: number;
}

/** What {@link learnDictionaryDdl} returns: the common result and the steps of the final model. */
export interface DdlResult extends DictionaryLearningResult {
  /** The steps α_t, shape [depth]: learned, or 1/L of the final dictionary. */
  readonly steps: Tensor;
}

/** Default outer iterations (accepted steps, or passes over the data with mini-batches). */
export const DDL_DEFAULT_ITERATIONS = 50;
/** Default Adam step of the mini-batch version. */
export const DDL_DEFAULT_ADAM_LR = 0.01;
/** Default initial step of the full-batch backtracking. */
export const DDL_DEFAULT_GD_LR = 1;

/**
 * L(D) and its gradient on rows of the training signals, over the named parameters { D } or
 * { D, steps } (learned steps). The last full-batch forward pass is kept, so that the gradient at
 * the step that a backtracking search accepted costs only the backward pass.
 */
class DdlObjective implements Objective {
  readonly samples: number;
  readonly allRows: Int32Array;
  #cache: { params: NamedTensors; trace: UnrolledTrace } | undefined;

  constructor(
    readonly y: Float64Array,
    readonly N: number,
    readonly n: number,
    readonly K: number,
    readonly lambda: number,
    readonly depth: number,
    readonly fista: boolean,
    readonly keep: number,
  ) {
    this.samples = N;
    this.allRows = new Int32Array(N);
    for (let i = 0; i < N; i++) this.allRows[i] = i;
  }

  /** The steps at params: the learned ones, or 1/L(D). */
  steps(params: NamedTensors): Float64Array {
    const learned = params.steps;
    return learned !== undefined ? unsafeData(learned).slice() : defaultSteps(params.D, this.depth);
  }

  /** The forward pass on rows (keeping what the backward pass needs when `keep`). */
  trace(params: NamedTensors, rows: Int32Array, keep: boolean): UnrolledTrace {
    const { N, n, K } = this;
    let y = this.y;
    let Nb = N;
    if (rows !== this.allRows) {
      Nb = rows.length;
      y = new Float64Array(Nb * n);
      for (let b = 0; b < Nb; b++) y.set(this.y.subarray(rows[b] * n, rows[b] * n + n), b * n);
    }
    const d = unsafeData(params.D);
    const dicts = new Array<Float64Array>(this.depth).fill(d);
    return unrolledForward(
      dicts,
      y,
      Nb,
      n,
      K,
      this.lambda,
      this.steps(params),
      this.fista,
      keep ? this.keep : 0,
    );
  }

  /** The full-batch forward pass at params (the kept one when it is for these parameters). */
  fullTrace(params: NamedTensors): UnrolledTrace {
    const cached = this.#cache;
    return cached !== undefined && cached.params === params
      ? cached.trace
      : this.trace(params, this.allRows, false);
  }

  evaluate(params: NamedTensors, rows: Int32Array, withGrad: boolean) {
    const full = rows === this.allRows;
    let trace: UnrolledTrace;
    if (full && this.#cache?.params === params) trace = this.#cache.trace;
    else {
      // A full-batch value is always followed by a gradient at the accepted trial: keep its pass.
      trace = this.trace(params, rows, withGrad || full);
      this.#cache = full ? { params, trace } : undefined;
    }
    if (!withGrad) return { value: trace.value };
    const { gradD, gradSteps } = unrolledBackward(trace);
    const grad: Record<string, Tensor> = { D: wrap(gradD, params.D.shape) };
    if (params.steps !== undefined) grad.steps = wrap(gradSteps, [this.depth]);
    return { value: trace.value, grad };
  }

  project(params: NamedTensors): NamedTensors {
    const { n, K } = this;
    const d = unsafeData(params.D);
    const norms = new Float64Array(K);
    const D = Float64Array.from(d);
    projectAtomsInPlace(D, n, K, norms);
    const out: Record<string, Tensor> = { D: wrap(D, [n, K]) };
    let changed = D.some((v, i) => v !== d[i]);
    if (params.steps !== undefined) {
      const s = unsafeData(params.steps);
      const steps = s.map((v) => Math.max(v, 0));
      changed ||= steps.some((v, i) => v !== s[i]);
      out.steps = wrap(steps, [this.depth]);
    }
    return changed ? out : params;
  }
}

/**
 * Unrolled (deep) dictionary learning on the signals Y (N >= 1, n): see the module notes. The
 * result's history has the initial dictionary first, then one record per outer iteration.
 */
export function learnDictionaryDdl(Y: Tensor, options: DdlOptions): DdlResult {
  const fn = 'learnDictionaryDdl';
  const Yt = checkSignals(fn, Y);
  const [N, n] = Yt.shape;
  if (N < 1) rangeError(fn, 'Y', 'a tensor with at least one row (signal)', Yt);
  const common = checkLearningOptions(fn, options, n, DDL_DEFAULT_ITERATIONS);
  const K = common.atoms;
  const lambda = checkNumber(fn, 'lambda', options.lambda, { min: 0 });
  const depth = checkInteger(fn, 'depth', options.depth, { min: 1 });
  const algorithm =
    options.algorithm === undefined
      ? 'ista'
      : checkOneOf(fn, 'algorithm', options.algorithm, ['ista', 'fista'] as const);
  const keep =
    options.truncate === undefined
      ? depth
      : checkInteger(fn, 'truncate', options.truncate, { min: 1, max: depth });
  const learnSteps =
    options.learnSteps === undefined ? false : checkBoolean(fn, 'learnSteps', options.learnSteps);
  const batch =
    options.batch === undefined ? undefined : checkInteger(fn, 'batch', options.batch, { min: 1 });
  const lr =
    options.lr === undefined
      ? batch === undefined
        ? DDL_DEFAULT_GD_LR
        : DDL_DEFAULT_ADAM_LR
      : checkNumber(fn, 'lr', options.lr, { min: 0, exclusiveMin: true });

  const recorder = new IterationRecorder(fn, common, n);
  const d0 = initialAtoms(fn, Yt, K, common.init, common.seed);
  const objective = new DdlObjective(unsafeData(Yt), N, n, K, lambda, depth, algorithm === 'fista', keep);
  const D0 = wrap(d0, [n, K]);
  let params: NamedTensors = learnSteps
    ? { D: D0, steps: wrap(defaultSteps(D0, depth), [depth]) }
    : { D: D0 };
  params = objective.project(params);
  const rows = objective.allRows;

  let last: UnrolledTrace;
  if (batch === undefined) {
    let { value, grad } = objective.evaluate(params, rows, true) as { value: number; grad: NamedTensors };
    let go = recorder.record(0, value, unsafeData(params.D), false);
    let step = lr;
    for (let it = 1; go && it <= common.iterations; it++) {
      const bt = backtrackingStep(objective, params, value, grad, rows, step);
      if (!bt.accepted) break;
      params = bt.params;
      value = bt.value;
      step = bt.step * GD_GROWTH;
      grad = (objective.evaluate(params, rows, true) as { grad: NamedTensors }).grad;
      go = recorder.record(it, value, unsafeData(params.D), false);
    }
    last = objective.fullTrace(params);
  } else {
    last = objective.trace(params, rows, false);
    let go = recorder.record(0, last.value, unsafeData(params.D), false);
    const adamD = new Adam({ D: params.D });
    const adamSteps = learnSteps ? new Adam({ steps: params.steps }) : undefined;
    const stepsLr = learnSteps ? lr * unsafeData(params.steps)[0] : 0;
    const rng = new Rng(common.seed);
    const order = Int32Array.from(rows);
    for (let it = 1; go && it <= common.iterations; it++) {
      shuffleInPlace(rng, order);
      for (let start = 0; start < N; start += batch) {
        const sub = order.subarray(start, Math.min(start + batch, N));
        const { grad } = objective.evaluate(params, sub, true) as { grad: NamedTensors };
        let next: Record<string, Tensor> = { ...adamD.step({ D: params.D }, { D: grad.D }, lr) };
        if (adamSteps !== undefined)
          next = { ...next, ...adamSteps.step({ steps: params.steps }, { steps: grad.steps }, stepsLr) };
        params = objective.project(next);
      }
      last = objective.trace(params, rows, false);
      go = recorder.record(it, last.value, unsafeData(params.D), false);
    }
  }
  const steps = objective.steps(params);
  return {
    method: 'ddl',
    D: params.D,
    codes: wrap(last.codes, [N, K]),
    history: recorder.history,
    seconds: recorder.seconds,
    steps: wrap(steps, [depth]),
  };
}
