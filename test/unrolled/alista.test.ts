/**
 * ALISTA's analytic weight (src/unrolled/alista.ts) and the SLISTA / ALISTA layers
 * (src/unrolled/slista.ts): the constraint diag(Wᵀ A) = 1, optimality (KKT, perturbations that keep
 * the constraint, a projected-gradient reference), known cases (square A: W = A⁻ᵀ; orthonormal
 * rows: w_j = a_j / ||a_j||²), SLISTA at α = 1/L is one ISTA step, small hand-computed values, and
 * bad input with the template message.
 */
import { describe, expect, it } from 'vitest';
import { fromArray, tensor, type Tensor } from '../../src/tensor/index.js';
import { gaussianMatrix, normal } from '../../src/random/index.js';
import { ista, lassoProblem } from '../../src/solvers/index.js';
import { alistaLayer, alistaWeight } from '../../src/unrolled/alista.js';
import { slistaIstaParams, slistaLayer } from '../../src/unrolled/slista.js';

const arr = (t: Tensor): number[] => Array.from(t.data);

/** Column j of a row-major (rows, cols) matrix. */
function column(t: Tensor, j: number): number[] {
  const [rows, cols] = t.shape;
  return Array.from({ length: rows }, (_, i) => t.data[i * cols + j]);
}
const dotv = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i], 0);

/** Σ_{i≠j} (wᵀ a_i)² for one candidate column w of W. */
function columnObjective(A: Tensor, w: number[], j: number): number {
  let s = 0;
  for (let i = 0; i < A.shape[1]; i++) if (i !== j) s += dotv(w, column(A, i)) ** 2;
  return s;
}

describe('alistaWeight', () => {
  const A = gaussianMatrix(1, 5, 9);

  it('satisfies diag(Wᵀ A) = 1 to 1e-12 and reports it', () => {
    const { W, constraintResidual, offDiagonalNorm, stationarityResidual } = alistaWeight(A);
    expect(W.shape).toEqual([5, 9]);
    for (let j = 0; j < 9; j++) expect(Math.abs(dotv(column(W, j), column(A, j)) - 1)).toBeLessThan(1e-12);
    expect(constraintResidual).toBeLessThan(1e-12);
    expect(stationarityResidual).toBeLessThan(1e-10);
    let off2 = 0;
    for (let j = 0; j < 9; j++) off2 += columnObjective(A, column(W, j), j);
    expect(offDiagonalNorm).toBeCloseTo(Math.sqrt(off2), 12);
  });

  it('meets the KKT condition: A Aᵀ w_j is parallel to a_j', () => {
    const { W } = alistaWeight(A);
    for (let j = 0; j < 9; j++) {
      const w = column(W, j);
      const Atw = Array.from({ length: 9 }, (_, i) => dotv(column(A, i), w));
      const Mw = Array.from({ length: 5 }, (_, r) => Atw.reduce((s, v, i) => s + A.get(r, i) * v, 0));
      const aj = column(A, j);
      const c = dotv(Mw, aj) / dotv(aj, aj);
      for (let r = 0; r < 5; r++) expect(Mw[r]).toBeCloseTo(c * aj[r], 10);
    }
  });

  it('is not improved by perturbations that keep the constraint', () => {
    const { W } = alistaWeight(A);
    const dirs = normal(2, [20, 5]);
    for (let j = 0; j < 9; j++) {
      const w = column(W, j);
      const aj = column(A, j);
      const best = columnObjective(A, w, j);
      for (let d = 0; d < 20; d++) {
        const v = Array.from(dirs.data.slice(d * 5, d * 5 + 5));
        const p = dotv(v, aj) / dotv(aj, aj);
        const u = v.map((x, i) => x - p * aj[i]); // aⱼᵀ u = 0
        for (const eps of [1e-3, 1e-1]) {
          const moved = w.map((x, i) => x + eps * u[i]);
          expect(columnObjective(A, moved, j)).toBeGreaterThanOrEqual(best - 1e-12);
        }
      }
    }
  });

  it('agrees with a projected gradient method on a small case', () => {
    const B = gaussianMatrix(3, 3, 5);
    const { W } = alistaWeight(B);
    for (let j = 0; j < 5; j++) {
      const aj = column(B, j);
      const na = dotv(aj, aj);
      // Start on the constraint; gradient of w -> wᵀ M w - (aⱼᵀ w)², projected on aⱼᵀ d = 0.
      let w = aj.map((x) => x / na);
      for (let it = 0; it < 20000; it++) {
        const Btw = Array.from({ length: 5 }, (_, i) => dotv(column(B, i), w));
        const g = Array.from({ length: 3 }, (_, r) =>
          Btw.reduce((s, v, i) => s + (i === j ? 0 : 2 * B.get(r, i) * v), 0),
        );
        const p = dotv(g, aj) / na;
        w = w.map((x, i) => x - 0.05 * (g[i] - p * aj[i]));
      }
      const wj = column(W, j);
      for (let r = 0; r < 3; r++) expect(w[r]).toBeCloseTo(wj[r], 8);
    }
  });

  it('gives W = A⁻ᵀ for a square invertible A (Wᵀ A = I)', () => {
    const S = tensor([
      [2, 1],
      [1, 3],
    ]);
    const { W, offDiagonalNorm } = alistaWeight(S);
    // A⁻¹ = [[3, -1], [-1, 2]] / 5, so A⁻ᵀ is the same (A symmetric).
    const expected = [3 / 5, -1 / 5, -1 / 5, 2 / 5];
    arr(W).forEach((v, k) => expect(v).toBeCloseTo(expected[k], 14));
    expect(offDiagonalNorm).toBeLessThan(1e-14);
  });

  it('gives w_j = a_j / ||a_j||² when A has orthonormal rows', () => {
    const H = tensor([
      [0.5, 0.5, 0.5, 0.5],
      [0.5, -0.5, 0.5, -0.5],
    ]);
    const { W } = alistaWeight(H);
    // ||a_j||² = 1/2, so W = 2 A.
    arr(W).forEach((v, k) => expect(v).toBeCloseTo(2 * H.data[k], 14));
  });

  it('does not modify A and is deterministic', () => {
    const before = arr(A);
    expect(arr(alistaWeight(A).W)).toEqual(arr(alistaWeight(A).W));
    expect(arr(A)).toEqual(before);
  });

  it('rejects bad input with the template message', () => {
    expect(() => alistaWeight([[1]] as unknown as Tensor)).toThrow(
      new TypeError("alistaWeight: argument 'A' must be a tensor of rank 2. Got an array of length 1."),
    );
    expect(() => alistaWeight(fromArray([1, 2, 3], [3]))).toThrow(RangeError);
    expect(() => alistaWeight(gaussianMatrix(1, 4, 3))).toThrow(/full row rank \(n <= m\)/);
    const rankDeficient = tensor([
      [1, 2, 3],
      [2, 4, 6],
    ]);
    expect(() => alistaWeight(rankDeficient)).toThrow(RangeError);
    expect(() => alistaWeight(rankDeficient)).toThrow(/rank-deficient/);
    const zeroColumn = tensor([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(() => alistaWeight(zeroColumn)).toThrow(/column 2 is zero/);
    expect(() => alistaWeight(fromArray([1, NaN, 0, 1], [2, 2]))).toThrow(RangeError);
    expect(() => alistaWeight(A, { rankTolerance: -1 })).toThrow(
      new RangeError(
        "alistaWeight: argument 'options.rankTolerance' must be a finite number >= 0 and <= 1. Got -1.",
      ),
    );
    expect(() => alistaWeight(A, 3 as unknown as object)).toThrow(TypeError);
  });
});

describe('slistaLayer', () => {
  it('at α = 1/L is exactly one ISTA step (1e-12)', () => {
    const A = gaussianMatrix(5, 8, 20);
    const Y = normal(6, [4, 8]);
    const Z0 = normal(7, [4, 20]);
    const lambda = 0.1;
    const problem = lassoProblem(A, Y, lambda);
    const state = ista.init(problem, Z0);
    const next = ista.solution(problem, ista.step(problem, state));
    const params = slistaIstaParams(A);
    expect(params.alpha).toBe(state.step);
    const { output } = slistaLayer(A, lambda).forward(params, { z: Z0, y: Y });
    const ours = arr(output);
    arr(next).forEach((v, k) => expect(Math.abs(v - ours[k])).toBeLessThan(1e-12));
    // Three layers = three ISTA steps.
    let z = Z0;
    let s = state;
    for (let k = 0; k < 3; k++) {
      z = slistaLayer(A, lambda).forward(params, { z, y: Y }).output;
      s = ista.step(problem, s);
    }
    const zs = arr(z);
    arr(ista.solution(problem, s)).forEach((v, k) => expect(Math.abs(v - zs[k])).toBeLessThan(1e-12));
  });

  it('matches hand-computed values and gradients', () => {
    // A = diag(1, 2), z = 0, y = (1, 1), λ = 0.5, α = 0.25: G = -yA = (-1, -2), P = (0.25, 0.5),
    // threshold 0.125, output (0.125, 0.375).
    const A = tensor([
      [1, 0],
      [0, 2],
    ]);
    const layer = slistaLayer(A, 0.5);
    const input = { z: tensor([[0, 0]]), y: tensor([[1, 1]]) };
    const { output, cache } = layer.forward({ alpha: 0.25 }, input);
    expect(arr(output)).toEqual([0.125, 0.375]);
    const { gradInput, gradParams } = layer.vjp({ alpha: 0.25 }, cache, tensor([[1, 1]]));
    // dz = g - α g AᵀA = (1 - 0.25, 1 - 1) ; dy = α g Aᵀ = (0.25, 0.5);
    // dα = -<g, G> + λ (-Σ sign(P) g) = 3 - 1 = 2.
    expect(arr(gradInput.z)).toEqual([0.75, 0]);
    expect(arr(gradInput.y)).toEqual([0.25, 0.5]);
    expect(gradParams.alpha).toBe(2);
  });

  it('rejects bad parameters and inputs with the template message', () => {
    const A = gaussianMatrix(1, 3, 4);
    const layer = slistaLayer(A, 0.1);
    const input = { z: normal(1, [2, 4]), y: normal(2, [2, 3]) };
    expect(() => layer.forward({ alpha: -1 }, input)).toThrow(
      new RangeError("slista: argument 'params.alpha' must be a finite number >= 0. Got -1."),
    );
    expect(() => layer.forward({ alpha: NaN }, input)).toThrow(RangeError);
    expect(() => layer.forward({ alpha: '1' } as unknown as { alpha: number }, input)).toThrow(TypeError);
    expect(() => layer.forward(null as unknown as { alpha: number }, input)).toThrow(TypeError);
    expect(() => layer.forward({ alpha: 0.1 }, { z: normal(1, [2, 5]), y: input.y })).toThrow(
      new RangeError(
        "slista: argument 'input.z' must be a tensor of shape [*, 4]. Got a tensor of shape [2, 5].",
      ),
    );
    expect(() => layer.forward({ alpha: 0.1 }, { z: input.z, y: normal(2, [3, 3]) })).toThrow(RangeError);
    const { cache } = layer.forward({ alpha: 0.1 }, input);
    expect(() => layer.vjp({ alpha: 0.1 }, cache, normal(3, [2, 3]))).toThrow(RangeError);
    expect(() => slistaLayer(A, -0.1)).toThrow(
      new RangeError("slista: argument 'lambda' must be a finite number >= 0. Got -0.1."),
    );
    expect(() => slistaLayer(fromArray([1, 2], [2]), 0.1)).toThrow(RangeError);
  });
});

describe('alistaLayer', () => {
  it('matches hand-computed values and gradients', () => {
    // A = W = I, z = 0, y = (1, -0.05), γ = 1, θ = 0.1: H = -y, P = y, output (0.9, 0).
    const I = tensor([
      [1, 0],
      [0, 1],
    ]);
    const layer = alistaLayer(I, I);
    const params = { gamma: 1, theta: 0.1 };
    const { output, cache } = layer.forward(params, { z: tensor([[0, 0]]), y: tensor([[1, -0.05]]) });
    expect(arr(output)[0]).toBeCloseTo(0.9, 15);
    expect(arr(output)[1]).toBe(0);
    const { gradInput, gradParams } = layer.vjp(params, cache, tensor([[2, 3]]));
    // ĝ = (2, 0); dz = ĝ - γ ĝ = 0; dy = γ ĝ = (2, 0); dγ = -<ĝ, H> = 2; dθ = -2.
    expect(arr(gradInput.z)).toEqual([0, 0]);
    expect(arr(gradInput.y)).toEqual([2, 0]);
    expect(gradParams.gamma).toBe(2);
    expect(gradParams.theta).toBe(-2);
  });

  it('with W = A, γ = 1/L and θ = λ/L is one ISTA step', () => {
    const A = gaussianMatrix(8, 6, 12);
    const Y = normal(9, [3, 6]);
    const Z0 = normal(10, [3, 12]);
    const problem = lassoProblem(A, Y, 0.2);
    const s = ista.init(problem, Z0);
    const next = arr(ista.solution(problem, ista.step(problem, s)));
    const { output } = alistaLayer(A, A).forward({ gamma: s.step, theta: 0.2 * s.step }, { z: Z0, y: Y });
    arr(output).forEach((v, k) => expect(Math.abs(v - next[k])).toBeLessThan(1e-12));
  });

  it('rejects bad parameters and inputs with the template message', () => {
    const A = gaussianMatrix(1, 3, 4);
    const { W } = alistaWeight(A);
    const layer = alistaLayer(A, W);
    const input = { z: normal(1, [2, 4]), y: normal(2, [2, 3]) };
    expect(() => layer.forward({ gamma: 1, theta: -1 }, input)).toThrow(
      new RangeError("alista: argument 'params.theta' must be a finite number >= 0. Got -1."),
    );
    expect(() => layer.forward({ gamma: Infinity, theta: 1 }, input)).toThrow(
      new RangeError("alista: argument 'params.gamma' must be a finite number. Got Infinity."),
    );
    expect(() => layer.forward({ gamma: 1 } as unknown as { gamma: number; theta: number }, input)).toThrow(
      TypeError,
    );
    expect(() => alistaLayer(A, normal(1, [4, 3]))).toThrow(
      new RangeError("alista: argument 'W' must be a tensor of shape [3, 4]. Got a tensor of shape [4, 3]."),
    );
    expect(() => layer.forward({ gamma: 1, theta: 0.1 }, { z: input.z } as never)).toThrow(TypeError);
  });
});
