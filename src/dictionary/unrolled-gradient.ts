/**
 * The unrolled Lasso objective of a dictionary and its gradient by back-propagation through the
 * iterations (Malezieux, Moreau & Kowalski 2022). From z_0 = 0, T iterations of ISTA (or FISTA)
 * with the dictionary D and steps α_t give codes z_T(D, y), and
 *
 *     L(D) = 1/N Σ_i F(D, z_T(D, y_i)),     F(D, z) = 1/2 ||y - D z||² + λ ||z||₁.
 *
 * ISTA:  Z_{t+1} = step_t(Z_t);  FISTA: Z_{t+1} = step_t(X_t), X_0 = Z_0,
 * X_{t+1} = Z_{t+1} + β_t (Z_{t+1} - Z_t), β_t = (s_t - 1)/s_{t+1}, s_0 = 1,
 * s_{t+1} = (1 + sqrt(1 + 4 s_t²))/2 (the momentum of solvers/fista.ts); step_t is the ISTA step of
 * unrolled-ista.ts with step α_t and threshold λα_t.
 *
 * Gradient (reverse mode, by hand). With R_T = Z_T Dᵀ - Y, the loss gives
 * dL/dZ_T = (R_T D + λ sign(Z_T)) / N (sign(0) = 0, as in unrolled/losses.ts) and the direct term
 * ∂L/∂D = R_Tᵀ Z_T / N. Each step's VJP (unrolled-ista.ts) then adds
 * dD_t = -α_t (R_tᵀ ĝ_t + S_tᵀ X_t) and passes dX_t = ĝ_t - α_t S_t D back; FISTA's momentum sends
 * dZ_t = (1 + β_{t-1}) dX_t - β_t dX_{t+1} (dX_0 goes to Z_0 alone, dX_T = 0). The gradient is the
 * direct term plus Σ_t dD_t, and dL/dα_t = -<S_t, R_t> + λ dt_t.
 *
 * The default steps are α_t = 1/L(D) with L an upper bound of ||D||₂² (lipschitzConstant), treated
 * as constants: the gradient ignores how L changes with D (so with default steps it is the gradient
 * of D -> L(D) at fixed steps, which is what the finite-difference tests check).
 *
 * Truncated back-propagation (`truncate: K`): only the last K iterations contribute, i.e. the
 * gradient is that of D -> L with the codes (and FISTA's extrapolated point) entering iteration
 * T - K treated as constants. K = T is the full gradient.
 *
 * Memory: the backward pass keeps, for each back-propagated iteration, the input codes (N K), the
 * residual (N n) and, for FISTA, the output (N K): about K (N (K + n)) doubles (twice the codes for
 * FISTA); the other iterations use three rolling buffers.
 *
 * @module
 */
import { lipschitzConstant } from '../problems/lipschitz.js';
import { Tensor, unsafeData, wrap } from '../tensor/tensor.js';
import { gatherIfSparse, transposeTimesInto } from '../unrolled/kernels.js';
import { residualInto } from '../unrolled/step-threshold.js';
import { gemmInto } from '../linalg/gemm.js';
import {
  checkInteger,
  checkNumber,
  checkOneOf,
  checkTensor,
  isArray,
  rangeError,
  typeError,
} from '../validate/index.js';
import {
  addTransposedInto,
  dictionaryStepInto,
  dictionaryStepVjpInto,
  StepWorkspace,
} from './unrolled-ista.js';
import { checkDictionaryAndSignals } from './common.js';

/** The unrolled algorithm. */
export type UnrolledAlgorithm = 'ista' | 'fista';

/** The forward pass of T iterations, with what the backward pass needs (raw, row-major). */
export interface UnrolledTrace {
  readonly N: number;
  readonly n: number;
  readonly K: number;
  readonly lambda: number;
  readonly fista: boolean;
  readonly steps: Float64Array;
  /** Iterations whose inputs were kept: first..T-1 (first = T when none). */
  readonly first: number;
  /** The dictionary of each iteration (length T) and of the loss (the last one). */
  readonly dicts: readonly Float64Array[];
  /** Kept inputs X_t, residuals R_t, outputs Z_{t+1} for t >= first (index t - first). */
  readonly inputs: Float64Array[];
  readonly residuals: Float64Array[];
  readonly outputs: Float64Array[];
  /** FISTA's β_t (length T). */
  readonly betas: Float64Array;
  /** Z_T (N K), a fresh buffer, and the residual Z_T Dᵀ - Y (N n). */
  readonly codes: Float64Array;
  readonly residual: Float64Array;
  readonly value: number;
  readonly ws: StepWorkspace;
}

/**
 * Runs T = dicts.length iterations from Z_0 = 0 on the signals y (N n) with the per-iteration
 * dictionaries `dicts` (each n K; the same array for a plain network) and steps α_t, keeping what
 * the backward pass of the last `keep` iterations needs (0: nothing). Unchecked.
 */
export function unrolledForward(
  dicts: readonly Float64Array[],
  y: Float64Array,
  N: number,
  n: number,
  K: number,
  lambda: number,
  steps: Float64Array,
  fista: boolean,
  keep: number,
): UnrolledTrace {
  const T = dicts.length;
  const first = T - keep;
  const ws = new StepWorkspace(N, n, K);
  const NK = N * K;
  // Rolling buffers for the iterations that are not kept.
  const roll = [new Float64Array(NK), new Float64Array(NK), new Float64Array(NK)];
  const rScratch = new Float64Array(N * n);
  const inputs: Float64Array[] = [];
  const residuals: Float64Array[] = [];
  const outputs: Float64Array[] = [];
  const betas = new Float64Array(T);
  let zPrev = roll[0]; // Z_t
  let x = fista ? roll[1] : zPrev; // X_t (ISTA: Z_t)
  let s = 1;
  for (let t = 0; t < T; t++) {
    const kept = t >= first;
    const r = kept ? new Float64Array(N * n) : rScratch;
    // Not kept: write into a rolling buffer that is neither x nor zPrev.
    const out = kept || t + 1 === T ? new Float64Array(NK) : roll.find((b) => b !== x && b !== zPrev)!;
    const alpha = steps[t];
    dictionaryStepInto(ws, dicts[t], x, y, alpha, lambda * alpha, r, out);
    if (kept) {
      inputs.push(x);
      residuals.push(r);
      outputs.push(out);
    }
    if (fista) {
      const s1 = (1 + Math.sqrt(1 + 4 * s * s)) / 2;
      const beta = (s - 1) / s1;
      betas[t] = beta;
      s = s1;
      if (t + 1 < T) {
        // X_{t+1} into a fresh buffer when it is kept, else over X_t (a rolling buffer, now unused).
        const xNext = t + 1 >= first ? new Float64Array(NK) : x;
        for (let k = 0; k < NK; k++) xNext[k] = out[k] + beta * (out[k] - zPrev[k]);
        x = xNext;
      }
      zPrev = out;
    } else {
      zPrev = out;
      x = out;
    }
  }
  const codes = T > 0 ? zPrev : new Float64Array(NK);
  const dLast = dicts[T - 1];
  const residual = new Float64Array(N * n);
  residualInto(dLast, codes, y, N, n, K, residual);
  let total = 0;
  for (let k = 0; k < N * n; k++) total += 0.5 * residual[k] * residual[k];
  for (let k = 0; k < NK; k++) total += lambda * Math.abs(codes[k]);
  return {
    N,
    n,
    K,
    lambda,
    fista,
    steps,
    first,
    dicts,
    inputs,
    residuals,
    outputs,
    betas,
    codes,
    residual,
    value: total / N,
    ws,
  };
}

/** The gradient of a trace's loss: dL/dD summed over the kept iterations (n K) and dL/dα_t (T). */
export interface UnrolledGrads {
  readonly gradD: Float64Array;
  readonly gradSteps: Float64Array;
}

/**
 * Back-propagates the loss of a trace through its kept iterations (see the module notes): the
 * dictionary gradient (direct term of the loss plus every kept iteration's dD_t, all w.r.t. the
 * shared dictionary) and the step gradients (0 for iterations not kept). Unchecked.
 */
export function unrolledBackward(trace: UnrolledTrace): UnrolledGrads {
  const { N, n, K, lambda, fista, steps, first, dicts, inputs, residuals, outputs, betas, codes, ws } = trace;
  const T = dicts.length;
  const NK = N * K;
  const dDt = new Float64Array(K * n);
  const gradSteps = new Float64Array(T);
  // The loss: dL/dZ_T = (R_T D + λ sign(Z_T)) / N and the direct term Z_Tᵀ R_T / N (transposed).
  const dLast = dicts[T - 1];
  let gz = new Float64Array(NK);
  gemmInto(trace.residual, dLast, gz, N, n, K, false, false);
  for (let k = 0; k < NK; k++) {
    const v = codes[k];
    gz[k] = (gz[k] + lambda * (v > 0 ? 1 : v < 0 ? -1 : 0)) / N;
  }
  const sz = gatherIfSparse(codes, N, K, ws.supportX);
  transposeTimesInto(codes, sz, N, K, trace.residual, n, ws.kn);
  for (let k = 0; k < K * n; k++) dDt[k] = ws.kn[k] / N;
  let gx = new Float64Array(NK);
  let gxNext = new Float64Array(NK); // dL/dX_{t+1} (FISTA), 0 for t + 1 = T
  for (let t = T - 1; t >= first; t--) {
    const i = t - first;
    const alpha = steps[t];
    const { dGamma, dThreshold } = dictionaryStepVjpInto(
      ws,
      dicts[t],
      inputs[i],
      residuals[i],
      outputs[i],
      alpha,
      lambda * alpha,
      gz,
      gx,
      dDt,
    );
    gradSteps[t] = dGamma + lambda * dThreshold;
    if (t === first) break;
    if (fista) {
      // dZ_t = (1 + β_{t-1}) dX_t - β_t dX_{t+1}   (t >= 1 here).
      const c = 1 + betas[t - 1];
      const b = betas[t];
      for (let k = 0; k < NK; k++) gz[k] = c * gx[k] - b * gxNext[k];
      const tmp = gxNext;
      gxNext = gx;
      gx = tmp;
    } else {
      const tmp = gz;
      gz = gx;
      gx = tmp;
    }
  }
  const gradD = new Float64Array(n * K);
  addTransposedInto(dDt, n, K, gradD);
  return { gradD, gradSteps };
}

/** The default steps: 1/L for every iteration, L an upper bound of ||D||₂² (1 when D = 0). */
export function defaultSteps(D: Tensor, depth: number): Float64Array {
  const L = lipschitzConstant(D, { upperBound: true }).value;
  return new Float64Array(depth).fill(L > 0 ? 1 / L : 1);
}

/** Options of {@link unrolledDictionaryGradient}. */
export interface UnrolledGradientOptions {
  /** 'ista' (default) or 'fista'. */
  readonly algorithm?: UnrolledAlgorithm;
  /** Back-propagate through the last K iterations only, 1 <= K <= depth (default depth). */
  readonly truncate?: number;
  /** The steps α_t >= 0, one per iteration (length depth; default 1/L(D) for every t). */
  readonly steps?: Tensor | readonly number[];
}

/** What {@link unrolledDictionaryGradient} returns. */
export interface UnrolledGradient {
  /** L(D): the mean Lasso objective at the unrolled codes. */
  readonly value: number;
  /** dL/dD (n, K) by back-propagation (truncated if asked), the steps held fixed. */
  readonly grad: Tensor;
  /** The unrolled codes z_T (N, K). */
  readonly codes: Tensor;
  /** dL/dα_t, shape [depth] (0 for the iterations outside the truncation). */
  readonly gradSteps: Tensor;
  /** The steps used, shape [depth]. */
  readonly steps: Tensor;
}

/** Checks the steps option against the depth; returns a fresh array. */
export function checkSteps(fn: string, name: string, steps: unknown, depth: number): Float64Array {
  let values: ArrayLike<unknown>;
  if (steps instanceof Tensor) {
    checkTensor(fn, name, steps, { rank: 1, shape: [depth] });
    values = steps.data;
  } else if (isArray(steps)) {
    values = steps as unknown[];
    if (values.length !== depth)
      rangeError(fn, name, `an array of ${depth} steps (one per iteration)`, steps);
  } else return typeError(fn, name, `a tensor of shape [${depth}] or an array of ${depth} numbers`, steps);
  const out = new Float64Array(depth);
  for (let t = 0; t < depth; t++) out[t] = checkNumber(fn, `${name}[${t}]`, values[t], { min: 0 });
  return out;
}

/**
 * The unrolled objective L(D) = mean_i F(D, z_T(D, y_i)) of T = depth ISTA / FISTA iterations from
 * 0 with the dictionary D (n, K) on the signals Y (N >= 1, n), and its gradient w.r.t. D by
 * back-propagation through the iterations (see the module notes), with the unrolled codes.
 */
export function unrolledDictionaryGradient(
  D: Tensor,
  Y: Tensor,
  lambda: number,
  depth: number,
  options: UnrolledGradientOptions = {},
): UnrolledGradient {
  const fn = 'unrolledDictionaryGradient';
  const { n, K, N } = checkDictionaryAndSignals(fn, D, Y);
  const lam = checkNumber(fn, 'lambda', lambda, { min: 0 });
  const T = checkInteger(fn, 'depth', depth, { min: 1 });
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const algorithm =
    options.algorithm === undefined
      ? 'ista'
      : checkOneOf(fn, 'options.algorithm', options.algorithm, ['ista', 'fista'] as const);
  const keep =
    options.truncate === undefined
      ? T
      : checkInteger(fn, 'options.truncate', options.truncate, { min: 1, max: T });
  const steps =
    options.steps === undefined ? defaultSteps(D, T) : checkSteps(fn, 'options.steps', options.steps, T);
  const d = unsafeData(D);
  const trace = unrolledForward(
    new Array<Float64Array>(T).fill(d),
    unsafeData(Y),
    N,
    n,
    K,
    lam,
    steps,
    algorithm === 'fista',
    keep,
  );
  const { gradD, gradSteps } = unrolledBackward(trace);
  return {
    value: trace.value,
    grad: wrap(gradD, [n, K]),
    codes: wrap(trace.codes, [N, K]),
    gradSteps: wrap(gradSteps, [T]),
    steps: wrap(steps.slice(), [T]),
  };
}
