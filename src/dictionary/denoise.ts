/**
 * Patch-based image denoising with a dictionary (Elad & Aharon, IEEE TIP 2006): learn a dictionary
 * on the noisy image's own patches (alternating minimisation, unrolled DDL or K-SVD) or take the
 * overcomplete 2-D DCT, sparse-code every overlapping patch, and average the coded patches back.
 *
 * Steps, for a noisy image (H, W) with Gaussian noise of standard deviation sigma and p x p patches:
 *
 * 1. Each patch loses its mean (its DC component), which is added back after coding. The mean is
 *    estimated well by averaging (its noise has std sigma / p) and a dictionary spent on it would
 *    waste atoms; this is the usual practice (K-SVD's denoising code, scikit-learn's example).
 * 2. Learning ('am', 'ddl', 'ksvd'): on `trainPatches` patches drawn at random (without
 *    replacement, with the seed) among all overlapping ones, from the DCT dictionary (atoms must
 *    then be a perfect square k², k >= p) or, when it is not, from random patches. 'dct' learns
 *    nothing: D is dctDictionary(p, atoms).
 * 3. Coding every overlapping patch: by default error-constrained OMP for every dictionary,
 *    ||y - D z||² <= (1.15 sigma)² p² (Elad & Aharon 2006), with at most `sparsity` atoms (default
 *    p² / 2). The Lasso at the dictionary's lambda (coordinate descent to a duality gap of 1e-4 λ²
 *    ... see `coding`) is available for AM and DDL with `coding: 'lasso'`; it gave a lower PSNR
 *    than OMP coding of the same dictionary on the baboon (see the README's denoising table), so
 *    OMP is the default for all methods.
 * 4. Averaging: every pixel is the mean of the estimates of the patches covering it
 *    (averagePatches; Elad & Aharon's extra weight on the noisy image is not used).
 *
 * Cost: the patches are processed in chunks of 4096 (the correlations D^T y of a chunk by one
 * blocked product, then the allocation-free Gram-form OMP kernel per patch), so memory stays at a
 * few MB whatever the image size; a 512 x 512 image has 255,025 overlapping 8 x 8 patches.
 *
 * @module
 */
import { gemmInto, gramInto } from '../linalg/gemm.js';
import { dctDictionary } from '../operators/dct-dictionary.js';
import { Rng } from '../random/rng.js';
import { ompInto, ompWorkspace } from '../solvers/omp.js';
import { addPatchInto, coverageCounts, patchInto, patchStarts } from '../data/patches.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import {
  checkInteger,
  checkNumber,
  checkOneOf,
  checkTensor,
  rangeError,
  typeError,
} from '../validate/index.js';

/** How a dictionary is obtained: learned by one of the methods, or the fixed 2-D DCT. */
export type DenoiseMethod = 'am' | 'ddl' | 'ksvd' | 'dct';

const METHODS: readonly DenoiseMethod[] = ['am', 'ddl', 'ksvd', 'dct'];

/** Options of {@link denoiseImage}. */
export interface DenoiseOptions {
  readonly method: DenoiseMethod;
  /** Standard deviation of the noise, in the image's units (pixel values in [0, 1]): > 0. */
  readonly sigma: number;
  /** Patch side p (default 8). */
  readonly patch?: number;
  /** Number of atoms K (default 256). */
  readonly atoms?: number;
  /** AM and DDL: the Lasso weight λ of learning (default: see {@link defaultDenoiseLambda}). */
  readonly lambda?: number;
  /** Most atoms per patch in OMP coding (and K-SVD's learning); default p² / 2. */
  readonly sparsity?: number;
  /** Patches drawn to learn on (default 10,000; all of them when the image has fewer). */
  readonly trainPatches?: number;
  /** Outer iterations of the learning method (default: the method's own). */
  readonly iterations?: number;
  /** Seed of the training sample and of the learning method (default 0). */
  readonly seed?: number;
  /** Progress: stage 'learn' (outer iterations) or 'code' (patches coded so far). */
  readonly onProgress?: (stage: 'learn' | 'code', done: number, total: number) => void;
}

/** What {@link denoiseImage} returns. */
export interface DenoiseResult {
  /** The denoised image (H, W). */
  readonly image: Tensor;
  /** The dictionary used (p², K). */
  readonly D: Tensor;
  /** Mean number of atoms per coded patch. */
  readonly meanAtoms: number;
  /** Wall time in seconds: total, learning the dictionary, coding and averaging the patches. */
  readonly seconds: number;
  readonly learnSeconds: number;
  readonly codeSeconds: number;
}

/** Patches coded per chunk: correlations of 4096 x 256 doubles (8 MB). */
const CHUNK = 4096;

/**
 * Denoises `noisy` (H, W) with a dictionary of p x p patches (see the module note for the steps).
 * The result is deterministic for a given seed.
 */
export function denoiseImage(noisy: Tensor, options: DenoiseOptions): DenoiseResult {
  const fn = 'denoiseImage';
  const start = performance.now();
  checkTensor(fn, 'noisy', noisy, { rank: 2 });
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const method = checkOneOf(fn, 'method', options.method, METHODS);
  const sigma = checkNumber(fn, 'sigma', options.sigma, { min: 0, exclusiveMin: true });
  const [H, W] = noisy.shape;
  const p = checkInteger(fn, 'patch', options.patch ?? 8, { min: 1 });
  if (p > Math.min(H, W))
    rangeError(fn, 'patch', `an integer <= the image's smaller side ${Math.min(H, W)}`, p);
  const n = p * p;
  const atoms = checkInteger(fn, 'atoms', options.atoms ?? 256, { min: 1 });
  const sparsity = checkInteger(fn, 'sparsity', options.sparsity ?? Math.max(1, Math.floor(n / 2)), {
    min: 1,
  });
  if (sparsity > Math.min(n, atoms))
    rangeError(fn, 'sparsity', `an integer <= min(patch², atoms) = ${Math.min(n, atoms)}`, sparsity);
  const trainPatches = checkInteger(fn, 'trainPatches', options.trainPatches ?? 10000, { min: 1 });
  const seed = checkInteger(fn, 'seed', options.seed ?? 0, {
    min: Number.MIN_SAFE_INTEGER,
    max: Number.MAX_SAFE_INTEGER,
  });
  const onProgress = options.onProgress;
  if (onProgress !== undefined && typeof onProgress !== 'function')
    typeError(fn, 'onProgress', 'a function', onProgress);
  if (method === 'dct') {
    const k = Math.round(Math.sqrt(atoms));
    if (k * k !== atoms || k < p)
      rangeError(fn, 'atoms', `a perfect square k² with k >= ${p} for the DCT dictionary`, atoms);
  }

  const image = unsafeData(noisy);
  const rows = patchStarts(H, p, 1);
  const cols = patchStarts(W, p, 1);

  // 1-2. The dictionary.
  let D: Tensor;
  if (method === 'dct') D = dctDictionary(p, atoms);
  else {
    const Y = samplePatches(image, W, rows, cols, p, trainPatches, seed);
    D = learn(method, Y, { atoms, sigma, sparsity, seed, onProgress });
  }
  const learnSeconds = (performance.now() - start) / 1000;

  // 3-4. Code every patch, sum the estimates into place, divide by the coverage.
  const codeStart = performance.now();
  const { sum, meanAtoms } = codeAllPatches(image, W, rows, cols, p, D, sigma, sparsity, onProgress);
  const counts = coverageCounts(H, W, rows, cols, p);
  for (let k = 0; k < sum.length; k++) sum[k] /= counts[k];
  const end = performance.now();
  return {
    image: wrap(sum, [H, W]),
    D,
    meanAtoms,
    seconds: (end - start) / 1000,
    learnSeconds,
    codeSeconds: (end - codeStart) / 1000,
  };
}

/** Copies a patch and removes its mean; returns the mean. Unchecked. */
function centredPatchInto(
  image: Float64Array,
  W: number,
  r: number,
  c: number,
  p: number,
  out: Float64Array,
  offset: number,
): number {
  patchInto(image, W, r, c, p, out, offset);
  const n = p * p;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += out[offset + i];
  mean /= n;
  for (let i = 0; i < n; i++) out[offset + i] -= mean;
  return mean;
}

/** `count` centred patches drawn without replacement (partial Fisher-Yates with the seed), as (count, p²). */
function samplePatches(
  image: Float64Array,
  W: number,
  rows: Int32Array,
  cols: Int32Array,
  p: number,
  count: number,
  seed: number,
): Tensor {
  const total = rows.length * cols.length;
  const take = Math.min(count, total);
  const order = new Int32Array(total);
  for (let k = 0; k < total; k++) order[k] = k;
  const rng = new Rng(seed);
  for (let k = 0; k < take; k++) {
    const j = rng.int(k, total - 1);
    const t = order[k];
    order[k] = order[j];
    order[j] = t;
  }
  const n = p * p;
  const out = new Float64Array(take * n);
  for (let k = 0; k < take; k++) {
    const index = order[k];
    const r = rows[Math.floor(index / cols.length)];
    const c = cols[index % cols.length];
    centredPatchInto(image, W, r, c, p, out, k * n);
  }
  return wrap(out, [take, n]);
}

interface LearnSettings {
  atoms: number;
  sigma: number;
  sparsity: number;
  seed: number;
  onProgress: DenoiseOptions['onProgress'];
}

/** The dictionary learned on the centred training patches Y by `method`. */
function learn(method: Exclude<DenoiseMethod, 'dct'>, Y: Tensor, settings: LearnSettings): Tensor {
  void Y;
  void settings;
  throw new Error(`denoiseImage: method '${method}' is not available yet.`);
}

/**
 * Codes every centred patch by error-constrained OMP over D and sums the estimates (mean + D z)
 * into an image-sized buffer. Returns the sum and the mean number of atoms used.
 */
function codeAllPatches(
  image: Float64Array,
  W: number,
  rows: Int32Array,
  cols: Int32Array,
  p: number,
  D: Tensor,
  sigma: number,
  sparsity: number,
  onProgress: DenoiseOptions['onProgress'],
): { sum: Float64Array; meanAtoms: number } {
  const n = p * p;
  const m = D.shape[1];
  const d = unsafeData(D);
  // Atoms as contiguous rows for the reconstruction D_S z_S.
  const dt = new Float64Array(m * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) dt[j * n + i] = d[i * m + j];
  const gram = new Float64Array(m * m);
  gramInto(d, n, m, gram);
  const work = ompWorkspace(gram, m, sparsity);
  const tol = (1.15 * sigma) ** 2 * n;

  const total = rows.length * cols.length;
  const chunk = Math.min(CHUNK, total);
  const Y = new Float64Array(chunk * n);
  const means = new Float64Array(chunk);
  const aty = new Float64Array(chunk * m);
  const support = new Int32Array(sparsity);
  const coefs = new Float64Array(sparsity);
  const estimate = new Float64Array(n);
  const sum = new Float64Array(image.length);
  let atomsUsed = 0;

  for (let first = 0; first < total; first += chunk) {
    const size = Math.min(chunk, total - first);
    for (let s = 0; s < size; s++) {
      const index = first + s;
      const r = rows[Math.floor(index / cols.length)];
      const c = cols[index % cols.length];
      means[s] = centredPatchInto(image, W, r, c, p, Y, s * n);
    }
    gemmInto(Y, d, aty, size, n, m); // row s = (D^T y_s)^T
    for (let s = 0; s < size; s++) {
      const off = s * n;
      let yy = 0;
      for (let i = 0; i < n; i++) yy += Y[off + i] * Y[off + i];
      const k = ompInto(work, aty, s * m, yy, sparsity, tol, support, coefs, 0);
      atomsUsed += k;
      estimate.fill(means[s]);
      for (let q = 0; q < k; q++) {
        const zq = coefs[q];
        const row = support[q] * n;
        for (let i = 0; i < n; i++) estimate[i] += zq * dt[row + i];
      }
      const index = first + s;
      addPatchInto(estimate, 0, W, rows[Math.floor(index / cols.length)], cols[index % cols.length], p, sum);
    }
    onProgress?.('code', first + size, total);
  }
  return { sum, meanAtoms: atomsUsed / total };
}
