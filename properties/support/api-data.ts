/** Synthetic data and metrics (src/data, src/metrics) for the bad-input property. */
import { tensor, type Tensor } from '../../src/tensor/index.js';
import { averagePatches, extractPatches, syntheticProblem } from '../../src/data/index.js';
import { nmseDb, psnr, suboptimality } from '../../src/metrics/index.js';
import type { ApiEntry, ArgSpec } from './public-api.js';

const arg = (name: string, spec: ArgSpec): { name: string; spec: ArgSpec } => ({ name, spec });
const m23 = tensor([
  [1, 2, 3],
  [4, 5, 6],
]);
const v3 = tensor([1, -2, 3]);
const image33 = tensor([
  [1, 2, 3],
  [4, 5, 6],
  [7, 8, 9],
]);
const patches33 = tensor([
  [1, 2, 4, 5],
  [2, 3, 5, 6],
  [4, 5, 7, 8],
  [5, 6, 8, 9],
]);

export const dataApi: ApiEntry[] = [
  {
    fn: 'syntheticProblem',
    // The options object spread into positional arguments, one checked field each.
    call: (n, m, samples, density, seed, noiseSnrDb) =>
      syntheticProblem({ n, m, samples, density, seed, noiseSnrDb } as never),
    args: [
      arg('n', { kind: 'integer', valid: 3, min: 1 }),
      arg('m', { kind: 'integer', valid: 4, min: 1 }),
      arg('samples', { kind: 'integer', valid: 2, min: 1 }),
      arg('density', { kind: 'number', valid: 0.5, min: 0, max: 1 }),
      arg('seed', { kind: 'seed', valid: 1 }),
      arg('noiseSnrDb', { kind: 'number', valid: 20 }),
    ],
  },
  {
    fn: 'nmseDb',
    call: (Z, Ztrue) => nmseDb(Z as Tensor, Ztrue as Tensor),
    // Z may have any rank; Ztrue must then have Z's shape.
    args: [arg('Z', { kind: 'tensor', valid: m23 }), arg('Ztrue', { kind: 'tensor', rank: 2, valid: m23 })],
  },
  {
    fn: 'suboptimality',
    call: (F, Fstar) => suboptimality(F as Tensor, Fstar as Tensor),
    args: [
      arg('F', { kind: 'tensor', rank: 1, valid: v3 }),
      arg('Fstar', { kind: 'tensor', rank: 1, valid: v3 }),
    ],
  },
  {
    fn: 'psnr',
    call: (x, clean, peak) => psnr(x as Tensor, clean as Tensor, peak as number),
    args: [
      arg('x', { kind: 'tensor', valid: m23 }),
      arg('clean', { kind: 'tensor', rank: 2, valid: m23 }),
      arg('peak', { kind: 'number', valid: 255, min: 0, exclusiveMin: true }),
    ],
  },
  {
    fn: 'extractPatches',
    call: (image, patch, stride) => extractPatches(image as Tensor, patch as number, stride as number),
    args: [
      arg('image', { kind: 'tensor', rank: 2, valid: image33 }),
      arg('patch', { kind: 'integer', valid: 2, min: 1 }),
      arg('stride', { kind: 'integer', valid: 1, min: 1 }),
    ],
  },
  {
    fn: 'averagePatches',
    call: (patches, H, W, patch, stride) =>
      averagePatches(patches as Tensor, H as number, W as number, patch as number, stride as number),
    args: [
      arg('patches', { kind: 'tensor', rank: 2, valid: patches33 }),
      arg('H', { kind: 'integer', valid: 3, min: 1 }),
      arg('W', { kind: 'integer', valid: 3, min: 1 }),
      arg('patch', { kind: 'integer', valid: 2, min: 1 }),
      arg('stride', { kind: 'integer', valid: 1, min: 1 }),
    ],
  },
];
