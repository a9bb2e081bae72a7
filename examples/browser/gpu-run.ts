/**
 * The GPU part of the demo: ISTA iterations and the LISTA forward pass on the gpu.js backend,
 * returning the codes after every iteration / layer (read back to the host once each).
 */
import { applyModel } from '../../src/unrolled/model.js';
import type { Model } from '../../src/unrolled/model-types.js';
import { lassoProblem } from '../../src/solvers/lasso-problem.js';
import { ista } from '../../src/solvers/ista.js';
import type { Tensor } from '../../src/tensor/tensor.js';

export interface KernelRun {
  readonly backend: string;
  readonly kernelKind: string;
  readonly ista: Tensor[];
  readonly lista: readonly Tensor[];
  readonly milliseconds: { readonly ista: number; readonly lista: number };
}

/** Placeholder on the CPU until the backend interface lands. */
export function runDemoKernels(model: Model, Y: Tensor, depth: number): Promise<KernelRun> {
  const problem = lassoProblem(model.A, Y, model.spec.lambda);
  const t0 = performance.now();
  const codes: Tensor[] = [];
  let state = ista.init(problem);
  for (let t = 0; t < depth; t++) {
    state = ista.step(problem, state);
    codes.push(ista.solution(problem, state));
  }
  const t1 = performance.now();
  const lista = applyModel(model, Y, { keepAll: true }).outputs as readonly Tensor[];
  const t2 = performance.now();
  return Promise.resolve({
    backend: 'cpu',
    kernelKind: 'none',
    ista: codes,
    lista,
    milliseconds: { ista: t1 - t0, lista: t2 - t1 },
  });
}
