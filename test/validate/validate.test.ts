import { describe, expect, it } from 'vitest';
import { tensor, zeros } from '../../src/tensor/index.js';
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  checkShape,
  checkTensor,
  describe as describeValue,
  message,
} from '../../src/validate/index.js';

describe('the message template', () => {
  it('matches DESIGN.md exactly', () => {
    expect(message('fista', 'lambda', 'a finite number >= 0', -1)).toBe(
      "fista: argument 'lambda' must be a finite number >= 0. Got -1.",
    );
    expect(() => checkNumber('fista', 'lambda', -1, { min: 0 })).toThrow(
      new RangeError("fista: argument 'lambda' must be a finite number >= 0. Got -1."),
    );
  });

  it('describes values briefly', () => {
    expect(describeValue(zeros([3, 4]))).toBe('a tensor of shape [3, 4]');
    expect(describeValue('abc')).toBe('"abc"');
    expect(describeValue(null)).toBe('null');
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue([1, 2])).toBe('[1, 2]');
    expect(describeValue(new Array(20).fill(0))).toBe('an array of length 20');
    expect(describeValue(new Float32Array(3))).toBe('a Float32Array of length 3');
    expect(describeValue({})).toBe('an object (Object)');
  });
});

describe('checks', () => {
  it('numbers: TypeError for the wrong kind, RangeError for NaN, infinity or range', () => {
    expect(() => checkNumber('f', 'x', '1')).toThrow(
      new TypeError('f: argument \'x\' must be a finite number. Got "1".'),
    );
    expect(() => checkNumber('f', 'x', NaN)).toThrow(
      new RangeError("f: argument 'x' must be a finite number. Got NaN."),
    );
    expect(() => checkNumber('f', 'x', Infinity)).toThrow(RangeError);
    expect(() => checkNumber('f', 'x', 0, { min: 0, exclusiveMin: true })).toThrow(
      new RangeError("f: argument 'x' must be a finite number > 0. Got 0."),
    );
    expect(checkNumber('f', 'x', 2, { min: 0, max: 2 })).toBe(2);
    expect(() => checkInteger('f', 'k', 1.5)).toThrow(
      new RangeError("f: argument 'k' must be an integer. Got 1.5."),
    );
  });

  it('shapes, booleans, options', () => {
    expect(() => checkShape('f', 's', [2, 3], [1])).toThrow(
      new RangeError("f: argument 's' must be a shape (an array of integers >= 0 of length 1). Got [2, 3]."),
    );
    expect(() => checkBoolean('f', 'b', 1)).toThrow(
      new TypeError("f: argument 'b' must be a boolean. Got 1."),
    );
    expect(() => checkOneOf('f', 'solver', 'foo', ['ista', 'fista'])).toThrow(
      new RangeError("f: argument 'solver' must be one of 'ista', 'fista'. Got \"foo\"."),
    );
  });

  it('tensors: rank, shape with wildcards, finiteness', () => {
    const t = tensor([[1, 2, 3]]);
    expect(checkTensor('f', 'A', t, { rank: 2, shape: [-1, 3] })).toBe(t);
    expect(() => checkTensor('f', 'A', t, { rank: 1 })).toThrow(
      new RangeError("f: argument 'A' must be a tensor of rank 1. Got a tensor of shape [1, 3]."),
    );
    expect(() => checkTensor('f', 'A', t, { shape: [3, -1] })).toThrow(
      new RangeError("f: argument 'A' must be a tensor of shape [3, *]. Got a tensor of shape [1, 3]."),
    );
    expect(() => checkTensor('f', 'A', tensor([1, NaN]))).toThrow(
      new RangeError(
        "f: argument 'A' must be a tensor of finite values. Got NaN at flat index 1 of a tensor of shape [2].",
      ),
    );
    expect(checkTensor('f', 'A', tensor([NaN]), { finite: false }).size).toBe(1);
    expect(() => checkTensor('f', 'A', [[1]])).toThrow(TypeError);
  });
});
