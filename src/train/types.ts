/**
 * The types of training (src/train): what an optimiser minimises and what it reports.
 *
 * The trainer knows nothing of networks. It minimises the mean of a per-sample loss over a
 * dataset of `samples` rows, with parameters held as named tensors (the currency of
 * model-types.ts), through an {@link Objective}: the loss and its hand-derived gradient on any
 * subset of rows. The network objectives (unsupervised / supervised loss of an unrolled model)
 * are one implementation; a quadratic is another (used by the tests).
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import type { NamedTensors } from '../unrolled/model-types.js';

/** A loss on rows of a dataset, with its gradient w.r.t. named parameters. */
export interface Objective {
  /** Number of samples (rows) in the dataset. */
  readonly samples: number;
  /**
   * The mean loss over the given rows (indices into the dataset) at `params` and, when `withGrad`,
   * its gradient (one tensor per parameter name, same shapes). The trainer reuses `rows` after
   * the call returns: read it, don't keep it.
   */
  evaluate(
    params: NamedTensors,
    rows: Int32Array,
    withGrad: boolean,
  ): { readonly value: number; readonly grad?: NamedTensors };
  /**
   * Maps parameters back onto their feasible set after a step (e.g. thresholds and steps >= 0);
   * returns the same object when nothing changed.
   */
  project(params: NamedTensors): NamedTensors;
}

/** The optimisers by their command-line names. */
export type OptimizerName = 'adam' | 'gd';

/** One epoch of training, as given to the per-epoch callback and kept in the history. */
export interface EpochReport {
  /**
   * The epoch, counted from 1 (for layer-wise training, within the current stage); 0 is the
   * initial parameters, evaluated before training (history[0]).
   */
  readonly epoch: number;
  /** Layer-wise training: the depth being trained; otherwise the model's depth. */
  readonly stage: number;
  /**
   * Mean training loss over the epoch's batches, each taken before its step (full-batch GD: the
   * loss after the step; epoch 0: the loss at the initial parameters).
   */
  readonly trainLoss: number;
  /** Loss on the validation rows (NaN without a validation split). */
  readonly validationLoss: number;
  /** The learning rate used (GD with backtracking: the step this epoch's search accepted). */
  readonly lr: number;
  /** Seconds since training started. */
  readonly seconds: number;
}

/**
 * Why training stopped: the epochs ran out; no better monitored loss for `patience` epochs; the
 * loss diverged; GD found no step that decreases the loss (converged); the per-epoch callback
 * returned false (stopped).
 */
export type StopReason = 'epochs' | 'early-stopping' | 'diverged' | 'converged' | 'stopped';

/** What training returns. */
export interface TrainResult {
  /**
   * The parameters with the best validation loss seen (the training loss without validation),
   * the initial parameters (epoch 0) included.
   */
  readonly params: NamedTensors;
  /** Every epoch, in order, from epoch 0 (the initial parameters). */
  readonly history: readonly EpochReport[];
  /** The epoch (index into history) whose parameters were returned. */
  readonly bestIndex: number;
  readonly stopReason: StopReason;
  /** A sentence for the user when stopReason is 'diverged' (what happened, what was restored). */
  readonly message?: string;
  readonly seconds: number;
}

/** The targets of a supervised loss, or signals, as tensors (re-exported for convenience). */
export type { Tensor };
