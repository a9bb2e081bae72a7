/**
 * The unrolled layers on a compute backend (src/backend): the same forward and hand-derived VJP
 * as the Float64 layers (lista.ts, lista-cp.ts, slista.ts, alista.ts), written once against the
 * {@link Backend} interface so that they run on the CPU reference or on gpu.js without knowing
 * which. Inputs, outputs and intermediates stay on the device; only parameter gradients (results
 * of a training step) come back to the host.
 *
 * Two forms cover the four layers (codes Z (N, m), signals Y (N, n)):
 *
 * - LISTA: Z⁺ = ST(Y W1ᵀ + Z W2ᵀ, θ); with ĝ the masked gradient,
 *   dZ = ĝ W2, dY = ĝ W1, dW1 = ĝᵀ Y, dW2 = ĝᵀ Z;
 * - the step form (LISTA-CP, SLISTA, ALISTA): -R = Y - Z Aᵀ, Z⁺ = ST(Z + γ (-R) W, t); with
 *   S = ĝ Wᵀ, dZ = ĝ - γ S A, dY = γ S, dγ = <S, -R> (= -<ĝ, R W>), dW = (-R)ᵀ ĝ (LISTA-CP).
 *
 * The threshold's derivatives are read off its output (backend.maskedGradient and
 * thresholdGradient), which for soft thresholding is exact (out ≠ 0 exactly where |pre| > θ).
 * LISTA-CP with support selection has no backend form (its mask is not a function of the output).
 *
 * @module
 */
import type { Backend, DeviceMatrix, Thresholds } from '../backend/types.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, checkTensor, typeError } from '../validate/index.js';
import type { AlistaParams } from './alista.js';
import type { ListaCpParams } from './lista-cp.js';
import { checkThreshold, thresholdGrad, type ListaParams, type Threshold } from './lista.js';
import type { SlistaParams } from './slista.js';

/** A layer with its parameters uploaded to a backend. */
export interface LayerOnDevice<P> {
  /** Signal length n and code length m of the layer. */
  readonly n: number;
  readonly m: number;
  /** Z⁺ from Z (N, m) and Y (N, n); `saved` is what {@link LayerOnDevice.vjp} needs besides z, y, out. */
  forward(z: DeviceMatrix, y: DeviceMatrix): { output: DeviceMatrix; saved: DeviceMatrix[] };
  /** Given g = dLoss/dZ⁺ on the device: dZ and dY (device) and the parameter gradients (host). */
  vjp(
    saved: readonly DeviceMatrix[],
    z: DeviceMatrix,
    y: DeviceMatrix,
    out: DeviceMatrix,
    g: DeviceMatrix,
  ): { gz: DeviceMatrix; gy: DeviceMatrix; gradParams: P };
  /** Gives back the uploaded parameters. */
  release(): void;
}

/** The backend form of a layer: uploads (and checks) its parameters. */
export interface BackendLayer<P> {
  upload(backend: Backend, params: P): LayerOnDevice<P>;
}

/** θ as backend thresholds: a number as the scale, a tensor [m] as per-column levels. */
function thresholdsOf(backend: Backend, theta: Threshold): { levels: Thresholds; owned: DeviceMatrix[] } {
  if (typeof theta === 'number') return { levels: { scale: theta }, owned: [] };
  const cols = backend.upload(theta);
  return { levels: { scale: 1, cols }, owned: [cols] };
}

/** Per-backend device copies of a fixed matrix (A, ALISTA's W), uploaded once. */
function constantOn(t: Tensor): (backend: Backend) => DeviceMatrix {
  const copies = new WeakMap<Backend, DeviceMatrix>();
  return (backend) => {
    let d = copies.get(backend);
    if (d === undefined) {
      d = backend.upload(t);
      copies.set(backend, d);
    }
    return d;
  };
}

/** An object `params`, or the template TypeError. */
function paramsObject(fn: string, params: unknown, requirement: string): Record<string, unknown> {
  if (params === null || typeof params !== 'object') typeError(fn, 'params', requirement, params);
  return params as Record<string, unknown>;
}

/** LISTA on a backend (parameters as in lista.ts: W1 (m, n), W2 (m, m), θ). */
export const listaBackendLayer: BackendLayer<ListaParams> = {
  upload(backend, params) {
    const fn = 'lista.upload';
    const p = paramsObject(fn, params, 'an object { W1, W2, theta }');
    const W1 = checkTensor(fn, 'params.W1', p.W1, { rank: 2 });
    const [m, n] = W1.shape;
    const W2 = checkTensor(fn, 'params.W2', p.W2, { shape: [m, m] });
    checkThreshold(fn, 'params.theta', p.theta, m);
    const theta = params.theta;
    const w1 = backend.upload(W1);
    const w2 = backend.upload(W2);
    const { levels, owned } = thresholdsOf(backend, theta);
    return {
      n,
      m,
      forward(z, y) {
        const b = backend.times(y, w1, true);
        const output = backend.shrinkAffine(b, 1, z, w2, true, levels);
        backend.release(b);
        return { output, saved: [] };
      },
      vjp(_saved, z, y, out, g) {
        const gm = backend.maskedGradient(out, g, levels);
        const gTheta = backend.thresholdGradient(out, gm);
        const gz = backend.times(gm, w2, false);
        const gy = backend.times(gm, w1, false);
        const gW1 = backend.transposeTimes(gm, y);
        const gW2 = backend.transposeTimes(gm, z);
        const gradParams = {
          W1: backend.download(gW1),
          W2: backend.download(gW2),
          theta: thresholdGrad(theta, gTheta),
        };
        backend.release(gm, gW1, gW2);
        return { gz, gy, gradParams };
      },
      release() {
        backend.release(w1, w2, ...owned);
      },
    };
  },
};

/** What the step form needs from each layer kind: W, γ and the threshold, and how to report gradients. */
interface StepParts<P> {
  /** The weight W (n, m) on the device and whether the layer owns it (a learned W) or shares it. */
  weight(backend: Backend, params: P): { w: DeviceMatrix; owned: boolean };
  gamma(params: P): number;
  threshold(params: P): Threshold;
  /** The parameter gradients from dγ, dθ_j (per column), and (-R)ᵀ ĝ computed lazily. */
  grads(params: P, dGamma: number, dTheta: Float64Array, dW: () => Tensor): P;
}

/** The step form ST(Z - γ (Z Aᵀ - Y) W, t) on a backend, for the fixed dictionary A (n, m). */
function stepBackendLayer<P>(name: string, A: Tensor, parts: StepParts<P>): BackendLayer<P> {
  const [n, m] = A.shape;
  const aOn = constantOn(A);
  return {
    upload(backend, params) {
      const fn = `${name}.upload`;
      paramsObject(fn, params, 'a parameter object');
      const a = aOn(backend);
      const { w, owned } = parts.weight(backend, params);
      const gamma = parts.gamma(params);
      const theta = parts.threshold(params);
      const { levels, owned: thetaOwned } = thresholdsOf(backend, theta);
      return {
        n,
        m,
        forward(z, y) {
          const negR = backend.affine(y, -1, z, a, true); // Y - Z Aᵀ
          const output = backend.shrinkAffine(z, gamma, negR, w, false, levels);
          return { output, saved: [negR] };
        },
        vjp(saved, _z, _y, out, g) {
          const negR = saved[0];
          const gm = backend.maskedGradient(out, g, levels);
          const dTheta = backend.thresholdGradient(out, gm);
          const s = backend.times(gm, w, true); // S = ĝ Wᵀ
          const gz = backend.affine(gm, -gamma, s, a, false);
          const gy = backend.combine(gamma, s, 0, s);
          const dGamma = backend.dot(s, negR);
          const gradParams = parts.grads(params, dGamma, dTheta, () => {
            const dw = backend.transposeTimes(negR, gm);
            const t = backend.download(dw);
            backend.release(dw);
            return t;
          });
          backend.release(gm, s);
          return { gz, gy, gradParams };
        },
        release() {
          if (owned) backend.release(w);
          backend.release(...thetaOwned);
        },
      };
    },
  };
}

function sum(x: Float64Array): number {
  let s = 0;
  for (let j = 0; j < x.length; j++) s += x[j];
  return s;
}

/** LISTA-CP (no support selection) on a backend, for the fixed dictionary A. */
export function listaCpBackendLayer(A: Tensor): BackendLayer<ListaCpParams> {
  const [n, m] = A.shape;
  return stepBackendLayer('lista-cp', A, {
    weight(backend, params) {
      const W = checkTensor('lista-cp.upload', 'params.W', params.W, { shape: [n, m] });
      checkThreshold('lista-cp.upload', 'params.theta', params.theta, m);
      return { w: backend.upload(W), owned: true };
    },
    gamma: () => 1,
    threshold: (params) => params.theta,
    grads: (params, _dGamma, dTheta, dW) => ({ W: dW(), theta: thresholdGrad(params.theta, dTheta) }),
  });
}

/** SLISTA on a backend: W = A, γ = α, t = λα. */
export function slistaBackendLayer(A: Tensor, lambda: number): BackendLayer<SlistaParams> {
  const aOn = constantOn(A);
  const alphaOf = (params: SlistaParams): number =>
    checkNumber('slista.upload', 'params.alpha', params.alpha, { min: 0 });
  return stepBackendLayer('slista', A, {
    weight: (backend) => ({ w: aOn(backend), owned: false }),
    gamma: alphaOf,
    threshold: (params) => lambda * alphaOf(params),
    grads: (_params, dGamma, dTheta) => ({ alpha: dGamma + lambda * sum(dTheta) }),
  });
}

/** ALISTA on a backend: W analytic (fixed), γ and θ learned. */
export function alistaBackendLayer(A: Tensor, W: Tensor): BackendLayer<AlistaParams> {
  const wOn = constantOn(W);
  return stepBackendLayer('alista', A, {
    weight: (backend) => ({ w: wOn(backend), owned: false }),
    gamma: (params) => checkNumber('alista.upload', 'params.gamma', params.gamma),
    threshold: (params) => checkNumber('alista.upload', 'params.theta', params.theta, { min: 0 }),
    grads: (_params, dGamma, dTheta) => ({ gamma: dGamma, theta: sum(dTheta) }),
  });
}
