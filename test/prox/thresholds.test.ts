import { describe, expect, it } from 'vitest';
import { fromArray, tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { softThreshold, softThresholdInto, softThresholdScalarInto } from '../../src/prox/soft-threshold.js';
import { nonNegSoftThreshold, nonNegSoftThresholdScalarInto } from '../../src/prox/nonneg-soft-threshold.js';
import { hardThreshold, hardThresholdScalarInto } from '../../src/prox/hard-threshold.js';
import { firmThreshold, firmThresholdScalarInto } from '../../src/prox/firm-threshold.js';
import { elasticNet, elasticNetScalarInto } from '../../src/prox/elastic-net.js';
import { groupSoftThreshold, groupSoftThresholdInto } from '../../src/prox/group-soft-threshold.js';
import type { Hyper } from '../../src/prox/types.js';

const arr = (t: Tensor): number[] => Array.from(t.data);

function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) =>
    expect(Math.abs(a - expected[i]), `entry ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol),
  );
}

/** Asserts the error class and the exact message. */
function expectError(run: () => unknown, kind: typeof TypeError | typeof RangeError, text: string): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(kind);
  expect((caught as Error).message).toBe(text);
}

const gradHyperArray = (h: Hyper): number[] => (typeof h === 'number' ? [h] : arr(h));

describe('softThreshold', () => {
  it('shrinks towards zero by s lambda, zeroing the dead zone (ties included)', () => {
    const x = tensor([3, -0.5, 1, -2]);
    expect(arr(softThreshold.prox(x, 1))).toEqual([2, 0, 0, -1]);
    expect(arr(softThreshold.prox(x, 1, 0.5))).toEqual([2.5, 0, 0.5, -1.5]);
    expect(arr(softThreshold.prox(x, 0))).toEqual([3, -0.5, 1, -2]);
    expect(softThreshold.prox(x, 1).shape).toEqual([4]);
  });

  it('takes one lambda per sample and one per entry', () => {
    const batch = tensor([
      [3, -1],
      [0.5, -2],
    ]);
    expect(softThreshold.prox(batch, tensor([1, 0.25])).toArray()).toEqual([
      [2, 0],
      [0.25, -1.75],
    ]);
    expect(arr(softThreshold.prox(tensor([1, -2, 3]), tensor([0.5, 3, 1])))).toEqual([0.5, 0, 2]);
  });

  it('value is the weighted l1 norm', () => {
    expect(softThreshold.value(tensor([1, -2, 0]), 2)).toBe(6);
    const batch = tensor([
      [1, -1],
      [3, 0],
    ]);
    expect(softThreshold.value(batch, tensor([1, 2]))).toBe(8);
    expect(softThreshold.value(tensor([1, -2]), tensor([3, 0.5]))).toBe(4);
  });

  it('vjp passes gradients on the support and sums -s sign(x) g for lambda', () => {
    const x = tensor([3, -0.5, -2]);
    const g = tensor([1, 2, 3]);
    const r1 = softThreshold.vjp(x, 1, 1, g);
    expect(arr(r1.gradInput)).toEqual([1, 0, 3]);
    expect(r1.gradHyper).toBe(2);
    const r2 = softThreshold.vjp(x, 0.5, 2, g);
    expect(arr(r2.gradInput)).toEqual([1, 0, 3]);
    expect(r2.gradHyper).toBe(4);

    const batch = tensor([
      [3, -1],
      [0.5, -2],
    ]);
    const gb = tensor([
      [1, 5],
      [2, 3],
    ]);
    const r3 = softThreshold.vjp(batch, tensor([1, 0.25]), 1, gb);
    expect(r3.gradInput.toArray()).toEqual([
      [1, 0],
      [2, 3],
    ]);
    expect(gradHyperArray(r3.gradHyper)).toEqual([-1, 1]);
    expect((r3.gradHyper as Tensor).shape).toEqual([2]);

    const r4 = softThreshold.vjp(tensor([1, -2, 3]), tensor([0.5, 3, 1]), 1, tensor([2, 2, 2]));
    expect(arr(r4.gradInput)).toEqual([2, 0, 2]);
    expect(gradHyperArray(r4.gradHyper)).toEqual([-2, 0, -2]);
  });

  it('the kernels agree with prox and work in place', () => {
    const data = Float64Array.of(3, -0.5, 1, -2);
    const out = new Float64Array(4);
    softThresholdScalarInto(data, 1, 0.5, out);
    expect(Array.from(out)).toEqual([2.5, 0, 0.5, -1.5]);
    softThresholdInto(data, Float64Array.of(1, 0.25), 2, 1, data);
    expect(Array.from(data)).toEqual([2, 0, 0.75, -1.75]);
  });

  it('rejects bad input with the template message', () => {
    const x = tensor([1, 2, 3]);
    expectError(
      () => softThreshold.prox(x, -1),
      RangeError,
      "softThreshold: argument 'lambda' must be a finite number >= 0. Got -1.",
    );
    expectError(
      () => softThreshold.prox(x, NaN),
      RangeError,
      "softThreshold: argument 'lambda' must be a finite number >= 0. Got NaN.",
    );
    expectError(
      () => softThreshold.prox(tensor([[1, 2, 3]]), tensor([1, 2, 3])),
      RangeError,
      "softThreshold: argument 'lambda' must be a finite number >= 0, a tensor of shape [1, 3] or a tensor of shape [1] (one per sample). Got a tensor of shape [3].",
    );
    expectError(
      () => softThreshold.prox(x, tensor([1, -1, 0])),
      RangeError,
      "softThreshold: argument 'lambda' must be a tensor of values >= 0. Got -1 at flat index 1.",
    );
    expectError(
      () => softThreshold.prox(x, '1' as unknown as number),
      TypeError,
      'softThreshold: argument \'lambda\' must be a finite number >= 0 or a tensor of shape [3]. Got "1".',
    );
    expectError(
      () => softThreshold.prox([1, 2] as unknown as Tensor, 1),
      TypeError,
      "softThreshold: argument 'x' must be a tensor. Got [1, 2].",
    );
    expectError(
      () => softThreshold.prox(x, 1, -0.5),
      RangeError,
      "softThreshold: argument 'scaling' must be a finite number >= 0. Got -0.5.",
    );
    expectError(
      () => softThreshold.vjp(x, 1, 1, tensor([1, 2])),
      RangeError,
      "softThreshold: argument 'gradOutput' must be a tensor of shape [3]. Got a tensor of shape [2].",
    );
    expectError(
      () => softThreshold.prox(tensor([1, Infinity]), 1),
      RangeError,
      "softThreshold: argument 'x' must be a tensor of finite values. Got Infinity at flat index 1 of a tensor of shape [2].",
    );
  });
});

describe('nonNegSoftThreshold', () => {
  it('shifts down by s lambda and clips at zero', () => {
    const x = tensor([3, -0.5, 1, -2]);
    expect(arr(nonNegSoftThreshold.prox(x, 1))).toEqual([2, 0, 0, 0]);
    expect(arr(nonNegSoftThreshold.prox(x, 0.5))).toEqual([2.5, 0, 0.5, 0]);
    expect(arr(nonNegSoftThreshold.prox(x, 1, 0.25))).toEqual([2.75, 0, 0.75, 0]);
    const batch = tensor([
      [3, 1],
      [3, 1],
    ]);
    expect(nonNegSoftThreshold.prox(batch, tensor([1, 2])).toArray()).toEqual([
      [2, 0],
      [1, 0],
    ]);
    const out = new Float64Array(2);
    nonNegSoftThresholdScalarInto(Float64Array.of(-3, 3), 1, 2, out);
    expect(Array.from(out)).toEqual([0, 1]);
  });

  it('value is lambda times the sum, infinite outside the orthant', () => {
    expect(nonNegSoftThreshold.value(tensor([1, 2]), 1.5)).toBe(4.5);
    expect(nonNegSoftThreshold.value(tensor([1, -1]), 1)).toBe(Infinity);
  });

  it('vjp', () => {
    const r = nonNegSoftThreshold.vjp(tensor([3, -5, 0.5]), 1, 1, tensor([1, 2, 3]));
    expect(arr(r.gradInput)).toEqual([1, 0, 0]);
    expect(r.gradHyper).toBe(-1);
    const r2 = nonNegSoftThreshold.vjp(tensor([3, 4]), 1, 0.5, tensor([1, 2]));
    expect(r2.gradHyper).toBe(-1.5);
  });

  it('rejects a negative lambda', () => {
    expectError(
      () => nonNegSoftThreshold.prox(tensor([1]), -2),
      RangeError,
      "nonNegSoftThreshold: argument 'lambda' must be a finite number >= 0. Got -2.",
    );
  });
});

describe('hardThreshold', () => {
  it('keeps entries with |x| > sqrt(2 s lambda) and zeroes ties', () => {
    const x = tensor([3, -2, 1.9, -2.5, 0, 2]);
    expect(arr(hardThreshold.prox(x, 2))).toEqual([3, 0, 0, -2.5, 0, 0]);
    expect(arr(hardThreshold.prox(tensor([1, 1.01, -0.5]), 1, 0.5))).toEqual([0, 1.01, 0]);
    const batch = tensor([
      [1.5, -3],
      [1.5, -3],
    ]);
    expect(hardThreshold.prox(batch, tensor([0.5, 2])).toArray()).toEqual([
      [1.5, -3],
      [0, -3],
    ]);
    const out = new Float64Array(3);
    hardThresholdScalarInto(Float64Array.of(2, -2.01, 1), 2, 1, out);
    expect(Array.from(out)).toEqual([0, -2.01, 0]);
  });

  it('value counts the non-zeros, weighted by lambda', () => {
    expect(hardThreshold.value(tensor([3, 0, -1]), 2)).toBe(4);
    expect(hardThreshold.value(tensor([1, 0, 2]), tensor([1, 2, 3]))).toBe(4);
  });

  it('vjp is the keep mask for x and zero for lambda', () => {
    const r = hardThreshold.vjp(tensor([3, -1]), 2, 1, tensor([5, 6]));
    expect(arr(r.gradInput)).toEqual([5, 0]);
    expect(r.gradHyper).toBe(0);
    const rb = hardThreshold.vjp(tensor([[3, -1]]), tensor([2]), 1, tensor([[5, 6]]));
    expect(gradHyperArray(rb.gradHyper)).toEqual([0]);
    expect(hardThreshold.convex).toBe(false);
  });

  it('rejects a non-finite lambda', () => {
    expectError(
      () => hardThreshold.prox(tensor([1]), Infinity),
      RangeError,
      "hardThreshold: argument 'lambda' must be a finite number >= 0. Got Infinity.",
    );
  });
});

describe('firmThreshold (MCP)', () => {
  it('is zero, stretched, then the identity', () => {
    const mcp = firmThreshold(3);
    expect(mcp.gamma).toBe(3);
    expect(mcp.convex).toBe(false);
    const x = tensor([0.5, 1, 2, -2, 3, 4, -5]);
    expectClose(arr(mcp.prox(x, 1)), [0, 0, 1.5, -1.5, 3, 4, -5]);
    expectClose(arr(mcp.prox(tensor([2.5, -2.5, 3.5]), 1, 2)), [1.5, -1.5, 3.5]);
    expectClose(arr(firmThreshold().prox(tensor([1.5, 3]), 1)), [1, 3]);
    const out = new Float64Array(2);
    firmThresholdScalarInto(Float64Array.of(2, -2), 1, 1, 3, out);
    expectClose(Array.from(out), [1.5, -1.5]);
    const batch = tensor([
      [2, 2],
      [2, 2],
    ]);
    expectClose(arr(mcp.prox(batch, tensor([1, 0.5]))), [1.5, 1.5, 2, 2]);
  });

  it('value is the minimax concave penalty', () => {
    expectClose([firmThreshold(3).value(tensor([0, 1, 2, 3, 4]), 1)], [31 / 6]);
    expectClose([firmThreshold(2).value(tensor([-1, 5]), tensor([1, 2]))], [0.75 + 4]);
  });

  it('vjp', () => {
    const r = firmThreshold(3).vjp(tensor([0.5, 2, -2, 4]), 1, 1, tensor([1, 2, 3, 4]));
    expectClose(arr(r.gradInput), [0, 3, 4.5, 4]);
    expectClose([r.gradHyper as number], [1.5]);
  });

  it('rejects gamma <= 1 and scaling >= gamma', () => {
    expectError(
      () => firmThreshold(1),
      RangeError,
      "firmThreshold: argument 'gamma' must be a finite number > 1. Got 1.",
    );
    expectError(
      () => firmThreshold(3).prox(tensor([1]), 1, 3),
      RangeError,
      "firmThreshold: argument 'scaling' must be a finite number >= 0 and < gamma = 3 (for a single-valued prox). Got 3.",
    );
    expectError(
      () => firmThreshold(3).vjp(tensor([1]), 1, 4, tensor([1])),
      RangeError,
      "firmThreshold: argument 'scaling' must be a finite number >= 0 and < gamma = 3 (for a single-valued prox). Got 4.",
    );
    expectError(
      () => firmThreshold('2' as unknown as number),
      TypeError,
      'firmThreshold: argument \'gamma\' must be a finite number > 1. Got "2".',
    );
  });
});

describe('elasticNet', () => {
  it('soft-thresholds then shrinks by 1 + s mu', () => {
    const en = elasticNet(1);
    expect(en.mu).toBe(1);
    expectClose(arr(en.prox(tensor([3, -0.5, -2]), 1)), [1, 0, -0.5]);
    expectClose(arr(elasticNet(0.5).prox(tensor([3, -5]), 1, 2)), [0.5, -1.5]);
    const x = tensor([3, -0.5, 1, -2]);
    expect(arr(elasticNet().prox(x, 0.7, 1.3))).toEqual(arr(softThreshold.prox(x, 0.7, 1.3)));
    const out = new Float64Array(2);
    elasticNetScalarInto(Float64Array.of(3, -5), 1, 2, 0.5, out);
    expectClose(Array.from(out), [0.5, -1.5]);
  });

  it('value is l1 plus half mu times the squared norm', () => {
    expect(elasticNet(2).value(tensor([1, -2]), 1)).toBe(8);
    expect(elasticNet(2).value(tensor([[1, -2]]), tensor([0.5]))).toBe(6.5);
  });

  it('vjp', () => {
    const r = elasticNet(1).vjp(tensor([3, -0.5, -2]), 1, 1, tensor([2, 4, 6]));
    expectClose(arr(r.gradInput), [1, 0, 3]);
    expectClose([r.gradHyper as number], [2]);
  });

  it('rejects a negative mu', () => {
    expectError(
      () => elasticNet(-1),
      RangeError,
      "elasticNet: argument 'mu' must be a finite number >= 0. Got -1.",
    );
  });
});

describe('groupSoftThreshold', () => {
  const x = tensor([3, 4, 7, -1]);

  it('shrinks each group by its norm and passes ungrouped coordinates through', () => {
    const op = groupSoftThreshold([[0, 1], [3]]);
    expectClose(arr(op.prox(x, 1)), [2.4, 3.2, 7, 0]);
    expectClose(arr(op.prox(x, 1.5, 2)), [1.2, 1.6, 7, 0]);
    const batch = tensor([
      [3, 4, 7, -1],
      [0, 0.6, 0, -2],
    ]);
    expectClose(arr(op.prox(batch, tensor([1, 0.5]))), [2.4, 3.2, 7, 0, 0, 0.1, 0, -1.5]);
    const weighted = groupSoftThreshold([[0, 1], [3]], { weights: 'sqrtSize' });
    expectClose(arr(weighted.prox(x, 1)), [3 * (1 - Math.SQRT2 / 5), 4 * (1 - Math.SQRT2 / 5), 7, 0]);
    const custom = groupSoftThreshold([[1, 0], [3]], { weights: [0, 0.5] });
    expectClose(arr(custom.prox(x, 1)), [3, 4, 7, -0.5]);
    const out = new Float64Array(4);
    groupSoftThresholdInto(x.data as Float64Array, 4, op.groupIndex, Float64Array.of(1), 1, out);
    expectClose(Array.from(out), [2.4, 3.2, 7, 0]);
  });

  it('value is lambda times the weighted sum of group norms', () => {
    expectClose([groupSoftThreshold([[0, 1], [3]]).value(x, 2)], [12]);
    expectClose(
      [groupSoftThreshold([[0, 1], [3]], { weights: 'sqrtSize' }).value(x, 2)],
      [2 * (5 * Math.SQRT2 + 1)],
    );
    const batch = fromArray([3, 4, 0, 0, 1, 0], [2, 3]);
    expectClose([groupSoftThreshold([[0, 1]]).value(batch, tensor([1, 3]))], [5 + 3]);
  });

  it('vjp applies the block soft-thresholding Jacobian', () => {
    const op = groupSoftThreshold([[0, 1]]);
    const r = op.vjp(tensor([3, 4]), 1, 1, tensor([1, 0]));
    expectClose(arr(r.gradInput), [0.8 + 9 / 125, 12 / 125]);
    expectClose([r.gradHyper as number], [-0.6]);
    const r2 = groupSoftThreshold([[0], [1, 2]]).vjp(
      tensor([[0.5, 3, 4, 9]]),
      tensor([1]),
      1,
      tensor([[1, 0, 1, 2]]),
    );
    expectClose(arr(r2.gradInput), [0, 0.8 * 0 + (1 / 5) * (4 / 25) * 3, 0.8 + (1 / 5) * (4 / 25) * 4, 2]);
    expectClose(gradHyperArray(r2.gradHyper), [-4 / 5]);
  });

  it('rejects bad groups, mismatched x and per-entry lambda', () => {
    const requirement =
      "groupSoftThreshold: argument 'groups' must be an array of non-empty arrays of integer indices >= 0, each index in at most one group.";
    expectError(
      () =>
        groupSoftThreshold([
          [0, 1],
          [1, 2],
        ]),
      RangeError,
      `${requirement} Got index 1 in groups 0 and 1.`,
    );
    expectError(
      () => groupSoftThreshold([[0, 0]]),
      RangeError,
      `${requirement} Got index 0 twice in group 0.`,
    );
    expectError(
      () => groupSoftThreshold([[0], []]),
      RangeError,
      `${requirement} Got an empty group at position 1.`,
    );
    expectError(() => groupSoftThreshold([[0, 1.5]]), RangeError, `${requirement} Got 1.5 at groups[0][1].`);
    expectError(() => groupSoftThreshold([[-1]]), RangeError, `${requirement} Got -1 at groups[0][0].`);
    expectError(
      () => groupSoftThreshold('01' as unknown as number[][]),
      TypeError,
      `${requirement} Got "01".`,
    );
    expectError(
      () => groupSoftThreshold([0, 1] as unknown as number[][]),
      TypeError,
      `${requirement} Got 0 at position 0.`,
    );
    expectError(
      () => groupSoftThreshold([[0, 5]]).prox(tensor([1, 2, 3]), 1),
      RangeError,
      "groupSoftThreshold: argument 'x' must be a tensor of rank 1 or 2 whose last axis has size >= 6 (the groups index coordinates up to 5). Got a tensor of shape [3].",
    );
    expectError(
      () =>
        groupSoftThreshold([[0, 1]]).prox(fromArray([1, 2, 3, 4], [2, 2]), fromArray([1, 2, 3, 4], [2, 2])),
      RangeError,
      "groupSoftThreshold: argument 'lambda' must be a finite number >= 0 or a tensor of shape [2] (one per sample). Got a tensor of shape [2, 2].",
    );
    expectError(
      () => groupSoftThreshold([[0]], { weights: [1, 2] }),
      RangeError,
      "groupSoftThreshold: argument 'weights' must be 'unit', 'sqrtSize' or an array of 1 finite numbers >= 0 (one per group). Got an array of length 2.",
    );
    expectError(
      () => groupSoftThreshold([[0]], { weights: 'sqrt' as 'sqrtSize' }),
      RangeError,
      "groupSoftThreshold: argument 'weights' must be 'unit', 'sqrtSize' or an array of 1 finite numbers >= 0 (one per group). Got \"sqrt\".",
    );
  });
});
