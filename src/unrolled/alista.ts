/**
 * ALISTA (Liu, Chen, Wang & Yin, ICLR 2019): the weight matrix W is computed from the dictionary
 * alone, and each layer learns only a step γ and a threshold θ.
 *
 * **The analytic weight.** W (n, m) minimises the off-diagonal of Wᵀ A in Frobenius norm subject to
 * diag(Wᵀ A) = 1. The problem decouples over the columns w_j of W:
 *
 *     minimise Σ_{i≠j} (w_jᵀ a_i)²   subject to a_jᵀ w_j = 1.
 *
 * Since Σ_{i≠j} (w_jᵀ a_i)² = ||Aᵀ w_j||² - (a_jᵀ w_j)² = w_jᵀ M w_j - 1 on the constraint, with
 * M = A Aᵀ (n, n), this is minimise w_jᵀ M w_j subject to a_jᵀ w_j = 1. When A has full row rank
 * (so n <= m) M is positive definite, the problem is strictly convex, and the Lagrange condition
 * 2 M w_j = μ a_j with the constraint gives the unique minimiser
 *
 *     w_j = M⁻¹ a_j / (a_jᵀ M⁻¹ a_j).
 *
 * {@link alistaWeight} computes it with one Cholesky factorisation of M and m triangular solves,
 * rescales each column once more by 1 / (w_jᵀ a_j) so that the constraint holds to rounding, and
 * reports residuals computed afresh from the result: the constraint violation max_j |w_jᵀ a_j - 1|,
 * the objective ||offdiag(Wᵀ A)||_F, and the relative stationarity residual
 * max_j ||M w_j - (w_jᵀ M w_j) a_j|| / ||(w_jᵀ M w_j) a_j|| (zero exactly at the optimum, since the
 * KKT condition is M w_j ∝ a_j with the factor fixed by the constraint). This closed form is the
 * "convergent method with a reported residual" of the issue: it is exact up to rounding, and the
 * residuals say how close rounding left it. Rank-deficient A (including n > m) and zero columns
 * are rejected with a RangeError rather than regularised.
 *
 * **The layer.** In row form (codes Z (N, m), signals Y (N, n)):
 *
 *     H = (Z Aᵀ - Y) W,    P = Z - γ H,    Z⁺ = ST(P, θ)
 *
 * with hand-derived VJP, g = dLoss/dZ⁺, ĝ = g ⊙ 1[|P| > θ], S = ĝ Wᵀ (N, n):
 *
 *     dZ = ĝ - γ S A,   dY = γ S,   dγ = -<ĝ, H>,   dθ = -Σ sign(P) ĝ.
 *
 * At a kink (|P_k| = θ) the derivative of the open region (zero) is used; θ = 0 is the identity.
 * Support selection is not part of this layer.
 *
 * @module
 */
import { choleskyInto, choleskySolveInPlace } from '../linalg/cholesky.js';
import { gemmInto } from '../linalg/gemm.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkNumber, checkTensor, Got, rangeError, typeError } from '../validate/index.js';
import { checkLayerInput } from './checks.js';
import { stepThresholdForward, stepThresholdVjp } from './step-threshold.js';
import type { Layer, LayerInput } from './types.js';
import { alistaBackendLayer } from './backend-layers.js';

/** Default relative pivot tolerance below which A Aᵀ counts as singular. */
export const ALISTA_RANK_TOL = 1e-10;

/** Options of {@link alistaWeight}. */
export interface AlistaWeightOptions {
  /**
   * A is rejected as rank deficient when a squared Cholesky pivot of A Aᵀ falls below
   * rankTolerance times the largest diagonal entry of A Aᵀ (default {@link ALISTA_RANK_TOL}).
   */
  readonly rankTolerance?: number;
}

/** The analytic ALISTA weight and the residuals that certify it. */
export interface AlistaWeight {
  /** W (n, m): diag(Wᵀ A) = 1 and minimal off-diagonal of Wᵀ A in Frobenius norm. */
  readonly W: Tensor;
  /** max_j |w_jᵀ a_j - 1|, the constraint violation. */
  readonly constraintResidual: number;
  /** ||offdiag(Wᵀ A)||_F, the objective at W. */
  readonly offDiagonalNorm: number;
  /** max_j ||M w_j - (w_jᵀ M w_j) a_j|| / ||(w_jᵀ M w_j) a_j|| with M = A Aᵀ (KKT residual). */
  readonly stationarityResidual: number;
}

/** The ALISTA weight W = argmin ||offdiag(Wᵀ A)||_F s.t. diag(Wᵀ A) = 1, in closed form. */
export function alistaWeight(A: Tensor, options?: AlistaWeightOptions): AlistaWeight {
  const fn = 'alistaWeight';
  checkTensor(fn, 'A', A, { rank: 2 });
  let tol = ALISTA_RANK_TOL;
  if (options !== undefined) {
    if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
    if (options.rankTolerance !== undefined)
      tol = checkNumber(fn, 'options.rankTolerance', options.rankTolerance, { min: 0, max: 1 });
  }
  const [n, m] = A.shape;
  if (n === 0 || m === 0) rangeError(fn, 'A', 'a non-empty matrix', A);
  if (n > m) rangeError(fn, 'A', 'a matrix of full row rank (n <= m)', A);
  const a = unsafeData(A);

  // M = A Aᵀ and its Cholesky factor.
  const M = new Float64Array(n * n);
  gemmInto(a, a, M, n, m, n, false, true);
  let diagMax = 0;
  for (let i = 0; i < n; i++) diagMax = Math.max(diagMax, M[i * n + i]);
  const L = new Float64Array(n * n);
  const failed = choleskyInto(M, n, L);
  let minPivot2 = Infinity;
  if (failed < 0) for (let i = 0; i < n; i++) minPivot2 = Math.min(minPivot2, L[i * n + i] ** 2);
  if (failed >= 0 || !(minPivot2 > tol * diagMax))
    rangeError(
      fn,
      'A',
      'a matrix of full row rank',
      new Got(`a rank-deficient matrix of shape [${n}, ${m}] (A Aᵀ is singular to a relative ${tol})`),
    );

  // Columns of A as rows of X (m, n); solve M x_j = a_j in place, then normalise.
  const X = new Float64Array(m * n);
  for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) X[j * n + i] = a[i * m + j];
  for (let j = 0; j < m; j++) {
    const o = j * n;
    let anorm2 = 0;
    for (let i = 0; i < n; i++) anorm2 += X[o + i] * X[o + i];
    if (anorm2 === 0) rangeError(fn, 'A', 'a matrix without zero columns', new Got(`column ${j} is zero`));
    const aj = X.slice(o, o + n);
    choleskySolveInPlace(L, n, n, X, o);
    // Normalise twice: the second pass removes the rounding of the first from w_jᵀ a_j.
    for (let pass = 0; pass < 2; pass++) {
      let c = 0;
      for (let i = 0; i < n; i++) c += aj[i] * X[o + i];
      for (let i = 0; i < n; i++) X[o + i] /= c;
    }
  }
  const W = new Float64Array(n * m);
  for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) W[i * m + j] = X[j * n + i];

  // Residuals from the result: D = Wᵀ A (m, m), MW = M W (n, m).
  const D = new Float64Array(m * m);
  gemmInto(W, a, D, m, n, m, true, false);
  let constraintResidual = 0;
  let off2 = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) {
      const v = D[i * m + j];
      if (i === j) constraintResidual = Math.max(constraintResidual, Math.abs(v - 1));
      else off2 += v * v;
    }
  }
  const MW = new Float64Array(n * m);
  gemmInto(M, W, MW, n, n, m, false, false);
  let stationarityResidual = 0;
  for (let j = 0; j < m; j++) {
    let q = 0; // w_jᵀ M w_j
    for (let i = 0; i < n; i++) q += W[i * m + j] * MW[i * m + j];
    let r2 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const s = q * a[i * m + j];
      r2 += (MW[i * m + j] - s) ** 2;
      s2 += s * s;
    }
    stationarityResidual = Math.max(stationarityResidual, Math.sqrt(r2 / s2));
  }
  return { W: wrap(W, [n, m]), constraintResidual, offDiagonalNorm: Math.sqrt(off2), stationarityResidual };
}

/** ALISTA's per-layer parameters: the step γ and the threshold θ >= 0. */
export interface AlistaParams {
  readonly gamma: number;
  readonly theta: number;
}

/** What ALISTA's VJP needs from the forward pass. */
export interface AlistaCache {
  /** Number of samples N. */
  readonly N: number;
  /** The pre-threshold values P = Z - γ H (N x m). */
  readonly pre: Float64Array;
  /** H = (Z Aᵀ - Y) W (N x m). */
  readonly h: Float64Array;
}

const NAME = 'alista';

function checkAlistaParams(params: unknown): AlistaParams {
  if (params === null || typeof params !== 'object')
    typeError(NAME, 'params', 'an object { gamma, theta }', params);
  const p = params as { gamma?: unknown; theta?: unknown };
  return {
    gamma: checkNumber(NAME, 'params.gamma', p.gamma),
    theta: checkNumber(NAME, 'params.theta', p.theta, { min: 0 }),
  };
}

/**
 * An ALISTA layer for the fixed dictionary A (n, m) and weight W (n, m), usually
 * `alistaWeight(A).W`. Both are copied.
 */
export function alistaLayer(A: Tensor, W: Tensor): Layer<AlistaParams, AlistaCache> {
  checkTensor(NAME, 'A', A, { rank: 2 });
  const [n, m] = A.shape;
  checkTensor(NAME, 'W', W, { rank: 2, shape: [n, m] });
  const ops = { a: unsafeData(A).slice(), w: unsafeData(W).slice(), n, m };

  return {
    name: NAME,
    onBackend: alistaBackendLayer(A, W),
    forward(params: AlistaParams, input: LayerInput) {
      const { gamma, theta } = checkAlistaParams(params);
      const N = checkLayerInput(NAME, input, n, m);
      const { out, pre, h } = stepThresholdForward(
        ops,
        unsafeData(input.z),
        unsafeData(input.y),
        N,
        gamma,
        theta,
      );
      return { output: wrap(out, [N, m]), cache: { N, pre, h } };
    },
    vjp(params: AlistaParams, cache: AlistaCache, gradOutput: Tensor) {
      const { gamma, theta } = checkAlistaParams(params);
      const { N, pre, h } = cache;
      const g = unsafeData(checkTensor(NAME, 'gradOutput', gradOutput, { shape: [N, m] }));
      const { dz, dy, dGamma, dThreshold } = stepThresholdVjp(ops, pre, h, N, gamma, theta, g);
      return {
        gradInput: { z: wrap(dz, [N, m]), y: wrap(dy, [N, n]) },
        gradParams: { gamma: dGamma, theta: dThreshold },
      };
    },
  };
}
