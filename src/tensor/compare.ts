/**
 * Approximate comparison, NumPy-style: |a - b| <= atol + rtol * |b| for every entry.
 *
 * @module
 */
import { checkNumber, checkTensor } from '../validate/index.js';
import type { Tensor } from './tensor.js';

/** Tolerances of {@link allClose}. */
export interface CloseOptions {
  /** Relative tolerance (default 1e-9). */
  rtol?: number;
  /** Absolute tolerance (default 1e-12). */
  atol?: number;
  /** Whether NaN equals NaN (default false). */
  equalNaN?: boolean;
}

/**
 * True when a and b have the same shape and |a - b| <= atol + rtol * |b| entrywise
 * (asymmetric in b, as NumPy's isclose).
 */
export function allClose(a: Tensor, b: Tensor, options: CloseOptions = {}): boolean {
  checkTensor('allClose', 'a', a, { finite: false });
  checkTensor('allClose', 'b', b, { finite: false });
  const rtol = checkNumber('allClose', 'rtol', options.rtol ?? 1e-9, { min: 0 });
  const atol = checkNumber('allClose', 'atol', options.atol ?? 1e-12, { min: 0 });
  if (a.rank !== b.rank || a.shape.some((d, i) => d !== b.shape[i])) return false;
  const x = a.data;
  const y = b.data;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) {
      if (options.equalNaN && Number.isNaN(x[i]) && Number.isNaN(y[i])) continue;
      return false;
    }
    if (x[i] === y[i]) continue; // equal infinities
    if (!(Math.abs(x[i] - y[i]) <= atol + rtol * Math.abs(y[i]))) return false;
  }
  return true;
}

/** Largest absolute entrywise difference (for error messages and reports). */
export function maxAbsDiff(a: Tensor, b: Tensor): number {
  checkTensor('maxAbsDiff', 'a', a, { finite: false });
  checkTensor('maxAbsDiff', 'b', b, { finite: false, shape: a.shape });
  let worst = 0;
  for (let i = 0; i < a.size; i++) worst = Math.max(worst, Math.abs(a.data[i] - b.data[i]));
  return worst;
}
