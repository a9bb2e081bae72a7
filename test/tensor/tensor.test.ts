import { describe, expect, it } from 'vitest';
import ndarray from 'ndarray';
import {
  abs,
  add,
  allClose,
  arange,
  argmax,
  axpy,
  clone,
  concatRows,
  countNonZero,
  div,
  eye,
  flatten,
  fromArray,
  fromFunction,
  fromNdarray,
  full,
  map,
  max,
  maxAbsDiff,
  mean,
  meanRows,
  min,
  mul,
  neg,
  reshape,
  row,
  rows,
  scale,
  sub,
  sum,
  sumRows,
  takeRows,
  tensor,
  toFloat64Array,
  toNdarray,
  transpose,
  zeros,
} from '../../src/tensor/index.js';

describe('constructors', () => {
  it('zeros, full, eye, arange', () => {
    expect(zeros([2, 3]).toArray()).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
    expect(full([2], 7).toArray()).toEqual([7, 7]);
    expect(eye(2).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(arange(4).toArray()).toEqual([0, 1, 2, 3]);
  });

  it('tensor from nested arrays, ranks 1 to 3', () => {
    expect(tensor([1, 2]).shape).toEqual([2]);
    const t = tensor([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ]);
    expect(t.shape).toEqual([2, 2, 2]);
    expect(t.rank).toBe(3);
    expect(t.size).toBe(8);
    expect(t.get(1, 0, 1)).toBe(6);
  });

  it('fromArray copies and converts', () => {
    const src = new Float32Array([1.5, 2, 3, 4]);
    const t = fromArray(src, [2, 2]);
    src[0] = 99;
    expect(t.get(0, 0)).toBe(1.5);
    expect(t.data).toBeInstanceOf(Float64Array);
  });

  it('fromFunction builds by index', () => {
    expect(fromFunction([2, 3], (i, j) => 10 * i + j).toArray()).toEqual([
      [0, 1, 2],
      [10, 11, 12],
    ]);
  });

  it('rejects ragged arrays, non-numbers and size mismatches with the template', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(
      new RangeError(
        "tensor: argument 'values' must be a rectangular array of shape [2, 2]. Got a ragged entry at [1].",
      ),
    );
    expect(() => tensor([1, 'a'] as unknown as number[])).toThrow(TypeError);
    expect(() => fromArray([1, 2, 3], [2, 2])).toThrow(
      new RangeError("fromArray: argument 'data' must be of length 4 to fill shape [2, 2]. Got length 3."),
    );
    expect(() => zeros([2, -1])).toThrow(
      new RangeError("zeros: argument 'shape' must be a shape (an array of integers >= 0). Got [2, -1]."),
    );
    expect(() => zeros([2.5])).toThrow(RangeError);
    expect(() => zeros('3' as unknown as number[])).toThrow(TypeError);
  });
});

describe('views and copies', () => {
  const a = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('reshape shares data, infers -1', () => {
    const r = reshape(a, [3, -1]);
    expect(r.shape).toEqual([3, 2]);
    expect(r.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(flatten(a).toArray()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => reshape(a, [4, 2])).toThrow(RangeError);
  });

  it('transpose of a matrix and permutation of axes', () => {
    expect(transpose(a).toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    const t3 = fromFunction([2, 3, 4], (i, j, k) => 100 * i + 10 * j + k);
    const p = transpose(t3, [2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    expect(p.get(3, 1, 2)).toBe(123);
    expect(() => transpose(t3, [0, 0, 1])).toThrow(RangeError);
  });

  it('row slices are batches', () => {
    expect(rows(a, 1).toArray()).toEqual([[4, 5, 6]]);
    expect(rows(a, 0, 0).shape).toEqual([0, 3]);
    expect(row(a, 1).toArray()).toEqual([4, 5, 6]);
    expect(takeRows(a, [1, 0, 1]).toArray()).toEqual([
      [4, 5, 6],
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(concatRows([a, rows(a, 0, 1)]).toArray()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [1, 2, 3],
    ]);
    expect(() => rows(a, 1, 3)).toThrow(
      new RangeError("rows: argument 'end' must be an integer >= 1 and <= 2. Got 3."),
    );
    expect(() => takeRows(a, [2])).toThrow(RangeError);
  });

  it('copies are independent', () => {
    const c = toFloat64Array(a);
    c[0] = 42;
    expect(a.get(0, 0)).toBe(1);
    expect(clone(a).toArray()).toEqual(a.toArray());
  });
});

describe('arithmetic and reductions', () => {
  const a = tensor([
    [1, -2],
    [3, 4],
  ]);
  const b = tensor([
    [2, 2],
    [2, 8],
  ]);

  it('elementwise', () => {
    expect(add(a, b).toArray()).toEqual([
      [3, 0],
      [5, 12],
    ]);
    expect(sub(a, 1).toArray()).toEqual([
      [0, -3],
      [2, 3],
    ]);
    expect(mul(a, b).toArray()).toEqual([
      [2, -4],
      [6, 32],
    ]);
    expect(div(a, b).toArray()).toEqual([
      [0.5, -1],
      [1.5, 0.5],
    ]);
    expect(scale(a, -1).toArray()).toEqual(neg(a).toArray());
    expect(abs(a).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(axpy(2, a, b).toArray()).toEqual([
      [4, -2],
      [8, 16],
    ]);
    expect(map(a, (v, i) => v * i).toArray()).toEqual([
      [0, -2],
      [6, 12],
    ]);
  });

  it('reductions', () => {
    expect(sum(a)).toBe(6);
    expect(mean(a)).toBe(1.5);
    expect(max(a)).toBe(4);
    expect(min(a)).toBe(-2);
    expect(argmax(a)).toBe(3);
    expect(countNonZero(tensor([0, 1, 0, -3]))).toBe(2);
    expect(sumRows(a).toArray()).toEqual([-1, 7]);
    expect(meanRows(a).toArray()).toEqual([2, 1]);
    expect(sum(zeros([0]))).toBe(0);
    expect(() => mean(zeros([0]))).toThrow(
      new RangeError("mean: argument 't' must be a non-empty tensor. Got a tensor of shape [0]."),
    );
  });

  it('shape mismatches are RangeErrors', () => {
    expect(() => add(a, zeros([3]))).toThrow(
      new RangeError(
        "add: argument 'b' must be a number or a tensor of shape [2, 2]. Got a tensor of shape [3].",
      ),
    );
    expect(() => add([1, 2] as never, a)).toThrow(
      new TypeError("add: argument 'a' must be a tensor. Got [1, 2]."),
    );
  });
});

describe('allClose', () => {
  it('uses |a - b| <= atol + rtol |b|', () => {
    expect(allClose(tensor([1, 2]), tensor([1, 2 + 1e-10]))).toBe(true);
    expect(allClose(tensor([1, 2]), tensor([1, 2.001]))).toBe(false);
    expect(allClose(tensor([1, 2]), tensor([1, 2.001]), { rtol: 1e-3 })).toBe(true);
    expect(allClose(tensor([0]), tensor([1e-13]))).toBe(true);
    expect(allClose(tensor([1, 2]), tensor([[1, 2]]))).toBe(false);
    expect(allClose(tensor([NaN]), tensor([NaN]))).toBe(false);
    expect(allClose(tensor([NaN]), tensor([NaN]), { equalNaN: true })).toBe(true);
    expect(allClose(tensor([Infinity]), tensor([Infinity]))).toBe(true);
    expect(maxAbsDiff(tensor([1, 5]), tensor([2, 3]))).toBe(2);
    expect(() => allClose(tensor([1]), tensor([1]), { rtol: -1 })).toThrow(RangeError);
  });
});

describe('ndarray interop', () => {
  it('fromNdarray copies any strides into a contiguous tensor', () => {
    const nd = ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]).transpose(1, 0);
    const t = fromNdarray(nd);
    expect(t.shape).toEqual([3, 2]);
    expect(t.toArray()).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    nd.set(0, 0, 100);
    expect(t.get(0, 0)).toBe(1);
    const stepped = ndarray(new Float64Array([0, 1, 2, 3, 4, 5, 6, 7]), [8])
      .lo(1)
      .step(3);
    expect(fromNdarray(stepped).toArray()).toEqual([1, 4, 7]);
  });

  it('toNdarray is a view over the same buffer', () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    const nd = toNdarray(t);
    expect(nd.get(1, 0)).toBe(3);
    expect(nd.data).toBe(t.data);
    expect(nd.shape).toEqual([2, 2]);
  });

  it('rejects non-ndarrays', () => {
    expect(() => fromNdarray([1, 2] as never)).toThrow(TypeError);
  });
});
