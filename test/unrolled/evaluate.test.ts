import { describe, expect, it } from 'vitest';
import {
  createModel,
  evaluateModel,
  evaluateSolver,
  fista,
  ista,
  lassoObjective,
  lassoProblem,
  nmseDb,
  runSolver,
  syntheticProblem,
  zeros,
} from '../../src/index.js';

const { A, Y, Z } = syntheticProblem({ n: 6, m: 10, samples: 7, density: 0.3, seed: 4 });

describe('evaluateSolver', () => {
  it('reports the objective of the codes after each iteration t = 1..T', () => {
    const problem = lassoProblem(A, Y, 0.1);
    const rows = evaluateSolver(fista, problem, 4);
    expect(rows.map((r) => r.layer)).toEqual([1, 2, 3, 4]);
    for (const t of [1, 4]) {
      const ran = runSolver(fista, problem, { tol: 0, maxIter: t });
      expect(rows[t - 1].meanObjective).toBe(ran.meanObjective);
    }
  });

  it('adds F - F* and NMSE when given F* and targets', () => {
    const problem = lassoProblem(A, Y, 0.1);
    const fstar = lassoObjective(A, Y, zeros([7, 10]), 0.1).perSample;
    const [row] = evaluateSolver(ista, problem, 1, { fstar, targets: Z });
    const Z1 = runSolver(ista, problem, { tol: 0, maxIter: 1 }).Z;
    const F1 = lassoObjective(A, Y, Z1, 0.1).perSample.data;
    const mean = F1.reduce((s, v, i) => s + v - fstar.data[i], 0) / 7;
    expect(row.meanSuboptimality).toBeCloseTo(mean, 14);
    expect(row.nmseDb).toBe(nmseDb(Z1, Z));
  });

  it('rejects a bad depth or options with the template message', () => {
    const problem = lassoProblem(A, Y, 0.1);
    expect(() => evaluateSolver(ista, problem, 0)).toThrow(
      "evaluateSolver: argument 'depth' must be an integer >= 1. Got 0.",
    );
    expect(() => evaluateSolver(ista, problem, 2, { fstar: zeros([3]) })).toThrow(
      /evaluateSolver: argument 'options.fstar' must be .*\[7\]/,
    );
  });
});

describe('evaluateModel', () => {
  it('a SLISTA model at ISTA initialisation evaluates like ISTA, layer by layer (1e-12)', () => {
    const model = createModel('slista', A, { depth: 5, lambda: 0.1 });
    const net = evaluateModel(model, Y);
    const base = evaluateSolver(ista, lassoProblem(A, Y, 0.1), 5);
    net.forEach((r, t) => expect(Math.abs(r.meanObjective - base[t].meanObjective)).toBeLessThan(1e-12));
  });

  it('in ratio mode uses lambda_i = R lambdaMax(y_i) for the original signals', () => {
    const model = createModel('slista', A, { depth: 3, lambda: 0.2, lambdaMode: 'ratio' });
    const net = evaluateModel(model, Y);
    const base = evaluateSolver(ista, lassoProblem(A, Y, { ratio: 0.2 }), 3);
    net.forEach((r, t) => expect(r.meanObjective).toBeCloseTo(base[t].meanObjective, 12));
  });

  it('rejects signals of the wrong size with the template message', () => {
    const model = createModel('lista', A, { depth: 2, lambda: 0.1 });
    expect(() => evaluateModel(model, zeros([3, 5]))).toThrow(/evaluateModel: argument 'Y' must be/);
  });
});
