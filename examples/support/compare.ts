/**
 * Shared by the demo and the Ablin et al. (2019) experiment: the reference F* of each signal, the
 * per-depth F - F* of ISTA, FISTA and trained networks, and a plain-text table.
 */
import {
  CD_SYNC_EVERY,
  coordinateDescentSolver,
  evaluateModel,
  evaluateSolver,
  fista,
  ista,
  lassoObjective,
  lassoProblem,
  runSolver,
  type LambdaSpec,
  type Model,
  type Tensor,
} from '../../src/index.js';

/**
 * The Lasso solution Z* of each signal and its objective F*: coordinate descent to a duality gap
 * of `tol` on every signal.
 */
export function referenceSolution(
  A: Tensor,
  Y: Tensor,
  lambda: number,
  tol: number,
): { Z: Tensor; fstar: Tensor } {
  const problem = lassoProblem(A, Y, lambda);
  const result = runSolver(coordinateDescentSolver({ tol }), problem, {
    tol,
    maxIter: 1_000_000,
    checkEvery: CD_SYNC_EVERY,
  });
  if (!result.converged)
    throw new Error(`coordinate descent did not reach the gap ${tol} (max gap ${result.maxGap}).`);
  return { Z: result.Z, fstar: lassoObjective(A, Y, result.Z, problem.lambda).perSample };
}

/** Mean F - F* after each iteration 1..depth of ISTA and FISTA from zero. */
export function classicalCurves(
  A: Tensor,
  Y: Tensor,
  lambda: LambdaSpec,
  depth: number,
  fstar: Tensor,
): Record<'ISTA' | 'FISTA', number[]> {
  const problem = lassoProblem(A, Y, lambda);
  const curve = (rows: { meanSuboptimality?: number }[]) => rows.map((r) => r.meanSuboptimality as number);
  return {
    ISTA: curve(evaluateSolver(ista, problem, depth, { fstar })),
    FISTA: curve(evaluateSolver(fista, problem, depth, { fstar })),
  };
}

/** Mean F - F* after each layer of a model. */
export function modelCurve(model: Model, Y: Tensor, fstar: Tensor): number[] {
  return evaluateModel(model, Y, { fstar }).map((r) => r.meanSuboptimality as number);
}

export { textTable } from '../../src/cli/text-table.js';

/** A Markdown table. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * The points of a series that a log axis can show (y > 0 and finite): F - F* can reach 0 to
 * rounding once a method has converged.
 */
export function positivePart(s: { name: string; x: readonly number[]; y: readonly number[] }) {
  const keep = s.y.map((v) => v > 0 && Number.isFinite(v));
  return { name: s.name, x: s.x.filter((_, k) => keep[k]), y: s.y.filter((_, k) => keep[k]) };
}
