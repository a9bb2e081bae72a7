/**
 * The browser demo: draws the demo's synthetic problem (seeded, config.ts), loads a LISTA network
 * from a safetensors model file written by `unfolded train` (with the operator file it was trained
 * on), runs T iterations of ISTA and the T layers of the network on the gpu.js backend (WebGL in a
 * browser), and plots the mean F(z_t) - F* per iteration / layer. F* comes from coordinate descent
 * on the CPU (Float64), and F is evaluated in Float64 from the codes read back.
 *
 * The page publishes its numbers on `window.unfoldedDemo` (a {@link DemoResult}) for the
 * end-to-end test. Query parameters: `model` and `operator` (URLs of the model file and of A.npy,
 * default ./model.safetensors and ./A.npy), `backend` (gpu, the default, or cpu) and `mode` (the
 * gpu.js mode requested, default gpu: WebGL2 where the browser has it).
 */
import { cpuBackend } from '../../src/backend/cpu.js';
import type { Backend } from '../../src/backend/types.js';
import { syntheticProblem } from '../../src/data/synthetic.js';
import { createGpuBackend, type GpuBackendOptions } from '../../src/gpu/index.js';
import { decodeNpy } from '../../src/io/npy.js';
import { linePlotSpec } from '../../src/plot/line-plot.js';
import { lassoObjective } from '../../src/problems/lasso.js';
import { coordinateDescentSolver, CD_SYNC_EVERY } from '../../src/solvers/coordinate-descent.js';
import { lassoProblem } from '../../src/solvers/lasso-problem.js';
import { runSolver } from '../../src/solvers/run.js';
import { unsafeData, type Tensor } from '../../src/tensor/tensor.js';
import { decodeModel } from '../../src/unrolled/model-file.js';
import { DEMO, type DemoResult } from './config.js';
import { runOnBackend } from './gpu-run.js';

declare global {
  interface Window {
    unfoldedDemo?: DemoResult;
  }
}

const query = new URLSearchParams(location.search);
const statusLine = document.getElementById('status') as HTMLElement;

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function chooseBackend(): Promise<Backend> {
  const name = query.get('backend') ?? 'gpu';
  if (name === 'cpu') return cpuBackend;
  if (name !== 'gpu') throw new Error(`unknown backend '${name}' (gpu or cpu)`);
  const mode = (query.get('mode') ?? 'gpu') as GpuBackendOptions['mode'];
  return createGpuBackend({ mode });
}

/** Mean over samples of F(z) and of F(z) - F*_i. */
function evaluate(A: Tensor, Y: Tensor, Z: Tensor, fstar: Float64Array): [number, number] {
  const f = unsafeData(lassoObjective(A, Y, Z, DEMO.lambda).perSample);
  let objective = 0;
  let sub = 0;
  for (let i = 0; i < f.length; i++) {
    objective += f[i];
    sub += f[i] - fstar[i];
  }
  return [objective / f.length, sub / f.length];
}

function table(rows: string[][]): void {
  const el = document.getElementById('table') as HTMLTableElement;
  const [head, ...body] = rows;
  el.innerHTML =
    `<tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr>` +
    body.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
}

async function plot(ista: number[], lista: number[], kernelKind: string): Promise<void> {
  const layers = ista.map((_, t) => t + 1);
  // A log axis cannot show F - F* <= 0 (reached to rounding once converged): leave those points out.
  const positive = (name: string, y: number[]) => {
    const keep = y.map((v) => v > 0);
    return { name, x: layers.filter((_, k) => keep[k]), y: y.filter((_, k) => keep[k]) };
  };
  const spec = linePlotSpec([positive('ISTA', ista), positive('LISTA', lista)], {
    title: `Mean F(z_t) - F* (${kernelKind})`,
    xTitle: 'iteration / layer t',
    yTitle: 'F - F*',
    logY: true,
    width: 520,
    height: 300,
  });
  // vega and vega-lite load after the computation (their own chunk of the bundle).
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), {
    renderer: 'svg',
    container: '#plot',
  });
  await view.runAsync();
}

async function run(): Promise<DemoResult> {
  const { n, m, testSamples, density, seed, lambda, depth } = DEMO;
  const draw = syntheticProblem({ n, m, samples: testSamples, density, seed, normalizeLambdaMax: true });
  const operatorUrl = query.get('operator') ?? './A.npy';
  const A = decodeNpy(await fetchBytes(operatorUrl), operatorUrl);
  if (A.shape.length !== 2 || A.shape[0] !== n || A.shape[1] !== m)
    throw new Error(`${operatorUrl} has shape [${A.shape.join(', ')}], expected [${n}, ${m}]`);
  let operatorDifference = 0;
  for (let k = 0; k < A.size; k++)
    operatorDifference = Math.max(operatorDifference, Math.abs(A.data[k] - draw.A.data[k]));
  if (!(operatorDifference <= 1e-12))
    throw new Error(`${operatorUrl} is not the demo's operator (it differs by ${operatorDifference})`);
  const Y = draw.Y;

  const modelUrl = query.get('model') ?? './model.safetensors';
  const model = decodeModel(await fetchBytes(modelUrl), A, modelUrl);
  const { spec } = model;
  if (spec.kind !== 'lista' || spec.depth !== depth || spec.lambda !== lambda || spec.lambdaMode !== 'fixed')
    throw new Error(
      `${modelUrl} is a ${spec.kind} model of depth ${spec.depth} and lambda ${spec.lambda} (${spec.lambdaMode}), expected lista, ${depth}, ${lambda} (fixed)`,
    );

  // F* per sample: coordinate descent to a tight duality gap, on the CPU in Float64.
  const tol = 1e-10;
  const cd = runSolver(coordinateDescentSolver({ tol }), lassoProblem(A, Y, lambda), {
    tol,
    maxIter: 100_000,
    checkEvery: CD_SYNC_EVERY,
  });
  if (!cd.converged) throw new Error(`coordinate descent did not reach the gap ${tol}`);
  const fstar = Float64Array.from(lassoObjective(A, Y, cd.Z, lambda).perSample.data);
  let meanFstar = 0;
  for (const v of fstar) meanFstar += v / fstar.length;

  const backend = await chooseBackend();
  const device = runOnBackend(backend, model, Y, depth);
  const istaRows = device.ista.map((Z) => evaluate(A, Y, Z, fstar));
  const listaRows = device.lista.map((Z) => evaluate(A, Y, Z, fstar));

  const result: DemoResult = {
    status: 'done',
    backend: backend.name,
    kernelKind: backend.kernelKind,
    ista: { objective: istaRows.map((r) => r[0]), suboptimality: istaRows.map((r) => r[1]) },
    lista: { objective: listaRows.map((r) => r[0]), suboptimality: listaRows.map((r) => r[1]) },
    signals: Array.from(Y.data),
    operatorDifference,
    meanFstar,
    milliseconds: device.milliseconds,
  };
  statusLine.textContent =
    `Backend ${result.backend}, kernel ${result.kernelKind}: ${testSamples} signals, A ${n} x ${m}, ` +
    `lambda ${lambda}, ${depth} ISTA iterations in ${result.milliseconds.ista.toFixed(0)} ms, ` +
    `${depth} LISTA layers in ${result.milliseconds.lista.toFixed(0)} ms (with read-backs).`;
  table([
    ['t', 'ISTA F - F*', 'LISTA F - F*'],
    ...result.ista.suboptimality.map((v, t) => [
      String(t + 1),
      v.toExponential(3),
      result.lista.suboptimality[t].toExponential(3),
    ]),
  ]);
  await plot(result.ista.suboptimality, result.lista.suboptimality, result.kernelKind);
  return result;
}

run().then(
  (result) => {
    window.unfoldedDemo = result;
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    statusLine.textContent = `Error: ${message}`;
    statusLine.className = 'error';
    const none = { objective: [], suboptimality: [] };
    window.unfoldedDemo = {
      status: 'error',
      error: message,
      backend: '',
      kernelKind: '',
      ista: none,
      lista: none,
      signals: [],
      operatorDifference: NaN,
      meanFstar: NaN,
      milliseconds: { ista: NaN, lista: NaN },
    };
  },
);
