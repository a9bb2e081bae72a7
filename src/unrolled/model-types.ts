/**
 * The types of a trainable unrolled model: one of the four network kinds (LISTA, LISTA-CP,
 * ALISTA, SLISTA) of depth T over a fixed operator A, with its learned parameters held as named
 * tensors (the names are those of the model file, PyTorch-style: `layers.3.W1` for a per-layer
 * parameter, `shared.W1` for one tied across layers).
 *
 * Named tensors are the one currency between the model, the optimisers of src/train and the
 * safetensors model files: an optimiser sees a flat record of tensors and their gradients, never
 * the layer parameter objects.
 *
 * λ comes in two modes. `fixed`: the network's λ is one number and the signals are used as they
 * are. `ratio` (the Ablin et al. setting): each signal y is scaled to c = λMax(y) = ||Aᵀy||∞ before
 * the network and its codes scaled back, z = c net(y / c), with the network's λ = the ratio R, so
 * the model solves min ½||y − Az||² + R λMax(y) ||z||₁ for every y (the objective scales by c²).
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';

/** The network kinds by their command-line names. */
export type ModelKind = 'lista' | 'lista-cp' | 'alista' | 'slista';

/** The model kinds, in a stable order. */
export const MODEL_KINDS: readonly ModelKind[] = ['lista', 'lista-cp', 'alista', 'slista'];

/** How λ is set: one number for every signal, or a ratio of each signal's λMax. */
export type LambdaMode = 'fixed' | 'ratio';

/** Named parameter tensors, e.g. { 'layers.0.W1': ..., 'shared.theta': ... }. */
export type NamedTensors = Readonly<Record<string, Tensor>>;

/** Everything that defines a model apart from its parameter values (stored as file metadata). */
export interface ModelSpec {
  readonly kind: ModelKind;
  /** Depth T >= 1. */
  readonly depth: number;
  /** λ >= 0 (`fixed`) or the ratio R of λMax (`ratio`). */
  readonly lambda: number;
  readonly lambdaMode: LambdaMode;
  /** Names of the parameter fields tied across layers (e.g. ['W'] for a weight-tied LISTA-CP). */
  readonly shared: readonly string[];
  /** LISTA-CP's support selection p in [0, 100] (0: none). */
  readonly supportSelection: number;
}

/** A model: its spec, the operator A (n, m) and the current parameter values. Immutable. */
export interface Model {
  readonly spec: ModelSpec;
  /** The operator (dictionary) A, shape (n, m). */
  readonly A: Tensor;
  /** The learned parameters by name. */
  readonly params: NamedTensors;
}
