/**
 * The regularisation weight lambda of a batch of problems: one number for every sample, or one
 * per sample (a tensor of shape [N] for N samples), each finite and >= 0. Checked once at the
 * public boundary; kernels then read sample i's weight as `lambda[lambda.length === 1 ? 0 : i]`.
 *
 * @module
 */
import { checkFinite, checkNumber, Got, rangeError, typeError } from '../validate/index.js';
import { Tensor, unsafeData } from '../tensor/tensor.js';

/** A regularisation weight: one number for all samples, or a tensor of shape [N] (one per sample). */
export type Lambda = number | Tensor;

/**
 * Checks `lambda` for a batch of `samples` problems and returns its values: a buffer of length 1
 * (one weight for all) or of length `samples` (one each), read-only for the caller.
 *
 * Messages follow the template, e.g. `lassoObjective: argument 'lambda' must be a finite number
 * >= 0. Got -1.` for a bad number and `... must be a finite number >= 0 or a tensor of shape [3]
 * (one per sample). Got a tensor of shape [2].` for a tensor of the wrong shape.
 */
export function checkLambda(fn: string, lambda: unknown, samples: number): Float64Array {
  if (typeof lambda === 'number') return Float64Array.of(checkNumber(fn, 'lambda', lambda, { min: 0 }));
  const requirement = `a finite number >= 0 or a tensor of shape [${samples}] (one per sample)`;
  if (!(lambda instanceof Tensor)) typeError(fn, 'lambda', requirement, lambda);
  if (lambda.rank !== 1 || lambda.shape[0] !== samples) rangeError(fn, 'lambda', requirement, lambda);
  checkFinite(fn, 'lambda', lambda);
  const values = unsafeData(lambda);
  for (let i = 0; i < values.length; i++) {
    // -0 passes: it is the weight 0.
    if (values[i] < 0)
      rangeError(fn, 'lambda', 'a tensor of values >= 0', new Got(`${values[i]} at index ${i}`));
  }
  return values;
}

/** The weight of sample i in a buffer returned by {@link checkLambda} (length 1 or one per sample). */
export function lambdaAt(lambda: Float64Array, i: number): number {
  return lambda[lambda.length === 1 ? 0 : i];
}
