/** Dictionary learning's public entry points (src/dictionary), for the bad-input property. */
import {
  fixedPointStudy,
  gradientErrorByDepth,
  learnDictionaryDdl,
  unrolledDictionaryGradient,
} from '../../src/dictionary/index.js';
import { tensor, type Tensor } from '../../src/tensor/index.js';
import type { ApiEntry, ArgSpec } from './public-api.js';

export const dictionaryApi: ApiEntry[] = [];

// Unrolled dictionary learning (ddl.ts, unrolled-gradient.ts) and its studies (gradient-study.ts,
// fixed-point.ts).
const ddlD = tensor([
  [1, 0, 0.5],
  [0, 1, -0.5],
]);
const ddlY = tensor([
  [1, 0],
  [0.5, -1],
  [0, 2],
]);
const ddlDSpec: ArgSpec = { kind: 'tensor', rank: 2, valid: ddlD };
const ddlYSpec: ArgSpec = { kind: 'tensor', rank: 2, valid: ddlY };

dictionaryApi.push(
  {
    fn: 'unrolledDictionaryGradient',
    call: (D, Y, lambda, depth) =>
      unrolledDictionaryGradient(D as Tensor, Y as Tensor, lambda as number, depth as number),
    args: [
      { name: 'D', spec: ddlDSpec },
      { name: 'Y', spec: ddlYSpec },
      { name: 'lambda', spec: { kind: 'number', valid: 0.1, min: 0 } },
      { name: 'depth', spec: { kind: 'integer', valid: 2, min: 1 } },
    ],
  },
  {
    fn: 'learnDictionaryDdl',
    call: (Y, lambda, depth, lr) =>
      learnDictionaryDdl(Y as Tensor, {
        atoms: 2,
        lambda: lambda as number,
        depth: depth as number,
        lr: lr as number,
        iterations: 1,
      }),
    args: [
      { name: 'Y', spec: ddlYSpec },
      { name: 'lambda', spec: { kind: 'number', valid: 0.1, min: 0 } },
      { name: 'depth', spec: { kind: 'integer', valid: 2, min: 1 } },
      { name: 'lr', spec: { kind: 'number', valid: 1, min: 0, exclusiveMin: true } },
    ],
  },
  {
    fn: 'gradientErrorByDepth',
    call: (D, Y, lambda) => gradientErrorByDepth(D as Tensor, Y as Tensor, lambda as number, [1, 2]),
    args: [
      { name: 'D', spec: ddlDSpec },
      { name: 'Y', spec: ddlYSpec },
      { name: 'lambda', spec: { kind: 'number', valid: 0.1, min: 0, exclusiveMin: true } },
    ],
  },
  {
    fn: 'fixedPointStudy',
    call: (D, Y, lambda, iterations) =>
      fixedPointStudy(D as Tensor, Y as Tensor, lambda as number, iterations as number),
    args: [
      { name: 'D', spec: ddlDSpec },
      { name: 'Y', spec: ddlYSpec },
      { name: 'lambda', spec: { kind: 'number', valid: 0.1, min: 0 } },
      { name: 'iterations', spec: { kind: 'integer', valid: 3, min: 1 } },
    ],
  },
);
