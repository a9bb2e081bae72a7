import { describe, expect, it } from 'vitest';
import { fromArray, tensor, type Tensor } from '../../src/tensor/index.js';
import { Rng } from '../../src/random/index.js';
import { convolution1d, convolution2d, differences1d, differences2d } from '../../src/operators/index.js';
import { analysisL1DualityGap, analysisL1Objective, analysisL1Problem } from '../../src/problems/index.js';
import { tv1d } from '../../src/prox/tv1d.js';
import {
  analysisL1Instance,
  checkRunOptions,
  primalDual,
  primalDualSteps,
  runSolver,
  type IterationRecord,
  type RunOptions,
} from '../../src/solvers/index.js';
import type { AnalysisL1Instance } from '../../src/solvers/index.js';

function solve(inst: AnalysisL1Instance, options: RunOptions = {}) {
  return runSolver(primalDual, inst, {
    ...checkRunOptions('primalDual', options),
    warmStart: options.warmStart,
  });
}

/** Row i of a rank-2 tensor. */
function row(t: Tensor, i: number): number[] {
  const w = t.shape[1];
  return Array.from(t.data.subarray(i * w, (i + 1) * w));
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(...a.map((v, i) => v - b[i]));
}

/** Piecewise-constant signals (N, n) with a few jumps, plus Gaussian noise of the given size. */
function piecewise(seed: number, N: number, n: number, noise: number): Tensor {
  const rng = new Rng(seed);
  const out: number[] = [];
  for (let i = 0; i < N; i++) {
    let level = rng.normal();
    for (let j = 0; j < n; j++) {
      if (j > 0 && rng.uniform() < 0.2) level = 2 * rng.normal();
      out.push(level + noise * rng.normal());
    }
  }
  return fromArray(out, [N, n]);
}

const Y = tensor([
  [1, 1.2, 0.9, 3, 3.1, 2.8, -1, -0.8],
  [0, 0.5, -0.3, 0.2, 4, 4.2, 3.9, 4.1],
]);
const tv8 = analysisL1Problem(null, differences1d(8));

describe('primalDual on TV-1D denoising: known values', () => {
  it('lambda = 0 returns y', () => {
    // The dual is pinned to 0 and x - y contracts by 1 - tau per iteration: gap = ||x - y||^2 / 2.
    const r = solve(analysisL1Instance(tv8, Y, 0), { tol: 1e-24, maxIter: 5000 });
    expect(r.converged).toBe(true);
    for (let i = 0; i < 2; i++) expect(distance(row(r.Z, i), row(Y, i))).toBeLessThanOrEqual(1.5e-12);
  });

  it('a huge lambda returns the mean of each signal', () => {
    const r = solve(analysisL1Instance(tv8, Y, 1e3), { tol: 1e-10, maxIter: 50000 });
    expect(r.converged).toBe(true);
    for (let i = 0; i < 2; i++) {
      const y = row(Y, i);
      const mean = y.reduce((s, v) => s + v, 0) / y.length;
      // 1-strong convexity: ||x - x*||^2 <= 2 gap.
      const bound = Math.sqrt(2 * r.gaps.get(i)) + 1e-12;
      expect(distance(row(r.Z, i), new Array(8).fill(mean))).toBeLessThanOrEqual(bound);
    }
  });

  it('per-sample lambda: each row is solved with its own weight', () => {
    const lambda = tensor([0, 1e3]);
    const r = solve(analysisL1Instance(tv8, Y, lambda), { tol: 1e-10, maxIter: 50000 });
    expect(r.converged).toBe(true);
    expect(distance(row(r.Z, 0), row(Y, 0))).toBeLessThanOrEqual(Math.sqrt(2e-10));
    const y1 = row(Y, 1);
    const mean = y1.reduce((s, v) => s + v, 0) / 8;
    expect(distance(row(r.Z, 1), new Array(8).fill(mean))).toBeLessThanOrEqual(Math.sqrt(2e-10));
  });

  it('matches the exact TV-1D prox within the certified distance', () => {
    const lambda = tensor([0.3, 1.1]);
    const r = solve(analysisL1Instance(tv8, Y, lambda), { tol: 1e-12, maxIter: 50000 });
    expect(r.converged).toBe(true);
    const exact = tv1d.prox(Y, lambda);
    for (let i = 0; i < 2; i++) {
      const d = distance(row(r.Z, i), row(exact, i));
      expect(d).toBeLessThanOrEqual(Math.sqrt(2 * r.gaps.get(i)) + 1e-12);
    }
  });
});

describe('primalDual: one iteration by hand', () => {
  it('is the Condat-Vu step x+ = x - tau (A^T (A x - y) + D^T u), u+ = clip(u + sigma D (2 x+ - x))', () => {
    // A: the zero-padded convolution with taps [0.2, 1, 0.1] on 3 points, D: differences1d(3).
    const A = [
      [1, 0.2, 0],
      [0.1, 1, 0.2],
      [0, 0.1, 1],
    ];
    const D = [
      [-1, 1, 0],
      [0, -1, 1],
    ];
    const blur = convolution1d(tensor([0.2, 1, 0.1]), 3);
    expect(Array.from(blur.apply(tensor([1, 0, 0])).data)).toEqual(A.map((r) => r[0]));
    const mul = (m: number[][], v: number[]) => m.map((r) => r.reduce((s, mij, j) => s + mij * v[j], 0));
    const mulT = (m: number[][], v: number[]) =>
      m[0].map((_, j) => m.reduce((s, r, i) => s + r[j] * v[i], 0));
    const [x, y, lambda, tau, sigma] = [[1, -2, 0.5], [0.4, 1, -1], 0.5, 0.3, 0.4];
    const u = [0.3, -0.5]; // the dual start [0.3, -0.9] clipped to the ball of radius 0.5

    const residual = mul(A, x).map((v, i) => v - y[i]);
    const grad = mulT(A, residual).map((v, j) => v + mulT(D, u)[j]);
    const xNext = x.map((v, j) => v - tau * grad[j]);
    const dual = mul(
      D,
      xNext.map((v, j) => 2 * v - x[j]),
    ).map((v, i) => Math.min(lambda, Math.max(-lambda, u[i] + sigma * v)));

    const problem = analysisL1Problem(blur, differences1d(3));
    const inst = analysisL1Instance(problem, tensor([y]), lambda, {
      tau,
      sigma,
      dualStart: tensor([[0.3, -0.9]]),
    });
    const state = primalDual.step(inst, primalDual.init(inst, tensor([x])));
    expect(state.iteration).toBe(1);
    Array.from(state.x).forEach((v, j) => expect(v).toBeCloseTo(xNext[j], 15));
    Array.from(state.u).forEach((v, i) => expect(v).toBeCloseTo(dual[i], 15));
    expect(dual.some((v) => Math.abs(v) === lambda)).toBe(true); // the clip was active
  });
});

describe('primalDual: certificates and the run loop', () => {
  it('the certificate is the analysis-l1 duality gap at (x, u), and u is feasible', () => {
    const lambda = tensor([0.5, 2]);
    const inst = analysisL1Instance(tv8, Y, lambda);
    let state = primalDual.init(inst);
    for (let k = 0; k < 7; k++) state = primalDual.step(inst, state);
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 7; j++) expect(Math.abs(state.u[i * 7 + j])).toBeLessThanOrEqual(lambda.get(i));
    const cert = primalDual.certificate(inst, state);
    const x = primalDual.solution(inst, state);
    const ref = analysisL1DualityGap(tv8, Y, x, fromArray(state.u, [2, 7]), lambda);
    expect(Array.from(cert.gaps)).toEqual(Array.from(ref.gap.data));
    expect(cert.meanObjective).toBe(analysisL1Objective(tv8, Y, x, lambda).mean);
    expect(cert.maxGap).toBe(Math.max(...cert.gaps));
  });

  it('reports history through the callback and is deterministic', () => {
    const records: IterationRecord[] = [];
    const inst = analysisL1Instance(tv8, Y, 0.7);
    const a = solve(inst, {
      tol: 1e-9,
      maxIter: 20000,
      checkEvery: 5,
      callback: (r) => void records.push(r),
    });
    const b = solve(analysisL1Instance(tv8, Y, 0.7), { tol: 1e-9, maxIter: 20000, checkEvery: 5 });
    expect(a.converged).toBe(true);
    expect(Array.from(a.Z.data)).toEqual(Array.from(b.Z.data));
    expect(records[0].iteration).toBe(0);
    expect(records.slice(1).every((r) => r.iteration % 5 === 0)).toBe(true);
    expect(records.at(-1)!.maxGap).toBe(a.maxGap);
  });

  it('warm starts: from a converged (x, u) the run stops at once; x alone is accepted', () => {
    const inst = analysisL1Instance(tv8, Y, 0.7);
    const cold = solve(inst, { tol: 1e-10, maxIter: 20000 });
    let state = primalDual.init(inst);
    for (let k = 0; k < cold.iterations; k++) state = primalDual.step(inst, state);
    const warmInst = analysisL1Instance(tv8, Y, 0.7, { dualStart: fromArray(state.u, [2, 7]) });
    const warm = solve(warmInst, { tol: 1e-10, warmStart: cold.Z });
    expect(warm.iterations).toBe(0);
    expect(warm.maxGap).toBeLessThanOrEqual(1e-10);
    const primalOnly = solve(inst, { tol: 1e-10, maxIter: 20000, warmStart: cold.Z });
    expect(primalOnly.converged).toBe(true);
  });

  it('a dual warm start outside the balls is clipped to them', () => {
    const inst = analysisL1Instance(tv8, Y, 0.5, { dualStart: fromArray(new Array(14).fill(9), [2, 7]) });
    expect(Array.from(inst.dualStart!.data)).toEqual(new Array(14).fill(0.5));
    expect(primalDual.certificate(inst, primalDual.init(inst)).maxGap).toBeLessThan(Infinity);
  });

  it('an empty batch is converged at once', () => {
    const r = solve(analysisL1Instance(tv8, fromArray([], [0, 8]), 1));
    expect(r.iterations).toBe(0);
    expect(r.converged).toBe(true);
    expect(r.Z.shape).toEqual([0, 8]);
  });

  it('does not write into its inputs', () => {
    const before = Array.from(Y.data);
    const x0 = tensor([
      [0, 0, 0, 0, 0, 0, 0, 0],
      [1, 1, 1, 1, 1, 1, 1, 1],
    ]);
    solve(analysisL1Instance(tv8, Y, 0.4), { maxIter: 20, warmStart: x0 });
    expect(Array.from(Y.data)).toEqual(before);
    expect(Array.from(x0.data)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
  });
});

describe('primalDual: TV-2D denoising and TV deconvolution', () => {
  it('TV-2D denoising of a noisy square reaches a gap of 1e-9', () => {
    const h = 8;
    const w = 8;
    const rng = new Rng(3);
    const img: number[] = [];
    for (let r = 0; r < h; r++)
      for (let s = 0; s < w; s++) img.push((r >= 2 && r < 6 && s >= 2 && s < 6 ? 1 : 0) + 0.1 * rng.normal());
    const problem = analysisL1Problem(null, differences2d(h, w));
    const r = solve(analysisL1Instance(problem, fromArray(img, [1, h * w]), 0.1), {
      tol: 1e-9,
      maxIter: 20000,
    });
    expect(r.converged).toBe(true);
    // The square survives and the noise goes: closer to the clean image than the noisy one is.
    const clean = img.map((_, t) => {
      const [rr, ss] = [Math.floor(t / w), t % w];
      return rr >= 2 && rr < 6 && ss >= 2 && ss < 6 ? 1 : 0;
    });
    expect(distance(row(r.Z, 0), clean)).toBeLessThan(distance(img, clean));
  });

  it('TV deconvolution of a blurred piecewise-constant signal reaches a gap of 1e-9', () => {
    const n = 24;
    const blur = convolution1d(tensor([0.25, 0.5, 0.25]), n);
    const truth = piecewise(5, 3, n, 0);
    const rng = new Rng(6);
    const y = fromArray(
      Array.from(blur.apply(truth).data, (v) => v + 0.01 * rng.normal()),
      [3, n],
    );
    const problem = analysisL1Problem(blur, differences1d(n));
    const r = solve(analysisL1Instance(problem, y, 0.02), { tol: 1e-9, maxIter: 50000 });
    expect(r.converged).toBe(true);
    // The certified objective is at most the objective of the truth.
    const atTruth = analysisL1Objective(problem, y, truth, 0.02).perSample;
    const atSolution = analysisL1Objective(problem, y, r.Z, 0.02).perSample;
    for (let i = 0; i < 3; i++) expect(atSolution.get(i)).toBeLessThanOrEqual(atTruth.get(i) + 1e-9);
  });

  it('TV-2D deconvolution with a 3 x 3 blur converges', () => {
    const blur = convolution2d(
      tensor([
        [0, 0.1, 0],
        [0.1, 0.6, 0.1],
        [0, 0.1, 0],
      ]),
      5,
      6,
    );
    const problem = analysisL1Problem(blur, differences2d(5, 6));
    const y = blur.apply(piecewise(8, 2, 30, 0.05));
    const r = solve(analysisL1Instance(problem, y, tensor([0.05, 0.2])), { tol: 1e-8, maxIter: 50000 });
    expect(r.converged).toBe(true);
  });
});

describe('primalDual: steps', () => {
  it("the default rule meets Condat's condition with the stated margin", () => {
    for (const [beta, g2] of [
      [1, 4],
      [2.5, 8],
      [1, 0],
      [0, 3],
    ]) {
      const { tau, sigma } = primalDualSteps(beta, g2);
      if (g2 > 0) {
        expect(tau * (beta / 2 + sigma * g2)).toBeCloseTo(0.99, 14);
        expect(sigma).toBeCloseTo(1 / Math.sqrt(g2), 15);
      } else expect(tau).toBe(1 / beta);
    }
  });

  it("an instance uses the operators' norms: ||D_8||^2 = 4 cos^2(pi / 16) and beta = 1 for denoising", () => {
    const inst = analysisL1Instance(tv8, Y, 1);
    expect(inst.lipschitz).toBe(1);
    expect(inst.gammaNormSquared).toBeCloseTo(4 * Math.cos(Math.PI / 16) ** 2, 14);
    expect(inst.steps).toEqual(primalDualSteps(1, inst.gammaNormSquared));
  });

  it('one given step fixes the other at the margin; given steps are kept', () => {
    const g2 = analysisL1Instance(tv8, Y, 1).gammaNormSquared;
    const a = analysisL1Instance(tv8, Y, 1, { sigma: 2 }).steps;
    expect(a.sigma).toBe(2);
    expect(a.tau * (0.5 + 2 * g2)).toBeCloseTo(0.99, 14);
    const b = analysisL1Instance(tv8, Y, 1, { tau: 0.5 }).steps;
    expect(b.tau).toBe(0.5);
    expect(0.5 * (0.5 + b.sigma * g2)).toBeCloseTo(0.99, 14);
    expect(analysisL1Instance(tv8, Y, 1, { tau: 0.1, sigma: 0.2 }).steps).toEqual({ tau: 0.1, sigma: 0.2 });
  });
});

describe('primalDual: bad input', () => {
  const lambda = 0.5;
  it('rejects a problem that is not an AnalysisL1Problem', () => {
    expect(() => analysisL1Instance({} as never, Y, lambda)).toThrow(
      new TypeError(
        "analysisL1Instance: argument 'problem' must be an AnalysisL1Problem (made by analysisL1Problem). Got an object (Object).",
      ),
    );
  });

  it('rejects signals of the wrong shape or with non-finite values', () => {
    expect(() => analysisL1Instance(tv8, fromArray([1, 2, 3], [1, 3]), lambda)).toThrow(
      new RangeError(
        "analysisL1Instance: argument 'Y' must be a tensor of shape [*, 8]. Got a tensor of shape [1, 3].",
      ),
    );
    expect(() => analysisL1Instance(tv8, tensor([1, 2, 3, 4, 5, 6, 7, 8]), lambda)).toThrow(
      new RangeError(
        "analysisL1Instance: argument 'Y' must be a tensor of rank 2. Got a tensor of shape [8].",
      ),
    );
    expect(() => analysisL1Instance(tv8, fromArray([NaN, 0, 0, 0, 0, 0, 0, 0], [1, 8]), lambda)).toThrow(
      /^analysisL1Instance: argument 'Y' must be a tensor of finite values\. Got NaN at flat index 0/,
    );
  });

  it('rejects a bad lambda', () => {
    expect(() => analysisL1Instance(tv8, Y, -1)).toThrow(
      new RangeError("analysisL1Instance: argument 'lambda' must be a finite number >= 0. Got -1."),
    );
    expect(() => analysisL1Instance(tv8, Y, tensor([1, 2, 3]))).toThrow(
      new RangeError(
        "analysisL1Instance: argument 'lambda' must be a finite number >= 0 or a tensor of shape [2] (one per sample). Got a tensor of shape [3].",
      ),
    );
  });

  it('rejects bad or unsafe steps', () => {
    expect(() => analysisL1Instance(tv8, Y, lambda, { tau: 0 })).toThrow(
      new RangeError("analysisL1Instance: argument 'tau' must be a finite number > 0. Got 0."),
    );
    expect(() => analysisL1Instance(tv8, Y, lambda, { sigma: NaN })).toThrow(
      new RangeError("analysisL1Instance: argument 'sigma' must be a finite number > 0. Got NaN."),
    );
    expect(() => analysisL1Instance(tv8, Y, lambda, { tau: '1' as never })).toThrow(
      new TypeError('analysisL1Instance: argument \'tau\' must be a finite number > 0. Got "1".'),
    );
    expect(() => analysisL1Instance(tv8, Y, lambda, { tau: 1, sigma: 1 })).toThrow(
      /^analysisL1Instance: argument 'tau' must be steps with tau \(\|\|A\|\|\^2 \/ 2 \+ sigma \|\|Gamma\|\|\^2\) < 1 \(here \|\|A\|\|\^2 <= 1, \|\|Gamma\|\|\^2 <= 3\.84\d*\)\. Got tau 1 and sigma 1, for which it is 4\.34\d*\.$/,
    );
    // tau alone too large: no sigma > 0 is left.
    expect(() => analysisL1Instance(tv8, Y, lambda, { tau: 3 })).toThrow(RangeError);
    expect(() => analysisL1Instance(tv8, Y, lambda, null as never)).toThrow(
      new TypeError("analysisL1Instance: argument 'options' must be an object. Got null."),
    );
  });

  it('rejects warm starts of the wrong shape', () => {
    expect(() =>
      analysisL1Instance(tv8, Y, lambda, { dualStart: fromArray(new Array(16).fill(0), [2, 8]) }),
    ).toThrow(
      new RangeError(
        "analysisL1Instance: argument 'dualStart' must be a tensor of shape [2, 7]. Got a tensor of shape [2, 8].",
      ),
    );
    expect(() => solve(analysisL1Instance(tv8, Y, lambda), { warmStart: tensor([[1, 2]]) })).toThrow(
      new RangeError(
        "primalDual: argument 'warmStart' must be a tensor of shape [2, 8]. Got a tensor of shape [1, 2].",
      ),
    );
  });

  it('primalDualSteps rejects bad norms', () => {
    expect(() => primalDualSteps(-1, 4)).toThrow(
      new RangeError("primalDualSteps: argument 'beta' must be a finite number >= 0. Got -1."),
    );
    expect(() => primalDualSteps(0, 0)).toThrow(
      new RangeError(
        "primalDualSteps: argument 'beta' must be a number > 0 when gammaNormSquared is 0. Got 0.",
      ),
    );
  });

  it('stops with an error naming the iteration when the iterates overflow', () => {
    const huge = fromArray(new Array(8).fill(1e200), [1, 8]);
    expect(() => solve(analysisL1Instance(tv8, huge, 1))).toThrow(
      /^primalDual: the iterates became non-finite at iteration 0/,
    );
  });
});
