/**
 * Benchmark of the Lasso solvers (`npm run bench -- solvers`).
 *
 * Problem (the issue's): A Gaussian (64 x 256) with unit-norm columns, N = 1000 codes
 * Bernoulli(0.05)-Gaussian, noise-free signals y = A z, lambda_i = 0.1 ||A^T y_i||_inf per sample.
 * F* per sample comes from a long coordinate-descent run to a max duality gap of 1e-13, its mean
 * objective recomputed with lassoCertificate (products with A, not the solver's own bookkeeping).
 *
 * 1. Each solver runs through runSolver, certifying every `checkEvery` iterations; the callback
 *    records when the mean suboptimality F - F* first reaches 1e-6 and when the largest per-sample
 *    duality gap first reaches 1e-8 (iteration counts are therefore multiples of checkEvery). A
 *    run stops at the gap target, except for the solvers of the suboptimality table (ISTA, FISTA),
 *    which run to 1000 iterations at least; a run that has not met the gap target after
 *    SECONDS_PER_SOLVER seconds (and its table iterations) is stopped and reported as not reaching it.
 *    On the per-sample lambdas the batch is one run: it stops when the slowest sample is certified.
 *    Certification time is clocked separately (the solver's `certificate` is wrapped), so times
 *    are given with and without it. The final codes are re-certified with lassoCertificate.
 * 2. Mean F - F* after 10, 20, 50, 100, 1000 iterations for ISTA and FISTA.
 * 3. Peers, when the system Python has scikit-learn (Debian's python3-sklearn): see
 *    bench/peers/solvers_peers.py. sparse_encode takes one alpha for all samples, so the
 *    like-for-like comparison uses one common lambda = 0.1 x the median of lambdaMax_i, for
 *    scikit-learn and for our fastest solver alike; scikit-learn on the per-sample lambdas (one
 *    Lasso fit per sample) is timed too. FISTA per iteration is compared with a vectorised NumPy
 *    FISTA (same step 1/L, the same iterations from zero), single-threaded BLAS as the like-for-like
 *    figure (Node runs one thread) and two threads for information. Otherwise the peers are skipped
 *    with the reason.
 *
 * Times are wall-clock seconds on one thread. The solver table is one run per solver; the timings
 * compared with the peers are medians of REPS runs on each side (the peers' after one warm-up run).
 * Peers run with OpenBLAS's SkylakeX kernels where the CPU has AVX-512 (OPENBLAS_CORETYPE set in
 * the peer's environment only, OPENBLAS_L2_SIZE removed there); the kernel in use is recorded.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readNpy, writeNpy } from '../src/io/npy.js';
import { matmulNT } from '../src/linalg/gemm.js';
import { bernoulliGaussian, gaussianMatrix, Rng } from '../src/random/index.js';
import { fromArray } from '../src/tensor/create.js';
import { unsafeData, type Tensor } from '../src/tensor/tensor.js';
import {
  CD_SYNC_EVERY,
  coordinateDescentSolver,
  fista,
  fistaRestart,
  ista,
  istaBacktracking,
  lassoCertificate,
  lassoProblem,
  omp,
  oracleIsta,
  runSolver,
  type IterativeSolver,
  type LassoProblem,
  type SolverState,
} from '../src/solvers/index.js';
import { fmt, median, table, timeOnce } from './util.js';
import { PYTHON, peerEnv, peerUnavailable } from './python-peer.js';

/** The generated problem. */
const PROBLEM = { n: 64, m: 256, N: 1000, density: 0.05, lambdaRatio: 0.1, seed: 20240601 };
/** What "solved" means: mean F - F* and the largest per-sample duality gap. */
const TARGETS = { meanSuboptimality: 1e-6, maxGap: 1e-8 };
/** Max duality gap of the reference (F*) run. */
const REFERENCE_GAP = 1e-13;
/** Iterations of the suboptimality table. */
const TABLE_ITERATIONS = [10, 20, 50, 100, 1000];
/** Time after which a solver that has not met the gap target is stopped (not before its table iterations). */
const SECONDS_PER_SOLVER = 10;
/** Repetitions of the timings compared with the peers (median). */
const REPS = 3;
/** FISTA iterations timed against the NumPy FISTA, from zero codes. */
const FISTA_TIMED_ITERATIONS = 100;
/** Peer script and the system Python it needs. */
const PEER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peers', 'solvers_peers.py');

type LassoSolver = IterativeSolver<LassoProblem, SolverState>;

/** A solver of the benchmark and how it is run. */
interface SolverEntry {
  label: string;
  solver: LassoSolver;
  /** Certify every this many iterations. */
  checkEvery: number;
  /** In the suboptimality table (runs to 1000 iterations at least). */
  table: boolean;
}

/**
 * The solvers, in table order. checkEvery keeps certification a modest share of the time: the
 * proximal-gradient solvers certify with lassoCertificate (a residual and a gradient, about one
 * iteration's worth: every 10 iterations), coordinate descent with its own O(N m) certificate
 * (about a third of an epoch: every 5 epochs).
 */
const SOLVERS: SolverEntry[] = [
  { label: 'ista', solver: ista, checkEvery: 10, table: true },
  { label: 'istaBacktracking', solver: istaBacktracking, checkEvery: 10, table: false },
  { label: 'oracleIsta', solver: oracleIsta, checkEvery: 10, table: false },
  { label: 'fista', solver: fista, checkEvery: 10, table: true },
  { label: 'fistaRestart', solver: fistaRestart, checkEvery: 10, table: false },
  // Coordinate descent leaves a sample alone once its gap meets the target (its `tol` option).
  {
    label: 'coordinateDescent',
    solver: coordinateDescentSolver({ tol: TARGETS.maxGap }),
    checkEvery: CD_SYNC_EVERY,
    table: false,
  },
];

/** One point of a run's history. */
export interface HistoryPoint {
  iteration: number;
  meanSuboptimality: number;
  maxGap: number;
  seconds: number;
}

/** When a target was first met: iteration, wall seconds, and seconds without certification. */
export interface Reached {
  iteration: number;
  seconds: number;
  secondsWithoutCertificates: number;
}

/** One solver's run on the problem. */
export interface SolverRow {
  solver: string;
  checkEvery: number;
  toMeanSuboptimality: Reached | null;
  toMaxGap: Reached | null;
  iterations: number;
  seconds: number;
  certificateSeconds: number;
  /** Mean F - F* and largest gap (solver's own certificate) at the end. */
  finalMeanSuboptimality: number;
  finalMaxGap: number;
  /** Largest gap of the final codes by lassoCertificate. */
  verifiedMaxGap: number;
  stoppedBy: 'gap target' | 'time cap';
  history: HistoryPoint[];
}

/** How F* was obtained. */
export interface Reference {
  method: string;
  iterations: number;
  seconds: number;
  solverMaxGap: number;
  verifiedMaxGap: number;
  meanObjective: number;
}

/** What `runSolversBench` returns (the runner adds date and machine). */
export interface SolversBenchResult {
  problem: typeof PROBLEM & { lipschitz: number; meanLambda: number; meanTrueNonzeros: number };
  targets: typeof TARGETS;
  reference: Reference;
  secondsPerSolverCap: number;
  solvers: SolverRow[];
  suboptimalityTable: { solver: string; iterations: number[]; meanSuboptimality: (number | null)[] }[];
  omp: OmpLine;
  fastest: string | null;
  peers: PeerResult | { skipped: string };
}

/** The OMP timing line (not a Lasso solver: no gap). */
export interface OmpLine {
  options: { sparsity: number; tol: number };
  seconds: number;
  meanAtoms: number;
  exactSupportFraction: number;
  meanRelativeResidual: number;
}

/** The generated problem: A, the true codes and the Lasso problem with lambda_i = 0.1 lambdaMax_i. */
function makeProblem(): { A: Tensor; Ztrue: Tensor; problem: LassoProblem } {
  const rng = new Rng(PROBLEM.seed);
  const A = gaussianMatrix(rng, PROBLEM.n, PROBLEM.m);
  const Ztrue = bernoulliGaussian(rng, [PROBLEM.N, PROBLEM.m], PROBLEM.density);
  const Y = matmulNT(Ztrue, A);
  return { A, Ztrue, problem: lassoProblem(A, Y, { ratio: PROBLEM.lambdaRatio }) };
}

/** `solver` with its certificate's time added to `clock.seconds`. */
function withCertificateClock(solver: LassoSolver, clock: { seconds: number }): LassoSolver {
  return {
    name: solver.name,
    init: (p, w) => solver.init(p, w),
    step: (p, s) => solver.step(p, s),
    solution: (p, s) => solver.solution(p, s),
    certificate: (p, s) => {
      const t0 = performance.now();
      const cert = solver.certificate(p, s);
      clock.seconds += (performance.now() - t0) / 1000;
      return cert;
    },
  };
}

/** F*: coordinate descent to a max gap of REFERENCE_GAP, objective recomputed from the codes. */
function reference(problem: LassoProblem): Reference {
  const result = runSolver(coordinateDescentSolver({ tol: REFERENCE_GAP }), problem, {
    maxIter: 100000,
    tol: REFERENCE_GAP,
    checkEvery: CD_SYNC_EVERY,
  });
  const cert = lassoCertificate(problem, unsafeData(result.Z));
  if (!result.converged) console.warn(`reference: max gap ${result.maxGap} > ${REFERENCE_GAP}`);
  return {
    method: `coordinateDescent (Gram, active set) to max gap ${REFERENCE_GAP}; F* = mean objective of its codes by lassoCertificate`,
    iterations: result.iterations,
    seconds: result.seconds,
    solverMaxGap: result.maxGap,
    verifiedMaxGap: cert.maxGap,
    meanObjective: cert.meanObjective,
  };
}

/** Runs one solver on the problem, recording when each target is first met. */
function runEntry(entry: SolverEntry, problem: LassoProblem, fStar: number): SolverRow {
  const clock = { seconds: 0 };
  const history: HistoryPoint[] = [];
  let toSub: Reached | null = null;
  let toGap: Reached | null = null;
  let capped = false;
  const minIterations = entry.table ? Math.max(...TABLE_ITERATIONS) : 0;
  const result = runSolver(withCertificateClock(entry.solver, clock), problem, {
    // The table solvers go on past the gap target to their last table iteration: the callback
    // stops them (tol 0), recording the gap target exactly as a run with tol 1e-8 would meet it.
    tol: entry.table ? 0 : TARGETS.maxGap,
    maxIter: 10_000_000,
    checkEvery: entry.checkEvery,
    callback: (rec) => {
      const sub = rec.meanObjective - fStar;
      history.push({
        iteration: rec.iteration,
        meanSuboptimality: sub,
        maxGap: rec.maxGap,
        seconds: rec.seconds,
      });
      const reached = (): Reached => ({
        iteration: rec.iteration,
        seconds: rec.seconds,
        secondsWithoutCertificates: rec.seconds - clock.seconds,
      });
      if (toSub === null && sub <= TARGETS.meanSuboptimality) toSub = reached();
      if (toGap === null && rec.maxGap <= TARGETS.maxGap) toGap = reached();
      if (rec.iteration < minIterations) return true;
      if (toGap !== null) return false;
      if (rec.seconds > SECONDS_PER_SOLVER) {
        capped = true;
        return false;
      }
      return true;
    },
  });
  const last = history[history.length - 1];
  return {
    solver: entry.label,
    checkEvery: entry.checkEvery,
    toMeanSuboptimality: toSub,
    toMaxGap: toGap,
    iterations: result.iterations,
    seconds: result.seconds,
    certificateSeconds: clock.seconds,
    finalMeanSuboptimality: last.meanSuboptimality,
    finalMaxGap: last.maxGap,
    verifiedMaxGap: lassoCertificate(problem, unsafeData(result.Z)).maxGap,
    stoppedBy: capped || toGap === null ? 'time cap' : 'gap target',
    history,
  };
}

/** OMP on the noise-free signals, as a timing line: it solves the l0 problem, not the Lasso. */
function ompLine(A: Tensor, problem: LassoProblem, Ztrue: Tensor): OmpLine {
  const options = { sparsity: PROBLEM.n / 2, tol: 1e-20 };
  const result = omp(A, problem.Y, options);
  const z = unsafeData(result.Z);
  const zt = unsafeData(Ztrue);
  const atoms = unsafeData(result.perSampleAtoms);
  const res = unsafeData(result.residualNorms);
  const y = unsafeData(problem.Y);
  const { N, n, m } = problem;
  let exact = 0;
  let relRes = 0;
  for (let i = 0; i < N; i++) {
    let same = true;
    for (let j = 0; j < m; j++) if ((z[i * m + j] !== 0) !== (zt[i * m + j] !== 0)) same = false;
    if (same) exact++;
    let yy = 0;
    for (let k = 0; k < n; k++) yy += y[i * n + k] ** 2;
    relRes += yy > 0 ? res[i] / Math.sqrt(yy) : 0;
  }
  return {
    options,
    seconds: result.seconds,
    meanAtoms: atoms.reduce((s, v) => s + v, 0) / N,
    exactSupportFraction: exact / N,
    meanRelativeResidual: relRes / N,
  };
}

// ---------------------------------------------------------------------------------------------
// Peers

/** Timings and checks of the peers, with our side measured in the same run. */
export interface PeerResult {
  python: string;
  numpy: string;
  sklearn: string;
  blas: { internal_api: string; version: string; architecture: string; num_threads: number }[];
  env: Record<string, string | null>;
  commonLambda: number;
  sklearnTol: number;
  /** sparse_encode as shipped (tol 1e-4), common lambda: time and the gap it actually reaches. */
  sparseEncodeDefault: { seconds: number; maxGap: number };
  /** sparse_encode's lasso_cd path with tol certifying the gap target, common lambda. */
  sklearnCommon: { seconds: number; maxGap: number };
  /** Our fastest solver on the common-lambda problem (median of REPS runs to the gap target). */
  oursCommon: { solver: string; seconds: number; maxGap: number; iterations: number };
  /** scikit-learn, one Lasso fit per sample with lambda_i (the problem), one run. */
  sklearnPerSample: { seconds: number; maxGap: number };
  /** Our fastest solver on the problem (its run in the solver table). */
  oursPerSample: { solver: string; seconds: number };
  fista: {
    iterations: number;
    oursSecondsPerIteration: number;
    numpySecondsPerIteration: { oneThread: number; twoThreads: number };
    /** Largest |z_ours - z_numpy| after the timed iterations: the same algorithm. */
    maxAbsCodeDifference: number;
  };
  /** Ours over theirs: below 1 means ours is faster. */
  ratios: {
    fastestOverSklearnCommon: number;
    fastestOverSklearnPerSample: number;
    fistaPerIterationOverNumpyOneThread: number;
    fistaPerIterationOverNumpyTwoThreads: number;
  };
  targetsMet: { fastestNoSlowerThanSklearn: boolean; fistaNoSlowerThanNumpy: boolean };
}

/** Why the peers cannot run here, or null when they can. */
function peersUnavailable(): string | null {
  return peerUnavailable('sklearn, threadpoolctl, numpy', 'python3-sklearn');
}

/**
 * Median wall time of `f` over REPS runs, after one untimed warm-up run when `warmUp` (the long
 * runs need none: the solver table has warmed the code up); returns the last result too.
 */
function medianRun<T>(f: () => T, warmUp: boolean): { seconds: number; result: T } {
  let result = warmUp ? f() : (undefined as T);
  const times: number[] = [];
  for (let r = 0; r < REPS; r++) times.push(timeOnce(() => void (result = f())));
  return { seconds: median(times), result };
}

/** Our fastest solver to the gap target on `problem` (certificate every entry.checkEvery). */
function solveToGap(entry: SolverEntry, problem: LassoProblem) {
  return runSolver(entry.solver, problem, {
    tol: TARGETS.maxGap,
    maxIter: 100000,
    checkEvery: entry.checkEvery,
  });
}

function runPeers(
  A: Tensor,
  problem: LassoProblem,
  fastest: SolverEntry,
  fastestSeconds: number,
  fista: LassoSolver,
): PeerResult | { skipped: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unfolded-bench-solvers-'));
  try {
    const lambdas = Float64Array.from(problem.lambdas);
    const lambdaMaxes = lambdas.map((l) => l / PROBLEM.lambdaRatio);
    const common = PROBLEM.lambdaRatio * median([...lambdaMaxes]);
    const save = (name: string, t: Tensor): void => writeNpy(path.join(dir, name), t);
    save('A.npy', A);
    save('Y.npy', problem.Y);
    save('lambdas.npy', fromArray(lambdas, [problem.N]));
    save('common.npy', fromArray([common], [1]));
    save('lipschitz.npy', fromArray([problem.lipschitz], [1]));
    save(
      'config.npy',
      fromArray([TARGETS.maxGap, FISTA_TIMED_ITERATIONS, REPS, FISTA_TIMED_ITERATIONS], [4]),
    );

    const run = spawnSync(PYTHON, [PEER_SCRIPT, dir], { encoding: 'utf8', env: peerEnv(), timeout: 300_000 });
    if (run.status !== 0) {
      const tail = `${run.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
      return { skipped: `peer script failed (status ${run.status}): ${tail}` };
    }
    const py = JSON.parse(run.stdout) as {
      python: string;
      numpy: string;
      sklearn: string;
      blas: PeerResult['blas'];
      env: PeerResult['env'];
      sklearnTol: number;
      sparseEncodeDefaultSeconds: number;
      sklearnCommonSeconds: number;
      sklearnPerSampleSeconds: number;
      numpyFistaSecondsPerIteration: Record<'1' | '2', number>;
    };
    const gapOf = (p: LassoProblem, file: string): number =>
      lassoCertificate(p, unsafeData(readNpy(path.join(dir, file)))).maxGap;
    const commonProblem = lassoProblem(A, problem.Y, common);

    const ours = medianRun(() => solveToGap(fastest, commonProblem), false);
    const oursFista = medianRun(() => {
      let state = fista.init(problem);
      for (let k = 0; k < FISTA_TIMED_ITERATIONS; k++) state = fista.step(problem, state);
      return state;
    }, true);
    const zOurs = unsafeData(fista.solution(problem, oursFista.result));
    const zNumpy = unsafeData(readNpy(path.join(dir, 'fista_k.npy')));
    let diff = 0;
    for (let k = 0; k < zOurs.length; k++) diff = Math.max(diff, Math.abs(zOurs[k] - zNumpy[k]));

    const fistaPerIteration = oursFista.seconds / FISTA_TIMED_ITERATIONS;
    const numpy1 = py.numpyFistaSecondsPerIteration['1'];
    const numpy2 = py.numpyFistaSecondsPerIteration['2'];
    const ratios = {
      fastestOverSklearnCommon: ours.seconds / py.sklearnCommonSeconds,
      fastestOverSklearnPerSample: fastestSeconds / py.sklearnPerSampleSeconds,
      fistaPerIterationOverNumpyOneThread: fistaPerIteration / numpy1,
      fistaPerIterationOverNumpyTwoThreads: fistaPerIteration / numpy2,
    };
    return {
      python: py.python,
      numpy: py.numpy,
      sklearn: py.sklearn,
      blas: py.blas,
      env: py.env,
      commonLambda: common,
      sklearnTol: py.sklearnTol,
      sparseEncodeDefault: {
        seconds: py.sparseEncodeDefaultSeconds,
        maxGap: gapOf(commonProblem, 'sk_default.npy'),
      },
      sklearnCommon: { seconds: py.sklearnCommonSeconds, maxGap: gapOf(commonProblem, 'sk_common.npy') },
      oursCommon: {
        solver: fastest.label,
        seconds: ours.seconds,
        maxGap: ours.result.maxGap,
        iterations: ours.result.iterations,
      },
      sklearnPerSample: { seconds: py.sklearnPerSampleSeconds, maxGap: gapOf(problem, 'sk_per_sample.npy') },
      oursPerSample: { solver: fastest.label, seconds: fastestSeconds },
      fista: {
        iterations: FISTA_TIMED_ITERATIONS,
        oursSecondsPerIteration: fistaPerIteration,
        numpySecondsPerIteration: { oneThread: numpy1, twoThreads: numpy2 },
        maxAbsCodeDifference: diff,
      },
      ratios,
      targetsMet: {
        fastestNoSlowerThanSklearn: ratios.fastestOverSklearnCommon <= 1,
        fistaNoSlowerThanNumpy: ratios.fistaPerIterationOverNumpyOneThread <= 1,
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Printing

const sci = (x: number | null | undefined): string =>
  x === null || x === undefined ? '-' : x.toExponential(1);
const secs = (x: number | null | undefined): string => (x === null || x === undefined ? '-' : fmt(x, 3));

function printSolvers(rows: SolverRow[]): void {
  console.log(
    `\nTime to mean F - F* <= ${sci(TARGETS.meanSuboptimality)} and to max gap <= ${sci(TARGETS.maxGap)} on all ` +
      `${PROBLEM.N} samples (iterations are multiples of 'check'; s = wall time including certificates, ` +
      `'-cert' without them; '-' = not reached: stopped after ${SECONDS_PER_SOLVER} s or, for the table solvers, 1000 iterations)`,
  );
  console.log(
    table(
      [
        'solver',
        'check',
        'it F-F*',
        's F-F*',
        'it gap',
        's gap',
        's gap -cert',
        'iters',
        'final gap',
        'verified gap',
      ],
      rows.map((r) => [
        r.solver,
        String(r.checkEvery),
        r.toMeanSuboptimality ? String(r.toMeanSuboptimality.iteration) : '-',
        secs(r.toMeanSuboptimality?.seconds),
        r.toMaxGap ? String(r.toMaxGap.iteration) : '-',
        secs(r.toMaxGap?.seconds),
        secs(r.toMaxGap?.secondsWithoutCertificates),
        String(r.iterations),
        sci(r.finalMaxGap),
        sci(r.verifiedMaxGap),
      ]),
    ),
  );
}

function printPeers(peers: PeerResult | { skipped: string }): void {
  if ('skipped' in peers) {
    console.log(`\nPeers skipped: ${peers.skipped}.`);
    return;
  }
  const blas = peers.blas.map((b) => `${b.internal_api} ${b.version} ${b.architecture}`).join(', ');
  console.log(
    `\nPeers: Python ${peers.python}, NumPy ${peers.numpy}, scikit-learn ${peers.sklearn}, ${blas} ` +
      `(OPENBLAS_CORETYPE=${peers.env.OPENBLAS_CORETYPE ?? 'unset'}, OPENBLAS_L2_SIZE ${peers.env.OPENBLAS_L2_SIZE ?? 'unset'})`,
  );
  console.log(
    `Gap target ${sci(TARGETS.maxGap)} on all samples; common lambda = ${fmt(peers.commonLambda, 4)} ` +
      `(0.1 x median lambdaMax); scikit-learn tol = ${sci(peers.sklearnTol)} (its gap test is gap < tol ||y||^2)`,
  );
  console.log(
    table(
      ['run', 'lambda', 's', 'max gap (our certificate)', 'ours / theirs'],
      [
        [
          'sparse_encode lasso_cd, default tol 1e-4',
          'common',
          secs(peers.sparseEncodeDefault.seconds),
          sci(peers.sparseEncodeDefault.maxGap),
          '-',
        ],
        [
          'scikit-learn lasso_cd, certified tol',
          'common',
          secs(peers.sklearnCommon.seconds),
          sci(peers.sklearnCommon.maxGap),
          '-',
        ],
        [
          `ours: ${peers.oursCommon.solver}`,
          'common',
          secs(peers.oursCommon.seconds),
          sci(peers.oursCommon.maxGap),
          fmt(peers.ratios.fastestOverSklearnCommon, 3),
        ],
        [
          'scikit-learn Lasso per sample',
          'lambda_i',
          secs(peers.sklearnPerSample.seconds),
          sci(peers.sklearnPerSample.maxGap),
          '-',
        ],
        [
          `ours: ${peers.oursPerSample.solver}`,
          'lambda_i',
          secs(peers.oursPerSample.seconds),
          '-',
          fmt(peers.ratios.fastestOverSklearnPerSample, 3),
        ],
      ],
    ),
  );
  const f = peers.fista;
  console.log(
    `FISTA per iteration (${f.iterations} iterations from zero): ours ${fmt(f.oursSecondsPerIteration * 1e3, 3)} ms, ` +
      `NumPy ${fmt(f.numpySecondsPerIteration.oneThread * 1e3, 3)} ms (1 thread) / ` +
      `${fmt(f.numpySecondsPerIteration.twoThreads * 1e3, 3)} ms (2 threads); ours / NumPy = ` +
      `${fmt(peers.ratios.fistaPerIterationOverNumpyOneThread, 2)} (1 thread), ` +
      `${fmt(peers.ratios.fistaPerIterationOverNumpyTwoThreads, 2)} (2 threads); max |z_ours - z_numpy| = ${sci(f.maxAbsCodeDifference)}`,
  );
  console.log(
    `Targets: fastest solver no slower than scikit-learn (common lambda): ${peers.targetsMet.fastestNoSlowerThanSklearn ? 'met' : 'NOT met'}; ` +
      `FISTA per iteration no slower than NumPy (1 thread): ${peers.targetsMet.fistaNoSlowerThanNumpy ? 'met' : 'NOT met'}`,
  );
}

/** Runs the solvers benchmark, prints its tables and returns the measurements (about 2 minutes). */
export function runSolversBench(): SolversBenchResult {
  const { A, Ztrue, problem } = makeProblem();
  const lipschitz = problem.lipschitz;
  let nnz = 0;
  for (const v of unsafeData(Ztrue)) if (v !== 0) nnz++;
  const meanLambda = problem.lambdas.reduce((s, v) => s + v, 0) / problem.N;
  console.log(
    `Lasso: A ${PROBLEM.n} x ${PROBLEM.m} Gaussian, unit-norm columns; N = ${PROBLEM.N} Bernoulli(${PROBLEM.density})-Gaussian ` +
      `codes (mean ${fmt(nnz / PROBLEM.N, 1)} non-zeros), y = A z; lambda_i = ${PROBLEM.lambdaRatio} lambdaMax_i ` +
      `(mean ${fmt(meanLambda, 4)}); L = ${fmt(lipschitz, 4)}`,
  );

  const ref = reference(problem);
  console.log(
    `F*: ${ref.method}: ${ref.iterations} epochs, ${fmt(ref.seconds, 2)} s, max gap ${sci(ref.solverMaxGap)} ` +
      `(verified ${sci(ref.verifiedMaxGap)}), mean F* = ${ref.meanObjective.toPrecision(15)}`,
  );

  const rows = SOLVERS.map((entry) => runEntry(entry, problem, ref.meanObjective));
  printSolvers(rows);

  const tableRows = rows
    .filter((_, i) => SOLVERS[i].table)
    .map((r) => ({
      solver: r.solver,
      iterations: TABLE_ITERATIONS,
      meanSuboptimality: TABLE_ITERATIONS.map(
        (k) => r.history.find((h) => h.iteration === k)?.meanSuboptimality ?? null,
      ),
    }));
  console.log('\nMean F - F* after k iterations');
  console.log(
    table(
      ['solver', ...TABLE_ITERATIONS.map((k) => `k = ${k}`)],
      tableRows.map((t) => [t.solver, ...t.meanSuboptimality.map(sci)]),
    ),
  );

  const ompResult = ompLine(A, problem, Ztrue);
  console.log(
    `\nOMP (l0 pursuit, not the Lasso: no gap; sparsity <= ${ompResult.options.sparsity}, residual energy tol ` +
      `${sci(ompResult.options.tol)}): ${fmt(ompResult.seconds, 3)} s for ${PROBLEM.N} samples, ` +
      `${fmt(ompResult.meanAtoms, 1)} atoms on average, true support recovered on ${fmt(100 * ompResult.exactSupportFraction, 1)}% ` +
      `of samples, mean relative residual ${sci(ompResult.meanRelativeResidual)}`,
  );

  let fastestIndex = -1;
  rows.forEach((r, i) => {
    const best = fastestIndex < 0 ? null : rows[fastestIndex].toMaxGap;
    if (r.toMaxGap && (best === null || r.toMaxGap.seconds < best.seconds)) fastestIndex = i;
  });
  const fistaEntry = SOLVERS.find((e) => e.label === 'fista');
  let peers: PeerResult | { skipped: string };
  const unavailable = peersUnavailable();
  if (unavailable !== null) peers = { skipped: unavailable };
  else if (fastestIndex < 0) peers = { skipped: 'no solver reached the gap target' };
  else if (fistaEntry === undefined) peers = { skipped: 'no FISTA to compare' };
  else
    peers = runPeers(
      A,
      problem,
      SOLVERS[fastestIndex],
      rows[fastestIndex].toMaxGap!.seconds,
      fistaEntry.solver,
    );
  printPeers(peers);

  return {
    problem: { ...PROBLEM, lipschitz, meanLambda, meanTrueNonzeros: nnz / PROBLEM.N },
    targets: TARGETS,
    reference: ref,
    secondsPerSolverCap: SECONDS_PER_SOLVER,
    solvers: rows,
    suboptimalityTable: tableRows,
    omp: ompResult,
    fastest: fastestIndex < 0 ? null : rows[fastestIndex].solver,
    peers,
  };
}
