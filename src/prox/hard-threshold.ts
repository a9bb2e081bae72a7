/**
 * Hard thresholding, the proximal operator of the (weighted) l0 "norm":
 *
 *     g(u; λ) = Σ_k λ_k 1[u_k != 0],    prox(x, λ, s)_k = x_k 1[|x_k| > sqrt(2 s λ_k)]
 *
 * Per entry, keeping x_k costs s λ_k and zeroing it costs x_k² / 2, so x_k is kept when
 * x_k² / 2 > s λ_k. At the tie |x_k| = sqrt(2 s λ_k) both are minimisers; we return 0 (the
 * sparser one). g is not convex, so the prox is not non-expansive, and it is discontinuous at
 * the threshold: the VJP is the a.e. derivative (the keep mask w.r.t. x, zero w.r.t. λ; with
 * sλ = 0 the prox is the identity and the mask is all ones).
 *
 * The `*Into` kernels are unchecked, allocate nothing, and `out` may be `x` itself.
 *
 * @module
 */
import { separableProx, weightedBlockSum } from './separable.js';
import type { ProxOperator } from './types.js';

const NAME = 'hardThreshold';

/** The keep threshold sqrt(2 s λ); s λ is formed first so that prox(x, λ, s) = prox(x, sλ, 1) exactly. */
function keepThreshold(lambda: number, scaling: number): number {
  return Math.sqrt(2 * (scaling * lambda));
}

/** out_k = x_k if |x_k| > sqrt(2 scaling lambda), else 0, with one λ for every entry. Unchecked. */
export function hardThresholdScalarInto(
  x: Float64Array,
  lambda: number,
  scaling: number,
  out: Float64Array,
): void {
  const t = keepThreshold(lambda, scaling);
  for (let k = 0; k < x.length; k++) {
    const v = x[k];
    out[k] = Math.abs(v) > t ? v : 0;
  }
}

/**
 * Hard thresholding with λ in a hyper layout: `thresholds[b]` (a λ, not the keep threshold)
 * applies to the entries `[b * inner, (b + 1) * inner)`. Unchecked; allocates nothing.
 */
export function hardThresholdInto(
  x: Float64Array,
  thresholds: Float64Array,
  inner: number,
  scaling: number,
  out: Float64Array,
): void {
  const n = x.length;
  for (let b = 0, start = 0; start < n; b++, start += inner) {
    const t = keepThreshold(thresholds[b], scaling);
    const end = Math.min(start + inner, n);
    for (let k = start; k < end; k++) {
      const v = x[k];
      out[k] = Math.abs(v) > t ? v : 0;
    }
  }
}

/**
 * A.e. VJP of {@link hardThresholdInto}: gradInput_k = g_k 1[|x_k| > sqrt(2 s λ_b)], and
 * gradThresholds is zeroed (the output does not move with λ away from the jump). Unchecked.
 */
export function hardThresholdVjpInto(
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
    const t = keepThreshold(thresholds[b], scaling);
    const end = Math.min(start + inner, n);
    // t = 0: the prox is the identity (0 maps to 0), so the derivative is 1 at x = 0 too.
    for (let k = start; k < end; k++) gradInput[k] = Math.abs(x[k]) > t || t === 0 ? gradOutput[k] : 0;
  }
}

/** The number of non-zero entries in `[start, start + length)`. */
function countNonZero(data: Float64Array, start: number, length: number): number {
  let count = 0;
  for (let k = start; k < start + length; k++) if (data[k] !== 0) count++;
  return count;
}

/**
 * Hard thresholding: the prox of λ ||u||_0 (λ >= 0 per tensor, per sample or per entry);
 * `value` is Σ_k λ_k 1[x_k != 0]. Not convex.
 */
export const hardThreshold: Required<ProxOperator> = separableProx({
  name: NAME,
  convex: false,
  kernel: hardThresholdInto,
  vjpKernel: hardThresholdVjpInto,
  value: (data, values, inner) => weightedBlockSum(data, values, inner, countNonZero),
});
