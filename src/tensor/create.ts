/**
 * Tensor constructors. Each checks its arguments once and copies the caller's data, so a tensor
 * never aliases a buffer that someone else can still write.
 *
 * @module
 */
import { checkInteger, checkShape, Got, rangeError, typeError } from '../validate/index.js';
import { shapeSize, wrap, type Shape, type Tensor } from './tensor.js';

/** A tensor of zeros. */
export function zeros(shape: Shape): Tensor {
  checkShape('zeros', 'shape', shape);
  return wrap(new Float64Array(shapeSize(shape)), shape);
}

/** A tensor filled with one value. */
export function full(shape: Shape, value: number): Tensor {
  checkShape('full', 'shape', shape);
  if (typeof value !== 'number') typeError('full', 'value', 'a number', value);
  return wrap(new Float64Array(shapeSize(shape)).fill(value), shape);
}

/** The n x n identity matrix. */
export function eye(n: number): Tensor {
  checkInteger('eye', 'n', n, { min: 0 });
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return wrap(out, [n, n]);
}

/** A rank-1 tensor 0, 1, ..., n - 1 (handy for tests and demos). */
export function arange(n: number): Tensor {
  checkInteger('arange', 'n', n, { min: 0 });
  return wrap(
    Float64Array.from({ length: n }, (_, i) => i),
    [n],
  );
}

/** Nested plain arrays of numbers, any depth >= 1. */
export type NestedArray = readonly number[] | readonly NestedArray[];

/**
 * A tensor from nested arrays, e.g. `tensor([[1, 2], [3, 4]])`. Ragged arrays and non-numbers
 * are rejected with a message that says where.
 */
export function tensor(values: NestedArray): Tensor {
  if (!Array.isArray(values)) typeError('tensor', 'values', 'a (nested) array of numbers', values);
  const shape: number[] = [];
  for (let level: unknown = values; Array.isArray(level); level = level[0]) shape.push(level.length);
  const out = new Float64Array(shapeSize(shape));
  let k = 0;
  const fill = (node: unknown, axis: number, path: string): void => {
    if (axis === shape.length) {
      if (typeof node !== 'number')
        typeError(
          'tensor',
          'values',
          'a (nested) array of numbers',
          new Got(`${describeKind(node)} at ${path || '[]'}`),
        );
      out[k++] = node;
      return;
    }
    if (!Array.isArray(node) || node.length !== shape[axis])
      rangeError(
        'tensor',
        'values',
        `a rectangular array of shape [${shape.join(', ')}]`,
        new Got(`a ragged entry at ${path || '[]'}`),
      );
    for (let i = 0; i < node.length; i++) fill(node[i], axis + 1, `${path}[${i}]`);
  };
  fill(values, 0, '');
  return wrap(out, shape);
}

function describeKind(v: unknown): string {
  return Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v;
}

/**
 * A tensor from a flat array (any typed array or number[]) and a shape; the data is copied
 * (and converted to Float64).
 */
export function fromArray(data: ArrayLike<number>, shape: Shape): Tensor {
  const fn = 'fromArray';
  if (data === null || typeof data !== 'object' || typeof data.length !== 'number')
    typeError(fn, 'data', 'an array or typed array of numbers', data);
  checkShape(fn, 'shape', shape);
  const size = shapeSize(shape);
  if (data.length !== size)
    rangeError(
      fn,
      'data',
      `of length ${size} to fill shape [${shape.join(', ')}]`,
      new Got(`length ${data.length}`),
    );
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = data[i];
  return wrap(out, shape);
}

/** A tensor built entry by entry from its multi-index, e.g. `fromFunction([3, 3], (i, j) => i + j)`. */
export function fromFunction(shape: Shape, f: (...index: number[]) => number): Tensor {
  checkShape('fromFunction', 'shape', shape);
  if (typeof f !== 'function') typeError('fromFunction', 'f', 'a function', f);
  const out = new Float64Array(shapeSize(shape));
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < out.length; k++) {
    out[k] = f(...index);
    for (let a = shape.length - 1; a >= 0; a--) {
      if (++index[a] < shape[a]) break;
      index[a] = 0;
    }
  }
  return wrap(out, shape);
}
