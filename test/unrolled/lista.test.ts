/**
 * The LISTA and LISTA-CP layers (src/unrolled/lista.ts, lista-cp.ts) on tiny inputs with known
 * values, their VJPs by hand, one layer at ISTA initialisation against one ISTA step
 * (proxGradStepInto), support selection, and bad parameters.
 */
import { describe, expect, it } from 'vitest';
import { eye, fromArray, maxAbsDiff, tensor, zeros, type Tensor } from '../../src/tensor/index.js';
import { gaussianMatrix, normal } from '../../src/random/index.js';
import { lassoProblem } from '../../src/solvers/lasso-problem.js';
import { proxGradStepInto } from '../../src/solvers/ista.js';
import { listaInitFromIsta, listaLayer, type ListaParams } from '../../src/unrolled/lista.js';
import { listaCpInitFromIsta, listaCpLayer } from '../../src/unrolled/lista-cp.js';

const arr = (t: Tensor): number[] => Array.from(t.data);

/** One ISTA step from z with step 1/L via the solver's kernel. */
function istaStep(A: Tensor, Y: Tensor, Z: Tensor, lambda: number, L: number): Tensor {
  const problem = lassoProblem(A, Y, lambda);
  const out = new Float64Array(problem.N * problem.m);
  proxGradStepInto(problem, Float64Array.from(Z.data), 1 / L, new Float64Array(problem.N * problem.n), out);
  return fromArray(out, [problem.N, problem.m]);
}

describe('listaLayer', () => {
  // W1 = I (2x2), W2 = 0: output = ST(y, theta).
  const params: ListaParams = { W1: eye(2), W2: zeros([2, 2]), theta: 1 };

  it('computes ST(Y W1^T + Z W2^T, theta) on known values', () => {
    const y = tensor([
      [3, -0.5],
      [-2, 1.5],
    ]);
    const { output } = listaLayer.forward(params, { z: zeros([2, 2]), y });
    expect(arr(output)).toEqual([2, 0, -1, 0.5]);

    const W1 = tensor([
      [1, 2],
      [0, 1],
    ]);
    const W2 = tensor([
      [1, 0],
      [1, 1],
    ]);
    // pre = y W1^T + z W2^T with y = [1, 1], z = [1, -1]: W1 y = [3, 1], W2 z = [1, 0] -> [4, 1]
    const r = listaLayer.forward({ W1, W2, theta: 0.5 }, { z: tensor([[1, -1]]), y: tensor([[1, 1]]) });
    expect(arr(r.output)).toEqual([3.5, 0.5]);
  });

  it('accepts one threshold per coordinate', () => {
    const y = tensor([[3, -3]]);
    const { output } = listaLayer.forward({ ...params, theta: tensor([1, 2]) }, { z: zeros([1, 2]), y });
    expect(arr(output)).toEqual([2, -1]);
  });

  it('has the hand-computed VJP on a small case', () => {
    const W1 = tensor([
      [1, 2],
      [0, 1],
    ]);
    const W2 = tensor([
      [1, 0],
      [1, 1],
    ]);
    const z = tensor([[1, -1]]);
    const y = tensor([[1, 1]]);
    const p = { W1, W2, theta: 2 }; // pre = [4, 1]: entry 0 shrunk, entry 1 zeroed
    const { cache } = listaLayer.forward(p, { z, y });
    const { gradInput, gradParams } = listaLayer.vjp(p, cache, tensor([[1, 5]]));
    // G = [1, 0]: dz = G W2 = [1, 0], dy = G W1 = [1, 2], dW1 = G^T y, dW2 = G^T z, dtheta = -1
    expect(arr(gradInput.z)).toEqual([1, 0]);
    expect(arr(gradInput.y)).toEqual([1, 2]);
    expect(arr(gradParams.W1)).toEqual([1, 1, 0, 0]);
    expect(arr(gradParams.W2)).toEqual([1, -1, 0, 0]);
    expect(gradParams.theta).toBe(-1);
    const perCoord = listaLayer.vjp({ ...p, theta: tensor([2, 2]) }, cache, tensor([[1, 5]]));
    expect(arr(perCoord.gradParams.theta as Tensor)).toEqual([-1, 0]);
  });

  it('equals one ISTA step at ISTA initialisation', () => {
    const A = gaussianMatrix(1, 5, 7);
    const Y = normal(2, [3, 5]);
    const Z = normal(3, [3, 7]);
    const lambda = 0.1;
    const L = lassoProblem(A, Y, lambda).lipschitz;
    const init = listaInitFromIsta(A, lambda, L);
    expect(init.W1.shape).toEqual([7, 5]);
    expect(init.W2.shape).toEqual([7, 7]);
    expect(init.theta).toBeCloseTo(lambda / L, 15);
    const expected = istaStep(A, Y, Z, lambda, L);
    expect(maxAbsDiff(listaLayer.forward(init, { z: Z, y: Y }).output, expected)).toBeLessThan(1e-12);
    // Default L: the same upper bound ISTA uses.
    const byDefault = listaLayer.forward(listaInitFromIsta(A, lambda), { z: Z, y: Y }).output;
    expect(maxAbsDiff(byDefault, expected)).toBeLessThan(1e-12);
  });

  it('rejects bad parameters and inputs with the template', () => {
    const input = { z: zeros([1, 2]), y: zeros([1, 2]) };
    expect(() => listaLayer.forward({ ...params, W2: zeros([3, 3]) }, input)).toThrow(
      new RangeError(
        "lista.forward: argument 'params.W2' must be a tensor of shape [2, 2]. Got a tensor of shape [3, 3].",
      ),
    );
    expect(() => listaLayer.forward({ ...params, theta: -1 }, input)).toThrow(
      new RangeError("lista.forward: argument 'params.theta' must be a finite number >= 0. Got -1."),
    );
    expect(() => listaLayer.forward({ ...params, theta: zeros([3]) }, input)).toThrow(RangeError);
    expect(() => listaLayer.forward({ ...params, theta: tensor([1, -1]) }, input)).toThrow(RangeError);
    expect(() => listaLayer.forward({ ...params, W1: zeros([2]) }, input)).toThrow(RangeError);
    expect(() => listaLayer.forward(params, { z: zeros([1, 3]), y: zeros([1, 2]) })).toThrow(
      /lista\.forward: argument 'input\.z' must be a tensor of shape \[\*, 2\]/,
    );
    expect(() => listaLayer.forward(params, { z: zeros([1, 2]), y: zeros([2, 2]) })).toThrow(RangeError);
    const { cache } = listaLayer.forward(params, input);
    expect(() => listaLayer.vjp(params, cache, zeros([2, 2]))).toThrow(
      /lista\.vjp: argument 'gradOutput' must be a tensor of shape \[1, 2\]/,
    );
    expect(() => listaLayer.forward({ ...params, theta: 'x' as unknown as number }, input)).toThrow(
      TypeError,
    );
    expect(() => listaInitFromIsta(eye(2), -1)).toThrow(RangeError);
    expect(() => listaInitFromIsta(eye(2), 1, 0)).toThrow(RangeError);
  });
});

describe('listaCpLayer', () => {
  it('computes ST(Z - (Z A^T - Y) W, theta) on known values', () => {
    const A = eye(2);
    const layer = listaCpLayer(A);
    expect(layer.name).toBe('lista-cp');
    // W = A: pre = Z - (Z - Y) = Y.
    const y = tensor([[3, -0.5]]);
    const { output } = layer.forward({ W: A, theta: 1 }, { z: tensor([[7, 7]]), y });
    expect(arr(output)).toEqual([2, 0]);
    // W = 0: pre = Z.
    expect(arr(layer.forward({ W: zeros([2, 2]), theta: 1 }, { z: tensor([[7, -7]]), y }).output)).toEqual([
      6, -6,
    ]);
  });

  it('has the hand-computed VJP on a small case', () => {
    const A = tensor([[1, 2]]); // n = 1, m = 2
    const layer = listaCpLayer(A);
    const W = tensor([[1, 0]]);
    // z = [3, 1], y = [1]: R = 3 + 2 - 1 = 4, pre = z - R W = [-1, 1]; theta = 0.5 -> [-0.5, 0.5]
    const z = tensor([[3, 1]]);
    const y = tensor([[1]]);
    const p = { W, theta: 0.5 };
    const { output, cache } = layer.forward(p, { z, y });
    expect(arr(output)).toEqual([-0.5, 0.5]);
    const { gradInput, gradParams } = layer.vjp(p, cache, tensor([[1, 2]]));
    // G = [1, 2], S = G W^T = 1, dz = G - S A = [0, 0], dy = 1, dW = -R G = [-4, -8],
    // dtheta = -(sign(-1) 1 + sign(1) 2) = -1
    expect(arr(gradInput.z)).toEqual([0, 0]);
    expect(arr(gradInput.y)).toEqual([1]);
    expect(arr(gradParams.W)).toEqual([-4, -8]);
    expect(gradParams.theta).toBe(-1);
  });

  it('lets the largest entries bypass the threshold with support selection', () => {
    const A = eye(4);
    const layer = listaCpLayer(A, { supportSelection: 50 });
    expect(layer.name).toBe('lista-cpss');
    // W = 0: pre = z. The two largest magnitudes (5 and -4) pass; 0.5 is below theta (zeroed).
    const z = tensor([[5, -4, 2, 0.5]]);
    const p = { W: zeros([4, 4]), theta: 1 };
    const { output, cache } = layer.forward(p, { z, y: zeros([1, 4]) });
    expect(arr(output)).toEqual([5, -4, 1, 0]);
    const { gradInput, gradParams } = layer.vjp(p, cache, tensor([[1, 1, 1, 1]]));
    expect(arr(gradInput.z)).toEqual([1, 1, 1, 0]);
    expect(gradParams.theta).toBe(-1); // only the shrunk entry 2 depends on theta
    // Selected entries must also exceed their threshold.
    const big = { W: zeros([4, 4]), theta: 4.5 };
    expect(arr(layer.forward(big, { z, y: zeros([1, 4]) }).output)).toEqual([5, 0, 0, 0]);
    // p = 100: every entry above the threshold passes unchanged.
    const all = listaCpLayer(A, { supportSelection: 100 });
    expect(arr(all.forward(p, { z, y: zeros([1, 4]) }).output)).toEqual([5, -4, 2, 0]);
  });

  it('equals one ISTA step at ISTA initialisation', () => {
    const A = gaussianMatrix(4, 6, 8);
    const Y = normal(5, [3, 6]);
    const Z = normal(6, [3, 8]);
    const lambda = 0.2;
    const L = lassoProblem(A, Y, lambda).lipschitz;
    const init = listaCpInitFromIsta(A, lambda, L);
    expect(init.W.shape).toEqual([6, 8]);
    const expected = istaStep(A, Y, Z, lambda, L);
    const out = listaCpLayer(A).forward(init, { z: Z, y: Y }).output;
    expect(maxAbsDiff(out, expected)).toBeLessThan(1e-12);
  });

  it('rejects bad parameters, inputs and options with the template', () => {
    const A = eye(2);
    const layer = listaCpLayer(A);
    const input = { z: zeros([1, 2]), y: zeros([1, 2]) };
    expect(() => layer.forward({ W: zeros([2, 3]), theta: 1 }, input)).toThrow(
      new RangeError(
        "lista-cp.forward: argument 'params.W' must be a tensor of shape [2, 2]. Got a tensor of shape [2, 3].",
      ),
    );
    expect(() => layer.forward({ W: A, theta: Number.NaN }, input)).toThrow(RangeError);
    expect(() => layer.forward({ W: A, theta: 1 }, { z: zeros([1, 2]), y: zeros([1, 3]) })).toThrow(
      RangeError,
    );
    expect(() => listaCpLayer(A, { supportSelection: 101 })).toThrow(
      new RangeError(
        "listaCpLayer: argument 'supportSelection' must be a finite number >= 0 and <= 100. Got 101.",
      ),
    );
    expect(() => listaCpLayer(zeros([2]))).toThrow(RangeError);
    expect(() => listaCpInitFromIsta(A, Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
