/**
 * Known values of the matrix products (dense, support-aware, Gram, matrix-vector) on small
 * hand-computed matrices, the blocked kernel against the naive loop on shapes that cross every
 * block boundary, and the messages of bad arguments.
 */
import { describe, expect, it } from 'vitest';
import { fromArray, tensor, zeros } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import {
  gemmInto,
  gemmNaiveInto,
  gram,
  gramInto,
  matmul,
  matmulNT,
  matmulTN,
} from '../../src/linalg/gemm.js';
import { matvec, matvecT } from '../../src/linalg/gemv.js';
import {
  gatherSupport,
  sparseRowsTimes,
  sparseRowsTimesInto,
  sparseRowsTimesT,
  sparseRowsTimesTInto,
  supportOf,
  supportTimesInto,
  supportTimesTInto,
} from '../../src/linalg/sparse-rows.js';

/** A (2 x 3) used throughout. */
const A = tensor([
  [1, 2, 3],
  [4, 5, 6],
]);

/** A sparse batch Z (3 x 3) with an all-zero row. */
const Z = tensor([
  [0, 2, 0],
  [0, 0, 0],
  [1, 0, -1],
]);

/** Deterministic pseudo-random entries in [-1, 1) (a small LCG; no library code). */
function pseudoRandom(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]));
  return m;
}

function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

function expectTensor(t: Tensor, shape: number[], values: number[][]): void {
  expect(t.shape).toEqual(shape);
  expect(t.toArray()).toEqual(values);
}

describe('dense products: known values', () => {
  it('matmul computes A B', () => {
    const B = tensor([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    expectTensor(
      matmul(A, B),
      [2, 2],
      [
        [58, 64],
        [139, 154],
      ],
    );
  });

  it('matmulNT computes A B^T', () => {
    const B = tensor([
      [1, 0, 1],
      [0, 1, 0],
      [1, 1, 1],
    ]);
    expectTensor(
      matmulNT(A, B),
      [2, 3],
      [
        [4, 2, 6],
        [10, 5, 15],
      ],
    );
  });

  it('matmulTN computes A^T B', () => {
    const B = tensor([
      [1, 1],
      [2, 0],
    ]);
    expectTensor(
      matmulTN(A, B),
      [3, 2],
      [
        [9, 1],
        [12, 2],
        [15, 3],
      ],
    );
  });

  it('gram computes A^T A, exactly symmetric', () => {
    expectTensor(
      gram(A),
      [3, 3],
      [
        [17, 22, 27],
        [22, 29, 36],
        [27, 36, 45],
      ],
    );
  });

  it('handles 1 x 1 and vector-shaped products', () => {
    expectTensor(matmul(tensor([[3]]), tensor([[-2]])), [1, 1], [[-6]]);
    expectTensor(matmul(tensor([[1, 2, 3]]), tensor([[1], [1], [1]])), [1, 1], [[6]]);
    expectTensor(
      matmul(tensor([[1], [2]]), tensor([[3, 4]])),
      [2, 2],
      [
        [3, 4],
        [6, 8],
      ],
    );
  });

  it('an empty inner dimension gives zeros, an empty outer one an empty result', () => {
    expectTensor(
      matmul(zeros([2, 0]), zeros([0, 3])),
      [2, 3],
      [
        [0, 0, 0],
        [0, 0, 0],
      ],
    );
    expect(matmul(zeros([0, 4]), zeros([4, 3])).shape).toEqual([0, 3]);
    expect(gram(zeros([0, 2])).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('returns a new tensor and leaves its inputs alone', () => {
    const before = Array.from(A.data);
    const out = matmulNT(A, A);
    expect(Array.from(A.data)).toEqual(before);
    expect(out.data).not.toBe(A.data);
  });
});

describe('matrix-vector products: known values', () => {
  it('matvec computes A x', () => {
    expect(Array.from(matvec(A, tensor([1, 1, 1])).data)).toEqual([6, 15]);
    expect(Array.from(matvec(A, tensor([1, 0, -1])).data)).toEqual([-2, -2]);
  });

  it('matvecT computes A^T x', () => {
    expect(Array.from(matvecT(A, tensor([1, -1])).data)).toEqual([-3, -3, -3]);
    expect(Array.from(matvecT(A, tensor([2, 0])).data)).toEqual([2, 4, 6]);
  });
});

describe('support-aware products: known values', () => {
  const W = tensor([
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  const V = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);

  it('sparseRowsTimes computes Z W, zero rows included', () => {
    expectTensor(
      sparseRowsTimes(Z, W),
      [3, 2],
      [
        [6, 8],
        [0, 0],
        [-4, -4],
      ],
    );
  });

  it('sparseRowsTimesT computes Z W^T', () => {
    expectTensor(
      sparseRowsTimesT(Z, V),
      [3, 2],
      [
        [4, 10],
        [0, 0],
        [-2, -2],
      ],
    );
  });

  it('supportOf lists the non-zeros row by row', () => {
    const s = supportOf(Z);
    expect(s.rows).toBe(3);
    expect(s.cols).toBe(3);
    expect(Array.from(s.offsets)).toEqual([0, 1, 1, 3]);
    expect(Array.from(s.indices)).toEqual([1, 0, 2]);
    expect(Array.from(s.values)).toEqual([2, 1, -1]);
  });

  it('the support kernels agree with the scanning kernels', () => {
    const s = supportOf(Z);
    const out = new Float64Array(6);
    supportTimesInto(s, W.data as Float64Array, 2, out);
    expect(Array.from(out)).toEqual([6, 8, 0, 0, -4, -4]);
    supportTimesTInto(s, V.data as Float64Array, 2, out);
    expect(Array.from(out)).toEqual([4, 10, 0, 0, -2, -2]);
  });

  it('equals the dense product on a batch large enough to take the packed path of Z W^T', () => {
    // 40 rows x 37 columns at about 10% density: more non-zeros than columns, odd widths.
    const [N, m, p] = [40, 37, 19];
    const z = pseudoRandom(N * m, 7).map((x) => (Math.abs(x) < 0.1 ? x * 10 : 0));
    const w = pseudoRandom(m * p, 8);
    const wt = pseudoRandom(p * m, 9);
    expect(gatherSupport(z, N, m).offsets[N]).toBeGreaterThanOrEqual(m);
    const dense = new Float64Array(N * p);
    const sparse = new Float64Array(N * p);
    gemmNaiveInto(z, w, dense, N, m, p);
    sparseRowsTimesInto(z, N, m, w, p, sparse);
    expect(maxAbsDiff(sparse, dense)).toBeLessThanOrEqual(1e-13);
    gemmNaiveInto(z, wt, dense, N, m, p, false, true);
    sparseRowsTimesTInto(z, N, m, wt, p, sparse);
    expect(maxAbsDiff(sparse, dense)).toBeLessThanOrEqual(1e-13);
  });
});

describe('blocked kernel against the naive loop across block boundaries', () => {
  // 130 > MC = 128, 300 > KC = 256, 520 > NC = 512, none a multiple of the 4 x 3 tile.
  const [M, K, N] = [130, 300, 520];
  const a = pseudoRandom(M * K, 1);
  const b = pseudoRandom(K * N, 2);

  for (const [transA, transB] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const) {
    it(`op(A) op(B) with transA=${transA}, transB=${transB}`, () => {
      const blocked = new Float64Array(M * N).fill(NaN); // the kernel must overwrite everything
      const naive = new Float64Array(M * N);
      gemmInto(a, b, blocked, M, K, N, transA, transB);
      gemmNaiveInto(a, b, naive, M, K, N, transA, transB);
      expect(maxAbsDiff(blocked, naive)).toBeLessThanOrEqual(1e-12 * Math.max(1, maxAbs(naive)));
    });
  }

  it('gramInto equals A^T A and is exactly symmetric past the blocks', () => {
    const [n, m] = [300, 530];
    const x = pseudoRandom(n * m, 3);
    const g = new Float64Array(m * m).fill(NaN);
    const naive = new Float64Array(m * m);
    gramInto(x, n, m, g);
    gemmNaiveInto(x, x, naive, m, n, m, true, false);
    expect(maxAbsDiff(g, naive)).toBeLessThanOrEqual(1e-12 * maxAbs(naive));
    let asymmetric = 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) if (g[i * m + j] !== g[j * m + i]) asymmetric++;
    expect(asymmetric).toBe(0);
  });

  it('writes only the first M * N entries of a longer output', () => {
    const out = new Float64Array(2 * 2 + 3).fill(7);
    gemmInto(new Float64Array([1, 2, 3, 4]), new Float64Array([1, 0, 0, 1]), out, 2, 2, 2);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 7, 7, 7]);
  });
});

describe('bad arguments', () => {
  it('a mismatched inner dimension is a RangeError naming the expected shape', () => {
    const B = zeros([2, 2]);
    expect(() => matmul(A, B)).toThrow(RangeError);
    expect(() => matmul(A, B)).toThrow(
      "matmul: argument 'b' must be a tensor of shape [3, *]. Got a tensor of shape [2, 2].",
    );
    expect(() => matmulNT(A, zeros([2, 2]))).toThrow(
      "matmulNT: argument 'b' must be a tensor of shape [*, 3]. Got a tensor of shape [2, 2].",
    );
    expect(() => matmulTN(A, zeros([3, 2]))).toThrow(
      "matmulTN: argument 'b' must be a tensor of shape [2, *]. Got a tensor of shape [3, 2].",
    );
    expect(() => sparseRowsTimes(Z, zeros([2, 2]))).toThrow(
      "sparseRowsTimes: argument 'w' must be a tensor of shape [3, *]. Got a tensor of shape [2, 2].",
    );
    expect(() => sparseRowsTimesT(Z, zeros([2, 2]))).toThrow(
      "sparseRowsTimesT: argument 'w' must be a tensor of shape [*, 3]. Got a tensor of shape [2, 2].",
    );
  });

  it('a wrong rank is a RangeError', () => {
    expect(() => matmul(tensor([1, 2]), A)).toThrow(
      "matmul: argument 'a' must be a tensor of rank 2. Got a tensor of shape [2].",
    );
    expect(() => gram(zeros([2, 2, 2]))).toThrow(RangeError);
    expect(() => matmulNT(A, zeros([3]))).toThrow(RangeError);
    expect(() => supportOf(tensor([1, 0]))).toThrow(RangeError);
  });

  it('something that is not a tensor is a TypeError', () => {
    const plain = [
      [1, 2],
      [3, 4],
    ] as unknown as Tensor;
    expect(() => matmul(plain, A)).toThrow(TypeError);
    expect(() => matmul(plain, A)).toThrow(
      "matmul: argument 'a' must be a tensor of rank 2. Got an array of length 2.",
    );
    expect(() => matmulTN(A, undefined as unknown as Tensor)).toThrow(TypeError);
    expect(() => gram(null as unknown as Tensor)).toThrow(TypeError);
    expect(() => sparseRowsTimes(Z, 3 as unknown as Tensor)).toThrow(TypeError);
  });

  it('a non-finite entry is a RangeError that says where', () => {
    const bad = fromArray([1, NaN, 3, 4], [2, 2]);
    expect(() => matmul(bad, zeros([2, 2]))).toThrow(
      "matmul: argument 'a' must be a tensor of finite values. Got NaN at flat index 1 of a tensor of shape [2, 2].",
    );
    expect(() => matmul(zeros([2, 2]), fromArray([0, 0, Infinity, 0], [2, 2]))).toThrow(RangeError);
    expect(() => gram(bad)).toThrow(RangeError);
    expect(() => sparseRowsTimesT(bad, zeros([1, 2]))).toThrow(RangeError);
  });
});
