/**
 * The contract every proximal operator follows (DESIGN.md):
 *
 *     prox(x, hyper, scaling) = argmin_u 1/2 ||x - u||^2 + scaling * g(u; hyper)
 *
 * `hyper` is the regularisation parameter(s) of g: a number, or a Tensor shaped like x
 * (per coordinate), or, for a batch x of shape (N, m), a Tensor of shape [N] (one per sample).
 * Projections (indicators of a set) ignore `scaling`: scaling * indicator = indicator.
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';

/** A threshold / radius: one number, one per sample (shape [N] for x of shape [N, m]), or one per entry. */
export type Hyper = number | Tensor;

/** Gradients of a scalar loss w.r.t. the prox's input and its hyper-parameter. */
export interface ProxVjp<H = Hyper> {
  /** dLoss/dx, shaped like x. */
  gradInput: Tensor;
  /** dLoss/dhyper, shaped like hyper (a number for a scalar hyper: the sum over entries). */
  gradHyper: H;
}

/** A proximal operator with its function value and, where differentiable a.e., its VJP. */
export interface ProxOperator<H = Hyper> {
  /** Name used in messages, e.g. 'softThreshold'. */
  readonly name: string;
  /** Whether g is convex (then prox is firmly non-expansive). */
  readonly convex: boolean;
  /** argmin_u 1/2||x - u||^2 + scaling * g(u; hyper); scaling defaults to 1. */
  prox(x: Tensor, hyper: H, scaling?: number): Tensor;
  /** g(x; hyper) summed over all entries and samples (Infinity outside a projection's set). */
  value(x: Tensor, hyper: H): number;
  /**
   * Vector-Jacobian product of u = prox(x, hyper, scaling) at x: given gradOutput = dLoss/du,
   * returns dLoss/dx and dLoss/dhyper. Defined almost everywhere (not at the kinks).
   */
  vjp?(x: Tensor, hyper: H, scaling: number, gradOutput: Tensor): ProxVjp<H>;
}
