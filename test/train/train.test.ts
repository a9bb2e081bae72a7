/**
 * The training loop (src/train/train.ts) on least-squares objectives with a known minimiser:
 * convergence of Adam and of backtracking GD, the step schedule of GD, epoch 0 and the best
 * epoch, validation, early stopping, the callbacks, the divergence guard, determinism and bad
 * options.
 */
import { describe, expect, it } from 'vitest';
import { fromArray, tensor, type Tensor } from '../../src/tensor/index.js';
import { normal } from '../../src/random/index.js';
import { train, splitRows, type Objective, type TrainOptions } from '../../src/train/index.js';
import type { NamedTensors } from '../../src/unrolled/model-types.js';
import { leastSquares, zeroParams } from '../../properties/support/least-squares.js';

/** Noise-free regression rows y = X w + c (N, d). */
function regression(N: number, w: number[], c: number, seed = 1): { X: Tensor; y: Tensor } {
  const d = w.length;
  const X = normal(seed, [N, d]);
  const y = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    y[i] = c;
    for (let j = 0; j < d; j++) y[i] += X.data[i * d + j] * w[j];
  }
  return { X, y: fromArray(y, [N]) };
}

const values = (p: NamedTensors): number[] => [...p.w.data, ...p.c.data];

/** An objective that is constant (value 1, zero gradient): no epoch ever improves on epoch 0. */
const flat: Objective = {
  samples: 10,
  evaluate: () => ({ value: 1, grad: { w: tensor([0]), c: tensor([0]) } }),
  project: (p) => p,
};

describe('train', () => {
  const wTrue = [1, -2, 0.5];
  const { X, y } = regression(200, wTrue, 0.3);

  it('Adam on mini-batches converges to the least-squares solution', () => {
    const f = leastSquares(X, y);
    const r = train(f, zeroParams(3), { epochs: 150, batch: 20, lr: 0.05 });
    expect(r.stopReason).toBe('epochs');
    expect(r.history.length).toBe(151);
    values(r.params).forEach((v, i) => expect(v).toBeCloseTo([...wTrue, 0.3][i], 3));
    expect(r.history[r.bestIndex].trainLoss).toBeLessThan(1e-6);
    expect(f.projections).toBeGreaterThanOrEqual(150 * 10); // after every step
  });

  it('full-batch GD with backtracking decreases the loss monotonically and converges', () => {
    const r = train(leastSquares(X, y), zeroParams(3), { optimizer: 'gd', epochs: 200 });
    for (let e = 1; e < r.history.length; e++)
      expect(r.history[e].trainLoss).toBeLessThanOrEqual(r.history[e - 1].trainLoss);
    values(r.params).forEach((v, i) => expect(v).toBeCloseTo([...wTrue, 0.3][i], 8));
    expect(r.bestIndex).toBe(r.history.length - 1);
  });

  it('GD multiplies the step by 2 after an accepted step and halves it on an increase', () => {
    // 1/2 k (w - 1)^2: a step s is accepted iff s <= 2 / k.
    const quad = (k: number): Objective =>
      leastSquares(tensor([[Math.sqrt(k)]]), tensor([Math.sqrt(k)]), false);
    const init = { w: tensor([3]) };
    const small = train(quad(0.1), init, { optimizer: 'gd', epochs: 7 });
    expect(small.history.slice(1).map((h) => h.lr)).toEqual([1, 2, 4, 8, 16, 16, 16]);
    const big = train(quad(3), init, { optimizer: 'gd', epochs: 4 });
    expect(big.history.slice(1).map((h) => h.lr)).toEqual([0.5, 0.5, 0.5, 0.5]);
    // Each accepted step 0.5 multiplies w - 1 by 1 - 1.5 = -0.5, the loss by 0.25.
    for (let e = 1; e <= 4; e++)
      expect(big.history[e].trainLoss / big.history[e - 1].trainLoss).toBeCloseTo(0.25, 12);
  });

  it('GD stops with "converged" when no step decreases the loss', () => {
    // At the exact minimiser the gradient is zero: no step changes anything.
    const r = train(
      leastSquares(tensor([[2]]), tensor([4])),
      { w: tensor([2]), c: tensor([0]) },
      {
        optimizer: 'gd',
        epochs: 10,
      },
    );
    expect(r.stopReason).toBe('converged');
    expect(r.history.length).toBe(1);
    expect(r.bestIndex).toBe(0);
  });

  it('projects after every step (c >= 0 when the best unconstrained offset is negative)', () => {
    const data = regression(100, [1, 1], -0.5, 3);
    const r = train(leastSquares(data.X, data.y), zeroParams(2), { epochs: 80, batch: 25, lr: 0.05 });
    expect(r.params.c.data[0]).toBe(0);
  });

  it('holds out validation rows, evaluates them every epoch and returns the best epoch', () => {
    const noisy = regression(120, [0.5, 0.5], 0, 4);
    const yNoisy = fromArray(
      noisy.y.data.map((v, i) => v + normal(9, [120]).data[i]),
      [120],
    );
    const f = leastSquares(noisy.X, yNoisy);
    const seen: Int32Array[] = [];
    const spy: Objective = {
      ...f,
      evaluate: (p, rows, g) => {
        seen.push(rows.slice());
        return f.evaluate(p, rows, g);
      },
    };
    const r = train(spy, zeroParams(2), { epochs: 30, batch: 16, lr: 0.1, validation: 0.25, seed: 7 });
    const { train: trainRows, validation } = splitRows(120, 0.25, 7);
    expect(validation.length).toBe(30);
    const valSet = new Set(validation);
    // The gradient calls see training rows only; validation calls see exactly the held-out rows.
    const batches = seen.filter((rows) => rows.length === 16 || rows.length === 90 % 16);
    expect(batches.length).toBeGreaterThan(0);
    for (const rows of batches) for (const i of rows) expect(valSet.has(i)).toBe(false);
    expect(seen.filter((rows) => rows.length === 30 && rows.every((i) => valSet.has(i))).length).toBe(31);
    expect(trainRows.length).toBe(90);
    const losses = r.history.map((h) => h.validationLoss);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[r.bestIndex]).toBe(Math.min(...losses));
    expect(f.evaluate(r.params, validation, false).value).toBe(losses[r.bestIndex]);
  });

  it('counts the initial parameters as epoch 0, so training never returns worse than its start', () => {
    const r = train(flat, { w: tensor([5]), c: tensor([0]) }, { epochs: 5 });
    expect(r.history[0].epoch).toBe(0);
    expect(r.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.bestIndex).toBe(0);
    expect(values(r.params)).toEqual([5, 0]);
  });

  it('stops early after `patience` epochs without a better monitored loss', () => {
    const r = train(flat, { w: tensor([5]), c: tensor([0]) }, { epochs: 50, patience: 3 });
    expect(r.stopReason).toBe('early-stopping');
    expect(r.history.length).toBe(4);
    expect(r.bestIndex).toBe(0);
  });

  it('stops when onEpoch returns false, and reports progress per batch', () => {
    const reports: number[] = [];
    const batches: string[] = [];
    const r = train(leastSquares(X, y), zeroParams(3), {
      epochs: 20,
      batch: 64,
      stage: 4,
      onEpoch: (rep) => {
        reports.push(rep.epoch);
        expect(rep.stage).toBe(4);
        return rep.epoch < 3;
      },
      onBatch: (done, total) => batches.push(`${done}/${total}`),
    });
    expect(r.stopReason).toBe('stopped');
    expect(reports).toEqual([1, 2, 3]);
    expect(r.history.length).toBe(4);
    expect(batches).toEqual([
      '1/4',
      '2/4',
      '3/4',
      '4/4',
      '1/4',
      '2/4',
      '3/4',
      '4/4',
      '1/4',
      '2/4',
      '3/4',
      '4/4',
    ]);
    for (let e = 1; e < 4; e++) expect(r.history[e].seconds).toBeGreaterThanOrEqual(r.history[e - 1].seconds);
  });

  it('stops on divergence with the best parameters and a message, never throwing', () => {
    const f = leastSquares(X, y);
    const r = train(f, zeroParams(3), { epochs: 20, batch: 50, lr: 1e4 });
    expect(r.stopReason).toBe('diverged');
    expect(r.message).toMatch(
      /^train: training diverged at epoch \d+: .*kept the best parameters, from epoch 0/,
    );
    expect(r.bestIndex).toBe(0);
    expect(values(r.params)).toEqual([0, 0, 0, 0]);

    let calls = 0;
    const nan: Objective = {
      ...f,
      evaluate: (p, rows, g) => (++calls > 4 ? { value: NaN, grad: zeroParams(3) } : f.evaluate(p, rows, g)),
    };
    const n = train(nan, zeroParams(3), { epochs: 20, batch: 100, lr: 0.01 });
    expect(n.stopReason).toBe('diverged');
    expect(n.message).toContain('became NaN');
    expect(n.message).toContain('epoch 2');
    expect(n.bestIndex).toBe(1);
    expect(n.params).not.toBe(undefined);
  });

  it('reports a non-finite loss at the initial parameters as divergence before any epoch', () => {
    const f = leastSquares(X, y);
    const r = train({ ...f, evaluate: () => ({ value: Infinity }) }, zeroParams(3));
    expect(r.stopReason).toBe('diverged');
    expect(r.history.length).toBe(1);
    expect(r.message).toContain('initial parameters');
  });

  it('is a function of the seed: same seed, bit-identical result', () => {
    const run = (seed: number): ReturnType<typeof train> =>
      train(leastSquares(X, y), zeroParams(3), { epochs: 5, batch: 30, validation: 0.2, seed, lr: 0.01 });
    const a = run(3);
    const b = run(3);
    expect(values(b.params)).toEqual(values(a.params));
    expect(b.history.map((h) => [h.trainLoss, h.validationLoss])).toEqual(
      a.history.map((h) => [h.trainLoss, h.validationLoss]),
    );
    expect(values(run(4).params)).not.toEqual(values(a.params));
  });

  it('does not write into the initial parameters', () => {
    const init = { w: tensor([0.1, 0.2, 0.3]), c: tensor([0.4]) };
    train(leastSquares(X, y), init, { epochs: 3, lr: 0.1 });
    expect(values(init)).toEqual([0.1, 0.2, 0.3, 0.4]);
  });

  it('rejects bad options with the template message', () => {
    const f = leastSquares(X, y);
    const p = zeroParams(3);
    const bad = (options: TrainOptions, error: typeof TypeError, text: string): void =>
      expect(() => train(f, p, options)).toThrow(new error(text));
    bad({ epochs: 0 }, RangeError, "train: argument 'epochs' must be an integer >= 1. Got 0.");
    bad({ batch: -1 }, RangeError, "train: argument 'batch' must be an integer >= 0. Got -1.");
    bad({ lr: 0 }, RangeError, "train: argument 'lr' must be a finite number > 0. Got 0.");
    bad(
      { validation: 1 },
      RangeError,
      "train: argument 'validation' must be a finite number >= 0 and < 1. Got 1.",
    );
    bad(
      { optimizer: 'sgd' as 'adam' },
      RangeError,
      "train: argument 'optimizer' must be one of 'adam', 'gd'. Got \"sgd\".",
    );
    bad({ patience: 0 }, RangeError, "train: argument 'patience' must be an integer >= 1. Got 0.");
    bad(
      { seed: 1.5 },
      RangeError,
      "train: argument 'seed' must be an integer >= -9007199254740991 and <= 9007199254740991. Got 1.5.",
    );
    bad(
      { divergenceFactor: 1 },
      RangeError,
      "train: argument 'divergenceFactor' must be a finite number > 1. Got 1.",
    );
    bad(
      { onEpoch: 3 as unknown as () => void },
      TypeError,
      "train: argument 'onEpoch' must be a function. Got 3.",
    );
    bad(
      { epochs: null as unknown as number },
      TypeError,
      "train: argument 'epochs' must be an integer >= 1. Got null.",
    );
    expect(() => train(f, {})).toThrow(RangeError);
    expect(() => train(f, { w: [1] as unknown as Tensor })).toThrow(TypeError);
    expect(() => train(f, { w: tensor([NaN]) })).toThrow(
      /train: argument 'init' must be a tensor of finite values/,
    );
    expect(() => train({} as Objective, p)).toThrow(TypeError);
    expect(() => train({ ...f, samples: 1 }, p, { validation: 0.5 })).toThrow(RangeError);
  });
});
