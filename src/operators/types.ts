/**
 * The LinearOperator contract (DESIGN.md): a linear map from R^inputSize to R^outputSize with
 * its exact adjoint, acting on single signals (rank 1) and on batches (rank 2, one signal per
 * row), and an estimate of its spectral norm. Every implementation passes the adjoint test
 * <A x, y> = <x, A^T y>. Signals of images (h, w) are flattened row-major to length h * w.
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';

/** A spectral-norm estimate and what it guarantees. */
export interface NormEstimate {
  /** The estimate of ||A||_2 (largest singular value). */
  value: number;
  /** True when `value` is exact up to rounding (closed form), false for an iterative estimate. */
  exact: boolean;
  /** Relative tolerance of the estimate: |value - ||A||_2| <= tolerance * ||A||_2 (stated, not proved, for power iteration). */
  tolerance: number;
}

/**
 * A linear map A (outputSize x inputSize) acting on signals and on batches of signals (rows).
 * Implementations never write into their arguments and return new tensors.
 */
export interface LinearOperator {
  /** A short description, e.g. 'conv1d(k=5, zero)'. */
  readonly name: string;
  /** Length of an output signal (rows of the matrix). */
  readonly outputSize: number;
  /** Length of an input signal (columns of the matrix). */
  readonly inputSize: number;
  /** A x for x of shape [inputSize], or a batch X of shape [N, inputSize] -> [N, outputSize]. */
  apply(x: Tensor): Tensor;
  /** A^T y for y of shape [outputSize], or a batch Y of shape [N, outputSize] -> [N, inputSize]. */
  adjoint(y: Tensor): Tensor;
  /** ||A||_2, exact where a closed form exists, else by power iteration on A^T A. */
  norm(): NormEstimate;
  /**
   * Optional raw kernel for solver hot loops: writes A x for `batch` signals stored row-major in
   * `x[0 .. batch * inputSize)` into `out[0 .. batch * outputSize)`. Unchecked (sizes, finiteness),
   * allocates nothing in the steady state, writes `out` only; `out` must not alias `x`. Operators
   * built by this library all have it; callers that may receive other operators go through
   * `operatorApplyInto`, which falls back to {@link LinearOperator.apply}.
   */
  applyInto?(x: Float64Array, batch: number, out: Float64Array): void;
  /** Optional raw kernel of the adjoint: A^T y for `batch` rows of `y` into `out` (as {@link LinearOperator.applyInto}). */
  adjointInto?(y: Float64Array, batch: number, out: Float64Array): void;
}
