/**
 * The Gaussian compressed-sensing operator: a dense n x m matrix with independent N(0, 1/n)
 * entries (columns of expected unit norm, the ALISTA setting A ~ N(0, 1/M)).
 *
 * @module
 */
import { checkInteger } from '../validate/index.js';
import { gaussianMatrix } from '../random/sample.js';
import { toRng, type RandomSource } from '../random/rng.js';
import { denseOperator, type MatrixOperator } from './matrix.js';

/**
 * A seeded Gaussian sensing operator A (n, m) with entries N(0, 1/n) (not normalised), as a
 * dense operator exposing `matrix`. The same seed gives the same matrix (gaussianMatrix with
 * `unitColumns: false`). Norm by power iteration (about 1 + sqrt(m / n) for large sizes).
 */
export function gaussianSensingOperator(seed: RandomSource, n: number, m: number): MatrixOperator {
  const fn = 'gaussianSensingOperator';
  const rng = toRng(fn, seed);
  checkInteger(fn, 'n', n, { min: 1 });
  checkInteger(fn, 'm', m, { min: 1 });
  const a = gaussianMatrix(rng, n, m, { unitColumns: false, std: 1 / Math.sqrt(n) });
  return denseOperator(fn, `gaussianSensing(${n}x${m})`, a);
}
