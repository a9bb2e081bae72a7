import { describe, expect, it } from 'vitest';
import { eye, fromArray, tensor, zeros } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import {
  dot,
  dotRaw,
  frobenius,
  norm1,
  norm1Raw,
  norm2,
  norm2Raw,
  normInf,
  normInfRaw,
  rowNorms1,
  rowNorms2,
  rowNormsInf,
} from '../../src/linalg/norms.js';
import {
  powerIterationInto,
  powerStartInto,
  spectralNorm,
  topSingularPair,
} from '../../src/linalg/power-iteration.js';
import {
  cholesky,
  choleskyAppend,
  choleskyAppendInPlace,
  choleskyInto,
  choleskySolve,
  choleskySolveInPlace,
} from '../../src/linalg/cholesky.js';
import { eigSym, svd } from '../../src/linalg/eig.js';

const arr = (t: Tensor): number[] => Array.from(t.data);

function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) =>
    expect(Math.abs(a - expected[i]), `entry ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol),
  );
}

describe('norms', () => {
  it('of [3, -4]', () => {
    const x = tensor([3, -4]);
    expect(norm2(x)).toBe(5);
    expect(frobenius(x)).toBe(5);
    expect(norm1(x)).toBe(7);
    expect(normInf(x)).toBe(4);
    expect(dot(x, tensor([1, 2]))).toBe(-5);
  });

  it('entrywise on matrices (Frobenius), and zero on empty tensors', () => {
    const a = tensor([
      [1, -2],
      [2, 4],
    ]);
    expect(norm2(a)).toBe(5);
    expect(frobenius(a)).toBe(5);
    expect(norm1(a)).toBe(9);
    expect(normInf(a)).toBe(4);
    expect(dot(a, a)).toBe(25);
    expect(norm2(zeros([0]))).toBe(0);
    expect(normInf(zeros([3, 0]))).toBe(0);
  });

  it('norm2 neither overflows nor underflows', () => {
    expect(norm2(tensor([3e200, -4e200]))).toBeCloseTo(5e200, -188);
    expect(norm2(tensor([3e200, -4e200])) / 5e200).toBeCloseTo(1, 14);
    expect(norm2(tensor([3e-200, 4e-200])) / 5e-200).toBeCloseTo(1, 14);
    expect(norm2(tensor([3e-310, 4e-310])) / 5e-310).toBeCloseTo(1, 10); // subnormal entries
    expect(norm2(tensor([1e308, 1e308]))).toBe(Math.SQRT2 * 1e308);
  });

  it('raw helpers respect offset and length and propagate NaN / Infinity', () => {
    const x = new Float64Array([9, 3, -4, 9]);
    expect(norm2Raw(x, 1, 2)).toBe(5);
    expect(norm1Raw(x, 1, 2)).toBe(7);
    expect(normInfRaw(x, 1, 2)).toBe(4);
    expect(dotRaw(x, 1, x, 2, 2)).toBe(3 * -4 + -4 * 9);
    expect(norm2Raw(new Float64Array([1, NaN]), 0, 2)).toBeNaN();
    expect(norm2Raw(new Float64Array([Infinity, 1]), 0, 2)).toBe(Infinity);
    expect(normInfRaw(new Float64Array([2, NaN, 1]), 0, 3)).toBeNaN();
  });

  it('row-wise norms of a batch', () => {
    const x = tensor([
      [3, -4],
      [0, 0],
      [-1, 1],
    ]);
    expect(arr(rowNorms2(x))).toEqual([5, 0, Math.SQRT2]);
    expect(arr(rowNorms1(x))).toEqual([7, 0, 2]);
    expect(arr(rowNormsInf(x))).toEqual([4, 0, 1]);
    expect(rowNorms2(zeros([0, 3])).shape).toEqual([0]);
  });

  it('reject bad arguments with the template message', () => {
    expect(() => norm2([3, 4] as unknown as Tensor)).toThrow(
      new TypeError("norm2: argument 'x' must be a tensor. Got [3, 4]."),
    );
    expect(() => norm1(tensor([1, NaN]))).toThrow(RangeError);
    expect(() => normInf(tensor([1, NaN]))).toThrow(
      /normInf: argument 'x' must be a tensor of finite values\. Got NaN/,
    );
    expect(() => dot(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(
      new RangeError(
        "dot: argument 'b' must be a tensor of the shape of 'a', [2]. Got a tensor of shape [3].",
      ),
    );
    expect(() => rowNorms2(tensor([1, 2]))).toThrow(
      new RangeError("rowNorms2: argument 'x' must be a tensor of rank 2. Got a tensor of shape [2]."),
    );
  });
});

describe('power iteration', () => {
  it('spectral norm of diag(3, 1) and of [[3, 0], [4, 5]] (sigma = sqrt(45), sqrt(5))', () => {
    const d = spectralNorm(
      tensor([
        [3, 0],
        [0, 1],
      ]),
    );
    // The tolerance bounds the relative change (1e-10); with sigma_2 / sigma_1 = 1/3 the error is smaller still.
    expect(Math.abs(d.value - 3) / 3).toBeLessThan(1e-10);
    expect(d.value).toBeLessThanOrEqual(3);
    expect(d.converged).toBe(true);
    expectClose(arr(d.v), [1, 0], 1e-5); // vectors are only accurate to about sqrt(tol)
    const r = spectralNorm(
      tensor([
        [3, 0],
        [4, 5],
      ]),
    );
    expect(Math.abs(r.value - Math.sqrt(45)) / Math.sqrt(45)).toBeLessThan(1e-10);
    expect(r.value).toBeLessThanOrEqual(Math.sqrt(45) * (1 + 1e-15));
    expectClose(arr(r.v), [Math.SQRT1_2, Math.SQRT1_2], 1e-6);
    expectClose(arr(r.u), [1 / Math.sqrt(10), 3 / Math.sqrt(10)], 1e-6);
  });

  it('the top singular pair of a rank-one matrix x y^T, with the sign convention', () => {
    // x = [1, 2, 2] (norm 3), y = [-4, 3] (norm 5): sigma = 15, v = -y / 5 (largest entry positive).
    const a = tensor([
      [-4, 3],
      [-8, 6],
      [-8, 6],
    ]);
    const p = topSingularPair(a);
    expect(p.sigma).toBeCloseTo(15, 12);
    expectClose(arr(p.v), [0.8, -0.6]);
    expectClose(arr(p.u), [-1 / 3, -2 / 3, -2 / 3]);
    expect(p.iterations).toBeLessThanOrEqual(2);
  });

  it('single column and single row', () => {
    const col = topSingularPair(tensor([[3], [-4]]));
    expect(col.sigma).toBeCloseTo(5, 14);
    expectClose(arr(col.v), [1]);
    expectClose(arr(col.u), [0.6, -0.8]);
    const row = topSingularPair(tensor([[3, -4]]));
    expect(row.sigma).toBeCloseTo(5, 14);
    expectClose(arr(row.v), [-0.6, 0.8]); // the largest-magnitude entry made positive
    expectClose(arr(row.u), [-1]);
  });

  it('zero matrix: sigma 0, unit vectors, no NaN', () => {
    const p = topSingularPair(zeros([3, 2]));
    expect(p.sigma).toBe(0);
    expect(p.converged).toBe(true);
    expect(norm2(p.u)).toBeCloseTo(1, 14);
    expect(norm2(p.v)).toBeCloseTo(1, 14);
    expect(spectralNorm(zeros([0, 4])).value).toBe(0);
    expect(spectralNorm(zeros([2, 0])).value).toBe(0);
  });

  it('a start in the null space falls back to the largest row', () => {
    // The top right vector is e_1; a start along e_0 is annihilated by A.
    const p = topSingularPair(
      tensor([
        [0, 1],
        [0, 2],
      ]),
      { start: tensor([1, 0]) },
    );
    expect(p.sigma).toBeCloseTo(Math.sqrt(5), 14);
    expectClose(arr(p.v), [0, 1]);
  });

  it('is deterministic, and the default start has no zero entry', () => {
    const a = tensor([
      [1, 2, 0],
      [0, 1, 1],
      [2, 0, 1],
    ]);
    expect(arr(spectralNorm(a).v)).toEqual(arr(spectralNorm(a).v));
    const s = new Float64Array(50);
    powerStartInto(s);
    expect(s.every((x) => x !== 0 && Math.abs(x) < 1)).toBe(true);
    expect(norm2Raw(s, 0, 50)).toBeCloseTo(1, 14);
  });

  it('reports non-convergence at the iteration cap, and the raw kernel writes only v and u', () => {
    // sigma_2 / sigma_1 = 0.999: slow convergence.
    const a = tensor([
      [1, 0],
      [0, 0.999],
    ]);
    const p = spectralNorm(a, { maxIter: 3, tol: 1e-14 });
    expect(p.converged).toBe(false);
    expect(p.iterations).toBe(3);
    expect(p.value).toBeLessThanOrEqual(1);
    const data = new Float64Array([2, 0, 0, 1]);
    const v = new Float64Array(2);
    const u = new Float64Array(2);
    const stats = powerIterationInto(data, 2, 2, 1e-12, 100, v, u);
    expect(stats.value).toBeCloseTo(2, 12);
    expect(Array.from(data)).toEqual([2, 0, 0, 1]);
  });

  it('rejects bad arguments', () => {
    expect(() => spectralNorm(tensor([1, 2]))).toThrow(
      new RangeError("spectralNorm: argument 'a' must be a tensor of rank 2. Got a tensor of shape [2]."),
    );
    expect(() => spectralNorm(eye(2), { tol: -1 })).toThrow(
      new RangeError("spectralNorm: argument 'tol' must be a finite number >= 0. Got -1."),
    );
    expect(() => topSingularPair(eye(2), { maxIter: 0 })).toThrow(
      new RangeError("topSingularPair: argument 'maxIter' must be an integer >= 1. Got 0."),
    );
    expect(() => topSingularPair(eye(2), { start: tensor([1, 2, 3]) })).toThrow(RangeError);
    expect(() => topSingularPair(eye(2), 3 as never)).toThrow(TypeError);
  });
});

describe('cholesky', () => {
  it('of [[4, 2], [2, 3]] is [[2, 0], [1, sqrt(2)]]', () => {
    const l = cholesky(
      tensor([
        [4, 2],
        [2, 3],
      ]),
    );
    expectClose(arr(l), [2, 0, 1, Math.SQRT2], 1e-15);
  });

  it('of a 3x3 with known factor', () => {
    // L = [[2, 0, 0], [6, 1, 0], [-8, 5, 3]] -> A = L L^T
    const l = cholesky(
      tensor([
        [4, 12, -16],
        [12, 37, -43],
        [-16, -43, 98],
      ]),
    );
    expectClose(arr(l), [2, 0, 0, 6, 1, 0, -8, 5, 3], 1e-13);
  });

  it('solves a vector and a batch of right-hand sides (rows)', () => {
    const l = cholesky(
      tensor([
        [4, 2],
        [2, 3],
      ]),
    );
    // A [1, 2] = [8, 8];  A [-1, 1] = [-2, 1]
    expectClose(arr(choleskySolve(l, tensor([8, 8]))), [1, 2]);
    const x = choleskySolve(
      l,
      tensor([
        [8, 8],
        [-2, 1],
      ]),
    );
    expect(x.shape).toEqual([2, 2]);
    expectClose(arr(x), [1, 2, -1, 1]);
  });

  it('throws a RangeError naming the pivot for a non-positive-definite matrix', () => {
    expect(() =>
      cholesky(
        tensor([
          [1, 2],
          [2, 1],
        ]),
      ),
    ).toThrow(
      new RangeError(
        "cholesky: argument 'a' must be a symmetric positive-definite matrix. Got a non-positive pivot -3 at index 1 (the leading 2x2 minor is not positive definite).",
      ),
    );
    expect(() =>
      cholesky(
        tensor([
          [0, 0],
          [0, 1],
        ]),
      ),
    ).toThrow(/pivot 0 at index 0/);
    expect(() => cholesky(zeros([2, 2]))).toThrow(RangeError);
    expect(() =>
      cholesky(
        tensor([
          [2, 1],
          [0, 2],
        ]),
      ),
    ).toThrow(
      new RangeError("cholesky: argument 'a' must be a symmetric matrix. Got a[1][0] = 0 but a[0][1] = 1."),
    );
    expect(() => cholesky(tensor([[1, 2, 3]]))).toThrow(
      new RangeError("cholesky: argument 'a' must be a square matrix with columns 1. Got 3."),
    );
  });

  it('raw kernel: in place, failure index and pivot', () => {
    const a = new Float64Array([4, 2, 2, 3]);
    expect(choleskyInto(a, 2, a)).toBe(-1);
    expectClose(Array.from(a), [2, 0, 1, Math.SQRT2], 1e-15);
    const b = new Float64Array([1, 2, 2, 1]);
    const l = new Float64Array(4);
    expect(choleskyInto(b, 2, l)).toBe(1);
    expect(l[3]).toBe(-3);
  });

  it('incremental update equals the full factor, in a capacity buffer too', () => {
    const g = tensor([
      [4, 12, -16],
      [12, 37, -43],
      [-16, -43, 98],
    ]);
    let l = zeros([0, 0]);
    l = choleskyAppend(l, zeros([0]), 4);
    l = choleskyAppend(l, tensor([12]), 37);
    l = choleskyAppend(l, tensor([-16, -43]), 98);
    expectClose(arr(l), arr(cholesky(g)), 1e-13);

    const cap = 5;
    const buf = new Float64Array(cap * cap);
    expect(choleskyAppendInPlace(buf, 0, cap, new Float64Array(0), 4)).toBe(4);
    expect(choleskyAppendInPlace(buf, 1, cap, new Float64Array([12]), 37)).toBeCloseTo(1, 12);
    expect(choleskyAppendInPlace(buf, 2, cap, new Float64Array([-16, -43]), 98)).toBeCloseTo(9, 12);
    const x = new Float64Array([0, 0, 0, 4 + 24 - 48, 12 + 74 - 129, -16 - 86 + 294, 0]);
    choleskySolveInPlace(buf, 3, cap, x, 3); // A [1, 2, 3] = [-20, -43, 192]
    expectClose(Array.from(x), [0, 0, 0, 1, 2, 3, 0], 1e-12);
  });

  it('incremental update rejects a dependent column', () => {
    const l = cholesky(
      tensor([
        [1, 0],
        [0, 1],
      ]),
    );
    // New column g = [1, 1] with gjj = 2 = ||g||^2: singular extension.
    expect(() => choleskyAppend(l, tensor([1, 1]), 2)).toThrow(
      new RangeError(
        "choleskyAppend: argument 'gjj' must be > ||L^-1 g||^2 = 2 so that the extended matrix is positive definite (pivot 2). Got 2.",
      ),
    );
    const buf = new Float64Array(9);
    buf.set([1, 0, 0, 0, 1, 0]);
    expect(choleskyAppendInPlace(buf, 2, 3, new Float64Array([1, 1]), 1.5)).toBe(-0.5);
    expect(buf[8]).toBe(0); // diagonal not written on failure
  });

  it('choleskySolve and choleskyAppend reject a matrix that is not a factor', () => {
    expect(() =>
      choleskySolve(
        tensor([
          [4, 2],
          [2, 3],
        ]),
        tensor([1, 1]),
      ),
    ).toThrow(
      new RangeError(
        "choleskySolve: argument 'l' must be a lower-triangular matrix with a positive diagonal (a Cholesky factor). Got 2 at [0][1].",
      ),
    );
    expect(() =>
      choleskySolve(
        tensor([
          [1, 0],
          [1, -1],
        ]),
        tensor([1, 1]),
      ),
    ).toThrow(/Got -1 at \[1\]\[1\]/);
    expect(() => choleskySolve(eye(2), tensor([1, 1, 1]))).toThrow(RangeError);
    expect(() => choleskyAppend(eye(2), tensor([1]), 3)).toThrow(RangeError);
    expect(() => choleskyAppend(eye(1), tensor([1]), NaN)).toThrow(
      new RangeError("choleskyAppend: argument 'gjj' must be a finite number. Got NaN."),
    );
  });
});

describe('symmetric eigen-decomposition', () => {
  it('of [[2, 1], [1, 2]]: 3 and 1', () => {
    const { values, vectors, converged } = eigSym(
      tensor([
        [2, 1],
        [1, 2],
      ]),
    );
    expect(converged).toBe(true);
    expectClose(arr(values), [3, 1], 1e-14);
    const h = Math.SQRT1_2;
    // Columns (1, 1)/sqrt 2 and, by the sign convention (first largest entry positive), (1, -1)/sqrt 2.
    expectClose(arr(vectors), [h, h, h, -h], 1e-14);
  });

  it('of a diagonal and of a 3x3 with known spectrum, sorted descending', () => {
    expectClose(
      arr(
        eigSym(
          tensor([
            [1, 0, 0],
            [0, 5, 0],
            [0, 0, -2],
          ]),
        ).values,
      ),
      [5, 1, -2],
      0,
    );
    // [[2, -1, 0], [-1, 2, -1], [0, -1, 2]]: 2 + sqrt 2, 2, 2 - sqrt 2
    const e = eigSym(
      tensor([
        [2, -1, 0],
        [-1, 2, -1],
        [0, -1, 2],
      ]),
    );
    expectClose(arr(e.values), [2 + Math.SQRT2, 2, 2 - Math.SQRT2], 1e-14);
  });

  it('zero and empty matrices', () => {
    const z = eigSym(zeros([3, 3]));
    expect(arr(z.values)).toEqual([0, 0, 0]);
    expect(arr(z.vectors)).toEqual(arr(eye(3)));
    expect(eigSym(zeros([0, 0])).values.shape).toEqual([0]);
  });

  it('rejects non-square, non-symmetric and bad options', () => {
    expect(() => eigSym(zeros([2, 3]))).toThrow(
      new RangeError("eigSym: argument 'a' must be a square matrix with columns 2. Got 3."),
    );
    expect(() =>
      eigSym(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toThrow(/eigSym: argument 'a' must be a symmetric matrix/);
    expect(() => eigSym(eye(2), { tol: -1e-3 })).toThrow(
      new RangeError("eigSym: argument 'tol' must be a finite number >= 0. Got -0.001."),
    );
    expect(() => eigSym(eye(2), { maxSweeps: 1.5 })).toThrow(RangeError);
  });
});

describe('svd', () => {
  it('of [[3, 0], [4, 5]]: sqrt(45), sqrt(5)', () => {
    const { u, s, v, converged } = svd(
      tensor([
        [3, 0],
        [4, 5],
      ]),
    );
    expect(converged).toBe(true);
    expectClose(arr(s), [Math.sqrt(45), Math.sqrt(5)], 1e-14);
    const h = Math.SQRT1_2;
    const r = 1 / Math.sqrt(10);
    expectClose(arr(v), [h, h, h, -h], 1e-14);
    expectClose(arr(u), [r, 3 * r, 3 * r, -r], 1e-14);
  });

  it('wide and tall shapes: [[1, 0, 1], [0, 1, 0]] has singular values sqrt 2, 1', () => {
    const w = svd(
      tensor([
        [1, 0, 1],
        [0, 1, 0],
      ]),
    );
    expect(w.u.shape).toEqual([2, 2]);
    expect(w.v.shape).toEqual([3, 2]);
    expectClose(arr(w.s), [Math.SQRT2, 1], 1e-15);
    const t = svd(
      tensor([
        [1, 0],
        [0, 1],
        [1, 0],
      ]),
    );
    expect(t.u.shape).toEqual([3, 2]);
    expectClose(arr(t.s), [Math.SQRT2, 1], 1e-15);
  });

  it('rank-deficient and zero matrices give orthonormal completions', () => {
    // [[1, 2], [2, 4], [0, 0]] = [1, 2, 0]^T [1, 2]: sigma = 5, then 0.
    const r = svd(
      tensor([
        [1, 2],
        [2, 4],
        [0, 0],
      ]),
    );
    expectClose(arr(r.s), [5, 0], 1e-14);
    const u = r.u;
    const gram = [0, 1].flatMap((i) =>
      [0, 1].map((j) => [0, 1, 2].reduce((acc, k) => acc + u.get(k, i) * u.get(k, j), 0)),
    );
    expectClose(gram, [1, 0, 0, 1], 1e-14);
    const z = svd(zeros([2, 3]));
    expect(arr(z.s)).toEqual([0, 0]);
    expect(z.u.data.every(Number.isFinite) && z.v.data.every(Number.isFinite)).toBe(true);
    expect(norm2(z.v)).toBeCloseTo(Math.SQRT2, 14);
    expect(svd(zeros([0, 3])).s.shape).toEqual([0]);
  });

  it('agrees with topSingularPair on the first triple (same sign convention)', () => {
    const a = fromArray([1, 2, 0, -1, 3, 1, 0, 2, 2, 1, -2, 0], [4, 3]);
    const full = svd(a);
    const top = topSingularPair(a, { tol: 1e-14 });
    expect(top.sigma).toBeCloseTo(full.s.get(0), 12);
    expectClose(
      arr(top.v),
      [0, 1, 2].map((k) => full.v.get(k, 0)),
      1e-6,
    );
    expectClose(
      arr(top.u),
      [0, 1, 2, 3].map((k) => full.u.get(k, 0)),
      1e-6,
    );
  });

  it('rejects bad arguments', () => {
    expect(() => svd(tensor([1, 2]))).toThrow(
      new RangeError("svd: argument 'a' must be a tensor of rank 2. Got a tensor of shape [2]."),
    );
    expect(() => svd(tensor([[1, Infinity]]))).toThrow(RangeError);
    expect(() => svd(eye(2), { maxSweeps: 0 })).toThrow(
      new RangeError("svd: argument 'maxSweeps' must be an integer >= 1. Got 0."),
    );
    expect(() => svd(eye(2), null as never)).toThrow(
      new TypeError("svd: argument 'options' must be an object. Got null."),
    );
  });
});
