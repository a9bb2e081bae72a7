/**
 * FISTA (Beck & Teboulle 2009) with the constant step 1/L, L = problem.lipschitz (an upper bound of
 * ||A||_2^2), on every sample of the batch at once:
 *
 *     x_k     = ST(y_k - (1/L) A^T (A y_k - y), lambda / L)
 *     t_(k+1) = (1 + sqrt(1 + 4 t_k^2)) / 2,                     t_1 = 1
 *     y_(k+1) = x_k + ((t_k - 1) / t_(k+1)) (x_k - x_(k-1)),     y_1 = x_0 = z0
 *
 * Without restart, F(x_k) - F* <= 2 L ||z0 - z*||^2 / (k + 1)^2 for every sample (their Theorem 4.4).
 * The objective is not monotone.
 *
 * Adaptive restart (O'Donoghue & Candes 2015, the gradient scheme), per sample: when the momentum
 * points against the descent direction, (y_k - x_k) . (x_k - x_(k-1)) > 0, that sample's momentum
 * is dropped (t_(k+1) = 1, y_(k+1) = x_k). The test costs O(m) per sample, no product (the function
 * scheme would need F(x_k), one more product per iteration). Samples restart independently: each
 * row of the batch is its own problem. Restart keeps FISTA's speed and recovers linear convergence
 * where the problem is locally strongly convex (once the support is identified); the O(1/k^2) bound
 * above is proved for the plain scheme only.
 *
 * The gradient at y_k uses the support-aware product: y_k lives on supp(x_k) and supp(x_(k-1)).
 *
 * @module
 */
import { checkBoolean, typeError } from '../validate/index.js';
import { wrap } from '../tensor/tensor.js';
import { lassoCertificate } from './lasso-certificate.js';
import type { LassoProblem } from './lasso-problem.js';
import { initialCodes, proxGradStepInto } from './ista.js';
import { inverseLipschitz } from './prox-grad-kernels.js';
import type { IterativeSolver, SolverState } from './types.js';

/** Options of {@link fistaSolver}. */
export interface FistaOptions {
  /** Adaptive restart per sample (gradient scheme of O'Donoghue & Candes). Default false. */
  restart?: boolean;
}

/** FISTA's state: the iterate x_k, the extrapolated point y_(k+1) and the momentum t_(k+1) per sample. */
export interface FistaState extends SolverState {
  /** The current iterate x_k (N x m, row-major): the solution estimate. */
  readonly x: Float64Array;
  /** The point the next gradient step starts from (N x m). */
  readonly y: Float64Array;
  /** Momentum parameter t of each sample (1 at the start and after a restart). */
  readonly t: Float64Array;
  /** The step 1/L. */
  readonly step: number;
  /** Restarts so far, all samples together. */
  readonly restarts: number;
}

/** FISTA with step 1/L, with or without adaptive restart (see the module notes). */
export function fistaSolver(options: FistaOptions = {}): IterativeSolver<LassoProblem, FistaState> {
  const fn = 'fistaSolver';
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const restart = options.restart === undefined ? false : checkBoolean(fn, 'restart', options.restart);
  const name = restart ? 'fistaRestart' : 'fista';

  return {
    name,
    init(problem, warmStart) {
      const x = initialCodes(name, problem, warmStart);
      return {
        iteration: 0,
        x,
        y: x.slice(),
        t: new Float64Array(problem.N).fill(1),
        step: inverseLipschitz(problem.lipschitz),
        restarts: 0,
      };
    },
    step(problem, state) {
      const { N, n, m } = problem;
      const { x, y, t } = state;
      const xNext = new Float64Array(N * m);
      proxGradStepInto(problem, y, state.step, new Float64Array(N * n), xNext);
      const yNext = new Float64Array(N * m);
      const tNext = new Float64Array(N);
      let restarts = state.restarts;
      for (let i = 0; i < N; i++) {
        const o = i * m;
        if (restart) {
          let alignment = 0;
          for (let k = o; k < o + m; k++) alignment += (y[k] - xNext[k]) * (xNext[k] - x[k]);
          if (alignment > 0) {
            restarts++;
            tNext[i] = 1;
            for (let k = o; k < o + m; k++) yNext[k] = xNext[k];
            continue;
          }
        }
        const tk = t[i];
        const tk1 = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
        const beta = (tk - 1) / tk1;
        tNext[i] = tk1;
        for (let k = o; k < o + m; k++) yNext[k] = xNext[k] + beta * (xNext[k] - x[k]);
      }
      return { iteration: state.iteration + 1, x: xNext, y: yNext, t: tNext, step: state.step, restarts };
    },
    solution(problem, state) {
      return wrap(state.x.slice(), [problem.N, problem.m]);
    },
    certificate(problem, state) {
      return lassoCertificate(problem, state.x);
    },
  };
}

/** FISTA with step 1/L, no restart: the O(1/k^2) method of Beck & Teboulle. */
export const fista: IterativeSolver<LassoProblem, FistaState> = fistaSolver();

/** FISTA with step 1/L and per-sample adaptive restart (gradient scheme). */
export const fistaRestart: IterativeSolver<LassoProblem, FistaState> = fistaSolver({ restart: true });
