import { describe, expect, it } from 'vitest';
import { hungarian } from '../../src/linalg/hungarian.js';

function total(cost: number[][], assignment: Int32Array): number {
  return Array.from(assignment).reduce((s, j, i) => s + cost[i][j], 0);
}

describe('hungarian', () => {
  it('solves a classic 3 x 3 assignment', () => {
    const cost = [
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ];
    const a = hungarian(Float64Array.from(cost.flat()), 3, 3);
    expect(Array.from(a)).toEqual([1, 0, 2]);
    expect(total(cost, a)).toBe(5);
  });

  it('assigns fewer rows than columns to distinct columns', () => {
    const cost = [
      [10, 9, 1, 8],
      [1, 7, 2, 9],
    ];
    const a = hungarian(Float64Array.from(cost.flat()), 2, 4);
    expect(Array.from(a)).toEqual([2, 0]);
  });

  it('handles negative costs (a maximum-weight matching by negation) and ties', () => {
    const weights = [
      [0.9, 0.1],
      [0.95, 0.2],
    ];
    const a = hungarian(Float64Array.from(weights.flat().map((w) => -w)), 2, 2);
    // 0.9 + 0.2 = 1.1 beats 0.1 + 0.95 = 1.05.
    expect(Array.from(a)).toEqual([0, 1]);
    const ties = hungarian(new Float64Array(9), 3, 3);
    expect(new Set(ties).size).toBe(3);
  });

  it('returns an empty assignment for zero rows', () => {
    expect(hungarian(new Float64Array(0), 0, 3).length).toBe(0);
  });

  it('rejects bad input with the template message', () => {
    expect(() => hungarian([1, 2] as unknown as Float64Array, 1, 2)).toThrow(TypeError);
    expect(() => hungarian(new Float64Array(6), 3, 2)).toThrow(
      "hungarian: argument 'cols' must be an integer >= 3. Got 2.",
    );
    expect(() => hungarian(new Float64Array(5), 2, 3)).toThrow(
      "hungarian: argument 'cost' must be a Float64Array of length rows * cols = 6. Got a Float64Array of length 5.",
    );
    expect(() => hungarian(Float64Array.from([1, NaN]), 1, 2)).toThrow(
      "hungarian: argument 'cost' must be a Float64Array of finite values. Got NaN at index 1.",
    );
  });
});
