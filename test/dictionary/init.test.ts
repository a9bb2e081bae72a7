import { describe, expect, it } from 'vitest';
import { initialDictionary, projectAtoms } from '../../src/dictionary/init.js';
import { dctDictionary } from '../../src/operators/dct-dictionary.js';
import { normal } from '../../src/random/index.js';
import { fromArray, tensor, zeros } from '../../src/tensor/index.js';
import { columnNorms } from './planted.js';

describe('initialDictionary', () => {
  const Y = normal(3, [20, 6]);

  it("'random' takes K distinct normalised signals, the same for the same seed", () => {
    const D = initialDictionary(Y, 5, 'random', 7);
    expect(D.shape).toEqual([6, 5]);
    columnNorms(D).forEach((v) => expect(v).toBeCloseTo(1, 12));
    const used = new Set<number>();
    for (let j = 0; j < 5; j++) {
      // Atom j is y_i / ||y_i|| for some i.
      let found = -1;
      for (let i = 0; i < 20 && found < 0; i++) {
        const y = Array.from(Y.data.slice(i * 6, i * 6 + 6));
        const norm = Math.hypot(...y);
        if (y.every((v, t) => Math.abs(v / norm - D.data[t * 5 + j]) < 1e-12)) found = i;
      }
      expect(found).toBeGreaterThanOrEqual(0);
      used.add(found);
    }
    expect(used.size).toBe(5);
    expect(Array.from(initialDictionary(Y, 5, 'random', 7).data)).toEqual(Array.from(D.data));
    expect(Array.from(initialDictionary(Y, 5, 'random', 8).data)).not.toEqual(Array.from(D.data));
  });

  it("'random' fills atoms beyond N and zero signals with Gaussian unit atoms", () => {
    const D = initialDictionary(zeros([2, 4]), 6, 'random', 1);
    columnNorms(D).forEach((v) => expect(v).toBeCloseTo(1, 12));
    const few = initialDictionary(normal(1, [3, 6]), 8);
    columnNorms(few).forEach((v) => expect(v).toBeCloseTo(1, 12));
  });

  it("'dct' is the overcomplete 2-D DCT dictionary and needs square sizes", () => {
    const D = initialDictionary(normal(1, [5, 16]), 36, 'dct');
    expect(Array.from(D.data)).toEqual(Array.from(dctDictionary(4, 36).data));
    expect(() => initialDictionary(normal(1, [5, 15]), 36, 'dct')).toThrow(
      "initialDictionary: argument 'Y' must be signals of perfect-square length p^2 (square patches) for init 'dct'.",
    );
    expect(() => initialDictionary(normal(1, [5, 16]), 20, 'dct')).toThrow(
      "initialDictionary: argument 'atoms' must be a perfect square k^2 with k >= 4 for init 'dct'. Got 20.",
    );
  });

  it('a given dictionary is projected onto the unit ball', () => {
    const D0 = tensor([
      [3, 0.1],
      [4, 0.2],
    ]);
    const D = initialDictionary(normal(1, [4, 2]), 2, D0);
    expect(Array.from(D.data)).toEqual([0.6, 0.1, 0.8, 0.2]);
    expect(() => initialDictionary(normal(1, [4, 2]), 3, D0)).toThrow(
      "initialDictionary: argument 'init' must be a tensor of shape [2, 3]. Got a tensor of shape [2, 2].",
    );
  });

  it('rejects bad arguments with the template', () => {
    expect(() => initialDictionary(Y, 0)).toThrow(
      "initialDictionary: argument 'atoms' must be an integer >= 1. Got 0.",
    );
    expect(() => initialDictionary(Y, 3, 'svd' as 'random')).toThrow(
      "initialDictionary: argument 'init' must be one of 'random', 'dct'. Got \"svd\".",
    );
    expect(() => initialDictionary(zeros([3, 0]), 3)).toThrow(RangeError);
  });
});

describe('projectAtoms', () => {
  it('scales long atoms to norm 1 and keeps the others', () => {
    const D = fromArray([0, 0.5, 3, 0, 0, 0.5, 4, 0], [2, 4]);
    const P = projectAtoms(D);
    expect(Array.from(P.data)).toEqual([0, 0.5, 0.6, 0, 0, 0.5, 0.8, 0]);
    expect(Array.from(D.data)).toEqual([0, 0.5, 3, 0, 0, 0.5, 4, 0]); // the input is untouched
  });
});
