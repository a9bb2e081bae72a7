/**
 * Normalised mean squared error in decibels, as the LISTA literature reports code recovery
 * (Chen et al. 2018, Liu et al. 2019):
 *
 *     NMSE = 10 log10( sum_i ||z_i - z*_i||^2 / sum_i ||z*_i||^2 )
 *
 * the ratio of sums over samples (their E||x - x*||^2 / E||x*||^2), not the mean of per-sample
 * ratios: samples with small codes do not dominate, and a zero code among the targets is fine.
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor, Got, rangeError } from '../validate/index.js';

/**
 * NMSE in dB of estimated codes Z against true codes Ztrue (same shape, any rank; rows are
 * samples). Lower is better; -Infinity when Z equals Ztrue. Ztrue must have a non-zero entry
 * (otherwise the ratio is undefined).
 */
export function nmseDb(Z: Tensor, Ztrue: Tensor): number {
  const fn = 'nmseDb';
  checkTensor(fn, 'Z', Z);
  checkTensor(fn, 'Ztrue', Ztrue, { shape: Z.shape });
  const z = Z.data;
  const t = Ztrue.data;
  let error = 0;
  let energy = 0;
  for (let k = 0; k < z.length; k++) {
    const d = z[k] - t[k];
    error += d * d;
    energy += t[k] * t[k];
  }
  if (!(energy > 0)) rangeError(fn, 'Ztrue', 'a tensor with a non-zero entry', new Got('all zeros'));
  return 10 * Math.log10(error / energy);
}
