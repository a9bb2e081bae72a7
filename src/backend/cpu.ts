/**
 * The CPU backend: the {@link Backend} kernels in Float64 on the host, built from the library's
 * kernels (blocked GEMM, support-aware products for sparse left operands, the soft threshold's
 * formula). It is the reference the gpu.js backend is tested against, and the default wherever
 * a backend is optional. Its matrices are plain Float64Arrays; `release` has nothing to free.
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import { sparseRowsTimesInto, sparseRowsTimesTInto } from '../linalg/sparse-rows.js';
import { Tensor, unsafeData, wrap } from '../tensor/tensor.js';
import { checkNumber, checkTensor, typeError } from '../validate/index.js';
import { checkThresholds, productShape, sameShape, transposeProductShape } from './shapes.js';
import type { Backend, DeviceMatrix, Thresholds } from './types.js';

/** A matrix of the CPU backend: rows x cols, row-major Float64, never written after creation. */
class CpuMatrix implements DeviceMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: Float64Array,
  ) {}
}

/** Below this density (non-zeros / entries) of X, X op(W) skips the zeros of X (as the solvers do). */
const SPARSE_DENSITY = 0.25;

function own(fn: string, name: string, x: unknown): CpuMatrix {
  if (!(x instanceof CpuMatrix)) typeError(fn, name, 'a matrix of the CPU backend', x);
  return x;
}

function isSparse(x: Float64Array): boolean {
  let nnz = 0;
  for (let k = 0; k < x.length; k++) if (x[k] !== 0) nnz++;
  return nnz < SPARSE_DENSITY * x.length;
}

/** out = X op(W), support-aware when X is sparse. */
function productInto(x: CpuMatrix, w: CpuMatrix, transposeW: boolean, p: number, out: Float64Array): void {
  const { rows: N, cols: k } = x;
  if (N * k === 0 || p === 0) return;
  if (isSparse(x.data)) {
    if (transposeW) sparseRowsTimesTInto(x.data, N, k, w.data, p, out);
    else sparseRowsTimesInto(x.data, N, k, w.data, p, out);
  } else gemmInto(x.data, w.data, out, N, k, p, false, transposeW);
}

/** The factors of the levels θ_ij = scale rows_i cols_j, a missing one as ones. */
function levels(fn: string, theta: Thresholds, N: number, m: number): [number, Float64Array, Float64Array] {
  const scale = checkThresholds(fn, theta, N, m);
  const r = theta.rows === undefined ? new Float64Array(N).fill(1) : own(fn, 'theta.rows', theta.rows).data;
  const c = theta.cols === undefined ? new Float64Array(m).fill(1) : own(fn, 'theta.cols', theta.cols).data;
  return [scale, r, c];
}

function affineInto(
  fn: string,
  b: DeviceMatrix | null,
  beta: number,
  x: DeviceMatrix,
  w: DeviceMatrix,
  transposeW: boolean,
): CpuMatrix {
  const xm = own(fn, 'x', x);
  const wm = own(fn, 'w', w);
  const bm = b === null ? null : own(fn, 'b', b);
  const be = checkNumber(fn, 'beta', beta);
  const [N, p] = productShape(fn, xm, wm, transposeW);
  sameShape(fn, 'b', bm, N, p);
  const out = new Float64Array(N * p);
  productInto(xm, wm, transposeW, p, out);
  if (bm === null) {
    if (be !== 1) for (let k = 0; k < out.length; k++) out[k] *= be;
  } else {
    const bd = bm.data;
    for (let k = 0; k < out.length; k++) out[k] = bd[k] + be * out[k];
  }
  return new CpuMatrix(N, p, out);
}

/** The CPU reference backend (Float64). One object serves every caller: it keeps no state. */
export const cpuBackend: Backend = Object.freeze({
  name: 'cpu',
  kernelKind: 'Float64',
  precision: 'float64' as const,

  upload(x: Tensor): DeviceMatrix {
    const fn = 'cpuBackend.upload';
    if (!(x instanceof Tensor)) typeError(fn, 'x', 'a tensor of rank 1 or 2', x);
    const t = x.rank === 1 ? x : checkTensor(fn, 'x', x, { rank: 2, finite: false });
    const [rows, cols] = t.rank === 1 ? [1, t.shape[0]] : [t.shape[0], t.shape[1]];
    return new CpuMatrix(rows, cols, unsafeData(t).slice());
  },

  download(x: DeviceMatrix): Tensor {
    const xm = own('cpuBackend.download', 'x', x);
    return wrap(xm.data.slice(), [xm.rows, xm.cols]);
  },

  release(...xs: DeviceMatrix[]): void {
    for (const x of xs) own('cpuBackend.release', 'x', x);
  },

  times(x: DeviceMatrix, w: DeviceMatrix, transposeW: boolean): DeviceMatrix {
    return affineInto('cpuBackend.times', null, 1, x, w, transposeW);
  },

  transposeTimes(x: DeviceMatrix, y: DeviceMatrix): DeviceMatrix {
    const fn = 'cpuBackend.transposeTimes';
    const xm = own(fn, 'x', x);
    const ym = own(fn, 'y', y);
    const [k, p] = transposeProductShape(fn, xm, ym);
    const out = new Float64Array(k * p);
    if (xm.rows > 0) gemmInto(xm.data, ym.data, out, k, xm.rows, p, true, false);
    return new CpuMatrix(k, p, out);
  },

  affine(
    b: DeviceMatrix | null,
    beta: number,
    x: DeviceMatrix,
    w: DeviceMatrix,
    transposeW: boolean,
  ): DeviceMatrix {
    return affineInto('cpuBackend.affine', b, beta, x, w, transposeW);
  },

  shrinkAffine(
    b: DeviceMatrix | null,
    beta: number,
    x: DeviceMatrix,
    w: DeviceMatrix,
    transposeW: boolean,
    theta: Thresholds,
  ): DeviceMatrix {
    const fn = 'cpuBackend.shrinkAffine';
    const pre = affineInto(fn, b, beta, x, w, transposeW);
    const { rows: N, cols: m } = pre;
    const [scale, r, c] = levels(fn, theta, N, m);
    const d = pre.data; // a fresh buffer: thresholded in place
    for (let i = 0, o = 0; i < N; i++, o += m) {
      const si = scale * r[i];
      for (let j = 0; j < m; j++) {
        const v = d[o + j];
        const t = si * c[j];
        d[o + j] = v > t ? v - t : v < -t ? v + t : 0;
      }
    }
    return pre;
  },

  maskedGradient(out: DeviceMatrix, g: DeviceMatrix, theta: Thresholds): DeviceMatrix {
    const fn = 'cpuBackend.maskedGradient';
    const om = own(fn, 'out', out);
    const gm = own(fn, 'g', g);
    const { rows: N, cols: m } = om;
    sameShape(fn, 'g', gm, N, m);
    const [scale, r, c] = levels(fn, theta, N, m);
    const res = new Float64Array(N * m);
    const od = om.data;
    const gd = gm.data;
    for (let i = 0, o = 0; i < N; i++, o += m) {
      const si = scale * r[i];
      for (let j = 0; j < m; j++) res[o + j] = od[o + j] !== 0 || si * c[j] === 0 ? gd[o + j] : 0;
    }
    return new CpuMatrix(N, m, res);
  },

  thresholdGradient(out: DeviceMatrix, g: DeviceMatrix): Float64Array {
    const fn = 'cpuBackend.thresholdGradient';
    const om = own(fn, 'out', out);
    const gm = own(fn, 'g', g);
    const { rows: N, cols: m } = om;
    sameShape(fn, 'g', gm, N, m);
    const res = new Float64Array(m);
    const od = om.data;
    const gd = gm.data;
    for (let i = 0, o = 0; i < N; i++, o += m)
      for (let j = 0; j < m; j++) {
        const v = od[o + j];
        if (v > 0) res[j] -= gd[o + j];
        else if (v < 0) res[j] += gd[o + j];
      }
    return res;
  },

  combine(a: number, x: DeviceMatrix, b: number, y: DeviceMatrix): DeviceMatrix {
    const fn = 'cpuBackend.combine';
    const xm = own(fn, 'x', x);
    const ym = own(fn, 'y', y);
    const ca = checkNumber(fn, 'a', a);
    const cb = checkNumber(fn, 'b', b);
    sameShape(fn, 'y', ym, xm.rows, xm.cols);
    const res = new Float64Array(xm.data.length);
    for (let k = 0; k < res.length; k++) res[k] = ca * xm.data[k] + cb * ym.data[k];
    return new CpuMatrix(xm.rows, xm.cols, res);
  },

  dot(x: DeviceMatrix, y: DeviceMatrix): number {
    const fn = 'cpuBackend.dot';
    const xm = own(fn, 'x', x);
    const ym = own(fn, 'y', y);
    sameShape(fn, 'y', ym, xm.rows, xm.cols);
    let s = 0;
    for (let k = 0; k < xm.data.length; k++) s += xm.data[k] * ym.data[k];
    return s;
  },
});
