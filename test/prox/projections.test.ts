/**
 * Known values of the projections (box, orthant, l-infinity, l2 and l1 balls): hand-computed
 * projections, batches with per-sample radii, the indicator values with their boundary tolerance,
 * hand-derived VJPs, the raw clip kernel, and the messages of bad arguments.
 */
import { describe, expect, it } from 'vitest';
import { fromArray, tensor } from '../../src/tensor/create.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import {
  BOUNDARY_RTOL,
  projBox,
  projL1Ball,
  projL2Ball,
  projLInfBall,
  projLInfBallInto,
  projNonNegative,
} from '../../src/prox/projections.js';

const arr = (t: Tensor): number[] => Array.from(t.data);

function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) =>
    expect(Math.abs(a - expected[i]), `entry ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol),
  );
}

describe('projL1Ball', () => {
  it('projects [3, 1] onto the radius-2 ball at [2, 0]', () => {
    expect(arr(projL1Ball.prox(tensor([3, 1]), 2))).toEqual([2, 0]);
  });

  it('thresholds all magnitudes by the same tau, keeping signs', () => {
    // |x| = 1, 1, 0.5 and radius 1: tau = 0.5.
    expectClose(arr(projL1Ball.prox(tensor([1, -1, 0.5]), 1)), [0.5, -0.5, 0]);
    expectClose(arr(projL1Ball.prox(tensor([3, -2, 0.1]), 3)), [2, -1, 0]);
  });

  it('keeps points inside and sends everything to 0 for radius 0', () => {
    expect(arr(projL1Ball.prox(tensor([0.5, -0.25]), 1))).toEqual([0.5, -0.25]);
    expect(arr(projL1Ball.prox(tensor([3, -1]), 0))).toEqual([0, 0]);
  });

  it('projects each row onto its own ball', () => {
    const x = tensor([
      [3, 1],
      [3, 1],
    ]);
    expectClose(arr(projL1Ball.prox(x, tensor([2, 10]))), [2, 0, 3, 1]);
    expectClose(arr(projL1Ball.prox(x, 2)), [2, 0, 2, 0]);
  });

  it('has the Jacobian I - sigma sigma^T / |S| on the active set', () => {
    // x = [3, -2, 0.1], radius 3: active set {0, 1}, sigma = [1, -1].
    const { gradInput, gradHyper } = projL1Ball.vjp!(tensor([3, -2, 0.1]), 3, 1, tensor([1, 2, 3]));
    // sigma^T g / |S| = (1 - 2) / 2 = -0.5.
    expectClose(arr(gradInput), [1.5, 1.5, 0]);
    expect(gradHyper).toBeCloseTo(-0.5, 15);
  });

  it('passes the gradient through inside the ball', () => {
    const { gradInput, gradHyper } = projL1Ball.vjp!(tensor([0.5, -0.25]), 1, 1, tensor([4, 5]));
    expect(arr(gradInput)).toEqual([4, 5]);
    expect(gradHyper).toBe(0);
  });

  it('is the indicator of the ball, with the documented tolerance', () => {
    expect(projL1Ball.value(tensor([1, -1]), 2)).toBe(0);
    expect(projL1Ball.value(tensor([1, -1 * (1 + BOUNDARY_RTOL / 2)]), 2)).toBe(0);
    expect(projL1Ball.value(tensor([1, -1.000001]), 2)).toBe(Infinity);
    expect(
      projL1Ball.value(
        tensor([
          [1, 1],
          [0, 1],
        ]),
        tensor([2, 0.5]),
      ),
    ).toBe(Infinity);
  });
});

describe('projL2Ball', () => {
  it('scales points outside onto the sphere and keeps points inside', () => {
    expectClose(arr(projL2Ball.prox(tensor([3, 4]), 1)), [0.6, 0.8]);
    expect(arr(projL2Ball.prox(tensor([0.3, 0.4]), 1))).toEqual([0.3, 0.4]);
    expect(arr(projL2Ball.prox(tensor([3, 4]), 0))).toEqual([0, 0]);
  });

  it('projects each row onto its own ball', () => {
    const x = tensor([
      [3, 4],
      [3, 4],
    ]);
    expectClose(arr(projL2Ball.prox(x, tensor([10, 2.5]))), [3, 4, 1.5, 2]);
  });

  it('has the Jacobian (r/||x||)(I - x x^T/||x||^2) outside', () => {
    const { gradInput, gradHyper } = projL2Ball.vjp!(tensor([3, 4]), 1, 1, tensor([1, 0]));
    // e = [0.6, 0.8], e^T g = 0.6: (1/5)([1, 0] - 0.6 e) = [0.128, -0.096]; d out / d r = e.
    expectClose(arr(gradInput), [0.128, -0.096]);
    expect(gradHyper).toBeCloseTo(0.6, 15);
  });

  it('is the indicator of the ball, with the documented tolerance', () => {
    expect(projL2Ball.value(tensor([3, 4]), 5)).toBe(0);
    expect(projL2Ball.value(tensor([3, 4]), 5 * (1 - BOUNDARY_RTOL / 2))).toBe(0);
    expect(projL2Ball.value(tensor([3, 4]), 4.999999)).toBe(Infinity);
  });
});

describe('projLInfBall', () => {
  it('clips to [-r, r], with one radius per sample or per entry', () => {
    expect(arr(projLInfBall.prox(tensor([2, -3, 0.5]), 1))).toEqual([1, -1, 0.5]);
    expect(
      arr(
        projLInfBall.prox(
          tensor([
            [2, -3],
            [2, -3],
          ]),
          tensor([1, 2.5]),
        ),
      ),
    ).toEqual([1, -1, 2, -2.5]);
    expect(arr(projLInfBall.prox(tensor([2, -3, 0.5]), tensor([3, 0, 0.25])))).toEqual([2, -0, 0.25]);
  });

  it('passes gradients where unclipped and sends sign(x) g to the radius where clipped', () => {
    const { gradInput, gradHyper } = projLInfBall.vjp!(tensor([2, -3, 0.5]), 1, 1, tensor([1, 2, 3]));
    expect(arr(gradInput)).toEqual([0, 0, 3]);
    expect(gradHyper).toBe(1 - 2);
  });

  it('has a raw kernel that writes at an offset, in place too', () => {
    const x = Float64Array.of(5, 2, -3, 0.5, 5);
    const out = new Float64Array(5);
    projLInfBallInto(x, 1, 3, 1, out);
    expect(Array.from(out)).toEqual([0, 1, -1, 0.5, 0]);
    projLInfBallInto(x, 0, 5, 1, x);
    expect(Array.from(x)).toEqual([1, 1, -1, 0.5, 1]);
  });

  it('is the indicator of the ball', () => {
    expect(projLInfBall.value(tensor([1, -1]), 1)).toBe(0);
    expect(projLInfBall.value(tensor([1, -1.01]), 1)).toBe(Infinity);
  });
});

describe('projBox and projNonNegative', () => {
  it('clips to the bounds, numbers or tensors, infinite bounds allowed', () => {
    const x = tensor([-2, 0.5, 3]);
    expect(arr(projBox.prox(x, { lower: 0, upper: 1 }))).toEqual([0, 0.5, 1]);
    expect(arr(projBox.prox(x, { lower: -Infinity, upper: 1 }))).toEqual([-2, 0.5, 1]);
    expect(arr(projBox.prox(x, { lower: tensor([-3, 1, 0]), upper: tensor([-1, 2, 0]) }))).toEqual([
      -2, 1, 0,
    ]);
    expect(arr(projNonNegative.prox(x))).toEqual([0, 0.5, 3]);
  });

  it('sends each gradient to the input or to the active bound', () => {
    const x = tensor([
      [-2, 0.5],
      [3, 0.25],
    ]);
    const { gradInput, gradHyper } = projBox.vjp!(
      x,
      { lower: tensor([0, 1]), upper: 1 },
      1,
      tensor([
        [1, 2],
        [3, 4],
      ]),
    );
    // Row 0 bounds [0, 1]: -2 clipped to lower, 0.5 inside. Row 1 bounds [1, 1]: both clipped.
    expect(arr(gradInput)).toEqual([0, 2, 0, 0]);
    expect(arr(gradHyper.lower as Tensor)).toEqual([1, 4]);
    expect(gradHyper.upper).toBe(3);
    const orthant = projNonNegative.vjp!(tensor([-1, 2]), undefined, 1, tensor([5, 6]));
    expect(arr(orthant.gradInput)).toEqual([0, 6]);
    expect(orthant.gradHyper).toBeUndefined();
  });

  it('is the indicator of the box', () => {
    expect(projBox.value(tensor([0, 1]), { lower: 0, upper: 1 })).toBe(0);
    expect(projBox.value(tensor([0, 1.1]), { lower: 0, upper: 1 })).toBe(Infinity);
    expect(projNonNegative.value(tensor([0, 2]))).toBe(0);
    expect(projNonNegative.value(tensor([-1e-300, 2]))).toBe(Infinity);
  });
});

describe('projections: bad arguments', () => {
  it('rejects a negative radius with the template message', () => {
    expect(() => projL2Ball.prox(tensor([1, 2]), -1)).toThrow(
      new RangeError("projL2Ball: argument 'radius' must be a finite number >= 0. Got -1."),
    );
  });

  it('rejects lower > upper with the template message', () => {
    expect(() => projBox.prox(tensor([1, 2]), { lower: 2, upper: 1 })).toThrow(
      new RangeError("projBox: argument 'upper' must be >= lower everywhere. Got 1 < lower 2 at entry 0."),
    );
  });

  it('rejects radii of the wrong shape, NaN and a hyper for the orthant', () => {
    expect(() => projL1Ball.prox(tensor([[1, 2]]), tensor([1, 2]))).toThrow(
      new RangeError(
        "projL1Ball: argument 'radius' must be a finite number >= 0 or a tensor of shape [1] (one per sample). Got a tensor of shape [2].",
      ),
    );
    expect(() => projLInfBall.prox(tensor([1, 2]), NaN)).toThrow(RangeError);
    expect(() => projBox.prox(tensor([1, 2]), { lower: NaN, upper: 1 })).toThrow(
      new RangeError("projBox: argument 'lower' must be a finite number or -Infinity. Got NaN."),
    );
    expect(() => projNonNegative.prox(tensor([1]), 1 as unknown as undefined)).toThrow(
      new TypeError(
        "projNonNegative: argument 'hyper' must be undefined (the orthant has no parameter). Got 1.",
      ),
    );
    expect(() => projL2Ball.prox(fromArray([1], [1, 1, 1]), 1)).toThrow(RangeError);
    expect(() => projL2Ball.prox(tensor([1]), 1, NaN)).toThrow(RangeError);
  });
});
