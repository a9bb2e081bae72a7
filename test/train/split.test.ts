/**
 * The seeded validation split (src/train/split.ts): sizes, disjointness, coverage, determinism
 * and bad input.
 */
import { describe, expect, it } from 'vitest';
import { splitRows, validationCount } from '../../src/train/index.js';

describe('splitRows', () => {
  it('holds out round(fraction x samples) rows, at least one and never all', () => {
    expect(validationCount(10, 0)).toBe(0);
    expect(validationCount(10, 0.2)).toBe(2);
    expect(validationCount(10, 0.25)).toBe(3); // round half up
    expect(validationCount(3, 0.01)).toBe(1);
    expect(validationCount(3, 0.99)).toBe(2);
    expect(validationCount(1, 0)).toBe(0);
  });

  it('gives disjoint sorted row sets that cover the dataset', () => {
    for (const [samples, fraction] of [
      [100, 0.2],
      [7, 0.5],
      [2, 0.9],
      [13, 0],
    ]) {
      const { train, validation } = splitRows(samples, fraction, 5);
      expect(validation.length).toBe(validationCount(samples, fraction));
      expect(train.length + validation.length).toBe(samples);
      const all = [...train, ...validation].sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: samples }, (_, i) => i));
      for (const rows of [train, validation])
        for (let i = 1; i < rows.length; i++) expect(rows[i]).toBeGreaterThan(rows[i - 1]);
    }
  });

  it('is a function of the seed', () => {
    const a = splitRows(50, 0.3, 1);
    expect(splitRows(50, 0.3, 1)).toEqual(a);
    expect(Array.from(splitRows(50, 0.3, 2).validation)).not.toEqual(Array.from(a.validation));
    expect(splitRows(50, 0.3)).toEqual(splitRows(50, 0.3, 0));
  });

  it('rejects bad input with the template message', () => {
    expect(() => splitRows(0, 0)).toThrow(
      new RangeError("splitRows: argument 'samples' must be an integer >= 1. Got 0."),
    );
    expect(() => splitRows(10, 1)).toThrow(
      new RangeError("splitRows: argument 'validation' must be a finite number >= 0 and < 1. Got 1."),
    );
    expect(() => splitRows(1, 0.5)).toThrow(RangeError);
    expect(() => splitRows(10, 0.1, 0.5)).toThrow(RangeError);
    expect(() => splitRows(10, '0.1' as unknown as number)).toThrow(TypeError);
  });
});
