/**
 * Properties of the LISTA and LISTA-CP(SS) layers (src/unrolled/lista.ts, lista-cp.ts):
 *
 * - the VJP equals central finite differences, as a dot-product test with random directions
 *   (<g, J d> against <g, f(x + h d) - f(x - h d)> / 2h), for the input (z, y) and every parameter,
 *   scalar and per-coordinate thresholds, with and without support selection;
 * - at ISTA initialisation T layers equal T ISTA iterations (1e-12);
 * - forward and VJP never modify their arguments.
 *
 * Kinks are avoided by construction: the pre-threshold values are designed first (magnitudes on a
 * grid 0.5, 1, 1.5, ... jittered by at most 0.1, with random signs and order per sample), the
 * thresholds are put halfway between grid levels, and the codes Z are then solved for (a Neumann
 * series, with the code weight kept within 0.3 of the identity) so that the layer's pre-threshold
 * values are exactly the designed ones. Every entry is then >= 0.15 from every threshold and the
 * k-th and (k+1)-th largest magnitudes of a sample (the support-selection boundary) are >= 0.3
 * apart; the test checks these margins before differentiating.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, type Tensor } from '../src/tensor/index.js';
import { gaussianMatrix, normal, toRng } from '../src/random/index.js';
import { lassoProblem } from '../src/solvers/lasso-problem.js';
import { proxGradStepInto } from '../src/solvers/ista.js';
import { listaInitFromIsta, listaLayer, type ListaParams, type Threshold } from '../src/unrolled/lista.js';
import { listaCpInitFromIsta, listaCpLayer, type ListaCpParams } from '../src/unrolled/lista-cp.js';
import type { Layer } from '../src/unrolled/types.js';
import { fcParams, snapshot, unchanged } from './support/arbitraries.js';
import { dot } from './support/vectors.js';

/** Finite-difference step and tolerance (the layers are bilinear within a region: FD is exact up to rounding). */
const H = 1e-5;
const TOL = 1e-7;
/** Guaranteed margins of the construction. */
const THETA_MARGIN = 0.15;
const SELECT_MARGIN = 0.3;

interface Case {
  n: number;
  m: number;
  N: number;
  seed: number;
  perCoord: boolean;
  /** Entries bypassing the threshold per sample (support selection), 0 for none. */
  keep: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    n: fc.integer({ min: 1, max: 6 }),
    m: fc.integer({ min: 1, max: 8 }),
    N: fc.integer({ min: 1, max: 3 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    perCoord: fc.boolean(),
    keepFrac: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ keepFrac, ...c }) => ({ ...c, keep: Math.min(c.m, Math.floor(keepFrac * (c.m + 1))) }));

const data = (t: Tensor): Float64Array => Float64Array.from(t.data);

/**
 * Designed pre-threshold values (N, m), thresholds (length m; all equal unless perCoord) between
 * grid levels, from the seed.
 */
function design(c: Case, seed: number): { target: Float64Array; theta: Float64Array } {
  const rng = toRng('design', seed);
  const { N, m } = c;
  const target = new Float64Array(N * m);
  for (let i = 0; i < N; i++) {
    const levels = Array.from({ length: m }, (_, j) => 0.5 * (j + 1) + 0.2 * (rng.uniform() - 0.5));
    for (let j = m - 1; j > 0; j--) {
      const r = Math.floor(rng.uniform() * (j + 1));
      [levels[j], levels[r]] = [levels[r], levels[j]];
    }
    for (let j = 0; j < m; j++) target[i * m + j] = (rng.uniform() < 0.5 ? -1 : 1) * levels[j];
  }
  const level = (): number => 0.25 + 0.5 * Math.floor(rng.uniform() * (m + 1));
  const theta = new Float64Array(m);
  const common = level();
  for (let j = 0; j < m; j++) theta[j] = c.perCoord ? level() : common;
  return { target, theta };
}

/** Solves Z = B + Z K for Z (N, m) with ||K|| < 1 (K: m x m row-major), by a Neumann series. */
function neumann(B: Float64Array, K: Float64Array, N: number, m: number): Float64Array {
  let z = B.slice();
  for (let it = 0; it < 80; it++) {
    const next = B.slice();
    for (let i = 0; i < N; i++) {
      for (let p = 0; p < m; p++) {
        const v = z[i * m + p];
        for (let j = 0; j < m; j++) next[i * m + j] += v * K[p * m + j];
      }
    }
    z = next;
  }
  return z;
}

/** A random (rows, cols) matrix scaled to Frobenius norm `norm`. */
function scaledMatrix(seed: number, rows: number, cols: number, norm: number): Float64Array {
  const d = data(normal(seed, [rows, cols]));
  const f = Math.sqrt(dot(d, d));
  return d.map((v) => (f > 0 ? (v * norm) / f : 0));
}

/** out (N, m) = X (N, k) B^T for B (m, k). */
function timesT(X: ArrayLike<number>, B: ArrayLike<number>, N: number, k: number, m: number): Float64Array {
  const out = new Float64Array(N * m);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += X[i * k + p] * B[j * k + p];
      out[i * m + j] = s;
    }
  }
  return out;
}

/** Checks the margins of the construction on the layer's actual pre-threshold values. */
function checkMargins(pre: Float64Array, theta: Float64Array, N: number, m: number, keep: number): void {
  for (let i = 0; i < N; i++) {
    const mags = Array.from({ length: m }, (_, j) => Math.abs(pre[i * m + j]));
    for (let j = 0; j < m; j++)
      expect(Math.abs(mags[j] - theta[j])).toBeGreaterThanOrEqual(THETA_MARGIN - 1e-9);
    if (keep > 0 && keep < m) {
      const sorted = mags.slice().sort((a, b) => b - a);
      expect(sorted[keep - 1] - sorted[keep]).toBeGreaterThanOrEqual(SELECT_MARGIN - 1e-9);
    }
  }
}

const thetaOf = (theta: Float64Array, perCoord: boolean): Threshold =>
  perCoord ? fromArray(theta, [theta.length]) : theta[0];

/** LISTA inputs with designed pre-threshold values: W2 = I + E with ||E||_F = 0.3, Z solved for. */
function listaCase(c: Case): { params: ListaParams; z: Tensor; y: Tensor; pre: Float64Array } {
  const { n, m, N, seed } = c;
  const { target, theta } = design(c, seed);
  const W1 = data(normal(seed + 1, [m, n]));
  const E = scaledMatrix(seed + 2, m, m, 0.3);
  const W2 = E.slice();
  for (let j = 0; j < m; j++) W2[j * m + j] += 1;
  const y = data(normal(seed + 3, [N, n]));
  // pre = Y W1^T + Z W2^T = target  <=>  Z = (target - Y W1^T) - Z E^T
  const B = timesT(y, W1, N, n, m).map((v, k) => target[k] - v);
  const minusEt = new Float64Array(m * m);
  for (let p = 0; p < m; p++) for (let j = 0; j < m; j++) minusEt[p * m + j] = -E[j * m + p];
  const z = neumann(B, minusEt, N, m);
  const zW2t = timesT(z, W2, N, m, m);
  const pre = timesT(y, W1, N, n, m).map((v, k) => v + zW2t[k]);
  const params = { W1: fromArray(W1, [m, n]), W2: fromArray(W2, [m, m]), theta: thetaOf(theta, c.perCoord) };
  checkMargins(pre, theta, N, m, 0);
  return { params, z: fromArray(z, [N, m]), y: fromArray(y, [N, n]), pre };
}

/** LISTA-CP inputs with designed pre-threshold values: ||A^T W||_F <= 0.3, Z solved for. */
function listaCpCase(c: Case): { A: Tensor; params: ListaCpParams; z: Tensor; y: Tensor } {
  const { n, m, N, seed } = c;
  const { target, theta } = design(c, seed);
  const A = data(normal(seed + 1, [n, m]));
  const normA = Math.sqrt(dot(A, A));
  const W = scaledMatrix(seed + 2, n, m, 0.3 / Math.max(normA, 1e-3));
  const y = data(normal(seed + 3, [N, n]));
  // pre = Z (I - A^T W) + Y W = target  <=>  Z = (target - Y W) + Z (A^T W)
  const At = new Float64Array(m * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) At[j * n + i] = A[i * m + j];
  const Wt = new Float64Array(m * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) Wt[j * n + i] = W[i * m + j];
  const YW = timesT(y, Wt, N, n, m);
  const AtW = timesT(At, Wt, m, n, m);
  const z = neumann(
    YW.map((v, k) => target[k] - v),
    AtW,
    N,
    m,
  );
  const R = timesT(z, A, N, m, n).map((v, k) => v - y[k]);
  const pre = timesT(R, Wt, N, n, m).map((v, k) => z[k] - v);
  checkMargins(pre, theta, N, m, c.keep);
  const params = { W: fromArray(W, [n, m]), theta: thetaOf(theta, c.perCoord) };
  return { A: fromArray(A, [n, m]), params, z: fromArray(z, [N, m]), y: fromArray(y, [N, n]) };
}

type Groups = Record<string, Threshold>;

/** x + s d for a tensor or a number. */
function shift(x: Threshold, d: Threshold, s: number): Threshold {
  if (typeof x === 'number') return x + s * (d as number);
  const dd = (d as Tensor).data;
  return fromArray(
    x.data.map((v, i) => v + s * dd[i]),
    x.shape,
  );
}
const inner = (a: Threshold, b: Threshold): number =>
  typeof a === 'number' ? a * (b as number) : dot(a.data, (b as Tensor).data);
function direction(x: Threshold, seed: number): Threshold {
  return typeof x === 'number' ? normal(seed, [1]).data[0] : normal(seed, x.shape);
}

/**
 * Dot-product test of a layer's VJP for every input and parameter group: compares <grad, d> with
 * (<g, f(x + h d)> - <g, f(x - h d)>) / 2h.
 */
function checkVjp<P extends object, C>(
  layer: Layer<P, C>,
  params: P,
  z: Tensor,
  y: Tensor,
  seed: number,
): void {
  const { output, cache } = layer.forward(params, { z, y });
  const g = normal(seed + 10, output.shape);
  const before = [z, y, g, ...Object.values(params).filter((v): v is Tensor => typeof v !== 'number')].map(
    (t) => [t, snapshot(t)] as const,
  );
  const { gradInput, gradParams } = layer.vjp(params, cache, g);
  for (const [t, s] of before) expect(unchanged(t, s)).toBe(true);
  const loss = (p: P, zz: Tensor, yy: Tensor): number =>
    dot(g.data, layer.forward(p, { z: zz, y: yy }).output.data);

  const check = (name: string, analytic: number, plus: number, minus: number): void => {
    const fd = (plus - minus) / (2 * H);
    expect(Math.abs(fd - analytic), `${name}: fd ${fd}, vjp ${analytic}`).toBeLessThanOrEqual(
      TOL * (1 + Math.abs(analytic)),
    );
  };
  let s = seed + 20;
  for (const key of ['z', 'y'] as const) {
    const x = key === 'z' ? z : y;
    const d = direction(x, s++) as Tensor;
    const at = (sign: number): number => {
      const moved = shift(x, d, sign * H) as Tensor;
      return key === 'z' ? loss(params, moved, y) : loss(params, z, moved);
    };
    check(key, inner(gradInput[key], d), at(1), at(-1));
  }
  const groups = params as unknown as Groups;
  const grads = gradParams as unknown as Groups;
  for (const key of Object.keys(groups)) {
    const d = direction(groups[key], s++);
    const at = (sign: number): number => loss({ ...params, [key]: shift(groups[key], d, sign * H) }, z, y);
    expect(typeof grads[key]).toBe(typeof groups[key]);
    check(key, inner(grads[key], d), at(1), at(-1));
  }
}

/** T ISTA iterations from zero codes, with the solver's own kernel. */
function istaIterations(A: Tensor, Y: Tensor, lambda: number, L: number, T: number): Tensor {
  const problem = lassoProblem(A, Y, lambda);
  let z = new Float64Array(problem.N * problem.m);
  const residual = new Float64Array(problem.N * problem.n);
  for (let t = 0; t < T; t++) {
    const next = new Float64Array(z.length);
    proxGradStepInto(problem, z, 1 / L, residual, next);
    z = next;
  }
  return fromArray(z, [problem.N, problem.m]);
}

describe('LISTA and LISTA-CP layers (properties)', () => {
  it('LISTA: the VJP equals central finite differences for z, y, W1, W2 and theta', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { params, z, y } = listaCase(c);
        checkVjp(listaLayer, params, z, y, c.seed);
      }),
      fcParams(60),
    );
  });

  it('LISTA-CP(SS): the VJP equals central finite differences for z, y, W and theta', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const { A, params, z, y } = listaCpCase(c);
        const p = (100 * c.keep) / c.m;
        checkVjp(listaCpLayer(A, { supportSelection: p }), params, z, y, c.seed);
        if (c.keep > 0) checkVjp(listaCpLayer(A), params, z, y, c.seed + 1);
      }),
      fcParams(60),
    );
  });

  it('at ISTA initialisation T layers equal T ISTA iterations', () => {
    const sizes = fc.record({
      n: fc.integer({ min: 1, max: 8 }),
      m: fc.integer({ min: 1, max: 8 }),
      N: fc.integer({ min: 1, max: 3 }),
      T: fc.integer({ min: 1, max: 6 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      ratio: fc.double({ min: 0, max: 0.9, noNaN: true }),
    });
    fc.assert(
      fc.property(sizes, ({ n, m, N, T, seed, ratio }) => {
        const A = gaussianMatrix(seed, n, m);
        const Y = normal(seed + 1, [N, n]);
        const lambda = ratio * Math.max(...data(normal(seed + 2, [1])).map(Math.abs), 0.1);
        const L = lassoProblem(A, Y, lambda).lipschitz;
        const expected = istaIterations(A, Y, lambda, L, T);
        const lista = listaInitFromIsta(A, lambda, L);
        const cp = listaCpInitFromIsta(A, lambda, L);
        const cpLayer = listaCpLayer(A);
        let zl = fromArray(new Float64Array(N * m), [N, m]);
        let zc = zl;
        for (let t = 0; t < T; t++) {
          zl = listaLayer.forward(lista, { z: zl, y: Y }).output;
          zc = cpLayer.forward(cp, { z: zc, y: Y }).output;
        }
        for (const out of [zl, zc]) {
          for (let k = 0; k < out.size; k++)
            expect(Math.abs(out.data[k] - expected.data[k])).toBeLessThan(1e-12);
        }
      }),
      fcParams(60),
    );
  });
});
