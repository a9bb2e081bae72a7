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
 *    p² / 2). `coding: 'lasso'` codes with the Lasso at `lambda` instead (coordinate descent to a
 *    duality gap of DENOISE_LASSO_TOL sigma² p² per patch), the coding AM and DDL learn with. OMP
 *    is the default for all methods because it was both better and far faster, measured on the
 *    baboon (512 x 512, sigma 0.1, DCT dictionary 64 x 256): OMP 24.87 dB in 3 s, the Lasso at
 *    lambda = 0.1 24.00 dB in 510 s (33 atoms per patch instead of 2.5; Lasso codes are shrunk
 *    towards 0, OMP's are least-squares fits on their support).
 * 4. Averaging: every pixel is the mean of the estimates of the patches covering it
 *    (averagePatches; Elad & Aharon's extra weight on the noisy image is not used).
 *
 * Defaults of the learning, measured on the same baboon: lambda = 2 sigma for AM and DDL (AM:
 * lambda = 0.05 gave 24.89 dB (5 iterations), 0.1 24.93 dB (10), 0.2 24.99 dB (5), and a larger
 * lambda gives sparser codes, so each coding is faster); AM codes to a duality gap of
 * DENOISE_LASSO_TOL sigma² p² (a gap of 1e-6 took 2.5 times as long for the same PSNR); DDL is
 * the mini-batch version (Adam, DENOISE_DDL_BATCH patches, depth DENOISE_DDL_DEPTH): 3 passes gave
 * 24.97 dB where 3 full-batch steps (the same cost) left the DCT start almost unchanged (24.87 dB);
 * the iterations (passes for DDL) in DENOISE_ITERATIONS.
 *
 * Cost: the patches are processed in chunks of 4096 (the correlations D^T y of a chunk by one
 * blocked product, then the allocation-free Gram-form OMP kernel per patch), so memory stays at a
 * few MB whatever the image size; a 512 x 512 image has 255,025 overlapping 8 x 8 patches.
 *
 * @module
 */
import { learnDictionaryAm } from './am.js';
import { learnDictionaryDdl } from './ddl.js';
import { learnDictionaryKsvd } from './ksvd.js';
import { gemmInto, gramInto } from '../linalg/gemm.js';
import { dctDictionary } from '../operators/dct-dictionary.js';
import { Rng } from '../random/rng.js';
import { ompInto, ompWorkspace } from '../solvers/omp.js';
import { CD_SYNC_EVERY, coordinateDescentSolver } from '../solvers/coordinate-descent.js';
import { lassoProblem } from '../solvers/lasso-problem.js';
import { runSolver } from '../solvers/run.js';
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
import { transposeRaw } from './common.js';

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
  /**
   * How every patch is coded: 'omp' (default; error-constrained, see the module note) or 'lasso'
   * (at `lambda`, default {@link defaultDenoiseLambda}; coordinate descent to a duality gap of
   * {@link DENOISE_LASSO_TOL} sigma² p² per patch).
   */
  readonly coding?: 'omp' | 'lasso';
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

/** Outer iterations of each learning method when not given. */
export const DENOISE_ITERATIONS: Readonly<Record<Exclude<DenoiseMethod, 'dct'>, number>> = {
  am: 5,
  ddl: 3,
  ksvd: 10,
};

/** Unrolled ISTA iterations of DDL in denoising. */
export const DENOISE_DDL_DEPTH = 20;

/** DDL in denoising is the stochastic version (Adam) with mini-batches of this many patches. */
export const DENOISE_DDL_BATCH = 500;

/** The default Lasso weight of AM and DDL learning for noise of standard deviation sigma. */
export function defaultDenoiseLambda(sigma: number): number {
  return 2 * sigma;
}

/** Lasso coding: the duality gap each patch must reach, in units of the noise energy sigma² p². */
export const DENOISE_LASSO_TOL = 1e-3;
/** Lasso coding: the cap on coordinate-descent epochs per chunk. */
const LASSO_CODING_MAX_ITER = 500;

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
  const p = checkInteger(fn, 'patch', orDefault(options.patch, 8), { min: 1 });
  if (p > Math.min(H, W))
    rangeError(fn, 'patch', `an integer <= the image's smaller side ${Math.min(H, W)}`, p);
  const n = p * p;
  const atoms = checkInteger(fn, 'atoms', orDefault(options.atoms, 256), { min: 1 });
  const sparsity = checkInteger(fn, 'sparsity', orDefault(options.sparsity, Math.max(1, Math.floor(n / 2))), {
    min: 1,
  });
  if (sparsity > Math.min(n, atoms))
    rangeError(fn, 'sparsity', `an integer <= min(patch², atoms) = ${Math.min(n, atoms)}`, sparsity);
  const lambda =
    options.lambda === undefined ? undefined : checkNumber(fn, 'lambda', options.lambda, { min: 0 });
  const iterations =
    options.iterations === undefined
      ? undefined
      : checkInteger(fn, 'iterations', options.iterations, { min: 0 });
  const codingKind = checkOneOf(fn, 'coding', orDefault(options.coding, 'omp'), ['omp', 'lasso'] as const);
  const trainPatches = checkInteger(fn, 'trainPatches', orDefault(options.trainPatches, 10000), { min: 1 });
  const seed = checkInteger(fn, 'seed', orDefault(options.seed, 0), {
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
    D = learn(method, Y, { patch: p, atoms, sigma, lambda, sparsity, iterations, seed, onProgress });
  }
  const learnSeconds = (performance.now() - start) / 1000;

  // 3-4. Code every patch, sum the estimates into place, divide by the coverage.
  const codeStart = performance.now();
  const coding: Coding =
    codingKind === 'omp'
      ? { kind: 'omp', sparsity, tol: (1.15 * sigma) ** 2 * n }
      : {
          kind: 'lasso',
          lambda: lambda ?? defaultDenoiseLambda(sigma),
          tol: DENOISE_LASSO_TOL * sigma ** 2 * n,
        };
  const { sum, meanAtoms } = codeAllPatches(image, W, rows, cols, p, D, coding, onProgress);
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

/** The value, or the default when it is missing (undefined); null is a mistake and is checked as given. */
function orDefault(value: unknown, fallback: unknown): unknown {
  return value === undefined ? fallback : value;
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

/**
 * @internal `count` centred patches of `image` (H, W) (unchecked), the same draw as denoiseImage's
 * training sample for that seed (for benchmarks that learn on it directly).
 */
export function trainingPatches(image: Tensor, patch: number, count: number, seed: number): Tensor {
  const [H, W] = image.shape;
  const rows = patchStarts(H, patch, 1);
  const cols = patchStarts(W, patch, 1);
  return samplePatches(unsafeData(image), W, rows, cols, patch, count, seed);
}

interface LearnSettings {
  patch: number;
  atoms: number;
  sigma: number;
  lambda: number | undefined;
  sparsity: number;
  iterations: number | undefined;
  seed: number;
  onProgress: DenoiseOptions['onProgress'];
}

/**
 * The dictionary learned on the centred training patches Y by `method`, from the DCT dictionary
 * when K is a perfect square k² with k >= p (as K-SVD denoising does), from random patches
 * otherwise.
 */
function learn(method: Exclude<DenoiseMethod, 'dct'>, Y: Tensor, settings: LearnSettings): Tensor {
  const { patch: p, atoms, sigma, sparsity, seed, onProgress } = settings;
  const k = Math.round(Math.sqrt(atoms));
  const init = k * k === atoms && k >= p ? 'dct' : 'random';
  const iterations = settings.iterations ?? DENOISE_ITERATIONS[method];
  const common = {
    atoms,
    iterations,
    init,
    seed,
    onIteration: (r: { iteration: number }) => onProgress?.('learn', r.iteration, iterations),
  } as const;
  if (method === 'ksvd') {
    const tol = (1.15 * sigma) ** 2 * p * p;
    return learnDictionaryKsvd(Y, { ...common, sparsity, tol }).D;
  }
  const lambda = settings.lambda ?? defaultDenoiseLambda(sigma);
  // AM codes to the same modest duality gap as the Lasso coding of the patches.
  const codingTol = DENOISE_LASSO_TOL * sigma ** 2 * p * p;
  if (method === 'am') return learnDictionaryAm(Y, { ...common, lambda, codingTol }).D;
  return learnDictionaryDdl(Y, { ...common, lambda, depth: DENOISE_DDL_DEPTH, batch: DENOISE_DDL_BATCH }).D;
}

/** How every patch is coded: error-constrained OMP, or the Lasso at a given lambda. */
type Coding =
  | { readonly kind: 'omp'; readonly sparsity: number; readonly tol: number }
  | { readonly kind: 'lasso'; readonly lambda: number; readonly tol: number };

/**
 * Codes every centred patch over D and sums the estimates (mean + D z) into an image-sized buffer.
 * Returns the sum and the mean number of atoms used.
 */
function codeAllPatches(
  image: Float64Array,
  W: number,
  rows: Int32Array,
  cols: Int32Array,
  p: number,
  D: Tensor,
  coding: Coding,
  onProgress: DenoiseOptions['onProgress'],
): { sum: Float64Array; meanAtoms: number } {
  const n = p * p;
  const m = D.shape[1];
  const d = unsafeData(D);
  // Atoms as contiguous rows for the reconstruction D_S z_S.
  const dt = transposeRaw(d, n, m);
  const gram = new Float64Array(m * m);
  gramInto(d, n, m, gram);
  const cap = coding.kind === 'omp' ? coding.sparsity : m;
  const work = ompWorkspace(gram, m, cap);
  const lassoSolver = coordinateDescentSolver({ tol: coding.tol });

  const total = rows.length * cols.length;
  const chunk = Math.min(CHUNK, total);
  const Y = new Float64Array(chunk * n);
  const means = new Float64Array(chunk);
  const aty = new Float64Array(chunk * m);
  const support = new Int32Array(cap);
  const coefs = new Float64Array(cap);
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
    // The Lasso codes of the whole chunk (coordinate descent to the gap tolerance).
    let lassoCodes: Float64Array | undefined;
    if (coding.kind === 'lasso') {
      // A view of the scratch buffer: the problem and its result are done with before it is refilled.
      const problem = lassoProblem(D, wrap(Y.subarray(0, size * n), [size, n]), coding.lambda);
      const result = runSolver(lassoSolver, problem, {
        tol: coding.tol,
        maxIter: LASSO_CODING_MAX_ITER,
        checkEvery: CD_SYNC_EVERY,
      });
      lassoCodes = unsafeData(result.Z);
    } else gemmInto(Y, d, aty, size, n, m); // row s = (D^T y_s)^T
    for (let s = 0; s < size; s++) {
      let k = 0;
      if (lassoCodes === undefined) {
        const off = s * n;
        let yy = 0;
        for (let i = 0; i < n; i++) yy += Y[off + i] * Y[off + i];
        k = ompInto(work, aty, s * m, yy, cap, coding.tol, support, coefs, 0);
      } else {
        for (let j = 0; j < m; j++) {
          const z = lassoCodes[s * m + j];
          if (z !== 0) {
            support[k] = j;
            coefs[k++] = z;
          }
        }
      }
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
