/** Unrolled models' public entry points (src/unrolled/model.ts, model-file.ts; networkObjective), for the bad-input property. */
import { tensor, type Tensor } from '../../src/tensor/index.js';
import { networkObjective } from '../../src/train/index.js';
import {
  applyModel,
  createModel,
  decodeModel,
  encodeModel,
  extendModel,
  modelLambda,
  normalizeSignals,
  operatorChecksum,
  truncateModel,
} from '../../src/unrolled/index.js';
import type { ApiEntry, ArgSpec } from './public-api.js';

const A = tensor([
  [1, 0, 0.5],
  [0, 1, -0.5],
]);
const Y = tensor([
  [1, 0],
  [0.5, -1],
  [0, 2],
]);
const model = createModel('lista-cp', A, { depth: 2, lambda: 0.1, lambdaMode: 'ratio' });
const bytes = encodeModel(model);
const aSpec: ArgSpec = { kind: 'tensor', rank: 2, valid: A };
const ySpec: ArgSpec = { kind: 'tensor', rank: 2, valid: Y };

export const unrolledApi: ApiEntry[] = [
  {
    fn: 'createModel',
    call: (A, depth, lambda, supportSelection, L) =>
      createModel('lista-cp', A as Tensor, {
        depth: depth as number,
        lambda: lambda as number,
        supportSelection: supportSelection as number,
        L: L as number,
      }),
    args: [
      { name: 'A', spec: aSpec },
      { name: 'depth', spec: { kind: 'integer', valid: 3, min: 1 } },
      { name: 'lambda', spec: { kind: 'number', valid: 0.1, min: 0 } },
      { name: 'supportSelection', spec: { kind: 'number', valid: 20, min: 0, max: 100 } },
      { name: 'L', spec: { kind: 'number', valid: 2, min: 0, exclusiveMin: true } },
    ],
  },
  {
    fn: 'applyModel',
    call: (Y) => applyModel(model, Y as Tensor),
    args: [{ name: 'Y', spec: ySpec }],
  },
  {
    fn: 'normalizeSignals',
    call: (Y) => normalizeSignals(model, Y as Tensor),
    args: [{ name: 'Y', spec: ySpec }],
  },
  {
    fn: 'modelLambda',
    call: (Y) => modelLambda(model, Y as Tensor),
    args: [{ name: 'Y', spec: ySpec }],
  },
  {
    fn: 'truncateModel',
    call: (depth) => truncateModel(model, depth as number),
    args: [{ name: 'depth', spec: { kind: 'integer', valid: 1, min: 1 } }],
  },
  {
    fn: 'extendModel',
    call: (depth, L) => extendModel(model, depth as number, { L: L as number }),
    args: [
      { name: 'depth', spec: { kind: 'integer', valid: 4, min: 2 } },
      { name: 'L', spec: { kind: 'number', valid: 3, min: 0, exclusiveMin: true } },
    ],
  },
  {
    fn: 'operatorChecksum',
    call: (A) => operatorChecksum(A as Tensor),
    args: [{ name: 'A', spec: aSpec }],
  },
  {
    fn: 'decodeModel',
    call: (A) => decodeModel(bytes, A as Tensor),
    args: [{ name: 'A', spec: aSpec }],
  },
  {
    fn: 'networkObjective',
    call: (Y, targets) =>
      networkObjective(model, Y as Tensor, { loss: 'supervised', targets: targets as Tensor }),
    args: [
      { name: 'Y', spec: ySpec },
      {
        name: 'options.targets',
        spec: {
          kind: 'tensor',
          rank: 2,
          valid: tensor([
            [1, 0, 0],
            [0, 1, 0],
            [0, 0, 1],
          ]),
        },
      },
    ],
  },
];
