/** Linear operators' constructors and apply/adjoint, for the bad-input property. */
import { tensor, type Tensor } from '../../src/tensor/index.js';
import {
  convolution1d,
  convolution2d,
  dct2Operator,
  diagonalOperator,
  differences1d,
  differences2d,
  identityOperator,
  matrixOperator,
  scaleOperator,
} from '../../src/operators/index.js';
import type { ApiEntry, ArgSpec } from './public-api.js';

const size = (valid: number): ArgSpec => ({ kind: 'integer', valid, min: 1 });
const a = tensor([
  [1, 0, 2],
  [0, 1, 1],
]);
const op = matrixOperator(a);

export const operatorsApi: ApiEntry[] = [
  {
    fn: 'matrixOperator',
    call: (m) => matrixOperator(m as Tensor),
    args: [{ name: 'a', spec: { kind: 'tensor', rank: 2, valid: a } }],
  },
  {
    fn: 'matrixOperator.apply',
    call: (v) => op.apply(v as Tensor),
    args: [{ name: 'x', spec: { kind: 'tensor', rank: [1, 2], valid: tensor([1, 2, 3]) } }],
  },
  {
    fn: 'matrixOperator.adjoint',
    call: (v) => op.adjoint(v as Tensor),
    args: [{ name: 'y', spec: { kind: 'tensor', rank: [1, 2], valid: tensor([1, 2]) } }],
  },
  {
    fn: 'identityOperator',
    call: (n) => identityOperator(n as number),
    args: [{ name: 'n', spec: size(3) }],
  },
  {
    fn: 'diagonalOperator',
    call: (d) => diagonalOperator(d as Tensor),
    args: [{ name: 'd', spec: { kind: 'tensor', rank: 1, valid: tensor([1, 2]) } }],
  },
  {
    fn: 'convolution1d',
    call: (k, n) => convolution1d(k as Tensor, n as number, 'zero'),
    args: [
      { name: 'kernel', spec: { kind: 'tensor', rank: 1, valid: tensor([1, 2, 1]) } },
      { name: 'n', spec: size(8) },
    ],
  },
  {
    fn: 'convolution2d',
    call: (k, h, w) => convolution2d(k as Tensor, h as number, w as number, 'circular'),
    args: [
      {
        name: 'kernel',
        spec: {
          kind: 'tensor',
          rank: 2,
          valid: tensor([
            [0, 1],
            [1, 0],
          ]),
        },
      },
      { name: 'height', spec: size(4) },
      { name: 'width', spec: size(5) },
    ],
  },
  { fn: 'differences1d', call: (n) => differences1d(n as number), args: [{ name: 'n', spec: size(5) }] },
  {
    fn: 'differences2d',
    call: (h, w) => differences2d(h as number, w as number),
    args: [
      { name: 'height', spec: size(3) },
      { name: 'width', spec: size(4) },
    ],
  },
  {
    fn: 'dct2Operator',
    call: (h, w) => dct2Operator(h as number, w as number),
    args: [
      { name: 'patchHeight', spec: size(4) },
      { name: 'patchWidth', spec: size(4) },
    ],
  },
  {
    fn: 'scaleOperator',
    call: (c) => scaleOperator(op, c as number),
    args: [{ name: 'c', spec: { kind: 'number', valid: 2 } }],
  },
];
