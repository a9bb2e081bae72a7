/**
 * Unrolled networks: a network of depth T is a fold of one layer kind over T parameter sets,
 *
 *     z_0 (default 0),   z_{t+1} = layer.forward(params[t], { z: z_t, y }),   output z_T,
 *
 * and its backward pass is the reverse fold of the layers' VJPs (DESIGN.md: no autograd). Every
 * layer sees the same signals y, so the gradient w.r.t. y is the sum of the layers' dY.
 *
 * Parameters are given per layer (a list of length T). Tied (shared) weights are the same object
 * repeated ({@link sharedParams}); the backward pass still returns one gradient per layer, and the
 * gradient w.r.t. the shared parameters is their sum ({@link sumParamGrads}), by the chain rule.
 *
 * Losses weighted over layers (e.g. sum_t w_t loss(z_t)) pass their extra gradients
 * dLoss/dz_t per layer to {@link backwardNetwork} (`gradPerLayer`), which adds each to the
 * gradient flowing back into the output of its layer.
 *
 * {@link addParams} and {@link scaleParams} are the small vector-space operations over parameter
 * objects whose fields are numbers or tensors, for optimisers.
 *
 * @module
 */
import { Tensor, unsafeData, wrap } from '../tensor/tensor.js';
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkTensor,
  isArray,
  rangeError,
  typeError,
} from '../validate/index.js';
import type { Layer } from './types.js';
import { checkBackend } from '../backend/check.js';
import type { Backend } from '../backend/types.js';
import { backwardOnBackend, forwardOnBackend, isBackendCaches } from './backend-network.js';

/** A network of depth T: one layer kind, T parameter sets (one per layer) and the code size m. */
export interface Network<P, C> {
  readonly layer: Layer<P, C>;
  /** Parameters of each layer, length T (entries may be the same object: tied weights). */
  readonly params: readonly P[];
  /** The depth T = params.length (>= 1). */
  readonly depth: number;
  /** The code size m (the default z_0 is zeros (N, m)). */
  readonly codeSize: number;
}

/** Options of {@link forwardNetwork}. */
export interface ForwardNetworkOptions {
  /** The initial codes z_0, shape (N, m) (default zeros). */
  readonly z0?: Tensor;
  /** Also return every intermediate output z_1 .. z_T (default false). */
  readonly keepAll?: boolean;
  /**
   * Run on this compute backend (src/backend; e.g. from createGpuBackend of `unfolded/gpu`):
   * data stays on the device across layers, only outputs come back. The caches then hold device
   * memory: pass them to backwardNetwork as usual, and give them back with releaseNetworkCaches
   * when done (or leave them to the garbage collector). Default: the Float64 layers on the host.
   */
  readonly backend?: Backend;
}

/** What {@link forwardNetwork} returns. */
export interface NetworkForward<C> {
  /** The output z_T, shape (N, m). */
  readonly output: Tensor;
  /** With `keepAll`: z_1 .. z_T (length T, the last is `output`). */
  readonly outputs?: readonly Tensor[];
  /** The layers' caches, in layer order (length T), for {@link backwardNetwork}. */
  readonly caches: readonly C[];
}

/** What {@link backwardNetwork} returns. */
export interface NetworkGradients<P> {
  /** dLoss/dy, shape (N, n): the sum over layers. */
  readonly gradY: Tensor;
  /** dLoss/dz_0, shape (N, m). */
  readonly gradZ0: Tensor;
  /** dLoss/dparams[t] for each layer t (length T), each shaped like params[t]. */
  readonly gradParams: P[];
}

/**
 * A network of depth T = params.length >= 1 of the layer `layer`, with codes of size m =
 * `codeSize` (needed for the default z_0 = 0). The parameter list is copied (not its entries).
 */
export function network<P, C>(layer: Layer<P, C>, params: readonly P[], codeSize: number): Network<P, C> {
  const fn = 'network';
  if (
    layer === null ||
    typeof layer !== 'object' ||
    typeof layer.forward !== 'function' ||
    typeof layer.vjp !== 'function'
  )
    typeError(fn, 'layer', 'a layer { name, forward, vjp }', layer);
  if (!isArray(params)) typeError(fn, 'params', 'an array of layer parameters (one per layer)', params);
  if (params.length < 1) rangeError(fn, 'params', 'an array of at least one layer parameter set', params);
  const m = checkInteger(fn, 'codeSize', codeSize, { min: 1 });
  return Object.freeze({ layer, params: Object.freeze(params.slice()), depth: params.length, codeSize: m });
}

/**
 * The same parameter object repeated T >= 1 times: tied weights across layers. The backward pass
 * returns one gradient per layer; the gradient w.r.t. the shared parameters is their sum
 * ({@link sumParamGrads}).
 */
export function sharedParams<P>(params: P, T: number): P[] {
  const depth = checkInteger('sharedParams', 'T', T, { min: 1 });
  return Array.from({ length: depth }, () => params);
}

function checkNetwork(fn: string, net: unknown): Network<unknown, unknown> {
  const ok =
    net !== null &&
    typeof net === 'object' &&
    isArray((net as { params?: unknown }).params) &&
    typeof (net as { codeSize?: unknown }).codeSize === 'number' &&
    typeof (net as { layer?: { forward?: unknown } }).layer?.forward === 'function';
  if (!ok) typeError(fn, 'net', 'a network (from network())', net);
  return net as Network<unknown, unknown>;
}

/**
 * Runs the network on signals y (N, n) from z_0 (default zeros (N, m)). With `keepAll`, also
 * returns z_1 .. z_T. The layers check y against their own sizes.
 */
export function forwardNetwork<P, C>(
  net: Network<P, C>,
  y: Tensor,
  options: ForwardNetworkOptions = {},
): NetworkForward<C> {
  const fn = 'forwardNetwork';
  checkNetwork(fn, net);
  const yt = checkTensor(fn, 'y', y, { rank: 2 });
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const N = yt.shape[0];
  const m = net.codeSize;
  const keepAll =
    options.keepAll === undefined ? false : checkBoolean(fn, 'options.keepAll', options.keepAll);
  let z =
    options.z0 === undefined
      ? wrap(new Float64Array(N * m), [N, m])
      : checkTensor(fn, 'options.z0', options.z0, { shape: [N, m] });
  if (options.backend !== undefined)
    return forwardOnBackend(checkBackend(fn, 'options.backend', options.backend), net, yt, z, keepAll);
  const caches: C[] = [];
  const outputs: Tensor[] = [];
  for (let t = 0; t < net.depth; t++) {
    const { output, cache } = net.layer.forward(net.params[t], { z, y: yt });
    caches.push(cache);
    if (keepAll) outputs.push(output);
    z = output;
  }
  return keepAll ? { output: z, outputs, caches } : { output: z, caches };
}

/** out += t (same size, unchecked). */
function addInto(out: Float64Array, t: Tensor): void {
  const d = t.data;
  for (let k = 0; k < out.length; k++) out[k] += d[k];
}

/**
 * The reverse fold of the layers' VJPs: given gradOutput = dLoss/dz_T (N, m) and the caches of
 * {@link forwardNetwork} (run with the same parameters), the gradients w.r.t. y, z_0 and each
 * layer's parameters; caches of a forward pass on a backend run the backward pass there. `gradPerLayer` (optional, length T; entries may be null or undefined) adds
 * extra gradients dLoss/dz_{t+1} w.r.t. the intermediate outputs (entry t is added to the gradient
 * at layer t's output; the last entry adds to gradOutput), for losses weighted over layers.
 */
export function backwardNetwork<P, C>(
  net: Network<P, C>,
  caches: readonly C[],
  gradOutput: Tensor,
  gradPerLayer?: readonly (Tensor | null | undefined)[],
): NetworkGradients<P> {
  const fn = 'backwardNetwork';
  checkNetwork(fn, net);
  const T = net.depth;
  if (!isArray(caches)) typeError(fn, 'caches', 'an array of layer caches (from forwardNetwork)', caches);
  if (caches.length !== T) rangeError(fn, 'caches', `an array of ${T} layer caches (one per layer)`, caches);
  const g0 = checkTensor(fn, 'gradOutput', gradOutput, { rank: 2, shape: [-1, net.codeSize] });
  const shape = g0.shape;
  const extra: (Tensor | undefined)[] = new Array<Tensor | undefined>(T).fill(undefined);
  if (gradPerLayer !== undefined) {
    if (!isArray(gradPerLayer))
      typeError(fn, 'gradPerLayer', 'an array of tensors (one per layer)', gradPerLayer);
    if (gradPerLayer.length !== T)
      rangeError(fn, 'gradPerLayer', `an array of ${T} tensors or nulls (one per layer)`, gradPerLayer);
    for (let t = 0; t < T; t++) {
      const e = gradPerLayer[t];
      if (e !== null && e !== undefined) extra[t] = checkTensor(fn, `gradPerLayer[${t}]`, e, { shape });
    }
  }
  if (isBackendCaches(caches)) return backwardOnBackend(net, caches, g0, extra);
  let g = g0;
  if (extra[T - 1] !== undefined) {
    const buf = Float64Array.from(g0.data);
    addInto(buf, extra[T - 1] as Tensor);
    g = wrap(buf, shape);
  }
  const gradParams: P[] = new Array<P>(T);
  let gradY: Float64Array | undefined;
  let yShape: readonly number[] = [];
  for (let t = T - 1; t >= 0; t--) {
    const { gradInput, gradParams: gp } = net.layer.vjp(net.params[t], caches[t], g);
    gradParams[t] = gp;
    if (gradY === undefined) {
      gradY = Float64Array.from(gradInput.y.data);
      yShape = gradInput.y.shape;
    } else addInto(gradY, gradInput.y);
    const e = t > 0 ? extra[t - 1] : undefined;
    if (e !== undefined) {
      const buf = Float64Array.from(gradInput.z.data);
      addInto(buf, e);
      g = wrap(buf, shape);
    } else g = gradInput.z;
  }
  return { gradY: wrap(gradY as Float64Array, yShape), gradZ0: g, gradParams };
}

/** A parameter object whose fields are numbers or tensors (every layer's parameters). */
export type NumericParams<P> = { readonly [K in keyof P]: number | Tensor };

/** Combines two parameter objects field by field: a + s b (checked, new tensors). */
function combine<P extends NumericParams<P>>(fn: string, a: P, b: P, s: number): P {
  if (a === null || typeof a !== 'object') typeError(fn, 'a', 'a parameter object', a);
  if (b === null || typeof b !== 'object') typeError(fn, 'b', 'a parameter object', b);
  const out: Record<string, number | Tensor> = {};
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length || keys.some((k) => !(k in rb)))
    rangeError(fn, 'b', `a parameter object with the fields ${keys.join(', ')}`, b);
  for (const k of keys) {
    const x = ra[k];
    const y = rb[k];
    if (typeof x === 'number') {
      if (typeof y !== 'number') typeError(fn, `b.${k}`, 'a number (like a)', y);
      out[k] = x + s * y;
    } else if (x instanceof Tensor) {
      const xt = checkTensor(fn, `a.${k}`, x, { finite: false });
      const yt = checkTensor(fn, `b.${k}`, y, { shape: xt.shape, finite: false });
      const buf = Float64Array.from(xt.data);
      const yd = yt.data;
      for (let i = 0; i < buf.length; i++) buf[i] += s * yd[i];
      out[k] = wrap(buf, xt.shape);
    } else typeError(fn, `a.${k}`, 'a number or a tensor', x);
  }
  return out as unknown as P;
}

/** a + b field by field, for parameter objects whose fields are numbers or tensors of equal shapes. */
export function addParams<P extends NumericParams<P>>(a: P, b: P): P {
  return combine('addParams', a, b, 1);
}

/** s p field by field (s a finite number), for parameter objects whose fields are numbers or tensors. */
export function scaleParams<P extends NumericParams<P>>(p: P, s: number): P {
  const fn = 'scaleParams';
  checkNumber(fn, 's', s);
  if (p === null || typeof p !== 'object') typeError(fn, 'p', 'a parameter object', p);
  const out: Record<string, number | Tensor> = {};
  for (const [k, x] of Object.entries(p as unknown as Record<string, unknown>)) {
    if (typeof x === 'number') out[k] = s * x;
    else if (x instanceof Tensor)
      out[k] = wrap(
        unsafeData(x).map((v) => s * v),
        x.shape,
      );
    else typeError(fn, `p.${k}`, 'a number or a tensor', x);
  }
  return out as unknown as P;
}

/**
 * The sum of a non-empty list of parameter gradients: the gradient w.r.t. parameters shared by
 * those layers (tied weights, {@link sharedParams}).
 */
export function sumParamGrads<P extends NumericParams<P>>(grads: readonly P[]): P {
  const fn = 'sumParamGrads';
  if (!isArray(grads)) typeError(fn, 'grads', 'an array of parameter gradients', grads);
  if (grads.length < 1) rangeError(fn, 'grads', 'an array of at least one parameter gradient', grads);
  if (grads.length === 1) return scaleParams(grads[0], 1); // a copy
  let sum = grads[0];
  for (let t = 1; t < grads.length; t++) sum = combine(fn, sum, grads[t], 1);
  return sum;
}
