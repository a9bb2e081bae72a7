/** Training's public entry points (src/train), for the bad-input property. */
import { tensor, type Tensor } from '../../src/tensor/index.js';
import { splitRows, train, trainModel } from '../../src/train/index.js';
import { createModel } from '../../src/unrolled/index.js';
import { leastSquares, zeroParams } from './least-squares.js';
import type { ApiEntry } from './public-api.js';

const objective = leastSquares(
  tensor([
    [1, 0],
    [0, 1],
    [1, 1],
    [2, -1],
  ]),
  tensor([1, 2, 3, 0]),
);

const A = tensor([
  [1, 0, 0.5],
  [0, 1, -0.5],
]);
const model = createModel('slista', A, { depth: 2, lambda: 0.1 });
const Y = tensor([
  [1, 0],
  [0.5, -1],
  [0, 2],
]);

export const trainApi: ApiEntry[] = [
  {
    fn: 'train',
    call: (epochs, batch, lr, validation, seed, patience, divergenceFactor, stage) =>
      train(objective, zeroParams(2), {
        epochs: epochs as number,
        batch: batch as number,
        lr: lr as number,
        validation: validation as number,
        seed: seed as number,
        patience: patience as number,
        divergenceFactor: divergenceFactor as number,
        stage: stage as number,
      }),
    args: [
      { name: 'epochs', spec: { kind: 'integer', valid: 2, min: 1 } },
      { name: 'batch', spec: { kind: 'integer', valid: 2, min: 0 } },
      { name: 'lr', spec: { kind: 'number', valid: 0.01, min: 0, exclusiveMin: true } },
      { name: 'validation', spec: { kind: 'number', valid: 0.25, min: 0, max: 1 } },
      { name: 'seed', spec: { kind: 'seed', valid: 1 } },
      { name: 'patience', spec: { kind: 'integer', valid: 3, min: 1 } },
      { name: 'divergenceFactor', spec: { kind: 'number', valid: 100, min: 1, exclusiveMin: true } },
      { name: 'stage', spec: { kind: 'integer', valid: 1, min: 1 } },
    ],
  },
  {
    fn: 'splitRows',
    call: (samples, validation, seed) => splitRows(samples as number, validation as number, seed as number),
    args: [
      { name: 'samples', spec: { kind: 'integer', valid: 10, min: 1 } },
      { name: 'validation', spec: { kind: 'number', valid: 0.2, min: 0, max: 1 } },
      { name: 'seed', spec: { kind: 'seed', valid: 3 } },
    ],
  },

  {
    fn: 'trainModel',
    call: (signals, epochs, lr) =>
      trainModel(model, signals as Tensor, { epochs: epochs as number, lr: lr as number }),
    args: [
      { name: 'Y', spec: { kind: 'tensor', rank: 2, valid: Y } },
      { name: 'epochs', spec: { kind: 'integer', valid: 1, min: 1 } },
      { name: 'lr', spec: { kind: 'number', valid: 0.01, min: 0, exclusiveMin: true } },
    ],
  },
];
