/**
 * Known values of the exact 1-D total-variation prox (Condat's algorithm): hand-solved small
 * signals, the limits lambda = 0 and lambda huge, batches, the raw kernel, the VJP on a step, and
 * the messages of bad arguments.
 */
import { describe, expect, it } from 'vitest';
import { fromArray, tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { tv1d, tv1dInto } from '../../src/prox/tv1d.js';

const arr = (t: Tensor): number[] => Array.from(t.data);

function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) =>
    expect(Math.abs(a - expected[i]), `entry ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol),
  );
}

describe('tv1d.prox', () => {
  it('shrinks a step by lambda / (segment length) on each side', () => {
    const u = tv1d.prox(tensor([0, 0, 0, 5, 5, 5]), 1);
    expectClose(arr(u), [1 / 3, 1 / 3, 1 / 3, 14 / 3, 14 / 3, 14 / 3]);
  });

  it('lowers a peak by 2 lambda and raises the ends by lambda', () => {
    expectClose(arr(tv1d.prox(tensor([0, 3, 0]), 0.5)), [0.5, 2, 0.5]);
  });

  it('merges the peak into the mean once lambda reaches max |cumsum(x - mean)|', () => {
    // cumsum(x - 1) = [-1, 1, 0]: lambda = 1 is exactly the threshold.
    expectClose(arr(tv1d.prox(tensor([0, 3, 0]), 1)), [1, 1, 1]);
  });

  it('keeps a constant signal', () => {
    expect(arr(tv1d.prox(tensor([2.5, 2.5, 2.5, 2.5]), 3))).toEqual([2.5, 2.5, 2.5, 2.5]);
  });

  it('is the identity for lambda = 0 and for a single sample', () => {
    expect(arr(tv1d.prox(tensor([3, -1, 4, 1]), 0))).toEqual([3, -1, 4, 1]);
    expect(arr(tv1d.prox(tensor([7]), 10))).toEqual([7]);
  });

  it('gives the mean for a huge lambda, to the last digits', () => {
    const x = [1e-3, 2, -7, 3.25, 0.5];
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    for (const value of arr(tv1d.prox(tensor(x), 1e15))) expect(value).toBe(mean);
  });

  it('treats each row of a batch as a signal, with one lambda per sample', () => {
    const x = tensor([
      [0, 0, 0, 5, 5, 5],
      [0, 3, 0, 0, 3, 0],
    ]);
    const u = tv1d.prox(x, tensor([1, 0]));
    expect(u.shape).toEqual([2, 6]);
    expectClose(arr(u).slice(0, 6), [1 / 3, 1 / 3, 1 / 3, 14 / 3, 14 / 3, 14 / 3]);
    expect(arr(u).slice(6)).toEqual([0, 3, 0, 0, 3, 0]);
  });

  it('scales lambda by the scaling argument', () => {
    const x = tensor([1, 4, 2, 8, 5, 7]);
    expect(arr(tv1d.prox(x, 0.5, 2))).toEqual(arr(tv1d.prox(x, 1)));
  });
});

describe('tv1dInto', () => {
  it('writes one row of a buffer at its offset, and works in place', () => {
    const x = Float64Array.of(9, 9, 0, 0, 0, 5, 5, 5, 9);
    const out = new Float64Array(9).fill(-1);
    tv1dInto(x, 2, 6, 1, out);
    expect(out[0]).toBe(-1);
    expect(out[8]).toBe(-1);
    expectClose(Array.from(out.subarray(2, 8)), [1 / 3, 1 / 3, 1 / 3, 14 / 3, 14 / 3, 14 / 3]);
    tv1dInto(x, 2, 6, 1, x);
    expect(Array.from(x)).toEqual(Array.from(out.subarray(0, 9)).map((v, i) => (i < 2 || i > 7 ? 9 : v)));
  });
});

describe('tv1d.value', () => {
  it('is lambda times the sum of absolute jumps, summed over samples', () => {
    expect(tv1d.value(tensor([0, 0, 0, 5, 5, 5]), 2)).toBe(10);
    expect(
      tv1d.value(
        tensor([
          [0, 3, 0],
          [1, 1, 2],
        ]),
        tensor([1, 10]),
      ),
    ).toBe(6 + 10);
  });
});

describe('tv1d.vjp', () => {
  it('averages the output gradient over each segment and differentiates the segment values', () => {
    const x = tensor([0, 0, 0, 5, 5, 5]);
    const { gradInput, gradHyper } = tv1d.vjp!(x, 1, 1, tensor([1, 0, 0, 0, 0, 0]));
    expectClose(arr(gradInput), [1 / 3, 1 / 3, 1 / 3, 0, 0, 0]);
    // u_0 = 0 + lambda / 3, so d u_0 / d lambda = 1/3.
    expect(gradHyper).toBeCloseTo(1 / 3, 14);
  });

  it('gives per-sample lambda gradients for a per-sample lambda, scaled by the scaling', () => {
    const x = fromArray([0, 3, 0, 0, 0, 5], [2, 3]);
    const lambda = tensor([0.75, 1]);
    const g = fromArray([0, 1, 0, 1, 0, 0], [2, 3]);
    // Row 0, s lambda = 1.5: past the threshold 1, the solution is the constant mean 1.
    // Row 1, s lambda = 2: segments [0, 0] and [5] take 0 + 2/2 = 1 and 5 - 2 = 3.
    expectClose(arr(tv1d.prox(x, lambda, 2)), [1, 1, 1, 1, 1, 3]);
    const { gradInput, gradHyper } = tv1d.vjp!(x, lambda, 2, g);
    expectClose(arr(gradInput), [1 / 3, 1 / 3, 1 / 3, 1 / 2, 1 / 2, 0]);
    // Row 0: the mean does not depend on lambda. Row 1: u_0 = s lambda / 2 = lambda.
    expectClose(arr(gradHyper as Tensor), [0, 1]);
  });
});

describe('tv1d: bad arguments', () => {
  it('rejects a negative lambda with the template message', () => {
    expect(() => tv1d.prox(tensor([1, 2]), -1)).toThrow(
      new RangeError("tv1d: argument 'lambda' must be a finite number >= 0. Got -1."),
    );
  });

  it('rejects a per-entry lambda and a tensor of the wrong rank', () => {
    expect(() => tv1d.prox(tensor([[1, 2, 3]]), tensor([1, 2, 3]))).toThrow(
      new RangeError(
        "tv1d: argument 'lambda' must be a finite number >= 0 or a tensor of shape [1] (one per sample). Got a tensor of shape [3].",
      ),
    );
    expect(() => tv1d.prox(fromArray([1], [1, 1, 1]), 1)).toThrow(
      new RangeError("tv1d: argument 'x' must be a tensor of rank 1 or 2. Got a tensor of shape [1, 1, 1]."),
    );
    expect(() => tv1d.value(tensor([1, 2]), 'a' as unknown as number)).toThrow(TypeError);
    expect(() => tv1d.prox(tensor([1, NaN]), 1)).toThrow(RangeError);
    expect(() => tv1d.vjp!(tensor([1, 2]), 1, 1, tensor([1]))).toThrow(RangeError);
  });
});
