/**
 * The proximal operator of 1-D total variation, exact, by Condat's direct algorithm
 * (L. Condat, "A Direct Algorithm for 1D Total Variation Denoising", IEEE SPL 20(11), 2013):
 *
 *     prox(x, lambda, s) = argmin_u 1/2 ||x - u||^2 + s lambda sum_i |u_{i+1} - u_i|
 *
 * The algorithm scans the signal once, keeping the range [vMin, vMax] of values the current
 * segment may still take and the matching dual variables uMin, uMax; when a bound is violated it
 * emits the segment up to the last position where that bound was tight (kMinus or kPlus) and
 * restarts from there. It is exact (no tolerance, no iterations) and linear-time in practice
 * (quadratic only on contrived inputs). A rank-1 x is one signal; each row of a rank-2 x (N, n)
 * is one signal, with lambda one number or one per sample (shape [N]).
 *
 * The solution is piecewise constant. On a segment [a, b] of length len its value is
 *
 *     v = mean(x_a..x_b) - s lambda (sigmaLeft - sigmaRight) / len,
 *
 * with sigmaLeft = sign(v - u_{a-1}) and sigmaRight = sign(u_{b+1} - v) (0 at the signal ends),
 * which gives the VJP: gradOutput averaged over each segment for x, and
 * -s sum_segments (sigmaLeft - sigmaRight) mean(gradOutput on the segment) for lambda.
 *
 * @module
 */
import { checkNumber, checkTensor } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkSampleHyper, reducePerSample, sampleHyperAt, type SampleHyperLayout } from './hyper.js';
import type { Hyper, ProxOperator, ProxVjp } from './types.js';

/**
 * Writes prox_{lambda TV}(x[offset .. offset + n)) into out[offset .. offset + n), allocating
 * nothing. Unchecked: lambda must be finite and >= 0. `out` may be `x` itself (the algorithm
 * only writes positions it will not read again).
 */
export function tv1dInto(
  x: Float64Array,
  offset: number,
  n: number,
  lambda: number,
  out: Float64Array,
): void {
  if (n <= 0) return;
  if (n === 1 || lambda === 0) {
    for (let i = offset; i < offset + n; i++) out[i] = x[i];
    return;
  }
  condatScan(x, offset, n, lambda, out);
}

/** Condat's scan proper (n >= 2, lambda > 0), indices relative to `offset`. */
function condatScan(x: Float64Array, offset: number, n: number, lambda: number, out: Float64Array): void {
  const last = n - 1;
  const twoLambda = 2 * lambda;
  const minusLambda = -lambda;
  let k = 0; // current position
  let k0 = 0; // start of the current segment
  let kMinus = 0; // last position where uMin = lambda (vMin was last updated)
  let kPlus = 0; // last position where uMax = -lambda
  let vMin = x[offset] - lambda; // the segment's value lies in [vMin, vMax]
  let vMax = x[offset] + lambda;
  let uMin = lambda; // dual variable at k if the segment takes the value vMin
  let uMax = minusLambda; // ... or vMax
  for (;;) {
    // At the right end the dual must vanish: emit segments until it does.
    while (k === last) {
      if (uMin < 0) {
        // vMin is too high: a negative jump after kMinus.
        do out[offset + k0++] = vMin;
        while (k0 <= kMinus);
        k = kMinus = k0;
        vMin = x[offset + k];
        uMin = lambda;
        uMax = vMin + uMin - vMax;
      } else if (uMax > 0) {
        // vMax is too low: a positive jump after kPlus.
        do out[offset + k0++] = vMax;
        while (k0 <= kPlus);
        k = kPlus = k0;
        vMax = x[offset + k];
        uMax = minusLambda;
        uMin = vMax + uMax - vMin;
      } else if (k0 === 0) {
        // One segment: its value is the mean. The scan's vMin carries rounding errors of size
        // eps lambda, large when lambda is far above the signal, so compute the mean directly.
        let sum = 0;
        for (let i = offset; i < offset + n; i++) sum += x[i];
        const mean = sum / n;
        for (let i = offset; i < offset + n; i++) out[i] = mean;
        return;
      } else {
        vMin += uMin / (k - k0 + 1);
        do out[offset + k0++] = vMin;
        while (k0 <= k);
        return;
      }
    }
    const next = x[offset + k + 1];
    uMin += next - vMin;
    if (uMin < minusLambda) {
      // Negative jump: the segment [k0, kMinus] takes vMin; restart after it.
      do out[offset + k0++] = vMin;
      while (k0 <= kMinus);
      k = kMinus = kPlus = k0;
      vMin = x[offset + k];
      vMax = vMin + twoLambda;
      uMin = lambda;
      uMax = minusLambda;
      continue;
    }
    uMax += next - vMax;
    if (uMax > lambda) {
      // Positive jump: the segment [k0, kPlus] takes vMax; restart after it.
      do out[offset + k0++] = vMax;
      while (k0 <= kPlus);
      k = kMinus = kPlus = k0;
      vMax = x[offset + k];
      vMin = vMax - twoLambda;
      uMin = lambda;
      uMax = minusLambda;
      continue;
    }
    // No jump yet: extend the segment, tightening the bounds that went past the dual box.
    k++;
    if (uMin >= lambda) {
      kMinus = k;
      vMin += (uMin - lambda) / (kMinus - k0 + 1);
      uMin = lambda;
    }
    if (uMax <= minusLambda) {
      kPlus = k;
      vMax += (uMax + lambda) / (kPlus - k0 + 1);
      uMax = minusLambda;
    }
  }
}

/** x checked as one signal (rank 1) or a batch of signals (rank 2); returns [rows, length]. */
function checkSignals(fn: string, x: unknown): [Tensor, number, number] {
  const t = checkTensor(fn, 'x', x, { rank: [1, 2] });
  return t.rank === 1 ? [t, 1, t.shape[0]] : [t, t.shape[0], t.shape[1]];
}

/** lambda: a finite number >= 0, or for a batch (N, n) a tensor of shape [N] of values >= 0. */
function checkLambda(fn: string, hyper: unknown, x: Tensor): SampleHyperLayout {
  return checkSampleHyper(fn, 'lambda', hyper, x, { min: 0 });
}

function prox(x: Tensor, hyper: Hyper, scaling = 1): Tensor {
  const fn = 'tv1d';
  const [xt, rows, n] = checkSignals(fn, x);
  const layout = checkLambda(fn, hyper, xt);
  checkNumber(fn, 'scaling', scaling, { min: 0 });
  const src = unsafeData(xt);
  const out = new Float64Array(xt.size);
  for (let r = 0; r < rows; r++) tv1dInto(src, r * n, n, scaling * sampleHyperAt(layout, r), out);
  return wrap(out, xt.shape);
}

function value(x: Tensor, hyper: Hyper): number {
  const fn = 'tv1d';
  const [xt, rows, n] = checkSignals(fn, x);
  const layout = checkLambda(fn, hyper, xt);
  const src = unsafeData(xt);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    let tv = 0;
    for (let i = r * n; i < (r + 1) * n - 1; i++) tv += Math.abs(src[i + 1] - src[i]);
    total += sampleHyperAt(layout, r) * tv;
  }
  return total;
}

function vjp(x: Tensor, hyper: Hyper, scaling: number, gradOutput: Tensor): ProxVjp {
  const fn = 'tv1d';
  const [xt, rows, n] = checkSignals(fn, x);
  const layout = checkLambda(fn, hyper, xt);
  checkNumber(fn, 'scaling', scaling, { min: 0 });
  checkTensor(fn, 'gradOutput', gradOutput, { shape: xt.shape });
  const src = unsafeData(xt);
  const g = unsafeData(gradOutput);
  const u = new Float64Array(xt.size);
  const gradInput = new Float64Array(xt.size);
  const gradLambdaOfRow = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const start = r * n;
    const end = start + n;
    tv1dInto(src, start, n, scaling * sampleHyperAt(layout, r), u);
    let gradLambda = 0;
    // Segments are the runs of equal values of u: the scan writes one value per segment.
    for (let a = start; a < end;) {
      let b = a;
      while (b + 1 < end && u[b + 1] === u[a]) b++;
      const len = b - a + 1;
      let gSum = 0;
      for (let i = a; i <= b; i++) gSum += g[i];
      const gMean = gSum / len;
      for (let i = a; i <= b; i++) gradInput[i] = gMean;
      const sigmaLeft = a > start ? Math.sign(u[a] - u[a - 1]) : 0;
      const sigmaRight = b + 1 < end ? Math.sign(u[b + 1] - u[b]) : 0;
      gradLambda -= (sigmaLeft - sigmaRight) * gMean;
      a = b + 1;
    }
    gradLambdaOfRow[r] = scaling * gradLambda;
  }
  return { gradInput: wrap(gradInput, xt.shape), gradHyper: reducePerSample(gradLambdaOfRow, layout, hyper) };
}

/**
 * The exact prox of lambda times 1-D total variation, per signal (row): `prox(x, lambda, s)`
 * solves argmin_u 1/2||x - u||^2 + s lambda sum_i |u_{i+1} - u_i| by Condat's direct algorithm;
 * `value` is lambda sum_i |x_{i+1} - x_i| summed over samples; `vjp` differentiates the
 * segment formula (valid a.e.: not where a jump of the solution is about to open or close).
 * x has rank 1 (one signal) or 2 (a batch, one signal per row); lambda is a number >= 0 or, for a
 * batch, a tensor of shape [N].
 */
export const tv1d: ProxOperator = { name: 'tv1d', convex: true, prox, value, vjp };
