/**
 * Orthogonal matching pursuit (Pati, Rezaiifar & Krishnaprasad 1993), in its Gram form ("Batch-OMP",
 * Rubinstein, Zibulevsky & Elad 2008): for each signal y, greedily grow a support S,
 *
 *     j = argmax_j |a_j^T r| / ||a_j||,   S <- S + {j},   z_S = argmin ||y - A_S z_S||,   r = y - A_S z_S,
 *
 * until S holds `sparsity` atoms or the residual energy ||r||^2 is <= `tol`.
 *
 * OMP approximately solves the l0-constrained problem min ||y - A z||^2 s.t. ||z||_0 <= k (or
 * min ||z||_0 s.t. ||y - A z||^2 <= tol), not the Lasso: it has no lambda and no duality gap, and it
 * ends after at most k greedy steps rather than converging. So it is a function of its own, not an
 * `IterativeSolver` run by the gap-based `runSolver`.
 *
 * Cost. G = A^T A and A^T Y are computed once for the batch. The residual itself is never formed:
 * the correlations c = A^T r = A^T y - G_(:,S) z_S cost O(m k) per step instead of O(n m), the
 * factor of G_SS grows by one row per step (choleskyAppendInPlace, O(k^2)), z_S comes from two
 * triangular solves (O(k^2)), and the residual energy from the identity, exact at the least-squares
 * solution, ||r||^2 = ||y||^2 - z_S^T (A^T y)_S (O(k)). The per-signal kernel {@link ompInto}
 * allocates nothing; it is exported for K-SVD, which codes many signals over one dictionary.
 *
 * @module
 */
import { gemmInto, gramInto } from '../linalg/gemm.js';
import { choleskyAppendInPlace, choleskySolveInPlace } from '../linalg/cholesky.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkInteger, checkNumber, checkTensor, Got, rangeError, typeError } from '../validate/index.js';

/**
 * A new atom j is taken as linearly dependent on the support when the squared new pivot
 * d = G_jj - ||L^-1 G_(S,j)||^2 is <= OMP_DEPENDENCE_TOL * G_jj, i.e. when the sine of the angle between
 * a_j and span(A_S) is <= 1e-6. Rounding leaves d at about 1e-15 G_jj for an atom exactly in the span,
 * so the threshold keeps a factor of 1000 of margin while rejecting only atoms whose coefficients
 * would be amplified by 1e6 or more.
 */
export const OMP_DEPENDENCE_TOL = 1e-12;

/**
 * The pursuit stops when the largest normalised correlation max_j |a_j^T r| / ||a_j|| (at most
 * ||r||) is <= OMP_CORRELATION_FLOOR * ||y||: the residual is then orthogonal to every atom up to
 * rounding (c = A^T y - G_(:,S) z_S carries errors of about 1e-15 ||y||), and a further atom would
 * only fit rounding noise. It also stops at once on y = 0.
 */
export const OMP_CORRELATION_FLOOR = 1e-12;

/**
 * Scratch and per-dictionary data of {@link ompInto}: build one with {@link ompWorkspace} for a
 * dictionary and reuse it for every signal coded over it.
 */
export interface OmpWorkspace {
  /** Number of atoms m. */
  readonly m: number;
  /** Most atoms a signal may receive (the factor's leading dimension). */
  readonly capacity: number;
  /** The Gram matrix G = A^T A (m x m, row-major); referenced, not copied. */
  readonly gram: Float64Array;
  /** 1 / ||a_j|| = 1 / sqrt(G_jj), or 0 for a zero atom (never selected). */
  readonly invNorms: Float64Array;
  /** Cholesky factor of G_SS, k x k in the top-left corner, row stride `capacity`. */
  readonly factor: Float64Array;
  /** The correlations c = A^T r (m). */
  readonly correlations: Float64Array;
  /** The column G_(S, j) of the atom being appended (capacity). */
  readonly column: Float64Array;
  /**
   * After each {@link ompInto}: the residual energy ||y - A z||^2 of the code written, from the
   * Gram identity (accurate to about 1e-15 ||y||^2).
   */
  residualEnergy: number;
}

/**
 * A workspace for {@link ompInto} over the dictionary whose Gram matrix is `gram` (m x m, A^T A;
 * kept by reference), for up to `capacity` atoms per signal. Unchecked.
 */
export function ompWorkspace(gram: Float64Array, m: number, capacity: number): OmpWorkspace {
  const invNorms = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const gjj = gram[j * m + j];
    invNorms[j] = gjj > 0 ? 1 / Math.sqrt(gjj) : 0;
  }
  return {
    m,
    capacity,
    gram,
    invNorms,
    factor: new Float64Array(capacity * capacity),
    correlations: new Float64Array(m),
    column: new Float64Array(capacity),
    residualEnergy: 0,
  };
}

/**
 * OMP on one signal y, given its correlations with the atoms `aty[atyOffset .. atyOffset + m)`
 * (= A^T y) and its energy `yNormSq` (= ||y||^2). Returns the number k of atoms selected and writes
 * their indices, in the order selected, to `support[outOffset .. outOffset + k)` and their
 * coefficients (the least-squares fit of y on those atoms, for the atoms as given, not normalised) to
 * `coefs[outOffset .. outOffset + k)`; nothing else of `support` and `coefs` is written beyond
 * `outOffset + sparsity`. Sets `work.residualEnergy`.
 *
 * The atom selected maximises |a_j^T r| / ||a_j||, so atoms need not have unit norm. Stops when
 * k = `sparsity` (<= work.capacity), when ||r||^2 <= `tol` (a negative tol disables this test; it is
 * also checked before the first atom, so a signal with ||y||^2 <= tol gets none), when every
 * correlation is negligible ({@link OMP_CORRELATION_FLOOR}), or when the best atom is linearly
 * dependent on the support ({@link OMP_DEPENDENCE_TOL}; it is not added). Unchecked, allocation-free.
 */
export function ompInto(
  work: OmpWorkspace,
  aty: Float64Array,
  atyOffset: number,
  yNormSq: number,
  sparsity: number,
  tol: number,
  support: Int32Array,
  coefs: Float64Array,
  outOffset: number,
): number {
  const { m, capacity: ld, gram, invNorms, factor, correlations: c, column } = work;
  for (let j = 0; j < m; j++) c[j] = aty[atyOffset + j];
  const floor = OMP_CORRELATION_FLOOR * Math.sqrt(yNormSq);
  let energy = yNormSq;
  let k = 0;
  while (k < sparsity && !(energy <= tol)) {
    // Select: the atom most correlated with the residual, relative to its norm.
    let best = -1;
    let bestScore = floor;
    for (let j = 0; j < m; j++) {
      const score = Math.abs(c[j]) * invNorms[j];
      if (score > bestScore) {
        bestScore = score;
        best = j;
      }
    }
    if (best < 0) break;
    // Grow the factor of G_SS; a (nearly) dependent atom leaves it untouched and ends the pursuit.
    for (let i = 0; i < k; i++) column[i] = gram[support[outOffset + i] * m + best];
    const gjj = gram[best * m + best];
    const d = choleskyAppendInPlace(factor, k, ld, column, gjj);
    if (!(d > OMP_DEPENDENCE_TOL * gjj)) break;
    support[outOffset + k] = best;
    k++;
    // Least squares on the support: G_SS z_S = (A^T y)_S, and the residual energy it leaves.
    for (let i = 0; i < k; i++) coefs[outOffset + i] = aty[atyOffset + support[outOffset + i]];
    choleskySolveInPlace(factor, k, ld, coefs, outOffset);
    let fitted = 0;
    for (let i = 0; i < k; i++) fitted += coefs[outOffset + i] * aty[atyOffset + support[outOffset + i]];
    energy = Math.max(0, yNormSq - fitted);
    if (k === sparsity || energy <= tol) break;
    // Correlations with the new residual: c = A^T y - G_(:,S) z_S, reading rows of the symmetric G
    // two at a time (a third fewer passes over c than one row at a time, measured).
    let i = k & 1;
    if (i === 1) {
      const z0 = coefs[outOffset];
      const r0 = support[outOffset] * m;
      for (let j = 0; j < m; j++) c[j] = aty[atyOffset + j] - z0 * gram[r0 + j];
    } else {
      for (let j = 0; j < m; j++) c[j] = aty[atyOffset + j];
    }
    for (; i < k; i += 2) {
      const z0 = coefs[outOffset + i];
      const z1 = coefs[outOffset + i + 1];
      const r0 = support[outOffset + i] * m;
      const r1 = support[outOffset + i + 1] * m;
      for (let j = 0; j < m; j++) c[j] -= z0 * gram[r0 + j] + z1 * gram[r1 + j];
    }
  }
  work.residualEnergy = energy;
  return k;
}

/** Options of {@link omp}: at least one of `sparsity` and `tol`. */
export interface OmpOptions {
  /** Most atoms per sample: an integer in [1, min(n, m)] (default min(n, m) when `tol` is given). */
  sparsity?: number;
  /**
   * Stop a sample once its residual energy ||y_i - A z_i||^2 (squared, not the norm) is <= tol,
   * e.g. (1.15 sigma)^2 n for K-SVD denoising; a finite number >= 0. The test uses the Gram
   * identity for ||r||^2, accurate to about 1e-15 ||y_i||^2, so smaller tolerances act like 0.
   */
  tol?: number;
}

/** What {@link omp} returns. */
export interface OmpResult {
  /** The codes (N, m): each row has at most `sparsity` non-zeros. */
  Z: Tensor;
  /** Atoms selected, the largest over samples (the number of greedy steps of the batch). */
  iterations: number;
  /** Atoms selected per sample, shape [N]. */
  perSampleAtoms: Tensor;
  /** Residual norms ||y_i - A z_i|| (not squared), recomputed from the codes, shape [N]. */
  residualNorms: Tensor;
  /** Wall time. */
  seconds: number;
}

/**
 * Orthogonal matching pursuit on every row y_i of Y (N, n) over the dictionary A (n, m) (atoms as
 * columns, of any non-zero norm: selection is by |a_j^T r| / ||a_j||). Each sample's support grows
 * one atom at a time until it holds `sparsity` atoms, its residual energy ||y_i - A z_i||^2 is
 * <= `tol`, no atom is correlated with the residual any more, or the best atom is linearly dependent
 * on those selected (then it is not added); the codes are the least-squares fits on the supports.
 *
 * This is the l0 (greedy) problem, not the Lasso, hence a function of its own rather than runSolver.
 * See the module note for the Gram / incremental-Cholesky implementation and its costs.
 */
export function omp(A: Tensor, Y: Tensor, options: OmpOptions): OmpResult {
  const fn = 'omp';
  const start = performance.now();
  checkTensor(fn, 'A', A, { rank: 2 });
  const [n, m] = A.shape;
  if (n === 0 || m === 0) rangeError(fn, 'A', 'a tensor with at least one row and one column', A);
  checkTensor(fn, 'Y', Y, { rank: 2, shape: [-1, n] });
  const { sparsity, tol } = checkOmpOptions(fn, options, Math.min(n, m));
  const N = Y.shape[0];
  const a = unsafeData(A);
  const y = unsafeData(Y);

  const gram = new Float64Array(m * m);
  gramInto(a, n, m, gram);
  const aty = new Float64Array(N * m);
  gemmInto(y, a, aty, N, n, m); // row i = (A^T y_i)^T
  const work = ompWorkspace(gram, m, sparsity);
  const support = new Int32Array(N * sparsity);
  const coefs = new Float64Array(N * sparsity);
  const atoms = new Float64Array(N);
  const z = new Float64Array(N * m);
  const norms = new Float64Array(N);
  const residual = new Float64Array(n);
  let iterations = 0;

  for (let s = 0; s < N; s++) {
    const yOff = s * n;
    let yy = 0;
    for (let i = 0; i < n; i++) yy += y[yOff + i] * y[yOff + i];
    const out = s * sparsity;
    const k = ompInto(work, aty, s * m, yy, sparsity, tol, support, coefs, out);
    atoms[s] = k;
    if (k > iterations) iterations = k;
    // Scatter the code and recompute the residual from it (exact, unlike the Gram identity).
    for (let i = 0; i < n; i++) residual[i] = y[yOff + i];
    for (let p = 0; p < k; p++) {
      const j = support[out + p];
      const zj = coefs[out + p];
      if (!Number.isFinite(zj)) {
        throw new Error(
          `${fn}: the coefficients became non-finite (sample ${s}, atom ${j}); check the scale of the data.`,
        );
      }
      z[s * m + j] = zj;
      for (let i = 0; i < n; i++) residual[i] -= zj * a[i * m + j];
    }
    let rr = 0;
    for (let i = 0; i < n; i++) rr += residual[i] * residual[i];
    norms[s] = Math.sqrt(rr);
  }

  return {
    Z: wrap(z, [N, m]),
    iterations,
    perSampleAtoms: wrap(atoms, [N]),
    residualNorms: wrap(norms, [N]),
    seconds: (performance.now() - start) / 1000,
  };
}

/**
 * Checks {@link OmpOptions}: an object with `sparsity` (an integer in [1, maxAtoms]) and/or `tol`
 * (a finite number >= 0). Returns the sparsity (maxAtoms when absent) and the tolerance (-1, which
 * never stops, when absent).
 */
function checkOmpOptions(
  fn: string,
  options: OmpOptions,
  maxAtoms: number,
): { sparsity: number; tol: number } {
  const requirement = "an object with 'sparsity' and/or 'tol'";
  if (options === null || typeof options !== 'object') typeError(fn, 'options', requirement, options);
  if (options.sparsity === undefined && options.tol === undefined)
    typeError(fn, 'options', requirement, new Got(`an object without either`));
  const sparsity =
    options.sparsity === undefined
      ? maxAtoms
      : checkInteger(fn, 'sparsity', options.sparsity, { min: 1, max: maxAtoms });
  const tol = options.tol === undefined ? -1 : checkNumber(fn, 'tol', options.tol, { min: 0 });
  return { sparsity, tol };
}
