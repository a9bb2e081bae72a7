/**
 * The gpu.js backend: the {@link Backend} kernels compiled by gpu.js, in float32. Matrices live on
 * the device as pipeline results (WebGL textures; typed arrays on gpu.js's cpu and webasm modes),
 * are passed from kernel to kernel without coming back to the host, and are converted to and
 * from Float64 only at the boundary (upload, download, the small reductions that return host
 * numbers). Every kernel is immutable (a new output per call), so a handle never changes; release
 * deletes its texture.
 *
 * Each kernel is compiled on first use for each shape (sizes are constants: loops of known length
 * and static index arithmetic run 3 to 4 times faster on Mesa's llvmpipe than gpu.js's dynamic
 * sizes) and cached. The backend records which gpu.js
 * kernel classes actually ran ({@link GpuJsBackend.kernelClassesRun}): gpu.js may degrade a
 * kernel to its CPU fallback, and tests assert that it did not.
 *
 * @module
 */
import { Tensor, unsafeData, wrap } from '../tensor/tensor.js';
import { checkNumber, checkTensor, typeError } from '../validate/index.js';
import { checkThresholds, productShape, sameShape, transposeProductShape } from '../backend/shapes.js';
import type { Backend, DeviceMatrix, Thresholds } from '../backend/types.js';
import type { GpuInstance, GpuJsModule, KernelResult, KernelRun, KernelThis, Mat } from './gpujs-types.js';
import * as K from './kernels.js';

/** A matrix of the gpu.js backend: a pipeline result of one of its kernels. */
class GpuMatrix implements DeviceMatrix {
  released = false;
  constructor(
    readonly owner: GpuJsBackend,
    readonly rows: number,
    readonly cols: number,
    readonly value: KernelResult,
  ) {}
}

type KernelFunction = (this: KernelThis, ...args: never[]) => number;

/** Flattens a kernel result (rows of Float32Array, or one Float32Array) into Float64. */
function flatten(value: KernelResult, rows: number, cols: number): Float64Array {
  const v = 'toArray' in value ? value.toArray() : value;
  const out = new Float64Array(rows * cols);
  if (v instanceof Float32Array) {
    for (let k = 0; k < rows * cols; k++) out[k] = v[k];
  } else {
    for (let i = 0; i < rows; i++) {
      const row = v[i];
      for (let j = 0; j < cols; j++) out[i * cols + j] = row[j];
    }
  }
  return out;
}

/** The gpu.js backend on one GPU instance. Create it with createGpuBackend (`unfolded/gpu`). */
export class GpuJsBackend implements Backend {
  readonly name = 'gpu.js';
  readonly precision = 'float32' as const;
  /** The gpu.js kernel class of this instance (gpu.Kernel.name), e.g. 'HeadlessGLKernel'. */
  readonly kernelKind: string;
  /** The mode requested from gpu.js ('gpu' lets it choose). */
  readonly requestedMode: string;
  readonly #gpu: GpuInstance;
  readonly #lib: GpuJsModule;
  readonly #kernels = new Map<string, KernelRun>();
  readonly #ran = new Set<string>();
  readonly #ones = new Map<string, GpuMatrix>();
  #destroyed = false;

  /** @internal use createGpuBackend. */
  constructor(lib: GpuJsModule, gpu: GpuInstance, requestedMode: string) {
    this.#lib = lib;
    this.#gpu = gpu;
    this.kernelKind = gpu.Kernel.name;
    this.requestedMode = requestedMode;
  }

  /** The gpu.js kernel classes that have run so far (read from each kernel after its call). */
  kernelClassesRun(): string[] {
    return [...this.#ran].sort();
  }

  /** Frees every kernel and texture of this backend; it cannot be used afterwards. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    void this.#gpu.destroy();
    this.#kernels.clear();
    this.#ones.clear();
  }

  #kernel(name: string, fn: KernelFunction, rows: number, cols: number, inner = 0): KernelRun {
    if (this.#destroyed) throw new Error('unfolded/gpu: this backend was destroyed');
    // Static sizes: gpu.js's dynamic outputs and arguments make kernels about 3 times slower
    // (uniform sizes in the index arithmetic). The output shape and `inner` fix every argument's.
    const key = `${name}|${rows}|${cols}|${inner}`;
    let k = this.#kernels.get(key);
    if (k === undefined) {
      k = this.#gpu.createKernel(fn, {
        output: [cols, rows],
        pipeline: true,
        immutable: true,
        precision: 'single',
        tactic: 'precision',
        constants: { B: K.BLOCK_ROWS, K: inner },
      });
      this.#kernels.set(key, k);
    }
    return k;
  }

  #run(k: KernelRun, rows: number, cols: number, args: unknown[]): GpuMatrix {
    const value = k(...args);
    this.#ran.add(k.kernel.constructor.name);
    return new GpuMatrix(this, rows, cols, value);
  }

  #own(fn: string, name: string, x: unknown): GpuMatrix {
    if (!(x instanceof GpuMatrix) || x.owner !== this)
      typeError(fn, name, 'a matrix of this gpu.js backend', x);
    if (x.released) typeError(fn, name, 'a matrix that was not released', x);
    return x;
  }

  /** A (rows, cols) matrix of ones, uploaded once per shape (the missing threshold factors). */
  #onesMatrix(rows: number, cols: number): GpuMatrix {
    const key = `${rows}x${cols}`;
    let o = this.#ones.get(key);
    if (o === undefined) {
      o = this.upload(wrap(new Float64Array(rows * cols).fill(1), [rows, cols])) as GpuMatrix;
      this.#ones.set(key, o);
    }
    return o;
  }

  #levels(fn: string, theta: Thresholds, rows: number, cols: number): [number, GpuMatrix, GpuMatrix] {
    const scale = checkThresholds(fn, theta, rows, cols);
    const r = theta.rows === undefined ? this.#onesMatrix(rows, 1) : this.#own(fn, 'theta.rows', theta.rows);
    const c = theta.cols === undefined ? this.#onesMatrix(1, cols) : this.#own(fn, 'theta.cols', theta.cols);
    return [scale, r, c];
  }

  upload(x: Tensor): DeviceMatrix {
    const fn = 'gpuBackend.upload';
    if (!(x instanceof Tensor)) typeError(fn, 'x', 'a tensor of rank 1 or 2', x);
    const t = x.rank === 1 ? x : checkTensor(fn, 'x', x, { rank: 2, finite: false });
    const [rows, cols] = t.rank === 1 ? [1, t.shape[0]] : [t.shape[0], t.shape[1]];
    const data = Float32Array.from(unsafeData(t)); // float32 on the device
    const k = this.#kernel('copy', K.copyKernel, rows, cols);
    return this.#run(k, rows, cols, [this.#lib.input(data, [cols, rows])]);
  }

  download(x: DeviceMatrix): Tensor {
    const xm = this.#own('gpuBackend.download', 'x', x);
    return wrap(flatten(xm.value, xm.rows, xm.cols), [xm.rows, xm.cols]);
  }

  release(...xs: DeviceMatrix[]): void {
    for (const x of xs) {
      if (!(x instanceof GpuMatrix) || x.owner !== this)
        typeError('gpuBackend.release', 'x', 'a matrix of this gpu.js backend', x);
      if (x.released || [...this.#ones.values()].includes(x)) continue;
      x.released = true;
      if ('delete' in x.value && typeof x.value.delete === 'function') x.value.delete();
    }
  }

  times(x: DeviceMatrix, w: DeviceMatrix, transposeW: boolean): DeviceMatrix {
    const fn = 'gpuBackend.times';
    const xm = this.#own(fn, 'x', x);
    const wm = this.#own(fn, 'w', w);
    const [N, p] = productShape(fn, xm, wm, transposeW);
    const k = this.#kernel(
      transposeW ? 'timesT' : 'times',
      transposeW ? K.timesTKernel : K.timesKernel,
      N,
      p,
      xm.cols,
    );
    return this.#run(k, N, p, [xm.value, wm.value]);
  }

  transposeTimes(x: DeviceMatrix, y: DeviceMatrix): DeviceMatrix {
    const fn = 'gpuBackend.transposeTimes';
    const xm = this.#own(fn, 'x', x);
    const ym = this.#own(fn, 'y', y);
    const [k, p] = transposeProductShape(fn, xm, ym);
    const kern = this.#kernel('transposeTimes', K.transposeTimesKernel, k, p, xm.rows);
    return this.#run(kern, k, p, [xm.value, ym.value]);
  }

  affine(
    b: DeviceMatrix | null,
    beta: number,
    x: DeviceMatrix,
    w: DeviceMatrix,
    transposeW: boolean,
  ): DeviceMatrix {
    const fn = 'gpuBackend.affine';
    const xm = this.#own(fn, 'x', x);
    const wm = this.#own(fn, 'w', w);
    const bm = b === null ? null : this.#own(fn, 'b', b);
    const be = checkNumber(fn, 'beta', beta);
    const [N, p] = productShape(fn, xm, wm, transposeW);
    sameShape(fn, 'b', bm, N, p);
    if (bm === null) {
      const k = transposeW
        ? this.#kernel('scaledTimesT', K.scaledTimesTKernel, N, p, xm.cols)
        : this.#kernel('scaledTimes', K.scaledTimesKernel, N, p, xm.cols);
      return this.#run(k, N, p, [xm.value, wm.value, be]);
    }
    const k = transposeW
      ? this.#kernel('affineT', K.affineTKernel, N, p, xm.cols)
      : this.#kernel('affine', K.affineKernel, N, p, xm.cols);
    return this.#run(k, N, p, [bm.value, xm.value, wm.value, be]);
  }

  shrinkAffine(
    b: DeviceMatrix | null,
    beta: number,
    x: DeviceMatrix,
    w: DeviceMatrix,
    transposeW: boolean,
    theta: Thresholds,
  ): DeviceMatrix {
    const fn = 'gpuBackend.shrinkAffine';
    const xm = this.#own(fn, 'x', x);
    const wm = this.#own(fn, 'w', w);
    const bm = b === null ? null : this.#own(fn, 'b', b);
    const be = checkNumber(fn, 'beta', beta);
    const [N, p] = productShape(fn, xm, wm, transposeW);
    sameShape(fn, 'b', bm, N, p);
    const [scale, r, cl] = this.#levels(fn, theta, N, p);
    if (bm === null) {
      const k = transposeW
        ? this.#kernel('shrinkNoBT', K.shrinkNoBTKernel, N, p, xm.cols)
        : this.#kernel('shrinkNoB', K.shrinkNoBKernel, N, p, xm.cols);
      return this.#run(k, N, p, [xm.value, wm.value, r.value, cl.value, be, scale]);
    }
    const k = transposeW
      ? this.#kernel('shrinkT', K.shrinkTKernel, N, p, xm.cols)
      : this.#kernel('shrink', K.shrinkKernel, N, p, xm.cols);
    return this.#run(k, N, p, [bm.value, xm.value, wm.value, r.value, cl.value, be, scale]);
  }

  maskedGradient(out: DeviceMatrix, g: DeviceMatrix, theta: Thresholds): DeviceMatrix {
    const fn = 'gpuBackend.maskedGradient';
    const om = this.#own(fn, 'out', out);
    const gm = this.#own(fn, 'g', g);
    const { rows: N, cols: m } = om;
    sameShape(fn, 'g', gm, N, m);
    const [scale, r, c] = this.#levels(fn, theta, N, m);
    const k = this.#kernel('mask', K.maskKernel, N, m);
    return this.#run(k, N, m, [om.value, gm.value, r.value, c.value, scale]);
  }

  /** Column sums (Float64, on the host) of a partial-sum kernel over blocks of rows. */
  #columnSums(name: string, fn: KernelFunction, x: GpuMatrix, y: GpuMatrix): Float64Array {
    const { rows: N, cols: m } = x;
    const out = new Float64Array(m);
    if (N === 0 || m === 0) return out;
    const blocks = Math.ceil(N / K.BLOCK_ROWS);
    const k = this.#kernel(name, fn, blocks, m, N);
    const partial = this.#run(k, blocks, m, [x.value, y.value, N]);
    const p = flatten(partial.value, blocks, m);
    this.release(partial);
    for (let b = 0; b < blocks; b++) for (let j = 0; j < m; j++) out[j] += p[b * m + j];
    return out;
  }

  thresholdGradient(out: DeviceMatrix, g: DeviceMatrix): Float64Array {
    const fn = 'gpuBackend.thresholdGradient';
    const om = this.#own(fn, 'out', out);
    const gm = this.#own(fn, 'g', g);
    sameShape(fn, 'g', gm, om.rows, om.cols);
    return this.#columnSums('thresholdPartial', K.thresholdPartialKernel, om, gm);
  }

  combine(a: number, x: DeviceMatrix, b: number, y: DeviceMatrix): DeviceMatrix {
    const fn = 'gpuBackend.combine';
    const xm = this.#own(fn, 'x', x);
    const ym = this.#own(fn, 'y', y);
    const ca = checkNumber(fn, 'a', a);
    const cb = checkNumber(fn, 'b', b);
    sameShape(fn, 'y', ym, xm.rows, xm.cols);
    const k = this.#kernel('combine', K.combineKernel, xm.rows, xm.cols);
    return this.#run(k, xm.rows, xm.cols, [xm.value, ym.value, ca, cb]);
  }

  dot(x: DeviceMatrix, y: DeviceMatrix): number {
    const fn = 'gpuBackend.dot';
    const xm = this.#own(fn, 'x', x);
    const ym = this.#own(fn, 'y', y);
    sameShape(fn, 'y', ym, xm.rows, xm.cols);
    const sums = this.#columnSums('dotPartial', K.dotPartialKernel, xm, ym);
    let s = 0;
    for (let j = 0; j < sums.length; j++) s += sums[j];
    return s;
  }
}

export type { Mat };
