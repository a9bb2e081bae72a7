/**
 * Adam (Kingma & Ba 2015): per-coordinate steps scaled by running estimates of the first and
 * second moments of the gradient, with bias correction.
 *
 * The optimiser state is one pair of Float64Arrays per parameter name, allocated once; a step
 * allocates only the new (immutable) parameter tensors.
 *
 * @module
 */
import { unsafeData, wrap } from '../tensor/tensor.js';
import type { NamedTensors } from '../unrolled/model-types.js';
import type { Tensor } from '../tensor/tensor.js';

/** Adam's constants: the usual defaults of the paper. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-8;

/** Adam's state over a fixed set of named parameters. */
export class Adam {
  readonly #names: readonly string[];
  readonly #m: Float64Array[];
  readonly #v: Float64Array[];
  #t = 0;

  /** Zero moments shaped like `params` (its names, in their order, are the ones stepped). */
  constructor(params: NamedTensors) {
    this.#names = Object.keys(params);
    this.#m = this.#names.map((k) => new Float64Array(params[k].size));
    this.#v = this.#names.map((k) => new Float64Array(params[k].size));
  }

  /** Number of steps taken. */
  get steps(): number {
    return this.#t;
  }

  /**
   * One step of size `lr` from `params` along `grad` (same names and sizes); returns the new
   * parameters and updates the moments.
   */
  step(params: NamedTensors, grad: NamedTensors, lr: number): NamedTensors {
    this.#t++;
    const c1 = 1 - ADAM_BETA1 ** this.#t;
    const c2 = 1 - ADAM_BETA2 ** this.#t;
    const out: Record<string, Tensor> = {};
    for (let k = 0; k < this.#names.length; k++) {
      const name = this.#names[k];
      const p = unsafeData(params[name]);
      const g = unsafeData(grad[name]);
      const m = this.#m[k];
      const v = this.#v[k];
      const next = new Float64Array(p.length);
      for (let i = 0; i < p.length; i++) {
        const gi = g[i];
        m[i] = ADAM_BETA1 * m[i] + (1 - ADAM_BETA1) * gi;
        v[i] = ADAM_BETA2 * v[i] + (1 - ADAM_BETA2) * gi * gi;
        next[i] = p[i] - (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + ADAM_EPSILON);
      }
      out[name] = wrap(next, params[name].shape);
    }
    return out;
  }
}
