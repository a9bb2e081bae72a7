/**
 * Dictionary learning by alternating minimisation (AM) of the mean Lasso objective
 *
 *     F(D, Z) = 1/N sum_i 1/2 ||y_i - D z_i||² + λ ||z_i||₁,     every atom ||d_j|| <= 1,
 *
 * alternating exact-ish sparse coding at fixed D with a dictionary update at fixed Z (the batch
 * algorithm of Mairal, Bach, Ponce & Sapiro 2010, JMLR, with their block-coordinate update).
 *
 * Start: the initial dictionary D_0 is coded from Z = 0; history[0] = F(D_0, Z_0). Then each outer
 * iteration t:
 *
 * 1. Dictionary update at fixed Z_t, through the sufficient statistics A = Zᵀ Z / N (K x K) and
 *    B = Yᵀ Z / N (n x K) (formed over the supports of the codes, O(N (nnz² + nnz n))), since
 *    the smooth part is 1/2 tr(Dᵀ D A) - tr(Dᵀ B) + const:
 *    - 'bcd' (default): Mairal et al.'s Algorithm 2, `updateSteps` cyclic passes over the atoms,
 *      each the exact minimisation over one atom, the others fixed, on the unit ball:
 *      u_j = d_j + (b_j - D a_j) / A_jj, d_j = u_j / max(1, ||u_j||). O(n K²) per pass.
 *    - 'pgd': `updateSteps` projected gradient steps D <- P(D - η (D A - B)) with backtracking
 *      (the step halves until the sufficient-decrease condition of the quadratic upper bound
 *      holds; it starts each step at twice the last accepted one, the first at 2 / the
 *      Gershgorin bound of ||A||_2).
 *    Atoms no code uses (A_jj = 0) cannot move the objective: they are replaced by the
 *    worst-represented signals (largest per-sample objective), normalised, as scikit-learn and
 *    K-SVD do, so that they get a chance at the next coding. This leaves F(D, Z_t) unchanged.
 * 2. Sparse coding at fixed D_(t+1), warm-started from Z_t, until every signal's duality gap is
 *    <= `codingTol` (or `codingMaxIter` iterations): coordinate descent ('cd', default; one
 *    iteration is one epoch) or FISTA with adaptive restart ('fista').
 *
 * Monotonicity, by construction. Every step is non-increasing in exact arithmetic (CD from a warm
 * start, the exact block minimisations, the backtracking condition), and two guards make the
 * reported objective non-increasing in floating point too: a signal whose new code is worse than
 * its previous one (FISTA is not monotone, and stops anywhere within its gap tolerance) keeps the
 * previous code, and a dictionary update that would raise the mean objective by rounding (near
 * convergence) is undone. Both compare per-sample objectives computed by the same function
 * (objective.ts), so F(D_(t+1), Z_(t+1)) <= F(D_(t+1), Z_t) <= F(D_t, Z_t) holds exactly as computed.
 *
 * Costs per outer iteration (n signal length, K atoms, N signals, nnz non-zeros per code): the
 * coding (CD: one product N n K for Dᵀ Y and n K² for the Gram matrix, then its epochs), the
 * statistics, the update, and two evaluations of the objective (O(N n nnz) each).
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import { gatherSupport } from '../linalg/sparse-rows.js';
import { Rng } from '../random/rng.js';
import { coordinateDescentSolver, CD_SYNC_EVERY } from '../solvers/coordinate-descent.js';
import { fistaSolver } from '../solvers/fista.js';
import { lassoProblem, type LassoProblem } from '../solvers/lasso-problem.js';
import type { IterativeSolver, SolverState } from '../solvers/types.js';
import { runSolver } from '../solvers/run.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkInteger, checkNumber, checkOneOf } from '../validate/index.js';
import { checkLearningOptions, IterationRecorder, transposeRaw } from './common.js';
import { checkSignals, initialAtoms } from './init.js';
import { objectivesAtomRowsInto } from './objective.js';
import type { DictionaryLearningOptions, DictionaryLearningResult } from './types.js';

/** Options of {@link learnDictionaryAm}. */
export interface AmOptions extends DictionaryLearningOptions {
  /** λ >= 0, the weight of the l1 penalty (one number for every signal). */
  readonly lambda: number;
  /** Sparse-coding solver, warm-started from the previous codes (default 'cd'). */
  readonly coding?: 'fista' | 'cd';
  /**
   * Duality gap every signal must reach at each coding (absolute, in the units of the
   * per-sample objective; default 1e-6). Smaller is closer to exact alternating minimisation.
   */
  readonly codingTol?: number;
  /** Iteration cap of each coding (CD epochs or FISTA iterations; default 200: the next outer iteration goes on from where it stopped). */
  readonly codingMaxIter?: number;
  /** Dictionary update: block-coordinate atom updates ('bcd', default) or projected gradient ('pgd'). */
  readonly update?: 'pgd' | 'bcd';
  /** Passes over the atoms ('bcd', default 1) or gradient steps ('pgd', default 10) per outer iteration. */
  readonly updateSteps?: number;
}

/** Default number of outer iterations of AM. */
export const AM_DEFAULT_ITERATIONS = 30;
/** Default duality-gap tolerance of each coding. */
export const AM_DEFAULT_CODING_TOL = 1e-6;
/** Default iteration cap of each coding. */
export const AM_DEFAULT_CODING_MAX_ITER = 200;
/** FISTA codings certify every this many iterations (each certificate costs two products). */
const FISTA_CHECK_EVERY = 10;
/** Most halvings of the PGD step before the step is given up (the update then stops). */
const MAX_HALVINGS = 60;

/**
 * Dictionary learning by alternating minimisation (see the module notes) on the signals Y (N, n):
 * returns the dictionary (n, K) (atoms in the unit ball), the codes (N, K) and the objective
 * F(D_t, Z_t) per outer iteration, which never increases.
 */
export function learnDictionaryAm(Y: Tensor, options: AmOptions): DictionaryLearningResult {
  const fn = 'learnDictionaryAm';
  checkSignals(fn, Y);
  const [N, n] = Y.shape;
  const common = checkLearningOptions(fn, options, n, AM_DEFAULT_ITERATIONS);
  const K = common.atoms;
  const lambda = checkNumber(fn, 'lambda', options.lambda, { min: 0 });
  const coding =
    options.coding === undefined ? 'cd' : checkOneOf(fn, 'coding', options.coding, ['fista', 'cd'] as const);
  const codingTol =
    options.codingTol === undefined
      ? AM_DEFAULT_CODING_TOL
      : checkNumber(fn, 'codingTol', options.codingTol, { min: 0 });
  const codingMaxIter =
    options.codingMaxIter === undefined
      ? AM_DEFAULT_CODING_MAX_ITER
      : checkInteger(fn, 'codingMaxIter', options.codingMaxIter, { min: 1 });
  const update =
    options.update === undefined ? 'bcd' : checkOneOf(fn, 'update', options.update, ['pgd', 'bcd'] as const);
  const updateSteps =
    options.updateSteps === undefined
      ? update === 'bcd'
        ? 1
        : 10
      : checkInteger(fn, 'updateSteps', options.updateSteps, { min: 1 });
  const recorder = new IterationRecorder(fn, common, n);

  const rng = new Rng(common.seed);
  const dt = transposeRaw(initialAtoms(fn, Y, K, common.init, rng), n, K); // atoms as rows (K x n)
  const y = unsafeData(Y);
  const solver: IterativeSolver<LassoProblem, SolverState> =
    coding === 'cd' ? coordinateDescentSolver({ tol: codingTol }) : fistaSolver({ restart: true });
  const checkEvery = coding === 'cd' ? CD_SYNC_EVERY : FISTA_CHECK_EVERY;
  const r = new Float64Array(N * n);
  const objectives = new Float64Array(N); // per-sample F(D_t, z_i) of the current pair
  const trial = new Float64Array(N);
  const saved = new Float64Array(K * n);
  const stats = { a: new Float64Array(K * K), bt: new Float64Array(K * n) };
  const work = updateWorkspace(K, n);

  /** Codes at the current dictionary from `z`, keeping per signal the better of old and new. */
  const code = (z: Float64Array): { z: Float64Array; mean: number } => {
    const D = wrap(transposeRaw(dt, K, n), [n, K]);
    const problem = lassoProblem(D, Y, lambda, fn);
    const result = runSolver(solver, problem, {
      warmStart: wrap(z, [N, K]),
      tol: codingTol,
      maxIter: codingMaxIter,
      checkEvery,
    });
    const next = Float64Array.from(unsafeData(result.Z));
    objectivesAtomRowsInto(dt, y, next, N, n, K, lambda, r, trial);
    let total = 0;
    for (let i = 0; i < N; i++) {
      if (trial[i] > objectives[i]) next.set(z.subarray(i * K, (i + 1) * K), i * K);
      else objectives[i] = trial[i];
      total += objectives[i];
    }
    return { z: next, mean: N > 0 ? total / N : 0 };
  };

  let z: Float64Array = new Float64Array(N * K);
  objectivesAtomRowsInto(dt, y, z, N, n, K, lambda, r, objectives); // F(D_0, 0)
  let current = code(z);
  z = current.z;
  if (recorder.record(0, current.mean, dt, true)) {
    for (let iteration = 1; iteration <= common.iterations; iteration++) {
      // 1. Dictionary update at fixed codes, undone if rounding made it worse.
      saved.set(dt);
      statisticsInto(z, y, N, n, K, stats.a, stats.bt);
      if (update === 'bcd') {
        for (let pass = 0; pass < updateSteps; pass++) bcdPassInto(dt, stats.a, stats.bt, K, n, work.u);
      } else {
        pgdStepsInto(dt, stats.a, stats.bt, K, n, updateSteps, work);
      }
      replaceUnusedAtoms(dt, stats.a, y, objectives, N, n, K);
      const mean = objectivesAtomRowsInto(dt, y, z, N, n, K, lambda, r, trial);
      if (mean <= current.mean) objectives.set(trial);
      else dt.set(saved);
      // 2. Sparse coding at the new dictionary, warm-started.
      current = code(z);
      z = current.z;
      if (!recorder.record(iteration, current.mean, dt, true)) break;
    }
  }
  return {
    method: 'am',
    D: wrap(transposeRaw(dt, K, n), [n, K]),
    codes: wrap(z, [N, K]),
    history: recorder.history,
    seconds: recorder.seconds,
  };
}

/** A = Zᵀ Z / N (K x K) and Bᵀ = Zᵀ Y / N (K x n), over the supports of the codes. */
function statisticsInto(
  z: Float64Array,
  y: Float64Array,
  N: number,
  n: number,
  K: number,
  a: Float64Array,
  bt: Float64Array,
): void {
  a.fill(0);
  bt.fill(0);
  const { offsets, indices, values } = gatherSupport(z, N, K);
  for (let i = 0; i < N; i++) {
    const yo = i * n;
    for (let p = offsets[i]; p < offsets[i + 1]; p++) {
      const j = indices[p];
      const zj = values[p];
      const ao = j * K;
      for (let q = offsets[i]; q < offsets[i + 1]; q++) a[ao + indices[q]] += zj * values[q];
      const bo = j * n;
      for (let t = 0; t < n; t++) bt[bo + t] += zj * y[yo + t];
    }
  }
  if (N > 0) {
    const inv = 1 / N;
    for (let k = 0; k < K * K; k++) a[k] *= inv;
    for (let k = 0; k < K * n; k++) bt[k] *= inv;
  }
}

/**
 * One cyclic pass of exact block minimisation over the atoms (rows of dt), each projected onto
 * the unit ball (Mairal et al. 2010, Algorithm 2); unused atoms (A_jj = 0) are left. `u` (n) is
 * scratch.
 */
function bcdPassInto(
  dt: Float64Array,
  a: Float64Array,
  bt: Float64Array,
  K: number,
  n: number,
  u: Float64Array,
): void {
  for (let j = 0; j < K; j++) {
    const ajj = a[j * K + j];
    if (!(ajj > 0)) continue;
    const jo = j * n;
    // u = b_j - D a_j (the current atoms, earlier ones already updated), then d_j + u / A_jj.
    for (let t = 0; t < n; t++) u[t] = bt[jo + t];
    for (let l = 0; l < K; l++) {
      const ajl = a[j * K + l];
      if (ajl === 0) continue;
      const lo = l * n;
      for (let t = 0; t < n; t++) u[t] -= ajl * dt[lo + t];
    }
    let s = 0;
    for (let t = 0; t < n; t++) {
      u[t] = dt[jo + t] + u[t] / ajj;
      s += u[t] * u[t];
    }
    const scale = s > 1 ? 1 / Math.sqrt(s) : 1;
    for (let t = 0; t < n; t++) dt[jo + t] = u[t] * scale;
  }
}

interface UpdateWorkspace {
  /** One atom (n). */
  readonly u: Float64Array;
  /** The gradient A Dᵀ - Bᵀ (K x n), the trial point and A times it (K x n). */
  readonly grad: Float64Array;
  readonly next: Float64Array;
  readonly product: Float64Array;
  /** The last accepted PGD step (0 before the first). */
  step: number;
}

function updateWorkspace(K: number, n: number): UpdateWorkspace {
  return {
    u: new Float64Array(n),
    grad: new Float64Array(K * n),
    next: new Float64Array(K * n),
    product: new Float64Array(K * n),
    step: 0,
  };
}

/** f(Dᵀ) = 1/2 <Dᵀ, A Dᵀ> - <Dᵀ, Bᵀ> given the product A Dᵀ (all K x n). */
function smoothValue(dt: Float64Array, adt: Float64Array, bt: Float64Array): number {
  let s = 0;
  for (let k = 0; k < dt.length; k++) s += dt[k] * (0.5 * adt[k] - bt[k]);
  return s;
}

/**
 * `steps` projected gradient steps with backtracking on f(Dᵀ) = 1/2 <Dᵀ, A Dᵀ> - <Dᵀ, Bᵀ> over
 * atoms in the unit ball: a trial step η is accepted when
 * f(next) <= f(D) + <∇f, next - D> + ||next - D||² / (2η), which holds for every η <= 1/||A||_2.
 */
function pgdStepsInto(
  dt: Float64Array,
  a: Float64Array,
  bt: Float64Array,
  K: number,
  n: number,
  steps: number,
  work: UpdateWorkspace,
): void {
  const { grad, next, product } = work;
  if (!(work.step > 0)) {
    let bound = 0; // Gershgorin: ||A||_2 <= max_j sum_l |A_jl|
    for (let j = 0; j < K; j++) {
      let s = 0;
      for (let l = 0; l < K; l++) s += Math.abs(a[j * K + l]);
      bound = Math.max(bound, s);
    }
    if (!(bound > 0)) return; // no code uses any atom
    work.step = 1 / bound;
  }
  gemmInto(a, dt, product, K, K, n);
  let value = smoothValue(dt, product, bt);
  for (let step = 0; step < steps; step++) {
    for (let k = 0; k < K * n; k++) grad[k] = product[k] - bt[k];
    let eta = 2 * work.step;
    let accepted = false;
    for (let halving = 0; halving < MAX_HALVINGS && !accepted; halving++, eta /= 2) {
      for (let k = 0; k < K * n; k++) next[k] = dt[k] - eta * grad[k];
      projectRowsInPlace(next, K, n);
      let linear = 0;
      let distance = 0;
      for (let k = 0; k < K * n; k++) {
        const delta = next[k] - dt[k];
        linear += grad[k] * delta;
        distance += delta * delta;
      }
      gemmInto(a, next, product, K, K, n);
      const trial = smoothValue(next, product, bt);
      if (trial <= value + linear + distance / (2 * eta)) {
        accepted = true;
        work.step = eta;
        dt.set(next);
        value = trial;
      }
    }
    if (!accepted) return;
  }
}

/** Each row of x (K x n) onto the unit ball. */
function projectRowsInPlace(x: Float64Array, K: number, n: number): void {
  for (let j = 0; j < K; j++) {
    const o = j * n;
    let s = 0;
    for (let t = o; t < o + n; t++) s += x[t] * x[t];
    if (s > 1) {
      const inv = 1 / Math.sqrt(s);
      for (let t = o; t < o + n; t++) x[t] *= inv;
    }
  }
}

/**
 * Atoms that no code uses (A_jj = 0) become the worst-represented signals (largest per-sample
 * objective), one distinct signal each, normalised; zero signals are skipped (the atom is then
 * left as it is).
 */
function replaceUnusedAtoms(
  dt: Float64Array,
  a: Float64Array,
  y: Float64Array,
  objectives: Float64Array,
  N: number,
  n: number,
  K: number,
): void {
  const unused: number[] = [];
  for (let j = 0; j < K; j++) if (!(a[j * K + j] > 0)) unused.push(j);
  if (unused.length === 0 || N === 0) return;
  const order = Array.from({ length: N }, (_, i) => i).sort((p, q) => objectives[q] - objectives[p] || p - q);
  let next = 0;
  for (const j of unused) {
    let s = 0;
    let yo = 0;
    while (next < N && !(s > 0)) {
      yo = order[next++] * n;
      s = 0;
      for (let t = 0; t < n; t++) s += y[yo + t] * y[yo + t];
    }
    if (!(s > 0)) return;
    const inv = 1 / Math.sqrt(s);
    for (let t = 0; t < n; t++) dt[j * n + t] = y[yo + t] * inv;
  }
}
