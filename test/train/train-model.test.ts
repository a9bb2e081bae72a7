/**
 * Training unrolled models (src/train/train-model.ts): SLISTA and LISTA trained from their ISTA
 * initialisation lower the unsupervised loss below ISTA's; layer-wise training runs one stage per
 * depth; bad input.
 */
import { describe, expect, it } from 'vitest';
import { bernoulliGaussian, gaussianMatrix } from '../../src/random/index.js';
import { matmul } from '../../src/linalg/index.js';
import { transpose, type Tensor } from '../../src/tensor/index.js';
import { createModel, truncateModel } from '../../src/unrolled/model.js';
import { networkObjective } from '../../src/train/network-objective.js';
import { trainModel } from '../../src/train/index.js';
import type { Model } from '../../src/unrolled/model-types.js';

const A = gaussianMatrix(1, 10, 20);
const Z = bernoulliGaussian(2, [200, 20], 0.15);
const Y = matmul(Z, transpose(A)); // Y = Z A^T, one signal per row

/** The mean unsupervised loss of a model over all signals. */
function loss(model: Model, signals: Tensor = Y): number {
  const rows = Int32Array.from({ length: signals.shape[0] }, (_, i) => i);
  return networkObjective(model, signals).evaluate(model.params, rows, false).value;
}

describe('trainModel', () => {
  it('training SLISTA lowers the unsupervised loss below ISTA (its initialisation)', () => {
    for (const depth of [3, 5]) {
      const model = createModel('slista', A, { depth, lambda: 0.1 });
      const ista = loss(model);
      const {
        model: trained,
        result,
        stages,
      } = trainModel(model, Y, {
        epochs: 30,
        batch: 50,
        lr: 0.01,
        validation: 0.2,
        seed: 3,
      });
      expect(stages).toEqual([result]);
      expect(result.history.every((h) => h.stage === depth)).toBe(true);
      expect(result.bestIndex).toBeGreaterThan(0);
      expect(result.history[result.bestIndex].validationLoss).toBeLessThan(
        0.9 * result.history[0].validationLoss,
      );
      expect(loss(trained)).toBeLessThan(0.9 * ista);
      expect(trained.spec).toEqual(model.spec);
      // SLISTA's steps grow above ISTA's 1/L (Ablin et al. 2019).
      expect(trained.params['layers.0.alpha'].data[0]).toBeGreaterThan(
        model.params['layers.0.alpha'].data[0],
      );
    }
  });

  it('trains LISTA with full-batch backtracking GD, never above its start', () => {
    const model = createModel('lista', A, { depth: 3, lambda: 0.1 });
    const { model: trained, result } = trainModel(model, Y, { optimizer: 'gd', epochs: 15 });
    for (let e = 1; e < result.history.length; e++)
      expect(result.history[e].trainLoss).toBeLessThanOrEqual(result.history[e - 1].trainLoss);
    expect(loss(trained)).toBeLessThan(0.95 * loss(model));
  });

  it('layer-wise training runs one stage per depth, each from the previous one', () => {
    const model = createModel('slista', A, { depth: 3, lambda: 0.1 });
    const depths: number[] = [];
    const {
      model: trained,
      stages,
      result,
    } = trainModel(model, Y, {
      layerwise: true,
      epochs: 5,
      batch: 100,
      lr: 0.01,
      onEpoch: (r) => void depths.push(r.stage),
    });
    expect(stages.length).toBe(3);
    expect(result).toBe(stages[2]);
    expect(depths).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
    stages.forEach((s, d) => {
      expect(Object.keys(s.params).length).toBe(d + 1);
      expect(s.history.every((h) => h.stage === d + 1)).toBe(true);
    });
    // Stage 2 starts from stage 1's result: its epoch 0 is the trained first layer plus an ISTA layer.
    const afterStage1 = truncateModel(trained, 1);
    expect(afterStage1.params['layers.0.alpha']).not.toBe(undefined);
    expect(stages[1].history[0].trainLoss).toBeLessThan(loss(truncateModel(model, 2)));
    expect(trained.spec.depth).toBe(3);
    expect(loss(trained)).toBeLessThan(loss(model));
  });

  it('onEpoch returning false ends layer-wise training; untrained layers keep the model values', () => {
    const model = createModel('slista', A, { depth: 3, lambda: 0.1 });
    const { model: trained, stages } = trainModel(model, Y, {
      layerwise: true,
      epochs: 5,
      onEpoch: (r) => r.epoch < 2,
    });
    expect(stages.length).toBe(1);
    expect(stages[0].stopReason).toBe('stopped');
    expect(trained.spec.depth).toBe(3);
    expect(trained.params['layers.2.alpha']).toBe(model.params['layers.2.alpha']);
    expect(trained.params['layers.0.alpha']).toBe(stages[0].params['layers.0.alpha']);
  });

  it('rejects bad input with the template message', () => {
    const model = createModel('slista', A, { depth: 2, lambda: 0.1 });
    expect(() => trainModel(model, Z)).toThrow(
      new RangeError(
        "trainModel: argument 'Y' must be a tensor of shape [*, 10]. Got a tensor of shape [200, 20].",
      ),
    );
    expect(() => trainModel({} as Model, Y)).toThrow(TypeError);
    expect(() => trainModel(model, Y, { epochs: 0 })).toThrow(
      new RangeError("trainModel: argument 'epochs' must be an integer >= 1. Got 0."),
    );
    expect(() => trainModel(model, Y, { layerwise: 1 as unknown as boolean })).toThrow(
      new TypeError("trainModel: argument 'layerwise' must be a boolean. Got 1."),
    );
    expect(() => trainModel(model, Y, { layerwise: true, layerWeights: [1, 1] })).toThrow(RangeError);
  });
});
