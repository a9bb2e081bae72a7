/** Objectives' public functions, for the bad-input property. */
import { tensor, type Tensor } from '../../src/tensor/index.js';
import {
  lambdaMax,
  lassoDualityGap,
  lassoGradient,
  lassoObjective,
  lipschitzConstant,
} from '../../src/problems/index.js';
import type { ApiEntry, ArgSpec } from './public-api.js';

const a = tensor([
  [1, 0, 2],
  [0, 1, 1],
]);
const y = tensor([
  [1, 2],
  [0, -1],
]);
const z = tensor([
  [0, 1, 0],
  [0.5, 0, 0],
]);
const aSpec: ArgSpec = { kind: 'tensor', rank: 2, valid: a };
const ySpec: ArgSpec = { kind: 'tensor', rank: 2, valid: y };
const zSpec: ArgSpec = { kind: 'tensor', rank: 2, valid: z };
const lambdaSpec: ArgSpec = { kind: 'number', valid: 0.1, min: 0 };
type Fn = (a: Tensor, y: Tensor, z: Tensor, lambda: number) => unknown;
const withLambda = (fn: string, f: Fn): ApiEntry => ({
  fn,
  call: (...args) => f(...(args as [Tensor, Tensor, Tensor, number])),
  args: [
    { name: 'a', spec: aSpec },
    { name: 'y', spec: ySpec },
    { name: 'z', spec: zSpec },
    { name: 'lambda', spec: lambdaSpec },
  ],
});

export const problemsApi: ApiEntry[] = [
  withLambda('lassoObjective', lassoObjective),
  withLambda('lassoDualityGap', lassoDualityGap),
  {
    fn: 'lassoGradient',
    call: (...args) => lassoGradient(...(args as [Tensor, Tensor, Tensor])),
    args: [
      { name: 'a', spec: aSpec },
      { name: 'y', spec: ySpec },
      { name: 'z', spec: zSpec },
    ],
  },
  {
    fn: 'lambdaMax',
    call: (...args) => lambdaMax(...(args as [Tensor, Tensor])),
    args: [
      { name: 'a', spec: aSpec },
      { name: 'y', spec: ySpec },
    ],
  },
  {
    fn: 'lipschitzConstant',
    call: (m) => lipschitzConstant(m as Tensor),
    args: [{ name: 'a', spec: aSpec }],
  },
];
