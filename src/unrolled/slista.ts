/**
 * Step-LISTA (SLISTA; Ablin, Moreau, Massias & Gramfort, NeurIPS 2019): an ISTA layer whose only
 * learned parameter is the step α. In the row form of the library (codes Z (N, m), signals
 * Y (N, n), dictionary A (n, m) fixed):
 *
 *     G = (Z Aᵀ - Y) A,    P = Z - α G,    Z⁺ = ST(P, λα)
 *
 * α enters twice: in the gradient step and in the threshold λα. With α = 1/L (L >= ||A||₂²) the
 * layer is exactly one ISTA step (see {@link slistaIstaParams}).
 *
 * λ is one number shared by every sample (per-sample λ is not supported by this layer; scale the
 * signals instead, e.g. to λMax = 1 as in Ablin et al.).
 *
 * Hand-derived VJP, with g = dLoss/dZ⁺, mask = 1[|P| > λα] and ĝ = g ⊙ mask:
 *
 *     dZ = ĝ - α (ĝ Aᵀ) A          (since AᵀA is symmetric)
 *     dY = α ĝ Aᵀ
 *     dα = -<ĝ, G> + λ dt,   dt = -Σ sign(P) ĝ   (the derivative w.r.t. the threshold t = λα)
 *
 * At a kink (|P_k| = λα exactly) the derivative of the open region |P_k| < λα (zero) is used, as in
 * softThresholdVjpInto. When λα = 0 the threshold is the identity and so is its derivative.
 *
 * @module
 */
import { lipschitzConstant } from '../problems/lipschitz.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkNumber, checkTensor, typeError } from '../validate/index.js';
import type { Layer, LayerInput } from './types.js';
import { slistaBackendLayer } from './backend-layers.js';
import { checkLayerInput } from './checks.js';
import { stepThresholdForward, stepThresholdVjp } from './step-threshold.js';

const NAME = 'slista';

/** SLISTA's parameters: the step α >= 0 (the threshold is λα). */
export interface SlistaParams {
  readonly alpha: number;
}

/** What SLISTA's VJP needs from the forward pass. */
export interface SlistaCache {
  /** Number of samples N. */
  readonly N: number;
  /** The pre-threshold values P = Z - α G (N x m). */
  readonly pre: Float64Array;
  /** The gradient of the smooth part G = (Z Aᵀ - Y) A (N x m). */
  readonly grad: Float64Array;
}

/** Checks a parameter object and returns α. */
function checkAlpha(fn: string, params: unknown): number {
  if (params === null || typeof params !== 'object') typeError(fn, 'params', 'an object { alpha }', params);
  return checkNumber(fn, 'params.alpha', (params as { alpha?: unknown }).alpha, { min: 0 });
}

/**
 * A SLISTA layer for the fixed dictionary A (n, m) and the regularisation λ >= 0 (one number).
 * A is copied, so later changes cannot reach the layer (tensors are immutable anyway).
 */
export function slistaLayer(A: Tensor, lambda: number): Layer<SlistaParams, SlistaCache> {
  checkTensor(NAME, 'A', A, { rank: 2 });
  const lam = checkNumber(NAME, 'lambda', lambda, { min: 0 });
  const [n, m] = A.shape;
  const a = unsafeData(A).slice();
  const ops = { a, w: a, n, m };

  return {
    name: NAME,
    onBackend: slistaBackendLayer(A, lam),
    forward(params: SlistaParams, input: LayerInput) {
      const alpha = checkAlpha(NAME, params);
      const N = checkLayerInput(NAME, input, n, m);
      const { out, pre, h } = stepThresholdForward(
        ops,
        unsafeData(input.z),
        unsafeData(input.y),
        N,
        alpha,
        lam * alpha,
      );
      return { output: wrap(out, [N, m]), cache: { N, pre, grad: h } };
    },
    vjp(params: SlistaParams, cache: SlistaCache, gradOutput: Tensor) {
      const alpha = checkAlpha(NAME, params);
      const { N, pre, grad } = cache;
      const g = unsafeData(checkTensor(NAME, 'gradOutput', gradOutput, { shape: [N, m] }));
      const { dz, dy, dGamma, dThreshold } = stepThresholdVjp(ops, pre, grad, N, alpha, lam * alpha, g);
      // α is both the step and, through t = λα, the threshold.
      const dAlpha = dGamma + lam * dThreshold;
      return { gradInput: { z: wrap(dz, [N, m]), y: wrap(dy, [N, n]) }, gradParams: { alpha: dAlpha } };
    },
  };
}

/**
 * The parameters at which SLISTA is one ISTA step: α = 1/L with L the upper bound of ||A||₂²
 * that the solvers use (lipschitzConstant with `upperBound: true`).
 */
export function slistaIstaParams(A: Tensor): SlistaParams {
  checkTensor('slistaIstaParams', 'A', A, { rank: 2 });
  const L = lipschitzConstant(A, { upperBound: true }).value;
  return { alpha: L > 0 ? 1 / L : 1 };
}
