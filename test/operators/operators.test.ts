/**
 * Known values of the linear operators on tiny inputs (hand-computed, or from numpy / scipy as
 * noted), exact norms against the SVD of the explicit matrix, the power-iteration norm, the
 * combinators, and the messages of bad arguments.
 */
import { describe, expect, it } from 'vitest';
import { eye, fromArray, tensor, zeros } from '../../src/tensor/create.js';
import { maxAbsDiff } from '../../src/tensor/compare.js';
import { transpose } from '../../src/tensor/views.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { svd } from '../../src/linalg/eig.js';
import { matmulNT } from '../../src/linalg/gemm.js';
import { powerStartInto } from '../../src/linalg/power-iteration.js';
import {
  compose,
  convolution1d,
  convolution2d,
  dct2Operator,
  dctDictionary,
  dctMatrix,
  diagonalOperator,
  differences1d,
  differences2d,
  gaussianSensingOperator,
  identityOperator,
  maskOperator,
  matrixOperator,
  normOfOperator,
  operatorAdjointInto,
  operatorApplyInto,
  scaleOperator,
  stackOperators,
  subsampledOrthogonalOperator,
  sumOperators,
  transposeOperator,
  type LinearOperator,
} from '../../src/operators/index.js';

/** The explicit matrix (outputSize, inputSize) of an operator: A applied to the identity, transposed. */
function explicit(op: LinearOperator): Tensor {
  return transpose(op.apply(eye(op.inputSize)));
}

/** ||A||_2 from the SVD of the explicit matrix. */
function trueNorm(op: LinearOperator): number {
  if (op.inputSize === 0 || op.outputSize === 0) return 0;
  return svd(explicit(op)).s.get(0);
}

function values(t: Tensor): number[] {
  return Array.from(t.data);
}

describe('matrixOperator', () => {
  const a = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const op = matrixOperator(a);

  it('applies A and A^T to signals and batches', () => {
    expect(op.outputSize).toBe(2);
    expect(op.inputSize).toBe(3);
    expect(values(op.apply(tensor([1, 0, -1])))).toEqual([-2, -2]);
    expect(values(op.adjoint(tensor([1, 1])))).toEqual([5, 7, 9]);
    const batch = op.apply(
      tensor([
        [1, 0, -1],
        [0, 1, 0],
      ]),
    );
    expect(batch.shape).toEqual([2, 2]);
    expect(values(batch)).toEqual([-2, -2, 2, 5]);
    expect(values(op.adjoint(tensor([[1, 0]])))).toEqual([1, 2, 3]);
    expect(op.matrix).toBe(a);
  });

  it('estimates the norm by power iteration within its stated tolerance', () => {
    const est = op.norm();
    expect(est.exact).toBe(false);
    expect(est.tolerance).toBe(1e-10);
    expect(Math.abs(est.value - trueNorm(op))).toBeLessThanOrEqual(est.tolerance * trueNorm(op));
    expect(op.norm()).toBe(est); // computed once
  });

  it('rejects bad matrices and bad inputs with the template message', () => {
    expect(() => matrixOperator(tensor([1, 2]))).toThrow(
      new RangeError("matrixOperator: argument 'a' must be a tensor of rank 2. Got a tensor of shape [2]."),
    );
    expect(() => matrixOperator([[1]] as unknown as Tensor)).toThrow(TypeError);
    expect(() => matrixOperator(zeros([0, 3]))).toThrow(
      "matrixOperator: argument 'a' must be a tensor of rank 2 with at least one row and one column. Got a tensor of shape [0, 3].",
    );
    expect(() => op.apply(tensor([1, 2]))).toThrow(
      new RangeError(
        "matrixOperator.apply: argument 'x' must be a tensor of shape [3] or [*, 3]. Got a tensor of shape [2].",
      ),
    );
    expect(() => op.adjoint(zeros([1, 1, 2]))).toThrow(
      new RangeError(
        "matrixOperator.adjoint: argument 'y' must be a tensor of rank 1 or 2. Got a tensor of shape [1, 1, 2].",
      ),
    );
    expect(() => op.apply(tensor([1, NaN, 2]))).toThrow(
      new RangeError(
        "matrixOperator.apply: argument 'x' must be a tensor of finite values. Got NaN at flat index 1 of a tensor of shape [3].",
      ),
    );
    expect(() => op.apply([1, 2, 3] as unknown as Tensor)).toThrow(TypeError);
  });
});

describe('identity, diagonal and mask operators', () => {
  it('identity copies', () => {
    const op = identityOperator(3);
    expect(values(op.apply(tensor([1, 2, 3])))).toEqual([1, 2, 3]);
    expect(values(op.adjoint(tensor([[4, 5, 6]])))).toEqual([4, 5, 6]);
    expect(op.norm()).toEqual({ value: 1, exact: true, tolerance: 0 });
    expect(() => identityOperator(0)).toThrow(
      new RangeError("identityOperator: argument 'n' must be an integer >= 1. Got 0."),
    );
    expect(() => identityOperator(2.5)).toThrow(RangeError);
  });

  it('diagonal multiplies entrywise, norm max |d|', () => {
    const op = diagonalOperator(tensor([2, -3, 0.5]));
    expect(values(op.apply(tensor([1, 1, 2])))).toEqual([2, -3, 1]);
    expect(values(op.adjoint(tensor([1, 1, 2])))).toEqual([2, -3, 1]);
    expect(op.norm()).toEqual({ value: 3, exact: true, tolerance: 0 });
    expect(() => diagonalOperator(zeros([0]))).toThrow(
      "diagonalOperator: argument 'd' must be a tensor of rank 1 with at least one entry. Got a tensor of shape [0].",
    );
  });

  it("mask 'zero' zeroes the missing entries, 'subsample' keeps the observed ones", () => {
    const x = tensor([5, 6, 7]);
    const zero = maskOperator(tensor([1, 0, 1]));
    expect(zero.outputSize).toBe(3);
    expect(values(zero.apply(x))).toEqual([5, 0, 7]);
    expect(values(zero.adjoint(x))).toEqual([5, 0, 7]);
    expect(zero.observed).toEqual([0, 2]);
    const sub = maskOperator([true, false, true], { keep: 'subsample' });
    expect(sub.outputSize).toBe(2);
    expect(values(sub.apply(x))).toEqual([5, 7]);
    expect(values(sub.adjoint(tensor([5, 7])))).toEqual([5, 0, 7]);
    expect(zero.norm().value).toBe(1);
    expect(sub.norm()).toEqual({ value: 1, exact: true, tolerance: 0 });
    const none = maskOperator([false, false], { keep: 'subsample' });
    expect(none.outputSize).toBe(0);
    expect(values(none.adjoint(zeros([0])))).toEqual([0, 0]);
    expect(none.norm().value).toBe(0);
  });

  it('mask rejects entries other than 0/1 and non-boolean arrays', () => {
    expect(() => maskOperator(tensor([1, 0.5]))).toThrow(
      new RangeError(
        "maskOperator: argument 'mask' must be a non-empty tensor of rank 1 with entries 0 or 1, or an array of booleans. Got 0.5 at index 1 of a tensor of shape [2].",
      ),
    );
    expect(() => maskOperator([true, 1] as unknown as boolean[])).toThrow(TypeError);
    expect(() => maskOperator([])).toThrow(RangeError);
    expect(() => maskOperator(tensor([1, 0]), { keep: 'drop' as 'zero' })).toThrow(
      new RangeError("maskOperator: argument 'keep' must be one of 'zero', 'subsample'. Got \"drop\"."),
    );
  });
});

describe('convolution1d', () => {
  const x = tensor([1, 2, 3]);

  it("'zero' is numpy.convolve(x, k, 'same'); its adjoint is not the flipped same-size convolution", () => {
    const op = convolution1d(tensor([1, 1]), 3, 'zero');
    expect(values(op.apply(x))).toEqual([1, 3, 5]);
    // A = [[1,0,0],[1,1,0],[0,1,1]]: A^T 1 = [2, 2, 1], while convolving 1 with the flipped
    // kernel [1, 1] in 'same' mode gives [1, 2, 2].
    expect(values(op.adjoint(tensor([1, 1, 1])))).toEqual([2, 2, 1]);
    expect(values(explicit(op))).toEqual([1, 0, 0, 1, 1, 0, 0, 1, 1]);
    const even = convolution1d(tensor([1, 2, 3, 4]), 4);
    expect(values(even.apply(tensor([1, 2, 3, 4])))).toEqual([4, 10, 20, 25]); // numpy
  });

  it("'circular' wraps around and has the exact norm max |DFT(k)|", () => {
    const op = convolution1d(tensor([1, 1]), 3, 'circular');
    expect(values(op.apply(x))).toEqual([4, 3, 5]);
    expect(values(op.adjoint(x))).toEqual([3, 5, 4]);
    expect(op.norm()).toEqual({ value: 2, exact: true, tolerance: 0 });
    // A kernel longer than the signal wraps its taps: [1, 2, 3, 4] (centre 1) on n = 2 reads x[i + 1]
    // with 1 + 3 and x[i] with 2 + 4, the kernel [6, 4] (centre 0).
    const long = convolution1d(tensor([1, 2, 3, 4]), 2, 'circular');
    const k2 = convolution1d(tensor([6, 4]), 2, 'circular');
    expect(values(explicit(long))).toEqual(values(explicit(k2)));
    expect(long.norm().value).toBe(10);
  });

  it("'valid' keeps the n - K + 1 products without padding", () => {
    const op = convolution1d(tensor([1, 1]), 3, 'valid');
    expect(op.outputSize).toBe(2);
    expect(values(op.apply(x))).toEqual([3, 5]);
    expect(values(op.adjoint(tensor([1, 10])))).toEqual([1, 11, 10]);
  });

  it('exact circular norms match the SVD; the others are within their stated tolerance', () => {
    const kernel = tensor([0.3, -1.2, 0.7, 2.1]);
    for (const n of [1, 2, 5, 8, 9]) {
      const circ = convolution1d(kernel, n, 'circular');
      expect(Math.abs(circ.norm().value - trueNorm(circ))).toBeLessThanOrEqual(1e-14 * trueNorm(circ));
      const zero = convolution1d(kernel, n, 'zero');
      const est = zero.norm();
      expect(est.exact).toBe(false);
      expect(Math.abs(est.value - trueNorm(zero))).toBeLessThanOrEqual(est.tolerance * trueNorm(zero));
    }
  });

  it('rejects bad kernels, sizes and boundaries', () => {
    expect(() => convolution1d(zeros([0]), 3)).toThrow(
      new RangeError(
        "convolution1d: argument 'kernel' must be a tensor of rank 1 with at least one entry. Got a tensor of shape [0].",
      ),
    );
    expect(() => convolution1d(tensor([1, 2, 3]), 2, 'valid')).toThrow(
      "convolution1d: argument 'kernel' must be a tensor of length <= n (2) for boundary 'valid'. Got a tensor of shape [3].",
    );
    expect(() => convolution1d(tensor([1]), 3.5)).toThrow(
      new RangeError("convolution1d: argument 'n' must be an integer >= 1. Got 3.5."),
    );
    expect(() => convolution1d(tensor([1]), 3, 'reflect' as 'zero')).toThrow(
      new RangeError(
        "convolution1d: argument 'boundary' must be one of 'zero', 'circular', 'valid'. Got \"reflect\".",
      ),
    );
    expect(() => convolution1d(tensor([1, Infinity]), 3)).toThrow(RangeError);
  });
});

describe('convolution2d', () => {
  const image = fromArray(
    Array.from({ length: 20 }, (_, i) => i + 1),
    [20],
  ); // the 4 x 5 image 1..20, flattened
  const k = tensor([
    [1, 2],
    [3, 4],
  ]);

  it("matches scipy.signal.convolve2d 'same' with fill and wrap, and 'valid'", () => {
    expect(values(convolution2d(k, 4, 5, 'zero').apply(image))).toEqual([
      1, 4, 7, 10, 13, 9, 29, 39, 49, 59, 29, 79, 89, 99, 109, 49, 129, 139, 149, 159,
    ]);
    expect(values(convolution2d(k, 4, 5, 'circular').apply(image))).toEqual([
      139, 119, 129, 139, 149, 49, 29, 39, 49, 59, 99, 79, 89, 99, 109, 149, 129, 139, 149, 159,
    ]);
    const valid = convolution2d(k, 4, 5, 'valid');
    expect(valid.outputSize).toBe(12);
    expect(values(valid.apply(image))).toEqual([29, 39, 49, 59, 79, 89, 99, 109, 129, 139, 149, 159]);
    const laplacian = tensor([
      [0, 1, 0],
      [1, -4, 1],
      [0, 1, 0],
    ]);
    expect(values(convolution2d(laplacian, 4, 5).apply(image))).toEqual([
      4, 3, 2, 1, -6, -5, 0, 0, 0, -11, -10, 0, 0, 0, -16, -36, -22, -23, -24, -46,
    ]);
  });

  it('has exact circular norms and stated tolerances otherwise', () => {
    for (const [h, w] of [
      [1, 1],
      [3, 4],
      [4, 5],
    ]) {
      const circ = convolution2d(k, h, w, 'circular');
      expect(circ.norm().exact).toBe(true);
      expect(Math.abs(circ.norm().value - trueNorm(circ))).toBeLessThanOrEqual(1e-14 * trueNorm(circ));
      const zero = convolution2d(k, h, w, 'zero');
      const est = zero.norm();
      expect(Math.abs(est.value - trueNorm(zero))).toBeLessThanOrEqual(est.tolerance * trueNorm(zero));
    }
    expect(convolution2d(k, 2, 2, 'circular').norm().value).toBe(10); // DC: 1 + 2 + 3 + 4
  });

  it('rejects bad kernels and sizes', () => {
    expect(() => convolution2d(tensor([1, 2]), 3, 3)).toThrow(
      new RangeError(
        "convolution2d: argument 'kernel' must be a tensor of rank 2. Got a tensor of shape [2].",
      ),
    );
    expect(() => convolution2d(zeros([0, 2]), 3, 3)).toThrow(
      "convolution2d: argument 'kernel' must be a tensor of rank 2 with at least one row and one column. Got a tensor of shape [0, 2].",
    );
    expect(() => convolution2d(zeros([2, 4]), 3, 3, 'valid')).toThrow(
      "convolution2d: argument 'kernel' must be a tensor of shape at most [3, 3] (the image) for boundary 'valid'. Got a tensor of shape [2, 4].",
    );
    expect(() => convolution2d(k, 0, 3)).toThrow(RangeError);
    expect(() => convolution2d(k, 3, '3' as unknown as number)).toThrow(
      new TypeError('convolution2d: argument \'width\' must be an integer >= 1. Got "3".'),
    );
  });
});

describe('finite differences', () => {
  it('differences1d of [1, 4, 9] and its adjoint', () => {
    const op = differences1d(3);
    expect(op.outputSize).toBe(2);
    expect(values(op.apply(tensor([1, 4, 9])))).toEqual([3, 5]);
    expect(values(op.adjoint(tensor([1, 1])))).toEqual([-1, 0, 1]);
    expect(values(op.adjoint(tensor([2, 7])))).toEqual([-2, -5, 7]);
    expect(op.norm().value).toBeCloseTo(Math.sqrt(3), 15);
    const one = differences1d(1);
    expect(one.outputSize).toBe(0);
    expect(values(one.apply(tensor([4])))).toEqual([]);
    expect(one.norm().value).toBe(0);
  });

  it('differences2d stacks horizontal then vertical differences', () => {
    const op = differences2d(2, 3);
    expect(op.outputSize).toBe(2 * 2 + 1 * 3);
    const x = tensor([1, 2, 4, 7, 11, 16]); // [[1, 2, 4], [7, 11, 16]]
    expect(values(op.apply(x))).toEqual([1, 2, 4, 5, 6, 9, 12]);
    // adjoint of a single horizontal difference h[0, 1] = x[0, 2] - x[0, 1]
    expect(values(op.adjoint(tensor([0, 1, 0, 0, 0, 0, 0])))).toEqual([0, -1, 1, 0, 0, 0]);
    // adjoint of a single vertical difference v[0, 2] = x[1, 2] - x[0, 2]
    expect(values(op.adjoint(tensor([0, 0, 0, 0, 0, 0, 1])))).toEqual([0, 0, -1, 0, 0, 1]);
    expect(op.norm().value).toBeCloseTo(Math.sqrt(5), 14); // 4cos^2(pi/6) + 4cos^2(pi/4) = 3 + 2
  });

  it('closed-form norms match the SVD of the explicit matrix', () => {
    for (let n = 1; n <= 12; n++) {
      const op = differences1d(n);
      expect(op.norm().exact).toBe(true);
      expect(Math.abs(op.norm().value - trueNorm(op))).toBeLessThanOrEqual(1e-14 * Math.max(1, trueNorm(op)));
    }
    for (const [h, w] of [
      [1, 1],
      [1, 5],
      [4, 1],
      [2, 2],
      [3, 5],
      [6, 4],
    ]) {
      const op = differences2d(h, w);
      expect(Math.abs(op.norm().value - trueNorm(op))).toBeLessThanOrEqual(1e-14 * Math.max(1, trueNorm(op)));
    }
  });

  it('rejects non-integer sizes', () => {
    expect(() => differences1d(0)).toThrow(
      new RangeError("differences1d: argument 'n' must be an integer >= 1. Got 0."),
    );
    expect(() => differences2d(2, 1.5)).toThrow(
      new RangeError("differences2d: argument 'width' must be an integer >= 1. Got 1.5."),
    );
  });
});

describe('DCT', () => {
  it('dct2 of a constant patch is its DC coefficient only', () => {
    const op = dct2Operator(4, 4);
    const out = op.apply(fromArray(new Array<number>(16).fill(3), [16]));
    expect(out.get(0)).toBeCloseTo(12, 14); // 16 pixels * 3 / sqrt(16)
    for (let i = 1; i < 16; i++) expect(Math.abs(out.get(i))).toBeLessThan(1e-14);
    expect(op.norm()).toEqual({ value: 1, exact: true, tolerance: 0 });
  });

  it('matches scipy dctn(norm="ortho") and inverts with the adjoint', () => {
    const op = dct2Operator(2, 3);
    const patch = tensor([1, 2, 3, 4, 5, 6]);
    const coef = op.apply(patch);
    const scipy = [8.573214099741124, -2, 0, -3.674234614174767, 0, 0];
    expect(maxAbsDiff(coef, tensor(scipy))).toBeLessThan(1e-14);
    expect(maxAbsDiff(op.adjoint(coef), patch)).toBeLessThan(1e-14);
    const c = dctMatrix(4);
    expect(maxAbsDiff(matmulNT(c, c), eye(4))).toBeLessThan(1e-15);
    const x = dct2Operator(1, 4).apply(tensor([1, 2, 3, 4]));
    expect(maxAbsDiff(x, tensor([5, -2.2304424973876635, 0, -0.15851266778110706]))).toBeLessThan(1e-14);
  });

  it('dctDictionary(p) is the synthesis matrix of dct2Operator(p, p)', () => {
    for (const p of [1, 2, 5]) {
      const synthesis = explicit(transposeOperator(dct2Operator(p, p)));
      expect(maxAbsDiff(dctDictionary(p), synthesis)).toBeLessThan(1e-15);
    }
  });

  it('the overcomplete dictionary has unit-norm atoms, a constant atom and zero-mean others', () => {
    const d = dctDictionary(8, 256);
    expect(d.shape).toEqual([64, 256]);
    for (let j = 0; j < 256; j++) {
      let ss = 0;
      let mean = 0;
      for (let i = 0; i < 64; i++) {
        ss += d.get(i, j) ** 2;
        mean += d.get(i, j) / 64;
      }
      expect(Math.abs(ss - 1)).toBeLessThan(1e-14);
      if (j === 0) for (let i = 0; i < 64; i++) expect(d.get(i, 0)).toBeCloseTo(1 / 8, 15);
      else expect(Math.abs(mean)).toBeLessThan(1e-15);
    }
    // Atom a k + b is the outer product of the 1-D atoms a and b.
    expect(d.get(3 * 8 + 5, 2 * 16 + 7)).toBeCloseTo((d.get(3 * 8, 2 * 16) * d.get(5, 7)) / d.get(0, 0), 14);
  });

  it('rejects bad sizes', () => {
    expect(() => dctDictionary(8, 200)).toThrow(
      new RangeError("dctDictionary: argument 'atoms' must be a perfect square k^2 with k >= 8. Got 200."),
    );
    expect(() => dctDictionary(8, 49)).toThrow(RangeError);
    expect(() => dct2Operator(0, 3)).toThrow(
      new RangeError("dct2Operator: argument 'patchHeight' must be an integer >= 1. Got 0."),
    );
  });
});

describe('compressed sensing operators', () => {
  it('gaussianSensingOperator is seeded with N(0, 1/n) entries', () => {
    const a = gaussianSensingOperator(7, 100, 200);
    const b = gaussianSensingOperator(7, 100, 200);
    expect(values(a.matrix)).toEqual(values(b.matrix));
    expect(values(gaussianSensingOperator(8, 100, 200).matrix)).not.toEqual(values(a.matrix));
    const meanSquare = values(a.matrix).reduce((s, v) => s + v * v, 0) / 20000;
    expect(Math.abs(meanSquare * 100 - 1)).toBeLessThan(0.05); // 5 standard errors of 1%
    expect(() => gaussianSensingOperator(1.5, 3, 3)).toThrow(RangeError);
  });

  it('subsampledOrthogonalOperator has orthonormal rows, sorted distinct indices and norm 1', () => {
    for (const transform of ['dct', 'hadamard'] as const) {
      const op = subsampledOrthogonalOperator(3, 5, 16, transform);
      expect(op.rows.length).toBe(5);
      expect(new Set(op.rows).size).toBe(5);
      expect([...op.rows].sort((p, q) => p - q)).toEqual(op.rows);
      expect(maxAbsDiff(matmulNT(op.matrix, op.matrix), eye(5))).toBeLessThan(1e-15);
      expect(op.norm()).toEqual({ value: 1, exact: true, tolerance: 0 });
      expect(Math.abs(trueNorm(op) - 1)).toBeLessThan(1e-14);
    }
    const h = subsampledOrthogonalOperator(3, 4, 4, 'hadamard');
    expect(values(h.matrix).every((v) => Math.abs(v) === 0.5)).toBe(true);
    expect(values(subsampledOrthogonalOperator(3, 4, 4).matrix)).toEqual(values(dctMatrix(4)));
    expect(() => subsampledOrthogonalOperator(3, 4, 12, 'hadamard')).toThrow(
      new RangeError(
        "subsampledOrthogonalOperator: argument 'm' must be a power of 2 for transform 'hadamard'. Got 12.",
      ),
    );
    expect(() => subsampledOrthogonalOperator(3, 5, 4)).toThrow(
      new RangeError("subsampledOrthogonalOperator: argument 'n' must be an integer >= 1 and <= 4. Got 5."),
    );
  });
});

describe('combinators', () => {
  const d = differences1d(3); // (2, 3)
  const m = matrixOperator(
    tensor([
      [1, 0],
      [0, 2],
      [1, 1],
    ]),
  ); // (3, 2)

  it('compose applies right to left', () => {
    const op = compose(d, m); // (2, 2)
    expect([op.outputSize, op.inputSize]).toEqual([2, 2]);
    // m [1, 1] = [1, 2, 2], then differences [1, 0]
    expect(values(op.apply(tensor([1, 1])))).toEqual([1, 0]);
    expect(values(explicit(op))).toEqual(values(matmulNT(explicit(d), transpose(explicit(m)))));
    expect(() => compose(m, d)).not.toThrow();
    expect(() => compose(d, d)).toThrow(
      new RangeError(
        "compose: argument 'b' must be an operator with outputSize 3 (the inputSize of a). Got an operator with outputSize 2.",
      ),
    );
    expect(() => compose(d, {} as LinearOperator)).toThrow(
      new TypeError(
        "compose: argument 'b' must be a LinearOperator (inputSize, outputSize, apply, adjoint, norm). Got an object (Object).",
      ),
    );
  });

  it('sumOperators, scaleOperator, stackOperators and transposeOperator', () => {
    const s = sumOperators(d, scaleOperator(d, 2));
    expect(values(s.apply(tensor([1, 4, 9])))).toEqual([9, 15]);
    expect(() => sumOperators(d, m)).toThrow(
      new RangeError(
        "sumOperators: argument 'b' must be an operator of shape [2, 3] (the shape of a). Got an operator of shape [3, 2].",
      ),
    );
    const scaled = scaleOperator(differences1d(3), -2);
    expect(scaled.norm()).toEqual({ value: 2 * differences1d(3).norm().value, exact: true, tolerance: 0 });
    expect(() => scaleOperator(d, NaN)).toThrow(
      new RangeError("scaleOperator: argument 'c' must be a finite number. Got NaN."),
    );
    const st = stackOperators([d, identityOperator(3)]);
    expect(st.outputSize).toBe(5);
    expect(values(st.apply(tensor([1, 4, 9])))).toEqual([3, 5, 1, 4, 9]);
    expect(values(st.adjoint(tensor([1, 1, 10, 20, 30])))).toEqual([9, 20, 31]);
    expect(() => stackOperators([])).toThrow(RangeError);
    expect(() => stackOperators([d, m])).toThrow(
      new RangeError(
        "stackOperators: argument 'operators[1]' must be an operator with inputSize 3 (that of operators[0]). Got an operator with inputSize 2.",
      ),
    );
    const t = transposeOperator(m);
    expect([t.outputSize, t.inputSize]).toEqual([2, 3]);
    expect(values(t.apply(tensor([1, 1, 1])))).toEqual([2, 3]);
    expect(t.norm()).toEqual(m.norm());
  });

  it('accept foreign operators without raw kernels', () => {
    const foreign: LinearOperator = {
      name: 'foreign',
      inputSize: 2,
      outputSize: 3,
      apply: (x) => m.apply(x),
      adjoint: (y) => m.adjoint(y),
      norm: () => m.norm(),
    };
    const op = compose(d, foreign);
    expect(values(op.apply(tensor([1, 1])))).toEqual([1, 0]);
    const out = new Float64Array(4);
    operatorApplyInto(foreign, new Float64Array([1, 0, 0, 1]), 2, new Float64Array(6));
    operatorAdjointInto(foreign, new Float64Array([1, 0, 0, 0, 1, 0]), 2, out);
    expect(Array.from(out)).toEqual([1, 0, 0, 2]);
    const est = normOfOperator(foreign);
    expect(Math.abs(est.value - trueNorm(m))).toBeLessThanOrEqual(est.tolerance * trueNorm(m));
  });
});

describe('normOfOperator', () => {
  it('reaches its tolerance or says how far it got', () => {
    // Singular values 1, 0.999, 0.5: a close top pair converges slowly (by 0.999^4 per iteration).
    const op = matrixOperator(
      tensor([
        [1, 0, 0],
        [0, 0.999, 0],
        [0, 0, 0.5],
      ]),
    );
    const capped = normOfOperator(op, { maxIter: 50, blockSize: 1 });
    expect(capped.converged).toBe(false);
    expect(capped.tolerance).toBeGreaterThan(1e-10);
    expect(1 - capped.value).toBeLessThanOrEqual(capped.tolerance);
    const full = normOfOperator(op, { tol: 1e-12, maxIter: 100000, blockSize: 1 });
    expect(full.converged).toBe(true);
    expect(1 - full.value).toBeLessThanOrEqual(1e-12);
    expect(full.iterations).toBeGreaterThan(1000);
    // A block of two vectors converges at the rate of sigma_3 / sigma_1 = 0.5 instead.
    const block = normOfOperator(op, { blockSize: 2 });
    expect(block.converged).toBe(true);
    expect(block.iterations).toBeLessThan(30);
    expect(1 - block.value).toBeLessThanOrEqual(1e-10);
  });

  it('finds the norm when the deterministic start is in the null space, and 0 for the zero operator', () => {
    // A row orthogonal to the fixed start v0 = (a, b): A v0 = b a - a b = 0 exactly.
    const v0 = new Float64Array(2);
    powerStartInto(v0);
    const orthogonal = matrixOperator(fromArray([v0[1], -v0[0]], [1, 2]));
    expect(orthogonal.apply(fromArray(v0, [2])).get(0)).toBe(0);
    expect(normOfOperator(orthogonal).value).toBeCloseTo(1, 14);
    // Rank one w z^T with z orthogonal to v0 and w orthogonal to the output start (also v0).
    const z = [v0[1], -v0[0]];
    const rankOne = matrixOperator(fromArray([z[0] * z[0], z[0] * z[1], z[1] * z[0], z[1] * z[1]], [2, 2]));
    expect(normOfOperator(rankOne).value).toBeCloseTo(1, 14);
    const zero = normOfOperator(scaleOperator(identityOperator(3), 0));
    expect(zero).toEqual({ value: 0, exact: true, tolerance: 0, iterations: 0, converged: true });
    const hidden = matrixOperator(fromArray([0, 0, 2], [1, 3]));
    expect(normOfOperator(hidden).value).toBe(2);
  });

  it('uses a known upper bound: it stops there and never states more than the gap', () => {
    const diag = diagonalOperator(tensor([3, 1, 1, 0.5, 0.2]));
    const bounded = normOfOperator(diag, { upperBound: 3, blockSize: 1 });
    expect(bounded.converged).toBe(true);
    expect(bounded.tolerance).toBeLessThanOrEqual(Math.max(0, (3 - bounded.value) / bounded.value));
    // A zero-padded convolution is part of the circular one on n + K - 1 points, whose norm
    // max |DFT(k)| bounds it; its stated tolerance is at most the relative gap to that bound.
    const k = [0.5, -1, 2, 1, -0.25];
    const n = 300;
    const period = n + k.length - 1;
    let bound = 0;
    for (let w = 0; w < period; w++) {
      let re = 0;
      let im = 0;
      k.forEach((kj, j) => {
        re += kj * Math.cos((2 * Math.PI * w * j) / period);
        im -= kj * Math.sin((2 * Math.PI * w * j) / period);
      });
      bound = Math.max(bound, Math.hypot(re, im));
    }
    const est = convolution1d(tensor(k), n, 'zero').norm();
    expect(est.value).toBeLessThanOrEqual(bound * (1 + 1e-15));
    expect(est.tolerance).toBeLessThanOrEqual((bound - est.value) / est.value + 1e-15);
    expect(() => normOfOperator(diag, { upperBound: -1 })).toThrow(
      new RangeError("normOfOperator: argument 'upperBound' must be a finite number >= 0. Got -1."),
    );
  });

  it('rejects bad options', () => {
    expect(() => normOfOperator(differences1d(3), { tol: -1 })).toThrow(
      new RangeError("normOfOperator: argument 'tol' must be a finite number >= 0. Got -1."),
    );
    expect(() => normOfOperator(differences1d(3), { maxIter: 0 })).toThrow(RangeError);
    expect(() => normOfOperator(differences1d(3), { blockSize: 1.5 })).toThrow(
      new RangeError("normOfOperator: argument 'blockSize' must be an integer >= 1. Got 1.5."),
    );
    expect(() => normOfOperator(null as unknown as LinearOperator)).toThrow(TypeError);
  });
});
