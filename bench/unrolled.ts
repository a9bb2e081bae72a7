/**
 * Benchmark of the unrolled networks (`npm run bench -- unrolled`).
 *
 * Problem (issue 5's): A Gaussian 64 x 256 with unit-norm columns, N = 10,000 codes
 * Bernoulli(0.05)-Gaussian, signals Y = Z Aᵀ, each scaled so that lambdaMax = ||Aᵀ y||_inf = 1,
 * lambda = 0.1. LISTA and SLISTA of depth T = 10 initialised at ISTA (one parameter set per
 * layer), z_0 = 0, batches of 100 signals in order (100 batches per epoch).
 *
 * 1. Time per epoch of the forward pass alone (forwardNetwork) and of a training epoch (forward,
 *    the unsupervised loss and its gradient at the output, backwardNetwork, a plain SGD step per
 *    batch from the ISTA initialisation), with the support-aware kernels ('auto') and with every
 *    product forced to the dense blocked GEMM ('dense', src/unrolled/kernels.ts), interleaved in
 *    one run, median of REPS epochs each after a warm-up; the saving is dense / auto.
 * 2. The density of the codes after each layer (what the support-aware products can skip).
 * 3. The crossing table behind DENSITY_CUTOFF: each support-aware product against the GEMM at
 *    several densities, on the benchmark's shapes.
 * 4. The PyTorch peer (bench/peers/unrolled_peers.py) when /usr/bin/python3 has torch (Debian's
 *    python3-torch): the same networks, data, initialisation, batches, loss and SGD step in
 *    float32 with 2 threads; the ratio ours / PyTorch per model (below 1: ours is faster). The
 *    first batch's loss at initialisation is compared as a check that both train the same thing.
 *
 * Wall-clock seconds, one thread on our side. Other load on the machine skews the timings; the
 * load average is recorded.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeNpy } from '../src/io/npy.js';
import { gemmInto } from '../src/linalg/gemm.js';
import { lipschitzConstant } from '../src/problems/lipschitz.js';
import { bernoulliGaussian, gaussianMatrix, Rng } from '../src/random/index.js';
import { fromArray } from '../src/tensor/create.js';
import { unsafeData, wrap, type Tensor } from '../src/tensor/tensor.js';
import {
  DENSITY_CUTOFF,
  gatherIfSparse,
  setKernelMode,
  SupportBuffer,
  timesInto,
  timesTInto,
  transposeTimesInto,
  type KernelMode,
} from '../src/unrolled/kernels.js';
import {
  addParams,
  backwardNetwork,
  forwardNetwork,
  listaInitFromIsta,
  listaLayer,
  network,
  scaleParams,
  slistaIstaParams,
  slistaLayer,
  unsupervisedLoss,
  type Layer,
  type NumericParams,
} from '../src/unrolled/index.js';
import { fmt, median, table, timeOnce, timePerCall } from './util.js';
import { PYTHON, peerEnv, peerUnavailable } from './python-peer.js';

/** The problem of the issue. */
const PROBLEM = {
  n: 64,
  m: 256,
  N: 10000,
  density: 0.05,
  lambda: 0.1,
  layers: 10,
  batch: 100,
  seed: 20240605,
};
/** Epochs timed per (model, kernels, pass), after one warm-up epoch; the median is reported. */
const REPS = 3;
/** SGD learning rate (small: the epoch stays near the ISTA initialisation, as timed). */
const LEARNING_RATE = 1e-4;
/** Densities of the crossing table. */
const CROSSING_DENSITIES = [0.1, 0.3, 0.5, 0.7, 0.9];
const PEER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'peers', 'unrolled_peers.py');

/** Seconds per epoch of one model with one kind of kernels. */
export interface EpochTimes {
  forward: number;
  train: number;
}

/** One model's line. */
export interface ModelResult {
  model: string;
  dense: EpochTimes;
  auto: EpochTimes;
  /** dense / auto: how much the support-aware kernels save. */
  saving: EpochTimes;
  /** Density of z_1 .. z_T on the first batch at initialisation. */
  layerDensities: number[];
  /** Largest |output_auto - output_dense| on the first batch: the same result up to rounding. */
  maxAbsOutputDifference: number;
  /** Loss of the first batch at initialisation. */
  initialLoss: number;
}

/** What the PyTorch peer measured, and our ratios. */
export interface PeerResult {
  python: string;
  torch: string;
  threads: number;
  env: Record<string, string | null>;
  dtype: string;
  models: Record<
    string,
    { forwardSecondsPerEpoch: number; trainSecondsPerEpoch: number; initialLoss: number }
  >;
  /** ours ('auto') / PyTorch per model: below 1, ours is faster. */
  ratios: Record<string, EpochTimes>;
  targetMet: Record<string, boolean>;
}

/** One row of the crossing table: microseconds of the support-aware product and of the GEMM. */
export interface CrossingRow {
  product: string;
  density: number;
  sparseMicroseconds: number;
  denseMicroseconds: number;
}

/** What `runUnrolledBench` returns (the runner adds date and machine). */
export interface UnrolledBenchResult {
  problem: typeof PROBLEM & { lipschitz: number; learningRate: number; reps: number };
  densityCutoff: number;
  models: ModelResult[];
  crossing: CrossingRow[];
  peers: PeerResult | { skipped: string };
}

/** A, and Y = Z Aᵀ with each signal scaled to lambdaMax = 1. */
function makeProblem(): { A: Tensor; Y: Float64Array } {
  const { n, m, N, density, seed } = PROBLEM;
  const rng = new Rng(seed);
  const A = gaussianMatrix(rng, n, m);
  const Z = bernoulliGaussian(rng, [N, m], density);
  const a = unsafeData(A);
  const y = new Float64Array(N * n);
  gemmInto(unsafeData(Z), a, y, N, m, n, false, true);
  const c = new Float64Array(N * m);
  gemmInto(y, a, c, N, n, m, false, false); // Y A: row i holds A^T y_i
  for (let i = 0; i < N; i++) {
    let mx = 0;
    for (let j = 0; j < m; j++) mx = Math.max(mx, Math.abs(c[i * m + j]));
    if (mx > 0) for (let k = 0; k < n; k++) y[i * n + k] /= mx;
  }
  return { A, Y: y };
}

/** A model: its layer and a fresh per-layer ISTA initialisation. */
interface Model<P extends NumericParams<P>> {
  name: string;
  layer: Layer<P, unknown>;
  init: () => P[];
}

function models(A: Tensor): [Model<ReturnType<typeof listaInitFromIsta>>, Model<{ alpha: number }>] {
  const T = PROBLEM.layers;
  return [
    {
      name: 'lista',
      layer: listaLayer,
      init: () => Array.from({ length: T }, () => listaInitFromIsta(A, PROBLEM.lambda)),
    },
    {
      name: 'slista',
      layer: slistaLayer(A, PROBLEM.lambda),
      init: () => Array.from({ length: T }, () => slistaIstaParams(A)),
    },
  ];
}

/** One forward epoch over the batches. */
function forwardEpoch<P extends NumericParams<P>>(model: Model<P>, batches: Tensor[]): void {
  const net = network(model.layer, model.init(), PROBLEM.m);
  for (const yb of batches) forwardNetwork(net, yb);
}

/** One training epoch from the ISTA initialisation: forward, loss, backward, SGD step per batch. */
function trainEpoch<P extends NumericParams<P>>(model: Model<P>, A: Tensor, batches: Tensor[]): number {
  let params = model.init();
  let loss = 0;
  for (const yb of batches) {
    const net = network(model.layer, params, PROBLEM.m);
    const f = forwardNetwork(net, yb);
    const l = unsupervisedLoss(A, yb, f.output, PROBLEM.lambda);
    const g = backwardNetwork(net, f.caches, l.grad);
    params = params.map((p, t) => addParams(p, scaleParams(g.gradParams[t], -LEARNING_RATE)));
    loss = l.value;
  }
  return loss;
}

/** Forward and training epoch times of a model with both kinds of kernels, interleaved. */
function timeModel<P extends NumericParams<P>>(model: Model<P>, A: Tensor, batches: Tensor[]): ModelResult {
  const kinds: KernelMode[] = ['dense', 'auto'];
  const times: Record<KernelMode, { forward: number[]; train: number[] }> = {
    dense: { forward: [], train: [] },
    auto: { forward: [], train: [] },
  };
  const previous = setKernelMode('auto');
  try {
    for (const kind of kinds) {
      setKernelMode(kind);
      forwardEpoch(model, batches);
      trainEpoch(model, A, batches);
    }
    for (let r = 0; r < REPS; r++) {
      for (const kind of kinds) {
        setKernelMode(kind);
        times[kind].forward.push(timeOnce(() => forwardEpoch(model, batches)));
        times[kind].train.push(timeOnce(() => void trainEpoch(model, A, batches)));
      }
    }
    // Densities and the agreement of both paths on the first batch.
    const net = network(model.layer, model.init(), PROBLEM.m);
    setKernelMode('dense');
    const dense = unsafeData(forwardNetwork(net, batches[0]).output);
    setKernelMode('auto');
    const f = forwardNetwork(net, batches[0], { keepAll: true });
    const auto = unsafeData(f.output);
    let diff = 0;
    for (let k = 0; k < auto.length; k++) diff = Math.max(diff, Math.abs(auto[k] - dense[k]));
    const layerDensities = (f.outputs ?? []).map((o) => {
      const d = unsafeData(o);
      let c = 0;
      for (let k = 0; k < d.length; k++) if (d[k] !== 0) c++;
      return c / d.length;
    });
    const initialLoss = unsupervisedLoss(
      A,
      batches[0],
      forwardNetwork(net, batches[0]).output,
      PROBLEM.lambda,
    ).value;
    const med = (k: KernelMode): EpochTimes => ({
      forward: median(times[k].forward),
      train: median(times[k].train),
    });
    const d = med('dense');
    const a = med('auto');
    return {
      model: model.name,
      dense: d,
      auto: a,
      saving: { forward: d.forward / a.forward, train: d.train / a.train },
      layerDensities,
      maxAbsOutputDifference: diff,
      initialLoss,
    };
  } finally {
    setKernelMode(previous);
  }
}

/** The support-aware products against the GEMM at several densities (batch 100, codes 256). */
function crossingTable(): CrossingRow[] {
  const N = PROBLEM.batch;
  const m = PROBLEM.m;
  const rng = new Rng(7);
  const s = new SupportBuffer();
  const rows: CrossingRow[] = [];
  const dense = (len: number): Float64Array => Float64Array.from({ length: len }, () => rng.normal());
  const products: [
    string,
    number,
    (x: Float64Array, sup: SupportBuffer | null, w: Float64Array, out: Float64Array) => void,
  ][] = [
    ['X W^T, W 256 x 256', m, (x, sup, w, out) => timesTInto(x, sup, N, m, w, m, out)],
    ['X W, W 256 x 64', PROBLEM.n, (x, sup, w, out) => timesInto(x, sup, N, m, w, PROBLEM.n, out)],
    ['X^T Y, Y 100 x 64', PROBLEM.n, (x, sup, w, out) => transposeTimesInto(x, sup, N, m, w, PROBLEM.n, out)],
  ];
  const previous = setKernelMode('auto');
  try {
    for (const [label, p, run] of products) {
      const w = dense(Math.max(m, N) * p);
      const out = new Float64Array(Math.max(m, N) * p);
      for (const density of CROSSING_DENSITIES) {
        const x = new Float64Array(N * m);
        for (let k = 0; k < x.length; k++) if (rng.uniform() < density) x[k] = rng.normal();
        const sparse = timePerCall(() => run(x, gatherIfSparse(x, N, m, s, 2), w, out), 7);
        const full = timePerCall(() => run(x, null, w, out), 7);
        rows.push({
          product: label,
          density,
          sparseMicroseconds: sparse * 1e6,
          denseMicroseconds: full * 1e6,
        });
      }
    }
  } finally {
    setKernelMode(previous);
  }
  return rows;
}

function runPeer(
  A: Tensor,
  Y: Float64Array,
  lipschitz: number,
  ours: ModelResult[],
): PeerResult | { skipped: string } {
  const unavailable = peerUnavailable('torch, numpy', 'python3-torch');
  if (unavailable !== null) return { skipped: unavailable };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unfolded-bench-unrolled-'));
  try {
    writeNpy(path.join(dir, 'A.npy'), A);
    writeNpy(path.join(dir, 'Y.npy'), wrap(Y, [PROBLEM.N, PROBLEM.n]));
    writeNpy(
      path.join(dir, 'config.npy'),
      fromArray([PROBLEM.layers, PROBLEM.batch, PROBLEM.lambda, lipschitz, REPS, LEARNING_RATE], [6]),
    );
    const run = spawnSync(PYTHON, [PEER_SCRIPT, dir], { encoding: 'utf8', env: peerEnv(), timeout: 600_000 });
    if (run.status !== 0) {
      const tail = `${run.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ');
      return { skipped: `peer script failed (status ${run.status}): ${tail}` };
    }
    const py = JSON.parse(run.stdout) as Omit<PeerResult, 'ratios' | 'targetMet'>;
    const ratios: Record<string, EpochTimes> = {};
    const targetMet: Record<string, boolean> = {};
    for (const r of ours) {
      const theirs = py.models[r.model];
      ratios[r.model] = {
        forward: r.auto.forward / theirs.forwardSecondsPerEpoch,
        train: r.auto.train / theirs.trainSecondsPerEpoch,
      };
      targetMet[r.model] = ratios[r.model].train <= 1;
    }
    return { ...py, ratios, targetMet };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function print(result: UnrolledBenchResult): void {
  console.log(
    `\nSeconds per epoch (${PROBLEM.N / PROBLEM.batch} batches of ${PROBLEM.batch}; median of ${REPS}; ` +
      `train = forward + unsupervised loss + backward + SGD step; saving = dense / auto)`,
  );
  console.log(
    table(
      [
        'model',
        'fwd dense',
        'fwd auto',
        'saving',
        'train dense',
        'train auto',
        'saving',
        'max |auto - dense|',
      ],
      result.models.map((r) => [
        r.model,
        fmt(r.dense.forward, 3),
        fmt(r.auto.forward, 3),
        fmt(r.saving.forward, 2),
        fmt(r.dense.train, 3),
        fmt(r.auto.train, 3),
        fmt(r.saving.train, 2),
        r.maxAbsOutputDifference.toExponential(1),
      ]),
    ),
  );
  console.log('\nDensity of z_1 .. z_T (first batch, ISTA initialisation)');
  for (const r of result.models)
    console.log(`${r.model.padStart(6)}  ${r.layerDensities.map((d) => fmt(d, 2)).join(' ')}`);
  console.log(
    `\nSupport-aware product vs GEMM, microseconds (batch ${PROBLEM.batch}; cut-off ${DENSITY_CUTOFF})`,
  );
  console.log(
    table(
      ['product', ...CROSSING_DENSITIES.map((d) => `d = ${d}`)],
      [...new Set(result.crossing.map((c) => c.product))].map((label) => [
        label,
        ...result.crossing
          .filter((c) => c.product === label)
          .map((c) => `${fmt(c.sparseMicroseconds, 0)} / ${fmt(c.denseMicroseconds, 0)}`),
      ]),
    ),
  );
  const peers = result.peers;
  if ('skipped' in peers) {
    console.log(`\nPyTorch peer skipped: ${peers.skipped}.`);
    return;
  }
  console.log(
    `\nPyTorch ${peers.torch} (Python ${peers.python}, ${peers.dtype}, ${peers.threads} threads, ` +
      `OPENBLAS_CORETYPE=${peers.env.OPENBLAS_CORETYPE ?? 'unset'}); ours = auto kernels, float64, one thread`,
  );
  console.log(
    table(
      [
        'model',
        'fwd torch',
        'fwd ours',
        'ours/torch',
        'train torch',
        'train ours',
        'ours/torch',
        'loss torch',
        'loss ours',
      ],
      result.models.map((r) => {
        const t = peers.models[r.model];
        return [
          r.model,
          fmt(t.forwardSecondsPerEpoch, 3),
          fmt(r.auto.forward, 3),
          fmt(peers.ratios[r.model].forward, 2),
          fmt(t.trainSecondsPerEpoch, 3),
          fmt(r.auto.train, 3),
          fmt(peers.ratios[r.model].train, 2),
          t.initialLoss.toPrecision(7),
          r.initialLoss.toPrecision(7),
        ];
      }),
    ),
  );
  console.log(
    `Target (training epoch no slower than PyTorch): ${Object.entries(peers.targetMet)
      .map(([k, v]) => `${k} ${v ? 'met' : 'NOT met'}`)
      .join(', ')}`,
  );
}

/** Runs the unrolled benchmark, prints its tables and returns the measurements (a few minutes). */
export function runUnrolledBench(): UnrolledBenchResult {
  const { A, Y } = makeProblem();
  const lipschitz = lipschitzConstant(A, { upperBound: true }).value;
  const { n, N, batch } = PROBLEM;
  const batches: Tensor[] = [];
  for (let b = 0; b < N; b += batch) batches.push(wrap(Y.slice(b * n, (b + batch) * n), [batch, n]));
  console.log(
    `LISTA and SLISTA, T = ${PROBLEM.layers} at ISTA (L = ${fmt(lipschitz, 4)}); A ${PROBLEM.n} x ${PROBLEM.m} Gaussian, ` +
      `unit-norm columns; ${N} signals of Bernoulli(${PROBLEM.density})-Gaussian codes scaled to lambdaMax = 1; ` +
      `lambda = ${PROBLEM.lambda}; SGD lr ${LEARNING_RATE}`,
  );
  const [lista, slista] = models(A);
  const results = [timeModel(lista, A, batches), timeModel(slista, A, batches)];
  const crossing = crossingTable();
  const peers = runPeer(A, Y, lipschitz, results);
  const body = {
    problem: { ...PROBLEM, lipschitz, learningRate: LEARNING_RATE, reps: REPS },
    densityCutoff: DENSITY_CUTOFF,
    models: results,
    crossing,
    peers,
  };
  print(body);
  return body;
}
