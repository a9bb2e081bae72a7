/**
 * The CPU backend (src/backend/cpu.ts) and the backend paths of networks, training and the ISTA
 * iterations: with the CPU backend they reproduce the default Float64 code up to rounding, and
 * the kernels agree with the reference on every shape of the parity suite. Bad input gets the
 * template messages.
 */
import { describe, expect, it } from 'vitest';
import { cpuBackend, type Backend } from '../../src/backend/index.js';
import { normal, bernoulliGaussian, gaussianMatrix } from '../../src/random/index.js';
import { fista, ista, istaIterations, lassoProblem } from '../../src/solvers/index.js';
import { matmulNT, fromArray } from '../../src/index.js';
import { createModel, forwardNetwork, listaCpLayer, network, applyModel } from '../../src/unrolled/index.js';
import { trainModel } from '../../src/train/index.js';
import { checkKernels, checkNetwork, relativeError } from './parity.js';

const TOL = 1e-12;

describe('cpuBackend', () => {
  it('names itself and computes in Float64', () => {
    expect([cpuBackend.name, cpuBackend.kernelKind, cpuBackend.precision]).toEqual([
      'cpu',
      'Float64',
      'float64',
    ]);
  });

  it('kernels agree with the reference on the parity shapes (itself: exact)', () => {
    checkKernels(cpuBackend, 0);
  });

  it('kernels compute what they say on a small example', () => {
    const b = cpuBackend;
    const x = b.upload(fromArray([1, -2, 3, 0.5], [2, 2]));
    const w = b.upload(fromArray([2, 0, 1, -1], [2, 2]));
    expect(Array.from(b.download(b.times(x, w, false)).data)).toEqual([0, 2, 6.5, -0.5]);
    expect(Array.from(b.download(b.times(x, w, true)).data)).toEqual([2, 3, 6, 2.5]);
    expect(Array.from(b.download(b.transposeTimes(x, w)).data)).toEqual([5, -3, -3.5, -0.5]);
    // ST(X W, 1) and its backward pieces read off the output.
    const out = b.shrinkAffine(null, 1, x, w, false, { scale: 1 });
    expect(Array.from(b.download(out).data)).toEqual([0, 1, 5.5, 0]);
    const g = b.upload(fromArray([1, 2, 3, 4], [2, 2]));
    expect(Array.from(b.download(b.maskedGradient(out, g, { scale: 1 })).data)).toEqual([0, 2, 3, 0]);
    expect(Array.from(b.download(b.maskedGradient(out, g, { scale: 0 })).data)).toEqual([1, 2, 3, 4]);
    expect(Array.from(b.thresholdGradient(out, g))).toEqual([-3, -2]);
    expect(b.dot(x, g)).toBe(1 - 4 + 9 + 2);
  });

  it('rejects bad shapes and foreign handles with the template messages', () => {
    const b = cpuBackend;
    const x = b.upload(normal(1, [3, 4]));
    expect(() => b.times(x, x, false)).toThrow(
      "cpuBackend.times: argument 'w' must be a matrix with 4 rows (x is (3, 4)). Got a (3, 4) matrix.",
    );
    expect(() => b.combine(1, x, 1, b.upload(normal(1, [4, 3])))).toThrow(RangeError);
    expect(() => b.times({ rows: 3, cols: 4 }, x, true)).toThrow(TypeError);
    expect(() => b.shrinkAffine(null, 1, x, x, true, { scale: -1 })).toThrow(RangeError);
    expect(() => b.upload([1, 2] as never)).toThrow(TypeError);
  });
});

describe('network passes on a backend', () => {
  const Y = (n: number, N: number, seed: number) =>
    matmulNT(bernoulliGaussian(seed, [N, 2 * n], 0.1), gaussianMatrix(seed + 1, n, 2 * n));

  for (const kind of ['lista', 'lista-cp', 'slista', 'alista'] as const) {
    it(`${kind}: forward and backward on the CPU backend equal the Float64 layers`, () => {
      const A = gaussianMatrix(3, 9, 18);
      const model = createModel(kind, A, { depth: 4, lambda: 0.1 });
      checkNetwork(cpuBackend, model, Y(9, 25, 5), TOL);
    });
  }

  it('applyModel and trainModel take the backend and give the Float64 results', () => {
    const A = gaussianMatrix(7, 8, 16);
    const model = createModel('lista', A, { depth: 3, lambda: 0.1, lambdaMode: 'ratio' });
    const signals = Y(8, 40, 9);
    const ref = applyModel(model, signals, { keepAll: true });
    const got = applyModel(model, signals, { keepAll: true, backend: cpuBackend });
    expect(relativeError(got.output.data, ref.output.data)).toBeLessThanOrEqual(TOL);
    const options = { epochs: 3, batch: 16, lr: 1e-3, seed: 2 };
    const a = trainModel(model, signals, options).result.history.map((h) => h.trainLoss);
    const b = trainModel(model, signals, { ...options, backend: cpuBackend }).result.history.map(
      (h) => h.trainLoss,
    );
    expect(relativeError(b, a)).toBeLessThanOrEqual(1e-10);
    expect(a[a.length - 1]).toBeLessThan(a[0]); // it did train
  });

  it('rejects what has no backend form, and a non-backend', () => {
    const A = gaussianMatrix(1, 4, 8);
    const net = network(listaCpLayer(A, { supportSelection: 50 }), [{ W: A, theta: 0.1 }], 8);
    expect(() => forwardNetwork(net, normal(2, [3, 4]), { backend: cpuBackend })).toThrow(
      /forwardNetwork: argument 'options.backend' must be undefined for this layer\. Got a backend, but the layer 'lista-cpss' has no backend form\./,
    );
    const model = createModel('slista', A, { depth: 2, lambda: 0.1 });
    expect(() => applyModel(model, normal(2, [3, 4]), { backend: {} as Backend })).toThrow(TypeError);
  });
});

describe('istaIterations', () => {
  const A = gaussianMatrix(11, 12, 30);
  const Ysig = normal(12, [7, 12]);
  const lambdas = fromArray([0.05, 0.1, 0.2, 0.3, 0.1, 0.05, 0.4], [7]);

  for (const [name, solver, accelerated] of [
    ['ISTA', ista, false],
    ['FISTA', fista, true],
  ] as const) {
    it(`${name} on the CPU backend follows the solver's iterates (per-sample lambda)`, () => {
      const problem = lassoProblem(A, Ysig, lambdas);
      const got = istaIterations(problem, 25, { accelerated, keepAll: true });
      const s = solver;
      let state: object = s.init(problem);
      for (let k = 0; k < 25; k++) {
        state = (s.step as (p: typeof problem, st: object) => object)(problem, state);
        const z = 'z' in state ? (state as { z: Float64Array }).z : (state as { x: Float64Array }).x;
        expect(relativeError((got.iterates ?? [])[k].data, z)).toBeLessThanOrEqual(1e-11);
      }
      expect(got.Z).toBe((got.iterates ?? [])[24]);
    });
  }

  it('rejects bad input', () => {
    const problem = lassoProblem(A, Ysig, 0.1);
    expect(() => istaIterations({} as never, 3)).toThrow(TypeError);
    expect(() => istaIterations(problem, -1)).toThrow(
      "istaIterations: argument 'iterations' must be an integer >= 0. Got -1.",
    );
    expect(() => istaIterations(problem, 2, { backend: 'gpu' as never })).toThrow(TypeError);
    expect(istaIterations(problem, 0).Z.data.every((v) => v === 0)).toBe(true);
  });
});
