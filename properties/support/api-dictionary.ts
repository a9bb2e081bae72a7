/** Dictionary learning's public entry points (src/dictionary), for the bad-input property. */
import {
  dictionaryGradient,
  dictionaryObjective,
  initialDictionary,
  learnDictionaryAm,
  learnDictionaryKsvd,
  projectAtoms,
  recoveryScore,
  fixedPointStudy,
  gradientErrorByDepth,
  learnDictionaryDdl,
  unrolledDictionaryGradient,
  denoiseImage,
} from '../../src/dictionary/index.js';
import { hungarian } from '../../src/linalg/index.js';
import { tensor, type Tensor } from '../../src/tensor/index.js';
import type { ApiEntry, ArgSpec } from './public-api.js';

// Initialisation, objective, recovery score, AM and K-SVD (init.ts, objective.ts,
// recovery-score.ts, am.ts, ksvd.ts) and the Hungarian algorithm (linalg/hungarian.ts).
const amY = tensor([
  [1, 0, 2],
  [0.5, -1, 0],
  [0, 2, 1],
  [1, 1, -1],
]);
const amD = tensor([
  [1, 0],
  [0, 1],
  [0.5, -0.5],
]);
const amZ = tensor([
  [1, 0],
  [0, -1],
  [0.5, 0],
  [0, 0],
]);
const amYSpec: ArgSpec = { kind: 'tensor', rank: 2, valid: amY };
const amDSpec: ArgSpec = { kind: 'tensor', rank: 2, valid: amD };
const atomsSpec: ArgSpec = { kind: 'integer', valid: 2, min: 1 };
const itSpec: ArgSpec = { kind: 'integer', valid: 1, min: 0 };

export const dictionaryApi: ApiEntry[] = [
  {
    fn: 'initialDictionary',
    call: (Y, atoms, seed) => initialDictionary(Y as Tensor, atoms as number, 'random', seed as number),
    args: [
      { name: 'Y', spec: amYSpec },
      { name: 'atoms', spec: atomsSpec },
      { name: 'seed', spec: { kind: 'seed', valid: 1 } },
    ],
  },
  { fn: 'projectAtoms', call: (D) => projectAtoms(D as Tensor), args: [{ name: 'D', spec: amDSpec }] },
  {
    fn: 'dictionaryObjective',
    call: (D, Y, Z, lambda) => dictionaryObjective(D as Tensor, Y as Tensor, Z as Tensor, lambda as number),
    args: [
      { name: 'D', spec: amDSpec },
      { name: 'Y', spec: amYSpec },
      { name: 'Z', spec: { kind: 'tensor', rank: 2, valid: amZ } },
      { name: 'lambda', spec: { kind: 'number', valid: 0.1, min: 0 } },
    ],
  },
  {
    fn: 'dictionaryGradient',
    call: (D, Y, Z) => dictionaryGradient(D as Tensor, Y as Tensor, Z as Tensor),
    args: [
      { name: 'D', spec: amDSpec },
      { name: 'Y', spec: amYSpec },
      { name: 'Z', spec: { kind: 'tensor', rank: 2, valid: amZ } },
    ],
  },
  {
    fn: 'recoveryScore',
    call: (D, Dtrue) => recoveryScore(D as Tensor, Dtrue as Tensor),
    args: [
      { name: 'D', spec: amDSpec },
      { name: 'Dtrue', spec: amDSpec },
    ],
  },
  {
    fn: 'hungarian',
    call: (rows, cols) => hungarian(new Float64Array(6), rows as number, cols as number),
    args: [
      { name: 'rows', spec: { kind: 'integer', valid: 2, min: 0 } },
      { name: 'cols', spec: { kind: 'integer', valid: 3, min: 2 } },
    ],
  },
  {
    fn: 'learnDictionaryAm',
    call: (Y, atoms, lambda, iterations, codingTol, codingMaxIter, updateSteps, seed, trueDictionary) =>
      learnDictionaryAm(Y as Tensor, {
        atoms: atoms as number,
        lambda: lambda as number,
        iterations: iterations as number,
        codingTol: codingTol as number,
        codingMaxIter: codingMaxIter as number,
        updateSteps: updateSteps as number,
        seed: seed as number,
        trueDictionary: trueDictionary as Tensor,
      }),
    args: [
      { name: 'Y', spec: amYSpec },
      { name: 'atoms', spec: atomsSpec },
      { name: 'lambda', spec: { kind: 'number', valid: 0.1, min: 0 } },
      { name: 'iterations', spec: itSpec },
      { name: 'codingTol', spec: { kind: 'number', valid: 1e-6, min: 0 } },
      { name: 'codingMaxIter', spec: { kind: 'integer', valid: 10, min: 1 } },
      { name: 'updateSteps', spec: { kind: 'integer', valid: 1, min: 1 } },
      { name: 'seed', spec: { kind: 'seed', valid: 1 } },
      { name: 'trueDictionary', spec: amDSpec },
    ],
  },
  {
    fn: 'learnDictionaryKsvd',
    call: (Y, atoms, sparsity, iterations, tol, seed, trueDictionary) =>
      learnDictionaryKsvd(Y as Tensor, {
        atoms: atoms as number,
        sparsity: sparsity as number,
        iterations: iterations as number,
        tol: tol as number,
        seed: seed as number,
        trueDictionary: trueDictionary as Tensor,
      }),
    args: [
      { name: 'Y', spec: amYSpec },
      { name: 'atoms', spec: atomsSpec },
      { name: 'sparsity', spec: { kind: 'integer', valid: 1, min: 1 } },
      { name: 'iterations', spec: itSpec },
      { name: 'tol', spec: { kind: 'number', valid: 0.01, min: 0 } },
      { name: 'seed', spec: { kind: 'seed', valid: 1 } },
      { name: 'trueDictionary', spec: amDSpec },
    ],
  },
];

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

// Denoising (denoise.ts): the options spread into positional arguments, one checked field each;
// the DCT method, so that the valid call learns nothing and stays fast.
const denoiseNoisy = tensor(
  Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, j) => (i * 5 + j) / 25)),
);

dictionaryApi.push({
  fn: 'denoiseImage',
  call: (noisy, sigma, patch, atoms, sparsity, lambda, iterations, trainPatches, seed) =>
    denoiseImage(
      noisy as Tensor,
      {
        method: 'dct',
        sigma,
        patch,
        atoms,
        sparsity,
        lambda,
        iterations,
        trainPatches,
        seed,
      } as never,
    ),
  args: [
    { name: 'noisy', spec: { kind: 'tensor', rank: 2, valid: denoiseNoisy } },
    { name: 'sigma', spec: { kind: 'number', valid: 0.1, min: 0, exclusiveMin: true } },
    { name: 'patch', spec: { kind: 'integer', valid: 2, min: 1 } },
    { name: 'atoms', spec: { kind: 'integer', valid: 4, min: 1 } },
    { name: 'sparsity', spec: { kind: 'integer', valid: 2, min: 1 } },
    { name: 'lambda', spec: { kind: 'number', valid: 0.2, min: 0 } },
    { name: 'iterations', spec: itSpec },
    { name: 'trainPatches', spec: { kind: 'integer', valid: 10, min: 1 } },
    { name: 'seed', spec: { kind: 'seed', valid: 1 } },
  ],
});
