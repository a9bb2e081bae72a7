/**
 * Unrolled networks and losses (src/unrolled/network.ts, losses.ts): T-layer networks at ISTA
 * initialisation against T ISTA iterations, intermediate outputs, tied weights, the parameter
 * algebra, losses on known values, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { fromArray, tensor, zeros, type Tensor } from '../../src/tensor/index.js';
import { gaussianMatrix, normal } from '../../src/random/index.js';
import { lassoProblem } from '../../src/solvers/lasso-problem.js';
import { proxGradStepInto } from '../../src/solvers/ista.js';
import {
  addParams,
  backwardNetwork,
  forwardNetwork,
  listaCpInitFromIsta,
  listaCpLayer,
  listaInitFromIsta,
  listaLayer,
  network,
  scaleParams,
  sharedParams,
  slistaIstaParams,
  slistaLayer,
  sumParamGrads,
  supervisedLoss,
  unsupervisedLoss,
} from '../../src/unrolled/index.js';

const arr = (t: Tensor): number[] => Array.from(t.data);
const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** T ISTA iterations from zero codes with step 1/L, with the solver's kernel. */
function ista(A: Tensor, Y: Tensor, lambda: number, L: number, T: number): Tensor {
  const problem = lassoProblem(A, Y, lambda);
  let z = new Float64Array(problem.N * problem.m);
  const r = new Float64Array(problem.N * problem.n);
  for (let t = 0; t < T; t++) {
    const next = new Float64Array(z.length);
    proxGradStepInto(problem, z, 1 / L, r, next);
    z = next;
  }
  return fromArray(z, [problem.N, problem.m]);
}

describe('networks', () => {
  const n = 5;
  const m = 8;
  const A = gaussianMatrix(3, n, m);
  const Y = normal(4, [3, n]);
  const lambda = 0.2;
  const L = lassoProblem(A, Y, lambda).lipschitz;

  it('a T-layer LISTA, LISTA-CP or SLISTA network at ISTA initialisation equals T ISTA iterations', () => {
    for (const T of [1, 3, 7]) {
      const expected = ista(A, Y, lambda, L, T);
      const outputs = [
        forwardNetwork(network(listaLayer, sharedParams(listaInitFromIsta(A, lambda, L), T), m), Y).output,
        forwardNetwork(network(listaCpLayer(A), sharedParams(listaCpInitFromIsta(A, lambda, L), T), m), Y)
          .output,
        forwardNetwork(network(slistaLayer(A, lambda), sharedParams({ alpha: 1 / L }, T), m), Y).output,
      ];
      for (const output of outputs) {
        for (let k = 0; k < output.size; k++)
          expect(Math.abs(output.data[k] - expected.data[k])).toBeLessThan(1e-12);
      }
    }
    expect(slistaIstaParams(A).alpha).toBeGreaterThan(0);
  });

  it('keepAll returns the T intermediate outputs z_1 .. z_T, the last being the output', () => {
    const T = 4;
    const net = network(listaLayer, sharedParams(listaInitFromIsta(A, lambda, L), T), m);
    const all = forwardNetwork(net, Y, { keepAll: true });
    expect(all.outputs).toHaveLength(T);
    expect(all.caches).toHaveLength(T);
    expect(all.outputs?.[T - 1]).toBe(all.output);
    for (let t = 1; t <= T; t++) {
      const want = arr(ista(A, Y, lambda, L, t));
      arr(all.outputs?.[t - 1] as Tensor).forEach((v, k) =>
        expect(Math.abs(v - want[k])).toBeLessThan(1e-12),
      );
    }
    const plain = forwardNetwork(net, Y);
    expect(plain.outputs).toBeUndefined();
    expect(arr(plain.output)).toEqual(arr(all.output));
  });

  it('starts from z0 when given (one layer from z0 is one ISTA step from z0)', () => {
    const z0 = normal(9, [3, m]);
    const net = network(slistaLayer(A, lambda), [{ alpha: 1 / L }], m);
    const { output } = forwardNetwork(net, Y, { z0 });
    const problem = lassoProblem(A, Y, lambda);
    const want = new Float64Array(3 * m);
    proxGradStepInto(problem, Float64Array.from(z0.data), 1 / L, new Float64Array(3 * n), want);
    for (let k = 0; k < want.length; k++) expect(output.data[k]).toBeCloseTo(want[k], 13);
  });

  it('tied weights: the gradient of the shared parameter is the sum of the per-layer gradients', () => {
    const T = 3;
    const layer = slistaLayer(A, lambda);
    const alpha = 0.9 / L;
    const net = network(layer, sharedParams({ alpha }, T), m);
    const { output, caches } = forwardNetwork(net, Y);
    const g = normal(11, output.shape);
    const { gradParams } = backwardNetwork(net, caches, g);
    expect(gradParams).toHaveLength(T);
    const total = sumParamGrads(gradParams).alpha;
    expect(total).toBeCloseTo(
      gradParams.reduce((s, p) => s + p.alpha, 0),
      12,
    );
    const f = (a: number): number =>
      dot(g.data, forwardNetwork(network(layer, sharedParams({ alpha: a }, T), m), Y).output.data);
    const h = 1e-7;
    expect(Math.abs((f(alpha + h) - f(alpha - h)) / (2 * h) - total)).toBeLessThan(
      1e-5 * (1 + Math.abs(total)),
    );
  });

  it('backward with gradPerLayer adds the extra gradients at the intermediate outputs', () => {
    const layer = slistaLayer(A, lambda);
    const net = network(layer, [{ alpha: 0.5 / L }, { alpha: 0.8 / L }], m);
    const { caches, outputs } = forwardNetwork(net, Y, { keepAll: true });
    const g1 = normal(12, [3, m]);
    const g2 = normal(13, [3, m]);
    const both = backwardNetwork(net, caches, g2, [g1, null]);
    // by hand: layer 2's VJP of g2, then layer 1's VJP of (dz_1 + g1)
    const c = caches;
    const v2 = layer.vjp(net.params[1], c[1], g2);
    const gz1 = fromArray(
      arr(v2.gradInput.z).map((v, k) => v + g1.data[k]),
      [3, m],
    );
    const v1 = layer.vjp(net.params[0], c[0], gz1);
    expect(arr(both.gradZ0)).toEqual(arr(v1.gradInput.z));
    expect(both.gradParams.map((p) => p.alpha)).toEqual([v1.gradParams.alpha, v2.gradParams.alpha]);
    const gy = arr(v1.gradInput.y).map((v, k) => v + v2.gradInput.y.data[k]);
    arr(both.gradY).forEach((v, k) => expect(v).toBeCloseTo(gy[k], 14));
    expect(outputs).toHaveLength(2);
  });

  it('adds and scales parameter objects of numbers and tensors', () => {
    const a = { W: tensor([[1, 2]]), theta: 0.5 };
    const b = { W: tensor([[3, -1]]), theta: 2 };
    const s = addParams(a, b);
    expect(arr(s.W)).toEqual([4, 1]);
    expect(s.theta).toBe(2.5);
    const h = scaleParams(a, -2);
    expect(arr(h.W)).toEqual([-2, -4]);
    expect(h.theta).toBe(-1);
    expect(arr(a.W)).toEqual([1, 2]);
    const sum = sumParamGrads([a, b, a]);
    expect(arr(sum.W)).toEqual([5, 3]);
    expect(sum.theta).toBe(3);
    const one = sumParamGrads([a]);
    expect(one).not.toBe(a);
    expect(arr(one.W)).toEqual([1, 2]);
  });

  it('rejects bad input with the message template', () => {
    const p = listaCpInitFromIsta(A, lambda, L);
    const layer = listaCpLayer(A);
    expect(() => network(layer, [], m)).toThrow(RangeError);
    expect(() => network(layer, p as never, m)).toThrow(TypeError);
    expect(() => network({} as never, [p], m)).toThrow(/network: argument 'layer' must be a layer/);
    expect(() => network(layer, [p], 0)).toThrow(
      /network: argument 'codeSize' must be an integer >= 1. Got 0./,
    );
    expect(() => sharedParams(p, 0)).toThrow(RangeError);
    const net = network(layer, sharedParams(p, 2), m);
    expect(() => forwardNetwork(net, [1, 2] as never)).toThrow(TypeError);
    expect(() => forwardNetwork(net, Y, { z0: zeros([2, m]) })).toThrow(
      /forwardNetwork: argument 'options.z0'/,
    );
    expect(() => forwardNetwork(net, Y, { keepAll: 1 as never })).toThrow(TypeError);
    expect(() => forwardNetwork(net, zeros([3, n + 1]))).toThrow(RangeError);
    const { caches } = forwardNetwork(net, Y);
    expect(() => backwardNetwork(net, caches.slice(1), zeros([3, m]))).toThrow(
      /backwardNetwork: argument 'caches'/,
    );
    expect(() => backwardNetwork(net, caches, zeros([3, m + 1]))).toThrow(RangeError);
    expect(() => backwardNetwork(net, caches, zeros([3, m]), [null])).toThrow(RangeError);
    expect(() => backwardNetwork(net, caches, zeros([3, m]), [zeros([2, m]), null])).toThrow(
      /argument 'gradPerLayer\[0\]'/,
    );
    expect(() => addParams({ a: 1 }, { a: tensor([1]) } as never)).toThrow(TypeError);
    expect(() => addParams({ W: tensor([1, 2]) }, { W: tensor([1]) })).toThrow(RangeError);
    expect(() => addParams({ a: 1 }, { b: 1 } as never)).toThrow(RangeError);
    expect(() => scaleParams({ a: 1 }, Number.NaN)).toThrow(
      /scaleParams: argument 's' must be a finite number/,
    );
    expect(() => sumParamGrads([])).toThrow(RangeError);
  });
});

describe('losses', () => {
  it('unsupervisedLoss: the mean Lasso objective and its gradient on known values (A = I)', () => {
    const A = tensor([
      [1, 0],
      [0, 1],
    ]);
    const Y = tensor([
      [1, 2],
      [0, -1],
    ]);
    const Z = tensor([
      [1, 0],
      [0.5, -2],
    ]);
    // sample 1: 1/2 (0 + 4) + 0.5 (1) = 2.5; sample 2: 1/2 (0.25 + 1) + 0.5 (2.5) = 1.875
    const { value, grad } = unsupervisedLoss(A, Y, Z, 0.5);
    expect(value).toBeCloseTo((2.5 + 1.875) / 2, 14);
    // rows: (z - y) + lambda sign(z), divided by N = 2 (sign(0) = 0)
    expect(arr(grad)).toEqual([0.25, -1, 0.5, -0.75]);
    // per-sample lambda
    const per = unsupervisedLoss(A, Y, Z, tensor([0, 1]));
    expect(per.value).toBeCloseTo((2 + 0.625 + 2.5) / 2, 14);
    expect(arr(per.grad)).toEqual([0, -1, 0.75, -1]);
  });

  it('supervisedLoss: 1/N sum ||z - z*||^2 and gradient 2/N (Z - Z*)', () => {
    const Z = tensor([
      [1, 2],
      [3, 4],
    ]);
    const target = tensor([
      [1, 0],
      [2, 4],
    ]);
    const { value, grad } = supervisedLoss(Z, target);
    expect(value).toBe((4 + 1) / 2);
    expect(arr(grad)).toEqual([0, 2, 1, 0]);
  });

  it('rejects bad input with the message template', () => {
    const A = tensor([[1, 0]]);
    expect(() => unsupervisedLoss(A, zeros([1, 2]), zeros([1, 2]), 0)).toThrow(
      /unsupervisedLoss: argument 'Y' must be a tensor of shape \[\*, 1\]/,
    );
    expect(() => unsupervisedLoss(A, zeros([1, 1]), zeros([2, 2]), 0)).toThrow(RangeError);
    expect(() => unsupervisedLoss(A, zeros([0, 1]), zeros([0, 2]), 0)).toThrow(/at least one row/);
    expect(() => unsupervisedLoss(A, zeros([1, 1]), zeros([1, 2]), -1)).toThrow(
      "unsupervisedLoss: argument 'lambda' must be a finite number >= 0. Got -1.",
    );
    expect(() => unsupervisedLoss('A' as never, zeros([1, 1]), zeros([1, 2]), 0)).toThrow(TypeError);
    expect(() => supervisedLoss(zeros([2, 2]), zeros([2, 3]))).toThrow(/supervisedLoss: argument 'target'/);
    expect(() => supervisedLoss(tensor([[Number.NaN]]), zeros([1, 1]))).toThrow(RangeError);
    expect(() => supervisedLoss(zeros([0, 2]), zeros([0, 2]))).toThrow(RangeError);
  });
});
