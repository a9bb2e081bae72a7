import { describe, it } from 'vitest';
import fc from 'fast-check';
import { bernoulliGaussian, gaussianMatrix, normal, permutation, Rng, uniform } from '../src/random/index.js';
import { fcParams, shapeArb } from './support/arbitraries.js';

const seed = fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describe('random generators', () => {
  it('are bit-identical for equal seeds, for every generator and shape', () => {
    fc.assert(
      fc.property(
        seed,
        shapeArb(2, 1, 8),
        (s, [n, m]) =>
          same(uniform(s, [n, m]).data, uniform(s, [n, m]).data) &&
          same(normal(s, [n, m]).data, normal(s, [n, m]).data) &&
          same(bernoulliGaussian(s, [n, m], 0.3).data, bernoulliGaussian(s, [n, m], 0.3).data) &&
          same(gaussianMatrix(s, n, m).data, gaussianMatrix(s, n, m).data) &&
          same(permutation(s, n * m), permutation(s, n * m)),
      ),
      fcParams(),
    );
  });

  it('draw uniforms in [0, 1) and finite normals, whatever the seed', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const r = new Rng(s);
        for (let k = 0; k < 200; k++) {
          const u = r.uniform();
          if (!(u >= 0 && u < 1) || !Number.isFinite(r.normal())) return false;
        }
        return true;
      }),
      fcParams(),
    );
  });

  it('give unit-norm columns and a valid permutation', () => {
    fc.assert(
      fc.property(seed, shapeArb(2, 1, 12), (s, [n, m]) => {
        const a = gaussianMatrix(s, n, m);
        for (let j = 0; j < m; j++) {
          let sq = 0;
          for (let i = 0; i < n; i++) sq += a.get(i, j) ** 2;
          if (Math.abs(Math.sqrt(sq) - 1) > 1e-12) return false;
        }
        const p = permutation(s, m);
        return new Set(p).size === m && p.every((v) => v >= 0 && v < m);
      }),
      fcParams(),
    );
  });

  it('reject non-integer seeds with a RangeError in the template', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noInteger: true }), fc.constant(NaN), fc.constant(2 ** 60)), (bad) => {
        try {
          normal(bad, [1]);
        } catch (e) {
          return (
            e instanceof RangeError &&
            /^normal: argument 'seed' must be an integer .*\. Got .+\.$/.test(e.message)
          );
        }
        return false;
      }),
      fcParams(),
    );
  });
});
