/**
 * The optimisers (src/train/adam.ts, gradient-descent.ts): Adam's first steps against the
 * formulas of Kingma & Ba, and backtracking's accept / halve rule on quadratics whose accepted
 * steps are known in closed form.
 */
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/tensor/index.js';
import { Adam, ADAM_EPSILON, backtrackingStep, GD_MAX_HALVINGS } from '../../src/train/index.js';
import type { Objective } from '../../src/train/index.js';
import type { NamedTensors } from '../../src/unrolled/model-types.js';
import { leastSquares } from '../../properties/support/least-squares.js';

const arr = (p: NamedTensors, k: string): number[] => Array.from(p[k].data);

describe('Adam', () => {
  it('takes a first step of lr x g / (|g| + eps) per coordinate (bias correction)', () => {
    const params = { a: tensor([1, -2, 0]), b: tensor([[3]]) };
    const grad = { a: tensor([0.5, -4, 0]), b: tensor([[1e-3]]) };
    const adam = new Adam(params);
    const next = adam.step(params, grad, 0.1);
    const expected = [1, -2, 0].map((p, i) => {
      const g = [0.5, -4, 0][i];
      return p - (0.1 * g) / (Math.abs(g) + ADAM_EPSILON);
    });
    expect(arr(next, 'a')).toEqual(expected);
    expect(arr(next, 'b')[0]).toBeCloseTo(3 - (0.1 * 1e-3) / (1e-3 + ADAM_EPSILON), 15);
    expect(next.b.shape).toEqual([1, 1]);
    expect(arr(params, 'a')).toEqual([1, -2, 0]); // the input is not written
    expect(adam.steps).toBe(1);
  });

  it('follows the moment recursions on the second step', () => {
    const p0 = { x: tensor([0]) };
    const adam = new Adam(p0);
    const p1 = adam.step(p0, { x: tensor([2]) }, 0.01);
    const p2 = adam.step(p1, { x: tensor([-1]) }, 0.01);
    const m = 0.9 * (0.1 * 2) + 0.1 * -1;
    const v = 0.999 * (0.001 * 4) + 0.001 * 1;
    const mhat = m / (1 - 0.9 ** 2);
    const vhat = v / (1 - 0.999 ** 2);
    expect(p2.x.data[0]).toBeCloseTo(p1.x.data[0] - (0.01 * mhat) / (Math.sqrt(vhat) + ADAM_EPSILON), 15);
  });
});

/** 1/2 k (w - 1)^2 as a one-row least-squares problem: x = sqrt(k), y = sqrt(k). */
function quadratic(k: number): Objective {
  return leastSquares(tensor([[Math.sqrt(k)]]), tensor([Math.sqrt(k)]), false);
}
const at = (w: number): NamedTensors => ({ w: tensor([w]) });
const all = Int32Array.of(0);

describe('backtracking gradient descent', () => {
  it('accepts a step iff the loss does not increase, halving otherwise', () => {
    // w' - 1 = (1 - s k)(w - 1): accepted iff s <= 2 / k.
    for (const [k, step, accepted, halvings] of [
      [3, 1, 0.5, 1],
      [0.1, 16, 16, 0],
      [0.1, 32, 16, 1],
      [100, 1, 1 / 64, 6],
    ]) {
      const f = quadratic(k);
      const p = at(3);
      const r = f.evaluate(p, all, true);
      const s = backtrackingStep(f, p, r.value, r.grad!, all, step);
      expect(s.accepted).toBe(true);
      expect(s.step).toBe(accepted);
      expect(s.halvings).toBe(halvings);
      expect(s.value).toBeLessThanOrEqual(r.value);
      expect(s.params.w.data[0]).toBeCloseTo(1 + (1 - accepted * k) * 2, 12);
    }
  });

  it('gives up when no step that changes the parameters decreases the loss', () => {
    const f = quadratic(1);
    const p = at(3);
    const r = f.evaluate(p, all, true);
    const uphill = { w: tensor([-r.grad!.w.data[0]]) };
    const s = backtrackingStep(f, p, r.value, uphill, all, 1);
    expect(s.accepted).toBe(false);
    expect(s.halvings).toBeGreaterThan(40); // 3 + 4 / 2^h rounds to 3 after about 52 halvings
    expect(s.halvings).toBeLessThanOrEqual(GD_MAX_HALVINGS);
    expect(s.params).toBe(p);
    expect(s.value).toBe(r.value);
  });

  it('gives up at once at a stationary point (zero gradient)', () => {
    const f = quadratic(2);
    const p = at(1);
    const r = f.evaluate(p, all, true);
    const s = backtrackingStep(f, p, r.value, r.grad!, all, 1);
    expect(s.accepted).toBe(false);
    expect(s.halvings).toBe(0);
  });

  it('never evaluates a trial that overflowed, and halves past it', () => {
    const f = quadratic(1);
    let calls = 0;
    const guarded: Objective = {
      ...f,
      evaluate(params, rows, withGrad) {
        if (!Number.isFinite(params.w.data[0])) throw new RangeError('non-finite parameters');
        calls++;
        return f.evaluate(params, rows, withGrad);
      },
    };
    const p = at(3);
    const value = f.evaluate(p, all, false).value;
    // 1e300 x 1e10 overflows; the next halvings give finite trials whose loss overflows to infinity.
    const s = backtrackingStep(guarded, p, value, { w: tensor([1e300]) }, all, 1e10);
    expect(s.accepted).toBe(false);
    expect(s.halvings).toBe(GD_MAX_HALVINGS);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThan(GD_MAX_HALVINGS + 1);
  });
});
