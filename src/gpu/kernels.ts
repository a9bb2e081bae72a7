/**
 * The gpu.js kernel functions of the backend, one per Backend kernel and variant, in the subset
 * of JavaScript that gpu.js compiles (to GLSL on WebGL, to WebAssembly, or to plain JavaScript on
 * its cpu mode). Output [cols, rows]: this.thread.x is the column, this.thread.y the row, and
 * 2-D arguments are indexed a[row][col]. The inner dimension K of a product and the rows per
 * partial sum B are constants (loops of known length), and the backend compiles each kernel per
 * shape (src/gpu/backend.ts).
 *
 * Reductions over the batch (dot, the threshold gradient) are split into partial sums over
 * blocks of B rows, added up on the host in Float64: more threads than one per column, and the
 * float32 rounding of a sum grows with B instead of N.
 *
 * @module
 */
import type { KernelThis, Mat } from './gpujs-types.js';

/** Rows per partial sum of the reductions. */
export const BLOCK_ROWS = 64;

/** A copy of the input (uploading host data into a device texture). */
export function copyKernel(this: KernelThis, a: Mat): number {
  return a[this.thread.y][this.thread.x];
}

/** X W. */
export function timesKernel(this: KernelThis, x: Mat, w: Mat): number {
  let s = 0;
  for (let k = 0; k < this.constants.K; k++) s += x[this.thread.y][k] * w[k][this.thread.x];
  return s;
}

/** X Wᵀ. */
export function timesTKernel(this: KernelThis, x: Mat, w: Mat): number {
  let s = 0;
  for (let k = 0; k < this.constants.K; k++) s += x[this.thread.y][k] * w[this.thread.x][k];
  return s;
}

/** Xᵀ Y (K = the rows of X and Y). */
export function transposeTimesKernel(this: KernelThis, x: Mat, y: Mat): number {
  let s = 0;
  for (let k = 0; k < this.constants.K; k++) s += x[k][this.thread.y] * y[k][this.thread.x];
  return s;
}

/** B + β X W. */
export function affineKernel(this: KernelThis, b: Mat, x: Mat, w: Mat, beta: number): number {
  let s = 0;
  for (let k = 0; k < this.constants.K; k++) s += x[this.thread.y][k] * w[k][this.thread.x];
  return b[this.thread.y][this.thread.x] + beta * s;
}

/** B + β X Wᵀ. */
export function affineTKernel(this: KernelThis, b: Mat, x: Mat, w: Mat, beta: number): number {
  let s = 0;
  for (let k = 0; k < this.constants.K; k++) s += x[this.thread.y][k] * w[this.thread.x][k];
  return b[this.thread.y][this.thread.x] + beta * s;
}

/** β X W. */
export function scaledTimesKernel(this: KernelThis, x: Mat, w: Mat, beta: number): number {
  let s = 0;
  for (let k = 0; k < this.constants.K; k++) s += x[this.thread.y][k] * w[k][this.thread.x];
  return beta * s;
}

/** β X Wᵀ. */
export function scaledTimesTKernel(this: KernelThis, x: Mat, w: Mat, beta: number): number {
  let s = 0;
  for (let k = 0; k < this.constants.K; k++) s += x[this.thread.y][k] * w[this.thread.x][k];
  return beta * s;
}

/** ST(B + β X W, scale r_i c_j): the fused layer forward. */
export function shrinkKernel(
  this: KernelThis,
  b: Mat,
  x: Mat,
  w: Mat,
  r: Mat,
  c: Mat,
  beta: number,
  scale: number,
): number {
  let s = 0;
  for (let k = 0; k < this.constants.K; k++) s += x[this.thread.y][k] * w[k][this.thread.x];
  const v = b[this.thread.y][this.thread.x] + beta * s;
  const t = scale * r[this.thread.y][0] * c[0][this.thread.x];
  if (v > t) return v - t;
  if (v < -t) return v + t;
  return 0;
}

/** ST(B + β X Wᵀ, scale r_i c_j). */
export function shrinkTKernel(
  this: KernelThis,
  b: Mat,
  x: Mat,
  w: Mat,
  r: Mat,
  c: Mat,
  beta: number,
  scale: number,
): number {
  let s = 0;
  for (let k = 0; k < this.constants.K; k++) s += x[this.thread.y][k] * w[this.thread.x][k];
  const v = b[this.thread.y][this.thread.x] + beta * s;
  const t = scale * r[this.thread.y][0] * c[0][this.thread.x];
  if (v > t) return v - t;
  if (v < -t) return v + t;
  return 0;
}

/** ST(β X W, scale r_i c_j) (no B). */
export function shrinkNoBKernel(
  this: KernelThis,
  x: Mat,
  w: Mat,
  r: Mat,
  c: Mat,
  beta: number,
  scale: number,
): number {
  let s = 0;
  for (let k = 0; k < this.constants.K; k++) s += x[this.thread.y][k] * w[k][this.thread.x];
  const v = beta * s;
  const t = scale * r[this.thread.y][0] * c[0][this.thread.x];
  if (v > t) return v - t;
  if (v < -t) return v + t;
  return 0;
}

/** ST(β X Wᵀ, scale r_i c_j) (no B). */
export function shrinkNoBTKernel(
  this: KernelThis,
  x: Mat,
  w: Mat,
  r: Mat,
  c: Mat,
  beta: number,
  scale: number,
): number {
  let s = 0;
  for (let k = 0; k < this.constants.K; k++) s += x[this.thread.y][k] * w[this.thread.x][k];
  const v = beta * s;
  const t = scale * r[this.thread.y][0] * c[0][this.thread.x];
  if (v > t) return v - t;
  if (v < -t) return v + t;
  return 0;
}

/** g where out ≠ 0 or the level is 0 (the threshold is the identity there), else 0. */
export function maskKernel(this: KernelThis, out: Mat, g: Mat, r: Mat, c: Mat, scale: number): number {
  const t = scale * r[this.thread.y][0] * c[0][this.thread.x];
  if (out[this.thread.y][this.thread.x] !== 0 || t === 0) return g[this.thread.y][this.thread.x];
  return 0;
}

/** a X + b Y. */
export function combineKernel(this: KernelThis, x: Mat, y: Mat, a: number, b: number): number {
  return a * x[this.thread.y][this.thread.x] + b * y[this.thread.y][this.thread.x];
}

/** Partial sums over blocks of B rows of x_ij y_ij (output [cols, blocks]; N the rows). */
export function dotPartialKernel(this: KernelThis, x: Mat, y: Mat, N: number): number {
  let s = 0;
  const start = this.thread.y * this.constants.B;
  for (let k = 0; k < this.constants.B; k++) {
    const i = start + k;
    if (i < N) s += x[i][this.thread.x] * y[i][this.thread.x];
  }
  return s;
}

/** Partial sums over blocks of B rows of -sign(out_ij) g_ij. */
export function thresholdPartialKernel(this: KernelThis, out: Mat, g: Mat, N: number): number {
  let s = 0;
  const start = this.thread.y * this.constants.B;
  for (let k = 0; k < this.constants.B; k++) {
    const i = start + k;
    if (i < N) {
      const v = out[i][this.thread.x];
      if (v > 0) s -= g[i][this.thread.x];
      if (v < 0) s += g[i][this.thread.x];
    }
  }
  return s;
}
