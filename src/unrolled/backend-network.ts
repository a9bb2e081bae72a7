/**
 * A network's forward and backward passes on a compute backend (src/backend), behind the
 * `backend` option of forwardNetwork and the caches it returns: the signals and z_0 are uploaded
 * once, every layer's output stays on the device as the next layer's input (and for the backward
 * pass), and only results come back: z_T (and z_1 .. z_T with `keepAll`) forward; dY, dz_0 and
 * the parameter gradients backward. Tied parameters (the same object in several layers) are
 * uploaded once.
 *
 * The caches of a backend pass are tokens that point at the device data; backwardNetwork finds
 * the pass through them. The device memory is given back by {@link releaseNetworkCaches}, or
 * when the caches are garbage-collected.
 *
 * @module
 */
import type { Backend, DeviceMatrix } from '../backend/types.js';
import type { Tensor } from '../tensor/tensor.js';
import { rangeError, typeError, Got } from '../validate/index.js';
import type { LayerOnDevice } from './backend-layers.js';
import type { Network, NetworkForward, NetworkGradients } from './network.js';

/** The device data of one forward pass. */
interface Resources {
  readonly backend: Backend;
  /** Uploaded layers, one per distinct parameter object. */
  readonly layers: LayerOnDevice<unknown>[];
  /** y, z_0 .. z_T and every layer's saved matrices. */
  readonly matrices: DeviceMatrix[];
  released: boolean;
}

/** A forward pass on a backend: what backwardNetwork needs. */
interface Pass {
  readonly res: Resources;
  readonly perLayer: readonly LayerOnDevice<unknown>[];
  readonly y: DeviceMatrix;
  /** z_0 .. z_T. */
  readonly zs: readonly DeviceMatrix[];
  readonly saved: readonly (readonly DeviceMatrix[])[];
}

/** The cache of layer t of a backend pass. */
interface Token {
  readonly pass: Pass;
  readonly layer: number;
}

const TOKENS = new WeakSet<object>();

function releaseResources(res: Resources): void {
  if (res.released) return;
  res.released = true;
  res.backend.release(...res.matrices);
  for (const l of res.layers) l.release();
}

const registry = new FinalizationRegistry<Resources>(releaseResources);

/** @internal Whether `caches` come from a forward pass on a backend. */
export function isBackendCaches(caches: readonly unknown[]): boolean {
  return caches.length > 0 && typeof caches[0] === 'object' && caches[0] !== null && TOKENS.has(caches[0]);
}

/**
 * Gives back the device memory of a network forward pass on a backend (its caches); afterwards
 * they cannot go to backwardNetwork. Caches of a CPU forward pass (no backend) are left alone.
 */
export function releaseNetworkCaches(caches: readonly unknown[]): void {
  if (!Array.isArray(caches)) typeError('releaseNetworkCaches', 'caches', 'an array of layer caches', caches);
  if (!isBackendCaches(caches)) return;
  const { res } = (caches[0] as Token).pass;
  registry.unregister(res);
  releaseResources(res);
}

/** @internal forwardNetwork on a backend (arguments already checked). */
export function forwardOnBackend<P, C>(
  backend: Backend,
  net: Network<P, C>,
  y: Tensor,
  z0: Tensor,
  keepAll: boolean,
): NetworkForward<C> {
  const layer = net.layer.onBackend;
  if (layer === undefined)
    rangeError(
      'forwardNetwork',
      'options.backend',
      'undefined for this layer',
      new Got(`a backend, but the layer '${net.layer.name}' has no backend form`),
    );
  const res: Resources = { backend, layers: [], matrices: [], released: false };
  try {
    const uploaded = new Map<P, LayerOnDevice<unknown>>();
    const perLayer: LayerOnDevice<unknown>[] = [];
    for (const p of net.params) {
      let l = uploaded.get(p);
      if (l === undefined) {
        l = layer.upload(backend, p);
        uploaded.set(p, l);
        res.layers.push(l);
      }
      perLayer.push(l);
    }
    const n = perLayer[0].n;
    if (y.shape[1] !== n) rangeError('forwardNetwork', 'y', `a tensor with ${n} columns (the layer's n)`, y);
    const yd = backend.upload(y);
    res.matrices.push(yd);
    let z = backend.upload(z0);
    res.matrices.push(z);
    const zs = [z];
    const saved: DeviceMatrix[][] = [];
    const outputs: Tensor[] = [];
    for (let t = 0; t < net.depth; t++) {
      const { output, saved: s } = perLayer[t].forward(z, yd);
      res.matrices.push(output, ...s);
      saved.push(s);
      zs.push(output);
      if (keepAll) outputs.push(backend.download(output));
      z = output;
    }
    const pass: Pass = { res, perLayer, y: yd, zs, saved };
    const caches = perLayer.map((_, t) => {
      const token: Token = Object.freeze({ pass, layer: t });
      TOKENS.add(token);
      return token as unknown as C;
    });
    registry.register(pass, res, res);
    const output = keepAll ? outputs[outputs.length - 1] : backend.download(z);
    return keepAll ? { output, outputs, caches } : { output, caches };
  } catch (e) {
    releaseResources(res);
    throw e;
  }
}

/** @internal backwardNetwork on the pass behind `caches` (gradients already checked). */
export function backwardOnBackend<P, C>(
  net: Network<P, C>,
  caches: readonly C[],
  gradOutput: Tensor,
  extra: readonly (Tensor | undefined)[],
): NetworkGradients<P> {
  const { pass } = caches[0] as unknown as Token;
  const T = net.depth;
  for (let t = 0; t < T; t++) {
    const token = caches[t] as unknown as Token;
    if (!TOKENS.has(token) || token.pass !== pass || token.layer !== t)
      rangeError(
        'backwardNetwork',
        'caches',
        'the caches of one forwardNetwork call, in layer order',
        caches,
      );
  }
  if (pass.perLayer.length !== T)
    rangeError('backwardNetwork', 'caches', `the caches of a network of depth ${T}`, caches);
  if (pass.res.released)
    rangeError('backwardNetwork', 'caches', 'caches whose device memory was not released', caches);
  const backend = pass.res.backend;
  const addOn = (x: DeviceMatrix, e: Tensor | undefined): DeviceMatrix => {
    if (e === undefined) return x;
    const ed = backend.upload(e);
    const sum = backend.combine(1, x, 1, ed);
    backend.release(ed, x);
    return sum;
  };
  let g = addOn(backend.upload(gradOutput), extra[T - 1]);
  let gy: DeviceMatrix | null = null;
  const gradParams: P[] = new Array<P>(T);
  try {
    for (let t = T - 1; t >= 0; t--) {
      const r = pass.perLayer[t].vjp(pass.saved[t], pass.zs[t], pass.y, pass.zs[t + 1], g);
      gradParams[t] = r.gradParams as P;
      backend.release(g);
      if (gy === null) gy = r.gy;
      else {
        const s = backend.combine(1, gy, 1, r.gy);
        backend.release(gy, r.gy);
        gy = s;
      }
      g = addOn(r.gz, t > 0 ? extra[t - 1] : undefined);
    }
    return { gradY: backend.download(gy as DeviceMatrix), gradZ0: backend.download(g), gradParams };
  } finally {
    backend.release(g, ...(gy === null ? [] : [gy]));
  }
}

/**
 * @internal Inference on a backend: like {@link forwardOnBackend} but without caches, so each
 * layer's input is given back as soon as the next output exists (device memory for two layers,
 * not T). Returns z_T and, with `keepAll`, z_1 .. z_T.
 */
export function inferOnBackend<P, C>(
  backend: Backend,
  net: Network<P, C>,
  y: Tensor,
  z0: Tensor,
  keepAll: boolean,
): { output: Tensor; outputs?: Tensor[] } {
  const layer = net.layer.onBackend;
  if (layer === undefined)
    rangeError(
      'applyModel',
      'options.backend',
      'undefined for this layer',
      new Got(`a backend, but the layer '${net.layer.name}' has no backend form`),
    );
  const uploaded = new Map<P, LayerOnDevice<unknown>>();
  const live: DeviceMatrix[] = [];
  try {
    const perLayer = net.params.map((p) => {
      let l = uploaded.get(p);
      if (l === undefined) {
        l = layer.upload(backend, p);
        uploaded.set(p, l);
      }
      return l;
    });
    const yd = backend.upload(y);
    live.push(yd);
    let z = backend.upload(z0);
    const outputs: Tensor[] = [];
    for (let t = 0; t < net.depth; t++) {
      live.push(z);
      const { output, saved } = perLayer[t].forward(z, yd);
      backend.release(...saved, z);
      live.pop();
      z = output;
      if (keepAll) outputs.push(backend.download(z));
    }
    live.push(z);
    return keepAll ? { output: outputs[outputs.length - 1], outputs } : { output: backend.download(z) };
  } finally {
    backend.release(...live);
    for (const l of uploaded.values()) l.release();
  }
}
