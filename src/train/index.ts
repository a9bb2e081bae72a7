/**
 * Training (src/train): the Objective interface, the optimisers (Adam, full-batch gradient
 * descent with backtracking), the seeded validation split and the training loop with early
 * stopping and a divergence guard.
 *
 * @module
 */
export * from './types.js';
export { Adam, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON } from './adam.js';
export { backtrackingStep, GD_GROWTH, GD_MAX_HALVINGS, type BacktrackingStep } from './gradient-descent.js';
export { splitRows, validationCount, type RowSplit } from './split.js';
export {
  train,
  ADAM_DEFAULT_LR,
  GD_DEFAULT_LR,
  DEFAULT_DIVERGENCE_FACTOR,
  type TrainOptions,
} from './train.js';
export { networkObjective, type NetworkObjectiveOptions } from './network-objective.js';
export { trainModel, type TrainModelOptions, type TrainModelResult } from './train-model.js';
