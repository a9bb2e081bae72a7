/**
 * Properties of the training loop (src/train/train.ts) on random least-squares problems:
 * - the returned parameters are the best seen: their loss on the held-out rows (recomputed with
 *   the objective on the rows of splitRows) equals the minimum validation loss of the history, at
 *   bestIndex; without validation, bestIndex is the first minimum of the training loss (and for
 *   full-batch GD the returned parameters' training loss equals it);
 * - the same seed gives a bit-identical result;
 * - divergence (a huge Adam step) stops with 'diverged', the best parameters and a message.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { fcParams } from './support/arbitraries.js';
import { leastSquares, zeroParams } from './support/least-squares.js';
import { fromArray } from '../src/tensor/index.js';
import { normal } from '../src/random/index.js';
import { splitRows, train, type TrainOptions, type TrainResult } from '../src/train/index.js';
import type { NamedTensors } from '../src/unrolled/model-types.js';

/** A random noisy regression problem: N rows, d features. */
const problem = fc
  .record({
    N: fc.integer({ min: 4, max: 40 }),
    d: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer({ min: 0, max: 1000 }),
    noise: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ N, d, seed, noise }) => {
    const X = normal(seed, [N, d]);
    const w = normal(seed + 1, [d]);
    const e = normal(seed + 2, [N]);
    const y = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      y[i] = 0.2 + noise * e.data[i];
      for (let j = 0; j < d; j++) y[i] += X.data[i * d + j] * w.data[j];
    }
    return { X, y: fromArray(y, [N]), N, d };
  });

const options = fc.record({
  optimizer: fc.constantFrom('adam' as const, 'gd' as const),
  epochs: fc.integer({ min: 1, max: 12 }),
  batch: fc.integer({ min: 0, max: 16 }),
  lr: fc.constantFrom(1e-3, 0.01, 0.1, 0.5, 2),
  seed: fc.integer({ min: 0, max: 1000 }),
  patience: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
});

const bits = (p: NamedTensors): number[] => Object.keys(p).flatMap((k) => Array.from(p[k].data));
const firstArgmin = (xs: number[]): number => xs.reduce((b, x, i) => (x < xs[b] ? i : b), 0);

describe('train', () => {
  it('returns the parameters with the best validation loss of the history', () => {
    fc.assert(
      fc.property(problem, options, fc.double({ min: 0.1, max: 0.6, noNaN: true }), (p, o, validation) => {
        const f = leastSquares(p.X, p.y);
        const r = train(f, zeroParams(p.d), { ...o, validation });
        const losses = r.history.map((h) => h.validationLoss);
        const { validation: rows } = splitRows(p.N, validation, o.seed);
        const recomputed = f.evaluate(r.params, rows, false).value;
        return (
          r.bestIndex === firstArgmin(losses) &&
          recomputed === losses[r.bestIndex] &&
          recomputed === Math.min(...losses) &&
          r.history[0].epoch === 0
        );
      }),
      fcParams(60),
    );
  });

  it('without validation, returns the epoch of the lowest training loss', () => {
    fc.assert(
      fc.property(problem, options, (p, o) => {
        const f = leastSquares(p.X, p.y);
        const r = train(f, zeroParams(p.d), o);
        const losses = r.history.map((h) => h.trainLoss);
        if (r.bestIndex !== firstArgmin(losses)) return false;
        if (r.history.some((h) => !Number.isNaN(h.validationLoss))) return false;
        // Full-batch GD's training loss is that of the parameters after the step: exact.
        if (o.optimizer !== 'gd') return true;
        const all = splitRows(p.N, 0).train;
        return f.evaluate(r.params, all, false).value === losses[r.bestIndex];
      }),
      fcParams(60),
    );
  });

  it('is a function of the seed: the same seed gives a bit-identical result', () => {
    fc.assert(
      fc.property(problem, options, fc.constantFrom(0, 0.3), (p, o, validation) => {
        const run = (): TrainResult => train(leastSquares(p.X, p.y), zeroParams(p.d), { ...o, validation });
        const a = run();
        const b = run();
        const curve = (r: TrainResult): number[] =>
          r.history.flatMap((h) => [h.epoch, h.trainLoss, h.validationLoss, h.lr]);
        return (
          Object.is(JSON.stringify(bits(a.params)), JSON.stringify(bits(b.params))) &&
          JSON.stringify(curve(a)) === JSON.stringify(curve(b)) &&
          a.bestIndex === b.bestIndex &&
          a.stopReason === b.stopReason
        );
      }),
      fcParams(40),
    );
  });

  it('stops a diverging run with the best parameters and a message', () => {
    fc.assert(
      fc.property(
        problem,
        fc.constantFrom(1e5, 1e8, 1e12),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom(0, 0.25),
        (p, lr, seed, validation) => {
          const f = leastSquares(p.X, p.y);
          const o: TrainOptions = { epochs: 20, batch: 4, lr, seed, validation };
          const r = train(f, zeroParams(p.d), o);
          const monitored = r.history.map((h) => (validation > 0 ? h.validationLoss : h.trainLoss));
          const finite = monitored.filter(Number.isFinite);
          return (
            r.stopReason === 'diverged' &&
            /^train: training diverged at epoch \d+: .+ kept the best parameters, from epoch \d+/.test(
              r.message ?? '',
            ) &&
            monitored[r.bestIndex] === Math.min(...finite) &&
            bits(r.params).every(Number.isFinite)
          );
        },
      ),
      fcParams(40),
    );
  });
});
