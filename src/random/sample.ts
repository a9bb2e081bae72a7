/**
 * Random tensors: uniform, normal, Bernoulli-Gaussian sparse codes, Gaussian dictionaries with
 * unit-norm columns, permutations. Each takes a seed or an Rng (see {@link RandomSource}).
 *
 * @module
 */
import { checkInteger, checkNumber, checkShape } from '../validate/index.js';
import { shapeSize, wrap, type Shape, type Tensor } from '../tensor/tensor.js';
import { toRng, type RandomSource } from './rng.js';

/** Entries uniform in [low, high). */
export function uniform(source: RandomSource, shape: Shape, low = 0, high = 1): Tensor {
  const rng = toRng('uniform', source);
  checkShape('uniform', 'shape', shape);
  checkNumber('uniform', 'low', low);
  checkNumber('uniform', 'high', high, { min: low });
  const out = new Float64Array(shapeSize(shape));
  for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * rng.uniform();
  return wrap(out, shape);
}

/** Entries normal with the given mean and standard deviation. */
export function normal(source: RandomSource, shape: Shape, mean = 0, std = 1): Tensor {
  const rng = toRng('normal', source);
  checkShape('normal', 'shape', shape);
  checkNumber('normal', 'mean', mean);
  checkNumber('normal', 'std', std, { min: 0 });
  const out = new Float64Array(shapeSize(shape));
  for (let i = 0; i < out.length; i++) out[i] = mean + std * rng.normal();
  return wrap(out, shape);
}

/**
 * Bernoulli-Gaussian sparse codes: each entry is non-zero with probability `p`, and then
 * normal N(0, std^2). The classic synthetic model of sparse coding (e.g. ALISTA uses p = 0.1).
 * Shape (N, m) gives N codes of length m.
 */
export function bernoulliGaussian(source: RandomSource, shape: Shape, p: number, std = 1): Tensor {
  const rng = toRng('bernoulliGaussian', source);
  checkShape('bernoulliGaussian', 'shape', shape);
  checkNumber('bernoulliGaussian', 'p', p, { min: 0, max: 1 });
  checkNumber('bernoulliGaussian', 'std', std, { min: 0 });
  const out = new Float64Array(shapeSize(shape));
  for (let i = 0; i < out.length; i++) {
    // Draw the Bernoulli first, then the value only when active: streams stay aligned by entry.
    if (rng.uniform() < p) out[i] = std * rng.normal();
  }
  return wrap(out, shape);
}

/** Options of {@link gaussianMatrix}. */
export interface GaussianMatrixOptions {
  /** Scale every column to unit l2 norm (default true: a dictionary of normalised atoms). */
  unitColumns?: boolean;
  /** Standard deviation of the entries when columns are not normalised (default 1/sqrt(rows)). */
  std?: number;
}

/**
 * A Gaussian matrix (rows, cols), by default with unit-norm columns: the usual random
 * dictionary / sensing matrix A (n, m) whose columns are atoms.
 */
export function gaussianMatrix(
  source: RandomSource,
  rows: number,
  cols: number,
  options: GaussianMatrixOptions = {},
): Tensor {
  const rng = toRng('gaussianMatrix', source);
  checkInteger('gaussianMatrix', 'rows', rows, { min: 1 });
  checkInteger('gaussianMatrix', 'cols', cols, { min: 1 });
  const std = checkNumber('gaussianMatrix', 'std', options.std ?? 1 / Math.sqrt(rows), { min: 0 });
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = std * rng.normal();
  if (options.unitColumns ?? true) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += out[i * cols + j] ** 2;
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let i = 0; i < rows; i++) out[i * cols + j] *= inv;
    }
  }
  return wrap(out, [rows, cols]);
}

/** A uniformly random permutation of 0..n-1 (Fisher-Yates), e.g. to shuffle mini-batches. */
export function permutation(source: RandomSource, n: number): number[] {
  const rng = toRng('permutation', source);
  checkInteger('permutation', 'n', n, { min: 0 });
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return perm;
}
