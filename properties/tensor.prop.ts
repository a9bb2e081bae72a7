import { describe, it } from 'vitest';
import fc from 'fast-check';
import * as T from '../src/tensor/index.js';
import { anyTensor, fcParams, finite, snapshot, tensorPair, unchanged } from './support/arbitraries.js';

/** Every unary/binary tensor operation, applied to random inputs. */
const unaryOps: [string, (t: T.Tensor) => unknown][] = [
  ['neg', T.neg],
  ['abs', T.abs],
  ['scale', (t) => T.scale(t, -2.5)],
  ['add scalar', (t) => T.add(t, 3)],
  ['map', (t) => T.map(t, (v) => v * v)],
  ['transpose', (t) => T.transpose(t)],
  ['reshape', (t) => T.reshape(t, [-1])],
  ['flatten', T.flatten],
  ['rows', (t) => T.rows(t, 0, 1)],
  ['takeRows', (t) => T.takeRows(t, [0, 0])],
  ['clone', T.clone],
  ['toFloat64Array', (t) => T.toFloat64Array(t).fill(7)],
  ['sum', T.sum],
  ['mean', T.mean],
  ['max', T.max],
  ['min', T.min],
  ['argmax', T.argmax],
  ['fromNdarray(toNdarray)', (t) => T.fromNdarray(T.toNdarray(t))],
];
const binaryOps: [string, (a: T.Tensor, b: T.Tensor) => unknown][] = [
  ['add', T.add],
  ['sub', T.sub],
  ['mul', T.mul],
  ['div', T.div],
  ['axpy', (a, b) => T.axpy(0.5, a, b)],
  ['allClose', (a, b) => T.allClose(a, b)],
  ['concatRows', (a, b) => T.concatRows([a, b])],
];

describe('tensor operations never modify their inputs', () => {
  for (const [name, op] of unaryOps) {
    it(name, () => {
      fc.assert(
        fc.property(anyTensor, (t) => {
          const before = snapshot(t);
          op(t);
          return unchanged(t, before);
        }),
        fcParams(50),
      );
    });
  }
  for (const [name, op] of binaryOps) {
    it(name, () => {
      fc.assert(
        fc.property(tensorPair, ([a, b]) => {
          const [sa, sb] = [snapshot(a), snapshot(b)];
          op(a, b);
          return unchanged(a, sa) && unchanged(b, sb);
        }),
        fcParams(50),
      );
    });
  }
});

describe('algebraic identities', () => {
  it('transpose is an involution and reverses shapes', () => {
    fc.assert(
      fc.property(anyTensor, (t) => {
        const tt = T.transpose(t);
        return (
          tt.shape.join() === [...t.shape].reverse().join() &&
          T.allClose(T.transpose(tt), t, { rtol: 0, atol: 0 })
        );
      }),
      fcParams(),
    );
  });

  it('a - b + b = a up to rounding, a + b = b + a exactly', () => {
    fc.assert(
      fc.property(tensorPair, ([a, b]) => {
        return (
          T.allClose(T.add(T.sub(a, b), b), a, { atol: 1e-9 }) &&
          T.allClose(T.add(a, b), T.add(b, a), { rtol: 0, atol: 0 })
        );
      }),
      fcParams(),
    );
  });

  it('reshape round trip keeps every entry; concatRows of row slices is the identity', () => {
    fc.assert(
      fc.property(anyTensor, fc.nat(), (t, cut) => {
        const k = cut % (t.shape[0] + 1);
        const back = T.concatRows([T.rows(t, 0, k), T.rows(t, k)]);
        return (
          T.allClose(T.reshape(T.flatten(t), t.shape), t, { rtol: 0, atol: 0 }) &&
          T.allClose(back, t, { rtol: 0, atol: 0 })
        );
      }),
      fcParams(),
    );
  });

  it('sum equals a plain loop, max >= mean >= min', () => {
    fc.assert(
      fc.property(anyTensor, (t) => {
        let s = 0;
        for (const v of t.data) s += v;
        return (
          Math.abs(T.sum(t) - s) <= 1e-9 * (1 + Math.abs(s)) &&
          T.max(t) >= T.mean(t) - 1e-9 &&
          T.mean(t) >= T.min(t) - 1e-9
        );
      }),
      fcParams(),
    );
  });
});

describe('bad arguments raise TypeError / RangeError with the template message', () => {
  const template = /^[A-Za-z.]+: argument '[A-Za-z.]+' must be .+\. Got .+\.$/s;
  const throwsTemplate = (f: () => unknown, kind: typeof TypeError | typeof RangeError): boolean => {
    try {
      f();
    } catch (e) {
      return e instanceof kind && template.test(e.message);
    }
    return false;
  };

  it('negative, fractional or NaN sizes are RangeErrors', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ max: -1 }),
          fc.double({ min: 0.01, max: 100, noInteger: true }),
          fc.constant(NaN),
        ),
        (bad) =>
          throwsTemplate(() => T.zeros([2, bad]), RangeError) &&
          throwsTemplate(() => T.full([bad], 1), RangeError),
      ),
      fcParams(),
    );
  });

  it('non-tensors are TypeErrors', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.array(finite)),
        (bad) =>
          throwsTemplate(() => T.add(bad as T.Tensor, 1), TypeError) &&
          throwsTemplate(() => T.transpose(bad as T.Tensor), TypeError),
      ),
      fcParams(),
    );
  });

  it('mismatched shapes are RangeErrors', () => {
    fc.assert(
      fc.property(anyTensor, anyTensor, (a, b) => {
        fc.pre(a.shape.join() !== b.shape.join());
        return (
          throwsTemplate(() => T.add(a, b), RangeError) && throwsTemplate(() => T.axpy(1, a, b), RangeError)
        );
      }),
      fcParams(),
    );
  });
});
