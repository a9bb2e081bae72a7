/**
 * The layer contract of unrolled networks (DESIGN.md): a layer maps the current codes and the
 * signals to the next codes,
 *
 *     forward(params, input) -> { output, cache }
 *     vjp(params, cache, gradOutput) -> { gradInput, gradParams }
 *
 * with gradParams shaped like params and gradients derived by hand (no autograd). A network is a
 * fold of layers forward and a reverse fold of their VJPs backward. Batches are rows: codes
 * Z (N, m), signals Y (N, n).
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import type { BackendLayer } from './backend-layers.js';

/** What flows between layers: the current codes and the signals (which every layer sees). */
export interface LayerInput {
  /** Codes z_k, shape (N, m). */
  readonly z: Tensor;
  /** Signals y, shape (N, n). */
  readonly y: Tensor;
}

/** Gradients w.r.t. a layer's input: d/dz_k and d/dy (both shaped like the input). */
export interface LayerInputGrad {
  readonly z: Tensor;
  readonly y: Tensor;
}

/** One unrolled layer with parameters of type P and a forward cache of type C. */
export interface Layer<P, C> {
  /** Name used in messages, e.g. 'lista'. */
  readonly name: string;
  /** z_{k+1} and what the VJP needs. */
  forward(params: P, input: LayerInput): { output: Tensor; cache: C };
  /** Given dLoss/dz_{k+1}, the gradients w.r.t. the input and every parameter. */
  vjp(params: P, cache: C, gradOutput: Tensor): { gradInput: LayerInputGrad; gradParams: P };
  /** The same layer on a compute backend (src/backend), where it has one (backend-layers.ts). */
  readonly onBackend?: BackendLayer<P>;
}
