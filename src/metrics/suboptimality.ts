/**
 * Suboptimality: how far objective values F are above the optimal values F*, averaged over
 * samples. This is the y axis of the depth comparison of Ablin et al. (2019), F(z_t) - F*.
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkTensor, rangeError } from '../validate/index.js';

/**
 * The mean over samples of F_i - F*_i, for per-sample objectives F and optimal values F*
 * (tensors of shape [N], N >= 1). Not clamped: with F* from a solver stopped at a duality-gap
 * tolerance, a value slightly below 0 means F is within that tolerance of the optimum.
 */
export function suboptimality(F: Tensor, Fstar: Tensor): number {
  const fn = 'suboptimality';
  checkTensor(fn, 'F', F, { rank: 1 });
  if (F.size === 0) rangeError(fn, 'F', 'a tensor of shape [N] with N >= 1', F);
  checkTensor(fn, 'Fstar', Fstar, { shape: F.shape });
  const f = F.data;
  const s = Fstar.data;
  let sum = 0;
  for (let i = 0; i < f.length; i++) sum += f[i] - s[i];
  return sum / f.length;
}
