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
import { softThresholdInto } from '../prox/soft-threshold.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkTensor } from '../validate/index.js';
import { lassoCertificate } from './lasso-certificate.js';
import { lassoGradientInto } from './gradient.js';
import { inverseLipschitz } from './prox-grad-kernels.js';
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
  const { N, m } = problem;
  lassoGradientInto(problem, z, residual, out);
  for (let k = 0; k < N * m; k++) out[k] = z[k] - t * out[k];
  softThresholdInto(out, problem.lambdas, m, t, out);
}

/** ISTA with step 1/L. */
export const ista: IterativeSolver<LassoProblem, IstaState> = {
  name: 'ista',
  init(problem, warmStart) {
    return {
      iteration: 0,
      z: initialCodes('ista', problem, warmStart),
      step: inverseLipschitz(problem.lipschitz),
    };
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
