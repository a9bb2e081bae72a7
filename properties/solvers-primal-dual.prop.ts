/**
 * Properties of the primal-dual (Condat-Vu) solver of analysis-l1 problems (src/solvers/primal-dual.ts).
 *
 * - TV-1D denoising (A = identity, Gamma = differences1d) equals the exact TV-1D prox (Condat's
 *   direct algorithm, src/prox/tv1d.ts). The objective is 1-strongly convex, so
 *   1/2 ||x - x*||^2 <= P(x) - P* <= gap: the run goes to a gap of 1e-10 and each sample's distance
 *   to the prox must be at most sqrt(2 gap_i) (plus a rounding term of 1e-12 relative).
 * - At every iteration, every sample's gap is >= 0 and P(x_k) - P* <= gap (P* from the exact
 *   prox), and the dual iterate stays in its ball.
 * - TV-2D denoising reaches a gap of 1e-8 (the gap falls from its start to that level); on images
 *   of one row or one column, where TV-2D is TV-1D, it equals the exact TV-1D prox.
 * - TV deconvolution with a zero-padded 1-D convolution A = I + E, ||E|| <= |taps off the centre|
 *   <= 0.6 (so full column rank, sigma_min(A) >= 0.4 and P is mu-strongly convex with mu >= 0.16),
 *   converges to a gap of 1e-6; a second run from a random start to 1e-10 lands within the
 *   certified distances: ||x1 - x2|| <= sqrt(2 gap1 / mu) + sqrt(2 gap2 / mu).
 *
 * Fixed seed (FC_SEED to explore); fast-check prints the seed and path of any failure.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fcParams } from './support/arbitraries.js';
import { fromArray, type Tensor } from '../src/tensor/index.js';
import { Rng } from '../src/random/index.js';
import { convolution1d, differences1d, differences2d } from '../src/operators/index.js';
import { analysisL1Objective, analysisL1Problem } from '../src/problems/index.js';
import { tv1d } from '../src/prox/tv1d.js';
import {
  analysisL1Instance,
  checkRunOptions,
  primalDual,
  runSolver,
  type AnalysisL1Instance,
  type RunOptions,
} from '../src/solvers/index.js';

function solve(inst: AnalysisL1Instance, options: RunOptions) {
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
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

function norm(a: readonly number[]): number {
  return Math.hypot(...a);
}

/** A batch of signals: uniform noise or piecewise-constant levels plus noise, from a seed. */
function signals(seed: number, N: number, n: number, kind: 'noise' | 'pieces'): number[] {
  const rng = new Rng(seed);
  const out: number[] = [];
  for (let i = 0; i < N; i++) {
    let level = 3 * rng.normal();
    for (let j = 0; j < n; j++) {
      if (kind === 'noise') out.push(10 * rng.uniform() - 5);
      else {
        if (rng.uniform() < 0.2) level = 3 * rng.normal();
        out.push(level + 0.3 * rng.normal());
      }
    }
  }
  return out;
}

/** N signals of length n with one lambda each (0 to 8, some exactly 0). */
const denoisingArb = fc
  .record({
    N: fc.integer({ min: 1, max: 3 }),
    n: fc.integer({ min: 1, max: 16 }),
    seed: fc.integer(),
    kind: fc.constantFrom('noise' as const, 'pieces' as const),
  })
  .chain((c) =>
    fc.record({
      case: fc.constant(c),
      lambdas: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 8, noNaN: true })), {
        minLength: c.N,
        maxLength: c.N,
      }),
    }),
  )
  .map(({ case: c, lambdas }) => ({
    ...c,
    Y: fromArray(signals(c.seed, c.N, c.n, c.kind), [c.N, c.n]),
    lambda: fromArray(lambdas, [c.N]),
  }));

describe('primalDual: TV-1D denoising', () => {
  it('equals the exact TV-1D prox within the distance its gap certifies', () => {
    fc.assert(
      fc.property(denoisingArb, ({ N, n, Y, lambda }) => {
        const inst = analysisL1Instance(analysisL1Problem(null, differences1d(n)), Y, lambda);
        const r = solve(inst, { tol: 1e-10, maxIter: 100000 });
        expect(r.converged).toBe(true);
        const exact = tv1d.prox(Y, lambda);
        for (let i = 0; i < N; i++) {
          const d = distance(row(r.Z, i), row(exact, i));
          const bound = Math.sqrt(2 * r.gaps.get(i)) + 1e-12 * (1 + norm(row(Y, i)));
          expect(d, `sample ${i}`).toBeLessThanOrEqual(bound);
        }
      }),
      fcParams(40),
    );
  });

  it('at every iteration: gap >= 0, P(x_k) - P* <= gap and the dual iterate is feasible', () => {
    fc.assert(
      fc.property(denoisingArb, ({ N, n, Y, lambda }) => {
        const problem = analysisL1Problem(null, differences1d(n));
        const inst = analysisL1Instance(problem, Y, lambda);
        const pStar = analysisL1Objective(problem, Y, tv1d.prox(Y, lambda), lambda).perSample;
        let state = primalDual.init(inst);
        for (let k = 0; k <= 150; k++) {
          const cert = primalDual.certificate(inst, state);
          const p = analysisL1Objective(problem, Y, primalDual.solution(inst, state), lambda).perSample;
          for (let i = 0; i < N; i++) {
            const gap = cert.gaps[i];
            expect(gap).toBeGreaterThanOrEqual(0);
            const slack = 1e-12 * (1 + Math.abs(pStar.get(i)));
            expect(p.get(i) - pStar.get(i), `iteration ${k}, sample ${i}`).toBeLessThanOrEqual(gap + slack);
            for (let j = i * (n - 1); j < (i + 1) * (n - 1); j++)
              expect(Math.abs(state.u[j])).toBeLessThanOrEqual(lambda.get(i));
          }
          state = primalDual.step(inst, state);
        }
      }),
      fcParams(30),
    );
  });
});

describe('primalDual: TV-2D denoising', () => {
  const imageArb = fc.record({
    N: fc.integer({ min: 1, max: 2 }),
    h: fc.integer({ min: 1, max: 5 }),
    w: fc.integer({ min: 1, max: 5 }),
    seed: fc.integer(),
    kind: fc.constantFrom('noise' as const, 'pieces' as const),
    lambda: fc.double({ min: 0.01, max: 3, noNaN: true }),
  });

  it('the gap falls to 1e-8; images of one row or column give the exact TV-1D prox', () => {
    fc.assert(
      fc.property(imageArb, ({ N, h, w, seed, kind, lambda }) => {
        const Y = fromArray(signals(seed, N, h * w, kind), [N, h * w]);
        const inst = analysisL1Instance(analysisL1Problem(null, differences2d(h, w)), Y, lambda);
        const gaps: number[] = [];
        const r = solve(inst, { tol: 1e-8, maxIter: 100000, callback: (rec) => void gaps.push(rec.maxGap) });
        expect(r.converged).toBe(true);
        expect(gaps.every((g) => g >= 0)).toBe(true);
        expect(r.maxGap).toBeLessThanOrEqual(gaps[0]);
        if (h === 1 || w === 1) {
          const exact = tv1d.prox(Y, lambda);
          for (let i = 0; i < N; i++) {
            const bound = Math.sqrt(2 * r.gaps.get(i)) + 1e-12 * (1 + norm(row(Y, i)));
            expect(distance(row(r.Z, i), row(exact, i))).toBeLessThanOrEqual(bound);
          }
        }
      }),
      fcParams(30),
    );
  });
});

describe('primalDual: TV deconvolution', () => {
  // Taps [a, 1, b] (or [a, 1] / [1] at the ends of the range): A = I + E with ||E||_2 <= |a| + |b| <= 0.6.
  const deconvolutionArb = fc.record({
    N: fc.integer({ min: 1, max: 2 }),
    n: fc.integer({ min: 2, max: 16 }),
    seed: fc.integer(),
    a: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
    b: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
    lambda: fc.double({ min: 0.01, max: 2, noNaN: true }),
  });

  it('converges to a gap of 1e-6, and two runs agree within their certified distances', () => {
    fc.assert(
      fc.property(deconvolutionArb, ({ N, n, seed, a, b, lambda }) => {
        const blur = convolution1d(fromArray([a, 1, b], [3]), n);
        const mu = (1 - Math.abs(a) - Math.abs(b)) ** 2; // sigma_min(A)^2 >= (1 - ||E||)^2
        const problem = analysisL1Problem(blur, differences1d(n));
        const truth = fromArray(signals(seed, N, n, 'pieces'), [N, n]);
        const Y = blur.apply(truth);
        const inst = analysisL1Instance(problem, Y, lambda);
        const first = solve(inst, { tol: 1e-6, maxIter: 100000 });
        expect(first.converged).toBe(true);
        const start = fromArray(signals(seed + 1, N, n, 'noise'), [N, n]);
        const second = solve(inst, { tol: 1e-10, maxIter: 100000, warmStart: start });
        expect(second.converged).toBe(true);
        for (let i = 0; i < N; i++) {
          const bound =
            Math.sqrt((2 * first.gaps.get(i)) / mu) +
            Math.sqrt((2 * second.gaps.get(i)) / mu) +
            1e-12 * (1 + norm(row(truth, i)));
          expect(distance(row(first.Z, i), row(second.Z, i)), `sample ${i}`).toBeLessThanOrEqual(bound);
        }
      }),
      fcParams(25),
    );
  });
});
