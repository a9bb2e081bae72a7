/**
 * Firm thresholding, the proximal operator of the minimax concave penalty (MCP, Zhang 2010):
 *
 *     p(u; λ, γ) = λ|u| - u² / (2γ)   for |u| <= γλ,      γλ² / 2   otherwise      (γ > 1)
 *
 * Design: λ (the threshold) is the hyper, so it can be one number, one per sample or one per
 * entry like every threshold here, and it is what solvers and unrolled layers tune or learn; the
 * shape parameter γ is fixed when the operator is made, `firmThreshold(gamma)`.
 *
 * Closed form, per entry, for scaling s < γ (taking x >= 0; the prox is odd):
 * φ(u) = (x - u)² / 2 + s p(u) has φ'' = 1 - s/γ > 0 on (0, γλ), φ'' = 1 beyond, p' is
 * continuous at γλ and the kink of p at 0 is convex (subdifferential [-λ, λ]); so φ is strictly
 * convex and its unique minimiser is where 0 ∈ ∂φ:
 *
 *     |x| <= sλ:          u = 0                                 (0 ∈ -x + s[-λ, λ])
 *     sλ < |x| <= γλ:     u = sign(x) (|x| - sλ) / (1 - s/γ)   (u - x + sλ - s u/γ = 0, u <= γλ)
 *     |x| > γλ:           u = x                                 (p is flat there)
 *
 * For s >= γ, φ is not convex and the minimiser jumps (or is not unique), so scaling must be
 * below γ. Scaling identity: s p(u; λ, γ) = p(u; sλ, γ/s), hence
 * `firmThreshold(γ).prox(x, λ, s) = firmThreshold(γ / s).prox(x, s λ, 1)`.
 * As γ -> ∞ the prox tends to soft thresholding; as γ -> s⁺ it tends to hard thresholding
 * at sλ. The VJP is the derivative away from the kinks |x| = sλ and |x| = γλ; where sλ = 0 there
 * is no kink at 0 and the VJP takes the derivative of the piece through 0.
 *
 * The `*Into` kernels are unchecked, allocate nothing, and `out` may be `x` itself.
 *
 * @module
 */
import { checkNumber, rangeError } from '../validate/index.js';
import { separableProx } from './separable.js';
import type { ProxOperator } from './types.js';

const NAME = 'firmThreshold';

/** Firm thresholding: the prox of the MCP with a fixed shape parameter γ. */
export interface FirmThreshold extends Required<ProxOperator> {
  /** The MCP shape parameter γ > 1 (the penalty is flat beyond |u| = γλ). */
  readonly gamma: number;
}

/** out_k = firm threshold of x_k with one λ for every entry (scaling < gamma). Unchecked. */
export function firmThresholdScalarInto(
  x: Float64Array,
  lambda: number,
  scaling: number,
  gamma: number,
  out: Float64Array,
): void {
  const t = scaling * lambda;
  const high = gamma * lambda;
  const slope = gamma / (gamma - scaling);
  for (let k = 0; k < x.length; k++) {
    const v = x[k];
    const a = Math.abs(v);
    out[k] = a <= t ? 0 : a <= high ? (v > 0 ? (a - t) * slope : (t - a) * slope) : v;
  }
}

/**
 * Firm thresholding with λ in a hyper layout: `thresholds[b]` applies to the entries
 * `[b * inner, (b + 1) * inner)`; requires 0 <= scaling < gamma. Unchecked; allocates nothing.
 */
export function firmThresholdInto(
  x: Float64Array,
  thresholds: Float64Array,
  inner: number,
  scaling: number,
  gamma: number,
  out: Float64Array,
): void {
  const n = x.length;
  const slope = gamma / (gamma - scaling);
  for (let b = 0, start = 0; start < n; b++, start += inner) {
    const t = scaling * thresholds[b];
    const high = gamma * thresholds[b];
    const end = Math.min(start + inner, n);
    for (let k = start; k < end; k++) {
      const v = x[k];
      const a = Math.abs(v);
      out[k] = a <= t ? 0 : a <= high ? (v > 0 ? (a - t) * slope : (t - a) * slope) : v;
    }
  }
}

/**
 * VJP of {@link firmThresholdInto}, with slope = γ / (γ - s): gradInput_k is 0, slope g_k or g_k
 * in the three regions; gradThresholds[b] = -s slope Σ sign(x_k) g_k over the entries of block b
 * in the middle region (overwritten). Unchecked; allocates nothing.
 */
export function firmThresholdVjpInto(
  x: Float64Array,
  thresholds: Float64Array,
  inner: number,
  scaling: number,
  gamma: number,
  gradOutput: Float64Array,
  gradInput: Float64Array,
  gradThresholds: Float64Array,
): void {
  gradThresholds.fill(0);
  const n = x.length;
  const slope = gamma / (gamma - scaling);
  for (let b = 0, start = 0; start < n; b++, start += inner) {
    const t = scaling * thresholds[b];
    const high = gamma * thresholds[b];
    const end = Math.min(start + inner, n);
    let acc = 0;
    for (let k = start; k < end; k++) {
      const v = x[k];
      const a = Math.abs(v);
      const g = gradOutput[k];
      if (a <= t && t > 0) {
        gradInput[k] = 0;
      } else if (a <= high && high > 0) {
        gradInput[k] = slope * g;
        acc += v > 0 ? g : -g;
      } else {
        gradInput[k] = g;
      }
    }
    gradThresholds[b] = -scaling * slope * acc;
  }
}

/** The MCP value Σ_k p(x_k; λ_k, γ). */
function mcpValue(data: Float64Array, values: Float64Array, inner: number, gamma: number): number {
  let total = 0;
  for (let b = 0, start = 0; start < data.length; b++, start += inner) {
    const lambda = values[b];
    const high = gamma * lambda;
    const flat = (gamma * lambda * lambda) / 2;
    const end = Math.min(start + inner, data.length);
    for (let k = start; k < end; k++) {
      const a = Math.abs(data[k]);
      total += a <= high ? lambda * a - (a * a) / (2 * gamma) : flat;
    }
  }
  return total;
}

/**
 * Firm thresholding, the prox of the minimax concave penalty with shape parameter `gamma` > 1
 * (default 2); the hyper is the threshold λ >= 0 (per tensor, per sample or per entry) and the
 * scaling must satisfy 0 <= scaling < gamma. Not convex.
 */
export function firmThreshold(gamma = 2): FirmThreshold {
  checkNumber(NAME, 'gamma', gamma, { min: 1, exclusiveMin: true });

  const checkScaling = (scaling: number): void => {
    checkNumber(NAME, 'scaling', scaling, { min: 0 });
    if (scaling >= gamma)
      rangeError(
        NAME,
        'scaling',
        `a finite number >= 0 and < gamma = ${gamma} (for a single-valued prox)`,
        scaling,
      );
  };

  const operator = separableProx({
    name: NAME,
    convex: false,
    kernel: (x, thresholds, inner, scaling, out) =>
      firmThresholdInto(x, thresholds, inner, scaling, gamma, out),
    vjpKernel: (x, thresholds, inner, scaling, gradOutput, gradInput, gradThresholds) =>
      firmThresholdVjpInto(x, thresholds, inner, scaling, gamma, gradOutput, gradInput, gradThresholds),
    value: (data, values, inner) => mcpValue(data, values, inner, gamma),
    checkScaling,
  });
  return { ...operator, gamma };
}
