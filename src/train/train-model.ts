/**
 * Training an unrolled model on signals: the network objective (network-objective.ts) minimised
 * by the training loop (train.ts), one-shot or layer-wise.
 *
 * Layer-wise (recursive) training trains depth 1, then depth 2 starting from the trained first
 * layer, ..., then depth T, `epochs` epochs per stage. A stage's new layer starts from the given
 * model's own value for it: the stage-d model is the first d layers of the given model with the
 * trained parameters of stage d-1 written over theirs (by name; tied parameters carry over too).
 * For a model from createModel that is the ISTA initialisation (what extendModel would give), and
 * it also keeps whatever the model was created or loaded with (its L, its initial thresholds,
 * pretrained layers).
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkBoolean, rangeError, typeError } from '../validate/index.js';
import { checkModel, checkSignals, truncateModel, withParams } from '../unrolled/model.js';
import type { Model, NamedTensors } from '../unrolled/model-types.js';
import { networkObjective, type NetworkObjectiveOptions } from './network-objective.js';
import { checkTrainOptions, train, type TrainOptions } from './train.js';
import type { TrainResult } from './types.js';

/** Options of {@link trainModel}: those of the trainer and of the network objective. */
export interface TrainModelOptions extends TrainOptions, NetworkObjectiveOptions {
  /**
   * Train depth 1, 2, ..., T in turn, each stage from the previous one's result, `epochs` epochs
   * per stage (default false: all T layers at once). Not with `layerWeights`.
   */
  readonly layerwise?: boolean;
}

/** What {@link trainModel} returns. */
export interface TrainModelResult {
  /** The model with the trained parameters (depth T). */
  readonly model: Model;
  /** The training of the full-depth model (layer-wise: the last stage that ran). */
  readonly result: TrainResult;
  /** Every stage's result in order (one-shot training: `[result]`). */
  readonly stages: readonly TrainResult[];
}

/**
 * Trains `model` on the signals Y (N, n): returns the model with the best parameters seen (see
 * {@link train} for what "best" means), the training result and, for layer-wise training, each
 * stage's. EpochReport.stage is the depth being trained (T for one-shot training); the `stage`
 * option is ignored. A stage that diverges keeps its best parameters and layer-wise training goes
 * on with the next stage; onEpoch returning false ends all training, and the layers not trained
 * yet keep the model's values.
 */
export function trainModel(model: Model, Y: Tensor, options: TrainModelOptions = {}): TrainModelResult {
  const fn = 'trainModel';
  const mdl = checkModel(fn, model);
  const signals = checkSignals(fn, mdl, Y);
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const layerwise =
    options.layerwise === undefined ? false : checkBoolean(fn, 'layerwise', options.layerwise);
  checkTrainOptions(fn, options);
  if (layerwise && options.layerWeights !== undefined)
    rangeError(
      fn,
      'layerWeights',
      'undefined for layer-wise training (each stage has its own depth)',
      options.layerWeights,
    );
  if (signals.shape[0] < 1) rangeError(fn, 'Y', 'a tensor with at least one row (signal)', signals);

  const objectiveOptions: NetworkObjectiveOptions = {
    loss: options.loss,
    targets: options.targets,
    layerWeights: options.layerWeights,
    backend: options.backend,
  };
  const T = mdl.spec.depth;
  const stages: TrainResult[] = [];
  let trained: NamedTensors = {};
  for (let depth = layerwise ? 1 : T; depth <= T; depth++) {
    const base = depth === T ? mdl : truncateModel(mdl, depth);
    const start = withParams(base, { ...base.params, ...trained });
    const result = train(networkObjective(start, signals, objectiveOptions), start.params, {
      ...options,
      stage: depth,
    });
    stages.push(result);
    trained = result.params;
    if (result.stopReason === 'stopped') break;
  }
  return {
    model: withParams(mdl, { ...mdl.params, ...trained }),
    result: stages[stages.length - 1],
    stages,
  };
}
