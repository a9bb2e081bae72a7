/**
 * Cyclic coordinate descent for the Lasso with a precomputed Gram matrix ("covariance updates" of
 * Friedman, Hastie & Tibshirani 2010, glmnet), on every sample of a batch, with a working set per
 * sample solved as a small problem of its own between checks of the whole problem (the outer /
 * inner structure of celer: Massias, Gramfort & Salmon 2018).
 *
 * Per sample the solver keeps the codes z and the correlation with the residual
 *
 *     c = A^T (y - A z) = A^T y - G z,        G = A^T A (problem.gram, cached),
 *
 * so that the exact minimisation of F over coordinate j, the others fixed, is
 *
 *     z_j <- ST(G_jj z_j + c_j, lambda) / G_jj,
 *
 * after which c <- c - (z_j_new - z_j) G[:, j] (skipped when z_j does not change). A^T Y and
 * ||y_i||^2 are computed once per problem (one product N n m) and cached. An atom with G_jj = 0 (a
 * zero column) only adds lambda |z_j| to F: its code is set to 0 and never moves (G[:, j] = 0, so
 * c is unaffected).
 *
 * One `step` is one epoch for every sample: a cyclic pass, in increasing index order, over the
 * coordinates of that sample's working set W.
 *
 * - Plain (`workingSet: false`): W is every coordinate; each pass keeps c exact everywhere (every
 *   pass is a synchronisation, below) and costs m per change.
 * - Working set (default). At a synchronisation c is exact on all m coordinates; one O(m) scan
 *   scores every coordinate by G_jj move^2, where `move` is how far the exact coordinate step would
 *   move it (about twice the decrease of F it would give), and W is the support plus the
 *   coordinates off it whose score exceeds both the largest score on the support and a quarter
 *   ({@link CD_GROWTH_FRACTION}) of the largest score off it. So W grows only while the violations
 *   off the support dominate (once the support has converged, every violator joins), and a pass
 *   from z = 0 does not fill the support with atoms that later leave. The next passes are over W
 *   only, on the subproblem restricted to W: the codes, the correlations and G on W are gathered
 *   into small contiguous arrays, and a change costs |W|. After {@link CD_SYNC_EVERY} passes (or
 *   one pass that changed nothing) the changes reach the rest of c at once, as one support-aware
 *   product (Delta z) G (linalg/sparse-rows), c is exact again, the sample is certified and W is
 *   rebuilt. The largest violator off W joins whenever it beats the support, so the schedule never
 *   stalls, and optimality is never assumed from it: every certificate reads c over all m atoms.
 *
 * Cost per sample: a pass over W costs |W| per change and copies 2 |W| numbers; a
 * synchronisation costs m per coordinate changed since the last one, plus O(m) scans and copies
 * (and |W|^2 to gather G on the new W). Nothing is proportional to n.
 *
 * Certificate without A. From r = y - A z and G z = A^T y - c:
 *
 *     ||r||^2 = ||y||^2 - 2 z^T A^T y + z^T G z = ||y||^2 - z^T (A^T y + c),       A^T r = c,
 *
 * so the objective and the duality gap of problems/lasso (its non-negative sum form, through
 * lassoGapInto) cost O(m) per sample once c is exact, instead of the products with A of
 * lassoCertificate. `certificate` synchronises (in a copy) the samples that are between two
 * synchronisations, which costs what a synchronisation costs; it is remembered for the state, and
 * a step that synchronises a sample at that state reuses it, so the iterates never depend on how
 * often the run checks. Certify every {@link CD_SYNC_EVERY} iterations (runSolver's `checkEvery`)
 * to pay for one synchronisation per check. The gap reads ||r||^2 only in the term
 * 1/2 ||r||^2 (1 - 1/s)^2, which vanishes near the solution; when the difference above loses more
 * than 20 bits to cancellation (lambda near 0 and a near-interpolating z), the residual is formed
 * instead, over the support. The updates of c accumulate rounding: each sample's c is recomputed
 * from scratch (A^T y - G z over the support) at its first synchronisation
 * {@link CD_REFRESH_EVERY} epochs or more after the last, so that the drift, and the difference
 * with lassoCertificate, stay at the level of one product.
 *
 * Samples that are done. With the option `tol`, a sample whose gap is <= tol at a synchronisation
 * is left as it is from then on (its arrays are shared with the next states, not copied): give it
 * the run's tolerance and the epochs go only to the samples that still need them. The run itself
 * still stops on its own `tol`; the default 0 only leaves the samples whose gap is exactly 0. A
 * sample whose pass right after a synchronisation changes nothing is at a fixed point of the
 * iteration (the next epochs would repeat that pass exactly), so it is skipped too, until the
 * recomputation of its c from scratch gives it another look.
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import { dotRaw } from '../linalg/norms.js';
import { sparseRowsTimesInto } from '../linalg/sparse-rows.js';
import { lassoGapInto } from '../problems/lasso.js';
import { unsafeData, wrap } from '../tensor/tensor.js';
import { checkBoolean, checkNumber, typeError } from '../validate/index.js';
import { initialCodes } from './ista.js';
import type { LassoProblem } from './lasso-problem.js';
import type { Certificate, IterativeSolver, SolverState } from './types.js';

/**
 * Coordinate descent's state. Per sample (row) i, as of its last synchronisation: the codes z[i],
 * the exact correlations c[i] = A^T (y_i - A z[i]) (length m each), the objective and the duality
 * gap. Then the working set workingSets[i] (increasing indices) and, after the age[i] > 0 passes
 * made over it since, the current codes zW[i] and correlations cW[i] on it (compact, length |W|)
 * and G restricted to it, gramW[i] (|W| x |W|). With age[i] = 0 the sample is at its
 * synchronisation (z[i] and c[i] are current). Arrays are never written after the step that made
 * them; a step shares those it leaves as they are.
 */
export interface CoordinateDescentState extends SolverState {
  readonly z: readonly Float64Array[];
  readonly c: readonly Float64Array[];
  readonly objectives: Float64Array;
  readonly gaps: Float64Array;
  readonly workingSets: readonly Int32Array[];
  readonly zW: readonly Float64Array[];
  readonly cW: readonly Float64Array[];
  readonly gramW: readonly Float64Array[];
  readonly age: Int32Array;
  /** The iteration at which each sample's c was last recomputed from scratch. */
  readonly refreshed: Int32Array;
  /**
   * 1 where the pass after the last synchronisation changed nothing: a fixed point of the
   * iteration, which the steps skip until the sample's next recomputation of c from scratch.
   */
  readonly fixed: Uint8Array;
}

/** Options of {@link coordinateDescentSolver}. */
export interface CoordinateDescentOptions {
  /** Passes over working sets between synchronisations (default true; see the module notes). */
  workingSet?: boolean;
  /** Leave a sample as it is once its duality gap is <= tol (default 0); give it the run's tol. */
  tol?: number;
}

/** Epochs after which a sample's c is recomputed from scratch at its next synchronisation. */
export const CD_REFRESH_EVERY = 16;

/**
 * A coordinate off the support joins the working set when its score is at least this fraction of
 * the largest score off the support (and larger than every score on it); see the module notes.
 */
export const CD_GROWTH_FRACTION = 0.25;

/** Passes over a working set between two synchronisations (see the module notes). */
export const CD_SYNC_EVERY = 5;

/** Per-problem constants: G = A^T A (m x m), its diagonal, A^T y (N x m) and ||y_i||^2 (N). */
interface Constants {
  readonly g: Float64Array;
  readonly diag: Float64Array;
  readonly aty: Float64Array;
  readonly yy: Float64Array;
}

const constantsCache = new WeakMap<LassoProblem, Constants>();

/** The constants of a problem, computed once per problem. */
function constantsOf(problem: LassoProblem): Constants {
  let cached = constantsCache.get(problem);
  if (cached === undefined) {
    const { N, n, m } = problem;
    const g = unsafeData(problem.gram);
    const diag = new Float64Array(m);
    for (let j = 0; j < m; j++) diag[j] = g[j * m + j];
    const y = unsafeData(problem.Y);
    const aty = new Float64Array(N * m);
    gemmInto(y, unsafeData(problem.A), aty, N, n, m, false, false);
    const yy = new Float64Array(N);
    for (let i = 0; i < N; i++) yy[i] = dotRaw(y, i * n, y, i * n, n);
    cached = { g, diag, aty, yy };
    constantsCache.set(problem, cached);
  }
  return cached;
}

/** Scratch of one step or certificate (length m unless said). */
interface Scratch {
  /** The coordinates of a working set being built. */
  visit: Int32Array;
  /** Scores of the coordinates off the support; otherwise 0. */
  score: Float64Array;
  /** The change of z since the last synchronisation (zero off the working set). */
  delta: Float64Array;
  /** A product row (Delta z) G or z G. */
  product: Float64Array;
  /** A residual y - A z (length n). */
  residual: Float64Array;
  /** lassoGapInto's one-sample inputs and outputs (views of one buffer). */
  rNorm: Float64Array;
  lambda: Float64Array;
  primal: Float64Array;
  dual: Float64Array;
  gap: Float64Array;
}

function scratchFor(n: number, m: number): Scratch {
  const one = new Float64Array(5);
  return {
    visit: new Int32Array(m),
    score: new Float64Array(m),
    delta: new Float64Array(m),
    product: new Float64Array(m),
    residual: new Float64Array(n),
    rNorm: one.subarray(0, 1),
    lambda: one.subarray(1, 2),
    primal: one.subarray(2, 3),
    dual: one.subarray(3, 4),
    gap: one.subarray(4, 5),
  };
}

/** c = A^T y - z G of one sample from scratch (`ao`: the sample's offset in A^T Y). */
function correlationInto(
  g: Float64Array,
  m: number,
  aty: Float64Array,
  ao: number,
  z: Float64Array,
  c: Float64Array,
  product: Float64Array,
): void {
  sparseRowsTimesInto(z, 1, m, g, m, product);
  for (let k = 0; k < m; k++) c[k] = aty[ao + k] - product[k];
}

/** c -= delta G[j, :] (G symmetric: the row is the column). Allocates nothing. */
function subtractRow(c: Float64Array, g: Float64Array, j: number, m: number, delta: number): void {
  const go = j * m;
  let k = 0;
  for (; k + 3 < m; k += 4) {
    c[k] -= delta * g[go + k];
    c[k + 1] -= delta * g[go + k + 1];
    c[k + 2] -= delta * g[go + k + 2];
    c[k + 3] -= delta * g[go + k + 3];
  }
  for (; k < m; k++) c[k] -= delta * g[go + k];
}

/** The exact coordinate step: argmin over z_j of F, from u = G_jj z_j + c_j (G_jj > 0). */
function coordinateMinimum(u: number, gjj: number, lambda: number): number {
  return u > lambda ? (u - lambda) / gjj : u < -lambda ? (u + lambda) / gjj : 0;
}

/**
 * One cyclic pass over the coordinates 0 .. w-1 of a problem with Gram matrix g (w x w), in place
 * on z and c (length w): a full pass when g is G, a pass over a working set when it is G
 * restricted to it. Returns the number of coordinates that changed. Allocates nothing.
 */
function passInto(g: Float64Array, w: number, lambda: number, z: Float64Array, c: Float64Array): number {
  let changed = 0;
  for (let j = 0; j < w; j++) {
    const old = z[j];
    const gjj = g[j * w + j];
    if (!(gjj > 0)) {
      // A zero atom: G[:, j] = 0, so c does not change.
      if (old !== 0) {
        z[j] = 0;
        changed++;
      }
      continue;
    }
    const next = coordinateMinimum(gjj * old + c[j], gjj, lambda);
    if (next === old) continue;
    z[j] = next;
    subtractRow(c, g, j, w, next - old);
    changed++;
  }
  return changed;
}

/**
 * The working set of one sample from its exact c (see the module notes): writes its coordinates,
 * in increasing order, into `s.visit` and returns how many. O(m); leaves `s.score` zero.
 */
function workingSetInto(
  diag: Float64Array,
  m: number,
  lambda: number,
  z: Float64Array,
  c: Float64Array,
  s: Scratch,
): number {
  const { score, visit } = s;
  let inside = 0;
  let outside = 0;
  for (let j = 0; j < m; j++) {
    const gjj = diag[j];
    if (!(gjj > 0)) continue; // a zero atom: visited (and zeroed) only if z_j != 0
    const zj = z[j];
    if (zj !== 0) {
      const move = coordinateMinimum(gjj * zj + c[j], gjj, lambda) - zj;
      const v = gjj * move * move;
      if (v > inside) inside = v;
    } else {
      const excess = Math.abs(c[j]) - lambda;
      if (excess > 0) {
        const v = (excess * excess) / gjj;
        score[j] = v;
        if (v > outside) outside = v;
      }
    }
  }
  const threshold = Math.max(CD_GROWTH_FRACTION * outside, Number.MIN_VALUE);
  let count = 0;
  for (let j = 0; j < m; j++) {
    const v = score[j];
    if (z[j] !== 0 || (v >= threshold && v > inside)) visit[count++] = j;
    score[j] = 0;
  }
  return count;
}

/** G restricted to the working set w (|w| x |w|, row-major). */
function restrictedGram(g: Float64Array, m: number, w: Int32Array): Float64Array {
  const size = w.length;
  const out = new Float64Array(size * size);
  for (let p = 0; p < size; p++) {
    const row = w[p] * m;
    for (let q = 0; q < size; q++) out[p * size + q] = g[row + w[q]];
  }
  return out;
}

/** x[w[t]] for every t: the entries of a row on a working set. */
function gather(x: Float64Array, w: Int32Array): Float64Array {
  const out = new Float64Array(w.length);
  for (let t = 0; t < w.length; t++) out[t] = x[w[t]];
  return out;
}

/**
 * A sample's current codes and exact correlations into zOut and cOut (length m) from its
 * synchronisation (z, c) and its working set w with the current values zW, cW on it: the changes
 * zW - z[w] reach c off w by one support-aware product. Allocates nothing; leaves `s.delta` zero.
 */
function synchroniseInto(
  g: Float64Array,
  m: number,
  z: Float64Array,
  c: Float64Array,
  w: Int32Array,
  zW: Float64Array,
  cW: Float64Array,
  s: Scratch,
  zOut: Float64Array,
  cOut: Float64Array,
): void {
  const { delta, product } = s;
  zOut.set(z);
  for (let t = 0; t < w.length; t++) {
    delta[w[t]] = zW[t] - z[w[t]];
    zOut[w[t]] = zW[t];
  }
  sparseRowsTimesInto(delta, 1, m, g, m, product);
  for (let k = 0; k < m; k++) cOut[k] = c[k] - product[k];
  for (let t = 0; t < w.length; t++) {
    cOut[w[t]] = cW[t]; // exact already: kept up to date by the passes
    delta[w[t]] = 0;
  }
}

/**
 * ||r||^2 from ||y||^2 - z^T (A^T y + c) has an absolute error of a few eps (||y||^2 + |z|^T (|A^T y| +
 * |c|)); below this fraction of that scale (20 bits lost to cancellation, e.g. lambda near 0 and a
 * near-interpolating z) the residual is formed instead, over the support, in O(n nnz).
 */
const CANCELLATION = 2 ** -20;

/** Objective and gap of sample i into objectives[i] and gaps[i], from its exact c (see the module notes). */
function certifyRowInto(
  problem: LassoProblem,
  constants: Constants,
  i: number,
  z: Float64Array,
  c: Float64Array,
  objectives: Float64Array,
  gaps: Float64Array,
  s: Scratch,
): void {
  const m = problem.m;
  const { aty, yy } = constants;
  const ao = i * m;
  let zbc = 0;
  let scale = yy[i];
  for (let k = 0; k < m; k++) {
    const zk = z[k];
    if (zk === 0) continue;
    const b = aty[ao + k];
    zbc += zk * (b + c[k]);
    scale += Math.abs(zk) * (Math.abs(b) + Math.abs(c[k]));
  }
  let rr = yy[i] - zbc;
  if (!(rr >= CANCELLATION * scale)) rr = residualNormSquared(problem, i, z, s.residual);
  // lassoGapInto reads the residual only through ||r||^2: a residual of width 1 holding ||r||.
  const { rNorm, lambda, primal, dual, gap } = s;
  rNorm[0] = Math.sqrt(Math.max(0, rr));
  lambda[0] = problem.lambdas[i];
  lassoGapInto(rNorm, c, z, 1, 1, m, lambda, primal, dual, gap);
  objectives[i] = primal[0];
  gaps[i] = gap[0];
}

/** ||y_i - A z||^2 with the residual formed over the support of z; `r` (n) is scratch. */
function residualNormSquared(problem: LassoProblem, i: number, z: Float64Array, r: Float64Array): number {
  const { n, m } = problem;
  const y = unsafeData(problem.Y);
  const at = unsafeData(problem.At);
  for (let k = 0; k < n; k++) r[k] = y[i * n + k];
  for (let j = 0; j < m; j++) {
    const zj = z[j];
    if (zj === 0) continue;
    const ao = j * n;
    for (let k = 0; k < n; k++) r[k] -= zj * at[ao + k];
  }
  return dotRaw(r, 0, r, 0, n);
}

/**
 * A certificate computed for a state, with the synchronised rows of the samples that the next step
 * synchronises (age >= CD_SYNC_EVERY).
 */
interface SynchronisedCertificate {
  readonly z: (Float64Array | undefined)[];
  readonly c: (Float64Array | undefined)[];
  readonly objectives: Float64Array;
  readonly gaps: Float64Array;
}

/** The coordinate-descent solver with the given options (see the module notes). */
export function coordinateDescentSolver(
  options: CoordinateDescentOptions = {},
): IterativeSolver<LassoProblem, CoordinateDescentState> {
  const fn = 'coordinateDescentSolver';
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const workingSet = checkBoolean(fn, 'workingSet', options.workingSet ?? true);
  const tol = checkNumber(fn, 'tol', options.tol ?? 0, { min: 0 });
  const name = 'coordinateDescent';
  // The certificates of states, so that a step synchronising a sample reuses what they computed.
  const certified = new WeakMap<CoordinateDescentState, SynchronisedCertificate>();

  function certify(problem: LassoProblem, state: CoordinateDescentState): SynchronisedCertificate {
    let done = certified.get(state);
    if (done !== undefined) return done;
    const { N, m } = problem;
    const k = constantsOf(problem);
    const s = scratchFor(problem.n, m);
    const z = new Array<Float64Array | undefined>(N);
    const c = new Array<Float64Array | undefined>(N);
    const zNow = new Float64Array(m);
    const cNow = new Float64Array(m);
    const objectives = state.objectives.slice();
    const gaps = state.gaps.slice();
    for (let i = 0; i < N; i++) {
      const a = state.age[i];
      if (a === 0) continue;
      // Keep the rows that the next step's synchronisation (age >= CD_SYNC_EVERY) will reuse.
      const keep = a >= CD_SYNC_EVERY;
      const zi = keep ? new Float64Array(m) : zNow;
      const ci = keep ? new Float64Array(m) : cNow;
      synchroniseInto(
        k.g,
        m,
        state.z[i],
        state.c[i],
        state.workingSets[i],
        state.zW[i],
        state.cW[i],
        s,
        zi,
        ci,
      );
      certifyRowInto(problem, k, i, zi, ci, objectives, gaps, s);
      if (keep) {
        z[i] = zi;
        c[i] = ci;
      }
    }
    done = { z, c, objectives, gaps };
    certified.set(state, done);
    return done;
  }

  return {
    name,
    init(problem, warmStart) {
      const { N, m } = problem;
      const k = constantsOf(problem);
      const codes = initialCodes(name, problem, warmStart);
      const s = scratchFor(problem.n, m);
      const z: Float64Array[] = [];
      const c: Float64Array[] = [];
      const objectives = new Float64Array(N);
      const gaps = new Float64Array(N);
      for (let i = 0; i < N; i++) {
        const zi = codes.slice(i * m, (i + 1) * m);
        const ci = new Float64Array(m);
        correlationInto(k.g, m, k.aty, i * m, zi, ci, s.product);
        certifyRowInto(problem, k, i, zi, ci, objectives, gaps, s);
        z.push(zi);
        c.push(ci);
      }
      const none = new Int32Array(0);
      const empty = new Float64Array(0);
      return {
        iteration: 0,
        z,
        c,
        objectives,
        gaps,
        workingSets: z.map(() => none),
        zW: z.map(() => empty),
        cW: z.map(() => empty),
        gramW: z.map(() => empty),
        age: new Int32Array(N),
        refreshed: new Int32Array(N),
        fixed: new Uint8Array(N),
      };
    },
    step(problem, state) {
      const { N, m, lambdas } = problem;
      const k = constantsOf(problem);
      const { g, diag } = k;
      const iteration = state.iteration;
      const memo = certified.get(state);
      const z = state.z.slice();
      const c = state.c.slice();
      const objectives = state.objectives.slice();
      const gaps = state.gaps.slice();
      const workingSets = state.workingSets.slice();
      const zW = state.zW.slice();
      const cW = state.cW.slice();
      const gramW = state.gramW.slice();
      const age = state.age.slice();
      const refreshed = state.refreshed.slice();
      const fixed = state.fixed.slice();
      const s = scratchFor(problem.n, m);
      for (let i = 0; i < N; i++) {
        const a = age[i];
        // Done, or at a fixed point: its arrays are shared as they are.
        if (a === 0 && (gaps[i] <= tol || (fixed[i] === 1 && iteration - refreshed[i] < CD_REFRESH_EVERY)))
          continue;
        fixed[i] = 0;
        const lambda = lambdas[i];
        if (a > 0 && a < CD_SYNC_EVERY) {
          // A pass over the working set, on the restricted problem.
          const zi = zW[i].slice();
          const ci = cW[i].slice();
          const changed = passInto(gramW[i], zi.length, lambda, zi, ci);
          zW[i] = zi;
          cW[i] = ci;
          age[i] = changed === 0 ? CD_SYNC_EVERY : a + 1; // nothing moved: synchronise next
          continue;
        }
        if (a > 0) {
          // Synchronise: exact c everywhere (the certificate's when it computed it), certify.
          const memoZ = memo?.z[i];
          const memoC = memo?.c[i];
          let zNow = memoZ;
          let cNow = memoC;
          if (zNow === undefined || cNow === undefined) {
            zNow = new Float64Array(m);
            cNow = new Float64Array(m);
            synchroniseInto(g, m, z[i], c[i], workingSets[i], zW[i], cW[i], s, zNow, cNow);
          }
          z[i] = zNow;
          c[i] = cNow;
          age[i] = 0;
          if (iteration - refreshed[i] < CD_REFRESH_EVERY) {
            if (memo !== undefined && memoZ !== undefined) {
              objectives[i] = memo.objectives[i];
              gaps[i] = memo.gaps[i];
            } else certifyRowInto(problem, k, i, zNow, cNow, objectives, gaps, s);
            if (gaps[i] <= tol) continue;
          }
        }
        let zi = z[i];
        let ci = c[i];
        if (iteration - refreshed[i] >= CD_REFRESH_EVERY) {
          // Recompute c from scratch, so that the rounding of its updates does not build up.
          ci = new Float64Array(m);
          correlationInto(g, m, k.aty, i * m, zi, ci, s.product);
          certifyRowInto(problem, k, i, zi, ci, objectives, gaps, s);
          c[i] = ci;
          refreshed[i] = iteration;
          if (gaps[i] <= tol) continue;
        }
        const count = workingSet ? workingSetInto(diag, m, lambda, zi, ci, s) : m;
        if (count === m) {
          // A full pass keeps c exact everywhere: every pass is a synchronisation.
          zi = zi.slice();
          ci = ci.slice();
          if (passInto(g, m, lambda, zi, ci) === 0) {
            fixed[i] = 1;
            continue;
          }
          certifyRowInto(problem, k, i, zi, ci, objectives, gaps, s);
          z[i] = zi;
          c[i] = ci;
          continue;
        }
        const w = s.visit.slice(0, count);
        const gw = restrictedGram(g, m, w);
        const zwi = gather(zi, w);
        const cwi = gather(ci, w);
        if (passInto(gw, count, lambda, zwi, cwi) === 0) {
          fixed[i] = 1;
          continue;
        }
        workingSets[i] = w;
        gramW[i] = gw;
        zW[i] = zwi;
        cW[i] = cwi;
        age[i] = 1;
      }
      return {
        iteration: iteration + 1,
        z,
        c,
        objectives,
        gaps,
        workingSets,
        zW,
        cW,
        gramW,
        age,
        refreshed,
        fixed,
      };
    },
    solution(problem, state) {
      const { N, m } = problem;
      const out = new Float64Array(N * m);
      for (let i = 0; i < N; i++) {
        out.set(state.z[i], i * m);
        if (state.age[i] === 0) continue;
        const w = state.workingSets[i];
        const zw = state.zW[i];
        for (let t = 0; t < w.length; t++) out[i * m + w[t]] = zw[t];
      }
      return wrap(out, [N, m]);
    },
    certificate(problem, state) {
      const { objectives, gaps } = certify(problem, state);
      return summarise(objectives, gaps);
    },
  };
}

/** Mean objective and gap summary of per-sample objectives and gaps. */
function summarise(objectives: Float64Array, gaps: Float64Array): Certificate {
  const N = gaps.length;
  let objective = 0;
  let maxGap = 0;
  let meanGap = 0;
  for (let i = 0; i < N; i++) {
    objective += objectives[i];
    meanGap += gaps[i];
    if (gaps[i] > maxGap) maxGap = gaps[i];
  }
  if (Number.isNaN(meanGap)) maxGap = NaN; // some gap is NaN: never 'converged'
  return { meanObjective: N ? objective / N : 0, gaps: gaps.slice(), maxGap, meanGap: N ? meanGap / N : 0 };
}

/**
 * Cyclic coordinate descent with a precomputed Gram matrix and a working set per sample (see the
 * module notes); run it with runSolver. One iteration is one epoch for every sample.
 */
export const coordinateDescent: IterativeSolver<LassoProblem, CoordinateDescentState> =
  coordinateDescentSolver();
