import { describe, expect, it } from 'vitest';
import {
  bernoulliGaussian,
  gaussianMatrix,
  normal,
  permutation,
  Rng,
  uniform,
} from '../../src/random/index.js';

describe('seeded generators', () => {
  it('the same seed gives bit-identical output', () => {
    expect(Array.from(normal(7, [50]).data)).toEqual(Array.from(normal(7, [50]).data));
    expect(Array.from(bernoulliGaussian(7, [4, 25], 0.2).data)).toEqual(
      Array.from(bernoulliGaussian(7, [4, 25], 0.2).data),
    );
    expect(permutation(3, 20)).toEqual(permutation(3, 20));
  });

  it('is pinned: these values must not change between versions or machines', () => {
    // Regenerating published experiments needs the stream to stay fixed; update only on purpose.
    const r = new Rng(0);
    expect([r.uniform(), r.uniform(), r.normal(), r.int(0, 9)]).toMatchInlineSnapshot(`
      [
        0.21777990607770026,
        0.2753701415482115,
        0.03778608319586267,
        8,
      ]
    `);
  });

  it('different and nearby seeds give different, uncorrelated starts', () => {
    const firsts = Array.from({ length: 100 }, (_, s) => new Rng(s).uniform());
    expect(new Set(firsts).size).toBe(100);
    // Small seeds must not start near 1 or near each other (pure-rand's raw seeding does).
    const mean = firsts.reduce((a, b) => a + b) / firsts.length;
    expect(mean).toBeGreaterThan(0.35);
    expect(mean).toBeLessThan(0.65);
    expect(new Rng(2 ** 40).uniform()).not.toBe(new Rng(2 ** 40 + 1).uniform());
  });

  it('a passed Rng is consumed, a seed starts fresh', () => {
    const r = new Rng(5);
    const a = uniform(r, [3]);
    const b = uniform(r, [3]);
    expect(Array.from(a.data)).not.toEqual(Array.from(b.data));
    expect(Array.from(uniform(5, [3]).data)).toEqual(Array.from(a.data));
  });

  it('split streams differ from the parent and from each other', () => {
    const r = new Rng(1);
    const c1 = r.split();
    const c2 = r.split();
    const draws = [r, c1, c2].map((g) => g.uniform());
    expect(new Set(draws).size).toBe(3);
  });
});

describe('distributions', () => {
  it('uniform in range, normal moments', () => {
    const u = uniform(1, [20000], -2, 3);
    expect(Math.min(...u.data)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u.data)).toBeLessThan(3);
    const z = normal(2, [20000], 1, 2);
    const m = z.data.reduce((a, b) => a + b) / z.size;
    const v = z.data.reduce((a, b) => a + (b - m) ** 2, 0) / z.size;
    // Standard errors: 2/sqrt(2e4) = 0.014 for the mean, about 0.04 for the variance 4.
    expect(Math.abs(m - 1)).toBeLessThan(0.06);
    expect(Math.abs(v - 4)).toBeLessThan(0.2);
  });

  it('Bernoulli-Gaussian has the requested density', () => {
    const x = bernoulliGaussian(3, [100, 500], 0.1);
    const density = x.data.filter((v) => v !== 0).length / x.size;
    expect(Math.abs(density - 0.1)).toBeLessThan(0.01); // sd 0.0013
    expect(bernoulliGaussian(3, [10], 0).data.every((v) => v === 0)).toBe(true);
    expect(bernoulliGaussian(3, [10], 1).data.every((v) => v !== 0)).toBe(true);
  });

  it('gaussianMatrix has unit-norm columns by default', () => {
    const a = gaussianMatrix(4, 30, 50);
    expect(a.shape).toEqual([30, 50]);
    for (let j = 0; j < 50; j++) {
      let s = 0;
      for (let i = 0; i < 30; i++) s += a.get(i, j) ** 2;
      expect(Math.sqrt(s)).toBeCloseTo(1, 12);
    }
    const raw = gaussianMatrix(4, 250, 500, { unitColumns: false });
    const meanSq = raw.data.reduce((acc, v) => acc + v * v, 0) / raw.size;
    expect(Math.abs(meanSq - 1 / 250)).toBeLessThan(1e-4); // N(0, 1/M), as in ALISTA
  });

  it('permutation is a permutation', () => {
    expect([...permutation(9, 50)].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(permutation(9, 0)).toEqual([]);
  });
});

describe('bad arguments', () => {
  it('use the template', () => {
    expect(() => normal(1.5, [2])).toThrow(
      new RangeError(
        "normal: argument 'seed' must be an integer >= -9007199254740991 and <= 9007199254740991. Got 1.5.",
      ),
    );
    expect(() => normal('1' as never, [2])).toThrow(
      new TypeError('normal: argument \'seed\' must be an integer seed or an Rng. Got "1".'),
    );
    expect(() => bernoulliGaussian(1, [2], 1.5)).toThrow(
      new RangeError("bernoulliGaussian: argument 'p' must be a finite number >= 0 and <= 1. Got 1.5."),
    );
    expect(() => normal(1, [2], 0, -1)).toThrow(RangeError);
    expect(() => gaussianMatrix(1, 0, 3)).toThrow(RangeError);
    expect(() => uniform(1, [2], 3, 1)).toThrow(RangeError);
  });
});
