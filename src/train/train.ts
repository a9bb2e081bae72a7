/**
 * The training loop: minimise an {@link Objective} from initial named parameters with Adam on
 * shuffled mini-batches or with full-batch backtracking gradient descent, keep the parameters of
 * the best epoch, stop early on a validation plateau, and stop (never throw) when training
 * diverges.
 *
 * Conventions, chosen so that training never returns worse than where it started:
 * - history[0] is "epoch 0", the initial (projected) parameters evaluated on the training rows
 *   and the validation rows; it is a candidate for the best epoch like every other one. The
 *   per-epoch callback is called for the trained epochs only (1, 2, ...).
 * - The monitored loss, which picks the best epoch and drives early stopping, is the validation
 *   loss when rows are held out, else the epoch's training loss. With Adam that training loss is
 *   the mean of the batch losses over the epoch (each taken before its step, weighted by rows): a
 *   free but lagging estimate of the loss at the end of the epoch. With GD it is exact (the full-
 *   batch loss after the step).
 * - Divergence: a loss or gradient that is not finite, or a loss (a batch's, or the validation
 *   loss) above `divergenceFactor` times the same loss at the initial parameters. Measuring
 *   against the start rather than the best keeps noisy batch losses near a zero optimum from
 *   passing for an explosion; since the best parameters are always returned, the guard only has to
 *   stop a run that has gone wrong, not save its result.
 *
 * @module
 */
import { Rng } from '../random/rng.js';
import { Tensor, unsafeData } from '../tensor/tensor.js';
import {
  checkInteger,
  checkNumber,
  checkOneOf,
  Got,
  rangeError,
  typeError,
  checkFinite,
} from '../validate/index.js';
import type { NamedTensors } from '../unrolled/model-types.js';
import { Adam } from './adam.js';
import { backtrackingStep, GD_GROWTH } from './gradient-descent.js';
import { drawSplit, shuffleInPlace } from './split.js';
import type { EpochReport, Objective, OptimizerName, StopReason, TrainResult } from './types.js';

/** Options of {@link train}. */
export interface TrainOptions {
  /** Epochs (passes over the training rows; GD: steps), an integer >= 1 (default 50). */
  readonly epochs?: number;
  /**
   * Rows per Adam mini-batch (default 100; the last batch of an epoch may be smaller). 0, or a
   * size >= the number of training rows, means one full batch per epoch. Ignored by 'gd', which
   * is always full-batch.
   */
  readonly batch?: number;
  /** 'adam' (default) or 'gd' (full-batch gradient descent with backtracking). */
  readonly optimizer?: OptimizerName;
  /** Adam's step (default 1e-3), or GD's initial step (default 1); > 0. */
  readonly lr?: number;
  /** Fraction of the rows held out for validation, in [0, 1) (default 0); see {@link splitRows}. */
  readonly validation?: number;
  /** Seed of the validation split and of the shuffles (default 0): same seed, same result. */
  readonly seed?: number;
  /** Early stopping: stop after this many epochs without a better monitored loss (default: never). */
  readonly patience?: number;
  /** Called after every trained epoch; returning false stops training (stopReason 'stopped'). */
  readonly onEpoch?: (report: EpochReport) => void | boolean;
  /** Called after every mini-batch with the batches done and the total in this epoch. */
  readonly onBatch?: (done: number, total: number) => void;
  /** A loss above this many times its initial value counts as divergence; > 1 (default 1e4). */
  readonly divergenceFactor?: number;
  /** Reported as EpochReport.stage (layer-wise training's depth), an integer >= 1 (default 1). */
  readonly stage?: number;
}

/** Default Adam step. */
export const ADAM_DEFAULT_LR = 1e-3;
/** Default initial step of gradient descent with backtracking. */
export const GD_DEFAULT_LR = 1;
/** Default divergence factor. */
export const DEFAULT_DIVERGENCE_FACTOR = 1e4;

interface Resolved {
  epochs: number;
  batch: number;
  optimizer: OptimizerName;
  lr: number;
  validation: number;
  seed: number;
  patience: number;
  onEpoch?: TrainOptions['onEpoch'];
  onBatch?: TrainOptions['onBatch'];
  divergenceFactor: number;
  stage: number;
}

/** Checks training options (messages name `fn`), with defaults. */
export function checkTrainOptions(fn: string, options: TrainOptions): Resolved {
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const o = options;
  // Only a missing option takes the default: null is a mistake, reported as such.
  const optimizer = checkOneOf(fn, 'optimizer', o.optimizer === undefined ? 'adam' : o.optimizer, [
    'adam',
    'gd',
  ] as const);
  const defaultLr = optimizer === 'adam' ? ADAM_DEFAULT_LR : GD_DEFAULT_LR;
  const fnOrUndefined = (name: string, f: unknown): void => {
    if (f !== undefined && typeof f !== 'function') typeError(fn, name, 'a function', f);
  };
  fnOrUndefined('onEpoch', o.onEpoch);
  fnOrUndefined('onBatch', o.onBatch);
  return {
    epochs: checkInteger(fn, 'epochs', o.epochs === undefined ? 50 : o.epochs, { min: 1 }),
    batch: checkInteger(fn, 'batch', o.batch === undefined ? 100 : o.batch, { min: 0 }),
    optimizer,
    lr: checkNumber(fn, 'lr', o.lr === undefined ? defaultLr : o.lr, { min: 0, exclusiveMin: true }),
    validation: checkNumber(fn, 'validation', o.validation === undefined ? 0 : o.validation, {
      min: 0,
      max: 1,
      exclusiveMax: true,
    }),
    seed: checkInteger(fn, 'seed', o.seed === undefined ? 0 : o.seed, {
      min: Number.MIN_SAFE_INTEGER,
      max: Number.MAX_SAFE_INTEGER,
    }),
    patience: o.patience === undefined ? Infinity : checkInteger(fn, 'patience', o.patience, { min: 1 }),
    onEpoch: o.onEpoch,
    onBatch: o.onBatch,
    divergenceFactor: checkNumber(
      fn,
      'divergenceFactor',
      o.divergenceFactor === undefined ? DEFAULT_DIVERGENCE_FACTOR : o.divergenceFactor,
      { min: 1, exclusiveMin: true },
    ),
    stage: checkInteger(fn, 'stage', o.stage === undefined ? 1 : o.stage, { min: 1 }),
  };
}

/** Checks an objective's shape (not its mathematics). */
function checkObjective(fn: string, objective: unknown): Objective {
  const requirement = 'an Objective (samples, evaluate, project)';
  if (objective === null || typeof objective !== 'object') typeError(fn, 'objective', requirement, objective);
  const o = objective as Partial<Objective>;
  if (typeof o.evaluate !== 'function' || typeof o.project !== 'function')
    typeError(fn, 'objective', requirement, objective);
  const samples = o.samples;
  if (typeof samples !== 'number' || !Number.isInteger(samples) || samples < 1)
    rangeError(
      fn,
      'objective',
      'an Objective with an integer number of samples >= 1',
      new Got(`samples ${String(samples)}`),
    );
  return o as Objective;
}

/** Checks initial parameters: a non-empty record of finite tensors. */
export function checkNamedTensors(fn: string, name: string, value: unknown): NamedTensors {
  const requirement = 'a record of named tensors';
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Tensor)
    typeError(fn, name, requirement, value);
  const keys = Object.keys(value);
  if (keys.length === 0) rangeError(fn, name, 'a non-empty record of named tensors', value);
  for (const k of keys) {
    const t = (value as Record<string, unknown>)[k];
    if (!(t instanceof Tensor)) typeError(fn, name, requirement, new Got(`'${k}' = ${describeShort(t)}`));
    checkFinite(fn, name, t);
  }
  return value as NamedTensors;
}

function describeShort(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

/** Every entry of every named tensor is finite. */
function allFinite(params: NamedTensors, names: readonly string[]): boolean {
  for (const name of names) {
    const d = unsafeData(params[name]);
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
  }
  return true;
}

/** The gradient has a tensor of the right size for every parameter (else the objective is wrong). */
function checkGrad(
  params: NamedTensors,
  grad: NamedTensors | undefined,
  names: readonly string[],
): NamedTensors {
  if (grad === undefined) throw new Error('train: the objective returned no gradient when asked for one');
  for (const name of names) {
    const g = grad[name];
    if (!(g instanceof Tensor) || g.size !== params[name].size)
      throw new Error(`train: the objective's gradient for '${name}' is missing or of the wrong size`);
  }
  return grad;
}

/**
 * Minimises `objective` from `init` (see the module doc for the conventions on epoch 0, the
 * monitored loss and divergence). Returns the parameters of the best epoch, the history and why
 * training stopped. Throws (TypeError / RangeError, with the template message) for bad options;
 * never for divergence, which ends training with stopReason 'diverged' and a message.
 *
 * Objectives get the rows of each call as an Int32Array that the trainer reuses afterwards: read
 * it during the call, don't keep it.
 */
export function train(objective: Objective, init: NamedTensors, options: TrainOptions = {}): TrainResult {
  const fn = 'train';
  checkObjective(fn, objective);
  checkNamedTensors(fn, 'init', init);
  const o = checkTrainOptions(fn, options);
  const samples = objective.samples;
  if (o.validation > 0 && samples < 2)
    rangeError(fn, 'validation', '0 when there is one sample (nothing to hold out)', o.validation);

  const start = performance.now();
  const seconds = (): number => (performance.now() - start) / 1000;
  const rng = new Rng(o.seed);
  const split = drawSplit(rng, samples, o.validation);
  const trainRows = split.train;
  const valRows = split.validation;
  const hasValidation = valRows.length > 0;
  const names = Object.keys(init);

  let params = objective.project(init);
  const history: EpochReport[] = [];
  const initTrain = objective.evaluate(params, trainRows, false).value;
  const initVal = hasValidation ? objective.evaluate(params, valRows, false).value : NaN;
  history.push({
    epoch: 0,
    stage: o.stage,
    trainLoss: initTrain,
    validationLoss: initVal,
    lr: o.lr,
    seconds: seconds(),
  });
  const monitored = (r: EpochReport): number => (hasValidation ? r.validationLoss : r.trainLoss);
  let best = monitored(history[0]);
  let bestParams = params;
  let bestIndex = 0;

  const result = (stopReason: StopReason, message?: string): TrainResult => ({
    params: bestParams,
    history,
    bestIndex,
    stopReason,
    ...(message === undefined ? {} : { message }),
    seconds: seconds(),
  });
  const diverged = (what: string, epoch: number): TrainResult => {
    const kept = history[bestIndex];
    const lossName = hasValidation ? 'validation loss' : 'training loss';
    return result(
      'diverged',
      `${fn}: training diverged at epoch ${epoch}: ${what}. Stopped and kept the best parameters, ` +
        `from epoch ${kept.epoch} (${lossName} ${monitored(kept)}).`,
    );
  };
  // A loss that is not finite or has exploded: the reason in words, or null when it is fine.
  const exploded = (what: string, value: number, initial: number): string | null => {
    if (!Number.isFinite(value)) return `the ${what} became ${value}`;
    if (initial > 0 && value > o.divergenceFactor * initial)
      return `the ${what} ${value} exceeded ${o.divergenceFactor} times its initial value ${initial}`;
    return null;
  };

  {
    const bad =
      exploded('training loss', initTrain, NaN) ??
      (hasValidation ? exploded('validation loss', initVal, NaN) : null);
    if (bad !== null)
      return result(
        'diverged',
        `${fn}: ${bad.replace('became', 'is')} at the initial parameters; nothing was trained.`,
      );
  }

  const trainCount = trainRows.length;
  const batchSize = o.batch === 0 || o.batch >= trainCount ? trainCount : o.batch;
  const batches = Math.ceil(trainCount / batchSize);
  const order = trainRows.slice();
  const adam = o.optimizer === 'adam' ? new Adam(params) : null;
  let gdStep = o.lr;
  let sinceBest = 0;

  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    let trainLoss: number;
    let lr = o.lr;
    if (adam !== null) {
      shuffleInPlace(rng, order);
      let sum = 0;
      for (let b = 0; b < batches; b++) {
        const rows = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, trainCount));
        const r = objective.evaluate(params, rows, true);
        const bad = exploded(`loss of batch ${b + 1} of ${batches}`, r.value, initTrain);
        if (bad !== null) return diverged(bad, epoch);
        const grad = checkGrad(params, r.grad, names);
        if (!allFinite(grad, names))
          return diverged(`the gradient of batch ${b + 1} of ${batches} is not finite`, epoch);
        const next = objective.project(adam.step(params, grad, o.lr));
        if (!allFinite(next, names)) return diverged('the parameters became non-finite', epoch);
        params = next;
        sum += r.value * rows.length;
        o.onBatch?.(b + 1, batches);
      }
      trainLoss = sum / trainCount;
    } else {
      const r = objective.evaluate(params, trainRows, true);
      const grad = checkGrad(params, r.grad, names);
      if (!allFinite(grad, names)) return diverged('the gradient is not finite', epoch);
      const s = backtrackingStep(objective, params, r.value, grad, trainRows, gdStep);
      if (!s.accepted) {
        // No step, however short, decreases the loss: a (numerically) stationary point.
        return result('converged');
      }
      params = s.params;
      trainLoss = s.value;
      lr = s.step;
      gdStep = s.step * GD_GROWTH;
      o.onBatch?.(1, 1);
    }
    const validationLoss = hasValidation ? objective.evaluate(params, valRows, false).value : NaN;
    const report: EpochReport = { epoch, stage: o.stage, trainLoss, validationLoss, lr, seconds: seconds() };
    history.push(report);
    if (hasValidation) {
      const bad = exploded('validation loss', validationLoss, initVal);
      if (bad !== null) return diverged(bad, epoch);
    }
    const loss = monitored(report);
    if (loss < best) {
      best = loss;
      bestParams = params;
      bestIndex = history.length - 1;
      sinceBest = 0;
    } else {
      sinceBest++;
    }
    if (o.onEpoch?.(report) === false) return result('stopped');
    if (sinceBest >= o.patience) return result('early-stopping');
  }
  return result('epochs');
}
