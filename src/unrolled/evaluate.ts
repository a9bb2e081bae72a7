/**
 * Per-depth evaluation: how good are the codes after each layer of a model, or after each
 * iteration of a classical solver, on the same signals? This is the comparison the research
 * question asks for (Ablin et al. 2019, F(z_t) - F* versus depth t).
 *
 * For every depth t = 1..T it reports the mean Lasso objective of the codes z_t of the original
 * signals (with the model's λ: one number, or R λMax(y_i) in ratio mode), and optionally
 *
 * - the mean suboptimality F(z_t) - F*, given F* per sample (e.g. coordinate descent to a tight
 *   duality gap), and
 * - the NMSE in dB against target codes (ratio of sums, {@link nmseDb}).
 *
 * @module
 */
import { lassoObjective } from '../problems/lasso.js';
import type { Lambda } from '../problems/lambda.js';
import type { LassoProblem } from '../solvers/lasso-problem.js';
import type { IterativeSolver, SolverState } from '../solvers/types.js';
import { nmseDb } from '../metrics/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkInteger, checkTensor, typeError } from '../validate/index.js';
import { applyModel, modelLambda } from './model.js';
import type { Model } from './model-types.js';

/** The evaluation of the codes at one depth. */
export interface LayerEvaluation {
  /** The depth t (1-based: codes after t layers or iterations). */
  readonly layer: number;
  /** Mean over samples of F(z_t). */
  readonly meanObjective: number;
  /** Mean over samples of F(z_t) - F*_i (with `fstar`). */
  readonly meanSuboptimality?: number;
  /** 10 log10(sum ||z_t - z*||² / sum ||z*||²) (with `targets`). */
  readonly nmseDb?: number;
}

/** What to compare the codes with. */
export interface EvaluationOptions {
  /** F* per sample, shape [N]. */
  readonly fstar?: Tensor;
  /** Target codes, shape (N, m). */
  readonly targets?: Tensor;
}

function checkOptions(fn: string, options: EvaluationOptions, N: number, m: number) {
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const fstar =
    options.fstar === undefined ? undefined : checkTensor(fn, 'options.fstar', options.fstar, { shape: [N] });
  const targets =
    options.targets === undefined
      ? undefined
      : checkTensor(fn, 'options.targets', options.targets, { shape: [N, m] });
  return { fstar, targets };
}

/** The evaluation of codes Z of signals Y at depth `layer`. */
function evaluateCodes(
  layer: number,
  A: Tensor,
  Y: Tensor,
  Z: Tensor,
  lambda: Lambda,
  fstar: Tensor | undefined,
  targets: Tensor | undefined,
): LayerEvaluation {
  const objective = lassoObjective(A, Y, Z, lambda);
  const out: { -readonly [K in keyof LayerEvaluation]: LayerEvaluation[K] } = {
    layer,
    meanObjective: objective.mean,
  };
  if (fstar !== undefined) {
    const f = objective.perSample.data;
    const s = fstar.data;
    let sum = 0;
    for (let i = 0; i < f.length; i++) sum += f[i] - s[i];
    out.meanSuboptimality = sum / f.length;
  }
  if (targets !== undefined) out.nmseDb = nmseDb(Z, targets);
  return out;
}

/** The evaluation after each layer t = 1..T of `model` on signals Y (N, n), N >= 1. */
export function evaluateModel(model: Model, Y: Tensor, options: EvaluationOptions = {}): LayerEvaluation[] {
  const fn = 'evaluateModel';
  const [n, m] = model.A.shape;
  const Yt = checkTensor(fn, 'Y', Y, { rank: 2, shape: [-1, n] });
  const { fstar, targets } = checkOptions(fn, options, Yt.shape[0], m);
  const lambda = modelLambda(model, Yt);
  const outputs = applyModel(model, Yt, { keepAll: true }).outputs as readonly Tensor[];
  return outputs.map((Z, t) => evaluateCodes(t + 1, model.A, Yt, Z, lambda, fstar, targets));
}

/**
 * The evaluation after each iteration t = 1..T of a Lasso solver (ISTA, FISTA, ...) started from
 * zero codes: the classical baseline of a T-layer network.
 */
export function evaluateSolver<S extends SolverState>(
  solver: IterativeSolver<LassoProblem, S>,
  problem: LassoProblem,
  depth: number,
  options: EvaluationOptions = {},
): LayerEvaluation[] {
  const fn = 'evaluateSolver';
  const T = checkInteger(fn, 'depth', depth, { min: 1 });
  const { A, Y, lambda } = problem;
  const { fstar, targets } = checkOptions(fn, options, Y.shape[0], A.shape[1]);
  const rows: LayerEvaluation[] = [];
  let state = solver.init(problem);
  for (let t = 1; t <= T; t++) {
    state = solver.step(problem, state);
    rows.push(evaluateCodes(t, A, Y, solver.solution(problem, state), lambda, fstar, targets));
  }
  return rows;
}
