/**
 * The elastic-net penalty and its proximal operator:
 *
 *     g(u; λ, μ) = Σ_k λ_k |u_k| + (μ / 2) ||u||²,    prox(x, λ, s) = ST(x, sλ) / (1 + sμ)
 *
 * (the quadratic term makes 1/2||x - u||² + s g(u) the same as (1 + sμ)/2 ||x/(1 + sμ) - u||²
 * plus an l1 term with threshold sλ/(1 + sμ), whose minimiser is the formula above).
 *
 * Design: λ is the hyper (one number, one per sample or one per entry, like every threshold
 * here); the ridge weight μ >= 0 is fixed when the operator is made, `elasticNet(mu)`, because
 * it is a modelling choice rather than a per-sample threshold. Scaling identity:
 * s g(u; λ, μ) = g(u; sλ, sμ), hence `elasticNet(μ).prox(x, λ, s) = elasticNet(s μ).prox(x, s λ, 1)`.
 * `elasticNet(0)` is soft thresholding. The VJP at |x_k| = sλ_k uses the zero branch; where
 * sλ_k = 0 the prox is linear and so is its derivative, at x_k = 0 too.
 *
 * The `*Into` kernels are unchecked, allocate nothing, and `out` may be `x` itself.
 *
 * @module
 */
import { checkNumber } from '../validate/index.js';
import { norm1Raw } from '../linalg/norms.js';
import { separableProx, weightedBlockSum } from './separable.js';
import type { ProxOperator } from './types.js';

const NAME = 'elasticNet';

/** The prox of the elastic-net penalty with a fixed ridge weight μ. */
export interface ElasticNet extends Required<ProxOperator> {
  /** The ridge weight μ >= 0 of the (μ/2)||u||² term. */
  readonly mu: number;
}

/** out_k = ST(x_k, scaling * lambda) / (1 + scaling * mu) with one λ for every entry. Unchecked. */
export function elasticNetScalarInto(
  x: Float64Array,
  lambda: number,
  scaling: number,
  mu: number,
  out: Float64Array,
): void {
  const t = scaling * lambda;
  const shrink = 1 / (1 + scaling * mu);
  for (let k = 0; k < x.length; k++) {
    const v = x[k];
    out[k] = v > t ? (v - t) * shrink : v < -t ? (v + t) * shrink : 0;
  }
}

/**
 * out_k = ST(x_k, scaling * λ_b) / (1 + scaling * mu) where `thresholds[b]` applies to the
 * entries `[b * inner, (b + 1) * inner)`. Unchecked; allocates nothing.
 */
export function elasticNetInto(
  x: Float64Array,
  thresholds: Float64Array,
  inner: number,
  scaling: number,
  mu: number,
  out: Float64Array,
): void {
  const n = x.length;
  const shrink = 1 / (1 + scaling * mu);
  for (let b = 0, start = 0; start < n; b++, start += inner) {
    const t = scaling * thresholds[b];
    const end = Math.min(start + inner, n);
    for (let k = start; k < end; k++) {
      const v = x[k];
      out[k] = v > t ? (v - t) * shrink : v < -t ? (v + t) * shrink : 0;
    }
  }
}

/**
 * VJP of {@link elasticNetInto}, with shrink = 1/(1 + sμ): gradInput_k = shrink g_k
 * 1[|x_k| > sλ_b] and gradThresholds[b] = -s shrink Σ_{k in block b} sign(x_k) g_k
 * 1[|x_k| > sλ_b] (overwritten). Unchecked; allocates nothing.
 */
export function elasticNetVjpInto(
  x: Float64Array,
  thresholds: Float64Array,
  inner: number,
  scaling: number,
  mu: number,
  gradOutput: Float64Array,
  gradInput: Float64Array,
  gradThresholds: Float64Array,
): void {
  gradThresholds.fill(0);
  const n = x.length;
  const shrink = 1 / (1 + scaling * mu);
  for (let b = 0, start = 0; start < n; b++, start += inner) {
    const t = scaling * thresholds[b];
    const end = Math.min(start + inner, n);
    let acc = 0;
    for (let k = start; k < end; k++) {
      const v = x[k];
      const g = gradOutput[k];
      if (v > t) {
        gradInput[k] = shrink * g;
        acc -= g;
      } else if (v < -t) {
        gradInput[k] = shrink * g;
        acc += g;
      } else {
        gradInput[k] = t > 0 ? 0 : shrink * g; // t = 0: the prox is linear, smooth through x = 0
      }
    }
    gradThresholds[b] = scaling * shrink * acc;
  }
}

/**
 * The elastic-net prox with ridge weight `mu` >= 0 (default 0, plain soft thresholding); the
 * hyper is the l1 weight λ >= 0 (per tensor, per sample or per entry). Convex.
 */
export function elasticNet(mu = 0): ElasticNet {
  checkNumber(NAME, 'mu', mu, { min: 0 });

  const operator = separableProx({
    name: NAME,
    convex: true,
    kernel: (x, thresholds, inner, scaling, out) => elasticNetInto(x, thresholds, inner, scaling, mu, out),
    vjpKernel: (x, thresholds, inner, scaling, gradOutput, gradInput, gradThresholds) =>
      elasticNetVjpInto(x, thresholds, inner, scaling, mu, gradOutput, gradInput, gradThresholds),
    value(data, values, inner) {
      let squares = 0;
      for (let k = 0; k < data.length; k++) squares += data[k] * data[k];
      return weightedBlockSum(data, values, inner, norm1Raw) + (mu / 2) * squares;
    },
  });
  return { ...operator, mu };
}
