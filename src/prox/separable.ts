/**
 * The {@link ProxOperator} plumbing shared by the separable thresholds (soft, non-negative soft,
 * hard, elastic net, firm): each of them is an unchecked `*Into` kernel and its `*VjpInto` over a
 * hyper layout (`thresholds[b]` applies to the entries `[b * inner, (b + 1) * inner)`), plus the
 * value of its penalty. {@link separableProx} turns those into the checked operator: x, the hyper
 * `lambda` (>= 0, one number, one per sample or one per entry) and the scaling are checked once
 * with the messages of `fn` (the operator's name), the outputs are allocated and wrapped, and the
 * gradient w.r.t. lambda comes back in lambda's own shape.
 *
 * @module
 */
import { checkNumber, checkTensor } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkHyper } from './hyper.js';
import type { Hyper, ProxOperator, ProxVjp } from './types.js';

/** A threshold kernel: writes prox(x, λ, scaling) into `out`, λ in a hyper layout. Unchecked. */
export type SeparableKernel = (
  x: Float64Array,
  thresholds: Float64Array,
  inner: number,
  scaling: number,
  out: Float64Array,
) => void;

/**
 * The VJP of a {@link SeparableKernel}: writes gradInput and overwrites gradThresholds (one per
 * threshold). Unchecked.
 */
export type SeparableVjpKernel = (
  x: Float64Array,
  thresholds: Float64Array,
  inner: number,
  scaling: number,
  gradOutput: Float64Array,
  gradInput: Float64Array,
  gradThresholds: Float64Array,
) => void;

/** What makes one separable threshold: its name, its math, and any extra check of the scaling. */
export interface SeparableProxSpec {
  /** Name used in messages, e.g. 'softThreshold'. */
  name: string;
  /** Whether the penalty is convex. */
  convex: boolean;
  /** The prox kernel. */
  kernel: SeparableKernel;
  /** The VJP kernel. */
  vjpKernel: SeparableVjpKernel;
  /** The penalty g(x; λ) summed over all entries, λ in a checked hyper layout. */
  value: (data: Float64Array, thresholds: Float64Array, inner: number) => number;
  /** Checks the scaling; by default a finite number >= 0. */
  checkScaling?: (scaling: number) => void;
}

/** The checked prox operator of a separable threshold, with `prox`, `value` and `vjp`. */
export function separableProx(spec: SeparableProxSpec): Required<ProxOperator> {
  const { name, convex, kernel, vjpKernel, value: penalty } = spec;
  const checkScaling =
    spec.checkScaling ??
    ((scaling: number): void => {
      checkNumber(name, 'scaling', scaling, { min: 0 });
    });

  return {
    name,
    convex,

    prox(x: Tensor, lambda: Hyper, scaling = 1): Tensor {
      checkTensor(name, 'x', x);
      const layout = checkHyper(name, 'lambda', lambda, x, { min: 0 });
      checkScaling(scaling);
      const out = new Float64Array(x.size);
      kernel(unsafeData(x), layout.values, layout.inner, scaling, out);
      return wrap(out, x.shape);
    },

    value(x: Tensor, lambda: Hyper): number {
      checkTensor(name, 'x', x);
      const { values, inner } = checkHyper(name, 'lambda', lambda, x, { min: 0 });
      return penalty(unsafeData(x), values, inner);
    },

    vjp(x: Tensor, lambda: Hyper, scaling: number, gradOutput: Tensor): ProxVjp {
      checkTensor(name, 'x', x);
      const layout = checkHyper(name, 'lambda', lambda, x, { min: 0 });
      checkScaling(scaling);
      checkTensor(name, 'gradOutput', gradOutput, { shape: x.shape });
      const gradInput = new Float64Array(x.size);
      const gradLambda = new Float64Array(layout.values.length);
      vjpKernel(
        unsafeData(x),
        layout.values,
        layout.inner,
        scaling,
        unsafeData(gradOutput),
        gradInput,
        gradLambda,
      );
      return {
        gradInput: wrap(gradInput, x.shape),
        gradHyper: typeof lambda === 'number' ? gradLambda[0] : wrap(gradLambda, lambda.shape),
      };
    },
  };
}

/**
 * Σ_b thresholds[b] * blockSum(data, start_b, length_b) over the blocks of a hyper layout
 * (`thresholds[b]` applies to the entries `[b * inner, (b + 1) * inner)`): the value of a penalty
 * that is λ times a sum over entries, e.g. `blockSum = norm1Raw` for λ||x||_1.
 */
export function weightedBlockSum(
  data: Float64Array,
  thresholds: Float64Array,
  inner: number,
  blockSum: (data: Float64Array, start: number, length: number) => number,
): number {
  let total = 0;
  for (let b = 0, start = 0; start < data.length; b++, start += inner)
    total += thresholds[b] * blockSum(data, start, Math.min(inner, data.length - start));
  return total;
}
