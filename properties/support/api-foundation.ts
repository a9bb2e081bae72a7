/** The foundation's public functions (tensors, linear algebra, the CPU backend, randomness, files) for the bad-input property. */
import { cpuBackend } from '../../src/backend/index.js';
import {
  tensor,
  eye,
  arange,
  fromArray,
  reshape,
  rows,
  row,
  mean,
  zeros,
  type Tensor,
} from '../../src/tensor/index.js';
import {
  cholesky,
  choleskySolve,
  dot,
  eigSym,
  gram,
  matmul,
  matmulNT,
  matmulTN,
  matvec,
  matvecT,
  norm1,
  norm2,
  normInf,
  rowNorms2,
  sparseRowsTimes,
  sparseRowsTimesT,
  spectralNorm,
  svd,
  topSingularPair,
} from '../../src/linalg/index.js';
import { bernoulliGaussian, gaussianMatrix, normal, permutation, uniform } from '../../src/random/index.js';
import { encodeNpy } from '../../src/io/index.js';
import type { ApiEntry, ArgSpec } from './public-api.js';

const m23 = tensor([
  [1, 2, 3],
  [4, 5, 6],
]);
const m32 = tensor([
  [1, 2],
  [3, 4],
  [5, 6],
]);
const spd = tensor([
  [4, 2],
  [2, 3],
]);
const v3 = tensor([1, -2, 3]);
const anyTensor: ArgSpec = { kind: 'tensor', valid: m23, finite: false };
const finiteTensor = (valid: Tensor): ArgSpec => ({ kind: 'tensor', valid });
const mat = (valid = m23): ArgSpec => ({ kind: 'tensor', rank: 2, valid });
const vec = (valid = v3): ArgSpec => ({ kind: 'tensor', rank: 1, valid });
const arg = (name: string, spec: ArgSpec): { name: string; spec: ArgSpec } => ({ name, spec });
const call = (f: (...a: never[]) => unknown) => f as (...args: unknown[]) => unknown;

export const foundationApi: ApiEntry[] = [
  { fn: 'zeros', call: call(zeros), args: [arg('shape', { kind: 'shape', valid: [2, 3] })] },
  { fn: 'eye', call: call(eye), args: [arg('n', { kind: 'integer', valid: 3, min: 0 })] },
  { fn: 'arange', call: call(arange), args: [arg('n', { kind: 'integer', valid: 3, min: 0 })] },
  {
    fn: 'fromArray',
    call: (shape) => fromArray([1, 2, 3], shape as number[]),
    args: [arg('shape', { kind: 'shape', valid: [3] })],
  },
  { fn: 'reshape', call: (t) => reshape(t as Tensor, [-1]), args: [arg('t', anyTensor)] },
  {
    fn: 'rows',
    call: call(rows),
    args: [arg('t', anyTensor), arg('start', { kind: 'integer', valid: 0, min: 0 })],
  },
  {
    fn: 'row',
    call: call(row),
    args: [
      arg('t', { kind: 'tensor', rank: [2, 3], valid: m23, finite: false }),
      arg('i', { kind: 'integer', valid: 1, min: 0 }),
    ],
  },
  { fn: 'mean', call: call(mean), args: [arg('t', anyTensor)] },
  { fn: 'matmul', call: call(matmul), args: [arg('a', mat()), arg('b', mat(m32))] },
  { fn: 'matmulNT', call: call(matmulNT), args: [arg('a', mat()), arg('b', mat())] },
  { fn: 'matmulTN', call: call(matmulTN), args: [arg('a', mat()), arg('b', mat())] },
  { fn: 'gram', call: call(gram), args: [arg('a', mat())] },
  { fn: 'matvec', call: call(matvec), args: [arg('a', mat()), arg('x', vec())] },
  { fn: 'matvecT', call: call(matvecT), args: [arg('a', mat()), arg('x', vec(tensor([1, 2])))] },
  { fn: 'sparseRowsTimes', call: call(sparseRowsTimes), args: [arg('z', mat()), arg('w', mat(m32))] },
  { fn: 'sparseRowsTimesT', call: call(sparseRowsTimesT), args: [arg('z', mat()), arg('w', mat())] },
  { fn: 'norm2', call: call(norm2), args: [arg('x', finiteTensor(v3))] },
  { fn: 'norm1', call: call(norm1), args: [arg('x', finiteTensor(v3))] },
  { fn: 'normInf', call: call(normInf), args: [arg('x', finiteTensor(v3))] },
  { fn: 'dot', call: call(dot), args: [arg('a', finiteTensor(v3)), arg('b', finiteTensor(v3))] },
  { fn: 'rowNorms2', call: call(rowNorms2), args: [arg('x', mat())] },
  {
    fn: 'spectralNorm',
    call: (a, tol, maxIter) => spectralNorm(a as never, { tol: tol as number, maxIter: maxIter as number }),
    args: [
      arg('a', mat()),
      arg('tol', { kind: 'number', valid: 1e-10, min: 0 }),
      arg('maxIter', { kind: 'integer', valid: 100, min: 1 }),
    ],
  },
  { fn: 'topSingularPair', call: call(topSingularPair), args: [arg('a', mat())] },
  { fn: 'cholesky', call: call(cholesky), args: [arg('a', mat(spd))] },
  {
    fn: 'choleskySolve',
    call: call(choleskySolve),
    args: [
      arg(
        'l',
        mat(
          tensor([
            [2, 0],
            [1, 1],
          ]),
        ),
      ),
      arg('b', { kind: 'tensor', rank: [1, 2], valid: tensor([1, 2]) }),
    ],
  },
  {
    fn: 'eigSym',
    call: (a, tol) => eigSym(a as never, { tol: tol as number }),
    args: [arg('a', mat(spd)), arg('tol', { kind: 'number', valid: 1e-14, min: 0 })],
  },
  { fn: 'svd', call: call(svd), args: [arg('a', mat())] },
  {
    fn: 'uniform',
    call: call(uniform),
    args: [arg('seed', { kind: 'seed', valid: 1 }), arg('shape', { kind: 'shape', valid: [2, 2] })],
  },
  {
    fn: 'normal',
    call: call(normal),
    args: [
      arg('seed', { kind: 'seed', valid: 1 }),
      arg('shape', { kind: 'shape', valid: [2, 2] }),
      arg('mean', { kind: 'number', valid: 0 }),
      arg('std', { kind: 'number', valid: 1, min: 0 }),
    ],
  },
  {
    fn: 'bernoulliGaussian',
    call: call(bernoulliGaussian),
    args: [
      arg('seed', { kind: 'seed', valid: 1 }),
      arg('shape', { kind: 'shape', valid: [2, 5] }),
      arg('p', { kind: 'number', valid: 0.3, min: 0, max: 1 }),
      arg('std', { kind: 'number', valid: 1, min: 0 }),
    ],
  },
  {
    fn: 'gaussianMatrix',
    call: call(gaussianMatrix),
    args: [
      arg('seed', { kind: 'seed', valid: 1 }),
      arg('rows', { kind: 'integer', valid: 3, min: 1 }),
      arg('cols', { kind: 'integer', valid: 4, min: 1 }),
    ],
  },
  {
    fn: 'permutation',
    call: call(permutation),
    args: [arg('seed', { kind: 'seed', valid: 1 }), arg('n', { kind: 'integer', valid: 5, min: 0 })],
  },
  {
    fn: 'encodeNpy',
    call: call(encodeNpy),
    args: [arg('t', anyTensor)],
  },
  // The CPU backend's kernels: the tensor it uploads and the numbers of its kernels.
  {
    fn: 'cpuBackend.upload',
    call: (x) => cpuBackend.upload(x as Tensor),
    args: [{ name: 'x', spec: { kind: 'tensor', rank: [1, 2], valid: tensor([[1, 2]]), finite: false } }],
  },
  {
    fn: 'cpuBackend.combine',
    call: (a, b) => {
      const x = cpuBackend.upload(tensor([[1, 2]]));
      return cpuBackend.combine(a as number, x, b as number, x);
    },
    args: [
      { name: 'a', spec: { kind: 'number', valid: 1 } },
      { name: 'b', spec: { kind: 'number', valid: -1 } },
    ],
  },
  {
    fn: 'cpuBackend.shrinkAffine',
    call: (beta, scale) => {
      const x = cpuBackend.upload(tensor([[1, 2]]));
      const w = cpuBackend.upload(tensor([[1], [0.5]]));
      return cpuBackend.shrinkAffine(null, beta as number, x, w, false, { scale: scale as number });
    },
    args: [
      { name: 'beta', spec: { kind: 'number', valid: 0.5 } },
      { name: 'theta.scale', spec: { kind: 'number', valid: 0.1, min: 0 } },
    ],
  },
];
