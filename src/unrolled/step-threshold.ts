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
 * Z Aᵀ and ĝ Wᵀ skip the zeros of Z and ĝ when these are sparse enough (kernels.ts); R W and S A
 * have a dense left operand and stay GEMMs. Results equal the dense products up to rounding.
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import { softThresholdVjpInto } from '../prox/soft-threshold.js';
import { gatherIfSparse, scratchBuffer, SupportBuffer, timesTInto } from './kernels.js';

/** Sizes and fixed matrices of a layer: A and W (n x m, row-major). */
export interface StepOperands {
  readonly a: Float64Array;
  readonly w: Float64Array;
  readonly n: number;
  readonly m: number;
}

/** Supports of the codes (forward) and of the masked gradient (VJP), reused across calls. */
const supportZ = new SupportBuffer();
const supportG = new SupportBuffer();

/**
 * residual = Z Aᵀ - Y (N x n) into `residual`, skipping the zeros of Z when it is sparse enough
 * (and the product altogether when Z = 0, as in a network's first layer).
 */
export function residualInto(
  a: Float64Array,
  z: Float64Array,
  y: Float64Array,
  N: number,
  n: number,
  m: number,
  residual: Float64Array,
): void {
  const sz = gatherIfSparse(z, N, m, supportZ);
  if (sz !== null && sz.nnz === 0) {
    for (let k = 0; k < N * n; k++) residual[k] = -y[k];
    return;
  }
  timesTInto(z, sz, N, m, a, n, residual);
  for (let k = 0; k < N * n; k++) residual[k] -= y[k];
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
  const { a, w, n, m } = ops;
  const residual = scratchBuffer(1, N * n);
  residualInto(a, z, y, N, n, m, residual);
  // The residual is dense: H = R W is a plain GEMM.
  const h = new Float64Array(N * m);
  gemmInto(residual, w, h, N, n, m, false, false);
  const pre = new Float64Array(N * m);
  const out = new Float64Array(N * m);
  const t = threshold;
  for (let k = 0; k < N * m; k++) {
    const v = z[k] - gamma * h[k];
    pre[k] = v;
    out[k] = v > t ? v - t : v < -t ? v + t : 0;
  }
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
  const masked = scratchBuffer(0, N * m);
  const dThreshold = new Float64Array(1);
  softThresholdVjpInto(pre, Float64Array.of(threshold), N * m, 1, g, masked, dThreshold);
  let dGamma = 0;
  for (let k = 0; k < N * m; k++) dGamma -= masked[k] * h[k];
  // ĝ is zero wherever the threshold zeroed P: S = ĝ Wᵀ skips those entries.
  const sg = gatherIfSparse(masked, N, m, supportG);
  const dy = new Float64Array(N * n);
  timesTInto(masked, sg, N, m, w, n, dy); // S = ĝ Wᵀ
  const dz = new Float64Array(N * m);
  gemmInto(dy, a, dz, N, n, m, false, false); // S A (S is dense)
  for (let k = 0; k < N * m; k++) dz[k] = masked[k] - gamma * dz[k];
  for (let k = 0; k < N * n; k++) dy[k] *= gamma;
  return { dz, dy, dGamma, dThreshold: dThreshold[0] };
}
