/**
 * Shared fast-check arbitraries and settings for the property suites. Every suite runs with a
 * fixed seed (printed by fast-check on failure), so CI is reproducible; set FC_SEED to explore.
 */
import fc from 'fast-check';
import { fromArray, shapeSize, type Tensor } from '../../src/tensor/index.js';
import { wrap } from '../../src/tensor/tensor.js';

/** fc.assert parameters: a fixed seed unless FC_SEED is given. */
export function fcParams(numRuns = 100): fc.Parameters<unknown> {
  const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : 20261129;
  return { seed, numRuns, verbose: 1 };
}

/** Finite doubles of moderate magnitude (no NaN / infinity). */
export const finite = fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true });

/** A shape of the given rank with each size in [minSize, maxSize]. */
export function shapeArb(rank: number, minSize = 1, maxSize = 6): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: minSize, max: maxSize }), { minLength: rank, maxLength: rank });
}

/** A tensor with the given shape and finite entries. */
export function tensorOfShape(shape: readonly number[], values = finite): fc.Arbitrary<Tensor> {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc.array(values, { minLength: size, maxLength: size }).map((d) => fromArray(d, shape));
}

/** A tensor of rank 1 to 3 with finite entries. */
export const anyTensor: fc.Arbitrary<Tensor> = fc
  .integer({ min: 1, max: 3 })
  .chain((rank) => shapeArb(rank))
  .chain((shape) => tensorOfShape(shape));

/** Two tensors of the same shape. */
export const tensorPair: fc.Arbitrary<[Tensor, Tensor]> = fc
  .integer({ min: 1, max: 3 })
  .chain((rank) => shapeArb(rank))
  .chain((shape) => fc.tuple(tensorOfShape(shape), tensorOfShape(shape)));

/** A snapshot of a tensor's data, to check later that nothing wrote into it. */
export function snapshot(t: Tensor): Float64Array {
  return Float64Array.from(t.data);
}

/** Bit-level equality of a tensor's data with a snapshot (NaN-safe, -0-safe). */
export function unchanged(t: Tensor, before: Float64Array): boolean {
  return t.data.length === before.length && t.data.every((v, i) => Object.is(v, before[i]));
}

/** Shapes of rank 0 to 3 with 0 to `maxSize` entries per axis (zero-size tensors included). */
function anyShape(maxSize: number): fc.Arbitrary<number[]> {
  return fc.array(fc.integer({ min: 0, max: maxSize }), { minLength: 0, maxLength: 3 });
}

/** Tensors (rank 0 to 3) of any float64 bit pattern: every NaN payload, -0, subnormals, infinities. */
export function bitsTensor(maxSize: number): fc.Arbitrary<Tensor> {
  return anyShape(maxSize).chain((shape) =>
    fc
      .array(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), {
        minLength: shapeSize(shape),
        maxLength: shapeSize(shape),
      })
      // Built from the bits directly, so that no NaN passes through a JS number on the way in.
      .map((words) => wrap(new Float64Array(BigUint64Array.from(words).buffer), shape)),
  );
}

/** Tensors (rank 0 to 3) of doubles as fast-check draws them: edge values, extreme magnitudes, NaN. */
export function doubleTensor(maxSize: number): fc.Arbitrary<Tensor> {
  return anyShape(maxSize).chain((shape) =>
    fc
      .array(fc.double(), { minLength: shapeSize(shape), maxLength: shapeSize(shape) })
      .map((values) => wrap(Float64Array.from(values), shape)),
  );
}

/** The bytes of a tensor's data, for bit-for-bit comparisons. */
export function bits(t: Tensor): Uint8Array {
  return new Uint8Array(Float64Array.from(t.data).buffer);
}
