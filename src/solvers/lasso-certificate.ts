/**
 * The Lasso certificate of codes Z for a {@link LassoProblem}: mean objective and per-sample
 * duality gaps, from the residual R = Y - Z A^T and the correlation C = R A = -gradient (by the
 * cheapest route for sparse codes, see gradient.ts), then the O(N (n + m)) gap kernel of
 * problems/lasso.
 *
 * @module
 */
import { lassoGapInto } from '../problems/lasso.js';
import { forwardMinusYInto, lassoGradientInto } from './gradient.js';
import type { LassoProblem } from './lasso-problem.js';
import type { Certificate } from './types.js';

/** Mean objective and per-sample gaps of codes z (N x m, row-major). */
export function lassoCertificate(problem: LassoProblem, z: Float64Array): Certificate {
  const { N, n, m } = problem;
  const r = new Float64Array(N * n);
  const c = new Float64Array(N * m);
  // r = Y - Z A^T and c = A^T r = -gradient, sharing the residual when the gradient formed it.
  if (!lassoGradientInto(problem, z, r, c)) forwardMinusYInto(problem, z, r);
  for (let k = 0; k < N * n; k++) r[k] = -r[k];
  for (let k = 0; k < N * m; k++) c[k] = -c[k];
  const primal = new Float64Array(N);
  const dual = new Float64Array(N);
  const gaps = new Float64Array(N);
  lassoGapInto(r, c, z, N, n, m, problem.lambdas, primal, dual, gaps);
  let objective = 0;
  let maxGap = 0;
  let meanGap = 0;
  for (let i = 0; i < N; i++) {
    objective += primal[i];
    meanGap += gaps[i];
    if (gaps[i] > maxGap) maxGap = gaps[i];
  }
  if (Number.isNaN(meanGap)) maxGap = NaN; // some gap is NaN: never 'converged'
  return { meanObjective: N ? objective / N : 0, gaps, maxGap, meanGap: N ? meanGap / N : 0 };
}
