/**
 * Projections onto convex sets as proximal operators: the prox of the set's indicator is the
 * Euclidean projection, for every scaling (s times an indicator is the indicator, also for s = 0
 * by the convex-analysis convention 0 * indicator = indicator of its domain), so `scaling` is
 * checked and then ignored.
 *
 * - {@link projBox}: the box lower <= x <= upper, hyper `{ lower, upper }`.
 * - {@link projNonNegative}: the non-negative orthant, no hyper (pass `undefined`).
 * - {@link projLInfBall}: the l-infinity ball of radius r (the box [-r, r]); prox of the conjugate of
 *   r ||.||_1, used by primal-dual solvers (Moreau: x = softThreshold(x, r) + projLInfBall(x, r)).
 * - {@link projL2Ball}: the l2 ball of radius r, per sample for a batch (each row onto its ball).
 * - {@link projL1Ball}: the l1 ball of radius r, per sample, by the exact sort-based algorithm
 *   (Duchi, Shalev-Shwartz, Singer, Chandra, ICML 2008; see also Condat, Math. Prog. 2016).
 *
 * `value` is the indicator: 0 inside the set, Infinity outside, summed over samples. A point counts
 * as inside when it violates the constraint by at most {@link BOUNDARY_RTOL} relative to the
 * bound (a radius, or |lower| and |upper|; bounds below the smallest normal number, 2^-1022, count
 * as that number), so that projections computed in floating point, whose norms can exceed the
 * radius by a few rounding errors, count as inside.
 *
 * Each `vjp` is the derivative almost everywhere (away from the set's boundary and, for the
 * l1 ball, from ties at the threshold), with respect to x and to the hyper (radius or bounds).
 *
 * @module
 */
import { checkNumber, checkTensor, Got, rangeError, typeError } from '../validate/index.js';
import { Tensor, unsafeData, wrap } from '../tensor/tensor.js';
import { norm1Raw, norm2Raw } from '../linalg/norms.js';
import {
  checkHyper,
  checkSampleHyper,
  reduceToHyper,
  reducePerSample,
  sampleHyperAt,
  type HyperLayout,
} from './hyper.js';
import type { Hyper, ProxOperator, ProxVjp } from './types.js';

/** Relative tolerance of the indicators' `value`: inside when the violation is <= this times the bound. */
export const BOUNDARY_RTOL = 1e-9;

/** The smallest normal double: below it, rounding errors are absolute (2^-1074), not relative. */
const MIN_NORMAL = 2 ** -1022;

/** How far beyond a bound a point may lie and still count as inside. */
function slack(bound: number): number {
  return BOUNDARY_RTOL * Math.max(Math.abs(bound), MIN_NORMAL);
}

// ---------------------------------------------------------------------------------------------
// Shared checks.

/** x: any tensor of finite values. */
function checkX(fn: string, x: unknown): Tensor {
  return checkTensor(fn, 'x', x);
}

/** x: one vector (rank 1) or a batch of row vectors (rank 2); returns [x, rows, row length]. */
function checkVectors(fn: string, x: unknown): [Tensor, number, number] {
  const t = checkTensor(fn, 'x', x, { rank: [1, 2] });
  return t.rank === 1 ? [t, 1, t.shape[0]] : [t, t.shape[0], t.shape[1]];
}

/** The (ignored) scaling: a finite number >= 0. */
function checkScaling(fn: string, scaling: unknown): void {
  checkNumber(fn, 'scaling', scaling, { min: 0 });
}

/** gradOutput shaped like x. */
function checkGradOutput(fn: string, gradOutput: unknown, x: Tensor): Float64Array {
  return unsafeData(checkTensor(fn, 'gradOutput', gradOutput, { shape: x.shape }));
}

// ---------------------------------------------------------------------------------------------
// Box and orthant.

/** Bounds of {@link projBox}: each a number (infinities allowed) or a tensor in a hyper layout. */
export interface BoxBounds {
  /** Lower bound: a number (may be -Infinity), a tensor of shape [N] (per sample) or shaped like x. */
  lower: Hyper;
  /** Upper bound: a number (may be Infinity), a tensor of shape [N] (per sample) or shaped like x. */
  upper: Hyper;
}

/** One bound: a number that is not NaN nor the infinity on the wrong side, or a checked hyper tensor. */
function checkBound(fn: string, name: 'lower' | 'upper', bound: unknown, x: Tensor): HyperLayout {
  if (typeof bound === 'number') {
    const wrongInfinity = name === 'lower' ? Infinity : -Infinity;
    if (Number.isNaN(bound) || bound === wrongInfinity)
      rangeError(fn, name, `a finite number or ${name === 'lower' ? '-' : ''}Infinity`, bound);
    return { kind: 'scalar', values: Float64Array.of(bound), inner: Math.max(x.size, 1) };
  }
  return checkHyper(fn, name, bound, x);
}

/** Checks `{ lower, upper }` against x, including lower <= upper entry by entry. */
function checkBox(fn: string, hyper: unknown, x: Tensor): [HyperLayout, HyperLayout] {
  if (hyper === null || typeof hyper !== 'object' || hyper instanceof Tensor)
    typeError(fn, 'hyper', 'an object { lower, upper }', hyper);
  const { lower, upper } = hyper as Partial<BoxBounds>;
  const lo = checkBound(fn, 'lower', lower, x);
  const hi = checkBound(fn, 'upper', upper, x);
  for (let k = 0; k < x.size; k++) {
    const l = lo.values[Math.floor(k / lo.inner)];
    const u = hi.values[Math.floor(k / hi.inner)];
    if (!(l <= u)) rangeError(fn, 'upper', '>= lower everywhere', new Got(`${u} < lower ${l} at entry ${k}`));
  }
  return [lo, hi];
}

/** out_k = min(max(x_k, lower_k), upper_k). */
function clipTensor(x: Tensor, lo: HyperLayout, hi: HyperLayout): Tensor {
  const src = unsafeData(x);
  const out = new Float64Array(src.length);
  for (let k = 0; k < src.length; k++) {
    const l = lo.values[Math.floor(k / lo.inner)];
    const u = hi.values[Math.floor(k / hi.inner)];
    const v = src[k];
    out[k] = v < l ? l : v > u ? u : v;
  }
  return wrap(out, x.shape);
}

/** The box indicator with the relative boundary tolerance. */
function boxValue(x: Tensor, lo: HyperLayout, hi: HyperLayout): number {
  const src = unsafeData(x);
  for (let k = 0; k < src.length; k++) {
    const l = lo.values[Math.floor(k / lo.inner)];
    const u = hi.values[Math.floor(k / hi.inner)];
    if (src[k] < l - slack(l) || src[k] > u + slack(u)) return Infinity;
  }
  return 0;
}

/** Per-entry gradients of the clip: g passes where x is inside, goes to the bound that is active. */
function boxGradients(
  x: Tensor,
  lo: HyperLayout,
  hi: HyperLayout,
  g: Float64Array,
): [Float64Array, Float64Array, Float64Array] {
  const src = unsafeData(x);
  const gradInput = new Float64Array(src.length);
  const gradLower = new Float64Array(src.length);
  const gradUpper = new Float64Array(src.length);
  for (let k = 0; k < src.length; k++) {
    const v = src[k];
    if (v < lo.values[Math.floor(k / lo.inner)]) gradLower[k] = g[k];
    else if (v > hi.values[Math.floor(k / hi.inner)]) gradUpper[k] = g[k];
    else gradInput[k] = g[k];
  }
  return [gradInput, gradLower, gradUpper];
}

/**
 * Projection onto the box lower <= x <= upper (entrywise clipping). `hyper` is `{ lower, upper }`,
 * each a number (lower may be -Infinity, upper Infinity) or a tensor of shape [N] (one per sample
 * of a batch (N, m)) or shaped like x (one per entry), with lower <= upper everywhere. The VJP
 * gives the gradient w.r.t. each bound in that bound's own layout.
 */
export const projBox: ProxOperator<BoxBounds> = {
  name: 'projBox',
  convex: true,
  prox(x: Tensor, hyper: BoxBounds, scaling = 1): Tensor {
    const fn = 'projBox';
    checkX(fn, x);
    const [lo, hi] = checkBox(fn, hyper, x);
    checkScaling(fn, scaling);
    return clipTensor(x, lo, hi);
  },
  value(x: Tensor, hyper: BoxBounds): number {
    const fn = 'projBox';
    checkX(fn, x);
    const [lo, hi] = checkBox(fn, hyper, x);
    return boxValue(x, lo, hi);
  },
  vjp(x: Tensor, hyper: BoxBounds, scaling: number, gradOutput: Tensor): ProxVjp<BoxBounds> {
    const fn = 'projBox';
    checkX(fn, x);
    const [lo, hi] = checkBox(fn, hyper, x);
    checkScaling(fn, scaling);
    const g = checkGradOutput(fn, gradOutput, x);
    const [gradInput, gradLower, gradUpper] = boxGradients(x, lo, hi, g);
    return {
      gradInput: wrap(gradInput, x.shape),
      gradHyper: {
        lower: reduceToHyper(gradLower, lo, hyper.lower),
        upper: reduceToHyper(gradUpper, hi, hyper.upper),
      },
    };
  },
};

/** The orthant as box bounds. */
function orthantBounds(x: Tensor): [HyperLayout, HyperLayout] {
  const inner = Math.max(x.size, 1);
  return [
    { kind: 'scalar', values: Float64Array.of(0), inner },
    { kind: 'scalar', values: Float64Array.of(Infinity), inner },
  ];
}

/** The orthant has no parameter: hyper must be undefined. */
function checkNoHyper(fn: string, hyper: unknown): void {
  if (hyper !== undefined) typeError(fn, 'hyper', 'undefined (the orthant has no parameter)', hyper);
}

/**
 * Projection onto the non-negative orthant, max(x, 0) entrywise. It has no hyper-parameter:
 * call `projNonNegative.prox(x)` (or pass `undefined`); the VJP's gradHyper is `undefined`.
 */
export const projNonNegative: ProxOperator<void> = {
  name: 'projNonNegative',
  convex: true,
  prox(x: Tensor, hyper: void, scaling = 1): Tensor {
    const fn = 'projNonNegative';
    checkX(fn, x);
    checkNoHyper(fn, hyper);
    checkScaling(fn, scaling);
    return clipTensor(x, ...orthantBounds(x));
  },
  value(x: Tensor, hyper: void): number {
    const fn = 'projNonNegative';
    checkX(fn, x);
    checkNoHyper(fn, hyper);
    return boxValue(x, ...orthantBounds(x));
  },
  vjp(x: Tensor, hyper: void, scaling: number, gradOutput: Tensor): ProxVjp<void> {
    const fn = 'projNonNegative';
    checkX(fn, x);
    checkNoHyper(fn, hyper);
    checkScaling(fn, scaling);
    const g = checkGradOutput(fn, gradOutput, x);
    const [gradInput] = boxGradients(x, ...orthantBounds(x), g);
    return { gradInput: wrap(gradInput, x.shape), gradHyper: undefined };
  },
};

// ---------------------------------------------------------------------------------------------
// l-infinity ball.

/**
 * Writes the projection of x[offset .. offset + length) onto the l-infinity ball of the given
 * radius (clipping to [-radius, radius]) into out[offset .. offset + length), allocating nothing.
 * Unchecked: radius must be >= 0. `out` may be `x`.
 */
export function projLInfBallInto(
  x: Float64Array,
  offset: number,
  length: number,
  radius: number,
  out: Float64Array,
): void {
  const low = -radius;
  for (let i = offset; i < offset + length; i++) {
    const v = x[i];
    out[i] = v > radius ? radius : v < low ? low : v;
  }
}

/**
 * Projection onto the l-infinity ball of radius r: clipping to [-r, r]. The radius is a number
 * >= 0, a tensor of shape [N] (one per sample of a batch (N, m)) or shaped like x (a weighted ball,
 * the conjugate of a weighted l1 norm). This is the prox of the conjugate of r ||.||_1:
 * x = softThreshold(x, r) + projLInfBall(x, r) (Moreau decomposition).
 */
export const projLInfBall: ProxOperator = {
  name: 'projLInfBall',
  convex: true,
  prox(x: Tensor, hyper: Hyper, scaling = 1): Tensor {
    const fn = 'projLInfBall';
    checkX(fn, x);
    const layout = checkHyper(fn, 'radius', hyper, x, { min: 0 });
    checkScaling(fn, scaling);
    const src = unsafeData(x);
    const out = new Float64Array(src.length);
    if (layout.kind === 'entry') {
      for (let k = 0; k < src.length; k++) projLInfBallInto(src, k, 1, layout.values[k], out);
    } else {
      for (let start = 0, r = 0; start < src.length; start += layout.inner, r++)
        projLInfBallInto(src, start, layout.inner, layout.values[r], out);
    }
    return wrap(out, x.shape);
  },
  value(x: Tensor, hyper: Hyper): number {
    const fn = 'projLInfBall';
    checkX(fn, x);
    const layout = checkHyper(fn, 'radius', hyper, x, { min: 0 });
    const src = unsafeData(x);
    for (let k = 0; k < src.length; k++) {
      const r = layout.values[Math.floor(k / layout.inner)];
      if (Math.abs(src[k]) > r + slack(r)) return Infinity;
    }
    return 0;
  },
  vjp(x: Tensor, hyper: Hyper, scaling: number, gradOutput: Tensor): ProxVjp {
    const fn = 'projLInfBall';
    checkX(fn, x);
    const layout = checkHyper(fn, 'radius', hyper, x, { min: 0 });
    checkScaling(fn, scaling);
    const g = checkGradOutput(fn, gradOutput, x);
    const src = unsafeData(x);
    const gradInput = new Float64Array(src.length);
    const gradRadius = new Float64Array(src.length); // d out_k / d r = sign(x_k) where clipped
    for (let k = 0; k < src.length; k++) {
      const v = src[k];
      const r = layout.values[Math.floor(k / layout.inner)];
      if (v > r) gradRadius[k] = g[k];
      else if (v < -r) gradRadius[k] = -g[k];
      else gradInput[k] = g[k];
    }
    return { gradInput: wrap(gradInput, x.shape), gradHyper: reduceToHyper(gradRadius, layout, hyper) };
  },
};

// ---------------------------------------------------------------------------------------------
// Balls of whole vectors (one per row).

/** What tells the l2 and l1 balls apart: the norm, and the projection and its VJP outside the ball. */
interface RowBall {
  name: string;
  /** The ball's norm of x[start .. start + n). */
  norm(x: Float64Array, start: number, n: number): number;
  /**
   * Writes the projection of the row x[start .. start + n), whose norm `norm` exceeds `radius`,
   * into out[start .. start + n). `scratch` has length n.
   */
  projectOutside(
    x: Float64Array,
    start: number,
    n: number,
    radius: number,
    norm: number,
    out: Float64Array,
    scratch: Float64Array,
  ): void;
  /**
   * The VJP for a row outside the ball: writes gradInput[start .. start + n) from
   * g[start .. start + n) and returns the gradient w.r.t. the row's radius.
   */
  vjpOutside(
    x: Float64Array,
    start: number,
    n: number,
    radius: number,
    norm: number,
    g: Float64Array,
    gradInput: Float64Array,
    scratch: Float64Array,
  ): number;
}

/**
 * The projection onto a ball of whole vectors: a rank-1 x is one vector, each row of a batch
 * (N, n) is projected onto its own ball, the radius being a number >= 0 or a tensor of shape [N].
 * Rows inside the ball are kept (and pass their gradient through).
 */
function rowBallProx(ball: RowBall): ProxOperator {
  const fn = ball.name;
  return {
    name: fn,
    convex: true,
    prox(x: Tensor, hyper: Hyper, scaling = 1): Tensor {
      const [xt, rows, n] = checkVectors(fn, x);
      const layout = checkSampleHyper(fn, 'radius', hyper, xt, { min: 0 });
      checkScaling(fn, scaling);
      const src = unsafeData(xt);
      const out = new Float64Array(src.length);
      const scratch = new Float64Array(n);
      for (let r = 0; r < rows; r++) {
        const start = r * n;
        const radius = sampleHyperAt(layout, r);
        const norm = ball.norm(src, start, n);
        if (norm <= radius) {
          for (let i = start; i < start + n; i++) out[i] = src[i];
          continue;
        }
        ball.projectOutside(src, start, n, radius, norm, out, scratch);
      }
      return wrap(out, xt.shape);
    },
    value(x: Tensor, hyper: Hyper): number {
      const [xt, rows, n] = checkVectors(fn, x);
      const layout = checkSampleHyper(fn, 'radius', hyper, xt, { min: 0 });
      const src = unsafeData(xt);
      for (let r = 0; r < rows; r++) {
        const radius = sampleHyperAt(layout, r);
        if (ball.norm(src, r * n, n) > radius + slack(radius)) return Infinity;
      }
      return 0;
    },
    vjp(x: Tensor, hyper: Hyper, scaling: number, gradOutput: Tensor): ProxVjp {
      const [xt, rows, n] = checkVectors(fn, x);
      const layout = checkSampleHyper(fn, 'radius', hyper, xt, { min: 0 });
      checkScaling(fn, scaling);
      const g = checkGradOutput(fn, gradOutput, xt);
      const src = unsafeData(xt);
      const gradInput = new Float64Array(src.length);
      const gradRadius = new Float64Array(rows);
      const scratch = new Float64Array(n);
      for (let r = 0; r < rows; r++) {
        const start = r * n;
        const radius = sampleHyperAt(layout, r);
        const norm = ball.norm(src, start, n);
        if (norm <= radius) {
          for (let i = start; i < start + n; i++) gradInput[i] = g[i];
          continue;
        }
        gradRadius[r] = ball.vjpOutside(src, start, n, radius, norm, g, gradInput, scratch);
      }
      return { gradInput: wrap(gradInput, xt.shape), gradHyper: reducePerSample(gradRadius, layout, hyper) };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// l2 ball.

/**
 * Projection onto the l2 ball of radius r: x scaled by min(1, r / ||x||). A rank-1 x is one
 * vector; each row of a batch (N, n) is projected onto its own ball, the radius being a number
 * >= 0 or a tensor of shape [N]. Outside the ball the Jacobian is (r/||x||)(I - x x^T/||x||^2)
 * and d out / d r = x / ||x||.
 */
export const projL2Ball: ProxOperator = rowBallProx({
  name: 'projL2Ball',
  norm: norm2Raw,
  projectOutside(src, start, n, radius, norm, out) {
    // (x_i / ||x||) r: the unit vector first, so that a tiny radius loses no more than rounding
    // (a division, because 1 / ||x|| overflows for a subnormal norm).
    for (let i = start; i < start + n; i++) out[i] = (src[i] / norm) * radius;
  },
  vjpOutside(src, start, n, radius, norm, g, gradInput) {
    let xg = 0;
    for (let i = start; i < start + n; i++) xg += (src[i] / norm) * g[i];
    // (r/||x||)(g - e (e^T g)) with the unit vector e = x/||x||.
    const factor = radius / norm;
    for (let i = start; i < start + n; i++) gradInput[i] = factor * (g[i] - (src[i] / norm) * xg);
    return xg;
  },
});

// ---------------------------------------------------------------------------------------------
// l1 ball.

/**
 * The threshold of the l1-ball projection of a row already known to lie outside the ball:
 * out_i = sign(x_i) max(|x_i| - tau, 0). `sorted` receives |x| sorted in ascending order (scratch
 * of length n). Returns [tau, smallest active magnitude]: the active set is the rho largest
 * magnitudes, rho = max{ j : j u_j - (u_1 + ... + u_j) + r >= 0 } for u sorted descending (the
 * left side is non-increasing in j, so the scan stops at the first failure). Allocates nothing.
 */
function l1BallThreshold(
  x: Float64Array,
  offset: number,
  n: number,
  radius: number,
  sorted: Float64Array,
): [number, number] {
  for (let i = 0; i < n; i++) sorted[i] = Math.abs(x[offset + i]);
  sorted.sort();
  let cumulative = 0;
  let tau = 0;
  let smallestActive = sorted[n - 1];
  for (let j = 1; j <= n; j++) {
    const u = sorted[n - j];
    if (j * u - (cumulative + u) + radius < 0) break;
    cumulative += u;
    tau = (cumulative - radius) / j;
    smallestActive = u;
  }
  return [tau, smallestActive];
}

/**
 * Projection onto the l1 ball of radius r, exact, by sorting the magnitudes (O(n log n) per row):
 * soft-thresholding at the tau for which the result has l1 norm r. A rank-1 x is one vector; each
 * row of a batch (N, n) is projected onto its own ball, the radius being a number >= 0 or a
 * tensor of shape [N]. Outside the ball, on the active set S (sign vector sigma), the Jacobian is
 * I - sigma sigma^T / |S| restricted to S (zero elsewhere) and d out_S / d r = sigma / |S|.
 */
export const projL1Ball: ProxOperator = rowBallProx({
  name: 'projL1Ball',
  norm: norm1Raw,
  projectOutside(src, start, n, radius, _norm, out, sorted) {
    // The ball of radius 0 is {0}; the threshold formula could leave 1-ulp residues on ties.
    if (radius === 0) return;
    const [tau] = l1BallThreshold(src, start, n, radius, sorted);
    let norm = 0;
    for (let i = start; i < start + n; i++) {
      const a = Math.abs(src[i]) - tau;
      out[i] = a > 0 ? Math.sign(src[i]) * a : 0;
      norm += a > 0 ? a : 0;
    }
    // tau carries an absolute error of about eps max|x|, which for a radius far below max|x| is
    // large relative to the radius; scaling back onto the sphere keeps the result in the ball
    // and moves it by no more than that error.
    if (norm > radius) {
      const factor = radius / norm;
      for (let i = start; i < start + n; i++) out[i] *= factor;
    }
  },
  vjpOutside(src, start, n, radius, _norm, g, gradInput, sorted) {
    const end = start + n;
    // Active set by magnitude rank, not |x_i| > tau: for r = 0, tau equals the largest magnitude.
    const [, smallestActive] = l1BallThreshold(src, start, n, radius, sorted);
    let size = 0;
    let sigmaG = 0;
    for (let i = start; i < end; i++) {
      if (Math.abs(src[i]) >= smallestActive) {
        size++;
        sigmaG += Math.sign(src[i]) * g[i];
      }
    }
    const meanSigmaG = sigmaG / size;
    for (let i = start; i < end; i++)
      if (Math.abs(src[i]) >= smallestActive) gradInput[i] = g[i] - Math.sign(src[i]) * meanSigmaG;
    return meanSigmaG;
  },
});
