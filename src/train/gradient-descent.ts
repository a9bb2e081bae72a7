/**
 * Full-batch gradient descent with backtracking: try p - s g; accept when the loss does not
 * increase, else halve s and try again; give up when the step no longer changes the parameters
 * or after {@link GD_MAX_HALVINGS} halvings. After an accepted step the trainer multiplies s up
 * ({@link GD_GROWTH}), so the step tracks the local curvature in both directions.
 *
 * @module
 */
import { unsafeData, wrap } from '../tensor/tensor.js';
import type { NamedTensors } from '../unrolled/model-types.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Objective } from './types.js';

/** The step is multiplied by this after an accepted step. */
export const GD_GROWTH = 2;
/** Halvings tried in one search before giving up (the step has shrunk by 2^-60: converged). */
export const GD_MAX_HALVINGS = 60;

/** The outcome of one backtracking search. */
export interface BacktrackingStep {
  /** The accepted parameters (the given ones when nothing was accepted). */
  readonly params: NamedTensors;
  /** The loss at `params`. */
  readonly value: number;
  /** The step that was accepted (the last one tried when none was). */
  readonly step: number;
  /** How many times the step was halved. */
  readonly halvings: number;
  /**
   * False when no step was accepted: every step up to {@link GD_MAX_HALVINGS} halvings increased
   * the loss, or the step became too short to change the parameters (a stationary point, to
   * rounding).
   */
  readonly accepted: boolean;
}

/**
 * One backtracking search from `params` (loss `value`, gradient `grad`) on `rows`, starting at
 * step `step`. Trials are projected onto the feasible set; a trial whose loss is not finite counts
 * as an increase.
 */
export function backtrackingStep(
  objective: Objective,
  params: NamedTensors,
  value: number,
  grad: NamedTensors,
  rows: Int32Array,
  step: number,
): BacktrackingStep {
  let s = step;
  for (let halvings = 0; halvings <= GD_MAX_HALVINGS; halvings++) {
    const trial = descend(params, grad, s);
    if (trial !== null) {
      const p = objective.project(trial);
      // A step that rounds (or projects) to no change: shorter ones cannot do better.
      if (sameValues(p, params)) return { params, value, step: s, halvings, accepted: false };
      const v = objective.evaluate(p, rows, false).value;
      if (v <= value) return { params: p, value: v, step: s, halvings, accepted: true };
    }
    s /= 2;
  }
  return { params, value, step: s * 2, halvings: GD_MAX_HALVINGS, accepted: false };
}

/** Bitwise-equal values under every name of `b`. */
function sameValues(a: NamedTensors, b: NamedTensors): boolean {
  if (a === b) return true;
  for (const name of Object.keys(b)) {
    const x = unsafeData(a[name]);
    const y = unsafeData(b[name]);
    for (let i = 0; i < y.length; i++) if (!Object.is(x[i], y[i])) return false;
  }
  return true;
}

/** p - s g for every name of `params`, or null when an entry is not finite (a step too long). */
export function descend(params: NamedTensors, grad: NamedTensors, s: number): NamedTensors | null {
  const out: Record<string, Tensor> = {};
  for (const name of Object.keys(params)) {
    const p = unsafeData(params[name]);
    const g = unsafeData(grad[name]);
    const next = new Float64Array(p.length);
    for (let i = 0; i < p.length; i++) {
      const x = p[i] - s * g[i];
      if (!Number.isFinite(x)) return null;
      next[i] = x;
    }
    out[name] = wrap(next, params[name].shape);
  }
  return out;
}
