/**
 * K-SVD (Aharon, Elad & Bruckstein 2006): dictionary learning for codes with at most S non-zeros,
 * minimising the mean of 1/2 ||y_i - D z_i||² over unit-norm atoms. Each outer iteration:
 *
 * 1. Sparse coding by OMP at sparsity S (solvers/omp: the Gram form, one allocation-free
 *    ompInto per signal; with `tol`, each signal stops as soon as ||y_i - D z_i||² <= tol, the
 *    error-constrained coding of K-SVD denoising, Elad & Aharon 2006).
 * 2. The atoms one after the other, in order k = 0..K-1: with ω_k the signals whose codes use
 *    atom k, the restricted residual E_k = [y_i - sum_(j != k) z_ij d_j]_(i in ω_k) (without atom
 *    k's contribution) is approximated at rank one, E_k ≈ d g^T, by its top singular pair: atom
 *    k becomes d (unit norm) and its coefficients on ω_k become g (the supports do not change,
 *    so the codes keep at most S non-zeros).
 *
 * Implementation. The residuals R = Y - Z D^T of all signals are formed once after the coding
 * (O(N n S)) and kept up to date: E_k's rows are r_i + z_ik d_k, and after the update
 * r_i = e_i - g_i d. So an atom costs O(|ω_k| n) plus its singular pair, never O(N n). The
 * singular pair comes from the power iteration of linalg/power-iteration (powerIterationInto on
 * E_k, |ω_k| x n, row-major: the signals are rows) warm-started at the current atom, stopped at
 * a relative change of {@link KSVD_POWER_TOL} or {@link KSVD_POWER_MAX_ITER} iterations. From
 * that start the power iteration's estimate ||E_k d|| never decreases, so even an early stop
 * leaves ||E_k - d g^T||² = ||E_k||² - ||E_k^T d||² no larger than with the current atom and its
 * current coefficients: each atom update never increases the objective (in exact arithmetic).
 * The atoms are kept as the rows of a K x n buffer (contiguous), transposed at the end.
 *
 * Unused atoms (no signal uses them after the coding) are replaced after the atom updates, as in
 * Aharon et al. and Rubinstein's KSVD-Box: by the worst-represented training signals (largest
 * residual energy ||r_i||² at that point), one distinct signal per atom, normalised (a zero
 * signal gives a Gaussian unit atom drawn with the seed). This does not change the objective at
 * the current codes (those atoms have no coefficients). Atoms are not otherwise pruned (the
 * replacement of nearly-duplicate atoms of the original paper is not done).
 *
 * History: history[0] is the objective of the initial dictionary with its OMP codes; history[t]
 * the objective after iteration t's atom updates (with the coefficients they produced). The next
 * iteration's OMP may find a different (not necessarily better) code: K-SVD, unlike AM, is not
 * monotone in general.
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import { powerIterationInto } from '../linalg/power-iteration.js';
import { ompInto, ompWorkspace } from '../solvers/omp.js';
import { Rng } from '../random/rng.js';
import { wrap, unsafeData, type Tensor } from '../tensor/tensor.js';
import { checkInteger, checkNumber } from '../validate/index.js';
import { checkLearningOptions, IterationRecorder, transposeRaw } from './common.js';
import { checkSignals, initialAtoms, normaliseAtomsInPlace } from './init.js';
import type { DictionaryLearningOptions, DictionaryLearningResult } from './types.js';

/** Options of {@link learnDictionaryKsvd}. */
export interface KsvdOptions extends DictionaryLearningOptions {
  /** S: at most S non-zeros per code, an integer in [1, min(n, K)]. */
  readonly sparsity: number;
  /**
   * Optional residual-energy stop of OMP (squared, not the norm): a signal's pursuit stops once
   * ||y_i - D z_i||² <= tol, e.g. (1.15 σ)² n for denoising (Elad & Aharon 2006). A finite
   * number >= 0.
   */
  readonly tol?: number;
}

/** Default number of outer iterations of K-SVD. */
export const KSVD_DEFAULT_ITERATIONS = 10;
/** Relative-change tolerance of the power iteration of each atom update. */
export const KSVD_POWER_TOL = 1e-8;
/** Iteration cap of the power iteration of each atom update. */
export const KSVD_POWER_MAX_ITER = 100;
/**
 * An atom whose |correlation| with an earlier atom exceeds this is a near-duplicate and is replaced
 * (Rubinstein's KSVD-Box uses 0.99 too).
 */
export const KSVD_DUPLICATE = 0.99;

/**
 * K-SVD on the signals Y (N, n) with K = `atoms` unit-norm atoms and codes of at most `sparsity`
 * non-zeros (see the module notes). Default 10 iterations, 'random' initialisation (atoms of a
 * given initial dictionary are normalised; zero atoms become Gaussian). The objective reported
 * is the mean of 1/2 ||y_i - D z_i||².
 */
export function learnDictionaryKsvd(Y: Tensor, options: KsvdOptions): DictionaryLearningResult {
  const fn = 'learnDictionaryKsvd';
  checkSignals(fn, Y);
  const [N, n] = Y.shape;
  const common = checkLearningOptions(fn, options, n, KSVD_DEFAULT_ITERATIONS);
  const K = common.atoms;
  const S = checkInteger(fn, 'sparsity', options.sparsity, { min: 1, max: Math.min(n, K) });
  const tol = options.tol === undefined ? -1 : checkNumber(fn, 'tol', options.tol, { min: 0 });
  const recorder = new IterationRecorder(fn, common, n);

  const rng = new Rng(common.seed);
  const d0 = initialAtoms(fn, Y, K, common.init, rng);
  normaliseAtomsInPlace(d0, n, K, rng);
  const dt = transposeRaw(d0, n, K); // atoms as rows (K x n)
  const y = unsafeData(Y);
  const yy = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let t = i * n; t < (i + 1) * n; t++) s += y[t] * y[t];
    yy[i] = s;
  }

  const gram = new Float64Array(K * K);
  const aty = new Float64Array(N * K);
  const support = new Int32Array(N * S);
  const coefs = new Float64Array(N * S);
  const count = new Int32Array(N);
  const r = new Float64Array(N * n);
  const useOffsets = new Int32Array(K + 1);
  const useList = new Int32Array(N * S);
  const fill = new Int32Array(K);
  const v = new Float64Array(n);
  let e = new Float64Array(0);
  let u = new Float64Array(0);

  // Iteration 0 only codes (and records) the initial dictionary; the last one does not re-code.
  for (let iteration = 0; ; iteration++) {
    // 1. OMP coding of every signal over the current atoms.
    gemmInto(dt, dt, gram, K, n, K, false, true);
    gemmInto(y, dt, aty, N, n, K, false, true);
    const work = ompWorkspace(gram, K, S); // per iteration: its atom norms come from this Gram
    for (let i = 0; i < N; i++) count[i] = ompInto(work, aty, i * K, yy[i], S, tol, support, coefs, i * S);
    residualsInto(y, dt, support, coefs, count, N, n, S, r, fn);
    if (iteration === 0 && !recorder.record(0, meanHalfEnergy(r, N, n), dt, true)) break;
    if (iteration === common.iterations) break;

    // Which signals use each atom (positions i * S + p in support / coefs), by counting sort.
    useOffsets.fill(0);
    for (let i = 0; i < N; i++) for (let p = 0; p < count[i]; p++) useOffsets[support[i * S + p] + 1]++;
    let widest = 0;
    for (let k = 0; k < K; k++) {
      widest = Math.max(widest, useOffsets[k + 1]);
      useOffsets[k + 1] += useOffsets[k];
    }
    fill.set(useOffsets.subarray(0, K));
    for (let i = 0; i < N; i++)
      for (let p = 0; p < count[i]; p++) useList[fill[support[i * S + p]]++] = i * S + p;
    if (e.length < widest * n) {
      e = new Float64Array(widest * n);
      u = new Float64Array(widest);
    }

    // 2. Each atom and its coefficients from the top singular pair of its restricted residual.
    const unused: number[] = [];
    for (let k = 0; k < K; k++) {
      const from = useOffsets[k];
      const w = useOffsets[k + 1] - from;
      if (w === 0) {
        unused.push(k);
        continue;
      }
      const ko = k * n;
      for (let q = 0; q < w; q++) {
        const pos = useList[from + q];
        const ro = ((pos / S) | 0) * n;
        const c = coefs[pos];
        const eo = q * n;
        for (let t = 0; t < n; t++) e[eo + t] = r[ro + t] + c * dt[ko + t];
      }
      for (let t = 0; t < n; t++) v[t] = dt[ko + t];
      const sigma = powerIterationInto(e, w, n, KSVD_POWER_TOL, KSVD_POWER_MAX_ITER, v, u).value;
      if (!(sigma > 0)) {
        // E_k = 0: the signals need no atom k; keep the atom, drop its coefficients.
        for (let q = 0; q < w; q++) coefs[useList[from + q]] = 0;
        continue;
      }
      for (let t = 0; t < n; t++) dt[ko + t] = v[t];
      for (let q = 0; q < w; q++) {
        const pos = useList[from + q];
        const ro = ((pos / S) | 0) * n;
        const g = sigma * u[q];
        coefs[pos] = g;
        const eo = q * n;
        for (let t = 0; t < n; t++) r[ro + t] = e[eo + t] - g * v[t];
      }
    }
    // 3. Atoms that nearly duplicate an earlier one are freed (coefficients dropped) and, with the
    // unused ones, replaced by the worst-represented signals.
    gemmInto(dt, dt, gram, K, n, K, false, true);
    for (let k = 1; k < K; k++) {
      if (useOffsets[k + 1] === useOffsets[k]) continue; // unused already
      let duplicate = false;
      for (let j = 0; j < k && !duplicate; j++) duplicate = Math.abs(gram[j * K + k]) > KSVD_DUPLICATE;
      if (!duplicate) continue;
      for (let q = useOffsets[k]; q < useOffsets[k + 1]; q++) {
        const pos = useList[q];
        const ro = ((pos / S) | 0) * n;
        const c = coefs[pos];
        coefs[pos] = 0;
        for (let t = 0; t < n; t++) r[ro + t] += c * dt[k * n + t];
        // Keep the atom in the Gram matrix of later tests: gram[.][k] stays as it was.
      }
      unused.push(k);
    }
    if (unused.length > 0) replaceAtoms(unused, dt, y, r, N, n, rng);
    if (!recorder.record(iteration + 1, meanHalfEnergy(r, N, n), dt, true)) break;
    if (iteration + 1 === common.iterations) break;
  }

  const z = new Float64Array(N * K);
  for (let i = 0; i < N; i++) {
    for (let p = 0; p < count[i]; p++) z[i * K + support[i * S + p]] = coefs[i * S + p];
  }
  return {
    method: 'ksvd',
    D: wrap(transposeRaw(dt, K, n), [n, K]),
    codes: wrap(z, [N, K]),
    history: recorder.history,
    seconds: recorder.seconds,
  };
}

/** r_i = y_i - sum_p coefs[i S + p] dt[support[i S + p]] for every signal; checks the coefficients. */
function residualsInto(
  y: Float64Array,
  dt: Float64Array,
  support: Int32Array,
  coefs: Float64Array,
  count: Int32Array,
  N: number,
  n: number,
  S: number,
  r: Float64Array,
  fn: string,
): void {
  for (let i = 0; i < N; i++) {
    const ro = i * n;
    for (let t = 0; t < n; t++) r[ro + t] = y[ro + t];
    for (let p = 0; p < count[i]; p++) {
      const c = coefs[i * S + p];
      if (!Number.isFinite(c)) {
        throw new Error(
          `${fn}: the OMP coefficients became non-finite (signal ${i}); check the scale of the data.`,
        );
      }
      const ko = support[i * S + p] * n;
      for (let t = 0; t < n; t++) r[ro + t] -= c * dt[ko + t];
    }
  }
}

/** The mean over rows of 1/2 ||r_i||² (0 for no rows). */
function meanHalfEnergy(r: Float64Array, N: number, n: number): number {
  let s = 0;
  for (let t = 0; t < N * n; t++) s += r[t] * r[t];
  return N > 0 ? (0.5 * s) / N : 0;
}

/**
 * Replaces the atoms `unused` (rows of dt) by the worst-represented signals (largest ||r_i||²),
 * distinct, normalised; a zero signal (or no signal left) gives a Gaussian unit atom.
 */
function replaceAtoms(
  unused: number[],
  dt: Float64Array,
  y: Float64Array,
  r: Float64Array,
  N: number,
  n: number,
  rng: Rng,
): void {
  const energy = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let t = i * n; t < (i + 1) * n; t++) s += r[t] * r[t];
    energy[i] = s;
  }
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => energy[b] - energy[a] || a - b);
  unused.forEach((k, q) => {
    const ko = k * n;
    let s = 0;
    if (q < N) {
      const yo = order[q] * n;
      for (let t = 0; t < n; t++) {
        dt[ko + t] = y[yo + t];
        s += y[yo + t] * y[yo + t];
      }
    }
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let t = 0; t < n; t++) dt[ko + t] *= inv;
      return;
    }
    const atom = new Float64Array(n);
    normaliseAtomsInPlace(atom, n, 1, rng); // a zero column: a Gaussian unit atom
    dt.set(atom, ko);
  });
}
