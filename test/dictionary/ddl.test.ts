import { describe, expect, it } from 'vitest';
import { learnDictionaryDdl } from '../../src/dictionary/ddl.js';
import { dictionaryIstaLayer } from '../../src/dictionary/unrolled-ista.js';
import { unrolledDictionaryGradient, unrolledForward } from '../../src/dictionary/unrolled-gradient.js';
import { matmulNT, matmulTN } from '../../src/linalg/gemm.js';
import { bernoulliGaussian, gaussianMatrix, normal } from '../../src/random/index.js';
import { add, fromArray, scale, sub, type Tensor } from '../../src/tensor/index.js';
import {
  backwardNetwork,
  forwardNetwork,
  network,
  sharedParams,
  unsupervisedLoss,
} from '../../src/unrolled/index.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i] - b[i]));
  return s;
};
const colNorms = (D: Tensor): number[] => {
  const [n, K] = D.shape;
  return Array.from({ length: K }, (_, j) => {
    let s = 0;
    for (let a = 0; a < n; a++) s += D.data[a * K + j] ** 2;
    return Math.sqrt(s);
  });
};

const n = 5;
const K = 7;
const N = 4;
const lambda = 0.1;
const D = fromArray(
  normal(11, [n, K]).data.map((v) => 0.45 * v),
  [n, K],
);
const Y = normal(12, [N, n]);

/** dL/dD by the network fold of dictionaryIstaLayer (shared D and α) from z0, plus the direct term. */
function foldGradient(
  z0: Tensor,
  depth: number,
  alpha: number,
): { grad: Float64Array; alphaGrads: number[] } {
  const net = network(dictionaryIstaLayer(lambda), sharedParams({ D, alpha }, depth), K);
  const fwd = forwardNetwork(net, Y, { z0 });
  const loss = unsupervisedLoss(D, Y, fwd.output, lambda);
  const back = backwardNetwork(net, fwd.caches, loss.grad);
  const direct = scale(matmulTN(sub(matmulNT(fwd.output, D), Y), fwd.output), 1 / N);
  const grad = Float64Array.from(direct.data);
  for (const p of back.gradParams) for (let i = 0; i < grad.length; i++) grad[i] += p.D.data[i];
  return { grad, alphaGrads: back.gradParams.map((p) => p.alpha) };
}

describe('unrolledDictionaryGradient', () => {
  const T = 6;
  const alpha = 0.2;
  const steps = new Array<number>(T).fill(alpha);
  const zeros = fromArray(new Float64Array(N * K), [N, K]);

  it('ISTA: equals the network fold of the layer VJPs (shared D and step) plus the direct term', () => {
    const ours = unrolledDictionaryGradient(D, Y, lambda, T, { steps });
    const ref = foldGradient(zeros, T, alpha);
    expect(maxDiff(ours.grad.data, ref.grad)).toBeLessThan(1e-12);
    expect(maxDiff(ours.gradSteps.data, ref.alphaGrads)).toBeLessThan(1e-12);
    expect(ours.codes.data.some((v) => v === 0)).toBe(true);
    expect(ours.codes.data.some((v) => v !== 0)).toBe(true);
  });

  for (const algorithm of ['ista', 'fista'] as const) {
    it(`${algorithm}: equals central finite differences of the unrolled objective w.r.t. D and the steps`, () => {
      const st = [0.25, 0.2, 0.15, 0.25, 0.1, 0.2];
      const g = unrolledDictionaryGradient(D, Y, lambda, T, { steps: st, algorithm });
      const E = normal(13, [n, K]).data;
      const e = [0.1, -0.2, 0.3, 0.05, -0.1, 0.2];
      const h = 1e-6;
      const f = (s: number) =>
        unrolledDictionaryGradient(
          fromArray(
            D.data.map((v, i) => v + s * E[i]),
            [n, K],
          ),
          Y,
          lambda,
          T,
          { steps: st.map((v, t) => v + s * e[t]), algorithm },
        ).value;
      const fd = (f(h) - f(-h)) / (2 * h);
      const vjp = dot(g.grad.data, E) + dot(g.gradSteps.data, e);
      expect(Math.abs(fd - vjp)).toBeLessThan(1e-7 * (1 + Math.abs(vjp)));
    });
  }

  it('defaults to the steps 1/L(D), the same for every iteration', () => {
    const g = unrolledDictionaryGradient(D, Y, lambda, 3);
    expect(g.steps.shape).toEqual([3]);
    expect(new Set(g.steps.data).size).toBe(1);
    // 1/L with L >= ||D||₂² >= max column norm².
    expect(g.steps.data[0]).toBeLessThanOrEqual(1 / Math.max(...colNorms(D)) ** 2);
  });

  it('truncate = depth gives the full gradient; truncate < depth the gradient with the earlier codes held constant', () => {
    const full = unrolledDictionaryGradient(D, Y, lambda, T, { steps });
    const same = unrolledDictionaryGradient(D, Y, lambda, T, { steps, truncate: T });
    expect(Array.from(same.grad.data)).toEqual(Array.from(full.grad.data));
    const k = 2;
    const trunc = unrolledDictionaryGradient(D, Y, lambda, T, { steps, truncate: k });
    expect(maxDiff(trunc.grad.data, full.grad.data)).toBeGreaterThan(1e-3);
    expect(trunc.value).toBe(full.value);
    // ISTA: the last k layers from z_{T-k} (a constant) by the network fold.
    const head = forwardNetwork(
      network(dictionaryIstaLayer(lambda), sharedParams({ D, alpha }, T - k), K),
      Y,
    );
    const ref = foldGradient(head.output, k, alpha);
    expect(maxDiff(trunc.grad.data, ref.grad)).toBeLessThan(1e-12);
    expect(Array.from(trunc.gradSteps.data.slice(0, T - k))).toEqual([0, 0, 0, 0]);
  });

  it('FISTA truncated: the gradient of D -> L with the first iterations run on a frozen dictionary', () => {
    const k = 3;
    const g = unrolledDictionaryGradient(D, Y, lambda, T, { steps, truncate: k, algorithm: 'fista' });
    const full = unrolledDictionaryGradient(D, Y, lambda, T, { steps, algorithm: 'fista' });
    expect(maxDiff(g.grad.data, full.grad.data)).toBeGreaterThan(1e-3);
    const E = normal(14, [n, K]).data;
    const d0 = Float64Array.from(D.data);
    const st = Float64Array.from(steps);
    const phi = (s: number) => {
      const d = d0.map((v, i) => v + s * E[i]);
      const dicts = Array.from({ length: T }, (_, t) => (t < T - k ? d0 : d));
      return unrolledForward(dicts, Float64Array.from(Y.data), N, n, K, lambda, st, true, 0).value;
    };
    const h = 1e-6;
    const fd = (phi(h) - phi(-h)) / (2 * h);
    const vjp = dot(g.grad.data, E);
    expect(Math.abs(fd - vjp)).toBeLessThan(1e-7 * (1 + Math.abs(vjp)));
  });

  it('rejects bad input with the template message', () => {
    expect(() => unrolledDictionaryGradient(D, Y, lambda, 0)).toThrow(
      /^unrolledDictionaryGradient: argument 'depth' must be an integer >= 1\. Got 0\.$/,
    );
    expect(() => unrolledDictionaryGradient(D, Y, lambda, 3, { truncate: 4 })).toThrow(RangeError);
    expect(() => unrolledDictionaryGradient(D, Y, lambda, 3, { steps: [1, 2] })).toThrow(RangeError);
    expect(() => unrolledDictionaryGradient(D, Y, lambda, 2, { steps: [1, -2] })).toThrow(
      /options\.steps\[1\]' must be a finite number >= 0/,
    );
    expect(() => unrolledDictionaryGradient(D, Y, lambda, 2, { algorithm: 'adam' as 'ista' })).toThrow(
      RangeError,
    );
  });
});

describe('learnDictionaryDdl', () => {
  // A small version of the synthetic setting: unit-norm Gaussian atoms, Bernoulli-Gaussian codes.
  const n0 = 8;
  const K0 = 10;
  const N0 = 60;
  const Dtrue = gaussianMatrix(21, n0, K0);
  const Ysyn = add(matmulNT(bernoulliGaussian(22, [N0, K0], 0.3), Dtrue), scale(normal(23, [N0, n0]), 0.1));

  it('full batch: atoms stay in the unit ball and the objective never increases', () => {
    const res = learnDictionaryDdl(Ysyn, {
      atoms: K0,
      lambda: 0.1,
      depth: 5,
      iterations: 15,
      trueDictionary: Dtrue,
    });
    expect(res.method).toBe('ddl');
    expect(res.D.shape).toEqual([n0, K0]);
    for (const c of colNorms(res.D)) expect(c).toBeLessThanOrEqual(1 + 1e-12);
    const obj = res.history.map((r) => r.objective);
    expect(obj.length).toBeGreaterThan(5);
    for (let i = 1; i < obj.length; i++) expect(obj[i]).toBeLessThanOrEqual(obj[i - 1]);
    expect(obj[obj.length - 1]).toBeLessThan(0.9 * obj[0]);
    expect(res.history.every((r) => r.recoveryScore !== undefined)).toBe(true);
    // The codes and the objective are the unrolled ones of the final dictionary.
    const g = unrolledDictionaryGradient(res.D, Ysyn, 0.1, 5);
    expect(maxDiff(res.codes.data, g.codes.data)).toBe(0);
    expect(g.value).toBe(obj[obj.length - 1]);
    expect(Array.from(res.steps.data)).toEqual(Array.from(g.steps.data));
  });

  it('mini-batches with Adam: atoms in the unit ball, lower objective, same seed same result', () => {
    const opts = {
      atoms: K0,
      lambda: 0.1,
      depth: 5,
      iterations: 8,
      batch: 16,
      seed: 3,
      algorithm: 'fista' as const,
    };
    const a = learnDictionaryDdl(Ysyn, opts);
    const b = learnDictionaryDdl(Ysyn, opts);
    expect(Array.from(a.D.data)).toEqual(Array.from(b.D.data));
    for (const c of colNorms(a.D)) expect(c).toBeLessThanOrEqual(1 + 1e-12);
    expect(a.history).toHaveLength(9);
    expect(a.history[8].objective).toBeLessThan(a.history[0].objective);
  });

  it('learned steps are trained (and kept >= 0); truncation changes the run', () => {
    const base = { atoms: K0, lambda: 0.1, depth: 4, iterations: 6 };
    const plain = learnDictionaryDdl(Ysyn, base);
    const learned = learnDictionaryDdl(Ysyn, { ...base, learnSteps: true });
    expect(new Set(learned.steps.data).size).toBeGreaterThan(1);
    expect(learned.steps.data.every((v) => v >= 0)).toBe(true);
    expect(learned.history[6].objective).toBeLessThanOrEqual(learned.history[0].objective);
    const truncated = learnDictionaryDdl(Ysyn, { ...base, truncate: 1 });
    expect(maxDiff(truncated.D.data, plain.D.data)).toBeGreaterThan(1e-6);
  });

  it('stops when the callback returns false', () => {
    let calls = 0;
    const res = learnDictionaryDdl(Ysyn, {
      atoms: K0,
      lambda: 0.1,
      depth: 3,
      iterations: 10,
      onIteration: (r) => {
        calls++;
        return r.iteration < 2;
      },
    });
    expect(res.history).toHaveLength(3);
    expect(calls).toBe(3);
  });

  it('rejects bad options with the template message', () => {
    expect(() => learnDictionaryDdl(Ysyn, { atoms: K0, lambda: 0.1, depth: 3, truncate: 4 })).toThrow(
      /^learnDictionaryDdl: argument 'truncate' must be an integer >= 1 and <= 3\. Got 4\.$/,
    );
    expect(() => learnDictionaryDdl(Ysyn, { atoms: K0, lambda: -1, depth: 3 })).toThrow(RangeError);
    expect(() => learnDictionaryDdl(Ysyn, { atoms: K0, lambda: 0.1, depth: 3, lr: 0 })).toThrow(RangeError);
    expect(() => learnDictionaryDdl(Ysyn, { atoms: K0, lambda: 0.1, depth: 3, batch: 0 })).toThrow(
      RangeError,
    );
  });
});
