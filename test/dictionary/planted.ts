/**
 * A planted dictionary-learning problem for the AM and K-SVD tests: a Gaussian dictionary with
 * unit-norm atoms and signals that are exact combinations of exactly `sparsity` of its atoms,
 * with coefficients of magnitude in [1, 2] and random signs (no noise).
 */
import { gaussianMatrix, Rng } from '../../src/random/index.js';
import { wrap, type Tensor } from '../../src/tensor/tensor.js';

export function plantedProblem(
  n: number,
  K: number,
  N: number,
  sparsity: number,
  seed: number,
): { D: Tensor; Y: Tensor; Z: Tensor } {
  const D = gaussianMatrix(seed, n, K);
  const rng = new Rng(seed + 1);
  const z = new Float64Array(N * K);
  for (let i = 0; i < N; i++) {
    const picked = new Set<number>();
    while (picked.size < sparsity) picked.add(rng.int(0, K - 1));
    for (const j of picked) z[i * K + j] = (rng.uniform() < 0.5 ? -1 : 1) * (1 + rng.uniform());
  }
  const d = D.data;
  const y = new Float64Array(N * n);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < K; j++) {
      const c = z[i * K + j];
      if (c !== 0) for (let t = 0; t < n; t++) y[i * n + t] += c * d[t * K + j];
    }
  }
  return { D, Y: wrap(y, [N, n]), Z: wrap(z, [N, K]) };
}

/** Column norms of a row-major (n, K) tensor. */
export function columnNorms(D: Tensor): number[] {
  const [n, K] = D.shape;
  const out = new Array<number>(K).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < K; j++) out[j] += D.data[i * K + j] ** 2;
  return out.map(Math.sqrt);
}
