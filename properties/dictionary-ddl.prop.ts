/**
 * Properties of unrolled (deep) dictionary learning (src/dictionary/unrolled-gradient.ts, ddl.ts):
 *
 * - the unrolled gradient w.r.t. the dictionary D and the steps α_t equals central finite
 *   differences of the unrolled objective, as a dot-product test with random directions, for ISTA
 *   and FISTA of depth 1-5 on small random problems;
 * - the truncated gradient (last K iterations) equals finite differences of the objective whose
 *   first T - K iterations run on the base dictionary, frozen (their codes are constants);
 * - on problems with a unique solution (D of full column rank), the unrolled gradient converges to
 *   the analytic gradient at the exact solution as T grows.
 *
 * Kinks across iterations are handled as in unrolled-network.prop.ts: the forward pass records
 * every pre-threshold value P_t and its distance to the kink, margin_t = min ||P_t| - λα_t|, and the
 * FD step h is chosen so that h times a bound on how fast P_t (and the threshold) moves along the
 * direction stays below half the margin; then no entry crosses a kink on [-h, h], the objective is
 * smooth there (the l1 term too: the codes keep their signs) and central differences agree with
 * the gradient. The bound, with Frobenius norms (ST is 1-Lipschitz in its input and threshold),
 * for |s| <= h, dictionary D + s E_t in iteration t (E_t = 0 where frozen), steps α_t + s ε_t:
 *
 *     |dP_t| <= v_t (1 + a_t δ_t²) + |ε_t| (ξ_t δ_t + |Y|) δ_t + a_t |E_t| (2 ξ_t δ_t + |Y|)
 *     |dZ_{t+1}| <= |dP_t| + sqrt(N K) λ |ε_t|
 *
 * with v_t a bound on |dX_t| (FISTA: v_{t+1} = (1 + β_t) |dZ_{t+1}| + β_t |dZ_t|), ξ_t = |X_t(0)| + h v_t,
 * a_t = α_t + h |ε_t|, δ_t = |D| + h |E_t|. If a margin is essentially zero (< 1e-9), λ is moved by
 * 1% (a deterministic schedule) until every margin opens; no sample is discarded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradientErrorByDepth } from '../src/dictionary/gradient-study.js';
import { unrolledDictionaryGradient, unrolledForward } from '../src/dictionary/unrolled-gradient.js';
import { gaussianMatrix, normal, toRng } from '../src/random/index.js';
import { fromArray } from '../src/tensor/index.js';
import { fcParams } from './support/arbitraries.js';
import { dot, fro } from './support/vectors.js';

const H_MAX = 1e-5;
const H_MIN = 1e-9;

interface Case {
  n: number;
  K: number;
  N: number;
  T: number;
  seed: number;
  fista: boolean;
  /** Back-propagate through the last `truncate` iterations (the others frozen in the FD). */
  truncate: number;
}

const caseArb = (truncated: boolean): fc.Arbitrary<Case> =>
  fc
    .record({
      n: fc.integer({ min: 1, max: 5 }),
      K: fc.integer({ min: 1, max: 6 }),
      N: fc.integer({ min: 1, max: 3 }),
      T: fc.integer({ min: truncated ? 2 : 1, max: 5 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      fista: fc.boolean(),
      cut: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ cut, ...c }) => ({ ...c, truncate: truncated ? 1 + Math.floor(cut * (c.T - 1)) : c.T }));

/** The forward pass with the pre-threshold values' margins and the norms the bound needs. */
function forwardMargins(
  d: Float64Array,
  y: Float64Array,
  N: number,
  n: number,
  K: number,
  lambda: number,
  steps: Float64Array,
  fista: boolean,
) {
  const T = steps.length;
  const margins: number[] = [];
  const xNorms: number[] = [];
  const betas: number[] = [];
  let z = new Float64Array(N * K);
  let x = new Float64Array(N * K);
  let s = 1;
  for (let t = 0; t < T; t++) {
    const alpha = steps[t];
    const tau = lambda * alpha;
    xNorms.push(fro(x));
    const out = new Float64Array(N * K);
    let margin = Infinity;
    for (let i = 0; i < N; i++) {
      const r = new Float64Array(n);
      for (let a = 0; a < n; a++) {
        let v = -y[i * n + a];
        for (let j = 0; j < K; j++) v += x[i * K + j] * d[a * K + j];
        r[a] = v;
      }
      for (let j = 0; j < K; j++) {
        let h = 0;
        for (let a = 0; a < n; a++) h += r[a] * d[a * K + j];
        const p = x[i * K + j] - alpha * h;
        margin = Math.min(margin, Math.abs(Math.abs(p) - tau));
        out[i * K + j] = p > tau ? p - tau : p < -tau ? p + tau : 0;
      }
    }
    margins.push(margin);
    const s1 = (1 + Math.sqrt(1 + 4 * s * s)) / 2;
    const beta = fista ? (s - 1) / s1 : 0;
    betas.push(beta);
    s = s1;
    const xNext = new Float64Array(N * K);
    for (let k = 0; k < N * K; k++) xNext[k] = out[k] + beta * (out[k] - z[k]);
    z = out;
    x = xNext;
  }
  return { margins, xNorms, betas };
}

/** True when no pre-threshold value can reach its kink for |s| <= h (see the module notes). */
function smoothOn(
  h: number,
  f: ReturnType<typeof forwardMargins>,
  dNorm: number,
  eNorms: number[],
  yNorm: number,
  steps: Float64Array,
  eps: number[],
  lambda: number,
  N: number,
  K: number,
): boolean {
  let v = 0; // bound on |dX_t|
  let wPrev = 0; // bound on |dZ_t|
  for (let t = 0; t < steps.length; t++) {
    const a = steps[t] + h * Math.abs(eps[t]);
    const delta = dNorm + h * eNorms[t];
    const xi = f.xNorms[t] + h * v;
    const dp =
      v * (1 + a * delta * delta) +
      Math.abs(eps[t]) * (xi * delta + yNorm) * delta +
      a * eNorms[t] * (2 * xi * delta + yNorm);
    const dt = lambda * Math.abs(eps[t]);
    if (!(h * (dp + dt) < 0.5 * f.margins[t])) return false;
    const w = dp + Math.sqrt(N * K) * dt;
    v = (1 + f.betas[t]) * w + f.betas[t] * wPrev;
    wPrev = w;
  }
  return true;
}

/** Draws a problem and directions; returns the FD and the gradient's directional derivative. */
function fdCheck(c: Case): { fd: number; vjp: number; tol: number } {
  const { n, K, N, T, seed, fista, truncate } = c;
  const d = Float64Array.from(normal(seed, [n, K]).data).map((v) => 0.5 * v);
  const y = Float64Array.from(normal(seed + 1, [N, n]).data);
  const E = Float64Array.from(normal(seed + 2, [n, K]).data);
  const rng = toRng('ddl-case', seed);
  const D = fromArray(d, [n, K]);
  const invL = unrolledDictionaryGradient(D, fromArray(y, [N, n]), 0, 1).steps.data[0];
  // Steps between 0.2/L and 1.5/L; directions in the steps only where back-propagated.
  const steps = Float64Array.from({ length: T }, () => invL * (0.2 + 1.3 * rng.uniform()));
  const first = T - truncate;
  const eps = Array.from({ length: T }, (_, t) => (t >= first ? invL * (rng.uniform() - 0.5) : 0));
  const eNorm = fro(E);
  const eNorms = Array.from({ length: T }, (_, t) => (t >= first ? eNorm : 0));
  let lambda = 0.05 + 0.45 * rng.uniform();
  let h = H_MAX;
  for (let attempt = 0; ; attempt++) {
    const f = forwardMargins(d, y, N, n, K, lambda, steps, fista);
    h = H_MAX;
    while (h >= H_MIN && !smoothOn(h, f, fro(d), eNorms, fro(y), steps, eps, lambda, N, K)) h /= 2;
    if (h >= H_MIN) break;
    if (attempt > 50) throw new Error('could not open the kink margins');
    lambda *= attempt % 2 === 0 ? 1.01 : 1 / 1.02;
  }
  const g = unrolledDictionaryGradient(D, fromArray(y, [N, n]), lambda, T, {
    steps: Array.from(steps),
    algorithm: fista ? 'fista' : 'ista',
    truncate,
  });
  const value = (s: number) => {
    const ds = d.map((v, i) => v + s * E[i]);
    const dicts = Array.from({ length: T }, (_, t) => (t >= first ? ds : d));
    const st = steps.map((v, t) => v + s * eps[t]);
    return unrolledForward(dicts, y, N, n, K, lambda, st, fista, 0).value;
  };
  const fp = value(h);
  const fm = value(-h);
  const fd = (fp - fm) / (2 * h);
  const vjp = dot(g.grad.data, E) + dot(g.gradSteps.data, eps);
  // Rounding of the two values (a few ulps each) over 2h, plus a relative allowance.
  const tol = 1e-6 * (1 + Math.abs(vjp)) + (1e-14 * (1 + Math.abs(fp) + Math.abs(fm))) / h;
  return { fd, vjp, tol };
}

describe('unrolled dictionary gradient', () => {
  it('equals central finite differences w.r.t. D and the steps (ISTA and FISTA)', () => {
    fc.assert(
      fc.property(caseArb(false), (c) => {
        const { fd, vjp, tol } = fdCheck(c);
        expect(Math.abs(fd - vjp)).toBeLessThanOrEqual(tol);
      }),
      fcParams(80),
    );
  });

  it('truncated: equals finite differences with the first T - K iterations on the frozen dictionary', () => {
    fc.assert(
      fc.property(caseArb(true), (c) => {
        const { fd, vjp, tol } = fdCheck(c);
        expect(Math.abs(fd - vjp)).toBeLessThanOrEqual(tol);
      }),
      fcParams(60),
    );
  });

  it('with a unique solution, approaches the analytic gradient at the exact solution as T grows', () => {
    fc.assert(
      fc.property(
        fc.record({
          K: fc.integer({ min: 1, max: 5 }),
          N: fc.integer({ min: 1, max: 3 }),
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        }),
        ({ K, N, seed }) => {
          // n = 2K: D has full column rank (almost surely), F is strongly convex, z* is unique.
          const n = 2 * K;
          const D = gaussianMatrix(seed, n, K);
          const Y = normal(seed + 1, [N, n]);
          // λ below every signal's λmax, so that z* != 0 and g* != 0.
          let lmax = Infinity;
          for (let i = 0; i < N; i++) {
            let m = 0;
            for (let j = 0; j < K; j++) {
              let s = 0;
              for (let a = 0; a < n; a++) s += D.data[a * K + j] * Y.data[i * n + a];
              m = Math.max(m, Math.abs(s));
            }
            lmax = Math.min(lmax, m);
          }
          const r = gradientErrorByDepth(D, Y, 0.3 * lmax, [2, 1500]);
          expect(r.referenceNorm).toBeGreaterThan(0);
          expect(r.relative[1]).toBeLessThan(1e-6);
          expect(r.relative[1]).toBeLessThanOrEqual(r.relative[0] + 1e-12);
        },
      ),
      fcParams(30),
    );
  });
});
