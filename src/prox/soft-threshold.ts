/**
 * Soft thresholding, the proximal operator of the weighted l1 norm:
 *
 *     g(u; λ) = Σ_k λ_k |u_k|,    prox(x, λ, s)_k = sign(x_k) max(|x_k| - s λ_k, 0)
 *
 * λ is one number, one per sample (shape [N] for a batch x of shape [N, m]) or one per entry
 * (see hyper.ts). At |x_k| = sλ_k the output is 0 either way; the VJP uses the derivative of the
 * open region |x_k| < sλ_k there (zero). Where sλ_k = 0 the prox is the identity and so is its
 * derivative, at x_k = 0 too.
 *
 * The `*Into` kernels are for the hot loops of solvers and unrolled layers: unchecked, no
 * allocation, and `out` may be `x` itself (each entry is read before it is written).
 *
 * @module
 */
import { norm1Raw } from '../linalg/norms.js';
import { separableProx, weightedBlockSum } from './separable.js';
import type { ProxOperator } from './types.js';

const NAME = 'softThreshold';

/** Soft thresholding with one λ for every entry: out_k = ST(x_k, scaling * lambda). Unchecked. */
export function softThresholdScalarInto(
  x: Float64Array,
  lambda: number,
  scaling: number,
  out: Float64Array,
): void {
  const t = scaling * lambda;
  for (let k = 0; k < x.length; k++) {
    const v = x[k];
    out[k] = v > t ? v - t : v < -t ? v + t : 0;
  }
}

/**
 * Soft thresholding with λ in a hyper layout: `thresholds[b]` applies to the block of entries
 * `[b * inner, (b + 1) * inner)` (inner = x.length for one λ, m per sample, 1 per entry).
 * Unchecked; allocates nothing.
 */
export function softThresholdInto(
  x: Float64Array,
  thresholds: Float64Array,
  inner: number,
  scaling: number,
  out: Float64Array,
): void {
  const n = x.length;
  for (let b = 0, start = 0; start < n; b++, start += inner) {
    const t = scaling * thresholds[b];
    const end = Math.min(start + inner, n);
    for (let k = start; k < end; k++) {
      const v = x[k];
      out[k] = v > t ? v - t : v < -t ? v + t : 0;
    }
  }
}

/**
 * VJP of {@link softThresholdInto}: gradInput_k = g_k 1[|x_k| > sλ_b], and
 * gradThresholds[b] = -s Σ_{k in block b} sign(x_k) g_k 1[|x_k| > sλ_b] (overwritten, one per
 * threshold). Unchecked; allocates nothing.
 */
export function softThresholdVjpInto(
  x: Float64Array,
  thresholds: Float64Array,
  inner: number,
  scaling: number,
  gradOutput: Float64Array,
  gradInput: Float64Array,
  gradThresholds: Float64Array,
): void {
  gradThresholds.fill(0);
  const n = x.length;
  for (let b = 0, start = 0; start < n; b++, start += inner) {
    const t = scaling * thresholds[b];
    const end = Math.min(start + inner, n);
    let acc = 0;
    for (let k = start; k < end; k++) {
      const v = x[k];
      const g = gradOutput[k];
      if (v > t) {
        gradInput[k] = g;
        acc -= g;
      } else if (v < -t) {
        gradInput[k] = g;
        acc += g;
      } else {
        gradInput[k] = t > 0 ? 0 : g; // t = 0: the prox is the identity, smooth through x = 0
      }
    }
    gradThresholds[b] = scaling * acc;
  }
}

/** Soft thresholding: the prox of λ||u||_1 with λ >= 0 per tensor, per sample or per entry. */
export const softThreshold: Required<ProxOperator> = separableProx({
  name: NAME,
  convex: true,
  kernel: softThresholdInto,
  vjpKernel: softThresholdVjpInto,
  value: (data, values, inner) => weightedBlockSum(data, values, inner, norm1Raw),
});
