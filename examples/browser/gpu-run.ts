/**
 * The device part of the demo: T ISTA iterations (istaIterations) and the T layers of a LISTA
 * model (applyModel) on a compute backend, the library's own inference paths: the page passes
 * the gpu.js backend (the CPU backend runs the same code). Signals, operator and weights are
 * uploaded once and the codes stay on the device from one iteration / layer to the next; with
 * `keepAll` each depth's codes come back once, for the evaluation (they are what the page plots).
 */
import type { Backend } from '../../src/backend/types.js';
import { istaIterations } from '../../src/solvers/backend-iterations.js';
import { lassoProblem } from '../../src/solvers/lasso-problem.js';
import type { Tensor } from '../../src/tensor/tensor.js';
import { applyModel } from '../../src/unrolled/model.js';
import type { Model } from '../../src/unrolled/model-types.js';

/** The codes after each iteration / layer, and the time each method took (ms, with read-backs). */
export interface DeviceRun {
  readonly ista: readonly Tensor[];
  readonly lista: readonly Tensor[];
  readonly milliseconds: { readonly ista: number; readonly lista: number };
}

/** ISTA (`depth` iterations from zero, step 1/L) and the model on signals Y, on `backend`. */
export function runOnBackend(backend: Backend, model: Model, Y: Tensor, depth: number): DeviceRun {
  const t0 = performance.now();
  const problem = lassoProblem(model.A, Y, model.spec.lambda);
  const ista = istaIterations(problem, depth, { backend, keepAll: true }).iterates as readonly Tensor[];
  const t1 = performance.now();
  const lista = applyModel(model, Y, { backend, keepAll: true }).outputs as readonly Tensor[];
  const t2 = performance.now();
  return { ista, lista, milliseconds: { ista: t1 - t0, lista: t2 - t1 } };
}
