/**
 * Reductions over all entries, and per row for batches (rank 2, one value per sample).
 *
 * @module
 */
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { checkTensor, rangeError } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from './tensor.js';

function view(t: Tensor): ndarray.NdArray<Float64Array> {
  return ndarray(unsafeData(t), [t.size]);
}

function nonEmpty(fn: string, t: Tensor): void {
  checkTensor(fn, 't', t, { finite: false });
  if (t.size === 0) rangeError(fn, 't', 'a non-empty tensor', t);
}

/** Sum of all entries (0 for an empty tensor). */
export function sum(t: Tensor): number {
  checkTensor('sum', 't', t, { finite: false });
  return t.size === 0 ? 0 : ops.sum(view(t));
}

/** Mean of all entries. */
export function mean(t: Tensor): number {
  nonEmpty('mean', t);
  return ops.sum(view(t)) / t.size;
}

/** Largest entry. */
export function max(t: Tensor): number {
  nonEmpty('max', t);
  return ops.sup(view(t));
}

/** Smallest entry. */
export function min(t: Tensor): number {
  nonEmpty('min', t);
  return ops.inf(view(t));
}

/** Flat index of the largest entry (the first one on ties). */
export function argmax(t: Tensor): number {
  nonEmpty('argmax', t);
  const d = unsafeData(t);
  let best = 0;
  for (let i = 1; i < d.length; i++) if (d[i] > d[best]) best = i;
  return best;
}

/** Number of non-zero entries (the l0 "norm"). */
export function countNonZero(t: Tensor): number {
  checkTensor('countNonZero', 't', t, { finite: false });
  const d = unsafeData(t);
  let n = 0;
  for (let i = 0; i < d.length; i++) if (d[i] !== 0) n++;
  return n;
}

/** Per-row sums of a matrix (N, m): a vector (N). */
export function sumRows(t: Tensor): Tensor {
  checkTensor('sumRows', 't', t, { rank: 2, finite: false });
  const [n, m] = t.shape;
  const d = unsafeData(t);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += d[i * m + j];
    out[i] = s;
  }
  return wrap(out, [n]);
}

/** Per-column means of a matrix (N, m): a vector (m) (the mean sample of a batch). */
export function meanRows(t: Tensor): Tensor {
  checkTensor('meanRows', 't', t, { rank: 2, finite: false });
  const [n, m] = t.shape;
  if (n === 0) rangeError('meanRows', 't', 'a matrix with at least one row', t);
  const d = unsafeData(t);
  const out = new Float64Array(m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[j] += d[i * m + j];
  for (let j = 0; j < m; j++) out[j] /= n;
  return wrap(out, [m]);
}
