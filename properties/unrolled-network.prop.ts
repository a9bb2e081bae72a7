/**
 * Properties of unrolled networks and losses (src/unrolled/network.ts, losses.ts):
 *
 * - the whole-network VJP (backwardNetwork, with extra per-layer gradients) equals central finite
 *   differences, as a dot-product test with random directions, for y, z_0 and every layer's W and
 *   theta of LISTA-CP networks of depth 2-4 (scalar or per-coordinate thresholds);
 * - the gradients of the supervised and unsupervised losses equal finite differences.
 *
 * Kinks across layers cannot be designed away as for one layer, so the network test is honest
 * about them instead: for the drawn inputs it computes every pre-threshold value of every layer
 * in the forward pass and its distance to its kink (margin_t = min ||pre| - theta_j| in layer t).
 * Where a margin is essentially zero (< 1e-6; also forced in some cases by putting a threshold
 * exactly on a pre-threshold magnitude) that layer's threshold is shifted by at most 0.01 into
 * the wider neighbouring gap, and the forward pass is redone from that layer. Then the FD step h
 * is chosen per direction so that h times a bound on how fast the pre-activations (and the
 * thresholds) move along it stays below a quarter of the margin: no entry crosses a kink on
 * [-h, h], the network is smooth there and central differences agree with the VJP. The bound is
 * propagated through the layers with Frobenius norms (ST is 1-Lipschitz), for |s| <= H_MAX:
 *
 *     dpre_t <= dz_t (1 + |A| |W_t(s)|) + |dY| |W_t(s)| + |Z_t(s) A^T - Y(s)| |dW_t|
 *     dz_{t+1} <= dpre_t + sqrt(N m) max|dtheta_t|
 *
 * No sample is discarded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, type Tensor } from '../src/tensor/index.js';
import { normal, toRng } from '../src/random/index.js';
import {
  backwardNetwork,
  forwardNetwork,
  listaCpLayer,
  network,
  supervisedLoss,
  unsupervisedLoss,
  type ListaCpParams,
  type Threshold,
} from '../src/unrolled/index.js';
import { fcParams } from './support/arbitraries.js';
import { dot, fro, maxAbs } from './support/vectors.js';

const H_MAX = 1e-5;
const KINK_EPS = 1e-6;

const data = (t: Tensor): Float64Array => Float64Array.from(t.data);
/** pre = Z - (Z A^T - Y) W for Z (N, m), Y (N, n), A (n, m), W (n, m); also returns |Z A^T - Y|_F. */
function preOf(
  A: Float64Array,
  W: Float64Array,
  z: Float64Array,
  y: Float64Array,
  N: number,
  n: number,
  m: number,
) {
  const r = new Float64Array(N * n);
  for (let i = 0; i < N; i++)
    for (let a = 0; a < n; a++) {
      let s = -y[i * n + a];
      for (let j = 0; j < m; j++) s += z[i * m + j] * A[a * m + j];
      r[i * n + a] = s;
    }
  const pre = new Float64Array(N * m);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < m; j++) {
      let s = z[i * m + j];
      for (let a = 0; a < n; a++) s -= r[i * n + a] * W[a * m + j];
      pre[i * m + j] = s;
    }
  return { pre, residual: fro(r) };
}

interface NetCase {
  n: number;
  m: number;
  N: number;
  T: number;
  seed: number;
  perCoord: boolean;
  /** Put layer 0's (first) threshold exactly on a pre-threshold magnitude, forcing a shift. */
  forceKink: boolean;
}

const netCaseArb: fc.Arbitrary<NetCase> = fc.record({
  n: fc.integer({ min: 1, max: 5 }),
  m: fc.integer({ min: 1, max: 6 }),
  N: fc.integer({ min: 1, max: 3 }),
  T: fc.integer({ min: 2, max: 4 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  perCoord: fc.boolean(),
  forceKink: fc.boolean(),
});

/** Moves theta (one coordinate's or the common one) off the magnitudes `mags` if within KINK_EPS. */
function openMargin(theta: number, mags: number[]): number {
  const sorted = [0, ...mags].sort((a, b) => a - b);
  let near = -1;
  for (let k = 0; k < sorted.length; k++) if (Math.abs(sorted[k] - theta) < KINK_EPS) near = k;
  if (near < 0) return theta;
  const a = sorted[near];
  const below = near > 0 ? a - sorted[near - 1] : 0;
  const above = near + 1 < sorted.length ? sorted[near + 1] - a : Infinity;
  return above >= below ? a + Math.min(above / 2, 0.01) : a - Math.min(below / 2, 0.01);
}

/** Draws a LISTA-CP network case, opening the kink margins layer by layer. */
function drawNetwork(c: NetCase) {
  const { n, m, N, T, seed } = c;
  const A = data(normal(seed, [n, m]));
  const y = data(normal(seed + 1, [N, n]));
  const z0 = data(normal(seed + 2, [N, m])).map((v) => 0.5 * v);
  const rng = toRng('network-case', seed);
  const Ws: Float64Array[] = [];
  const thetas: Threshold[] = [];
  const margins: number[] = [];
  const zs: Float64Array[] = [z0];
  const layer = listaCpLayer(fromArray(A, [n, m]));
  for (let t = 0; t < T; t++) {
    const W = data(normal(seed + 10 + t, [n, m])).map((v) => (0.6 * v) / Math.sqrt(n * m));
    const { pre } = preOf(A, W, zs[t], y, N, n, m);
    const th = Array.from({ length: c.perCoord ? m : 1 }, () => 0.05 + 0.5 * rng.uniform());
    if (c.forceKink && t === 0) th[0] = Math.abs(pre[0]) > 0 ? Math.abs(pre[0]) : th[0];
    let margin = Infinity;
    for (let q = 0; q < th.length; q++) {
      const mags: number[] = [];
      for (let i = 0; i < N; i++)
        for (let j = 0; j < m; j++) if (!c.perCoord || j === q) mags.push(Math.abs(pre[i * m + j]));
      th[q] = Math.max(openMargin(th[q], mags), 0);
      for (const v of mags) margin = Math.min(margin, Math.abs(v - th[q]));
    }
    const theta: Threshold = c.perCoord ? fromArray(th, [m]) : th[0];
    Ws.push(W);
    thetas.push(theta);
    margins.push(margin);
    const out = layer.forward(
      { W: fromArray(W, [n, m]), theta },
      { z: fromArray(zs[t], [N, m]), y: fromArray(y, [N, n]) },
    );
    zs.push(data(out.output));
  }
  const params: ListaCpParams[] = Ws.map((W, t) => ({ W: fromArray(W, [n, m]), theta: thetas[t] }));
  return { A, y, z0, params, margins, zs, layer };
}

interface Direction {
  dY?: Float64Array;
  dZ0?: Float64Array;
  /** Layer whose parameter moves, and how. */
  t?: number;
  dW?: Float64Array;
  dTheta?: Float64Array;
}

/** The FD step for a direction: h * (rate bound) <= margin / 4 in every layer, h <= H_MAX. */
function stepFor(
  d: Direction,
  c: NetCase,
  A: Float64Array,
  y: Float64Array,
  W: Float64Array[],
  zs: Float64Array[],
  margins: number[],
): number {
  const { N, m, T } = c;
  const normA = fro(A);
  const dYn = d.dY ? fro(d.dY) : 0;
  let dz = d.dZ0 ? fro(d.dZ0) : 0;
  let h = H_MAX;
  for (let t = 0; t < T; t++) {
    const dW = d.t === t && d.dW ? fro(d.dW) : 0;
    const dTh = d.t === t && d.dTheta ? maxAbs(d.dTheta) : 0;
    const Wn = fro(W[t]) + H_MAX * dW;
    const zn = fro(zs[t]) + H_MAX * dz;
    const Rn = normA * zn + fro(y) + H_MAX * dYn;
    const dpre = dz * (1 + normA * Wn) + dYn * Wn + Rn * dW;
    const rate = dpre + dTh;
    if (rate > 0) h = Math.min(h, margins[t] / (4 * rate));
    dz = dpre + Math.sqrt(N * m) * dTh;
  }
  return h;
}

describe('unrolled networks and losses (properties)', () => {
  it('LISTA-CP networks: the whole-network VJP equals central finite differences for y, z0 and every W_t, theta_t', () => {
    fc.assert(
      fc.property(netCaseArb, (c) => {
        const { n, m, N, T, seed } = c;
        const { A, y, z0, params, margins, zs, layer } = drawNetwork(c);
        for (const mg of margins) expect(mg).toBeGreaterThanOrEqual(KINK_EPS);
        const Y = fromArray(y, [N, n]);
        const Z0 = fromArray(z0, [N, m]);
        const net = network(layer, params, m);
        const fwd = forwardNetwork(net, Y, { z0: Z0, keepAll: true });
        const g = normal(seed + 50, [N, m]);
        const gPer = Array.from({ length: T }, (_, t) =>
          t === T - 1 ? null : normal(seed + 60 + t, [N, m]),
        );
        const loss = (p: ListaCpParams[], yy: Tensor, zz: Tensor): number => {
          const f = forwardNetwork(network(layer, p, m), yy, { z0: zz, keepAll: true });
          let s = dot(g.data, f.output.data);
          for (let t = 0; t < T - 1; t++) s += dot((gPer[t] as Tensor).data, (f.outputs as Tensor[])[t].data);
          return s;
        };
        const grads = backwardNetwork(net, fwd.caches, g, gPer);
        const Ws = params.map((p) => data(p.W));
        const check = (name: string, d: Direction, analytic: number, at: (s: number) => number): void => {
          const h = stepFor(d, c, A, y, Ws, zs, margins);
          const plus = at(h);
          const minus = at(-h);
          const fd = (plus - minus) / (2 * h);
          const tol = 1e-6 * (1 + Math.abs(analytic)) + (1e-14 * (1 + Math.abs(plus) + Math.abs(minus))) / h;
          expect(Math.abs(fd - analytic), `${name}: fd ${fd}, vjp ${analytic}, h ${h}`).toBeLessThanOrEqual(
            tol,
          );
        };
        const shift = (x: ArrayLike<number>, dx: Float64Array, s: number, shape: number[]): Tensor =>
          fromArray(
            Array.from(x, (v, k) => v + s * dx[k]),
            shape,
          );
        const dY = data(normal(seed + 70, [N, n]));
        check('y', { dY }, dot(grads.gradY.data, dY), (s) => loss(params, shift(y, dY, s, [N, n]), Z0));
        const dZ0 = data(normal(seed + 71, [N, m]));
        check('z0', { dZ0 }, dot(grads.gradZ0.data, dZ0), (s) => loss(params, Y, shift(z0, dZ0, s, [N, m])));
        for (let t = 0; t < T; t++) {
          const dW = data(normal(seed + 80 + t, [n, m]));
          const withW = (s: number): ListaCpParams[] =>
            params.map((p, u) => (u === t ? { ...p, W: shift(Ws[t], dW, s, [n, m]) } : p));
          check(`W_${t}`, { t, dW }, dot(grads.gradParams[t].W.data, dW), (s) => loss(withW(s), Y, Z0));
          const th = params[t].theta;
          const gth = grads.gradParams[t].theta;
          const dTheta = data(normal(seed + 90 + t, [typeof th === 'number' ? 1 : m]));
          const analytic = typeof gth === 'number' ? gth * dTheta[0] : dot(gth.data, dTheta);
          const withTheta = (s: number): ListaCpParams[] =>
            params.map((p, u) =>
              u !== t
                ? p
                : {
                    ...p,
                    theta: typeof th === 'number' ? th + s * dTheta[0] : shift(th.data, dTheta, s, [m]),
                  },
            );
          check(`theta_${t}`, { t, dTheta }, analytic, (s) => loss(withTheta(s), Y, Z0));
        }
      }),
      fcParams(60),
    );
  });

  const lossCase = fc.record({
    n: fc.integer({ min: 1, max: 6 }),
    m: fc.integer({ min: 1, max: 6 }),
    N: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    perSample: fc.boolean(),
  });
  const H = 1e-5;

  it('the gradient of the supervised loss equals central finite differences', () => {
    fc.assert(
      fc.property(lossCase, ({ m, N, seed }) => {
        const Z = normal(seed, [N, m]);
        const target = normal(seed + 1, [N, m]);
        const d = data(normal(seed + 2, [N, m]));
        const { grad } = supervisedLoss(Z, target);
        const at = (s: number): number =>
          supervisedLoss(
            fromArray(
              Array.from(Z.data, (v, k) => v + s * d[k]),
              [N, m],
            ),
            target,
          ).value;
        const fd = (at(H) - at(-H)) / (2 * H);
        const an = dot(grad.data, d);
        expect(Math.abs(fd - an)).toBeLessThanOrEqual(1e-7 * (1 + Math.abs(an)));
      }),
      fcParams(100),
    );
  });

  it('the gradient of the unsupervised loss equals central finite differences (entries of Z away from 0)', () => {
    fc.assert(
      fc.property(lossCase, ({ n, m, N, seed, perSample }) => {
        const A = normal(seed, [n, m]);
        const Y = normal(seed + 1, [N, n]);
        const rng = toRng('loss-case', seed);
        // |z| >= 0.1 by construction; the direction has |d| <= 1, so |z + s d| >= 0.1 - H > 0
        const Z = fromArray(
          Array.from({ length: N * m }, () => (rng.uniform() < 0.5 ? -1 : 1) * (0.1 + 2 * rng.uniform())),
          [N, m],
        );
        const d = Float64Array.from({ length: N * m }, () => 2 * rng.uniform() - 1);
        const lambda = perSample
          ? fromArray(
              Array.from({ length: N }, () => rng.uniform()),
              [N],
            )
          : rng.uniform();
        const { grad } = unsupervisedLoss(A, Y, Z, lambda);
        const at = (s: number): number =>
          unsupervisedLoss(
            A,
            Y,
            fromArray(
              Array.from(Z.data, (v, k) => v + s * d[k]),
              [N, m],
            ),
            lambda,
          ).value;
        const fd = (at(H) - at(-H)) / (2 * H);
        const an = dot(grad.data, d);
        expect(Math.abs(fd - an)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(an) + Math.abs(at(0))));
      }),
      fcParams(100),
    );
  });
});
