/**
 * The device part of the demo: T ISTA iterations and the T layers of a LISTA network, written
 * against the library's {@link Backend} interface (the page passes the gpu.js backend; the CPU
 * backend runs the same code). The signals, the operator and the weights are uploaded once, the
 * codes stay on the device from one iteration / layer to the next, and each depth's codes are
 * read back once for the evaluation (they are the results the page plots).
 *
 * Numerically these are the library's own steps: ISTA's z - (1/L) Aᵀ(A z - y) thresholded at
 * λ/L with L the solvers' bound (lassoProblem), and LISTA's ST(W1 y + W2 z, θ) from z = 0, in
 * the row form of the batch (Y W1ᵀ + Z W2ᵀ).
 */
import type { Backend, DeviceMatrix } from '../../src/backend/types.js';
import { lassoProblem } from '../../src/solvers/lasso-problem.js';
import { inverseLipschitz } from '../../src/solvers/prox-grad-kernels.js';
import { wrap, type Tensor } from '../../src/tensor/tensor.js';
import { parameterName } from '../../src/unrolled/model.js';
import type { Model } from '../../src/unrolled/model-types.js';

/** The codes after each iteration / layer, and the time each method took (ms, with read-backs). */
export interface DeviceRun {
  readonly ista: Tensor[];
  readonly lista: Tensor[];
  readonly milliseconds: { readonly ista: number; readonly lista: number };
}

/** T ISTA iterations from zero codes on the Lasso (A, Y, λ): Z ← ST(Z + (1/L)(Y - Z Aᵀ) A, λ/L). */
function istaCodes(backend: Backend, A: Tensor, Y: Tensor, lambda: number, depth: number): Tensor[] {
  const [N, m] = [Y.shape[0], A.shape[1]];
  const step = inverseLipschitz(lassoProblem(A, Y, lambda).lipschitz);
  const a = backend.upload(A);
  const y = backend.upload(Y);
  let z = backend.upload(wrap(new Float64Array(N * m), [N, m]));
  const codes: Tensor[] = [];
  for (let t = 0; t < depth; t++) {
    const negResidual = backend.affine(y, -1, z, a, true);
    const next = backend.shrinkAffine(z, step, negResidual, a, false, { scale: step * lambda });
    backend.release(z, negResidual);
    z = next;
    codes.push(backend.download(z));
  }
  backend.release(a, y, z);
  return codes;
}

/** The T layers of a LISTA model from zero codes: Z ← ST(Y W1ᵀ + Z W2ᵀ, θ). */
function listaCodes(backend: Backend, model: Model, Y: Tensor): Tensor[] {
  const { spec, params } = model;
  const [N, m] = [Y.shape[0], model.A.shape[1]];
  const uploaded = new Map<string, DeviceMatrix>();
  // Shared weights are uploaded once and used by every layer.
  const weight = (t: number, field: string): DeviceMatrix => {
    const name = parameterName(spec, t, field);
    let w = uploaded.get(name);
    if (w === undefined) {
      w = backend.upload(params[name]);
      uploaded.set(name, w);
    }
    return w;
  };
  const y = backend.upload(Y);
  let z = backend.upload(wrap(new Float64Array(N * m), [N, m]));
  const codes: Tensor[] = [];
  for (let t = 0; t < spec.depth; t++) {
    const theta = params[parameterName(spec, t, 'theta')].data[0];
    const b = backend.times(y, weight(t, 'W1'), true);
    const next = backend.shrinkAffine(b, 1, z, weight(t, 'W2'), true, { scale: theta });
    backend.release(z, b);
    z = next;
    codes.push(backend.download(z));
  }
  backend.release(y, z, ...uploaded.values());
  return codes;
}

/** ISTA (depth iterations) and the LISTA model on signals Y, on `backend`. */
export function runOnBackend(backend: Backend, model: Model, Y: Tensor, depth: number): DeviceRun {
  if (model.spec.kind !== 'lista') throw new Error(`the demo runs a lista model, not ${model.spec.kind}`);
  const t0 = performance.now();
  const ista = istaCodes(backend, model.A, Y, model.spec.lambda, depth);
  const t1 = performance.now();
  const lista = listaCodes(backend, model, Y);
  const t2 = performance.now();
  return { ista, lista, milliseconds: { ista: t1 - t0, lista: t2 - t1 } };
}
