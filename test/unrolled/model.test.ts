/**
 * Unrolled models (src/unrolled/model.ts): parameter names and ISTA initial values per kind, T
 * ISTA iterations at initialisation (fixed and ratio mode), sharing and initial overrides, the
 * network and named gradients, withParams / projectParams / truncateModel / extendModel,
 * normalisation and the scaling of ratio mode, and bad input.
 */
import { describe, expect, it } from 'vitest';
import { fromArray, scale, zeros, type Tensor } from '../../src/tensor/index.js';
import { gaussianMatrix, normal } from '../../src/random/index.js';
import { lambdaMax } from '../../src/problems/index.js';
import { lassoProblem } from '../../src/solvers/lasso-problem.js';
import { proxGradStepInto } from '../../src/solvers/ista.js';
import {
  alistaWeight,
  applyModel,
  backwardNetwork,
  createModel,
  extendModel,
  forwardNetwork,
  listaInitFromIsta,
  MODEL_KINDS,
  modelLambda,
  modelNetwork,
  modelParamGrads,
  normalizeSignals,
  parameterShapes,
  projectParams,
  truncateModel,
  withParams,
  type Model,
  type NamedTensors,
} from '../../src/unrolled/index.js';

const arr = (t: Tensor): number[] => Array.from(t.data);
const scalar = (v: number): Tensor => fromArray([v], [1]);

/** T ISTA iterations from zero codes with step 1/L (the solver's kernel), lambda per sample or one. */
function ista(A: Tensor, Y: Tensor, lambda: number | Tensor, L: number, T: number): Tensor {
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

/** A with unit-norm columns. */
function unitColumns(A: Tensor): Tensor {
  const [n, m] = A.shape;
  const d = Float64Array.from(A.data);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += d[i * m + j] ** 2;
    for (let i = 0; i < n; i++) d[i * m + j] /= Math.sqrt(s);
  }
  return fromArray(d, [n, m]);
}

const n = 5;
const m = 8;
const A = gaussianMatrix(3, n, m);
const Y = normal(4, [3, n]);
const lambda = 0.2;
const L = lassoProblem(A, Y, lambda).lipschitz;

describe('createModel', () => {
  it('names and shapes the parameters of every kind, per layer or shared', () => {
    const names = (model: Model): string[] => Object.keys(model.params).sort();
    expect(names(createModel('lista', A, { depth: 2, lambda }))).toEqual([
      'layers.0.W1',
      'layers.0.W2',
      'layers.0.theta',
      'layers.1.W1',
      'layers.1.W2',
      'layers.1.theta',
    ]);
    expect(names(createModel('lista-cp', A, { depth: 1, lambda }))).toEqual(['layers.0.W', 'layers.0.theta']);
    expect(names(createModel('alista', A, { depth: 1, lambda }))).toEqual([
      'layers.0.gamma',
      'layers.0.theta',
    ]);
    expect(names(createModel('slista', A, { depth: 3, lambda, shared: true }))).toEqual(['shared.alpha']);
    const partly = createModel('lista', A, { depth: 2, lambda, shared: ['W2', 'W1'] });
    expect(partly.spec.shared).toEqual(['W1', 'W2']);
    expect(names(partly)).toEqual(['layers.0.theta', 'layers.1.theta', 'shared.W1', 'shared.W2']);
    const model = createModel('lista', A, { depth: 2, lambda });
    expect(model.params['layers.0.W1'].shape).toEqual([m, n]);
    expect(model.params['layers.0.W2'].shape).toEqual([m, m]);
    expect(model.params['layers.0.theta'].shape).toEqual([1]);
    expect(createModel('lista-cp', A, { depth: 1, lambda }).params['layers.0.W'].shape).toEqual([n, m]);
    expect([...parameterShapes(model.spec, [n, m]).keys()]).toEqual(Object.keys(model.params));
  });

  it('starts at ISTA with step 1/L: W1 = A^T/L, W2 = I - A^T A/L, theta = lambda/L, alpha = 1/L', () => {
    const model = createModel('lista', A, { depth: 2, lambda });
    const ref = listaInitFromIsta(A, lambda, L);
    expect(arr(model.params['layers.1.W1'])).toEqual(arr(ref.W1));
    expect(arr(model.params['layers.1.W2'])).toEqual(arr(ref.W2));
    expect(model.params['layers.1.theta'].data[0]).toBe(lambda / L);
    expect(createModel('slista', A, { depth: 1, lambda }).params['layers.0.alpha'].data[0]).toBe(1 / L);
    const cp = createModel('lista-cp', A, { depth: 1, lambda, L: 10 });
    expect(arr(cp.params['layers.0.W'])).toEqual(arr(A).map((v) => v / 10));
    expect(cp.params['layers.0.theta'].data[0]).toBe(lambda / 10);
  });

  it('ALISTA starts at gamma = mean ||a_j||^2 / L and theta = lambda gamma: with unit columns, ISTA step and threshold', () => {
    const U = unitColumns(A);
    const LU = lassoProblem(U, Y, lambda).lipschitz;
    const model = createModel('alista', U, { depth: 2, lambda });
    const gamma = model.params['layers.0.gamma'].data[0];
    expect(gamma).toBeCloseTo(1 / LU, 15);
    expect(model.params['layers.1.theta'].data[0]).toBeCloseTo(lambda / LU, 15);
    // one layer from z = 0: ST(gamma Y W, lambda gamma)
    const W = alistaWeight(U).W;
    const out = applyModel(truncateModel(model, 1), Y).output;
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += Y.get(i, k) * W.get(k, j);
        const p = gamma * s;
        const want = Math.sign(p) * Math.max(Math.abs(p) - lambda * gamma, 0);
        expect(out.get(i, j)).toBeCloseTo(want, 13);
      }
    const wide = createModel('alista', A, { depth: 1, lambda, L: 2 });
    let sq = 0;
    for (const v of A.data) sq += v * v;
    expect(wide.params['layers.0.gamma'].data[0]).toBeCloseTo(sq / m / 2, 14);
  });

  it('LISTA, LISTA-CP and SLISTA of depth T output T ISTA iterations (fixed mode), shared or not', () => {
    for (const T of [1, 4]) {
      const expected = ista(A, Y, lambda, L, T);
      for (const kind of ['lista', 'lista-cp', 'slista'] as const)
        for (const shared of [false, true]) {
          const { output } = applyModel(createModel(kind, A, { depth: T, lambda, shared }), Y);
          output.data.forEach((v, k) => expect(Math.abs(v - expected.data[k])).toBeLessThan(1e-12));
        }
    }
  });

  it('ratio mode: the codes are T ISTA iterations for lambda_i = R lambdaMax(y_i), up to rounding', () => {
    const R = 0.3;
    const T = 3;
    const lam = scale(lambdaMax(A, Y), R);
    const expected = ista(A, Y, lam, L, T);
    for (const kind of ['lista', 'lista-cp', 'slista'] as const) {
      const model = createModel(kind, A, { depth: T, lambda: R, lambdaMode: 'ratio' });
      const { output } = applyModel(model, Y);
      output.data.forEach((v, k) => expect(Math.abs(v - expected.data[k])).toBeLessThan(1e-12));
      expect(arr(modelLambda(model, Y) as Tensor)).toEqual(arr(lam));
    }
  });

  it('init overrides scalar fields with one number or a list of length T', () => {
    const model = createModel('alista', A, {
      depth: 3,
      lambda,
      init: { gamma: 0.5, theta: [0.1, 0.2, 0.3] },
    });
    expect([0, 1, 2].map((t) => model.params[`layers.${t}.gamma`].data[0])).toEqual([0.5, 0.5, 0.5]);
    expect([0, 1, 2].map((t) => model.params[`layers.${t}.theta`].data[0])).toEqual([0.1, 0.2, 0.3]);
    const tied = createModel('slista', A, { depth: 3, lambda, shared: true, init: { alpha: 0.01 } });
    expect(tied.params['shared.alpha'].data[0]).toBe(0.01);
  });

  it('rejects bad options with the template message', () => {
    const bad = (kind: unknown, options: unknown, error: typeof TypeError, text: string): void => {
      expect(() => createModel(kind as 'lista', A, options as { depth: number; lambda: number })).toThrow(
        error,
      );
      expect(() => createModel(kind as 'lista', A, options as { depth: number; lambda: number })).toThrow(
        text,
      );
    };
    bad('lstm', { depth: 1, lambda }, RangeError, "createModel: argument 'kind' must be one of 'lista'");
    bad('lista', { depth: 0, lambda }, RangeError, "argument 'depth' must be an integer >= 1. Got 0.");
    bad(
      'lista',
      { depth: 1, lambda: -1 },
      RangeError,
      "argument 'lambda' must be a finite number >= 0. Got -1.",
    );
    bad(
      'lista',
      { depth: 1, lambda, lambdaMode: 'auto' },
      RangeError,
      "argument 'lambdaMode' must be one of",
    );
    bad('lista', { depth: 1, lambda, shared: ['W'] }, RangeError, "Got the unknown field 'W'.");
    bad('lista', { depth: 1, lambda, shared: 'W1' }, TypeError, "argument 'shared' must be true, false or");
    bad(
      'slista',
      { depth: 1, lambda, supportSelection: 10 },
      RangeError,
      "'supportSelection' must be 0 for a slista",
    );
    bad('lista-cp', { depth: 1, lambda, supportSelection: 101 }, RangeError, "'supportSelection' must be");
    bad('lista', { depth: 2, lambda, init: { W1: 1 } }, RangeError, "Got the field 'W1'.");
    bad('lista', { depth: 2, lambda, init: { theta: [1] } }, RangeError, "argument 'init.theta' must be");
    bad(
      'lista',
      { depth: 2, lambda, init: { theta: [1, -1] } },
      RangeError,
      "'init.theta[1]' must be a finite number >= 0",
    );
    bad(
      'lista',
      { depth: 2, lambda, shared: true, init: { theta: [1, 1] } },
      RangeError,
      'shared across layers',
    );
    bad('lista', { depth: 2, lambda, L: 0 }, RangeError, "argument 'L' must be a finite number > 0. Got 0.");
    bad('lista', null, TypeError, "argument 'options' must be an object");
    expect(() => createModel('lista', zeros([2, 3]), { depth: 1, lambda })).toThrow(
      "createModel: argument 'A' must be a non-zero matrix.",
    );
    expect(() => createModel('alista', gaussianMatrix(1, 4, 3), { depth: 1, lambda })).toThrow(RangeError);
  });
});

describe('networks and named gradients', () => {
  it('modelNetwork runs the model; with params it runs those', () => {
    const model = createModel('lista-cp', A, { depth: 3, lambda });
    expect(arr(forwardNetwork(modelNetwork(model), Y).output)).toEqual(arr(applyModel(model, Y).output));
    const other = createModel('lista-cp', A, { depth: 3, lambda: 0.5 });
    expect(arr(forwardNetwork(modelNetwork(model, other.params), Y).output)).toEqual(
      arr(applyModel(other, Y).output),
    );
    expect(() => modelNetwork(model, createModel('lista-cp', A, { depth: 2, lambda }).params)).toThrow(
      "modelNetwork: argument 'params' must be named tensors with exactly the model's parameters",
    );
    expect(() => modelNetwork({ spec: model.spec, A, params: model.params })).toThrow(
      "modelNetwork: argument 'model' must be a model (from createModel, loadModel or withParams).",
    );
  });

  it('modelParamGrads names per-layer gradients and sums those of tied fields', () => {
    const T = 3;
    const g = normal(7, [3, m]);
    const gradOf = (model: Model): NamedTensors => {
      const net = modelNetwork(model);
      const { caches } = forwardNetwork(net, Y);
      return modelParamGrads(model, backwardNetwork(net, caches, g).gradParams);
    };
    const free = gradOf(createModel('lista', A, { depth: T, lambda: 0.05 }));
    const tied = gradOf(createModel('lista', A, { depth: T, lambda: 0.05, shared: ['W2'] }));
    expect(Object.keys(tied).sort()).toEqual([
      'layers.0.W1',
      'layers.0.theta',
      'layers.1.W1',
      'layers.1.theta',
      'layers.2.W1',
      'layers.2.theta',
      'shared.W2',
    ]);
    expect(tied['shared.W2'].shape).toEqual([m, m]);
    expect(tied['layers.1.theta'].shape).toEqual([1]);
    // Same values in every layer, so the tied gradient is the sum of the free ones.
    const sum = arr(free['layers.0.W2']).map(
      (v, k) => v + free['layers.1.W2'].data[k] + free['layers.2.W2'].data[k],
    );
    arr(tied['shared.W2']).forEach((v, k) => expect(v).toBeCloseTo(sum[k], 12));
    expect(arr(tied['layers.2.W1'])).toEqual(arr(free['layers.2.W1']));
    expect(Math.abs(free['layers.0.theta'].data[0])).toBeGreaterThan(0);
    expect(() => modelParamGrads(createModel('slista', A, { depth: 2, lambda }), [{ alpha: 1 }])).toThrow(
      "modelParamGrads: argument 'gradParams' must be an array of 2 layer gradients",
    );
  });
});

describe('parameters', () => {
  const model = createModel('lista-cp', A, { depth: 2, lambda, shared: ['W'] });

  it('withParams checks names, shapes, finiteness and signs, and returns a new model', () => {
    const params = { ...model.params, 'layers.1.theta': scalar(0.7) };
    const next = withParams(model, params);
    expect(next).not.toBe(model);
    expect(next.params['layers.1.theta'].data[0]).toBe(0.7);
    expect(model.params['layers.1.theta'].data[0]).toBe(lambda / L);
    expect(next.spec).toEqual(model.spec);
    const { ['layers.0.theta']: _, ...missing } = model.params;
    expect(() => withParams(model, missing)).toThrow("Got an object without 'layers.0.theta'.");
    expect(() => withParams(model, { ...model.params, extra: scalar(1) })).toThrow(
      "Got an object with the unknown name 'extra'.",
    );
    expect(() => withParams(model, { ...model.params, 'shared.W': zeros([m, n]) })).toThrow(
      `withParams: argument 'params['shared.W']' must be a tensor of shape [${n}, ${m}]. Got a tensor of shape [${m}, ${n}].`,
    );
    expect(() => withParams(model, { ...model.params, 'layers.0.theta': scalar(NaN) })).toThrow(RangeError);
    expect(() => withParams(model, { ...model.params, 'layers.0.theta': scalar(-1) })).toThrow(
      "withParams: argument 'params['layers.0.theta']' must be a scalar >= 0. Got -1.",
    );
  });

  it('projectParams clamps scalar fields at 0 and returns the same object when nothing changes', () => {
    expect(projectParams(model, model.params)).toBe(model.params);
    const negative = { ...model.params, 'layers.1.theta': scalar(-0.5) };
    const projected = projectParams(model, negative);
    expect(projected).not.toBe(negative);
    expect(projected['layers.1.theta'].data[0]).toBe(0);
    expect(projected['shared.W']).toBe(model.params['shared.W']);
    expect(negative['layers.1.theta'].data[0]).toBe(-0.5);
  });

  it('truncateModel keeps the first layers: its output is the deeper model’s intermediate output', () => {
    const deep = createModel('alista', A, { depth: 4, lambda, init: { theta: [0.1, 0.2, 0.05, 0.3] } });
    const all = applyModel(deep, Y, { keepAll: true }).outputs as Tensor[];
    expect(all).toHaveLength(4);
    for (const T of [1, 2, 4]) {
      const short = truncateModel(deep, T);
      expect(short.spec.depth).toBe(T);
      expect(Object.keys(short.params)).toHaveLength(2 * T);
      expect(arr(applyModel(short, Y).output)).toEqual(arr(all[T - 1]));
    }
    expect(() => truncateModel(deep, 5)).toThrow(
      "truncateModel: argument 'depth' must be an integer >= 1 and <= 4. Got 5.",
    );
  });

  it('extendModel keeps the trained layers and starts the new ones at ISTA', () => {
    const trained = withParams(model, { ...model.params, 'layers.1.theta': scalar(0.9) });
    const deeper = extendModel(trained, 4);
    expect(deeper.spec.depth).toBe(4);
    expect(deeper.params['layers.1.theta'].data[0]).toBe(0.9);
    expect(deeper.params['shared.W']).toBe(trained.params['shared.W']);
    expect(deeper.params['layers.3.theta'].data[0]).toBe(lambda / L);
    expect(extendModel(trained, 2)).toBe(trained);
    // From one ISTA layer back to T ISTA layers: T ISTA iterations.
    const fresh = extendModel(truncateModel(createModel('lista', A, { depth: 3, lambda }), 1), 3);
    const expected = ista(A, Y, lambda, L, 3);
    applyModel(fresh, Y).output.data.forEach((v, k) =>
      expect(Math.abs(v - expected.data[k])).toBeLessThan(1e-12),
    );
    expect(() => extendModel(model, 1)).toThrow(
      "extendModel: argument 'depth' must be an integer >= 2. Got 1.",
    );
  });
});

describe('signals and ratio mode', () => {
  const ratio = createModel('slista', A, { depth: 3, lambda: 0.4, lambdaMode: 'ratio' });

  it('normalizeSignals scales each signal to lambdaMax = 1 (zero rows kept, scale 1); fixed mode passes Y', () => {
    const Yz = fromArray([...Y.data, ...new Array<number>(n).fill(0)], [4, n]);
    const { Y: Yn, scale: c } = normalizeSignals(ratio, Yz);
    const lm = lambdaMax(A, Yn);
    for (let i = 0; i < 3; i++) expect(lm.data[i]).toBeCloseTo(1, 14);
    expect(c?.[3]).toBe(1);
    expect(arr(lambdaMax(A, Yz)).slice(0, 3)).toEqual(Array.from(c as Float64Array).slice(0, 3));
    const fixed = createModel('slista', A, { depth: 1, lambda });
    const out = normalizeSignals(fixed, Y);
    expect(out.Y).toBe(Y);
    expect(out.scale).toBeNull();
    expect(modelLambda(fixed, Y)).toBe(lambda);
  });

  it('applyModel(c y) = c applyModel(y) for c > 0, layer by layer, up to rounding', () => {
    for (const model of [ratio, createModel('lista', A, { depth: 3, lambda: 0.3, lambdaMode: 'ratio' })]) {
      const base = applyModel(model, Y, { keepAll: true });
      for (const c of [1e-3, 7, 250]) {
        const scaled = applyModel(model, scale(Y, c), { keepAll: true });
        for (let t = 0; t < 3; t++) {
          const a = (base.outputs as Tensor[])[t].data;
          const b = (scaled.outputs as Tensor[])[t].data;
          for (let k = 0; k < a.length; k++) expect(Math.abs(b[k] - c * a[k])).toBeLessThanOrEqual(1e-13 * c);
        }
      }
    }
  });

  it('rejects signals of the wrong width', () => {
    expect(() => applyModel(ratio, zeros([2, n + 1]))).toThrow(
      `applyModel: argument 'Y' must be a tensor of shape [*, ${n}]. Got a tensor of shape [2, ${n + 1}].`,
    );
    expect(() => modelLambda(ratio, zeros([n]))).toThrow(RangeError);
    expect(() => applyModel(ratio, Y, { keepAll: 1 as unknown as boolean })).toThrow(TypeError);
  });

  it('every kind runs in both modes', () => {
    for (const kind of MODEL_KINDS)
      for (const lambdaMode of ['fixed', 'ratio'] as const) {
        const model = createModel(kind, A, { depth: 2, lambda: 0.1, lambdaMode });
        const out = applyModel(model, Y, { keepAll: true });
        expect(out.outputs).toHaveLength(2);
        expect(out.output.shape).toEqual([3, m]);
        expect(out.output.data.some((v) => v !== 0)).toBe(true);
      }
  });
});
