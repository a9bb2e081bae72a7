/**
 * Training losses of unrolled networks, each with its gradient w.r.t. the codes (the input of
 * backwardNetwork in network.ts), in the batch-row form of DESIGN.md (codes Z (N, m), signals Y (N, n),
 * dictionary A (n, m)):
 *
 * - {@link unsupervisedLoss} (Ablin et al. 2019): the mean Lasso objective over the samples,
 *
 *       L(Z) = 1/N sum_i F(z_i),   F(z) = 1/2 ||y - A z||^2 + lambda ||z||_1,
 *
 *   with gradient 1/N [ (Z A^T - Y) A + lambda_i sign(Z) ] (row i scaled by its lambda_i). The l1
 *   part is not differentiable where an entry is 0: there sign(0) = 0 is used, a subgradient
 *   (the minimal-norm one), and the true derivative wherever every entry is nonzero.
 * - {@link supervisedLoss} (Liu et al. 2019): the mean squared error to target codes,
 *
 *       L(Z) = 1/N sum_i ||z_i - z*_i||^2     (no factor 1/2; not divided by m),
 *
 *   with gradient 2/N (Z - Z*).
 *
 * Both need at least one sample (a mean over no samples is undefined).
 *
 * @module
 */
import { checkLambda, lambdaAt, type Lambda } from '../problems/lambda.js';
import { gemmInto } from '../linalg/gemm.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkTensor, rangeError } from '../validate/index.js';

/** A loss value and its gradient w.r.t. the codes Z (shape (N, m)). */
export interface LossWithGrad {
  readonly value: number;
  readonly grad: Tensor;
}

function checkRows(fn: string, name: string, t: Tensor): void {
  if (t.shape[0] < 1) rangeError(fn, name, 'a tensor with at least one row (sample)', t);
}

/**
 * The mean Lasso objective 1/N sum_i F(z_i) of codes Z (N, m) for signals Y (N, n), the dictionary
 * A (n, m) and lambda >= 0 (one number, or a tensor of shape [N]), with its gradient w.r.t. Z
 * (sign(0) = 0 for the l1 part: a subgradient; see the module notes).
 */
export function unsupervisedLoss(A: Tensor, Y: Tensor, Z: Tensor, lambda: Lambda): LossWithGrad {
  const fn = 'unsupervisedLoss';
  const At = checkTensor(fn, 'A', A, { rank: 2 });
  const [n, m] = At.shape;
  const Yt = checkTensor(fn, 'Y', Y, { rank: 2, shape: [-1, n] });
  checkRows(fn, 'Y', Yt);
  const N = Yt.shape[0];
  const Zt = checkTensor(fn, 'Z', Z, { rank: 2, shape: [N, m] });
  const lam = checkLambda(fn, lambda, N);
  const a = unsafeData(At);
  const y = unsafeData(Yt);
  const z = unsafeData(Zt);
  const r = new Float64Array(N * n);
  gemmInto(z, a, r, N, m, n, false, true); // Z A^T
  for (let k = 0; k < N * n; k++) r[k] -= y[k];
  const grad = new Float64Array(N * m);
  gemmInto(r, a, grad, N, n, m, false, false); // (Z A^T - Y) A
  let total = 0;
  for (let i = 0; i < N; i++) {
    const li = lambdaAt(lam, i);
    let sq = 0;
    for (let k = i * n; k < (i + 1) * n; k++) sq += r[k] * r[k];
    let l1 = 0;
    for (let k = i * m; k < (i + 1) * m; k++) {
      const v = z[k];
      l1 += Math.abs(v);
      grad[k] = (grad[k] + li * (v > 0 ? 1 : v < 0 ? -1 : 0)) / N;
    }
    total += 0.5 * sq + li * l1;
  }
  return { value: total / N, grad: wrap(grad, [N, m]) };
}

/**
 * The mean squared error 1/N sum_i ||z_i - z*_i||^2 of codes Z (N, m) against targets Z* (N, m),
 * with its gradient 2/N (Z - Z*).
 */
export function supervisedLoss(Z: Tensor, target: Tensor): LossWithGrad {
  const fn = 'supervisedLoss';
  const Zt = checkTensor(fn, 'Z', Z, { rank: 2 });
  checkRows(fn, 'Z', Zt);
  const Tt = checkTensor(fn, 'target', target, { shape: Zt.shape });
  const N = Zt.shape[0];
  const z = Zt.data;
  const t = Tt.data;
  const grad = new Float64Array(z.length);
  let total = 0;
  for (let k = 0; k < z.length; k++) {
    const d = z[k] - t[k];
    total += d * d;
    grad[k] = (2 * d) / N;
  }
  return { value: total / N, grad: wrap(grad, Zt.shape) };
}
