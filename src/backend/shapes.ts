/**
 * Shape rules of the {@link Backend} kernels, checked the same way by every backend so that a
 * mistake gives the same message on the CPU and on the GPU (the template of src/validate). The
 * checks cost a few comparisons per kernel call, nothing next to the kernels.
 *
 * @module
 */
import { Got, checkNumber, rangeError } from '../validate/index.js';
import type { DeviceMatrix, Thresholds } from './types.js';

function dims(x: DeviceMatrix): Got {
  return new Got(`a (${x.rows}, ${x.cols}) matrix`);
}

/** The shape (rows, cols) of X op(W); throws the template RangeError when the sizes disagree. */
export function productShape(
  fn: string,
  x: DeviceMatrix,
  w: DeviceMatrix,
  transposeW: boolean,
): [number, number] {
  const inner = transposeW ? w.cols : w.rows;
  if (inner !== x.cols)
    rangeError(
      fn,
      'w',
      `a matrix with ${x.cols} ${transposeW ? 'columns' : 'rows'} (x is (${x.rows}, ${x.cols}))`,
      dims(w),
    );
  return [x.rows, transposeW ? w.rows : w.cols];
}

/** The shape of Xᵀ Y: both have the same number of rows. */
export function transposeProductShape(fn: string, x: DeviceMatrix, y: DeviceMatrix): [number, number] {
  if (x.rows !== y.rows) rangeError(fn, 'y', `a matrix with ${x.rows} rows (like x)`, dims(y));
  return [x.cols, y.cols];
}

/** Checks that `y` has the shape (rows, cols). */
export function sameShape(
  fn: string,
  name: string,
  y: DeviceMatrix | null,
  rows: number,
  cols: number,
): void {
  if (y !== null && (y.rows !== rows || y.cols !== cols))
    rangeError(fn, name, `a (${rows}, ${cols}) matrix`, dims(y));
}

/** Checks threshold levels against an output of shape (rows, cols); returns the scale. */
export function checkThresholds(fn: string, theta: Thresholds, rows: number, cols: number): number {
  const scale = checkNumber(fn, 'theta.scale', theta.scale, { min: 0 });
  if (theta.rows !== undefined) sameShape(fn, 'theta.rows', theta.rows, rows, 1);
  if (theta.cols !== undefined) sameShape(fn, 'theta.cols', theta.cols, 1, cols);
  return scale;
}
