/**
 * The Lasso objective of a dictionary and codes, and its analytic gradient with respect to the
 * dictionary at fixed codes. With signals Y (N, n), dictionary D (n, K) and codes Z (N, K):
 *
 *     F(D, Z) = 1/N sum_i ( 1/2 ||y_i - D z_i||² + λ ||z_i||₁ ),
 *     ∇_D F = 1/N sum_i (D z_i - y_i) z_iᵀ = (Z Dᵀ - Y)ᵀ Z / N       (shape (n, K)).
 *
 * At codes that minimise F(D, ·) exactly, this is also the gradient of the value function
 * D -> min_Z F(D, Z) (the envelope theorem; Danskin), the "analytic gradient" against which the
 * unrolled gradients are compared. The residual is formed with the support-aware product Z Dᵀ,
 * so the cost is O(N n nnz) plus, for the gradient, one product (n x N) (N x K).
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import { sparseRowsTimesInto, sparseRowsTimesTInto } from '../linalg/sparse-rows.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkNumber, checkTensor } from '../validate/index.js';

/**
 * Per-sample objectives 1/2 ||y_i - D z_i||² + λ ||z_i||₁ into out (length N), for D row-major
 * (n x K); r (N x n) receives the residuals Y - Z Dᵀ. Returns the mean. Unchecked; allocates
 * nothing.
 */
export function objectivesInto(
  d: Float64Array,
  y: Float64Array,
  z: Float64Array,
  N: number,
  n: number,
  K: number,
  lambda: number,
  r: Float64Array,
  out: Float64Array,
): number {
  sparseRowsTimesTInto(z, N, K, d, n, r);
  return fromProductInto(y, z, N, n, K, lambda, r, out);
}

/** {@link objectivesInto} for the dictionary given by its atoms as rows, dt = Dᵀ (K x n). */
export function objectivesAtomRowsInto(
  dt: Float64Array,
  y: Float64Array,
  z: Float64Array,
  N: number,
  n: number,
  K: number,
  lambda: number,
  r: Float64Array,
  out: Float64Array,
): number {
  sparseRowsTimesInto(z, N, K, dt, n, r);
  return fromProductInto(y, z, N, n, K, lambda, r, out);
}

/** The objectives from r = Z Dᵀ, which becomes the residual Y - Z Dᵀ. */
function fromProductInto(
  y: Float64Array,
  z: Float64Array,
  N: number,
  n: number,
  K: number,
  lambda: number,
  r: Float64Array,
  out: Float64Array,
): number {
  let total = 0;
  for (let i = 0; i < N; i++) {
    let rr = 0;
    const ro = i * n;
    for (let t = ro; t < ro + n; t++) {
      const e = y[t] - r[t];
      r[t] = e;
      rr += e * e;
    }
    let l1 = 0;
    const zo = i * K;
    for (let j = zo; j < zo + K; j++) l1 += Math.abs(z[j]);
    out[i] = 0.5 * rr + lambda * l1;
    total += out[i];
  }
  return N > 0 ? total / N : 0;
}

/** Checks (D, Y, Z) of the public functions; returns [N, n, K]. */
function checkTriple(fn: string, D: Tensor, Y: Tensor, Z: Tensor): [number, number, number] {
  checkTensor(fn, 'D', D, { rank: 2 });
  const [n, K] = D.shape;
  checkTensor(fn, 'Y', Y, { rank: 2, shape: [-1, n] });
  const N = Y.shape[0];
  checkTensor(fn, 'Z', Z, { rank: 2, shape: [N, K] });
  return [N, n, K];
}

/**
 * The mean Lasso objective 1/N sum_i 1/2 ||y_i - D z_i||² + λ ||z_i||₁ of the dictionary D (n, K)
 * and codes Z (N, K) on the signals Y (N, n) (0 for N = 0).
 */
export function dictionaryObjective(D: Tensor, Y: Tensor, Z: Tensor, lambda: number): number {
  const fn = 'dictionaryObjective';
  const [N, n, K] = checkTriple(fn, D, Y, Z);
  checkNumber(fn, 'lambda', lambda, { min: 0 });
  return objectivesInto(
    unsafeData(D),
    unsafeData(Y),
    unsafeData(Z),
    N,
    n,
    K,
    lambda,
    new Float64Array(N * n),
    new Float64Array(N),
  );
}

/**
 * The analytic gradient (Z Dᵀ - Y)ᵀ Z / N (n, K) of the mean objective with respect to D at fixed
 * codes Z: the gradient of the smooth part 1/N sum_i 1/2 ||y_i - D z_i||² (the l1 term does not
 * depend on D). Zero for N = 0.
 */
export function dictionaryGradient(D: Tensor, Y: Tensor, Z: Tensor): Tensor {
  const [N, n, K] = checkTriple('dictionaryGradient', D, Y, Z);
  const r = new Float64Array(N * n);
  const y = unsafeData(Y);
  sparseRowsTimesTInto(unsafeData(Z), N, K, unsafeData(D), n, r);
  for (let t = 0; t < N * n; t++) r[t] -= y[t];
  const g = new Float64Array(n * K);
  if (N > 0) {
    gemmInto(r, unsafeData(Z), g, n, N, K, true, false);
    for (let t = 0; t < n * K; t++) g[t] /= N;
  }
  return wrap(g, [n, K]);
}
