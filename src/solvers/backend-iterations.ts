/**
 * A fixed number of ISTA or FISTA iterations (step 1/L, no restart) on a compute backend
 * (src/backend): the inference path of the classical solvers on the CPU reference or on gpu.js.
 * A, Y and z_0 are uploaded once, the iterates stay on the device, and only the result (and with
 * `keepAll` every iterate) comes back. Each iteration is two kernels,
 *
 *     -R = Y - Z Aᵀ,    Z⁺ = ST(Z + (1/L)(-R) A, λ_i / L),
 *
 * plus FISTA's momentum Y_k = (1 + β) X_k - β X_(k-1) (β the same for every sample without
 * restart). There is no stopping test (a duality gap would cost a read-back per check); use
 * runSolver with ista / fista for certified convergence.
 *
 * @module
 */
import { checkBackend } from '../backend/check.js';
import { cpuBackend } from '../backend/cpu.js';
import type { Backend, DeviceMatrix, Thresholds } from '../backend/types.js';
import { wrap, type Tensor } from '../tensor/tensor.js';
import { checkBoolean, checkInteger, typeError } from '../validate/index.js';
import { initialCodes } from './ista.js';
import { LassoProblem } from './lasso-problem.js';
import { inverseLipschitz } from './prox-grad-kernels.js';

/** Options of {@link istaIterations}. */
export interface IstaIterationsOptions {
  /** The compute backend (default: the CPU reference, cpuBackend). */
  readonly backend?: Backend;
  /** FISTA's momentum (Beck & Teboulle, no restart) instead of plain ISTA (default false). */
  readonly accelerated?: boolean;
  /** Initial codes (N, m) (default zeros). */
  readonly warmStart?: Tensor;
  /** Also return every iterate z_1 .. z_T (default false). */
  readonly keepAll?: boolean;
}

/** What {@link istaIterations} returns. */
export interface IstaIterationsResult {
  /** The last iterate z_T (N, m) (FISTA: the iterate x_T, not the extrapolated point). */
  readonly Z: Tensor;
  /** With `keepAll`: z_1 .. z_T. */
  readonly iterates?: readonly Tensor[];
}

/** `iterations` >= 0 ISTA (or FISTA) iterations with step 1/L on `problem`, on a backend. */
export function istaIterations(
  problem: LassoProblem,
  iterations: number,
  options: IstaIterationsOptions = {},
): IstaIterationsResult {
  const fn = 'istaIterations';
  if (!(problem instanceof LassoProblem))
    typeError(fn, 'problem', 'a LassoProblem (from lassoProblem)', problem);
  const T = checkInteger(fn, 'iterations', iterations, { min: 0 });
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const backend =
    options.backend === undefined ? cpuBackend : checkBackend(fn, 'options.backend', options.backend);
  const accelerated =
    options.accelerated === undefined ? false : checkBoolean(fn, 'options.accelerated', options.accelerated);
  const keepAll =
    options.keepAll === undefined ? false : checkBoolean(fn, 'options.keepAll', options.keepAll);
  const { N, m } = problem;
  const z0 = wrap(initialCodes(fn, problem, options.warmStart), [N, m]);
  const step = inverseLipschitz(problem.lipschitz);

  const owned: DeviceMatrix[] = [];
  const keep = <X extends DeviceMatrix>(x: X): X => (owned.push(x), x);
  try {
    const a = keep(backend.upload(problem.A));
    const y = keep(backend.upload(problem.Y));
    // One level per sample (λ_i / L), or one number when every λ_i is the same.
    const lam = problem.lambdas;
    const uniform = lam.every((v) => v === lam[0]);
    const theta: Thresholds =
      uniform || N === 0
        ? { scale: step * (N === 0 ? 0 : lam[0]) }
        : { scale: step, rows: keep(backend.upload(wrap(lam.slice(), [N, 1]))) };
    let x = backend.upload(z0); // x_k (ISTA: z_k)
    let from = x; // the point the next step starts from (FISTA's y_k; ISTA: x_k)
    let t = 1;
    const iterates: Tensor[] = [];
    for (let k = 0; k < T; k++) {
      const negR = backend.affine(y, -1, from, a, true);
      const next = backend.shrinkAffine(from, step, negR, a, false, theta);
      backend.release(negR);
      if (from !== x) backend.release(from);
      if (accelerated) {
        const t1 = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
        const beta = (t - 1) / t1;
        from = backend.combine(1 + beta, next, -beta, x);
        t = t1;
      } else from = next;
      backend.release(x);
      x = next;
      if (keepAll) iterates.push(backend.download(x));
    }
    if (from !== x) backend.release(from);
    owned.push(x);
    const Z = keepAll && T > 0 ? iterates[T - 1] : backend.download(x);
    return keepAll ? { Z, iterates } : { Z };
  } finally {
    backend.release(...owned);
  }
}
