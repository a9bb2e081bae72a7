/**
 * Coordinate descent (src/solvers/coordinate-descent.ts) on problems with known solutions: A = I
 * and orthogonal dictionaries (one epoch gives ST(A^T y, lambda) / ||a_j||^2), a correlated pair
 * solved by enumeration, zero atoms, lambda >= lambdaMax, least squares; warm starts, the per-sample
 * `tol`, immutability of states, determinism and bad input.
 */
import { describe, expect, it } from 'vitest';
import { fromArray, tensor, type Tensor } from '../../src/tensor/index.js';
import { gaussianMatrix, normal } from '../../src/random/index.js';
import { lambdaMax, lassoDualityGap } from '../../src/problems/index.js';
import {
  CD_REFRESH_EVERY,
  checkRunOptions,
  coordinateDescent,
  coordinateDescentSolver,
  lassoCertificate,
  lassoProblem,
  runSolver,
  type CoordinateDescentState,
  type IterationRecord,
  type LassoProblem,
  type RunOptions,
} from '../../src/solvers/index.js';
import { exactLasso, rowsOf } from '../problems/support.js';

const arr = (t: Tensor): number[] => Array.from(t.data);
/** ST(x, t), with + 0 so that it never returns -0. */
const softThreshold = (x: number, t: number): number => Math.sign(x) * Math.max(Math.abs(x) - t, 0) + 0;
const plain = coordinateDescentSolver({ workingSet: false });
const both = [
  ['working set', coordinateDescent],
  ['plain', plain],
] as const;

function expectClose(actual: readonly number[], expected: readonly number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) =>
    expect(Math.abs(a - expected[i]), `entry ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol),
  );
}

function run(solver: typeof coordinateDescent, problem: LassoProblem, options: RunOptions = {}) {
  return runSolver(solver, problem, {
    ...checkRunOptions(solver.name, options),
    warmStart: options.warmStart,
  });
}

/** The orthonormal Sylvester Hadamard basis of order 4, atoms as columns. */
const H4 = [
  [1, 1, 1, 1],
  [1, -1, 1, -1],
  [1, 1, -1, -1],
  [1, -1, -1, 1],
].map((row) => row.map((v) => v / 2));

describe('coordinateDescent: separable problems', () => {
  const identity = tensor([
    [1, 0, 0, 0, 0],
    [0, 1, 0, 0, 0],
    [0, 0, 1, 0, 0],
    [0, 0, 0, 1, 0],
    [0, 0, 0, 0, 1],
  ]);
  const Yi = tensor([
    [3, -0.5, 0.25, -2, 1],
    [0.1, 0.2, -0.3, 4, -4],
  ]);
  const lambdas = [0.75, 0.2];
  const thresholded = arr(Yi).map((v, k) => softThreshold(v, lambdas[Math.floor(k / 5)]));

  const norms = [1, 2, 0.5, 4];
  const orthogonal = tensor(H4.map((row) => row.map((v, j) => v * norms[j])));
  const Yo = tensor([
    [1, -2, 0.5, 3],
    [-0.25, 0.5, 2, 1],
  ]);
  const lambda = 0.4;
  const orthogonalSolution = rowsOf(Yo).flatMap((y) =>
    norms.map(
      (d, j) =>
        softThreshold(
          H4.reduce((s, row, i) => s + row[j] * d * y[i], 0),
          lambda,
        ) /
        (d * d),
    ),
  );

  it('plain: A = I gives ST(y, lambda_i) after one epoch, with gap 0', () => {
    const problem = lassoProblem(identity, Yi, fromArray(lambdas, [2]));
    const state = plain.step(problem, plain.init(problem));
    expect(arr(plain.solution(problem, state))).toEqual(thresholded);
    expect(plain.certificate(problem, state).maxGap).toBeLessThanOrEqual(1e-15);
    const result = run(plain, problem, { tol: 1e-15 });
    expect(result.iterations).toBe(1);
  });

  it('plain: orthogonal atoms of any norms give ST(a_j^T y, lambda) / ||a_j||^2 after one epoch', () => {
    const problem = lassoProblem(orthogonal, Yo, lambda);
    const state = plain.step(problem, plain.init(problem));
    expectClose(arr(plain.solution(problem, state)), orthogonalSolution, 1e-15);
    expect(plain.certificate(problem, state).maxGap).toBeLessThanOrEqual(1e-14);
  });

  it('working set: the same solutions, the largest violations first', () => {
    const identityProblem = lassoProblem(identity, Yi, fromArray(lambdas, [2]));
    // The first epoch visits the violators within a factor 4 of the largest score (|c_j| - lambda)^2.
    const first = arr(
      coordinateDescent.solution(
        identityProblem,
        coordinateDescent.step(identityProblem, coordinateDescent.init(identityProblem)),
      ),
    );
    expect(first).toEqual([2.25, 0, 0, -1.25, 0, 0, 0, 0, 3.8, -3.8]);
    const a = run(coordinateDescent, identityProblem, { tol: 1e-15 });
    expect(a.converged).toBe(true);
    expect(arr(a.Z)).toEqual(thresholded);
    const b = run(coordinateDescent, lassoProblem(orthogonal, Yo, lambda), { tol: 1e-14 });
    expect(b.converged).toBe(true);
    expectClose(arr(b.Z), orthogonalSolution, 1e-15);
  });
});

describe('coordinateDescent: correlated atoms', () => {
  // Two unit atoms at 60 degrees and a third orthogonal to both: several epochs are needed.
  const s3 = Math.sqrt(3) / 2;
  const A = tensor([
    [1, 0.5, 0],
    [0, s3, 0],
    [0, 0, 1],
  ]);
  const Y = tensor([
    [1, 1, 0.3],
    [0.2, -1, -0.1],
    [2, 0, 0],
  ]);
  const lambda = 0.15;

  it.each(both)('reaches the exact Lasso solution (by enumeration) to a gap of 1e-14 (%s)', (_, solver) => {
    const problem = lassoProblem(A, Y, lambda);
    const result = run(solver, problem, { tol: 1e-14, maxIter: 10000 });
    expect(result.converged).toBe(true);
    expect(result.iterations).toBeGreaterThan(1);
    rowsOf(Y).forEach((y, i) => {
      const exact = exactLasso(rowsOf(A), y, lambda);
      expectClose(arr(result.Z).slice(3 * i, 3 * i + 3), exact.z, 1e-12);
    });
    // The certificate the solver reports is the one lassoCertificate computes from scratch.
    const independent = lassoCertificate(problem, result.Z.data.slice());
    expect(independent.maxGap).toBeLessThanOrEqual(1e-14);
    expect(Math.abs(independent.meanObjective - result.meanObjective)).toBeLessThanOrEqual(1e-15);
  });

  it('reports every epoch to the callback, with a non-increasing objective', () => {
    const problem = lassoProblem(A, Y, lambda);
    const records: IterationRecord[] = [];
    const result = run(coordinateDescent, problem, { tol: 1e-12, callback: (r) => void records.push(r) });
    expect(records.map((r) => r.iteration)).toEqual(
      Array.from({ length: result.iterations + 1 }, (_, k) => k),
    );
    for (let k = 1; k < records.length; k++) {
      expect(records[k].meanObjective).toBeLessThanOrEqual(records[k - 1].meanObjective + 1e-15);
    }
    expect(records.at(-1)?.maxGap).toBe(result.maxGap);
  });

  it('is deterministic: two runs give the same bits', () => {
    const problem = lassoProblem(A, Y, lambda);
    const a = run(coordinateDescent, problem, { tol: 1e-13 });
    const b = run(coordinateDescent, lassoProblem(A, Y, lambda), { tol: 1e-13 });
    expect(Array.from(a.Z.data)).toEqual(Array.from(b.Z.data));
    expect(a.iterations).toBe(b.iterations);
  });
});

describe('coordinateDescent: zero atoms, large lambda, least squares', () => {
  it.each(both)('a zero column keeps a zero code, even from a warm start that uses it (%s)', (_, solver) => {
    const s3 = Math.sqrt(3) / 2;
    const withZero = tensor([
      [1, 0, 0.5],
      [0, 0, s3],
    ]);
    const without = tensor([
      [1, 0.5],
      [0, s3],
    ]);
    const Y = tensor([[1, 1]]);
    const lambda = 0.1;
    const problem = lassoProblem(withZero, Y, lambda);
    const result = run(solver, problem, { tol: 1e-14, warmStart: tensor([[0.5, 3, 0.5]]) });
    expect(result.converged).toBe(true);
    expect(result.Z.data[1]).toBe(0);
    const exact = exactLasso(rowsOf(without), [1, 1], lambda);
    expectClose([result.Z.data[0], result.Z.data[2]], exact.z, 1e-12);
  });

  it('an all-zero dictionary: z = 0 with gap 0, at once or after one epoch from a warm start', () => {
    const problem = lassoProblem(tensor([[0, 0, 0]]), tensor([[2], [-1]]), 0.5);
    expect(run(coordinateDescent, problem, { tol: 0, maxIter: 0 }).maxGap).toBe(0);
    const warm = run(coordinateDescent, problem, {
      tol: 0,
      warmStart: tensor([
        [1, 0, -1],
        [0, 2, 0],
      ]),
    });
    expect(warm.iterations).toBe(1);
    expect(arr(warm.Z)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(warm.maxGap).toBe(0);
  });

  it('lambda_i >= lambdaMax_i: the sample stays at z = 0 with gap exactly 0', () => {
    const A = gaussianMatrix(3, 6, 10);
    const Y = normal(4, [2, 6]);
    const lmax = arr(lambdaMax(A, Y));
    const problem = lassoProblem(A, Y, fromArray([lmax[0], 0.3 * lmax[1]], [2]));
    const state = coordinateDescent.init(problem);
    expect(state.gaps[0]).toBe(0);
    const result = run(coordinateDescent, problem, { tol: 1e-13, maxIter: 10000 });
    expect(result.converged).toBe(true);
    expect(arr(result.Z).slice(0, 10)).toEqual(new Array<number>(10).fill(0));
    expect(result.gaps.data[0]).toBe(0);
    expect(
      arr(result.Z)
        .slice(10)
        .some((v) => v !== 0),
    ).toBe(true);
  });

  it('lambda = 0 on an invertible A converges to A^-1 y (the gap is then 1/2 ||r||^2)', () => {
    const A = tensor([
      [2, 1],
      [1, 3],
    ]);
    const problem = lassoProblem(A, tensor([[3, 5]]), 0); // A (0.8, 1.4) = (3, 5)
    const result = run(coordinateDescent, problem, { tol: 1e-24, maxIter: 1000 });
    expect(result.converged).toBe(true);
    expectClose(arr(result.Z), [0.8, 1.4], 1e-11);
  });

  it('an empty batch is converged at once', () => {
    const problem = lassoProblem(gaussianMatrix(1, 3, 4), fromArray([], [0, 3]), 0.1);
    const result = run(coordinateDescent, problem);
    expect(result.iterations).toBe(0);
    expect(result.converged).toBe(true);
    expect(result.Z.shape).toEqual([0, 4]);
  });
});

describe('coordinateDescent: warm starts, per-sample tol, states', () => {
  const A = gaussianMatrix(11, 8, 20);
  const Y = normal(12, [4, 8]);
  const problem = lassoProblem(A, Y, { ratio: 0.2 });

  it('a warm start at the solution is already converged; a nearby one needs fewer epochs', () => {
    const cold = run(coordinateDescent, problem, { tol: 1e-12, maxIter: 10000 });
    expect(cold.converged).toBe(true);
    const again = run(coordinateDescent, problem, { tol: 1e-12, warmStart: cold.Z });
    expect(again.iterations).toBe(0);
    expect(arr(again.Z)).toEqual(arr(cold.Z));
    const nudged = fromArray(
      arr(cold.Z).map((v, k) => v * (1 + 1e-3 * Math.cos(k))),
      cold.Z.shape,
    );
    const before = arr(nudged);
    const warm = run(coordinateDescent, problem, { tol: 1e-12, warmStart: nudged });
    expect(warm.converged).toBe(true);
    expect(warm.iterations).toBeLessThan(cold.iterations);
    expect(arr(nudged)).toEqual(before); // the warm start is copied, not written
  });

  it('init certifies the warm start itself (same objective and gaps as lassoDualityGap)', () => {
    const warm = normal(13, [4, 20]);
    const state = coordinateDescent.init(problem, warm);
    const reference = lassoDualityGap(A, Y, warm, problem.lambda);
    const cert = coordinateDescent.certificate(problem, state);
    expect(Math.abs(cert.meanObjective - reference.meanPrimal)).toBeLessThanOrEqual(
      1e-12 * reference.meanPrimal,
    );
    arr(reference.gap).forEach((g, i) => expect(Math.abs(cert.gaps[i] - g)).toBeLessThanOrEqual(1e-12 * g));
  });

  it('with tol, a sample whose gap meets it at a synchronisation is left as it is, its arrays shared', () => {
    const solver = coordinateDescentSolver({ tol: 1e-6 });
    let state = solver.init(problem);
    const done = new Set<number>();
    for (let k = 0; k < 400 && done.size < 4; k++) {
      const next = solver.step(problem, state);
      for (const i of done) {
        for (const key of ['z', 'c', 'workingSets', 'zW', 'cW', 'gramW'] as const) {
          expect(next[key][i]).toBe(state[key][i]);
        }
        expect(next.age[i]).toBe(0);
        expect(next.gaps[i]).toBe(state.gaps[i]);
      }
      for (let i = 0; i < 4; i++) if (next.age[i] === 0 && next.gaps[i] <= 1e-6) done.add(i);
      state = next;
    }
    expect(done.size).toBe(4);
    expect(solver.certificate(problem, state).maxGap).toBeLessThanOrEqual(1e-6);
    const result = run(solver, problem, { tol: 1e-6 });
    expect(result.converged).toBe(true);
  });

  it('a sample at a fixed point (a pass that changed nothing) is skipped until its refresh', () => {
    const A = tensor([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const separable = lassoProblem(A, tensor([[0.7, 0.05, -0.3]]), 0.1);
    let state = plain.step(separable, plain.init(separable)); // solved in one epoch, up to rounding
    expect(state.gaps[0]).toBeGreaterThan(0); // so that tol = 0 does not stop it
    const solved = state.z[0];
    state = plain.step(separable, state); // a pass that changes nothing
    expect(state.fixed[0]).toBe(1);
    expect(state.z[0]).toBe(solved);
    while (state.iteration < CD_REFRESH_EVERY) {
      const next = plain.step(separable, state);
      expect(next.z[0]).toBe(state.z[0]);
      expect(next.c[0]).toBe(state.c[0]);
      state = next;
    }
    const refreshed = plain.step(separable, state); // c recomputed from scratch, then the same pass
    expect(refreshed.c[0]).not.toBe(state.c[0]);
    expect(refreshed.z[0]).toEqual(solved);
    expect(refreshed.fixed[0]).toBe(1);
  });

  it('step never writes into the state it is given', () => {
    let state = coordinateDescent.init(problem);
    for (let k = 0; k < 40; k++) {
      const copy = (s: CoordinateDescentState) => ({
        z: s.z.map((r) => r.slice()),
        c: s.c.map((r) => r.slice()),
        workingSets: s.workingSets.map((r) => r.slice()),
        zW: s.zW.map((r) => r.slice()),
        cW: s.cW.map((r) => r.slice()),
        gramW: s.gramW.map((r) => r.slice()),
        age: s.age.slice(),
        refreshed: s.refreshed.slice(),
        fixed: s.fixed.slice(),
        gaps: s.gaps.slice(),
        objectives: s.objectives.slice(),
      });
      const before = copy(state);
      const next = coordinateDescent.step(problem, state);
      expect(copy(state)).toEqual(before);
      expect(next.iteration).toBe(state.iteration + 1);
      state = next;
    }
  });
});

describe('coordinateDescent: bad input', () => {
  const problem = lassoProblem(gaussianMatrix(1, 3, 2), normal(2, [2, 3]), 0.1);

  it('rejects bad options with the template message', () => {
    expect(() => coordinateDescentSolver(null as never)).toThrow(
      new TypeError("coordinateDescentSolver: argument 'options' must be an object. Got null."),
    );
    expect(() => coordinateDescentSolver({ workingSet: 'yes' as never })).toThrow(
      new TypeError('coordinateDescentSolver: argument \'workingSet\' must be a boolean. Got "yes".'),
    );
    expect(() => coordinateDescentSolver({ tol: -1 })).toThrow(
      new RangeError("coordinateDescentSolver: argument 'tol' must be a finite number >= 0. Got -1."),
    );
    expect(() => coordinateDescentSolver({ tol: NaN })).toThrow(RangeError);
    expect(() => coordinateDescentSolver({ tol: '1e-8' as never })).toThrow(TypeError);
  });

  it('rejects a warm start of the wrong shape or with non-finite entries', () => {
    expect(() => coordinateDescent.init(problem, tensor([[1, 2, 3]]))).toThrow(
      new RangeError(
        "coordinateDescent: argument 'warmStart' must be a tensor of shape [2, 2]. Got a tensor of shape [1, 3].",
      ),
    );
    expect(() =>
      coordinateDescent.init(
        problem,
        tensor([
          [0, NaN],
          [0, 0],
        ]),
      ),
    ).toThrow(RangeError);
    expect(() =>
      coordinateDescent.init(problem, [
        [0, 0],
        [0, 0],
      ] as never),
    ).toThrow(TypeError);
  });
});
