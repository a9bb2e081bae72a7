/**
 * The kinds of arguments of the public API and their bad values, for the property that feeds
 * bad input across the whole API (properties/bad-input.prop.ts). Each area lists its functions
 * in its own table (properties/support/api-*.ts); the property generates wrong kinds, wrong shapes, NaN, infinities and
 * out-of-range numbers for one argument at a time, keeping the others valid.
 */
import fc from 'fast-check';
import { fromArray, zeros, type Tensor } from '../../src/tensor/index.js';

/** What an argument must be, with a valid value for when another argument is the bad one. */
export type ArgSpec =
  | { kind: 'tensor'; rank?: number | number[]; valid: Tensor; finite?: boolean }
  | { kind: 'number'; valid: number; min?: number; exclusiveMin?: boolean; max?: number }
  | { kind: 'integer'; valid: number; min?: number }
  | { kind: 'shape'; valid: number[] }
  | { kind: 'seed'; valid: number };

/** One public function: its name in messages, how to call it, and its arguments in order. */
export interface ApiEntry {
  fn: string;
  call: (...args: unknown[]) => unknown;
  args: { name: string; spec: ArgSpec }[];
}

/** A bad value and the error class it must raise. */
export interface BadValue {
  value: unknown;
  error: typeof TypeError | typeof RangeError;
  what: string;
}

const notATensor = fc.oneof(
  fc.constant<unknown>([[1, 2]]),
  fc.constant<unknown>(new Float64Array(4)),
  fc.constant<unknown>('A.npy'),
  fc.constant<unknown>(null),
  fc.constant<unknown>(undefined),
  fc.constant<unknown>(3),
);
const nonFinite = fc.constantFrom(NaN, Infinity, -Infinity);

/** Tensors of a rank (1 to 3) not among `ranks`, small sizes. */
function wrongRank(ranks: number[]): fc.Arbitrary<Tensor> {
  return fc
    .constantFrom(...[1, 2, 3].filter((r) => !ranks.includes(r)))
    .map((r) => zeros(new Array<number>(r).fill(2)));
}

/** The valid tensor with one entry replaced by NaN or an infinity. */
function poisoned(valid: Tensor): fc.Arbitrary<Tensor> {
  return fc.tuple(fc.nat({ max: Math.max(valid.size - 1, 0) }), nonFinite).map(([k, v]) => {
    const data = Float64Array.from(valid.data);
    data[k] = v;
    return fromArray(data, valid.shape);
  });
}

/** Bad values for an argument of the given spec. */
export function badValues(spec: ArgSpec): fc.Arbitrary<BadValue> {
  const type = (a: fc.Arbitrary<unknown>, what: string): fc.Arbitrary<BadValue> =>
    a.map((value) => ({ value, error: TypeError, what }));
  const range = (a: fc.Arbitrary<unknown>, what: string): fc.Arbitrary<BadValue> =>
    a.map((value) => ({ value, error: RangeError, what }));
  switch (spec.kind) {
    case 'tensor': {
      const cases = [type(notATensor, 'not a tensor')];
      const ranks =
        spec.rank === undefined ? [1, 2, 3] : typeof spec.rank === 'number' ? [spec.rank] : spec.rank;
      if (ranks.length < 3) cases.push(range(wrongRank(ranks), 'wrong rank'));
      if (spec.finite !== false && spec.valid.size > 0)
        cases.push(range(poisoned(spec.valid), 'non-finite entry'));
      return fc.oneof(...cases);
    }
    case 'number': {
      const cases = [
        type(fc.constantFrom<unknown>('1', null, [1], {}), 'not a number'),
        range(nonFinite, 'non-finite'),
      ];
      if (spec.min !== undefined) {
        const below = fc
          .double({ min: -1e6, max: spec.min, noNaN: true })
          .filter((v) => (spec.exclusiveMin ? v <= spec.min! : v < spec.min!));
        cases.push(range(below, 'below the minimum'));
      }
      if (spec.max !== undefined)
        cases.push(
          range(
            fc.double({ min: spec.max, max: 1e6, noNaN: true }).filter((v) => v > spec.max!),
            'above the maximum',
          ),
        );
      return fc.oneof(...cases);
    }
    case 'integer': {
      const cases = [
        type(fc.constantFrom<unknown>('3', null, [3]), 'not a number'),
        range(fc.double({ min: 0.1, max: 100, noNaN: true, noInteger: true }), 'fractional'),
        range(nonFinite, 'non-finite'),
      ];
      if (spec.min !== undefined)
        cases.push(range(fc.integer({ min: -1000, max: spec.min - 1 }), 'below the minimum'));
      return fc.oneof(...cases);
    }
    case 'shape':
      return fc.oneof(
        type(fc.constantFrom<unknown>('3', 3, null), 'not an array'),
        range(
          fc.integer({ min: -100, max: -1 }).map((d) => [2, d]),
          'negative size',
        ),
        range(
          fc.double({ min: 0.1, max: 9, noNaN: true, noInteger: true }).map((d) => [d]),
          'fractional size',
        ),
        range(fc.constant([]), 'empty shape'),
      );
    case 'seed':
      return fc.oneof(
        type(fc.constantFrom<unknown>('1', null, {}), 'not a seed'),
        range(fc.double({ min: 0.1, max: 100, noNaN: true, noInteger: true }), 'fractional seed'),
        range(nonFinite, 'non-finite seed'),
      );
  }
}
