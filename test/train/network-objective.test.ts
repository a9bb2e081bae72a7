/**
 * The network training objective (src/train/network-objective.ts): values against the losses of
 * the model's codes (fixed and ratio mode, supervised, weighted over layers), the scaling of ratio
 * mode, row gathering, gradients by name (tied ones summed), projection, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { fromArray, scale, takeRows, type Tensor } from '../../src/tensor/index.js';
import { gaussianMatrix, normal } from '../../src/random/index.js';
import { lassoObjective } from '../../src/problems/index.js';
import { networkObjective } from '../../src/train/network-objective.js';
import {
  applyModel,
  createModel,
  modelLambda,
  normalizeSignals,
  supervisedLoss,
  unsupervisedLoss,
  withParams,
  type NamedTensors,
} from '../../src/unrolled/index.js';

const n = 5;
const m = 7;
const N = 6;
const A = gaussianMatrix(11, n, m);
const Y = normal(12, [N, n]);
const all = Int32Array.from({ length: N }, (_, i) => i);
const scalar = (v: number): Tensor => fromArray([v], [1]);

describe('networkObjective', () => {
  it('unsupervised, fixed mode: the mean Lasso objective of the model’s codes on the rows', () => {
    const model = createModel('lista-cp', A, { depth: 3, lambda: 0.15 });
    const obj = networkObjective(model, Y);
    expect(obj.samples).toBe(N);
    const Z = applyModel(model, Y).output;
    expect(obj.evaluate(model.params, all, false).value).toBeCloseTo(lassoObjective(A, Y, Z, 0.15).mean, 13);
    const rows = Int32Array.of(4, 1, 1);
    const sub = takeRows(Y, [4, 1, 1]);
    const want = unsupervisedLoss(A, sub, applyModel(model, sub).output, 0.15).value;
    const got = obj.evaluate(model.params, rows, true);
    expect(got.value).toBe(want);
    expect(Object.keys(got.grad as NamedTensors).sort()).toEqual(Object.keys(model.params).sort());
  });

  it('ratio mode: each signal’s objective divided by c_i^2 (c_i = lambdaMax(y_i)), so scaling Y changes nothing', () => {
    const model = createModel('slista', A, { depth: 4, lambda: 0.3, lambdaMode: 'ratio' });
    const Z = applyModel(model, Y).output;
    const F = lassoObjective(A, Y, Z, modelLambda(model, Y)).perSample.data;
    const c = normalizeSignals(model, Y).scale as Float64Array;
    let want = 0;
    for (let i = 0; i < N; i++) want += F[i] / (c[i] * c[i]) / N;
    const value = networkObjective(model, Y).evaluate(model.params, all, false).value;
    expect(value).toBeCloseTo(want, 13);
    const big = networkObjective(model, scale(Y, 40)).evaluate(model.params, all, false).value;
    expect(Math.abs(big - value)).toBeLessThan(1e-13 * value);
  });

  it('supervised: the mean squared error to the targets (divided by c_i in ratio mode)', () => {
    const targets = normal(13, [N, m]);
    const fixed = createModel('alista', A, { depth: 2, lambda: 0.1 });
    const obj = networkObjective(fixed, Y, { loss: 'supervised', targets });
    expect(obj.evaluate(fixed.params, all, false).value).toBe(
      supervisedLoss(applyModel(fixed, Y).output, targets).value,
    );
    const ratio = createModel('alista', A, { depth: 2, lambda: 0.1, lambdaMode: 'ratio' });
    const c = normalizeSignals(ratio, Y).scale as Float64Array;
    const Z = applyModel(ratio, Y).output;
    let want = 0;
    for (let i = 0; i < N; i++)
      for (let j = 0; j < m; j++) want += ((Z.get(i, j) - targets.get(i, j)) / c[i]) ** 2 / N;
    expect(
      networkObjective(ratio, Y, { loss: 'supervised', targets }).evaluate(ratio.params, all, false).value,
    ).toBeCloseTo(want, 12);
  });

  it('layerWeights: the weighted sum of the layers’ losses; its gradient reaches every layer', () => {
    const model = createModel('lista', A, { depth: 3, lambda: 0.2 });
    const outs = applyModel(model, Y, { keepAll: true }).outputs as Tensor[];
    const w = [0.5, 0, 2];
    const want = w.reduce((s, wt, t) => s + wt * unsupervisedLoss(A, Y, outs[t], 0.2).value, 0);
    const obj = networkObjective(model, Y, { layerWeights: w });
    const { value, grad } = obj.evaluate(model.params, all, true);
    expect(value).toBeCloseTo(want, 13);
    // Only the first layer's loss (weight 0 on the last): the last layer gets no gradient.
    const first = networkObjective(model, Y, { layerWeights: [1, 0, 0] }).evaluate(model.params, all, true);
    expect(first.value).toBeCloseTo(unsupervisedLoss(A, Y, outs[0], 0.2).value, 13);
    const g = first.grad as NamedTensors;
    expect(g['layers.2.W1'].data.every((v) => v === 0)).toBe(true);
    expect(g['layers.0.W1'].data.some((v) => v !== 0)).toBe(true);
    expect((grad as NamedTensors)['layers.2.W1'].data.some((v) => v !== 0)).toBe(true);
  });

  it('the gradient of a tied parameter is the sum of the per-layer gradients at equal values', () => {
    const free = createModel('slista', A, { depth: 3, lambda: 0.1, init: { alpha: 0.05 } });
    const tied = createModel('slista', A, { depth: 3, lambda: 0.1, shared: true, init: { alpha: 0.05 } });
    const gf = networkObjective(free, Y).evaluate(free.params, all, true).grad as NamedTensors;
    const gt = networkObjective(tied, Y).evaluate(tied.params, all, true).grad as NamedTensors;
    const sum = [0, 1, 2].reduce((s, t) => s + gf[`layers.${t}.alpha`].data[0], 0);
    expect(gt['shared.alpha'].data[0]).toBeCloseTo(sum, 12);
    expect(Object.keys(gt)).toEqual(['shared.alpha']);
  });

  it('evaluates other parameters than the model’s, and projects with projectParams', () => {
    const model = createModel('lista-cp', A, { depth: 2, lambda: 0.1 });
    const obj = networkObjective(model, Y);
    const params = { ...model.params, 'layers.0.theta': scalar(0.3) };
    expect(obj.evaluate(params, all, false).value).toBe(
      networkObjective(withParams(model, params), Y).evaluate(params, all, false).value,
    );
    expect(obj.project(model.params)).toBe(model.params);
    expect(obj.project({ ...params, 'layers.1.theta': scalar(-1) })['layers.1.theta'].data[0]).toBe(0);
  });

  it('rejects bad input with the template message', () => {
    const model = createModel('slista', A, { depth: 2, lambda: 0.1 });
    expect(() => networkObjective(model, normal(1, [3, n + 1]))).toThrow(
      `networkObjective: argument 'Y' must be a tensor of shape [*, ${n}]`,
    );
    expect(() => networkObjective(model, Y, { loss: 'supervised' })).toThrow(
      `networkObjective: argument 'options.targets' must be a tensor of shape [${N}, ${m}] (the supervised loss needs targets). Got undefined.`,
    );
    expect(() => networkObjective(model, Y, { targets: normal(1, [N, m]) })).toThrow(RangeError);
    expect(() => networkObjective(model, Y, { loss: 'supervised', targets: normal(1, [N, m + 1]) })).toThrow(
      RangeError,
    );
    expect(() => networkObjective(model, Y, { layerWeights: [1] })).toThrow(
      "networkObjective: argument 'options.layerWeights' must be an array of 2 numbers >= 0 (one per layer), not all 0. Got [1].",
    );
    expect(() => networkObjective(model, Y, { layerWeights: [0, 0] })).toThrow(RangeError);
    expect(() => networkObjective(model, Y, { layerWeights: [1, -1] })).toThrow(
      "argument 'options.layerWeights[1]' must be a finite number >= 0. Got -1.",
    );
    const obj = networkObjective(model, Y);
    expect(() => obj.evaluate(model.params, Int32Array.of(0, N), false)).toThrow(
      `networkObjective.evaluate: argument 'rows' must be row indices in [0, ${N - 1}]. Got ${N} at index 1.`,
    );
    expect(() => obj.evaluate(model.params, new Int32Array(0), false)).toThrow(RangeError);
    expect(() => obj.evaluate(model.params, [0] as unknown as Int32Array, false)).toThrow(TypeError);
    expect(() => obj.evaluate({}, all, false)).toThrow(
      "networkObjective.evaluate: argument 'params' must be",
    );
  });
});
