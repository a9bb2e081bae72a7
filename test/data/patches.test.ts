import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { averagePatches, extractPatches, fromArray, tensor, type Tensor } from '../../src/index.js';
import { fcParams } from '../../properties/support/arbitraries.js';

/** Image sizes, a patch that fits and a stride, with the image's values. */
const problem = fc
  .record({ H: fc.integer({ min: 1, max: 9 }), W: fc.integer({ min: 1, max: 9 }) })
  .chain(({ H, W }) =>
    fc.record({
      H: fc.constant(H),
      W: fc.constant(W),
      patchStride: fc
        .integer({ min: 1, max: Math.min(H, W) })
        .chain((patch) => fc.tuple(fc.constant(patch), fc.integer({ min: 1, max: patch }))),
      pixels: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: H * W, maxLength: H * W }),
      seedValues: fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 1 }),
    }),
  );

/** Top-left corners along an axis, written out the naive way: every s-th start, then the last one. */
function starts(size: number, p: number, s: number): number[] {
  const out: number[] = [];
  for (let r = 0; r <= size - p; r += s) out.push(r);
  if (out[out.length - 1] !== size - p) out.push(size - p);
  return out;
}

function dot(a: Tensor, b: Tensor): number {
  let sum = 0;
  for (let k = 0; k < a.size; k++) sum += a.data[k] * b.data[k];
  return sum;
}

describe('extractPatches', () => {
  it('lists every overlapping patch row-major, in row-major order of the corners', () => {
    const x = tensor([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(extractPatches(x, 2).toArray()).toEqual([
      [1, 2, 4, 5],
      [2, 3, 5, 6],
      [4, 5, 7, 8],
      [5, 6, 8, 9],
    ]);
    expect(extractPatches(x, 3).toArray()).toEqual([[1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    expect(extractPatches(x, 1).shape).toEqual([9, 1]);
  });

  it('with a stride, still ends at the last row and column so that every pixel is covered', () => {
    const x = fromArray(
      Float64Array.from({ length: 20 }, (_, k) => k),
      [4, 5],
    );
    // Row starts 0, 2; column starts 0, 2, 3 (the last start 3 is added).
    const P = extractPatches(x, 2, 2);
    expect(P.shape).toEqual([6, 4]);
    const rowsOfP = P.toArray() as number[][];
    expect(rowsOfP[2]).toEqual([3, 4, 8, 9]);
    expect(rowsOfP[5]).toEqual([13, 14, 18, 19]);
  });

  it('rejects a patch larger than the image and bad arguments with the template message', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(() => extractPatches(x, 3)).toThrow(
      new RangeError(
        "extractPatches: argument 'patch' must be an integer <= the image's smaller side 2. Got 3.",
      ),
    );
    expect(() => extractPatches(x, 1, 0)).toThrow(/^extractPatches: argument 'stride' must be/);
    // A stride above the patch size would leave pixels that no patch covers.
    expect(() => extractPatches(x, 1, 2)).toThrow(
      new RangeError("extractPatches: argument 'stride' must be an integer <= the patch size 1. Got 2."),
    );
    expect(() => extractPatches(tensor([1, 2]), 1)).toThrow(RangeError);
  });
});

describe('averagePatches', () => {
  it('averages the estimates of each pixel', () => {
    // 1 x 3 image, 1 x 2 patches: the middle pixel gets (a + b) / 2 from the two patches.
    const P = tensor([
      [1, 2, 0, 0],
      [3, 4, 0, 0],
    ]);
    expect(() => averagePatches(P, 1, 3, 2)).toThrow(RangeError); // a 1-row image has no 2 x 2 patch
    const Q = tensor([[1], [2], [3]]);
    expect(averagePatches(Q, 1, 3, 1).toArray()).toEqual([[1, 2, 3]]);
    const R = tensor([
      [1, 2, 10, 20],
      [3, 4, 30, 40],
    ]); // patches of a 2 x 3 image at columns 0 and 1
    expect(averagePatches(R, 2, 3, 2).toArray()).toEqual([
      [1, 2.5, 4],
      [10, 25, 40],
    ]);
  });

  it('rejects patches of the wrong shape for the image', () => {
    expect(() => averagePatches(tensor([[1, 2, 3, 4]]), 3, 3, 2)).toThrow(
      "averagePatches: argument 'patches' must be a tensor of shape [4, 4] (the patches of an image 3 x 3). Got shape [1, 4].",
    );
  });

  it('inverts extraction: averagePatches(extractPatches(x)) = x (property)', () => {
    fc.assert(
      fc.property(problem, ({ H, W, patchStride: [patch, stride], pixels }) => {
        const x = fromArray(Float64Array.from(pixels), [H, W]);
        const back = averagePatches(extractPatches(x, patch, stride), H, W, patch, stride);
        for (let k = 0; k < x.size; k++)
          expect(Math.abs(back.data[k] - x.data[k])).toBeLessThanOrEqual(1e-14 * (1 + Math.abs(x.data[k])));
      }),
      fcParams(200),
    );
  });

  it('is the adjoint of extraction divided by the coverage: <E x, P> = <x, C avg(P)> (property)', () => {
    fc.assert(
      fc.property(problem, ({ H, W, patchStride: [patch, stride], pixels, seedValues }) => {
        const x = fromArray(Float64Array.from(pixels), [H, W]);
        const rows = starts(H, patch, stride);
        const cols = starts(W, patch, stride);
        const count = rows.length * cols.length;
        // Patches with values unrelated to x: a deterministic sequence from one drawn number.
        const v = Float64Array.from({ length: count * patch * patch }, (_, k) =>
          Math.sin(1.7 * k + seedValues[0]),
        );
        const P = fromArray(v, [count, patch * patch]);
        // Coverage counts the naive way.
        const cover = new Float64Array(H * W);
        for (const r of rows)
          for (const c of cols)
            for (let i = 0; i < patch; i++) for (let j = 0; j < patch; j++) cover[(r + i) * W + c + j]++;
        const avg = averagePatches(P, H, W, patch, stride);
        const adjoint = fromArray(
          avg.data.map((a, k) => a * cover[k]),
          [H, W],
        );
        const E = extractPatches(x, patch, stride);
        expect(E.shape).toEqual([count, patch * patch]);
        const lhs = dot(E, P);
        const rhs = dot(x, adjoint);
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(lhs)));
      }),
      fcParams(200),
    );
  });
});
