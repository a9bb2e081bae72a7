import { describe, expect, it } from 'vitest';
import { suboptimality, tensor, zeros } from '../../src/index.js';

describe('suboptimality', () => {
  it('is the mean of F - F*, not clamped', () => {
    expect(suboptimality(tensor([1.5, 2, 3]), tensor([1, 2, 2]))).toBeCloseTo(0.5, 15);
    expect(suboptimality(tensor([1, 2]), tensor([1.5, 2]))).toBe(-0.25);
  });

  it('rejects bad shapes and values', () => {
    expect(() => suboptimality(tensor([1, 2]), tensor([1]))).toThrow(
      "suboptimality: argument 'Fstar' must be a tensor of shape [2]. Got a tensor of shape [1].",
    );
    expect(() => suboptimality(zeros([0]), zeros([0]))).toThrow(
      "suboptimality: argument 'F' must be a tensor of shape [N] with N >= 1. Got a tensor of shape [0].",
    );
    expect(() => suboptimality(zeros([2, 2]), zeros([2]))).toThrow(RangeError);
    expect(() => suboptimality(tensor([Infinity]), tensor([1]))).toThrow(RangeError);
    expect(() => suboptimality(1 as never, tensor([1]))).toThrow(TypeError);
  });
});
