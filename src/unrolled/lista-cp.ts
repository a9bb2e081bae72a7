/**
 * The LISTA-CP layer (coupled weights, Chen et al. 2018), in the batch-row form of DESIGN.md
 * (codes Z (N, m), signals Y (N, n), dictionary A (n, m)):
 *
 *     R       = Z A^T - Y                 (per sample: A z_k - y)
 *     pre     = Z - R W                   (per sample: z_k - W^T (A z_k - y))
 *     z_{k+1} = ST(pre, theta)
 *
 * with learned W (n, m) and theta >= 0 (a number, or a tensor of shape [m], as in lista.ts). The
 * dictionary A is fixed, not learned: it is captured by the factory {@link listaCpLayer} and gets
 * no gradient.
 *
 * Optional support selection (LISTA-CPSS, Chen et al. 2018), the layer option
 * `supportSelection: p` with p in [0, 100]: in each sample the k = floor(p m / 100) entries of
 * pre of largest magnitude (ties at the k-th largest magnitude all count) that are also above
 * their threshold bypass it (they pass unchanged instead of being shrunk), as in the authors'
 * code. The VJP treats the selected set as fixed, which is exact almost everywhere.
 *
 * VJP (by hand), with G = dLoss/dpre from the threshold and S = G W^T (N, n):
 *
 *     dZ = G - S A,  dY = S,  dW = -R^T G,  dtheta = -sum of sign(pre) g over shrunk entries
 *
 * Z A^T, G W^T and G^T R skip the zeros of Z and G when these are sparse enough (kernels.ts);
 * the results equal the dense products up to rounding.
 *
 * Initialised at ISTA ({@link listaCpInitFromIsta}: W = A/L, theta = lambda/L) one layer is one
 * ISTA step.
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkTensor, typeError } from '../validate/index.js';
import {
  checkSupportSelection,
  checkThreshold,
  istaStep,
  selectedCount,
  thresholdForwardInto,
  thresholdGrad,
  thresholdVjpInto,
  type Threshold,
} from './lista.js';
import type { Layer } from './types.js';
import { listaCpBackendLayer } from './backend-layers.js';
import { checkGradOutput, checkLayerInput } from './checks.js';
import { residualInto } from './step-threshold.js';
import { gatherIfSparse, scratchBuffer, SupportBuffer, timesTInto, transposeTimesInto } from './kernels.js';

/** Support of the masked gradient (VJP), reused across calls. */
const supportG = new SupportBuffer();

/** LISTA-CP's parameters (A is captured by the layer, not a parameter). */
export interface ListaCpParams {
  /** The weight W, shape (n, m) (per sample W^T (A z - y); in row form (Z A^T - Y) W). */
  readonly W: Tensor;
  /** The threshold theta >= 0: a number, or a tensor of shape [m]. */
  readonly theta: Threshold;
}

/** What LISTA-CP's forward keeps for the VJP. */
export interface ListaCpCache {
  /** Number of samples N. */
  readonly N: number;
  /** The residual R = Z A^T - Y, (N, n) row-major. */
  readonly residual: Float64Array;
  /** Per entry of pre: 0 zeroed, 1 / -1 shrunk (sign of pre), 2 passed unchanged. */
  readonly mask: Int8Array;
}

/** Options of {@link listaCpLayer}. */
export interface ListaCpOptions {
  /** Support selection: the percentage p in [0, 100] of entries per sample that bypass the threshold (default 0). */
  readonly supportSelection?: number;
}

/** A LISTA-CP layer for the fixed dictionary A (n, m), optionally with support selection. */
export function listaCpLayer(A: Tensor, options: ListaCpOptions = {}): Layer<ListaCpParams, ListaCpCache> {
  const fn = 'listaCpLayer';
  checkTensor(fn, 'A', A, { rank: 2 });
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const p = checkSupportSelection(fn, options.supportSelection);
  const [n, m] = A.shape;
  const a = unsafeData(A);
  const keep = selectedCount(p, m);
  const name = p > 0 ? 'lista-cpss' : 'lista-cp';

  const checkParams = (where: string, params: ListaCpParams): Float64Array => {
    if (params === null || typeof params !== 'object')
      typeError(where, 'params', 'an object { W, theta }', params);
    checkTensor(where, 'params.W', params.W, { shape: [n, m] });
    return checkThreshold(where, 'params.theta', params.theta, m);
  };

  return {
    name,
    // Support selection's mask is not a function of the output: no backend form for it.
    onBackend: keep === 0 ? listaCpBackendLayer(A) : undefined,
    forward(params, input) {
      const where = `${name}.forward`;
      const theta = checkParams(where, params);
      const N = checkLayerInput(where, input, n, m);
      const z = unsafeData(input.z);
      const residual = new Float64Array(N * n);
      residualInto(a, z, unsafeData(input.y), N, n, m, residual);
      const pre = new Float64Array(N * m);
      gemmInto(residual, unsafeData(params.W), pre, N, n, m, false, false); // R W (R is dense)
      for (let k = 0; k < N * m; k++) pre[k] = z[k] - pre[k];
      const mask = new Int8Array(N * m);
      thresholdForwardInto(pre, N, m, theta, keep, pre, mask, scratchBuffer(1, m));
      return { output: wrap(pre, [N, m]), cache: { N, residual, mask } };
    },
    vjp(params, cache, gradOutput) {
      const where = `${name}.vjp`;
      checkParams(where, params);
      const { N, residual, mask } = cache;
      const g = checkGradOutput(where, gradOutput, N, m);
      const gPre = scratchBuffer(0, N * m);
      const gTheta = new Float64Array(m);
      thresholdVjpInto(mask, N, m, g, gPre, gTheta);
      // G is zero wherever the threshold zeroed pre: one gather serves G W^T and G^T R.
      const sg = gatherIfSparse(gPre, N, m, supportG);
      const s = new Float64Array(N * n);
      timesTInto(gPre, sg, N, m, unsafeData(params.W), n, s); // S = G W^T
      const gz = new Float64Array(N * m);
      gemmInto(s, a, gz, N, n, m, false, false); // S A (S is dense)
      for (let k = 0; k < N * m; k++) gz[k] = gPre[k] - gz[k];
      // dW = -R^T G (n x m), formed as G^T R (m x n) with G's support, then transposed.
      const gtr = scratchBuffer(1, m * n);
      transposeTimesInto(gPre, sg, N, m, residual, n, gtr);
      const gW = new Float64Array(n * m);
      for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) gW[i * m + j] = -gtr[j * n + i];
      return {
        gradInput: { z: wrap(gz, [N, m]), y: wrap(s, [N, n]) },
        gradParams: { W: wrap(gW, [n, m]), theta: thresholdGrad(params.theta, gTheta) },
      };
    },
  };
}

/**
 * LISTA-CP's parameters at ISTA with step 1/L: W = A/L (n, m), theta = lambda/L (a number), so
 * that W^T (A z - y) = A^T (A z - y)/L. L > 0 defaults to the upper bound of ||A||_2^2 that ISTA
 * uses.
 */
export function listaCpInitFromIsta(A: Tensor, lambda: number, L?: number): ListaCpParams {
  const [lam, lip] = istaStep('listaCpInitFromIsta', A, lambda, L);
  const w = unsafeData(A).map((v) => v / lip);
  return { W: wrap(w, A.shape), theta: lam / lip };
}
