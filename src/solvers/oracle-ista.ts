/**
 * Oracle ISTA (Ablin, Moreau, Massias & Gramfort, NeurIPS 2019): ISTA whose step adapts to the
 * support of the current iterate. For each sample, with S = supp(z) and L_S = ||A_S||_2^2 (the
 * largest eigenvalue of the Gram submatrix A_S^T A_S, never more than L = ||A||_2^2):
 *
 *     z_S = ST(z - (1/B) g, lambda / B),     g = A^T (A z - y),   L_S <= B <= L,
 *     z+  = z_S                          if supp(z_S) is inside S,
 *     z+  = ST(z - (1/L) g, lambda / L)  otherwise (and when S is empty).
 *
 * B is L_S itself once the support has been seen twice in a row, as in the paper; see "When L_S is
 * computed" for the iterations in between.
 *
 * Why the objective never increases. With d = z+ - z and step t, z+ minimises the model
 * Q_t(u) = f(z) + <g, u - z> + ||u - z||^2 / (2t) + lambda ||u||_1, which is (1/t)-strongly convex
 * with Q_t(z) = F(z); and f(z+) = f(z) + <g, d> + ||A d||^2 / 2 exactly (f is quadratic). Together:
 * F(z+) <= F(z) - ||d||^2 / t + ||A d||^2 / 2. When the support does not grow, d lives on S, so
 * ||A d||^2 <= L_S ||d||^2 and the oracle step t = 1/B gives F(z+) <= F(z) - (B - L_S / 2) ||d||^2
 * <= F(z) - (L_S / 2) ||d||^2; the fallback t = 1/L with L >= ||A||_2^2 gives
 * F(z+) <= F(z) - (L / 2) ||d||^2. The bound also shows that an error in L_S up to a factor 2
 * could not make F increase, so the small error of the computed eigenvalue (below) is harmless;
 * it is used without a safety margin, so that an exact L_S (e.g. A_S with orthonormal columns)
 * gives the exact oracle step.
 *
 * When L_S is computed. An eigenvalue per sample and per support change costs far more than an
 * ISTA iteration (early iterates change support at every iteration, with hundreds of atoms), so
 * each sample carries an upper bound B of L_S and computes L_S only for a support it keeps:
 * - the support is the previous iterate's (or the warm start's) and B is not yet its L_S: compute
 *   L_S (memoised per problem and support);
 * - the support shrank (S' inside S): keep B, still an upper bound since L_S' <= L_S;
 * - the support grew: B = L, i.e. the ISTA step, until the support repeats.
 * So the step is 1/L_S exactly whenever the support is stable, which is where oracle ISTA gains
 * over ISTA (after support identification, the rate is set by L_S instead of L), and between
 * changes it is a conservative step in [1/L, 1/L_S]. On the benchmark problem this needs about as
 * many iterations as computing L_S at every change (2% more) in a fifth of the time.
 *
 * Computing L_S. For |S| = 1 it is ||a_j||^2. Up to 16 atoms, the largest eigenvalue of the
 * |S| x |S| Gram matrix by Jacobi rotations (eigSym, accurate to about 1e-14 relative); beyond
 * that, the power iteration on A_S from its fixed start (tolerance 1e-10: a lower bound far closer
 * than the factor 2 that the decrease needs). Both are deterministic functions of the support. The
 * value is capped at L. Cost O(n |S|^2 + |S|^3), resp. O(n |S|) per power iteration.
 *
 * Per iteration the cost is ISTA's (one support-aware product with A^T, one product with A) plus
 * O(m) per sample for the support tests and, on fallback, a second thresholding of the same point.
 *
 * @module
 */
import { gramInto } from '../linalg/gemm.js';
import { eigSym } from '../linalg/eig.js';
import { powerIterationInto } from '../linalg/power-iteration.js';
import { unsafeData, wrap } from '../tensor/tensor.js';
import { lassoCertificate } from './lasso-certificate.js';
import type { LassoProblem } from './lasso-problem.js';
import { initialCodes } from './ista.js';
import { lassoGradientInto } from './gradient.js';
import { inverseLipschitz, proxGradRowInto, sameSupport, supportWithin } from './prox-grad-kernels.js';
import type { IterativeSolver, SolverState } from './types.js';

/** Oracle ISTA's state: the codes and, per sample, a bound of the constant L_S of their support. */
export interface OracleIstaState extends SolverState {
  /** Codes (N x m, row-major). */
  readonly z: Float64Array;
  /**
   * Per sample, an upper bound of L_S = ||A_S||_2^2 for S = supp(z_i): L_S itself where `exact`,
   * else the L_S of a larger support seen before, or L.
   */
  readonly supportLipschitz: Float64Array;
  /** Per sample, 1 where `supportLipschitz` is L_S of the current support. */
  readonly exact: Uint8Array;
  /** Per sample, 1 where the support is the previous iterate's (or the warm start's). */
  readonly stable: Uint8Array;
  /** The step each sample took in the last iteration (0 before the first). */
  readonly steps: Float64Array;
  /** How many samples took the oracle step 1/B in the last iteration (the others took 1/L). */
  readonly oracleSteps: number;
}

/** Largest support whose Gram matrix goes to Jacobi; larger ones use the power iteration. */
const JACOBI_MAX_SUPPORT = 16;
/** Memoised L_S per problem, keyed by the support's indices; cleared when it grows past the bound. */
const CACHE_BOUND = 4096;
const supportCache = new WeakMap<LassoProblem, Map<string, number>>();

/** L_S = ||A_S||_2^2 for the support `idx[0 .. s)` (capped at problem.lipschitz). */
function computeSupportLipschitz(problem: LassoProblem, idx: Int32Array, s: number): number {
  const { n, m } = problem;
  const a = unsafeData(problem.A);
  const as = new Float64Array(n * s);
  for (let k = 0; k < n; k++) for (let q = 0; q < s; q++) as[k * s + q] = a[k * m + idx[q]];
  let value: number;
  if (s === 1) {
    value = 0;
    for (let k = 0; k < n; k++) value += as[k] * as[k];
  } else if (s <= JACOBI_MAX_SUPPORT) {
    const g = new Float64Array(s * s);
    gramInto(as, n, s, g);
    value = unsafeData(eigSym(wrap(g, [s, s])).values)[0];
  } else {
    const sigma = powerIterationInto(as, n, s, 1e-10, 1000, new Float64Array(s), new Float64Array(n)).value;
    value = sigma * sigma;
  }
  return Math.min(value, problem.lipschitz);
}

/** L_S of the support of row `offset` of z, memoised per problem and support. */
function supportLipschitzOf(problem: LassoProblem, z: Float64Array, offset: number, idx: Int32Array): number {
  const m = problem.m;
  let s = 0;
  for (let j = 0; j < m; j++) if (z[offset + j] !== 0) idx[s++] = j;
  let cache = supportCache.get(problem);
  if (cache === undefined) {
    cache = new Map();
    supportCache.set(problem, cache);
  }
  const key = idx.subarray(0, s).join(',');
  let value = cache.get(key);
  if (value === undefined) {
    value = computeSupportLipschitz(problem, idx, s);
    if (cache.size >= CACHE_BOUND) cache.clear();
    cache.set(key, value);
  }
  return value;
}

/**
 * Oracle ISTA: per sample, step 1/L_S (1/B, see the module notes) on the current support when the
 * support does not grow, else 1/L.
 */
export const oracleIsta: IterativeSolver<LassoProblem, OracleIstaState> = {
  name: 'oracleIsta',
  init(problem, warmStart) {
    const N = problem.N;
    return {
      iteration: 0,
      z: initialCodes('oracleIsta', problem, warmStart),
      supportLipschitz: new Float64Array(N).fill(problem.lipschitz),
      exact: new Uint8Array(N),
      stable: new Uint8Array(N).fill(1), // a warm start's support gets its L_S at the first step
      steps: new Float64Array(N),
      oracleSteps: 0,
    };
  },
  step(problem, state) {
    const { N, n, m } = problem;
    const lambdas = problem.lambdas;
    const L = problem.lipschitz;
    const z = state.z;
    const residual = new Float64Array(N * n);
    const grad = new Float64Array(N * m);
    lassoGradientInto(problem, z, residual, grad);
    const fallback = inverseLipschitz(L);

    const next = new Float64Array(N * m);
    const steps = new Float64Array(N);
    const supportLipschitz = new Float64Array(N);
    const exact = new Uint8Array(N);
    const stable = new Uint8Array(N);
    let idx: Int32Array | undefined;
    let oracleSteps = 0;
    for (let i = 0; i < N; i++) {
      const o = i * m;
      let bound = state.supportLipschitz[i];
      let isExact = state.exact[i];
      const empty = isZeroRow(z, o, m);
      if (!empty && isExact === 0 && state.stable[i] === 1) {
        bound = supportLipschitzOf(problem, z, o, (idx ??= new Int32Array(m)));
        isExact = 1;
      }
      let oracle = false;
      if (!empty && bound > 0 && bound < L) {
        proxGradRowInto(z, grad, o, m, 1 / bound, lambdas[i], next);
        oracle = supportWithin(next, z, o, m);
      }
      if (oracle) oracleSteps++;
      else proxGradRowInto(z, grad, o, m, fallback, lambdas[i], next);
      steps[i] = oracle ? 1 / bound : fallback;
      if (sameSupport(next, z, o, m)) {
        supportLipschitz[i] = bound;
        exact[i] = isExact;
        stable[i] = 1;
      } else {
        // A smaller support keeps the bound (L_S' <= L_S for S' inside S); a larger one restarts from L.
        supportLipschitz[i] = supportWithin(next, z, o, m) ? bound : L;
      }
    }
    return { iteration: state.iteration + 1, z: next, supportLipschitz, exact, stable, steps, oracleSteps };
  },
  solution(problem, state) {
    return wrap(state.z.slice(), [problem.N, problem.m]);
  },
  certificate(problem, state) {
    return lassoCertificate(problem, state.z);
  },
};

function isZeroRow(z: Float64Array, offset: number, m: number): boolean {
  for (let k = offset; k < offset + m; k++) if (z[k] !== 0) return false;
  return true;
}
