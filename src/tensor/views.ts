/**
 * Reshaping, transposing and slicing. Because tensors are immutable, reshape and row slices
 * share the buffer (views, O(1)); transpose must reorder entries and so copies.
 *
 * @module
 */
import {
  checkInteger,
  checkShape,
  checkTensor,
  Got,
  isArray,
  rangeError,
  typeError,
} from '../validate/index.js';
import { shapeSize, unsafeData, wrap, type Shape, type Tensor } from './tensor.js';

/** The same entries under another shape with the same size (a view). One axis may be -1. */
export function reshape(t: Tensor, shape: Shape): Tensor {
  checkTensor('reshape', 't', t, { finite: false });
  const inferred = shape.indexOf(-1);
  let target: readonly number[] = shape;
  if (inferred >= 0 && shape.lastIndexOf(-1) === inferred) {
    const rest = shapeSize(shape.filter((_, i) => i !== inferred));
    if (rest > 0 && t.size % rest === 0) target = shape.map((d, i) => (i === inferred ? t.size / rest : d));
  }
  checkShape('reshape', 'shape', target);
  if (shapeSize(target) !== t.size)
    rangeError('reshape', 'shape', `a shape of size ${t.size} (the size of [${t.shape.join(', ')}])`, shape);
  return wrap(unsafeData(t), target);
}

/** A rank-1 view of all entries. */
export function flatten(t: Tensor): Tensor {
  return reshape(t, [t.size]);
}

/**
 * Transpose of a matrix, or a permutation of the axes of any tensor (a copy).
 * `transpose(t)` reverses the axes; `transpose(t, [0, 2, 1])` permutes them.
 */
export function transpose(t: Tensor, axes?: readonly number[]): Tensor {
  checkTensor('transpose', 't', t, { finite: false });
  const rank = t.rank;
  const perm = axes ?? t.shape.map((_, i) => rank - 1 - i);
  const isPermutation =
    isArray(perm) &&
    perm.length === rank &&
    perm.every((a, i) => Number.isInteger(a) && perm.indexOf(a) === i && a >= 0 && a < rank);
  if (!isPermutation) rangeError('transpose', 'axes', `a permutation of 0..${rank - 1}`, perm);
  const src = unsafeData(t);
  const outShape = perm.map((a) => t.shape[a]);
  const out = new Float64Array(t.size);
  if (rank === 2 && perm[0] === 1) {
    transpose2dInto(src, t.shape[0], t.shape[1], out);
    return wrap(out, outShape);
  }
  // General case: walk the output in order, accumulating the source offset through strides.
  const srcStrides = stridesOf(t.shape);
  const permStrides = perm.map((a) => srcStrides[a]);
  const index = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let k = 0; k < out.length; k++) {
    out[k] = src[offset];
    for (let a = rank - 1; a >= 0; a--) {
      index[a]++;
      offset += permStrides[a];
      if (index[a] < outShape[a]) break;
      offset -= permStrides[a] * outShape[a];
      index[a] = 0;
    }
  }
  return wrap(out, outShape);
}

/** out = A^T for a row-major (rows x cols) matrix, in cache-friendly 32 x 32 tiles. */
export function transpose2dInto(a: Float64Array, rows: number, cols: number, out: Float64Array): void {
  const tile = 32;
  for (let i0 = 0; i0 < rows; i0 += tile) {
    const i1 = Math.min(i0 + tile, rows);
    for (let j0 = 0; j0 < cols; j0 += tile) {
      const j1 = Math.min(j0 + tile, cols);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = a[i * cols + j];
    }
  }
}

/** Row-major strides of a shape, in entries. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let a = shape.length - 1; a >= 0; a--) {
    strides[a] = s;
    s *= shape[a];
  }
  return strides;
}

/** Rows start..end-1 along the first axis (a batch slice; a view). */
export function rows(t: Tensor, start: number, end?: number): Tensor {
  checkTensor('rows', 't', t, { rank: [1, 2, 3, 4], finite: false });
  const n = t.shape[0];
  checkInteger('rows', 'start', start, { min: 0, max: n });
  end = checkInteger('rows', 'end', end ?? n, { min: start, max: n });
  const inner = n === 0 ? 0 : t.size / n;
  return wrap(unsafeData(t).subarray(start * inner, end * inner), [end - start, ...t.shape.slice(1)]);
}

/** Row i along the first axis, with that axis dropped (a view). */
export function row(t: Tensor, i: number): Tensor {
  checkTensor('row', 't', t, { rank: [2, 3, 4], finite: false });
  checkInteger('row', 'i', i, { min: 0, max: t.shape[0] - 1 });
  const inner = t.size / t.shape[0];
  return wrap(unsafeData(t).subarray(i * inner, (i + 1) * inner), t.shape.slice(1));
}

/** The rows at the given indices, in that order (a copy; mini-batches, shuffling). */
export function takeRows(t: Tensor, indices: readonly number[]): Tensor {
  checkTensor('takeRows', 't', t, { rank: [1, 2, 3, 4], finite: false });
  const n = t.shape[0];
  const inner = n === 0 ? 0 : t.size / n;
  const src = unsafeData(t);
  const out = new Float64Array(indices.length * inner);
  indices.forEach((r, k) => {
    if (!Number.isInteger(r) || r < 0 || r >= n)
      rangeError('takeRows', 'indices', `integers in [0, ${n - 1}]`, new Got(`${r} at position ${k}`));
    out.set(src.subarray(r * inner, (r + 1) * inner), k * inner);
  });
  return wrap(out, [indices.length, ...t.shape.slice(1)]);
}

/** Tensors of equal trailing shape stacked along the first axis (a copy). */
export function concatRows(parts: readonly Tensor[]): Tensor {
  if (!isArray(parts)) typeError('concatRows', 'parts', 'a non-empty array of tensors', parts);
  if (parts.length === 0) rangeError('concatRows', 'parts', 'a non-empty array of tensors', parts);
  parts.forEach((p) => checkTensor('concatRows', 'parts', p, { finite: false }));
  const tail = parts[0].shape.slice(1);
  for (const p of parts) {
    if (p.rank !== parts[0].rank || p.shape.slice(1).some((d: number, i: number) => d !== tail[i]))
      rangeError('concatRows', 'parts', `tensors of shape [*, ${tail.join(', ')}]`, p);
  }
  const out = new Float64Array(parts.reduce((s, p) => s + p.size, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(unsafeData(p), offset);
    offset += p.size;
  }
  return wrap(out, [parts.reduce((s, p) => s + p.shape[0], 0), ...tail]);
}

/** A writable copy of the entries (for callers that need to mutate). */
export function toFloat64Array(t: Tensor): Float64Array {
  checkTensor('toFloat64Array', 't', t, { finite: false });
  return unsafeData(t).slice();
}

/** A copy of a tensor (rarely needed: tensors are immutable). */
export function clone(t: Tensor): Tensor {
  checkTensor('clone', 't', t, { finite: false });
  return wrap(unsafeData(t).slice(), t.shape);
}
