/**
 * Invariants of the SLISTA and ALISTA layers (src/unrolled/slista.ts, src/unrolled/alista.ts) and
 * of ALISTA's analytic weight:
 *
 * - the VJP equals central finite differences in a dot-product test (random loss gradient g,
 *   random direction d: <vjp(g), d> = d/dh <g, forward(x + h d)>) for the input (z, y) and every
 *   parameter (α; γ, θ);
 * - alistaWeight meets diag(Wᵀ A) = 1 to its reported residual, the KKT condition, and no
 *   constraint-preserving perturbation lowers its objective, on random full-row-rank A (n < m);
 * - inputs are never written.
 *
 * Kinks are avoided by construction, not by discarding samples: the pre-threshold values P do not
 * depend on the threshold t (λα for SLISTA, θ for ALISTA), so t is placed at the middle of the
 * largest gap of {0} ∪ {|P_k|}, which leaves a margin of half that gap. Along one direction P and t
 * are affine in the step h (P = z - αG with G independent of α; t = λα), so the rate at which any
 * |P_k| - t can move is computed exactly and the finite-difference step is chosen to stay within a
 * quarter of the margin. Inside one region of the mask the layer is affine along the direction,
 * so central differences are exact up to rounding.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { gaussianMatrix, normal } from '../src/random/index.js';
import { fromArray, type Tensor } from '../src/tensor/index.js';
import { alistaLayer, alistaWeight } from '../src/unrolled/alista.js';
import { slistaLayer } from '../src/unrolled/slista.js';
import { fcParams, snapshot, unchanged } from './support/arbitraries.js';
import { dot, maxAbs } from './support/vectors.js';

/** Relative tolerance of a finite-difference check (the layer is affine along the path). */
const FD_RTOL = 1e-7;

function near(a: number, b: number, what: string): boolean {
  if (Math.abs(a - b) <= FD_RTOL * Math.max(1, Math.abs(a), Math.abs(b))) return true;
  throw new Error(`${what}: ${a} vs ${b}`);
}

/** Row-major product of (r, k) and (k, c), or (r, k) times the transpose of (c, k). */
function mm(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  r: number,
  k: number,
  c: number,
  bT = false,
): number[] {
  const out = new Array<number>(r * c).fill(0);
  for (let i = 0; i < r; i++)
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * (bT ? b[j * k + p] : b[p * c + j]);
      out[i * c + j] = s;
    }
  return out;
}

/** Threshold in the middle of the largest gap of {0} ∪ {|p_k|}, and the margin (half the gap). */
function thresholdInGap(pre: readonly number[]): { t: number; margin: number } {
  const v = [0, ...pre.map(Math.abs)].sort((a, b) => a - b);
  let best = 0;
  let at = 0;
  for (let i = 1; i < v.length; i++) {
    if (v[i] - v[i - 1] > best) {
      best = v[i] - v[i - 1];
      at = i;
    }
  }
  if (best === 0) return { t: 1, margin: 1 }; // every P_k = 0: all inside (0, 1)
  return { t: (v[at] + v[at - 1]) / 2, margin: best / 2 };
}

/** FD step that keeps every |P_k| - t within a quarter of the margin, given the rates along d. */
const stepFor = (margin: number, rate: number): number =>
  Math.min(1, (0.25 * margin) / Math.max(rate, 1e-300));

const sizes = fc.record({
  n: fc.integer({ min: 1, max: 6 }),
  extra: fc.integer({ min: 0, max: 4 }),
  N: fc.integer({ min: 1, max: 3 }),
  seed: fc.integer({ min: 0, max: 2 ** 30 }),
  step: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
});

interface Setup {
  n: number;
  m: number;
  N: number;
  A: Tensor;
  z: Tensor;
  y: Tensor;
  g: Tensor;
  dz: Tensor;
  dy: Tensor;
}

function setup(n: number, extra: number, N: number, seed: number): Setup {
  const m = n + extra;
  return {
    n,
    m,
    N,
    A: gaussianMatrix(seed, n, m),
    z: normal(seed + 1, [N, m]),
    y: normal(seed + 2, [N, n]),
    g: normal(seed + 3, [N, m]),
    dz: normal(seed + 4, [N, m]),
    dy: normal(seed + 5, [N, n]),
  };
}

const plus = (x: Tensor, d: Tensor, h: number): Tensor =>
  fromArray(
    Array.from(x.data, (v, i) => v + h * d.data[i]),
    x.shape,
  );

describe('SLISTA layer', () => {
  it('VJP = central finite differences for (z, y) and α, inputs untouched', () => {
    fc.assert(
      fc.property(sizes, ({ n, extra, N, seed, step }) => {
        const { m, A, z, y, g, dz, dy } = setup(n, extra, N, seed);
        const a = A.data;
        // α relative to 1/||A||_F² (<= 1/L), G = (Z Aᵀ - Y) A, P = Z - α G.
        const alpha = step / dot(a, a);
        const R = mm(z.data, a, N, m, n, true).map((v, i) => v - y.data[i]);
        const G = mm(R, a, N, n, m);
        const P = Array.from(z.data, (v, i) => v - alpha * G[i]);
        const { t, margin } = thresholdInGap(P);
        const lambda = t / alpha;
        const layer = slistaLayer(A, lambda);
        const saved = [A, z, y, g].map(snapshot);

        const { cache } = layer.forward({ alpha }, { z, y });
        const { gradInput, gradParams } = layer.vjp({ alpha }, cache, g);
        const loss = (zz: Tensor, yy: Tensor, al: number): number =>
          dot(g.data, layer.forward({ alpha: al }, { z: zz, y: yy }).output.data);

        // Input direction: P moves by h D with D = dz - α (dz Aᵀ - dy) A; t does not move.
        const Rd = mm(dz.data, a, N, m, n, true).map((v, i) => v - dy.data[i]);
        const D = mm(Rd, a, N, n, m).map((v, i) => dz.data[i] - alpha * v);
        const h = stepFor(margin, maxAbs(D));
        const fdInput =
          (loss(plus(z, dz, h), plus(y, dy, h), alpha) - loss(plus(z, dz, -h), plus(y, dy, -h), alpha)) /
          (2 * h);
        near(dot(gradInput.z.data, dz.data) + dot(gradInput.y.data, dy.data), fdInput, 'd(z, y)');

        // α: P moves by -h G, t by h λ.
        const ha = Math.min(stepFor(margin, maxAbs(G) + lambda), 0.5 * alpha);
        const fdAlpha = (loss(z, y, alpha + ha) - loss(z, y, alpha - ha)) / (2 * ha);
        near(gradParams.alpha, fdAlpha, 'dα');

        return [A, z, y, g].every((x, i) => unchanged(x, saved[i]));
      }),
      fcParams(60),
    );
  });
});

describe('ALISTA layer', () => {
  it('VJP = central finite differences for (z, y), γ and θ, inputs untouched', () => {
    fc.assert(
      fc.property(sizes, ({ n, extra, N, seed, step }) => {
        const { m, A, z, y, g, dz, dy } = setup(n, extra, N, seed);
        const { W } = alistaWeight(A);
        const a = A.data;
        const w = W.data;
        const gamma = step / Math.sqrt(dot(a, a) * dot(w, w)); // about the scale of 1/||Wᵀ A||
        const R = mm(z.data, a, N, m, n, true).map((v, i) => v - y.data[i]);
        const H = mm(R, w, N, n, m);
        const P = Array.from(z.data, (v, i) => v - gamma * H[i]);
        const { t: theta, margin } = thresholdInGap(P);
        const layer = alistaLayer(A, W);
        const saved = [A, W, z, y, g].map(snapshot);

        const params = { gamma, theta };
        const { cache } = layer.forward(params, { z, y });
        const { gradInput, gradParams } = layer.vjp(params, cache, g);
        const loss = (zz: Tensor, yy: Tensor, ga: number, th: number): number =>
          dot(g.data, layer.forward({ gamma: ga, theta: th }, { z: zz, y: yy }).output.data);

        // Input direction: P moves by h D with D = dz - γ (dz Aᵀ - dy) W.
        const Rd = mm(dz.data, a, N, m, n, true).map((v, i) => v - dy.data[i]);
        const D = mm(Rd, w, N, n, m).map((v, i) => dz.data[i] - gamma * v);
        const h = stepFor(margin, maxAbs(D));
        const fdInput =
          (loss(plus(z, dz, h), plus(y, dy, h), gamma, theta) -
            loss(plus(z, dz, -h), plus(y, dy, -h), gamma, theta)) /
          (2 * h);
        near(dot(gradInput.z.data, dz.data) + dot(gradInput.y.data, dy.data), fdInput, 'd(z, y)');

        // γ: P moves by -h H. θ: t moves by h (θ ± h stays >= 0 since h <= margin / 4 < θ).
        const hg = stepFor(margin, maxAbs(H));
        const fdGamma = (loss(z, y, gamma + hg, theta) - loss(z, y, gamma - hg, theta)) / (2 * hg);
        near(gradParams.gamma, fdGamma, 'dγ');
        const ht = stepFor(margin, 1);
        const fdTheta = (loss(z, y, gamma, theta + ht) - loss(z, y, gamma, theta - ht)) / (2 * ht);
        near(gradParams.theta, fdTheta, 'dθ');

        return [A, W, z, y, g].every((x, i) => unchanged(x, saved[i]));
      }),
      fcParams(60),
    );
  });
});

describe('alistaWeight', () => {
  it('meets diag(Wᵀ A) = 1, the KKT condition and beats constraint-preserving perturbations', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 2 ** 30 }),
        (n, extra, seed) => {
          const m = n + extra;
          const A = gaussianMatrix(seed, n, m);
          const saved = snapshot(A);
          const { W, constraintResidual, offDiagonalNorm, stationarityResidual } = alistaWeight(A);
          const a = A.data;
          const D = new Array<number>(m * m).fill(0); // Wᵀ A, computed naively here
          for (let i = 0; i < m; i++)
            for (let j = 0; j < m; j++) {
              let s = 0;
              for (let p = 0; p < n; p++) s += W.data[p * m + i] * a[p * m + j];
              D[i * m + j] = s;
            }
          let diagErr = 0;
          let off2 = 0;
          for (let i = 0; i < m; i++)
            for (let j = 0; j < m; j++) {
              if (i === j) diagErr = Math.max(diagErr, Math.abs(D[i * m + i] - 1));
              else off2 += D[i * m + j] ** 2;
            }
          if (!(constraintResidual <= 1e-12 && diagErr <= 1e-12))
            throw new Error(`constraint ${constraintResidual}, recomputed ${diagErr}`);
          near(offDiagonalNorm, Math.sqrt(off2), 'objective');
          if (!(stationarityResidual <= 1e-8)) throw new Error(`stationarity ${stationarityResidual}`);

          // Column objective f_j(w) = Σ_{i≠j} (wᵀ a_i)²; u with a_jᵀ u = 0 keeps the constraint.
          const dirs = normal(seed + 1, [m, n]).data;
          for (let j = 0; j < m; j++) {
            const wj = Array.from({ length: n }, (_, p) => W.data[p * m + j]);
            const aj = Array.from({ length: n }, (_, p) => a[p * m + j]);
            const f = (v: number[]): number => {
              let s = 0;
              for (let i = 0; i < m; i++) {
                if (i === j) continue;
                let c = 0;
                for (let p = 0; p < n; p++) c += v[p] * a[p * m + i];
                s += c * c;
              }
              return s;
            };
            const d = Array.from({ length: n }, (_, p) => dirs[j * n + p]);
            const proj = dot(d, aj) / dot(aj, aj);
            const u = d.map((x, p) => x - proj * aj[p]);
            const base = f(wj);
            for (const eps of [1e-4, 1e-2, 1]) {
              const moved = f(wj.map((x, p) => x + eps * u[p]));
              if (moved < base - 1e-9 * Math.max(1, base))
                throw new Error(`column ${j}: perturbation ${eps} lowers ${base} to ${moved}`);
            }
          }
          return unchanged(A, saved);
        },
      ),
      fcParams(60),
    );
  });
});
