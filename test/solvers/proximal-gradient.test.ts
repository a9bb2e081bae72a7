/**
 * Known results of the proximal-gradient solvers (ISTA with backtracking, FISTA with and without
 * restart, oracle ISTA) on problems solved by hand: A = I, where the solution is ST(y, lambda);
 * one-atom problems, where it is ST(<a, y>, lambda) / ||a||^2; lambda >= lambdaMax, where it is 0.
 * Data are dyadic where a result is claimed to be exact, so that exact means bit-exact.
 */
import { describe, expect, it } from 'vitest';
import { fromArray, type Tensor } from '../../src/tensor/index.js';
import { gaussianMatrix, normal } from '../../src/random/index.js';
import { lassoObjective } from '../../src/problems/index.js';
import {
  checkRunOptions,
  ista,
  lassoProblem,
  runSolver,
  type IterativeSolver,
  type LassoProblem,
  type SolverState,
} from '../../src/solvers/index.js';
import { istaBacktracking, istaBacktrackingSolver } from '../../src/solvers/ista-backtracking.js';
import { fista, fistaRestart, fistaSolver } from '../../src/solvers/fista.js';
import { oracleIsta } from '../../src/solvers/oracle-ista.js';

type AnySolver = IterativeSolver<LassoProblem, SolverState>;
const solvers: [string, AnySolver][] = [
  ['istaBacktracking', istaBacktracking],
  ['fista', fista],
  ['fistaRestart', fistaRestart],
  ['oracleIsta', oracleIsta],
];

const run = (solver: AnySolver, problem: LassoProblem, options: Parameters<typeof checkRunOptions>[1]) =>
  runSolver(solver, problem, { ...checkRunOptions(solver.name, options), warmStart: options.warmStart });

const identity = (k: number): Tensor =>
  fromArray(
    Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0)),
    [k, k],
  );

/** Soft thresholding of plain numbers. */
const st = (v: number, thr: number) => (v > thr ? v - thr : v < -thr ? v + thr : 0);

// A = I with dyadic data: ST(y, 1/2) is computed exactly, and so is its duality gap (0).
const Y = fromArray([3, -0.25, 1.5, 0.125, -2, 0.5, 0, 4], [2, 4]);
const LAMBDA = 0.5;
const Z_STAR = Array.from(Y.data, (v) => st(v, LAMBDA)); // [2.5, 0, 1, 0, -1.5, 0, 0, 3.5]

describe('A = I: the solution is ST(y, lambda)', () => {
  const problem = lassoProblem(identity(4), Y, LAMBDA);

  it('istaBacktracking: one step from zero gives ST(y, lambda) exactly, with gap 0 (initial step 1)', () => {
    const s0 = istaBacktracking.init(problem);
    expect(Array.from(s0.steps)).toEqual([1, 1]);
    const s1 = istaBacktracking.step(problem, s0);
    expect(Array.from(s1.z)).toEqual(Z_STAR);
    expect(Array.from(s1.steps)).toEqual([1, 1]); // accepted at once: ||A d|| = ||d||
    expect(s1.rounds).toBe(1);
    const cert = istaBacktracking.certificate(problem, s1);
    expect(Array.from(cert.gaps)).toEqual([0, 0]);
  });

  it('oracleIsta from a warm start on the right support: one step gives ST(y, lambda) exactly, gap 0', () => {
    const warm = fromArray([1, 0, 7, 0, -1, 0, 0, 1], [2, 4]);
    const s1 = oracleIsta.step(problem, oracleIsta.init(problem, warm));
    expect(s1.oracleSteps).toBe(2);
    expect(Array.from(s1.steps)).toEqual([1, 1]); // L_S = 1 exactly for orthonormal atoms
    expect(Array.from(s1.z)).toEqual(Z_STAR);
    expect(Array.from(oracleIsta.certificate(problem, s1).gaps)).toEqual([0, 0]);
  });

  it('oracleIsta from zero: the support grows, so 1/L until the support repeats, then L_S = 1', () => {
    const t = 1 / problem.lipschitz;
    expect(t).toBeLessThan(1);
    const s1 = oracleIsta.step(problem, oracleIsta.init(problem));
    expect(s1.oracleSteps).toBe(0);
    expect(Array.from(s1.steps)).toEqual([t, t]);
    expect(Array.from(s1.z)).toEqual(Array.from(Y.data, (v) => st(t * v, t * LAMBDA)));
    expect(Array.from(s1.stable)).toEqual([0, 0]); // grew from the empty support
    const s2 = oracleIsta.step(problem, s1);
    expect(s2.oracleSteps).toBe(0);
    expect(Array.from(s2.stable)).toEqual([1, 1]);
    const s3 = oracleIsta.step(problem, s2);
    expect(s3.oracleSteps).toBe(2);
    expect(Array.from(s3.supportLipschitz)).toEqual([1, 1]);
    expect(Array.from(s3.exact)).toEqual([1, 1]);
    s3.z.forEach((v, k) => expect(v).toBeCloseTo(Z_STAR[k], 14));
  });

  it('oracleIsta keeps the bound of a larger support while the support shrinks', () => {
    // Atoms of squared norms 4 and 1 (orthogonal): L_{0,1} = 4, L_{1} = 1.
    const A = fromArray([2, 0, 0, 1], [2, 2]);
    const shrinking = lassoProblem(A, fromArray([0.5, 3], [1, 2]), 1.5);
    const s1 = oracleIsta.step(shrinking, oracleIsta.init(shrinking, fromArray([1, 1], [1, 2])));
    // Warm start support {0, 1} is computed at once: L_S = 4; coordinate 0 goes to 0 (|2 * 0.5| < 1.5).
    expect(s1.steps[0]).toBe(0.25);
    expect(Array.from(s1.z).map((v) => v !== 0)).toEqual([false, true]);
    expect([s1.supportLipschitz[0], s1.exact[0], s1.stable[0]]).toEqual([4, 0, 0]);
    const s2 = oracleIsta.step(shrinking, s1);
    expect(s2.steps[0]).toBe(0.25); // the bound 4 of the larger support, not yet L_{1} = 1
    expect(s2.stable[0]).toBe(1);
    const s3 = oracleIsta.step(shrinking, s2);
    expect(s3.steps[0]).toBe(1);
    expect(s3.z[1]).toBe(1.5); // exact: ST(3, 1.5) on an atom of norm 1
  });

  it('fista: the first step is the ISTA step with 1/L, computed exactly', () => {
    const t = 1 / problem.lipschitz;
    for (const solver of [fista, fistaRestart]) {
      const s1 = solver.step(problem, solver.init(problem));
      expect(Array.from(s1.x)).toEqual(Array.from(Y.data, (v) => st(t * v, t * LAMBDA)));
      expect(Array.from(s1.t)).toEqual([(1 + Math.sqrt(5)) / 2, (1 + Math.sqrt(5)) / 2]);
    }
  });

  it.each(solvers)('%s reaches ST(y, lambda) to a gap of 1e-13', (_, solver) => {
    const result = run(solver, problem, { tol: 1e-13, maxIter: 1000 });
    expect(result.converged).toBe(true);
    result.Z.data.forEach((v, k) => expect(Math.abs(v - Z_STAR[k])).toBeLessThan(1e-12));
  });
});

describe('one-atom problems: z* = ST(<a, y>, lambda) / ||a||^2', () => {
  const a = [0.5, -1, 0.25]; // ||a||^2 = 1.3125
  const A = fromArray(a, [3, 1]);
  const Y1 = fromArray([1, -2, 0.5, -1, 0.5, 0], [2, 3]); // <a, y> = 2.625 and -1
  const lambda = 0.75;
  const zStar = [st(2.625, lambda) / 1.3125, st(-1, lambda) / 1.3125];
  const problem = lassoProblem(A, Y1, lambda);

  it.each(solvers)('%s converges to z*: ||a||^2 (z - z*)^2 / 2 <= F(z) - F* <= gap <= 1e-14', (_, solver) => {
    const result = run(solver, problem, { tol: 1e-14, maxIter: 10000 });
    expect(result.converged).toBe(true);
    for (let i = 0; i < 2; i++) {
      const error = result.Z.data[i] - zStar[i];
      expect((1.3125 * error * error) / 2).toBeLessThanOrEqual(result.gaps.data[i] + 1e-16);
    }
  });

  it('istaBacktracking starts from 1/||a||^2 and is exact after one step', () => {
    const s1 = istaBacktracking.step(problem, istaBacktracking.init(problem));
    expect(Array.from(s1.steps)).toEqual([1 / 1.3125, 1 / 1.3125]);
    expect(s1.z[0]).toBeCloseTo(zStar[0], 15);
    expect(s1.z[1]).toBeCloseTo(zStar[1], 15);
  });

  it('oracleIsta from a warm start with the right signs is exact after one step', () => {
    const s1 = oracleIsta.step(problem, oracleIsta.init(problem, fromArray([3, -3], [2, 1])));
    expect(s1.oracleSteps).toBe(2);
    expect(s1.z[0]).toBeCloseTo(zStar[0], 15);
    expect(s1.z[1]).toBeCloseTo(zStar[1], 15);
  });
});

describe('lambda >= lambdaMax: z* = 0', () => {
  const A = gaussianMatrix(3, 5, 7);
  const Y2 = normal(4, [3, 5]);
  const problem = lassoProblem(A, Y2, { ratio: 1.5 });

  it.each(solvers)('%s converges in 0 iterations from zero and stays at zero', (_, solver) => {
    const result = run(solver, problem, { tol: 0, maxIter: 0 });
    expect(result.maxGap).toBe(0);
    expect(run(solver, problem, { tol: 1e-15 }).iterations).toBe(0);
    let state = solver.init(problem);
    for (let k = 0; k < 3; k++) state = solver.step(problem, state);
    expect(Array.from(solver.solution(problem, state).data).every((v) => v === 0)).toBe(true);
  });
});

describe('per-sample steps', () => {
  // A = diag(1, 10): sample 0 lives on the flat atom, sample 1 on the steep one.
  const A = fromArray([1, 0, 0, 10], [2, 2]);
  const Y3 = fromArray([2, 0, 0, 20], [2, 2]);
  const problem = lassoProblem(A, Y3, 0.5);

  it('istaBacktracking keeps step 1 on the flat sample and backtracks to 1/L on the steep one', () => {
    const s1 = istaBacktracking.step(problem, istaBacktracking.init(problem));
    expect(s1.steps[0]).toBe(1);
    expect(s1.steps[1]).toBe(1 / problem.lipschitz);
    expect(s1.rounds).toBeGreaterThan(1);
    expect(s1.z[0]).toBe(1.5); // exact on the flat sample: ST(2, 0.5)
  });

  it('oracleIsta takes 1/L_S on each sample once its support is known', () => {
    let s = oracleIsta.init(problem, fromArray([1, 0, 0, 1], [2, 2]));
    s = oracleIsta.step(problem, s);
    expect(Array.from(s.supportLipschitz)).toEqual([1, 100]);
    expect(s.steps[0]).toBe(1);
    expect(s.steps[1]).toBe(0.01);
    expect(s.z[0]).toBe(1.5);
    expect(s.z[3]).toBeCloseTo(1.995, 15); // (10 * 20 - 0.5) / 100
  });
});

describe('warm starts', () => {
  const A = gaussianMatrix(11, 6, 9);
  const Y4 = normal(12, [3, 6]);
  const problem = lassoProblem(A, Y4, { ratio: 0.3 });
  const reference = run(fistaRestart, problem, { tol: 1e-14, maxIter: 100000 });

  it('the reference run converged', () => expect(reference.converged).toBe(true));

  it.each([...solvers, ['ista', ista as AnySolver] as [string, AnySolver]])(
    '%s started at the solution converges in 0 iterations and returns it',
    (_, solver) => {
      const result = run(solver, problem, { tol: 1e-12, warmStart: reference.Z });
      expect(result.iterations).toBe(0);
      expect(Array.from(result.Z.data)).toEqual(Array.from(reference.Z.data));
    },
  );

  it.each(solvers)('%s from a warm start needs fewer iterations than from zero', (_, solver) => {
    const cold = run(solver, problem, { tol: 1e-10, maxIter: 100000 });
    const near = run(solver, problem, { tol: 1e-4, maxIter: 100000 });
    const warm = run(solver, problem, { tol: 1e-10, maxIter: 100000, warmStart: near.Z });
    expect(cold.converged && warm.converged).toBe(true);
    expect(warm.iterations).toBeLessThan(cold.iterations);
  });

  it('the warm start is copied, not kept', () => {
    const warm = fromArray(Array.from(reference.Z.data), [3, 9]);
    const before = Array.from(warm.data);
    for (const [, solver] of solvers) {
      let state = solver.init(problem, warm);
      for (let k = 0; k < 3; k++) state = solver.step(problem, state);
    }
    expect(Array.from(warm.data)).toEqual(before);
  });
});

describe('restart and determinism', () => {
  const A = gaussianMatrix(21, 20, 40);
  const Y5 = normal(22, [4, 20]);
  const problem = lassoProblem(A, Y5, { ratio: 0.1 });

  it('fistaRestart restarts and needs fewer iterations than fista to a gap of 1e-10', () => {
    const plain = run(fista, problem, { tol: 1e-10, maxIter: 100000 });
    let restarts = 0;
    let state = fistaRestart.init(problem);
    for (let k = 0; k < 200; k++) state = fistaRestart.step(problem, state);
    restarts = state.restarts;
    const restarted = run(fistaRestart, problem, { tol: 1e-10, maxIter: 100000 });
    expect(plain.converged && restarted.converged).toBe(true);
    expect(restarts).toBeGreaterThan(0);
    expect(restarted.iterations).toBeLessThan(plain.iterations);
  });

  it.each(solvers)('%s is deterministic (bit-identical runs)', (_, solver) => {
    const first = run(solver, problem, { tol: 0, maxIter: 50 });
    const second = run(solver, problem, { tol: 0, maxIter: 50 });
    expect(Array.from(second.Z.data)).toEqual(Array.from(first.Z.data));
    expect(second.meanObjective).toBe(first.meanObjective);
  });

  it('reports mean objectives equal to lassoObjective of the solution', () => {
    for (const [, solver] of solvers) {
      const result = run(solver, problem, { tol: 0, maxIter: 20 });
      const objective = lassoObjective(A, Y5, result.Z, problem.lambda).mean;
      expect(result.meanObjective).toBeCloseTo(objective, 12);
    }
  });
});

describe('bad input', () => {
  const problem = lassoProblem(identity(4), Y, LAMBDA);

  it.each(solvers)('%s rejects a warm start of the wrong shape or with non-finite values', (_, solver) => {
    expect(() => solver.init(problem, fromArray([1, 2, 3], [1, 3]))).toThrow(
      new RangeError(
        `${solver.name}: argument 'warmStart' must be a tensor of shape [2, 4]. Got a tensor of shape [1, 3].`,
      ),
    );
    const nan = fromArray([0, 0, 0, 0, 0, NaN, 0, 0], [2, 4]);
    expect(() => solver.init(problem, nan)).toThrow(RangeError);
    expect(() => solver.init(problem, nan)).toThrow(`${solver.name}: argument 'warmStart' must be`);
  });

  it('fistaSolver rejects bad options', () => {
    expect(() => fistaSolver(null as never)).toThrow(TypeError);
    expect(() => fistaSolver({ restart: 'yes' as never })).toThrow(
      new TypeError(`fistaSolver: argument 'restart' must be a boolean. Got "yes".`),
    );
  });

  it('istaBacktrackingSolver rejects bad options', () => {
    const fn = 'istaBacktrackingSolver';
    expect(() => istaBacktrackingSolver(null as never)).toThrow(TypeError);
    expect(() => istaBacktrackingSolver({ shrink: 1 })).toThrow(
      new RangeError(`${fn}: argument 'shrink' must be a finite number > 0 and < 1. Got 1.`),
    );
    expect(() => istaBacktrackingSolver({ increase: 0.5 })).toThrow(
      new RangeError(`${fn}: argument 'increase' must be a finite number >= 1. Got 0.5.`),
    );
    expect(() => istaBacktrackingSolver({ maxStep: 0 })).toThrow(RangeError);
    expect(() => istaBacktrackingSolver({ initialStep: Infinity })).toThrow(RangeError);
    expect(() => istaBacktrackingSolver({ initialStep: 2, maxStep: 1 })).toThrow(
      new RangeError(`${fn}: argument 'initialStep' must be a finite number > 0 and <= 1. Got 2.`),
    );
    expect(() => istaBacktrackingSolver({ increase: '2' as never })).toThrow(TypeError);
  });

  it('istaBacktrackingSolver honours its options', () => {
    const problem2 = lassoProblem(identity(4), Y, LAMBDA);
    const solver = istaBacktrackingSolver({ initialStep: 0.25, maxStep: 0.5, increase: 4 });
    const s1 = solver.step(problem2, solver.init(problem2));
    expect(Array.from(s1.steps)).toEqual([0.25, 0.25]);
    const s2 = solver.step(problem2, s1);
    expect(Array.from(s2.steps)).toEqual([0.5, 0.5]); // 4 * 0.25 capped at maxStep
  });
});
