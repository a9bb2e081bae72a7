/**
 * The synthesis Lasso, per sample F(z) = 1/2 ||y - A z||^2 + lambda ||z||_1 (no 1/n factor), on a
 * batch of signals Y (N, n) and codes Z (N, m), with A a dense matrix (n, m) or a LinearOperator.
 *
 * Duality gap (benchopt / celer style). The dual of the Lasso is
 *
 *     max_theta D(theta) = 1/2 ||y||^2 - 1/2 ||y - theta||^2   s.t.  ||A^T theta||_inf <= lambda,
 *
 * and weak duality gives F(z) - F* <= F(z) - D(theta) for every feasible theta. The dual point is
 * the residual r = y - A z rescaled into the feasible set: theta = r / s with
 * s = max(1, ||A^T r||_inf / lambda). At a solution z*, r* is the dual solution (A^T r* lies in
 * lambda times the subdifferential of ||.||_1), so s = 1 and the gap is 0.
 *
 * How the gap is computed. With c = A^T r and y = r + A z, the gap expands to
 *
 *     F(z) - D(r / s) = 1/2 ||r||^2 (1 - 1/s)^2 + sum_j (lambda |z_j| - z_j c_j / s),
 *
 * a sum of terms that are each >= 0 (|c_j| / s <= lambda), evaluated so that they stay >= 0 in
 * floating point: the reported gap is never negative and has no cancellation between two large
 * numbers; it is exactly 0 at z = 0 when lambda >= lambdaMax. Only row norms and one pass over
 * R, C and Z are needed once R and C = R A are known, which a solver usually has at hand:
 * {@link lassoGapInto} is that O(N (n + m)) kernel. The dual value is reported as primal - gap.
 *
 * lambda = 0 (least squares). The dual feasible set is then {theta : A^T theta = 0}. The rescaling
 * gives theta = 0 (s = infinity) unless A^T r = 0 exactly, so the gap is F(z) = 1/2 ||r||^2: still
 * a valid bound on F(z) - F*, but it reaches 0 only when the least-squares residual is 0 (a
 * consistent system). If A^T r = 0 exactly, theta = r and the gap is 0, which is right: z is then a
 * least-squares solution. For an inconsistent least-squares problem use another stopping rule (the
 * gradient norm ||A^T r||).
 *
 * @module
 */
import { checkTensor } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { dotRaw, normInfRaw, norm1Raw, rowNormsInfInto } from '../linalg/norms.js';
import {
  checkForwardModel,
  correlationRows,
  residualRows,
  type ForwardModel,
  type ModelSizes,
} from './forward-model.js';
import { checkLambda, lambdaAt, type Lambda } from './lambda.js';
import { batchObjective, dualityGap, type BatchObjective, type DualityGap } from './report.js';

/** The Lasso duality gap of a batch, with the dual points. */
export interface LassoDualityGap extends DualityGap {
  /** The dual points theta_i = r_i / max(1, ||A^T r_i||_inf / lambda_i), one per row, shape (N, n). */
  theta: Tensor;
}

/**
 * out[i] = 1/2 ||r_i||^2 + lambda_i ||z_i||_1: the Lasso objective of each sample from its
 * residual R = Y - Z A^T (N x n) and codes Z (N x m), row-major. `lambda` has length 1 (shared) or
 * N. Writes `out[0 .. N)` only; allocates nothing. Unchecked.
 */
export function lassoObjectiveInto(
  r: Float64Array,
  z: Float64Array,
  N: number,
  n: number,
  m: number,
  lambda: Float64Array,
  out: Float64Array,
): void {
  for (let i = 0; i < N; i++) {
    const ro = i * n;
    out[i] = 0.5 * dotRaw(r, ro, r, ro, n) + lambdaAt(lambda, i) * norm1Raw(z, i * m, m);
  }
}

/**
 * The Lasso duality gap of each sample from precomputed products: the residual R = Y - Z A^T
 * (N x n), the correlation C = R A (N x m, row i is A^T r_i) and the codes Z (N x m), row-major.
 * `lambda` has length 1 (shared) or N.
 *
 * Writes `primal[i]` = F(z_i), `gap[i]` (>= 0, see the module notes), `dual[i]` = primal - gap and,
 * when given, `scale[i]` = 1 / max(1, ||c_i||_inf / lambda_i), so that theta_i = scale[i] * r_i (0
 * when lambda_i = 0 and c_i != 0). Allocates nothing; O(N (n + m)). Unchecked: non-finite inputs
 * give NaN gaps.
 */
export function lassoGapInto(
  r: Float64Array,
  c: Float64Array,
  z: Float64Array,
  N: number,
  n: number,
  m: number,
  lambda: Float64Array,
  primal: Float64Array,
  dual: Float64Array,
  gap: Float64Array,
  scale?: Float64Array,
): void {
  for (let i = 0; i < N; i++) {
    const lam = lambdaAt(lambda, i);
    const ro = i * n;
    const zo = i * m;
    const rr = dotRaw(r, ro, r, ro, n);
    const cInf = normInfRaw(c, zo, m);
    let l1 = 0;
    let slack = 0; // sum_j lambda |z_j| - z_j c_j / s, each term >= 0
    let scaleI = 1; // theta = scaleI * r, scaleI = 1 / max(1, cInf / lambda)
    if (cInf <= lam) {
      // theta = r is feasible: |c_j| <= lambda, so fl(|z_j c_j|) <= fl(lambda |z_j|) term by term.
      for (let j = zo; j < zo + m; j++) {
        const zj = z[j];
        if (zj === 0) continue;
        const az = Math.abs(zj);
        l1 += az;
        slack += lam * az - zj * c[j];
      }
    } else {
      // |c_j| scaleI = lambda |c_j| / cInf; q = c_j / cInf lies in [-1, 1] exactly after rounding.
      scaleI = lam / cInf;
      let weighted = 0;
      for (let j = zo; j < zo + m; j++) {
        const zj = z[j];
        if (zj === 0) continue;
        const az = Math.abs(zj);
        const q = c[j] / cInf;
        l1 += az;
        weighted += az * (zj > 0 ? 1 - q : 1 + q);
      }
      slack = lam * weighted;
    }
    const shrink = 1 - scaleI;
    const p = 0.5 * rr + lam * l1;
    const g = 0.5 * rr * shrink * shrink + slack;
    primal[i] = p;
    gap[i] = g;
    dual[i] = p - g;
    if (scale !== undefined) scale[i] = scaleI;
  }
}

/** Checks A, Y (N, n) and Z (N, m) of a Lasso function; returns the model sizes. */
function checkProblem(fn: string, a: unknown, y: unknown, z: unknown): ModelSizes {
  const sizes = checkForwardModel(fn, 'a', a);
  const ty = checkTensor(fn, 'y', y, { shape: [-1, sizes.n] });
  checkTensor(fn, 'z', z, { shape: [ty.shape[0], sizes.m] });
  return sizes;
}

/**
 * The Lasso objective F(z_i) = 1/2 ||y_i - A z_i||^2 + lambda_i ||z_i||_1 of each sample, and
 * its mean, for A (n, m) (a matrix or a LinearOperator), signals Y (N, n), codes Z (N, m) and
 * lambda >= 0 (one number, or a tensor of shape [N]).
 */
export function lassoObjective(a: ForwardModel, y: Tensor, z: Tensor, lambda: Lambda): BatchObjective {
  const fn = 'lassoObjective';
  const { n, m } = checkProblem(fn, a, y, z);
  const N = y.shape[0];
  const lam = checkLambda(fn, lambda, N);
  const r = residualRows(a, y, z);
  const out = new Float64Array(N);
  lassoObjectiveInto(r, unsafeData(z), N, n, m, lam, out);
  return batchObjective(out);
}

/**
 * The gradient of the smooth part 1/2 ||y - A z||^2 of each sample, A^T (A z_i - y_i), one row per
 * sample: a tensor (N, m) for A (n, m), Y (N, n) and Z (N, m).
 */
export function lassoGradient(a: ForwardModel, y: Tensor, z: Tensor): Tensor {
  const fn = 'lassoGradient';
  const sizes = checkProblem(fn, a, y, z);
  const N = y.shape[0];
  const r = residualRows(a, y, z);
  for (let k = 0; k < r.length; k++) r[k] = -r[k]; // A z - y: the gradient is then (A z - y) A
  return correlationRows(a, r, N, sizes);
}

/**
 * lambdaMax(y_i) = ||A^T y_i||_inf for each sample: the smallest lambda for which z = 0 solves the
 * Lasso (z = 0 is optimal iff lambda >= lambdaMax). A tensor [N] for A (n, m) and Y (N, n).
 */
export function lambdaMax(a: ForwardModel, y: Tensor): Tensor {
  const fn = 'lambdaMax';
  const sizes = checkForwardModel(fn, 'a', a);
  checkTensor(fn, 'y', y, { shape: [-1, sizes.n] });
  const N = y.shape[0];
  // A^T y through the same product as the gap's A^T r, so that z = 0 gives the same bits.
  const c = correlationRows(a, unsafeData(y), N, sizes);
  const out = new Float64Array(N);
  rowNormsInfInto(unsafeData(c), N, sizes.m, out);
  return wrap(out, [N]);
}

/**
 * The Lasso duality gap of each sample at codes Z (N, m), for A (n, m) (a matrix or a
 * LinearOperator), signals Y (N, n) and lambda >= 0 (one number, or a tensor of shape [N]).
 *
 * The dual point of sample i is theta_i = r_i / max(1, ||A^T r_i||_inf / lambda_i) with
 * r_i = y_i - A z_i, its dual value D(theta) = 1/2 ||y||^2 - 1/2 ||y - theta||^2, and the gap
 * F(z_i) - D(theta_i) >= F(z_i) - F*_i >= 0; see the module notes for how it is computed and for
 * lambda = 0. Returns the per-sample primal, dual and gap, their means, the largest gap, and the
 * dual points theta (N, n).
 */
export function lassoDualityGap(a: ForwardModel, y: Tensor, z: Tensor, lambda: Lambda): LassoDualityGap {
  const fn = 'lassoDualityGap';
  const sizes = checkProblem(fn, a, y, z);
  const { n, m } = sizes;
  const N = y.shape[0];
  const lam = checkLambda(fn, lambda, N);
  const r = residualRows(a, y, z);
  const c = correlationRows(a, r, N, sizes);
  const primal = new Float64Array(N);
  const dual = new Float64Array(N);
  const gap = new Float64Array(N);
  const scale = new Float64Array(N);
  lassoGapInto(r, unsafeData(c), unsafeData(z), N, n, m, lam, primal, dual, gap, scale);
  // r is no longer needed (and the operator's adjoint has already run): rescale it into theta.
  for (let i = 0; i < N; i++) {
    const s = scale[i];
    if (s !== 1) for (let k = i * n; k < (i + 1) * n; k++) r[k] *= s;
  }
  return { ...dualityGap(primal, dual, gap), theta: wrap(r, [N, n]) };
}
