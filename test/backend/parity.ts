/**
 * The parity checks of a compute backend against the CPU Float64 reference, shared by the CPU
 * backend's tests (test/backend) and the gpu.js suite (test/gpu): every kernel of the Backend
 * interface on random shapes (1 x 1, odd sizes, sizes that are no multiple of any tile, a large
 * batch), and a full LISTA / SLISTA forward and backward pass. Differences are measured as
 * ||x - ref||_F / ||ref||_F and compared with one tolerance given by the caller.
 */
import { expect } from 'vitest';
import { cpuBackend, type Backend, type DeviceMatrix, type Thresholds } from '../../src/backend/index.js';
import { normal, bernoulliGaussian } from '../../src/random/index.js';
import { fromArray, type Tensor } from '../../src/tensor/index.js';
import {
  backwardNetwork,
  createModel,
  forwardNetwork,
  modelNetwork,
  releaseNetworkCaches,
  unsupervisedLoss,
  type Model,
} from '../../src/unrolled/index.js';
import { gaussianMatrix } from '../../src/random/index.js';

/** ||x - ref||_F / ||ref||_F (or ||x - ref|| when ref = 0). */
export function relativeError(x: ArrayLike<number>, ref: ArrayLike<number>): number {
  expect(x.length).toBe(ref.length);
  let d = 0;
  let r = 0;
  for (let i = 0; i < x.length; i++) {
    d += (x[i] - ref[i]) ** 2;
    r += ref[i] ** 2;
  }
  return Math.sqrt(d) / (r > 0 ? Math.sqrt(r) : 1);
}

/** Shapes (N, k, p) of the products: 1 x 1, odd, no multiple of 2, 4, 8 or 16, and a large batch. */
export const SHAPES: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [3, 5, 7],
  [33, 31, 65],
  [1000, 19, 23],
];

/** Runs `f` with the two backends' results of the same kernel and checks them within `tol`. */
function compare(
  backend: Backend,
  tol: number,
  what: string,
  inputs: readonly Tensor[],
  run: (b: Backend, x: readonly DeviceMatrix[]) => DeviceMatrix | number | Float64Array,
): void {
  const results = [backend, cpuBackend].map((b) => {
    const x = inputs.map((t) => b.upload(t));
    const r = run(b, x);
    const out = typeof r === 'number' ? [r] : r instanceof Float64Array ? Array.from(r) : b.download(r).data;
    if (typeof r !== 'number' && !(r instanceof Float64Array)) b.release(r);
    b.release(...x);
    return Array.from(out);
  });
  const err = relativeError(results[0], results[1]);
  expect(err, `${what}: relative error ${err}`).toBeLessThanOrEqual(tol);
}

const cpu = (ts: readonly Tensor[]): DeviceMatrix[] => ts.map((t) => cpuBackend.upload(t));

/** Every kernel of `backend` against the CPU reference on {@link SHAPES}, within `tol`. */
export function checkKernels(backend: Backend, tol: number, seed = 1): void {
  let s = seed;
  for (const [N, k, p] of SHAPES) {
    const X = normal(s++, [N, k]);
    const sparseX = bernoulliGaussian(s++, [N, k], 0.1);
    const W = normal(s++, [k, p]);
    const Wt = normal(s++, [p, k]);
    const B = normal(s++, [N, p]);
    const Y = normal(s++, [N, p]);
    const cols = fromArray(Float64Array.from(normal(s++, [p]).data, Math.abs), [1, p]);
    const rows = fromArray(Float64Array.from(normal(s++, [N]).data, Math.abs), [N, 1]);
    const tag = `(${N}, ${k}, ${p})`;
    compare(backend, tol, `times ${tag}`, [X, W], (b, [x, w]) => b.times(x, w, false));
    compare(backend, tol, `times sparse ${tag}`, [sparseX, W], (b, [x, w]) => b.times(x, w, false));
    compare(backend, tol, `times transposed ${tag}`, [X, Wt], (b, [x, w]) => b.times(x, w, true));
    compare(backend, tol, `transposeTimes ${tag}`, [X, Y], (b, [x, y]) => b.transposeTimes(x, y));
    compare(backend, tol, `affine ${tag}`, [B, X, W], (b, [bb, x, w]) => b.affine(bb, -0.7, x, w, false));
    compare(backend, tol, `affine null ${tag}`, [X, Wt], (b, [x, w]) => b.affine(null, 2.5, x, w, true));
    compare(backend, tol, `combine ${tag}`, [B, Y], (b, [x, y]) => b.combine(0.3, x, -1.25, y));
    compare(backend, tol, `dot ${tag}`, [B, Y], (b, [x, y]) => b.dot(x, y));
    // Threshold levels of each form: one number, per sample, per column, both; at about the
    // median magnitude of the pre-threshold values so that a fair share passes.
    const scale = 0.5 * Math.sqrt(k);
    const forms: [string, (b: Backend, r: DeviceMatrix, c: DeviceMatrix) => Thresholds][] = [
      ['number', () => ({ scale })],
      ['rows', (_b, r) => ({ scale, rows: r })],
      ['cols', (_b, _r, c) => ({ scale, cols: c })],
      ['rows and cols', (_b, r, c) => ({ scale, rows: r, cols: c })],
      ['zero', () => ({ scale: 0 })],
    ];
    for (const [name, theta] of forms) {
      compare(backend, tol, `shrinkAffine ${name} ${tag}`, [B, X, W, rows, cols], (b, [bb, x, w, r, c]) =>
        b.shrinkAffine(bb, 0.9, x, w, false, theta(b, r, c)),
      );
      // The backward pieces at the output of that threshold (computed on the CPU, uploaded to both).
      const c = cpu([B, X, W, rows, cols]);
      const o = cpuBackend.shrinkAffine(c[0], 0.9, c[1], c[2], false, theta(cpuBackend, c[3], c[4]));
      const out = cpuBackend.download(o);
      compare(backend, tol, `maskedGradient ${name} ${tag}`, [out, Y, rows, cols], (b, [o, g, r, c]) =>
        b.maskedGradient(o, g, theta(b, r, c)),
      );
      compare(backend, tol, `thresholdGradient ${tag}`, [out, Y], (b, [o, g]) => b.thresholdGradient(o, g));
    }
  }
}

/** A model of `kind` on a random operator (n, m), and signals (N, n) of sparse codes. */
export function randomModel(
  kind: 'lista' | 'slista' | 'lista-cp' | 'alista',
  n: number,
  m: number,
  T: number,
  seed: number,
): Model {
  const A = gaussianMatrix(seed, n, m);
  return createModel(kind, A, { depth: T, lambda: 0.1 });
}

/**
 * A model's forward pass (all layer outputs) and backward pass of the unsupervised loss on
 * `backend` against the default Float64 path, within `tol`.
 */
export function checkNetwork(backend: Backend, model: Model, Y: Tensor, tol: number): void {
  const net = modelNetwork(model);
  const ref = forwardNetwork(net, Y, { keepAll: true });
  const fwd = forwardNetwork(net, Y, { keepAll: true, backend });
  const refOut = ref.outputs as readonly Tensor[];
  const outs = fwd.outputs as readonly Tensor[];
  for (let t = 0; t < net.depth; t++)
    expect(relativeError(outs[t].data, refOut[t].data), `layer ${t + 1} output`).toBeLessThanOrEqual(tol);
  // The same gradient of the loss (the reference's) goes back through both.
  const { grad } = unsupervisedLoss(model.A, Y, ref.output, model.spec.lambda);
  const extra = refOut.map((o, t) => (t === 1 ? o : null)); // a loss on an intermediate layer too
  const gRef = backwardNetwork(net, ref.caches, grad, extra);
  const g = backwardNetwork(net, fwd.caches, grad, extra);
  releaseNetworkCaches(fwd.caches);
  expect(relativeError(g.gradY.data, gRef.gradY.data), 'dY').toBeLessThanOrEqual(tol);
  expect(relativeError(g.gradZ0.data, gRef.gradZ0.data), 'dz0').toBeLessThanOrEqual(tol);
  for (let t = 0; t < net.depth; t++) {
    const p = g.gradParams[t] as Record<string, number | Tensor>;
    const q = gRef.gradParams[t] as Record<string, number | Tensor>;
    for (const key of Object.keys(q)) {
      const a = p[key];
      const b = q[key];
      const av = typeof a === 'number' ? [a] : Array.from(a.data);
      const bv = typeof b === 'number' ? [b] : Array.from(b.data);
      expect(relativeError(av, bv), `layer ${t} d${key}`).toBeLessThanOrEqual(tol);
    }
  }
}
