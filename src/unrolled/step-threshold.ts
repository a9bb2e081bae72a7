/**
 * The computation SLISTA and ALISTA share (and, for its first half, LISTA-CP): one thresholded
 * step along the data-fit direction with a fixed dictionary A (n, m) and weight W (n, m),
 *
 *     H = (Z Aᵀ - Y) W,    P = Z - γ H,    Z⁺ = ST(P, t)
 *
 * (SLISTA: W = A, γ = α, t = λα; ALISTA: W analytic, γ and t = θ learned), with its VJP. Given
 * g = dLoss/dZ⁺ and ĝ = g ⊙ 1[|P| > t]:
 *
 *     dZ = ĝ - γ (ĝ Wᵀ) A,    dY = γ ĝ Wᵀ,    dγ = -<ĝ, H>,    dt = -Σ sign(P) ĝ
 *
 * At a kink (|P_k| = t) the derivative of the open region |P_k| < t (zero) is used, as in
 * softThresholdVjpInto; when t = 0 the threshold is the identity and so is its derivative.
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import { softThresholdInto, softThresholdVjpInto } from '../prox/soft-threshold.js';

/** Sizes and fixed matrices of a layer: A and W (n x m, row-major). */
export interface StepOperands {
  readonly a: Float64Array;
  readonly w: Float64Array;
  readonly n: number;
  readonly m: number;
}

/** residual = Z Aᵀ - Y (N x n) and H = residual W (N x m), new buffers. */
export function residualTimes(
  a: Float64Array,
  w: Float64Array,
  z: Float64Array,
  y: Float64Array,
  N: number,
  n: number,
  m: number,
): { residual: Float64Array; h: Float64Array } {
  const residual = new Float64Array(N * n);
  gemmInto(z, a, residual, N, m, n, false, true); // Z Aᵀ
  for (let k = 0; k < N * n; k++) residual[k] -= y[k];
  const h = new Float64Array(N * m);
  gemmInto(residual, w, h, N, n, m, false, false); // (Z Aᵀ - Y) W
  return { residual, h };
}

/** Z⁺ = ST(Z - γ H, t) with the pre-threshold values P and H kept for the VJP. */
export function stepThresholdForward(
  ops: StepOperands,
  z: Float64Array,
  y: Float64Array,
  N: number,
  gamma: number,
  threshold: number,
): { out: Float64Array; pre: Float64Array; h: Float64Array } {
  const { h } = residualTimes(ops.a, ops.w, z, y, N, ops.n, ops.m);
  const pre = new Float64Array(N * ops.m);
  for (let k = 0; k < pre.length; k++) pre[k] = z[k] - gamma * h[k];
  const out = new Float64Array(pre.length);
  softThresholdInto(pre, Float64Array.of(threshold), pre.length, 1, out);
  return { out, pre, h };
}

/** The VJP of {@link stepThresholdForward}: dZ, dY and the derivatives w.r.t. γ and t. */
export function stepThresholdVjp(
  ops: StepOperands,
  pre: Float64Array,
  h: Float64Array,
  N: number,
  gamma: number,
  threshold: number,
  g: Float64Array,
): { dz: Float64Array; dy: Float64Array; dGamma: number; dThreshold: number } {
  const { a, w, n, m } = ops;
  const masked = new Float64Array(N * m);
  const dThreshold = new Float64Array(1);
  softThresholdVjpInto(pre, Float64Array.of(threshold), N * m, 1, g, masked, dThreshold);
  let dGamma = 0;
  for (let k = 0; k < N * m; k++) dGamma -= masked[k] * h[k];
  const dy = new Float64Array(N * n);
  gemmInto(masked, w, dy, N, m, n, false, true); // S = ĝ Wᵀ
  const dz = new Float64Array(N * m);
  gemmInto(dy, a, dz, N, n, m, false, false); // S A
  for (let k = 0; k < N * m; k++) dz[k] = masked[k] - gamma * dz[k];
  for (let k = 0; k < N * n; k++) dy[k] *= gamma;
  return { dz, dy, dGamma, dThreshold: dThreshold[0] };
}
