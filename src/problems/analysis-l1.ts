/**
 * The analysis-l1 (generalised Lasso) problem, per sample
 *
 *     P(x) = 1/2 ||y - A x||^2 + lambda ||Gamma x||_1,
 *
 * with A (p x d) and Gamma (k x d) linear operators; Gamma = finite differences gives total
 * variation, A = identity gives denoising. Batches are rows: Y (N, p), X (N, d), dual U (N, k).
 *
 * Fenchel dual. Write P(x) = f(x) + g(Gamma x) with f(x) = 1/2 ||y - A x||^2 and
 * g = lambda ||.||_1, whose conjugate g* is the indicator of the ball ||u||_inf <= lambda. The dual
 * is max_u D(u) = -f*(-Gamma^T u) over that ball, and P(x) >= D(u) for every x and every feasible u,
 * so gap(x, u) = P(x) - D(u) >= P(x) - P*. With M = A^T A and b = A^T y,
 *
 *     f*(v) = 1/2 (b + v)^T M^-1 (b + v) - 1/2 ||y||^2     (finite for every v when M is invertible),
 *     D(u)  = 1/2 ||y||^2 - 1/2 (b - Gamma^T u)^T M^-1 (b - Gamma^T u),
 *
 * which for A = identity is D(u) = 1/2 ||y||^2 - 1/2 ||y - Gamma^T u||^2. The primal point paired
 * with u is x(u) = argmin_x f(x) + <Gamma^T u, x> = M^-1 (b - Gamma^T u) (x(u) = y - Gamma^T u for
 * denoising); at a saddle point x* = x(u*) and the gap is 0.
 *
 * How the gap is computed. The Fenchel-Young inequalities of f and g split the gap into two terms
 * that are each >= 0:
 *
 *     gap(x, u) = 1/2 ||A (x - x(u))||^2 + sum_j (lambda |(Gamma x)_j| - (Gamma x)_j u_j),
 *
 * evaluated so that both stay >= 0 in floating point (no cancellation between P and D); the dual
 * value is reported as P - gap. For a u outside the ball, D(u) = -infinity and the gap is +infinity:
 * pass the solver's dual iterate through {@link analysisL1FeasibleDual} (a clip to the ball) first.
 *
 * Which A. When A has a non-trivial null space, f* is +infinity off range(A^T) and D(u) = -infinity
 * unless Gamma^T u lies in range(A^T), which a generic dual iterate never does: no cheap certificate
 * exists there (a restricted gap on a bounded set is not a bound on P(x) - P*). So the gap needs
 * either A = identity (pass `null`, the cheap case: one product with Gamma and one with Gamma^T per
 * evaluation) or A with full column rank (small problems): {@link analysisL1Problem} then forms
 * M = A^T A with d products and factors it once (O(d^2 p + d^3) time, d^2 memory), and each
 * evaluation costs two triangular solves per sample on top of the operator products.
 *
 * @module
 */
import { checkTensor, Got, rangeError, typeError } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { eye } from '../tensor/create.js';
import { gemmInto } from '../linalg/gemm.js';
import { choleskyInto, choleskySolveInPlace } from '../linalg/cholesky.js';
import { dotRaw, norm1Raw } from '../linalg/norms.js';
import type { LinearOperator } from '../operators/types.js';
import { checkOperator } from './forward-model.js';
import { checkLambda, lambdaAt, type Lambda } from './lambda.js';
import { batchObjective, dualityGap, type BatchObjective, type DualityGap } from './report.js';

/**
 * A pivot of the Cholesky factor of A^T A below this fraction of its diagonal entry means a
 * column of A within about 1e-6 (relative) of the span of the others: A is treated as rank deficient.
 */
const RANK_TOL = 1e-12;

/** The data of an analysis-l1 problem, checked and prepared once by {@link analysisL1Problem}. */
export class AnalysisL1Problem {
  /**
   * @internal Use {@link analysisL1Problem}, which checks the operators and factors A^T A.
   */
  constructor(
    /** The forward operator A (p x d), or null for the identity (denoising). */
    readonly a: LinearOperator | null,
    /** The analysis operator Gamma (k x d). */
    readonly gamma: LinearOperator,
    /** The Cholesky factor L of A^T A (d, d), null for the identity. */
    readonly gramFactor: Tensor | null,
  ) {}

  /** Length d of a signal x (inputSize of A and Gamma). */
  get signalSize(): number {
    return this.gamma.inputSize;
  }

  /** Length p of a measurement y (outputSize of A; d for the identity). */
  get measurementSize(): number {
    return this.a === null ? this.gamma.inputSize : this.a.outputSize;
  }

  /** Length k of a dual variable u (outputSize of Gamma). */
  get dualSize(): number {
    return this.gamma.outputSize;
  }
}

/**
 * Prepares the analysis-l1 problem 1/2 ||y - A x||^2 + lambda ||Gamma x||_1 for its objective and
 * duality gap. `a` is the forward operator, or `null` for the identity (denoising, the cheap case);
 * an operator must have full column rank, since the gap factors A^T A (see the module notes), and
 * is rejected with a RangeError otherwise. `gamma` is the analysis operator, e.g. finite differences.
 */
export function analysisL1Problem(a: LinearOperator | null, gamma: LinearOperator): AnalysisL1Problem {
  const fn = 'analysisL1Problem';
  const g = checkOperator(fn, 'gamma', gamma);
  if (a === null) return new AnalysisL1Problem(null, g, null);
  const op = checkOperator(fn, 'a', a);
  const d = g.inputSize;
  if (op.inputSize !== d)
    rangeError(
      fn,
      'a',
      `an operator with inputSize ${d} (the inputSize of gamma)`,
      new Got(`inputSize ${op.inputSize}`),
    );
  const p = op.outputSize;
  // Row j of A applied to the identity batch is (A e_j)^T, so the batch is A^T (d x p) and M = A^T A.
  const at = unsafeData(op.apply(eye(d)));
  const gram = new Float64Array(d * d);
  gemmInto(at, at, gram, d, p, d, false, true);
  const factor = new Float64Array(d * d);
  const failed = choleskyInto(gram, d, factor);
  const requirement = 'an operator with full column rank (A^T A positive definite), or null for the identity';
  if (failed >= 0) rangeError(fn, 'a', requirement, new Got(`a non-positive pivot at column ${failed}`));
  for (let j = 0; j < d; j++) {
    const pivot = factor[j * d + j];
    if (pivot * pivot <= RANK_TOL * gram[j * d + j])
      rangeError(fn, 'a', requirement, new Got(`column ${j} nearly in the span of the previous ones`));
  }
  return new AnalysisL1Problem(op, g, wrap(factor, [d, d]));
}

const PROBLEM_KIND = 'an AnalysisL1Problem (made by analysisL1Problem)';

/** Checks the problem and a batch X (N, d) with its measurements Y (N, p). */
function checkPrimal(fn: string, problem: unknown, y: unknown, x: unknown): AnalysisL1Problem {
  if (!(problem instanceof AnalysisL1Problem)) typeError(fn, 'problem', PROBLEM_KIND, problem);
  const ty = checkTensor(fn, 'y', y, { shape: [-1, problem.measurementSize] });
  checkTensor(fn, 'x', x, { shape: [ty.shape[0], problem.signalSize] });
  return problem;
}

/** A X (or X itself for the identity), read-only. */
function forward(problem: AnalysisL1Problem, x: Tensor): Float64Array {
  return problem.a === null ? unsafeData(x) : unsafeData(problem.a.apply(x));
}

/**
 * The primal objective of each sample, out[i] = 1/2 ||y_i - (A x)_i||^2 + lambda_i ||(Gamma x)_i||_1,
 * from row-major Y, A X (N x p) and Gamma X (N x k). Writes `out[0 .. N)` only.
 */
function primalInto(
  y: Float64Array,
  ax: Float64Array,
  gx: Float64Array,
  N: number,
  p: number,
  k: number,
  lambda: Float64Array,
  out: Float64Array,
): void {
  for (let i = 0; i < N; i++) {
    let rr = 0;
    for (let t = i * p; t < (i + 1) * p; t++) {
      const e = y[t] - ax[t];
      rr += e * e;
    }
    out[i] = 0.5 * rr + lambdaAt(lambda, i) * norm1Raw(gx, i * k, k);
  }
}

/**
 * The analysis-l1 objective P(x_i) = 1/2 ||y_i - A x_i||^2 + lambda_i ||Gamma x_i||_1 of each sample
 * and its mean, for signals X (N, d), measurements Y (N, p) and lambda >= 0 (one number, or a
 * tensor of shape [N]).
 */
export function analysisL1Objective(
  problem: AnalysisL1Problem,
  y: Tensor,
  x: Tensor,
  lambda: Lambda,
): BatchObjective {
  const fn = 'analysisL1Objective';
  const pr = checkPrimal(fn, problem, y, x);
  const N = y.shape[0];
  const lam = checkLambda(fn, lambda, N);
  const out = new Float64Array(N);
  const gx = unsafeData(pr.gamma.apply(x));
  primalInto(unsafeData(y), forward(pr, x), gx, N, pr.measurementSize, pr.dualSize, lam, out);
  return batchObjective(out);
}

/** x(u) = M^-1 (A^T y - Gamma^T u) per row (y - Gamma^T u for the identity): a fresh (N x d) buffer. */
function primalFromDualRows(problem: AnalysisL1Problem, y: Tensor, u: Tensor): Float64Array {
  const N = y.shape[0];
  const d = problem.signalSize;
  const gtu = unsafeData(problem.gamma.adjoint(u));
  const b = problem.a === null ? unsafeData(y) : unsafeData(problem.a.adjoint(y));
  const out = new Float64Array(N * d);
  for (let t = 0; t < out.length; t++) out[t] = b[t] - gtu[t];
  if (problem.gramFactor !== null) {
    const l = unsafeData(problem.gramFactor);
    for (let i = 0; i < N; i++) choleskySolveInPlace(l, d, d, out, i * d);
  }
  return out;
}

/**
 * The primal point paired with dual variables U (N, k): x(u) = argmin_x 1/2 ||y - A x||^2 +
 * <Gamma^T u, x> = (A^T A)^-1 (A^T y - Gamma^T u), which is y - Gamma^T u for denoising. At a dual
 * solution u* it is the solution x*. Returns X (N, d).
 */
export function analysisL1PrimalFromDual(problem: AnalysisL1Problem, y: Tensor, u: Tensor): Tensor {
  const fn = 'analysisL1PrimalFromDual';
  if (!(problem instanceof AnalysisL1Problem)) typeError(fn, 'problem', PROBLEM_KIND, problem);
  const ty = checkTensor(fn, 'y', y, { shape: [-1, problem.measurementSize] });
  checkTensor(fn, 'u', u, { shape: [ty.shape[0], problem.dualSize] });
  return wrap(primalFromDualRows(problem, y, u), [ty.shape[0], problem.signalSize]);
}

/**
 * The duality gap of each sample at primal points X (N, d) and dual points U (N, k), for
 * measurements Y (N, p) and lambda >= 0 (one number, or a tensor of shape [N]).
 *
 * gap(x, u) = P(x) - D(u) >= P(x) - P* for every u with ||u||_inf <= lambda; it is 0 at a saddle
 * point (x*, u*). A sample whose u leaves the ball has D(u) = -infinity and gap = +infinity: clip
 * dual iterates with {@link analysisL1FeasibleDual}. See the module notes for the formulas; both
 * terms of the gap are computed >= 0, and the dual value is reported as primal - gap.
 */
export function analysisL1DualityGap(
  problem: AnalysisL1Problem,
  y: Tensor,
  x: Tensor,
  u: Tensor,
  lambda: Lambda,
): DualityGap {
  const fn = 'analysisL1DualityGap';
  const pr = checkPrimal(fn, problem, y, x);
  const N = y.shape[0];
  const d = pr.signalSize;
  const p = pr.measurementSize;
  const k = pr.dualSize;
  checkTensor(fn, 'u', u, { shape: [N, k] });
  const lam = checkLambda(fn, lambda, N);

  const primal = new Float64Array(N);
  const gx = unsafeData(pr.gamma.apply(x));
  primalInto(unsafeData(y), forward(pr, x), gx, N, p, k, lam, primal);

  // First term: 1/2 ||A (x - x(u))||^2, from the difference computed in a fresh buffer.
  const diff = primalFromDualRows(pr, y, u);
  const xd = unsafeData(x);
  for (let t = 0; t < diff.length; t++) diff[t] = xd[t] - diff[t];
  const adiff = pr.a === null ? diff : unsafeData(pr.a.apply(wrap(diff, [N, d])));
  const aLen = pr.a === null ? d : p;
  const ud = unsafeData(u);

  const gap = new Float64Array(N);
  const dual = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const li = lambdaAt(lam, i);
    const ao = i * aLen;
    // Second term: each lambda |w_j| - w_j u_j >= 0 when |u_j| <= lambda (monotone rounding).
    let slack = 0;
    let feasible = true;
    for (let j = i * k; j < (i + 1) * k; j++) {
      const uj = ud[j];
      if (Math.abs(uj) > li) {
        feasible = false;
        break;
      }
      const wj = gx[j];
      slack += li * Math.abs(wj) - wj * uj;
    }
    gap[i] = feasible ? 0.5 * dotRaw(adiff, ao, adiff, ao, aLen) + slack : Infinity;
    dual[i] = primal[i] - gap[i];
  }
  return dualityGap(primal, dual, gap);
}

/**
 * The nearest dual-feasible point: each entry of U (N, k) clipped to [-lambda_i, lambda_i] (the
 * projection onto the ball ||u||_inf <= lambda of its sample), for lambda >= 0 one number or a
 * tensor of shape [N]. Feeds a primal-dual solver's dual iterate to {@link analysisL1DualityGap}.
 */
export function analysisL1FeasibleDual(u: Tensor, lambda: Lambda): Tensor {
  const fn = 'analysisL1FeasibleDual';
  checkTensor(fn, 'u', u, { rank: 2 });
  const [N, k] = u.shape;
  const lam = checkLambda(fn, lambda, N);
  const ud = unsafeData(u);
  const out = new Float64Array(N * k);
  for (let i = 0; i < N; i++) {
    const li = lambdaAt(lam, i);
    for (let t = i * k; t < (i + 1) * k; t++) out[t] = Math.min(li, Math.max(-li, ud[t]));
  }
  return wrap(out, [N, k]);
}
