/**
 * The atom recovery score of a learned dictionary against a ground truth (Malezieux, Moreau &
 * Kowalski 2022): the atoms of both are normalised, every pair is scored by the absolute value of
 * its correlation |<d_j, d'_l>| / (||d_j|| ||d'_l||) (so the score ignores the sign and the scale
 * of atoms), the atoms are matched one to one so as to maximise the total score (the Hungarian
 * algorithm, linalg/hungarian), and the score is the mean correlation of the matched pairs.
 *
 * It is invariant to permutations and sign flips of the atoms, symmetric in its two arguments
 * (bit for bit when the optimal matching is unique: the matched correlations are summed in sorted
 * order), in [0, 1], and 1 (up to rounding) when every atom of the smaller dictionary is (up to sign and scale) an
 * atom of the other. With K != K' atoms, the min(K, K') atoms of the smaller dictionary are
 * matched and the mean is over those pairs, so extra atoms in the larger one are not penalised.
 * A zero atom has correlation 0 with everything.
 *
 * @module
 */
import { hungarianInto } from '../linalg/hungarian.js';
import { columnNormsInto } from './init.js';
import { unsafeData, type Tensor } from '../tensor/tensor.js';
import { checkTensor, rangeError } from '../validate/index.js';

/**
 * The recovery score of d (n x K) against t (n x Kt), row-major, unchecked (K, Kt >= 1).
 * Allocates O(K Kt).
 */
export function recoveryScoreRaw(d: Float64Array, t: Float64Array, n: number, K: number, Kt: number): number {
  const nd = new Float64Array(K);
  const nt = new Float64Array(Kt);
  columnNormsInto(d, n, K, nd);
  columnNormsInto(t, n, Kt, nt);
  // The smaller dictionary indexes the rows of the cost matrix (Hungarian needs rows <= cols).
  const swap = K > Kt;
  const rows = swap ? Kt : K;
  const cols = swap ? K : Kt;
  const corr = new Float64Array(K * Kt); // |corr(d_j, t_l)| at j * Kt + l
  for (let i = 0; i < n; i++) {
    const di = i * K;
    const ti = i * Kt;
    for (let j = 0; j < K; j++) {
      const x = d[di + j];
      if (x === 0) continue;
      const o = j * Kt;
      for (let l = 0; l < Kt; l++) corr[o + l] += x * t[ti + l];
    }
  }
  const cost = new Float64Array(rows * cols);
  for (let j = 0; j < K; j++) {
    for (let l = 0; l < Kt; l++) {
      const scale = nd[j] * nt[l];
      const c = scale > 0 ? Math.min(1, Math.abs(corr[j * Kt + l]) / scale) : 0;
      cost[swap ? l * cols + j : j * cols + l] = -c; // minimise the negated correlations
    }
  }
  const match = new Int32Array(rows);
  hungarianInto(cost, rows, cols, match);
  // Summed in sorted order, so that swapping the arguments gives the same bits.
  const matched = new Float64Array(rows);
  for (let r = 0; r < rows; r++) matched[r] = -cost[r * cols + match[r]];
  matched.sort();
  let total = 0;
  for (let r = 0; r < rows; r++) total += matched[r];
  return Math.min(1, Math.max(0, total / rows));
}

/**
 * The atom recovery score of a dictionary D (n, K) against a ground truth Dtrue (n, K'): the mean
 * absolute correlation of normalised atoms after the best one-to-one matching (Hungarian
 * algorithm). Invariant to permutation, sign and scale of atoms; symmetric; in [0, 1]. For
 * K != K' the min(K, K') atoms of the smaller dictionary are matched (see the module notes).
 */
export function recoveryScore(D: Tensor, Dtrue: Tensor): number {
  const fn = 'recoveryScore';
  checkTensor(fn, 'D', D, { rank: 2 });
  const [n, K] = D.shape;
  checkTensor(fn, 'Dtrue', Dtrue, { rank: 2, shape: [n, -1] });
  if (K < 1) rangeError(fn, 'D', 'a tensor of rank 2 with at least one column', D);
  const Kt = Dtrue.shape[1];
  if (Kt < 1) rangeError(fn, 'Dtrue', 'a tensor of rank 2 with at least one column', Dtrue);
  return recoveryScoreRaw(unsafeData(D), unsafeData(Dtrue), n, K, Kt);
}
