/**
 * ISTA with the constant step 1/L (Daubechies, Defrise & De Mol 2004; Beck & Teboulle 2009):
 *
 *     z_{k+1} = ST(z_k - (1/L) A^T (A z_k - y), lambda / L)
 *
 * on every sample of the batch at once, with L an upper bound of ||A||_2^2 (so the objective never
 * increases). The gradient uses the support-aware product when the codes are sparse, so an
 * iteration costs about nnz(Z) n + N n m instead of 2 N n m.
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import { sparseRowsTimesTInto } from '../linalg/sparse-rows.js';
import { softThresholdInto } from '../prox/soft-threshold.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../validate/index.js';
import { lassoCertificate } from './lasso-certificate.js';
import type { LassoProblem } from './lasso-problem.js';
import type { IterativeSolver, SolverState } from './types.js';

/** ISTA's state: the codes (N x m, row-major) and the step used. */
export interface IstaState extends SolverState {
  readonly z: Float64Array;
  readonly step: number;
}

/** Codes from a warm start (checked, copied) or zeros. */
export function initialCodes(fn: string, problem: LassoProblem, warmStart?: Tensor): Float64Array {
  if (warmStart === undefined) return new Float64Array(problem.N * problem.m);
  checkTensor(fn, 'warmStart', warmStart, { shape: [problem.N, problem.m] });
  return unsafeData(warmStart).slice();
}

/** Fraction of non-zeros under which Z A^T uses the support-aware product. */
const SPARSE_PRODUCT_DENSITY = 0.25;

/**
 * out = Z A^T - Y (the residual with the gradient's sign), choosing the support-aware product for
 * sparse codes. Writes `out` (N x n) only.
 */
export function forwardMinusYInto(problem: LassoProblem, z: Float64Array, out: Float64Array): void {
  const { N, n, m } = problem;
  let nnz = 0;
  for (let k = 0; k < z.length; k++) if (z[k] !== 0) nnz++;
  const a = unsafeData(problem.A);
  if (nnz < SPARSE_PRODUCT_DENSITY * z.length) sparseRowsTimesTInto(z, N, m, a, n, out);
  else gemmInto(z, a, out, N, m, n, false, true);
  const y = unsafeData(problem.Y);
  for (let k = 0; k < N * n; k++) out[k] -= y[k];
}

/**
 * One proximal-gradient step from `z` with step `t` into `out`:
 * out = ST(z - t A^T (A z - y), t lambda_i) per row. `residual` (N x n) is scratch.
 */
export function proxGradStepInto(
  problem: LassoProblem,
  z: Float64Array,
  t: number,
  residual: Float64Array,
  out: Float64Array,
): void {
  const { N, n, m } = problem;
  forwardMinusYInto(problem, z, residual);
  gemmInto(residual, unsafeData(problem.A), out, N, n, m, false, false); // out = (A z - y)^T A = gradient
  for (let k = 0; k < N * m; k++) out[k] = z[k] - t * out[k];
  softThresholdInto(out, problem.lambdas, m, t, out);
}

/** ISTA with step 1/L. */
export const ista: IterativeSolver<LassoProblem, IstaState> = {
  name: 'ista',
  init(problem, warmStart) {
    return { iteration: 0, z: initialCodes('ista', problem, warmStart), step: 1 / problem.lipschitz };
  },
  step(problem, state) {
    const next = new Float64Array(state.z.length);
    proxGradStepInto(problem, state.z, state.step, new Float64Array(problem.N * problem.n), next);
    return { iteration: state.iteration + 1, z: next, step: state.step };
  },
  solution(problem, state) {
    return wrap(state.z.slice(), [problem.N, problem.m]);
  },
  certificate(problem, state) {
    return lassoCertificate(problem, state.z);
  },
};
