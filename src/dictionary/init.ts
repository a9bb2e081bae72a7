/**
 * Initial dictionaries and the constraint set of dictionary learning: every atom (column) in the
 * unit l2 ball (Mairal et al. 2010), or on the unit sphere for K-SVD.
 *
 * - 'random': K distinct training signals drawn with the seed, normalised (the usual start of
 *   K-SVD and of scikit-learn's dictionary learning with random init). Zero signals, and the atoms
 *   beyond N when K > N, are replaced by Gaussian atoms drawn from the same generator.
 * - 'dct': the overcomplete 2-D DCT dictionary (operators/dct-dictionary) for square patches: n
 *   must be p^2 and K a perfect square k^2 with k >= p (e.g. 8 x 8 patches, 256 atoms).
 * - a given dictionary (n, K): projected onto the constraint set (atoms in the unit ball).
 *
 * @module
 */
import { dctDictionary } from '../operators/dct-dictionary.js';
import { Rng, toRng } from '../random/rng.js';
import { unsafeData, wrap, Tensor } from '../tensor/tensor.js';
import { checkInteger, checkOneOf, checkTensor, rangeError, typeError } from '../validate/index.js';
import type { DictionaryInit } from './types.js';

/**
 * Scales every column of the row-major d (n x K) whose norm exceeds 1 back to norm 1: the
 * projection onto the product of unit balls. In place; allocates nothing.
 */
export function projectAtomsInPlace(d: Float64Array, n: number, K: number, norms: Float64Array): void {
  columnNormsInto(d, n, K, norms);
  for (let i = 0; i < n; i++) {
    const o = i * K;
    for (let j = 0; j < K; j++) if (norms[j] > 1) d[o + j] /= norms[j];
  }
}

/** Column norms of the row-major d (n x K) into norms (length K). */
export function columnNormsInto(d: Float64Array, n: number, K: number, norms: Float64Array): void {
  norms.fill(0, 0, K);
  for (let i = 0; i < n; i++) {
    const o = i * K;
    for (let j = 0; j < K; j++) norms[j] += d[o + j] * d[o + j];
  }
  for (let j = 0; j < K; j++) norms[j] = Math.sqrt(norms[j]);
}

/**
 * Scales every column of d (n x K) to unit norm; a zero column becomes a Gaussian unit atom drawn
 * from rng. In place.
 */
export function normaliseAtomsInPlace(d: Float64Array, n: number, K: number, rng: Rng): void {
  const norms = new Float64Array(K);
  columnNormsInto(d, n, K, norms);
  for (let j = 0; j < K; j++) {
    if (norms[j] > 0) {
      for (let i = 0; i < n; i++) d[i * K + j] /= norms[j];
    } else {
      gaussianAtomInto(d, n, K, j, rng);
    }
  }
}

/** Column j of d (n x K) := a Gaussian vector of unit norm (redrawn in the (null) event of zero). */
function gaussianAtomInto(d: Float64Array, n: number, K: number, j: number, rng: Rng): void {
  let s = 0;
  while (!(s > 0)) {
    s = 0;
    for (let i = 0; i < n; i++) {
      const x = rng.normal();
      d[i * K + j] = x;
      s += x * x;
    }
  }
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < n; i++) d[i * K + j] *= inv;
}

/**
 * Each column of D (n, K) projected onto the unit l2 ball: columns of norm > 1 are scaled to norm
 * 1, the others kept. The constraint set of AM and DDL.
 */
export function projectAtoms(D: Tensor): Tensor {
  checkTensor('projectAtoms', 'D', D, { rank: 2 });
  const [n, K] = D.shape;
  const d = Float64Array.from(unsafeData(D));
  projectAtomsInPlace(d, n, K, new Float64Array(K));
  return wrap(d, [n, K]);
}

/** Checks the training signals: a finite rank-2 tensor (N, n) with n >= 1 (N may be 0). */
export function checkSignals(fn: string, Y: unknown): Tensor {
  const t = checkTensor(fn, 'Y', Y, { rank: 2 });
  if (t.shape[1] < 1) rangeError(fn, 'Y', 'a tensor of rank 2 with at least one column', t);
  return t;
}

/** Checks an init option: 'random', 'dct' or a tensor (shape checked later against n and K). */
export function checkInit(fn: string, init: unknown): DictionaryInit {
  if (init instanceof Tensor) return init;
  if (typeof init !== 'string') typeError(fn, 'init', "'random', 'dct' or a tensor", init);
  return checkOneOf(fn, 'init', init, ['random', 'dct'] as const);
}

/**
 * The initial dictionary (row-major n x K, a fresh buffer) for checked arguments; see
 * {@link initialDictionary}. `fn` names the caller in messages.
 */
export function initialAtoms(
  fn: string,
  Y: Tensor,
  K: number,
  init: DictionaryInit,
  seed: number | Rng,
): Float64Array {
  const [N, n] = Y.shape;
  if (init instanceof Tensor) {
    checkTensor(fn, 'init', init, { rank: 2, shape: [n, K] });
    const d = Float64Array.from(unsafeData(init));
    projectAtomsInPlace(d, n, K, new Float64Array(K));
    return d;
  }
  if (init === 'dct') {
    const p = Math.round(Math.sqrt(n));
    if (p * p !== n)
      rangeError(fn, 'Y', "signals of perfect-square length p^2 (square patches) for init 'dct'", Y);
    const k = Math.round(Math.sqrt(K));
    if (k * k !== K || k < p)
      rangeError(fn, 'atoms', `a perfect square k^2 with k >= ${p} for init 'dct'`, K);
    return Float64Array.from(unsafeData(dctDictionary(p, K)));
  }
  const rng = toRng(fn, seed);
  const y = unsafeData(Y);
  const d = new Float64Array(n * K);
  // A partial Fisher-Yates shuffle: the first min(K, N) entries are distinct signals.
  const order = new Int32Array(N);
  for (let i = 0; i < N; i++) order[i] = i;
  const drawn = Math.min(K, N);
  for (let t = 0; t < drawn; t++) {
    const s = rng.int(t, N - 1);
    const tmp = order[t];
    order[t] = order[s];
    order[s] = tmp;
    const row = order[t] * n;
    for (let i = 0; i < n; i++) d[i * K + t] = y[row + i];
  }
  // Columns past N stay zero and become Gaussian atoms, like the zero signals.
  normaliseAtomsInPlace(d, n, K, rng);
  return d;
}

/**
 * An initial dictionary (n, K) for the signals Y (N, n): 'random' (K distinct signals drawn with
 * the seed, normalised; zero signals and atoms beyond N are Gaussian unit atoms), 'dct' (the
 * overcomplete 2-D DCT dictionary: n = p^2, K = k^2 with k >= p) or a given dictionary (n, K),
 * projected onto the unit ball. Every atom has norm <= 1 (exactly 1 for 'random' and 'dct').
 */
export function initialDictionary(
  Y: Tensor,
  atoms: number,
  init: DictionaryInit = 'random',
  seed = 0,
): Tensor {
  const fn = 'initialDictionary';
  checkSignals(fn, Y);
  const K = checkInteger(fn, 'atoms', atoms, { min: 1 });
  const checked = checkInit(fn, init);
  if (typeof seed !== 'number') typeError(fn, 'seed', 'an integer seed', seed);
  checkInteger(fn, 'seed', seed, { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
  return wrap(initialAtoms(fn, Y, K, checked, seed), [Y.shape[1], K]);
}
