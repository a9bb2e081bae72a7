import { describe, expect, it } from 'vitest';
import { dictionaryGradient, dictionaryObjective } from '../../src/dictionary/objective.js';
import { tensor, zeros } from '../../src/tensor/index.js';

describe('dictionaryObjective and dictionaryGradient', () => {
  const D = tensor([
    [1, 0, 2],
    [0, 1, -1],
  ]);
  const Y = tensor([
    [1, 2],
    [0, -1],
  ]);
  const Z = tensor([
    [1, 0, 0.5],
    [0, -2, 0],
  ]);

  it('is the mean of 1/2 ||y - D z||^2 + lambda ||z||_1', () => {
    // D z_1 = [2, -0.5], r_1 = [-1, 2.5]; D z_2 = [0, -2], r_2 = [0, 1].
    const expected = (0.5 * (1 + 6.25) + 0.3 * 1.5 + (0.5 * 1 + 0.3 * 2)) / 2;
    expect(dictionaryObjective(D, Y, Z, 0.3)).toBeCloseTo(expected, 14);
    expect(dictionaryObjective(D, zeros([0, 2]), zeros([0, 3]), 1)).toBe(0);
  });

  it('has the gradient (Z D^T - Y)^T Z / N', () => {
    // Z D^T - Y = [[1, -2.5], [0, -1]]; (.)^T Z / 2.
    const G = dictionaryGradient(D, Y, Z);
    expect(G.shape).toEqual([2, 3]);
    const expected = [0.5, 0, 0.25, -1.25, 1, -0.625];
    Array.from(G.data).forEach((g, k) => expect(g).toBeCloseTo(expected[k], 14));
    expect(Array.from(dictionaryGradient(D, zeros([0, 2]), zeros([0, 3])).data)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rejects mismatched shapes and a negative lambda', () => {
    expect(() => dictionaryObjective(D, Y, zeros([2, 2]), 0.1)).toThrow(
      "dictionaryObjective: argument 'Z' must be a tensor of shape [2, 3]. Got a tensor of shape [2, 2].",
    );
    expect(() => dictionaryObjective(D, Y, Z, -1)).toThrow(
      "dictionaryObjective: argument 'lambda' must be a finite number >= 0. Got -1.",
    );
    expect(() => dictionaryGradient(D, zeros([2, 3]), Z)).toThrow(
      "dictionaryGradient: argument 'Y' must be a tensor of shape [*, 2]. Got a tensor of shape [2, 3].",
    );
  });
});
