/**
 * Benchmark of the compute backends (`npm run bench -- gpu`): the CPU Float64 code against the
 * gpu.js backend in every mode available here (headless-gl WebGL when an X display is there, e.g.
 * under `xvfb-run -a`; WebAssembly; gpu.js's plain-JavaScript cpu mode).
 *
 * Workloads (A Gaussian with unit-norm columns, codes Bernoulli(0.05)-Gaussian, Y = Z Aᵀ with each
 * signal scaled to λMax = 1, λ = 0.1):
 *
 * - LISTA forward pass, T = 10 layers at ISTA initialisation, 64 x 256 operator, batches of 1,000
 *   and 100,000 signals (applyModel: upload, 10 fused layers on the device, one read-back);
 * - ISTA, 100 iterations, 64 x 256, 1,000 signals (istaIterations; the CPU column is the
 *   library's solver ista.step, support-aware);
 * - the same on a 1024 x 4096 operator with batches of 100 (LISTA) and 20 (ISTA: 100 iterations
 *   of 2 x 20 x 1024 x 4096 multiply-adds already take about a minute on one core).
 *
 * Each time is the median of REPS runs (one when a run takes over 10 s) after a first run that
 * compiles the gpu.js kernels (its time is reported separately). A run predicted (from the same backend's
 * speed on a smaller workload) to take more than CAP_SECONDS is skipped and the table says so.
 * The relative error of each result against the CPU Float64 one is recorded as a check.
 *
 * On this project's machines WebGL is Mesa's llvmpipe, a software renderer on the CPU (the
 * renderer string is recorded): the GPU columns then measure gpu.js on the CPU and are expected
 * to be slower than the Float64 code. On a machine with a real GPU the same command measures the
 * speed-up.
 *
 * @module
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as os from 'node:os';
import { cpuBackend, type Backend } from '../src/backend/index.js';
import { createGpuBackend, type GpuJsBackend } from '../src/gpu/index.js';
import { matmulNT } from '../src/linalg/index.js';
import { lambdaMax } from '../src/problems/index.js';
import { bernoulliGaussian, gaussianMatrix } from '../src/random/index.js';
import { ista, istaIterations, lassoProblem, type LassoProblem } from '../src/solvers/index.js';
import { unsafeData, wrap, type Tensor } from '../src/tensor/tensor.js';
import { applyModel, createModel, type Model } from '../src/unrolled/index.js';
import { fmt, median, table, timeOnce } from './util.js';

const REPS = 3;
const CAP_SECONDS = 150;
const LAMBDA = 0.1;

interface Workload {
  readonly name: string;
  readonly kind: 'lista' | 'ista';
  readonly n: number;
  readonly m: number;
  readonly N: number;
  /** Multiply-adds of one run (for the prediction of skipped runs). */
  readonly flops: number;
}

const WORKLOADS: readonly Workload[] = [
  { name: 'LISTA T=10, 64x256, N=1,000', kind: 'lista', n: 64, m: 256, N: 1000 },
  { name: 'LISTA T=10, 64x256, N=100,000', kind: 'lista', n: 64, m: 256, N: 100_000 },
  { name: 'ISTA 100 it, 64x256, N=1,000', kind: 'ista', n: 64, m: 256, N: 1000 },
  { name: 'LISTA T=10, 1024x4096, N=100', kind: 'lista', n: 1024, m: 4096, N: 100 },
  { name: 'ISTA 100 it, 1024x4096, N=20', kind: 'ista', n: 1024, m: 4096, N: 20 },
].map((w) => ({
  ...w,
  kind: w.kind as 'lista' | 'ista',
  flops: w.kind === 'lista' ? 10 * w.N * (w.n * w.m + w.m * w.m) : 100 * 2 * w.N * w.n * w.m,
}));

/** Signals of sparse codes through A, each scaled to λMax = 1. */
function signals(A: Tensor, N: number, seed: number): Tensor {
  const [, m] = A.shape;
  const Y = matmulNT(bernoulliGaussian(seed, [N, m], 0.05), A);
  const lm = unsafeData(lambdaMax(A, Y));
  const y = unsafeData(Y).slice();
  const n = A.shape[0];
  for (let i = 0; i < N; i++) for (let k = i * n; k < (i + 1) * n; k++) y[k] /= lm[i] > 0 ? lm[i] : 1;
  return wrap(y, [N, n]);
}

/**
 * What renders headless-gl's WebGL, or null when there is no context: its renderer string (ANGLE
 * in gl 8) and, on Linux, the GL driver it loaded (Mesa's swrast_dri.so is llvmpipe, software).
 */
function glRenderer(): string | null {
  try {
    const gpuJs = createRequire(import.meta.url).resolve('gpu.js');
    const createGl = createRequire(gpuJs)('gl') as (w: number, h: number) => WebGLRenderingContextLike | null;
    const gl = createGl(1, 1);
    if (gl === null) return null;
    const name = `${String(gl.getParameter(gl.RENDERER))} (${String(gl.getParameter(gl.VERSION))})`;
    let driver = '';
    try {
      const maps = fs.readFileSync('/proc/self/maps', 'utf8');
      const libs = [
        ...new Set(maps.match(/[^\s]*\/dri\/[a-z0-9_]+_dri\.so|[^\s]*libnvidia-glcore[^\s]*/g) ?? []),
      ];
      if (libs.length > 0) driver = ` over ${libs.map((l) => path.basename(l)).join(', ')}`;
      if (libs.some((l) => l.endsWith('swrast_dri.so'))) driver += ' (Mesa llvmpipe)';
    } catch {
      // not Linux: the renderer string is all there is
    }
    return name + driver;
  } catch {
    return null;
  }
}
interface WebGLRenderingContextLike {
  readonly RENDERER: number;
  readonly VERSION: number;
  getParameter(p: number): unknown;
  getExtension(name: string): unknown;
}

interface Column {
  readonly name: string;
  readonly backend: Backend | null; // null: the Float64 code without a backend
  readonly kernelKind: string;
}

interface Cell {
  seconds: number | null;
  firstSeconds: number | null;
  relativeError: number | null;
  note: string;
}

function relErr(x: Tensor, ref: Tensor): number {
  let d = 0;
  let r = 0;
  for (let i = 0; i < x.size; i++) {
    d += (x.data[i] - ref.data[i]) ** 2;
    r += ref.data[i] ** 2;
  }
  return Math.sqrt(d / (r > 0 ? r : 1));
}

/** One run of a workload on a column: the result. */
function runOnce(w: Workload, col: Column, model: Model, Y: Tensor, problem: LassoProblem): Tensor {
  if (w.kind === 'lista')
    return applyModel(model, Y, col.backend === null ? {} : { backend: col.backend }).output;
  if (col.backend === null) {
    let state = ista.init(problem);
    for (let k = 0; k < 100; k++) state = ista.step(problem, state);
    return ista.solution(problem, state);
  }
  return istaIterations(problem, 100, { backend: col.backend }).Z;
}

export async function runGpuBench(): Promise<object> {
  const renderer = glRenderer();
  const columns: Column[] = [
    { name: 'CPU Float64', backend: null, kernelKind: 'Float64 layers / solver' },
    { name: 'cpuBackend', backend: cpuBackend, kernelKind: cpuBackend.kernelKind },
  ];
  const unavailable: Record<string, string> = {};
  const gpus: GpuJsBackend[] = [];
  for (const mode of ['headlessgl', 'webasm', 'cpu'] as const) {
    try {
      const b = await createGpuBackend({ mode });
      gpus.push(b);
      columns.push({ name: `gpu.js ${mode}`, backend: b, kernelKind: b.kernelKind });
    } catch (e) {
      unavailable[mode] = (e as Error).message;
      console.log(`gpu.js mode '${mode}' not available: ${(e as Error).message}`);
    }
  }
  console.log(
    renderer === null
      ? 'WebGL: no headless-gl context here (no X display? run under xvfb-run -a).'
      : `WebGL renderer: ${renderer}${/llvmpipe|softpipe|swiftshader|software/i.test(renderer) ? ' (software rendering on the CPU: expect the WebGL column to be slower than the Float64 code)' : ''}`,
  );
  console.log(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores\n`,
  );

  const results: Record<string, Record<string, Cell>> = {};
  // Seconds per multiply-add of each column and workload kind, from its last measured run.
  const speed = new Map<string, number>();
  for (const [wi, w] of WORKLOADS.entries()) {
    const A = gaussianMatrix(100 + wi, w.n, w.m);
    const Y = signals(A, w.N, 200 + wi);
    const model = createModel('lista', A, { depth: 10, lambda: LAMBDA });
    const problem = lassoProblem(A, Y, LAMBDA);
    results[w.name] = {};
    let reference: Tensor | null = null;
    for (const col of columns) {
      const key = `${col.name}|${w.kind}`;
      const rate = speed.get(key);
      const predicted = rate === undefined ? 0 : rate * w.flops;
      const cell: Cell = { seconds: null, firstSeconds: null, relativeError: null, note: '' };
      results[w.name][col.name] = cell;
      if (predicted > CAP_SECONDS) {
        cell.note = `skipped: predicted ${predicted.toFixed(0)} s > ${CAP_SECONDS} s`;
        continue;
      }
      let out: Tensor | null = null;
      cell.firstSeconds = timeOnce(() => {
        out = runOnce(w, col, model, Y, problem);
      });
      const times: number[] = [];
      // The first run compiles gpu.js kernels: at least one more, timed, and REPS when quick.
      const reps = cell.firstSeconds > 10 ? 1 : REPS;
      for (let r = 0; r < reps; r++) times.push(timeOnce(() => void runOnce(w, col, model, Y, problem)));
      cell.seconds = median(times);
      speed.set(key, cell.seconds / w.flops);
      if (reference === null) reference = out;
      else if (out !== null) cell.relativeError = relErr(out, reference);
      console.log(
        `${w.name} | ${col.name}: ${fmt(cell.seconds, 3)} s (first ${fmt(cell.firstSeconds, 3)} s)`,
      );
    }
  }
  for (const b of gpus) b.destroy();

  const header = ['workload', ...columns.map((c) => `${c.name} (s)`), 'max rel. error'];
  const rows = WORKLOADS.map((w) => {
    const cells = columns.map((c) => {
      const cell = results[w.name][c.name];
      return cell.seconds === null ? 'skipped' : fmt(cell.seconds, 3);
    });
    const errs = columns.map((c) => results[w.name][c.name].relativeError ?? 0);
    return [w.name, ...cells, Math.max(...errs).toExponential(1)];
  });
  console.log('\n' + table(header, rows));
  const base = columns[0].name;
  console.log('\nspeed-up over CPU Float64 (above 1: faster):');
  console.log(
    table(
      ['workload', ...columns.slice(1).map((c) => c.name)],
      WORKLOADS.map((w) => [
        w.name,
        ...columns.slice(1).map((c) => {
          const a = results[w.name][base].seconds;
          const b = results[w.name][c.name].seconds;
          return a === null || b === null ? '-' : fmt(a / b, 2);
        }),
      ]),
    ),
  );
  for (const w of WORKLOADS)
    for (const c of columns) {
      const note = results[w.name][c.name].note;
      if (note !== '') console.log(`${w.name} | ${c.name}: ${note}`);
    }
  return {
    webglRenderer: renderer,
    softwareRendering: renderer !== null && /llvmpipe|softpipe|swiftshader|software/i.test(renderer),
    columns: columns.map((c) => ({ name: c.name, kernelKind: c.kernelKind })),
    unavailable,
    capSeconds: CAP_SECONDS,
    workloads: WORKLOADS,
    results,
  };
}
