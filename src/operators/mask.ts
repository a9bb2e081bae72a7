/**
 * Inpainting masks: the observation operator that keeps the observed entries of a signal (or of a
 * flattened image) and loses the others.
 *
 * Two forms, chosen by `keep`:
 * - 'zero' (default): y = m .* x, output of the same length n with the missing entries set to 0.
 *   A diagonal 0/1 projection: self-adjoint, A^T A = A, and images keep their shape, so the
 *   observation can be displayed as the image with holes.
 * - 'subsample': y = x[observed], only the observed entries (outputSize = number of observed
 *   entries, in increasing index order): a row subsampling of the identity. The adjoint puts the
 *   entries back in place and zeros elsewhere.
 * Both give the same least-squares data term when the missing entries of y are 0. Norms are exact:
 * 1, or 0 when nothing is observed.
 *
 * @module
 */
import { checkOneOf, Got, isArray, rangeError, typeError } from '../validate/index.js';
import { Tensor, unsafeData } from '../tensor/tensor.js';
import { defineOperator, exactNorm, type KernelOperator } from './define.js';

/** Options of {@link maskOperator}. */
export interface MaskOptions {
  /** 'zero' (default): zero the missing entries, output length n; 'subsample': output the observed entries only. */
  keep?: 'zero' | 'subsample';
}

/** A mask operator, with the observed positions it keeps. */
export interface MaskOperator extends KernelOperator {
  /** Indices of the observed entries, increasing. */
  readonly observed: readonly number[];
}

/** The observed flags of a mask given as a 0/1 tensor or an array of booleans (checked). */
function readMask(fn: string, mask: unknown): boolean[] {
  const requirement = 'a non-empty tensor of rank 1 with entries 0 or 1, or an array of booleans';
  if (mask instanceof Tensor) {
    if (mask.rank !== 1 || mask.size < 1) rangeError(fn, 'mask', requirement, mask);
    const d = unsafeData(mask);
    const flags: boolean[] = [];
    for (let i = 0; i < d.length; i++) {
      if (d[i] !== 0 && d[i] !== 1)
        rangeError(
          fn,
          'mask',
          requirement,
          new Got(`${d[i]} at index ${i} of a tensor of shape [${d.length}]`),
        );
      flags.push(d[i] === 1);
    }
    return flags;
  }
  if (!isArray(mask)) typeError(fn, 'mask', requirement, mask);
  const arr = mask as unknown[];
  for (let i = 0; i < arr.length; i++) {
    if (typeof arr[i] !== 'boolean')
      typeError(
        fn,
        'mask',
        requirement,
        new Got(`${typeof arr[i]} at index ${i} of an array of length ${arr.length}`),
      );
  }
  if (arr.length < 1) rangeError(fn, 'mask', requirement, mask);
  return arr as boolean[];
}

/**
 * The inpainting operator of a mask (n entries; 1 or true = observed). With `keep: 'zero'`
 * (default) it is diag(mask), n -> n; with `keep: 'subsample'` it returns the observed entries
 * only, n -> (number observed). The observed indices are exposed as `observed`. Norm exactly 1
 * (0 when nothing is observed).
 */
export function maskOperator(mask: Tensor | readonly boolean[], options: MaskOptions = {}): MaskOperator {
  const fn = 'maskOperator';
  const flags = readMask(fn, mask);
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const keep = checkOneOf(fn, 'keep', options.keep ?? 'zero', ['zero', 'subsample'] as const);
  const n = flags.length;
  const observed: number[] = [];
  flags.forEach((f, i) => f && observed.push(i));
  const idx = Int32Array.from(observed);
  const k = idx.length;
  const norm = () => exactNorm(k > 0 ? 1 : 0);
  const name = `mask(${k} of ${n}, ${keep})`;
  if (keep === 'zero') {
    const multiply = (x: Float64Array, xOffset: number, out: Float64Array, outOffset: number) => {
      out.fill(0, outOffset, outOffset + n);
      for (let j = 0; j < k; j++) out[outOffset + idx[j]] = x[xOffset + idx[j]];
    };
    const op = defineOperator({
      fn,
      name,
      inputSize: n,
      outputSize: n,
      applyRow: multiply,
      adjointRow: multiply,
      norm,
    });
    return Object.freeze({ ...op, observed: Object.freeze(observed) });
  }
  const op = defineOperator({
    fn,
    name,
    inputSize: n,
    outputSize: k,
    applyRow: (x, xOffset, out, outOffset) => {
      for (let j = 0; j < k; j++) out[outOffset + j] = x[xOffset + idx[j]];
    },
    adjointRow: (y, yOffset, out, outOffset) => {
      out.fill(0, outOffset, outOffset + n);
      for (let j = 0; j < k; j++) out[outOffset + idx[j]] = y[yOffset + j];
    },
    norm,
  });
  return Object.freeze({ ...op, observed: Object.freeze(observed) });
}
