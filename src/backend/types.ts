/**
 * The compute backend interface: the hot kernels of the solvers and the unrolled layers, named
 * once, so that the same ISTA/FISTA iterations, network passes and training steps run on the CPU
 * (Float64, the reference: src/backend/cpu.ts) or on gpu.js (float32: `unfolded/gpu`). Callers
 * never branch on which backend they have; they call these methods.
 *
 * Data lives on the backend between calls as {@link DeviceMatrix} handles (row-major, batches are
 * rows as everywhere in the library): a network's forward pass or a solver's iterations upload
 * their inputs once, keep every intermediate on the device, and read back only results
 * ({@link Backend.download}, and the small reductions that return host numbers). Every method
 * returns a new handle and never changes its arguments; handles that are no longer needed are
 * given back with {@link Backend.release} (a no-op on the CPU, frees a texture on a GPU).
 *
 * The kernels, in the notation of the layers (codes Z (N, m), signals Y (N, n), op(W) = W or Wᵀ):
 *
 * - products: `times` X op(W) (Z W2ᵀ, Y W1ᵀ, Z Aᵀ, R A, ĝ W, ...) and `transposeTimes` Xᵀ Y
 *   (parameter gradients: a sum over the batch of outer products, ĝᵀ Y, ĝᵀ Z, Rᵀ ĝ);
 * - `affine` B + β X op(W) (a residual Y - Z Aᵀ, a momentum step) and the fused layer forward
 *   `shrinkAffine` ST(B + β X op(W), θ), the step of LISTA, LISTA-CP, SLISTA, ALISTA and ISTA;
 * - the backward pieces of the soft threshold: `maskedGradient` ĝ = g ⊙ 1[entry passed] and
 *   `thresholdGradient` dθ_j = -Σ_i sign(out_ij) g_ij, both read off the threshold's output
 *   (for soft thresholding, out ≠ 0 exactly where |pre| > θ, with the sign of pre);
 * - `combine` a X + b Y and `dot` <X, Y> for momentum, gradient sums and step-size gradients.
 *
 * Thresholds are θ_ij = scale · rows_i · cols_j ({@link Thresholds}): per sample (ISTA's λ_i / L),
 * per code coordinate (LISTA's θ_j) or one number.
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';

/** A matrix held by a backend: rows x cols, row-major. Opaque: only its backend reads it. */
export interface DeviceMatrix {
  readonly rows: number;
  readonly cols: number;
}

/**
 * Soft-threshold levels θ_ij = scale · rows_i · cols_j (>= 0): `rows` a (N, 1) matrix (one level
 * per sample), `cols` a (1, m) matrix (one per code coordinate); a missing factor is 1.
 */
export interface Thresholds {
  readonly scale: number;
  readonly rows?: DeviceMatrix;
  readonly cols?: DeviceMatrix;
}

/** One compute backend: the kernels of the solvers and unrolled layers on data it holds. */
export interface Backend {
  /** 'cpu' or 'gpu.js'. */
  readonly name: string;
  /**
   * The kernel implementation really in use: 'Float64' for the CPU reference; for gpu.js the
   * kernel class (`HeadlessGLKernel`, `WebGL2Kernel`, `WebGLKernel`, `CPUKernel`, ...).
   */
  readonly kernelKind: string;
  /** The arithmetic on the device. */
  readonly precision: 'float64' | 'float32';

  /** A copy of a tensor on the device: rank 2 as (rows, cols), rank 1 of length k as (1, k). */
  upload(x: Tensor): DeviceMatrix;
  /** A Float64 tensor (rows, cols) of a device matrix (the only way data comes back in bulk). */
  download(x: DeviceMatrix): Tensor;
  /** Gives back device matrices that are no longer needed (each at most once). */
  release(...xs: DeviceMatrix[]): void;

  /** X op(W): X (N, k) times W (k, p), or Wᵀ for W (p, k) when `transposeW`. */
  times(x: DeviceMatrix, w: DeviceMatrix, transposeW: boolean): DeviceMatrix;
  /** Xᵀ Y (k, p) for X (N, k) and Y (N, p): the sum over the batch of outer products x_i y_iᵀ. */
  transposeTimes(x: DeviceMatrix, y: DeviceMatrix): DeviceMatrix;
  /** B + β X op(W) (B shaped like the product, or null for 0). */
  affine(
    b: DeviceMatrix | null,
    beta: number,
    x: DeviceMatrix,
    w: DeviceMatrix,
    transposeW: boolean,
  ): DeviceMatrix;
  /** The fused layer forward ST(B + β X op(W), θ) (B as in {@link Backend.affine}). */
  shrinkAffine(
    b: DeviceMatrix | null,
    beta: number,
    x: DeviceMatrix,
    w: DeviceMatrix,
    transposeW: boolean,
    theta: Thresholds,
  ): DeviceMatrix;
  /**
   * ĝ = g where the soft threshold let the entry through (out ≠ 0, or θ_ij = 0 where the
   * threshold is the identity), 0 elsewhere; `out` is the threshold's output.
   */
  maskedGradient(out: DeviceMatrix, g: DeviceMatrix, theta: Thresholds): DeviceMatrix;
  /** dθ_j = -Σ_i sign(out_ij) g_ij (length cols, on the host): the gradient w.r.t. per-column levels. */
  thresholdGradient(out: DeviceMatrix, g: DeviceMatrix): Float64Array;
  /** a X + b Y (same shapes). */
  combine(a: number, x: DeviceMatrix, b: number, y: DeviceMatrix): DeviceMatrix;
  /** <X, Y> = Σ x_ij y_ij (same shapes), on the host. */
  dot(x: DeviceMatrix, y: DeviceMatrix): number;
}
