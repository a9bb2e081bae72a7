/**
 * One ISTA step whose parameter is the dictionary itself (unrolled / deep dictionary learning,
 * Malezieux, Moreau & Kowalski 2022), with its hand-derived VJP w.r.t. the codes, the signals,
 * the dictionary D (n, K) and the step α. In the row form of the library (input codes X (N, K),
 * signals Y (N, n)):
 *
 *     R = X Dᵀ - Y,    H = R D,    P = X - α H,    Z⁺ = ST(P, λα)
 *
 * D enters twice, in the residual and in the gradient step. Given g = dLoss/dZ⁺, the mask
 * 1[|P| > λα] (all ones when λα = 0: the threshold is then the identity) and ĝ = g ⊙ mask,
 * S = ĝ Dᵀ (N, n):
 *
 *     dX = ĝ - α S D,      dY = α S,
 *     dD = -α (Rᵀ ĝ + Sᵀ X)                         (n, K)
 *     dα = -<S, R> + λ dt,   dt = -Σ sign(P) ĝ      (<ĝ, H> = <ĝ Dᵀ, R> = <S, R>)
 *
 * The dD line: P = X - α (X Dᵀ D - Y D), so a change E of D moves P by
 * -α (X Eᵀ D + X Dᵀ E - Y E) = -α (X Eᵀ D + R E), and <ĝ, X Eᵀ D> = <D ĝᵀ X, E> = <Sᵀ X, E>,
 * <ĝ, R E> = <Rᵀ ĝ, E>. With D = A fixed this is SLISTA's layer (src/unrolled/slista.ts) plus dD.
 *
 * The mask is read from the output: for λα > 0, Z⁺_k ≠ 0 exactly when |P_k| > λα (P - t > 0
 * whenever P > t in IEEE arithmetic), so the VJP needs only X, R and Z⁺, not P. At a kink
 * (|P_k| = λα) the derivative of the open region |P_k| < λα (zero) is used, as in
 * softThresholdVjpInto.
 *
 * The raw kernels below work on row-major Float64Arrays and write only into caller-allocated
 * buffers (a {@link StepWorkspace} holds the scratch), so a loop over T steps allocates nothing per
 * step; the products skip the zeros of the sparse operands (X, ĝ) through the unrolled layers'
 * support-aware kernels. {@link dictionaryIstaLayer} wraps them in the layer contract of
 * src/unrolled (params { D, alpha }), so the network fold of src/unrolled/network.ts applies.
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { gatherIfSparse, SupportBuffer, timesTInto, transposeTimesInto } from '../unrolled/kernels.js';
import { checkLayerInput } from '../unrolled/checks.js';
import { residualInto } from '../unrolled/step-threshold.js';
import type { Layer } from '../unrolled/types.js';
import { checkNumber, checkTensor, typeError } from '../validate/index.js';

/** Scratch of the step kernels for N signals, codes of size K and signals of size n. */
export class StepWorkspace {
  /** H = R D, then the masked gradient ĝ (N K). */
  readonly h: Float64Array;
  readonly ghat: Float64Array;
  /** S = ĝ Dᵀ (N n). */
  readonly s: Float64Array;
  /** A (K n) product, summed into the transposed dictionary gradient. */
  readonly kn: Float64Array;
  readonly supportX = new SupportBuffer();
  readonly supportG = new SupportBuffer();

  constructor(
    readonly N: number,
    readonly n: number,
    readonly K: number,
  ) {
    this.h = new Float64Array(N * K);
    this.ghat = new Float64Array(N * K);
    this.s = new Float64Array(N * n);
    this.kn = new Float64Array(K * n);
  }
}

/**
 * Forward of one step: r = X Dᵀ - Y (N n) and out = ST(X - α r D, t) (N K), for the dictionary d
 * (n K, row-major), input codes x and signals y. Unchecked; `out` must not alias x.
 */
export function dictionaryStepInto(
  ws: StepWorkspace,
  d: Float64Array,
  x: Float64Array,
  y: Float64Array,
  alpha: number,
  threshold: number,
  r: Float64Array,
  out: Float64Array,
): void {
  const { N, n, K, h } = ws;
  residualInto(d, x, y, N, n, K, r);
  gemmInto(r, d, h, N, n, K, false, false); // H = R D (R is dense)
  const t = threshold;
  for (let k = 0; k < N * K; k++) {
    const v = x[k] - alpha * h[k];
    out[k] = v > t ? v - t : v < -t ? v + t : 0;
  }
}

/** What {@link dictionaryStepVjpInto} returns besides the buffers it writes. */
export interface StepScalarGrads {
  /** -<S, R>: the derivative through the step α in P = X - α H. */
  readonly dGamma: number;
  /** -Σ sign(P) ĝ: the derivative w.r.t. the threshold t. */
  readonly dThreshold: number;
}

/**
 * VJP of one step given g = dLoss/dZ⁺ (N K), the step's input x, residual r and output out:
 * writes dX into `dx` (may alias g), adds dDᵀ = -α (ĝᵀ R + Xᵀ S) (K n, the transposed dictionary
 * gradient) into `dDt`, writes dY = α S into `dy` when given, and returns the scalar derivatives.
 * Unchecked.
 */
export function dictionaryStepVjpInto(
  ws: StepWorkspace,
  d: Float64Array,
  x: Float64Array,
  r: Float64Array,
  out: Float64Array,
  alpha: number,
  threshold: number,
  g: Float64Array,
  dx: Float64Array,
  dDt: Float64Array,
  dy?: Float64Array,
): StepScalarGrads {
  const { N, n, K, ghat, s, kn } = ws;
  let dThreshold = 0;
  if (threshold > 0) {
    for (let k = 0; k < N * K; k++) {
      const o = out[k];
      const v = o !== 0 ? g[k] : 0;
      ghat[k] = v;
      dThreshold -= o > 0 ? v : o < 0 ? -v : 0;
    }
  } else {
    for (let k = 0; k < N * K; k++) {
      const o = out[k];
      const v = g[k];
      ghat[k] = v;
      dThreshold -= o > 0 ? v : o < 0 ? -v : 0;
    }
  }
  const sg = gatherIfSparse(ghat, N, K, ws.supportG);
  timesTInto(ghat, sg, N, K, d, n, s); // S = ĝ Dᵀ
  let dGamma = 0;
  for (let k = 0; k < N * n; k++) dGamma -= s[k] * r[k];
  // dDᵀ += -α (ĝᵀ R + Xᵀ S), both products skipping the zeros of ĝ and X.
  transposeTimesInto(ghat, sg, N, K, r, n, kn);
  for (let k = 0; k < K * n; k++) dDt[k] -= alpha * kn[k];
  const sx = gatherIfSparse(x, N, K, ws.supportX);
  if (sx === null || sx.nnz > 0) {
    transposeTimesInto(x, sx, N, K, s, n, kn);
    for (let k = 0; k < K * n; k++) dDt[k] -= alpha * kn[k];
  }
  gemmInto(s, d, ws.h, N, n, K, false, false); // S D (S is dense)
  const sd = ws.h;
  for (let k = 0; k < N * K; k++) dx[k] = ghat[k] - alpha * sd[k];
  if (dy !== undefined) for (let k = 0; k < N * n; k++) dy[k] = alpha * s[k];
  return { dGamma, dThreshold };
}

/** Adds the transpose of dDt (K n) into dD (n K). */
export function addTransposedInto(dDt: Float64Array, n: number, K: number, dD: Float64Array): void {
  for (let j = 0; j < K; j++) for (let a = 0; a < n; a++) dD[a * K + j] += dDt[j * n + a];
}

/** The parameters of a {@link dictionaryIstaLayer}: the dictionary D (n, K) and the step α >= 0. */
export interface DictionaryStepParams {
  readonly D: Tensor;
  readonly alpha: number;
}

/** What the layer's VJP needs: the input codes, the residual and the output. */
export interface DictionaryStepCache {
  readonly N: number;
  readonly x: Float64Array;
  readonly r: Float64Array;
  readonly out: Float64Array;
}

const NAME = 'dictionaryIstaLayer';

function checkParams(params: unknown): { D: Tensor; alpha: number } {
  if (params === null || typeof params !== 'object')
    typeError(NAME, 'params', 'an object { D, alpha }', params);
  const p = params as { D?: unknown; alpha?: unknown };
  const D = checkTensor(NAME, 'params.D', p.D, { rank: 2 });
  const alpha = checkNumber(NAME, 'params.alpha', p.alpha, { min: 0 });
  return { D, alpha };
}

/**
 * The ISTA step with the dictionary as a parameter, as an unrolled layer for the regularisation
 * λ >= 0: forward(params { D, alpha }, { z, y }) and its VJP, whose gradParams are
 * { D: dD, alpha: dα } (α is both the step and, through t = λα, the threshold).
 */
export function dictionaryIstaLayer(lambda: number): Layer<DictionaryStepParams, DictionaryStepCache> {
  const lam = checkNumber(NAME, 'lambda', lambda, { min: 0 });
  return {
    name: NAME,
    forward(params, input) {
      const { D, alpha } = checkParams(params);
      const [n, K] = D.shape;
      const N = checkLayerInput(NAME, input, n, K);
      const ws = new StepWorkspace(N, n, K);
      const x = unsafeData(input.z);
      const r = new Float64Array(N * n);
      const out = new Float64Array(N * K);
      dictionaryStepInto(ws, unsafeData(D), x, unsafeData(input.y), alpha, lam * alpha, r, out);
      return { output: wrap(out, [N, K]), cache: { N, x, r, out } };
    },
    vjp(params, cache, gradOutput) {
      const { D, alpha } = checkParams(params);
      const [n, K] = D.shape;
      const { N, x, r, out } = cache;
      const g = unsafeData(checkTensor(NAME, 'gradOutput', gradOutput, { shape: [N, K] }));
      const ws = new StepWorkspace(N, n, K);
      const dx = new Float64Array(N * K);
      const dy = new Float64Array(N * n);
      const dDt = new Float64Array(K * n);
      const { dGamma, dThreshold } = dictionaryStepVjpInto(
        ws,
        unsafeData(D),
        x,
        r,
        out,
        alpha,
        lam * alpha,
        g,
        dx,
        dDt,
        dy,
      );
      const dD = new Float64Array(n * K);
      addTransposedInto(dDt, n, K, dD);
      return {
        gradInput: { z: wrap(dx, [N, K]), y: wrap(dy, [N, n]) },
        gradParams: { D: wrap(dD, [n, K]), alpha: dGamma + lam * dThreshold },
      };
    },
  };
}
