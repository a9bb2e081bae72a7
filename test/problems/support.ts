/**
 * Independent helpers for the tests of src/problems: tiny LinearOperators (dense matrix, 1-D finite
 * differences), a dense linear solve, and exact solvers of tiny problems by enumeration. Plain
 * loops on number arrays; nothing here calls the code under test.
 */
import { fromArray, type Tensor } from '../../src/tensor/index.js';
import type { LinearOperator, NormEstimate } from '../../src/operators/types.js';

/** Row i of a rank-2 tensor as a plain array. */
export function rowOf(t: Tensor, i: number): number[] {
  const w = t.shape[1];
  return Array.from(t.data.subarray(i * w, (i + 1) * w));
}

/** Applies a per-row map to a rank-1 signal or a rank-2 batch of signals. */
function mapRows(x: Tensor, width: number, f: (row: number[]) => number[]): Tensor {
  if (x.rank === 1) return fromArray(f(Array.from(x.data)), [width]);
  const out: number[] = [];
  for (let i = 0; i < x.shape[0]; i++) out.push(...f(rowOf(x, i)));
  return fromArray(out, [x.shape[0], width]);
}

/** M v for a matrix given as rows. */
export function matVec(a: readonly number[][], v: readonly number[]): number[] {
  return a.map((r) => r.reduce((s, aij, j) => s + aij * v[j], 0));
}

/** M^T v for a matrix given as rows. */
export function matTVec(a: readonly number[][], v: readonly number[]): number[] {
  const m = a[0]?.length ?? 0;
  const out = new Array<number>(m).fill(0);
  a.forEach((r, i) => r.forEach((aij, j) => (out[j] += aij * v[i])));
  return out;
}

/** The largest singular value of a small matrix by many plain power iterations. */
function largestSingularValue(a: readonly number[][]): number {
  let v = (a[0] ?? []).map((_, j) => 1 + j / 7);
  let s = 0;
  for (let it = 0; it < 5000; it++) {
    const w = matTVec(a, matVec(a, v));
    const nw = Math.hypot(...w);
    if (nw === 0) return 0;
    v = w.map((x) => x / nw);
    s = Math.hypot(...matVec(a, v));
  }
  return s;
}

/** A dense LinearOperator for a matrix given as rows (n x m). */
export function denseOperator(a: readonly number[][], m = a[0]?.length ?? 0): LinearOperator {
  const n = a.length;
  return {
    name: `dense(${n}x${m})`,
    outputSize: n,
    inputSize: m,
    apply: (x) => mapRows(x, n, (row) => matVec(a, row)),
    adjoint: (y) => mapRows(y, m, (row) => matTVec(a, row)),
    norm: (): NormEstimate => ({ value: largestSingularValue(a), exact: false, tolerance: 1e-6 }),
  };
}

/** A Tensor (n, m) as rows. */
export function rowsOf(t: Tensor): number[][] {
  return Array.from({ length: t.shape[0] }, (_, i) => rowOf(t, i));
}

/** 1-D forward differences (D x)_j = x_(j+1) - x_j, (n - 1) x n, exact norm 2 sin(pi (n - 1) / (2n)). */
export function differencesOperator(n: number): LinearOperator {
  const forwardDiff = (x: number[]) => x.slice(1).map((v, j) => v - x[j]);
  const adjointDiff = (u: number[]) =>
    Array.from({ length: n }, (_, i) => (i > 0 ? u[i - 1] : 0) - (i < n - 1 ? u[i] : 0));
  return {
    name: `differences(${n})`,
    outputSize: n - 1,
    inputSize: n,
    apply: (x) => mapRows(x, n - 1, forwardDiff),
    adjoint: (u) => mapRows(u, n, adjointDiff),
    norm: () => ({ value: 2 * Math.sin((Math.PI * (n - 1)) / (2 * n)), exact: true, tolerance: 0 }),
  };
}

/** Solves the k x k system M x = b by Gaussian elimination with partial pivoting (null if singular). */
export function solve(mIn: readonly number[][], bIn: readonly number[]): number[] | null {
  const k = bIn.length;
  const m = mIn.map((r) => r.slice());
  const b = bIn.slice();
  for (let c = 0; c < k; c++) {
    let p = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    if (m[p][c] === 0) return null;
    [m[c], m[p]] = [m[p], m[c]];
    [b[c], b[p]] = [b[p], b[c]];
    for (let r = c + 1; r < k; r++) {
      const f = m[r][c] / m[c][c];
      for (let j = c; j < k; j++) m[r][j] -= f * m[c][j];
      b[r] -= f * b[c];
    }
  }
  const x = new Array<number>(k).fill(0);
  for (let r = k - 1; r >= 0; r--) {
    let s = b[r];
    for (let j = r + 1; j < k; j++) s -= m[r][j] * x[j];
    x[r] = s / m[r][r];
  }
  return x;
}

/** The Lasso objective 1/2 ||y - A z||^2 + lambda ||z||_1 of one sample, with plain loops. */
export function lassoValue(
  a: readonly number[][],
  y: readonly number[],
  z: readonly number[],
  lambda: number,
) {
  const az = matVec(a, z);
  const rr = y.reduce((s, yi, i) => s + (yi - az[i]) ** 2, 0);
  return 0.5 * rr + lambda * z.reduce((s, zj) => s + Math.abs(zj), 0);
}

/** Every assignment of each of `k` coordinates to one of `states` values, as arrays. */
function* assignments(k: number, states: readonly number[]): Generator<number[]> {
  const pick = new Array<number>(k).fill(0);
  for (;;) {
    yield pick.map((s) => states[s]);
    let c = 0;
    while (c < k && ++pick[c] === states.length) pick[c++] = 0;
    if (c === k) return;
  }
}

/**
 * The exact Lasso solution of one sample by enumeration of supports S and signs sigma:
 * z_S = (A_S^T A_S)^-1 (A_S^T y - lambda sigma), kept when its signs are sigma and
 * |A^T r|_j <= lambda off S (to a relative 1e-9 for rounding); the candidate with the smallest
 * objective wins. For A with full column rank the solution is unique and always among them.
 */
export function exactLasso(
  a: readonly number[][],
  y: readonly number[],
  lambda: number,
): { z: number[]; value: number } {
  const m = a[0].length;
  let best: { z: number[]; value: number } | null = null;
  for (const pattern of assignments(m, [0, 1, -1])) {
    const support = pattern.flatMap((s, j) => (s !== 0 ? [j] : []));
    const cols = support.map((j) => a.map((r) => r[j]));
    const gram = cols.map((ci) => cols.map((cj) => ci.reduce((s, v, t) => s + v * cj[t], 0)));
    const rhs = cols.map((ci, q) => ci.reduce((s, v, t) => s + v * y[t], 0) - lambda * pattern[support[q]]);
    const zs = support.length === 0 ? [] : solve(gram, rhs);
    if (zs === null || zs.some((v, q) => Math.sign(v) !== pattern[support[q]])) continue;
    const z = new Array<number>(m).fill(0);
    support.forEach((j, q) => (z[j] = zs[q]));
    const az = matVec(a, z);
    const c = matTVec(
      a,
      y.map((yi, i) => yi - az[i]),
    );
    if (c.some((cj, j) => pattern[j] === 0 && Math.abs(cj) > lambda * (1 + 1e-9))) continue;
    const value = lassoValue(a, y, z, lambda);
    if (best === null || value < best.value) best = { z, value };
  }
  if (best === null) throw new Error('exactLasso: no candidate satisfied the optimality conditions');
  return best;
}

/**
 * The exact solution of 1-D total-variation denoising min_x 1/2 ||y - x||^2 + lambda ||D x||_1 of
 * one sample, through its dual min_u 1/2 ||y - D^T u||^2 over ||u||_inf <= lambda, solved by
 * enumerating which u_j sit at -lambda, +lambda or inside (then D_F D_F^T u_F = D_F (y - D_B^T u_B))
 * and keeping the candidates that satisfy the KKT conditions (to a relative 1e-9); x = y - D^T u.
 */
export function exactTvDenoising(y: readonly number[], lambda: number): { x: number[]; u: number[] } {
  const n = y.length;
  const k = n - 1;
  const dt = (u: readonly number[]) =>
    Array.from({ length: n }, (_, i) => (i > 0 ? u[i - 1] : 0) - (i < k ? u[i] : 0));
  const dRow = (j: number): number[] =>
    Array.from({ length: n }, (_, i) => (i === j + 1 ? 1 : i === j ? -1 : 0));
  let best: { x: number[]; u: number[]; value: number } | null = null;
  const tol = 1e-9 * (1 + Math.max(...y.map(Math.abs)));
  for (const pattern of assignments(k, [0, 1, -1])) {
    const free = pattern.flatMap((s, j) => (s === 0 ? [j] : []));
    const bound = pattern.map((s) => s * lambda);
    const rest = y.map((yi, i) => yi - dt(bound)[i]);
    const rows = free.map(dRow);
    const gram = rows.map((ri) => rows.map((rj) => ri.reduce((s, v, t) => s + v * rj[t], 0)));
    const rhs = rows.map((ri) => ri.reduce((s, v, t) => s + v * rest[t], 0));
    const uf = free.length === 0 ? [] : solve(gram, rhs);
    if (uf === null) continue;
    const u = bound.slice();
    free.forEach((j, q) => (u[j] = uf[q]));
    if (u.some((uj) => Math.abs(uj) > lambda + tol)) continue;
    const x = y.map((yi, i) => yi - dt(u)[i]);
    // Gradient of the dual objective is -D x: at u_j = lambda it must be <= 0, at -lambda >= 0.
    const ok = pattern.every((s, j) => s === 0 || s * (x[j + 1] - x[j]) >= -tol);
    if (!ok) continue;
    const value = 0.5 * x.reduce((s, v) => s + v * v, 0);
    if (best === null || value < best.value) best = { x, u, value };
  }
  if (best === null) throw new Error('exactTvDenoising: no candidate satisfied the optimality conditions');
  return { x: best.x, u: best.u };
}
