/** Solvers' public entry points, for the bad-input property. */
import { tensor, type Tensor } from '../../src/tensor/index.js';
import { checkRunOptions, istaIterations, lassoProblem, omp } from '../../src/solvers/index.js';
import type { ApiEntry, ArgSpec } from './public-api.js';

const a = tensor([
  [1, 0, 2],
  [0, 1, 1],
]);
const y = tensor([
  [1, 2],
  [0, -1],
]);
const aSpec: ArgSpec = { kind: 'tensor', rank: 2, valid: a };
const ySpec: ArgSpec = { kind: 'tensor', rank: 2, valid: y };

export const solversApi: ApiEntry[] = [
  {
    fn: 'lassoProblem',
    call: (A, Y, lambda) => lassoProblem(A as Tensor, Y as Tensor, lambda as number),
    args: [
      { name: 'A', spec: aSpec },
      { name: 'Y', spec: ySpec },
      { name: 'lambda', spec: { kind: 'number', valid: 0.1, min: 0 } },
    ],
  },
  {
    fn: 'omp',
    call: (A, Y, sparsity) => omp(A as Tensor, Y as Tensor, { sparsity: sparsity as number }),
    args: [
      { name: 'A', spec: aSpec },
      { name: 'Y', spec: ySpec },
      { name: 'sparsity', spec: { kind: 'integer', valid: 2, min: 1 } },
    ],
  },
  {
    fn: 'fista',
    call: (maxIter, tol, checkEvery) =>
      checkRunOptions('fista', {
        maxIter: maxIter as number,
        tol: tol as number,
        checkEvery: checkEvery as number,
      }),
    args: [
      { name: 'maxIter', spec: { kind: 'integer', valid: 10, min: 0 } },
      { name: 'tol', spec: { kind: 'number', valid: 1e-8, min: 0 } },
      { name: 'checkEvery', spec: { kind: 'integer', valid: 1, min: 1 } },
    ],
  },
  {
    fn: 'istaIterations',
    call: (iterations) => istaIterations(lassoProblem(a, y, 0.1), iterations as number),
    args: [{ name: 'iterations', spec: { kind: 'integer', valid: 3, min: 0 } }],
  },
];
