/**
 * Non-negative soft thresholding, the proximal operator of the l1 norm restricted to the
 * non-negative orthant:
 *
 *     g(u; λ) = Σ_k λ_k u_k + indicator(u >= 0),    prox(x, λ, s)_k = max(x_k - s λ_k, 0)
 *
 * λ is one number, one per sample or one per entry (see hyper.ts). At x_k = sλ_k the output is 0
 * either way; the VJP uses the derivative of the open region x_k < sλ_k there (zero).
 *
 * The `*Into` kernels are unchecked, allocate nothing, and `out` may be `x` itself.
 *
 * @module
 */
import { separableProx, weightedBlockSum } from './separable.js';
import type { ProxOperator } from './types.js';

const NAME = 'nonNegSoftThreshold';

/** out_k = max(x_k - scaling * lambda, 0) with one λ for every entry. Unchecked. */
export function nonNegSoftThresholdScalarInto(
  x: Float64Array,
  lambda: number,
  scaling: number,
  out: Float64Array,
): void {
  const t = scaling * lambda;
  for (let k = 0; k < x.length; k++) {
    const v = x[k];
    out[k] = v > t ? v - t : 0;
  }
}

/**
 * out_k = max(x_k - scaling * λ_b, 0) where `thresholds[b]` applies to the entries
 * `[b * inner, (b + 1) * inner)`. Unchecked; allocates nothing.
 */
export function nonNegSoftThresholdInto(
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
      out[k] = v > t ? v - t : 0;
    }
  }
}

/**
 * VJP of {@link nonNegSoftThresholdInto}: gradInput_k = g_k 1[x_k > sλ_b] and
 * gradThresholds[b] = -s Σ_{k in block b} g_k 1[x_k > sλ_b] (overwritten). Unchecked.
 */
export function nonNegSoftThresholdVjpInto(
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
      if (x[k] > t) {
        const g = gradOutput[k];
        gradInput[k] = g;
        acc -= g;
      } else {
        gradInput[k] = 0;
      }
    }
    gradThresholds[b] = scaling * acc;
  }
}

/** Σ_k x_k over `[start, start + length)`. */
function sum(data: Float64Array, start: number, length: number): number {
  let s = 0;
  for (let k = start; k < start + length; k++) s += data[k];
  return s;
}

/**
 * Non-negative soft thresholding: the prox of λ Σ u_k + indicator(u >= 0), λ >= 0 per tensor,
 * per sample or per entry. `value` is Infinity when an entry of x is negative.
 */
export const nonNegSoftThreshold: Required<ProxOperator> = separableProx({
  name: NAME,
  convex: true,
  kernel: nonNegSoftThresholdInto,
  vjpKernel: nonNegSoftThresholdVjpInto,
  value(data, values, inner) {
    for (let k = 0; k < data.length; k++) if (data[k] < 0) return Infinity;
    return weightedBlockSum(data, values, inner, sum);
  },
});
