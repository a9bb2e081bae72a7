/**
 * The LISTA layer (Gregor & LeCun 2010), in the batch-row form of DESIGN.md (codes Z (N, m),
 * signals Y (N, n)):
 *
 *     pre     = Y W1^T + Z W2^T           (per sample: W1 y + W2 z_k)
 *     z_{k+1} = ST(pre, theta)
 *
 * with learned W1 (m, n), W2 (m, m) and theta >= 0, either one number for every entry (the common
 * case) or a tensor of shape [m], one threshold per code coordinate (shared by all samples). The
 * gradient w.r.t. theta has the same form as theta (a number or a tensor of shape [m]).
 *
 * Initialised at ISTA ({@link listaInitFromIsta}: W1 = A^T/L, W2 = I - A^T A/L, theta = lambda/L)
 * one layer is exactly one ISTA step z - (1/L) A^T (A z - y) followed by ST(., lambda/L).
 *
 * The VJP is derived by hand. With G = dLoss/dpre (the threshold's VJP: G = g on the entries with
 * |pre| > theta, 0 elsewhere):
 *
 *     dZ = G W2,  dY = G W1,  dW1 = G^T Y,  dW2 = G^T Z,  dtheta = -sum of sign(pre) g over |pre| > theta
 *
 * (summed over every entry for a scalar theta, over the samples for a per-coordinate one). At the
 * kinks |pre| = theta the derivative of the open region |pre| < theta (zero) is used; where
 * theta = 0 the threshold is the identity and so is its derivative.
 *
 * The products skip the zeros of Z (forward) and of G (VJP) when these are sparse enough
 * (kernels.ts); the results equal the dense products up to rounding.
 *
 * The threshold helpers below (with optional support selection, LISTA-CPSS) are shared with
 * lista-cp.ts.
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import { lipschitzConstant } from '../problems/lipschitz.js';
import { unsafeData, wrap, Tensor } from '../tensor/tensor.js';
import { checkNumber, checkTensor, rangeError, typeError } from '../validate/index.js';
import type { Layer, LayerInputGrad } from './types.js';
import { listaBackendLayer } from './backend-layers.js';
import { checkGradOutput, checkLayerInput } from './checks.js';
import {
  gatherIfSparse,
  scratchBuffer,
  SupportBuffer,
  timesInto,
  timesTInto,
  transposeTimesInto,
} from './kernels.js';

/** Supports of the input codes (forward) and of the masked gradient (VJP), reused across calls. */
const supportZ = new SupportBuffer();
const supportG = new SupportBuffer();

/** A threshold: one number for every entry, or a tensor of shape [m] (one per code coordinate). */
export type Threshold = number | Tensor;

/** LISTA's parameters. */
export interface ListaParams {
  /** The signal weight W1, shape (m, n) (per sample W1 y; in row form Y W1^T). */
  readonly W1: Tensor;
  /** The code weight W2, shape (m, m) (per sample W2 z; in row form Z W2^T). */
  readonly W2: Tensor;
  /** The threshold theta >= 0: a number, or a tensor of shape [m]. */
  readonly theta: Threshold;
}

/** What LISTA's forward keeps for the VJP. */
export interface ListaCache {
  /** The input codes Z (N, m) and signals Y (N, n) (immutable tensors, not copies). */
  readonly z: Tensor;
  readonly y: Tensor;
  /** Per entry of pre: 0 thresholded to zero, 1 / -1 shrunk (sign of pre), 2 passed unchanged. */
  readonly mask: Int8Array;
}

/** Mask codes of {@link thresholdForwardInto}. */
const ZERO = 0;
const SHRINK_POS = 1;
const SHRINK_NEG = -1;
const PASS = 2;

/**
 * @internal Checks a threshold against the code length m and returns one threshold per code
 * coordinate (length m).
 */
export function checkThreshold(fn: string, name: string, theta: unknown, m: number): Float64Array {
  if (typeof theta === 'number') {
    checkNumber(fn, name, theta, { min: 0 });
    return new Float64Array(m).fill(theta);
  }
  if (!(theta instanceof Tensor)) typeError(fn, name, 'a number or a tensor of shape [m]', theta);
  const t = checkTensor(fn, name, theta, { shape: [m] });
  const d = unsafeData(t);
  for (let j = 0; j < m; j++) {
    if (d[j] < 0) rangeError(fn, name, 'a tensor of entries >= 0', t);
  }
  return d.slice();
}

/**
 * @internal The support-selection percentage p in [0, 100] (undefined or 0: none).
 */
export function checkSupportSelection(fn: string, value: unknown): number {
  if (value === undefined) return 0;
  return checkNumber(fn, 'supportSelection', value, { min: 0, max: 100 });
}

/**
 * @internal How many entries per sample support selection lets through: floor(p m / 100).
 */
export function selectedCount(p: number, m: number): number {
  return Math.floor((p * m) / 100 + 1e-9);
}

/**
 * @internal out = ST(pre, theta_j) per entry (pre, out: N x m; theta: length m), recording in
 * `mask` what happened to each entry. With `keep` > 0 (support selection), in each sample the
 * entries whose magnitude is among the `keep` largest (ties at the keep-th largest magnitude all
 * count) and above their threshold pass unchanged. `scratch` has length >= m. Unchecked; `out`
 * may be `pre`.
 */
export function thresholdForwardInto(
  pre: Float64Array,
  N: number,
  m: number,
  theta: Float64Array,
  keep: number,
  out: Float64Array,
  mask: Int8Array,
  scratch: Float64Array,
): void {
  for (let i = 0, o = 0; i < N; i++, o += m) {
    let bar = Infinity;
    if (keep > 0) {
      for (let j = 0; j < m; j++) scratch[j] = Math.abs(pre[o + j]);
      const sorted = scratch.subarray(0, m).sort();
      bar = sorted[m - keep];
    }
    for (let j = 0; j < m; j++) {
      const v = pre[o + j];
      const t = theta[j];
      const a = Math.abs(v);
      if (a > t && a >= bar) {
        out[o + j] = v;
        mask[o + j] = PASS;
      } else if (v > t) {
        out[o + j] = v - t;
        mask[o + j] = SHRINK_POS;
      } else if (v < -t) {
        out[o + j] = v + t;
        mask[o + j] = SHRINK_NEG;
      } else if (t === 0) {
        out[o + j] = v; // theta = 0: the identity, smooth through 0
        mask[o + j] = PASS;
      } else {
        out[o + j] = 0;
        mask[o + j] = ZERO;
      }
    }
  }
}

/**
 * @internal The VJP of {@link thresholdForwardInto} with the mask (so the selected set) held
 * fixed: gradPre = g where the entry was not zeroed, and gradTheta[j] (overwritten, length m) =
 * -sum_i sign(pre_ij) g_ij over the shrunk entries of coordinate j.
 */
export function thresholdVjpInto(
  mask: Int8Array,
  N: number,
  m: number,
  g: Float64Array,
  gradPre: Float64Array,
  gradTheta: Float64Array,
): void {
  gradTheta.fill(0, 0, m);
  for (let i = 0, o = 0; i < N; i++, o += m) {
    for (let j = 0; j < m; j++) {
      const s = mask[o + j];
      const gv = g[o + j];
      if (s === ZERO) {
        gradPre[o + j] = 0;
      } else {
        gradPre[o + j] = gv;
        if (s === SHRINK_POS) gradTheta[j] -= gv;
        else if (s === SHRINK_NEG) gradTheta[j] += gv;
      }
    }
  }
}

/** @internal The threshold gradient in the form of theta: a number (summed) or a tensor [m]. */
export function thresholdGrad(theta: Threshold, gradTheta: Float64Array): Threshold {
  if (typeof theta === 'number') {
    let s = 0;
    for (let j = 0; j < gradTheta.length; j++) s += gradTheta[j];
    return s;
  }
  return wrap(gradTheta, [gradTheta.length]);
}

/** Checks LISTA's parameters; returns [n, m, thresholds]. */
function checkListaParams(fn: string, params: ListaParams): [number, number, Float64Array] {
  if (params === null || typeof params !== 'object')
    typeError(fn, 'params', 'an object { W1, W2, theta }', params);
  const W1 = checkTensor(fn, 'params.W1', params.W1, { rank: 2 });
  const [m, n] = W1.shape;
  checkTensor(fn, 'params.W2', params.W2, { shape: [m, m] });
  return [n, m, checkThreshold(fn, 'params.theta', params.theta, m)];
}

/** The LISTA layer: z_{k+1} = ST(Y W1^T + Z W2^T, theta). Parameters and inputs are checked. */
export const listaLayer: Layer<ListaParams, ListaCache> = {
  name: 'lista',
  // A getter: backend-layers.ts imports this module, so its value is read at call time.
  get onBackend() {
    return listaBackendLayer;
  },
  forward(params, input) {
    const fn = 'lista.forward';
    const [n, m, theta] = checkListaParams(fn, params);
    const N = checkLayerInput(fn, input, n, m);
    const z = unsafeData(input.z);
    const pre = new Float64Array(N * m);
    gemmInto(unsafeData(input.y), unsafeData(params.W1), pre, N, n, m, false, true);
    // Z W2^T skips the zeros of Z when it is sparse, and entirely when Z = 0 (the first layer).
    const sz = gatherIfSparse(z, N, m, supportZ);
    if (sz === null || sz.nnz > 0) {
      const tmp = scratchBuffer(0, N * m);
      timesTInto(z, sz, N, m, unsafeData(params.W2), m, tmp);
      for (let k = 0; k < N * m; k++) pre[k] += tmp[k];
    }
    const mask = new Int8Array(N * m);
    thresholdForwardInto(pre, N, m, theta, 0, pre, mask, scratchBuffer(1, m));
    return { output: wrap(pre, [N, m]), cache: { z: input.z, y: input.y, mask } };
  },
  vjp(params, cache, gradOutput) {
    const fn = 'lista.vjp';
    const [n, m] = checkListaParams(fn, params);
    const N = cache.z.shape[0];
    const g = checkGradOutput(fn, gradOutput, N, m);
    const gPre = scratchBuffer(0, N * m);
    const gTheta = new Float64Array(m);
    thresholdVjpInto(cache.mask, N, m, g, gPre, gTheta);
    // G is zero wherever the threshold zeroed pre: one gather serves the four products.
    const sg = gatherIfSparse(gPre, N, m, supportG);
    const gz = new Float64Array(N * m);
    const gy = new Float64Array(N * n);
    const gW1 = new Float64Array(m * n);
    const gW2 = new Float64Array(m * m);
    timesInto(gPre, sg, N, m, unsafeData(params.W2), m, gz);
    timesInto(gPre, sg, N, m, unsafeData(params.W1), n, gy);
    transposeTimesInto(gPre, sg, N, m, unsafeData(cache.y), n, gW1);
    transposeTimesInto(gPre, sg, N, m, unsafeData(cache.z), m, gW2);
    const gradInput: LayerInputGrad = { z: wrap(gz, [N, m]), y: wrap(gy, [N, n]) };
    return {
      gradInput,
      gradParams: {
        W1: wrap(gW1, [m, n]),
        W2: wrap(gW2, [m, m]),
        theta: thresholdGrad(params.theta, gTheta),
      },
    };
  },
};

/** @internal lambda / L, checked; L defaults to an upper bound of ||A||_2^2. */
export function istaStep(fn: string, A: Tensor, lambda: unknown, L: unknown): [number, number] {
  checkTensor(fn, 'A', A, { rank: 2 });
  const lam = checkNumber(fn, 'lambda', lambda, { min: 0 });
  const lip =
    L === undefined
      ? lipschitzConstant(A, { upperBound: true }).value
      : checkNumber(fn, 'L', L, { min: 0, exclusiveMin: true });
  return [lam, lip];
}

/**
 * LISTA's parameters at ISTA with step 1/L: W1 = A^T/L (m, n), W2 = I - A^T A/L (m, m),
 * theta = lambda/L (a number). A (n, m) is the dictionary; L > 0 defaults to the upper bound of
 * ||A||_2^2 that ISTA uses (lipschitzConstant with `upperBound: true`).
 */
export function listaInitFromIsta(A: Tensor, lambda: number, L?: number): ListaParams {
  const [lam, lip] = istaStep('listaInitFromIsta', A, lambda, L);
  const [n, m] = A.shape;
  const a = unsafeData(A);
  const w1 = new Float64Array(m * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) w1[j * n + i] = a[i * m + j] / lip;
  }
  const w2 = new Float64Array(m * m);
  gemmInto(a, a, w2, m, n, m, true, false);
  for (let k = 0; k < m * m; k++) w2[k] = -w2[k] / lip;
  for (let j = 0; j < m; j++) w2[j * m + j] += 1;
  return { W1: wrap(w1, [m, n]), W2: wrap(w2, [m, m]), theta: lam / lip };
}
