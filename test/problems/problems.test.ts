import { describe, expect, it } from 'vitest';
import { eye, fromArray, tensor, zeros } from '../../src/tensor/index.js';
import { eigSym, gram, svd } from '../../src/linalg/index.js';
import { normal } from '../../src/random/index.js';
import type { Tensor } from '../../src/tensor/index.js';
import {
  analysisL1DualityGap,
  analysisL1FeasibleDual,
  analysisL1Objective,
  analysisL1PrimalFromDual,
  analysisL1Problem,
  lambdaMax,
  lassoDualityGap,
  lassoGapInto,
  lassoGradient,
  lassoObjective,
  lassoObjectiveInto,
  lipschitzConstant,
} from '../../src/problems/index.js';
import { denseOperator, differencesOperator } from './support.js';

const arr = (t: Tensor): number[] => Array.from(t.data);

function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-14): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) =>
    expect(Math.abs(a - expected[i]), `entry ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol),
  );
}

describe('lasso on a 1x1 problem, by hand', () => {
  // F(z) = 1/2 (3 - 2 z)^2 + |z|: z* = ST(A^T y, lambda) / A^T A = ST(6, 1) / 4 = 5/4, F* = 1.375.
  const a = tensor([[2]]);
  const y = tensor([[3]]);

  it('objective, gradient and lambdaMax', () => {
    const f = lassoObjective(a, y, tensor([[1.25]]), 1);
    expectClose(arr(f.perSample), [1.375]);
    expect(f.mean).toBeCloseTo(1.375, 15);
    expectClose(arr(lassoGradient(a, y, tensor([[1.25]]))), [-1]); // 2 (2.5 - 3)
    expect(arr(lambdaMax(a, y))).toEqual([6]);
  });

  it('gap 0 at the solution, with theta = r and D(theta) = F*', () => {
    const g = lassoDualityGap(a, y, tensor([[1.25]]), 1);
    expect(arr(g.gap)).toEqual([0]);
    expect(arr(g.theta)).toEqual([0.5]);
    expectClose(arr(g.dual), [1.375]); // 1/2 9 - 1/2 (3 - 0.5)^2
    expect(g.maxGap).toBe(0);
  });

  it('gap at z = 0: theta = y / 6 (rescaled), gap = F(0) - D = 4.5 - 1.375', () => {
    const g = lassoDualityGap(a, y, tensor([[0]]), 1);
    expectClose(arr(g.theta), [0.5]);
    expectClose(arr(g.primal), [4.5]);
    expectClose(arr(g.dual), [1.375]);
    expectClose(arr(g.gap), [3.125]);
  });
});

describe('lasso with A = identity: the solution is the soft threshold of y', () => {
  const a = eye(2);
  const y = tensor([
    [3, -0.5],
    [-2, 4],
  ]);
  const z = tensor([
    [2, 0],
    [-1, 3],
  ]); // ST(y, 1)

  it('gap exactly 0 at z = ST(y, lambda), objective known', () => {
    const g = lassoDualityGap(a, y, z, 1);
    expect(arr(g.gap)).toEqual([0, 0]);
    expectClose(arr(g.primal), [0.5 * (1 + 0.25) + 2, 0.5 * 2 + 4]);
    expect(g.meanPrimal).toBeCloseTo((2.625 + 5) / 2, 14);
    expect(g.meanGap).toBe(0);
    expect(arr(lassoObjective(a, y, z, 1).perSample)).toEqual(arr(g.primal));
  });

  it('per-sample lambda', () => {
    // Sample 1 with lambda 2: ST([-2, 4], 2) = [0, 2].
    const z2 = tensor([
      [2, 0],
      [0, 2],
    ]);
    const g = lassoDualityGap(a, y, z2, tensor([1, 2]));
    expect(arr(g.gap)).toEqual([0, 0]);
    expectClose(arr(g.primal), [2.625, 0.5 * (4 + 4) + 4]);
    // The same codes are not optimal for lambda = 1 in sample 1.
    expect(lassoDualityGap(a, y, z2, 1).gap.data[1]).toBeGreaterThan(0);
  });

  it('lambda = lambdaMax gives z* = 0 with gap 0 at z = 0', () => {
    const lmax = lambdaMax(a, y);
    expect(arr(lmax)).toEqual([3, 4]);
    const g = lassoDualityGap(a, y, zeros([2, 2]), lmax);
    expect(arr(g.gap)).toEqual([0, 0]);
    expect(arr(g.theta)).toEqual(arr(y));
    const below = lassoDualityGap(a, y, zeros([2, 2]), tensor([2.9, 3.9]));
    expect(below.gap.data[0]).toBeGreaterThan(0);
    expect(below.gap.data[1]).toBeGreaterThan(0);
  });
});

describe('lasso with lambda = 0 (least squares)', () => {
  it('gap 1/2 ||r||^2 unless A^T r = 0 exactly', () => {
    const a = eye(2);
    const y = tensor([[1, 2]]);
    expect(arr(lassoDualityGap(a, y, tensor([[1, 2]]), 0).gap)).toEqual([0]);
    const g = lassoDualityGap(a, y, tensor([[0, 1]]), 0);
    expect(arr(g.gap)).toEqual([1]); // theta = 0, D = 0, gap = F = 1/2 (1 + 1)
    expect(arr(g.theta)).toEqual([0, 0]);
  });

  it('an inconsistent system at its least-squares solution: A^T r = 0, gap 0', () => {
    const a = tensor([[1], [1]]);
    const g = lassoDualityGap(a, tensor([[1, -1]]), tensor([[0]]), 0);
    expect(arr(g.gap)).toEqual([0]);
    expect(arr(g.primal)).toEqual([1]);
  });
});

describe('lasso raw kernels', () => {
  it('lassoGapInto and lassoObjectiveInto write only their outputs', () => {
    // A = I (2x2), y = [3, -0.5], z = [0, 0], lambda 1: r = c = y, s = 1/3.
    const r = Float64Array.of(3, -0.5);
    const z = Float64Array.of(0, 0);
    const primal = new Float64Array(2).fill(7);
    const dual = new Float64Array(2).fill(7);
    const gap = new Float64Array(2).fill(7);
    const scale = new Float64Array(2).fill(7);
    lassoGapInto(r, r, z, 1, 2, 2, Float64Array.of(1), primal, dual, gap, scale);
    expect(Array.from(r)).toEqual([3, -0.5]);
    expect(primal[0]).toBe(0.5 * 9.25);
    expect(scale[0]).toBeCloseTo(1 / 3, 16);
    expectClose([gap[0]], [0.5 * 9.25 * (2 / 3) ** 2]);
    expect(dual[0]).toBe(primal[0] - gap[0]);
    expect([primal[1], dual[1], gap[1], scale[1]]).toEqual([7, 7, 7, 7]);
    const out = new Float64Array(2).fill(7);
    lassoObjectiveInto(r, Float64Array.of(1, -2), 1, 2, 2, Float64Array.of(0.5), out);
    expect(Array.from(out)).toEqual([0.5 * 9.25 + 1.5, 7]);
  });
});

describe('lasso with a LinearOperator', () => {
  const rowsA = [
    [1, 2, 0],
    [0, -1, 3],
  ];
  const a = tensor(rowsA);
  const op = denseOperator(rowsA);
  const y = tensor([
    [1, -2],
    [0.5, 4],
  ]);
  const z = tensor([
    [0.5, 0, -1],
    [0, 0, 0],
  ]);

  it('gives the values of the dense path', () => {
    expectClose(arr(lassoObjective(op, y, z, 0.3).perSample), arr(lassoObjective(a, y, z, 0.3).perSample));
    expectClose(arr(lassoGradient(op, y, z)), arr(lassoGradient(a, y, z)));
    expect(arr(lambdaMax(op, y))).toEqual(arr(lambdaMax(a, y)));
    const g1 = lassoDualityGap(op, y, z, 0.3);
    const g2 = lassoDualityGap(a, y, z, 0.3);
    expectClose(arr(g1.gap), arr(g2.gap));
    expectClose(arr(g1.theta), arr(g2.theta));
  });
});

describe('lasso argument checks', () => {
  const a = eye(2);
  const y = tensor([[1, 2]]);
  const z = tensor([[0, 0]]);

  it('rejects bad lambda with the template message', () => {
    expect(() => lassoObjective(a, y, z, -1)).toThrow(
      new RangeError("lassoObjective: argument 'lambda' must be a finite number >= 0. Got -1."),
    );
    expect(() => lassoDualityGap(a, y, z, NaN)).toThrow(
      new RangeError("lassoDualityGap: argument 'lambda' must be a finite number >= 0. Got NaN."),
    );
    expect(() => lassoDualityGap(a, y, z, Infinity)).toThrow(
      new RangeError("lassoDualityGap: argument 'lambda' must be a finite number >= 0. Got Infinity."),
    );
    expect(() => lassoObjective(a, y, z, tensor([1, 2]))).toThrow(
      new RangeError(
        "lassoObjective: argument 'lambda' must be a finite number >= 0 or a tensor of shape [1] (one per sample). Got a tensor of shape [2].",
      ),
    );
    expect(() => lassoObjective(a, y, z, tensor([-1]))).toThrow(
      new RangeError("lassoObjective: argument 'lambda' must be a tensor of values >= 0. Got -1 at index 0."),
    );
    expect(() => lassoObjective(a, y, z, tensor([NaN]))).toThrow(
      new RangeError(
        "lassoObjective: argument 'lambda' must be a tensor of finite values. Got NaN at flat index 0 of a tensor of shape [1].",
      ),
    );
    expect(() => lassoObjective(a, y, z, '1' as unknown as number)).toThrow(
      new TypeError(
        'lassoObjective: argument \'lambda\' must be a finite number >= 0 or a tensor of shape [1] (one per sample). Got "1".',
      ),
    );
    expect(() => lassoObjective(a, y, z, [1] as unknown as number)).toThrow(
      new TypeError(
        "lassoObjective: argument 'lambda' must be a finite number >= 0 or a tensor of shape [1] (one per sample). Got [1].",
      ),
    );
  });

  it('rejects mismatched shapes and wrong kinds', () => {
    expect(() => lassoObjective(a, tensor([[1, 2, 3]]), z, 1)).toThrow(
      new RangeError(
        "lassoObjective: argument 'y' must be a tensor of shape [*, 2]. Got a tensor of shape [1, 3].",
      ),
    );
    expect(() => lassoDualityGap(a, y, zeros([2, 2]), 1)).toThrow(
      new RangeError(
        "lassoDualityGap: argument 'z' must be a tensor of shape [1, 2]. Got a tensor of shape [2, 2].",
      ),
    );
    expect(() => lassoGradient(tensor([1, 2]), y, z)).toThrow(
      new RangeError(
        "lassoGradient: argument 'a' must be a tensor of rank 2 or a LinearOperator. Got a tensor of shape [2].",
      ),
    );
    expect(() => lambdaMax({} as unknown as Tensor, y)).toThrow(
      new TypeError(
        "lambdaMax: argument 'a' must be a tensor of rank 2 or a LinearOperator. Got an object (Object).",
      ),
    );
    expect(() => lambdaMax(a, tensor([1, 2]))).toThrow(
      new RangeError("lambdaMax: argument 'y' must be a tensor of shape [*, 2]. Got a tensor of shape [2]."),
    );
    expect(() => lassoObjective(a, tensor([[1, NaN]]), z, 1)).toThrow(RangeError);
  });
});

describe('lipschitzConstant', () => {
  it('of a diagonal matrix, within its stated tolerance', () => {
    const l = lipschitzConstant(
      tensor([
        [3, 0],
        [0, 1],
      ]),
    );
    expect(l.exact).toBe(false);
    expect(l.upperBound).toBe(false);
    expect(l.tolerance).toBe(1e-12 * (2 + 1e-12));
    expect(Math.abs(l.value - 9)).toBeLessThanOrEqual(l.tolerance * 9);
  });

  it('of a matrix with nearly equal top singular values (found by the property suite)', () => {
    // sigma_1 - sigma_2 = 3.6e-6: power iteration stopped near sigma_2; the Gram eigenvalues do not.
    const d = new Array<number>(35).fill(0);
    d[7] = -0.0000014509242329379153;
    d[9] = 0.9999999999999982;
    d[12] = -0.9999967198668609;
    const a = fromArray(d, [7, 5]);
    const sigma = svd(a).s.data[0];
    const l = lipschitzConstant(a);
    expect(Math.abs(l.value - sigma * sigma)).toBeLessThanOrEqual(l.tolerance * sigma * sigma);
    expect(lipschitzConstant(a, { upperBound: true }).value).toBeGreaterThanOrEqual(sigma * sigma);
  });

  it('of a larger matrix, by power iteration', () => {
    // Shorter side 130 > 128: the power-iteration route, checked against the Gram eigenvalues.
    const a = normal(7, [130, 150]);
    const l = lipschitzConstant(a);
    expect(l.tolerance).toBeCloseTo(2e-6, 11);
    const lmax = eigSym(gram(a)).values.data[0];
    expect(Math.abs(l.value - lmax)).toBeLessThanOrEqual(l.tolerance * lmax);
    expect(lipschitzConstant(a, { upperBound: true }).value).toBeGreaterThanOrEqual(lmax);
  });

  it('of a row or a column: exact closed form', () => {
    expect(lipschitzConstant(tensor([[3, 4]]))).toEqual({
      value: 25,
      exact: true,
      tolerance: 0,
      upperBound: false,
    });
    expect(lipschitzConstant(tensor([[3], [4]])).value).toBe(25);
    expect(lipschitzConstant(zeros([0, 3])).value).toBe(0);
  });

  it('an upper bound is >= L and multiplies by (1 + margin)', () => {
    const a = tensor([
      [3, 0],
      [0, 1],
    ]);
    const est = lipschitzConstant(a);
    const up = lipschitzConstant(a, { upperBound: true });
    expect(up.upperBound).toBe(true);
    expect(up.value).toBeGreaterThanOrEqual(9);
    const margin = est.tolerance / (1 - est.tolerance) + 1e-10;
    expect(up.value).toBe(est.value * (1 + margin));
    expect(up.tolerance).toBeCloseTo(est.tolerance + margin + est.tolerance * margin, 20);
    expect(lipschitzConstant(a, { upperBound: true, margin: 0.5 }).value).toBe(est.value * 1.5);
  });

  it('of an operator, from its norm estimate', () => {
    const d = differencesOperator(4);
    const l = lipschitzConstant(d);
    expect(l.exact).toBe(true);
    expect(l.tolerance).toBe(0);
    expect(l.value).toBeCloseTo(4 * Math.sin((3 * Math.PI) / 8) ** 2, 14);
    expect(lipschitzConstant(d, { upperBound: true }).value).toBe(l.value * (1 + 1e-10));
  });

  it('rejects bad options', () => {
    const a = eye(2);
    expect(() => lipschitzConstant(a, { margin: 0.1 })).toThrow(
      new RangeError(
        "lipschitzConstant: argument 'margin' must be undefined unless upperBound is true. Got 0.1.",
      ),
    );
    expect(() => lipschitzConstant(a, { upperBound: true, margin: 0 })).toThrow(RangeError);
    expect(() => lipschitzConstant(a, { upperBound: 1 as unknown as boolean })).toThrow(
      new TypeError("lipschitzConstant: argument 'upperBound' must be a boolean. Got 1."),
    );
    expect(() => lipschitzConstant(tensor([[1, NaN]]))).toThrow(RangeError);
  });
});

describe('analysis-l1: TV denoising of two samples by hand', () => {
  // min 1/2 ||y - x||^2 + lambda |x2 - x1| for y = [0, 2]: x = [lambda, 2 - lambda] for lambda < 1,
  // dual u* = lambda; for lambda >= 1, x = [1, 1] and u* = 1.
  const problem = analysisL1Problem(null, differencesOperator(2));
  const y = tensor([[0, 2]]);

  it('objective, primal from dual, zero gap at the solution', () => {
    expect(problem.signalSize).toBe(2);
    expect(problem.measurementSize).toBe(2);
    expect(problem.dualSize).toBe(1);
    const x = tensor([[0.5, 1.5]]);
    const u = tensor([[0.5]]);
    expectClose(arr(analysisL1Objective(problem, y, x, 0.5).perSample), [0.75]);
    expect(arr(analysisL1PrimalFromDual(problem, y, u))).toEqual([0.5, 1.5]);
    const g = analysisL1DualityGap(problem, y, x, u, 0.5);
    expect(arr(g.gap)).toEqual([0]);
    expectClose(arr(g.dual), [0.75]); // 1/2 ||y||^2 - 1/2 ||y - D^T u||^2 = 2 - 1.25
  });

  it('large lambda: the constant signal, with u* inside the ball', () => {
    const g = analysisL1DualityGap(problem, y, tensor([[1, 1]]), tensor([[1]]), 3);
    expect(arr(g.gap)).toEqual([0]);
    expectClose(arr(g.primal), [1]);
  });

  it('a non-optimal pair has the gap P(x) - D(u)', () => {
    // x = y, u = 0: P = lambda * 2 = 1, D = 0.
    const g = analysisL1DualityGap(problem, y, y, tensor([[0]]), 0.5);
    expectClose(arr(g.primal), [1]);
    expectClose(arr(g.dual), [0]);
    expectClose(arr(g.gap), [1]);
  });

  it('an infeasible u has gap +infinity; clipping makes it feasible', () => {
    const g = analysisL1DualityGap(problem, y, y, tensor([[0.7]]), 0.5);
    expect(arr(g.gap)).toEqual([Infinity]);
    expect(g.maxGap).toBe(Infinity);
    const clipped = analysisL1FeasibleDual(tensor([[0.7]]), 0.5);
    expect(arr(clipped)).toEqual([0.5]);
    expect(Number.isFinite(analysisL1DualityGap(problem, y, y, clipped, 0.5).gap.data[0])).toBe(true);
  });
});

describe('analysis-l1 with a full-rank A', () => {
  // A = [2], Gamma = [1]: min 1/2 (3 - 2x)^2 + |x|, x* = 5/4 (the 1x1 Lasso), u* = 1, D(u) =
  // 1/2 y^2 - 1/2 (2y - u)^2 / 4.
  const problem = analysisL1Problem(denseOperator([[2]]), denseOperator([[1]]));
  const y = tensor([[3]]);

  it('objective, primal from dual and gap', () => {
    expect(problem.gramFactor && arr(problem.gramFactor)).toEqual([2]);
    expectClose(arr(analysisL1Objective(problem, y, tensor([[1.25]]), 1).perSample), [1.375]);
    expectClose(arr(analysisL1PrimalFromDual(problem, y, tensor([[1]]))), [1.25]);
    expect(arr(analysisL1DualityGap(problem, y, tensor([[1.25]]), tensor([[1]]), 1).gap)).toEqual([0]);
    // u = 0: D = 4.5 - 36 / 8 = 0, so gap = P(x).
    const g = analysisL1DualityGap(problem, y, tensor([[1]]), tensor([[0]]), 1);
    expectClose(arr(g.dual), [0]);
    expectClose(arr(g.gap), [1.5]);
  });

  it('rejects a rank-deficient A and mismatched sizes', () => {
    expect(() =>
      analysisL1Problem(
        denseOperator([[1, 1]]),
        denseOperator([
          [1, 0],
          [0, 1],
        ]),
      ),
    ).toThrow(
      new RangeError(
        "analysisL1Problem: argument 'a' must be an operator with full column rank (A^T A positive definite), or null for the identity. Got a non-positive pivot at column 1.",
      ),
    );
    expect(() => analysisL1Problem(denseOperator([[1, 0]]), denseOperator([[1]]))).toThrow(
      new RangeError(
        "analysisL1Problem: argument 'a' must be an operator with inputSize 1 (the inputSize of gamma). Got inputSize 2.",
      ),
    );
    expect(() => analysisL1Problem(null, eye(2) as unknown as ReturnType<typeof denseOperator>)).toThrow(
      new TypeError(
        "analysisL1Problem: argument 'gamma' must be a LinearOperator. Got a tensor of shape [2, 2].",
      ),
    );
  });
});

describe('analysis-l1 argument checks', () => {
  const problem = analysisL1Problem(null, differencesOperator(3));
  const y = tensor([[1, 2, 4]]);

  it('rejects bad lambda, shapes and problems', () => {
    expect(() => analysisL1Objective(problem, y, y, -0.5)).toThrow(
      new RangeError("analysisL1Objective: argument 'lambda' must be a finite number >= 0. Got -0.5."),
    );
    expect(() => analysisL1DualityGap(problem, y, y, zeros([1, 3]), 1)).toThrow(
      new RangeError(
        "analysisL1DualityGap: argument 'u' must be a tensor of shape [1, 2]. Got a tensor of shape [1, 3].",
      ),
    );
    expect(() => analysisL1Objective(problem, y, zeros([2, 3]), 1)).toThrow(
      new RangeError(
        "analysisL1Objective: argument 'x' must be a tensor of shape [1, 3]. Got a tensor of shape [2, 3].",
      ),
    );
    expect(() => analysisL1Objective({} as typeof problem, y, y, 1)).toThrow(
      new TypeError(
        "analysisL1Objective: argument 'problem' must be an AnalysisL1Problem (made by analysisL1Problem). Got an object (Object).",
      ),
    );
    expect(() => analysisL1FeasibleDual(zeros([2, 2]), tensor([1]))).toThrow(RangeError);
  });

  it('known objective values', () => {
    // x = 1: P = 1/2 (0 + 1 + 9) = 5; x = y: P = lambda (1 + 2).
    expectClose(arr(analysisL1Objective(problem, y, tensor([[1, 1, 1]]), 0.5).perSample), [5]);
    expectClose(arr(analysisL1Objective(problem, y, y, 0.5).perSample), [1.5]);
  });
});
