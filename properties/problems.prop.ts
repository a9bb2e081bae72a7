/**
 * Properties of the objectives of src/problems: the Lasso duality gap is a certificate (>= 0, an
 * upper bound on F(z) - F*, 0 at the exact solutions of tiny problems found by enumerating supports
 * and signs), the gradient matches finite differences, lambdaMax characterises when z = 0 is
 * optimal, the analysis-l1 gap is a certificate too (0 at exact TV-denoising solutions found by
 * enumerating the active set of the dual box QP), the Lipschitz estimate keeps its stated
 * tolerance, inputs are never modified, and bad input is rejected with the template message.
 *
 * Reference values come from the plain-loop helpers of test/problems/support.ts, which share no
 * code with the library. Tolerances are rounding-level: each says which scale it is relative to.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromArray, type Tensor } from '../src/tensor/index.js';
import { svd } from '../src/linalg/eig.js';
import {
  analysisL1DualityGap,
  analysisL1FeasibleDual,
  analysisL1Objective,
  analysisL1PrimalFromDual,
  analysisL1Problem,
  lambdaMax,
  lassoDualityGap,
  lassoGradient,
  lassoObjective,
  lipschitzConstant,
  type Lambda,
} from '../src/problems/index.js';
import { fcParams, snapshot, unchanged } from './support/arbitraries.js';
import {
  denseOperator,
  differencesOperator,
  exactLasso,
  exactTvDenoising,
  lassoValue,
  matTVec,
  matVec,
  rowOf,
  solve,
} from '../test/problems/support.js';

// ---------------------------------------------------------------------------------------------
// Arbitraries.

/**
 * Doubles below 1e-100 in magnitude are flushed to zero: their products and squares underflow
 * (e.g. 1/2 ||y||^2 becomes 0 while A^T y does not), which tests rounding, not the objectives.
 */
const flushTiny = (x: number): number => (Math.abs(x) < 1e-100 ? 0 : x);
const boundedDouble = (bound: number) => fc.double({ min: -bound, max: bound, noNaN: true }).map(flushTiny);
const entry = boundedDouble(1);
/** Mostly zeros, like solver iterates, so both the sparse and the dense product paths run. */
const codeEntry = fc.oneof(fc.constant(0), entry);

const flatArb = (len: number, values = entry) => fc.array(values, { minLength: len, maxLength: len });

/** An n x m matrix as rows. */
const matrixArb = (n: number, m: number, values = entry): fc.Arbitrary<number[][]> =>
  flatArb(n * m, values).map((d) => Array.from({ length: n }, (_, i) => d.slice(i * m, (i + 1) * m)));

/**
 * A well-conditioned n x m matrix, n >= m: [I; 0] + 0.1 E with |E_ij| <= 1 and n m <= 40, so
 * ||0.1 E||_2 <= 0.1 sqrt(40) < 0.64 and every singular value lies in [0.36, 1.64].
 */
const wellConditionedArb = (n: number, m: number) =>
  matrixArb(n, m).map((e) => e.map((r, i) => r.map((v, j) => (i === j ? 1 : 0) + 0.1 * v)));

const tensorOf = (rows: number[][], width: number): Tensor => fromArray(rows.flat(), [rows.length, width]);

/** lambda as one number in [0, 2] or one per sample. */
const lambdaArb = (N: number): fc.Arbitrary<Lambda> =>
  fc.oneof(
    fc.double({ min: 0, max: 2, noNaN: true }).map(flushTiny),
    flatArb(N, fc.double({ min: 0, max: 2, noNaN: true }).map(flushTiny)).map((v) => fromArray(v, [N])),
  );

const lambdaOf = (lambda: Lambda, i: number): number =>
  typeof lambda === 'number' ? lambda : lambda.data[i];

/** A random Lasso batch: A (n, m), Y (N, n), Z (N, m) with sparse codes, lambda. */
const lassoBatchArb = fc
  .record({
    n: fc.integer({ min: 1, max: 6 }),
    m: fc.integer({ min: 1, max: 8 }),
    N: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ n, m, N }) =>
    fc.record({
      n: fc.constant(n),
      m: fc.constant(m),
      a: matrixArb(n, m),
      y: matrixArb(N, n, boundedDouble(2)),
      z: matrixArb(N, m, codeEntry),
      lambda: lambdaArb(N),
    }),
  );

/** A tiny well-conditioned Lasso problem (m <= 5) with lambda a fraction of lambdaMax in [0.05, 1.2]. */
const tinyLassoArb = fc
  .record({ m: fc.integer({ min: 1, max: 5 }), extra: fc.integer({ min: 0, max: 3 }) })
  .chain(({ m, extra }) =>
    fc.record({
      m: fc.constant(m),
      n: fc.constant(m + extra),
      a: wellConditionedArb(m + extra, m),
      y: flatArb(m + extra, boundedDouble(2)),
      fraction: fc.double({ min: 0.05, max: 1.2, noNaN: true }),
      z: flatArb(m, entry),
    }),
  );

const sumSquares = (v: readonly number[]): number => v.reduce((s, x) => s + x * x, 0);

// ---------------------------------------------------------------------------------------------

describe('lasso duality gap', () => {
  it('is >= 0, with a feasible theta, D(theta) = 1/2||y||^2 - 1/2||y - theta||^2 and F = objective', () => {
    fc.assert(
      fc.property(lassoBatchArb, ({ n, m, a, y, z, lambda }) => {
        const A = tensorOf(a, m);
        const Y = tensorOf(y, n);
        const Z = tensorOf(z, m);
        const g = lassoDualityGap(A, Y, Z, lambda);
        y.forEach((yi, i) => {
          const lam = lambdaOf(lambda, i);
          expect(g.gap.data[i]).toBeGreaterThanOrEqual(0);
          const f = lassoValue(a, yi, z[i], lam);
          const scale = 1 + sumSquares(yi) + f;
          expect(Math.abs(g.primal.data[i] - f)).toBeLessThanOrEqual(1e-13 * scale);
          const theta = rowOf(g.theta, i);
          const aTheta = matTVec(a, theta);
          const thetaScale = theta.reduce((s, t) => s + Math.abs(t), 0);
          expect(Math.max(0, ...aTheta.map(Math.abs))).toBeLessThanOrEqual(lam + 1e-14 * (1 + thetaScale));
          const d = 0.5 * sumSquares(yi) - 0.5 * sumSquares(yi.map((v, k) => v - theta[k]));
          expect(Math.abs(g.dual.data[i] - d)).toBeLessThanOrEqual(1e-13 * scale);
        });
        expect(g.maxGap).toBe(Math.max(...g.gap.data));
      }),
      fcParams(200),
    );
  });

  it('is 0 at the exact solution of tiny problems, and bounds F(z) - F* for any z', () => {
    fc.assert(
      fc.property(tinyLassoArb, ({ m, n, a, y, fraction, z }) => {
        const A = tensorOf(a, m);
        const Y = fromArray(y, [1, n]);
        const lam = fraction * lambdaMax(A, Y).data[0];
        const star = exactLasso(a, y, lam);
        const f0 = 0.5 * sumSquares(y); // F(0): the scale of the objective
        const atStar = lassoDualityGap(A, Y, fromArray(star.z, [1, m]), lam);
        expect(atStar.gap.data[0]).toBeLessThanOrEqual(1e-12 * f0);
        expect(Math.abs(atStar.primal.data[0] - star.value)).toBeLessThanOrEqual(1e-13 * f0);
        const g = lassoDualityGap(A, Y, fromArray(z, [1, m]), lam);
        expect(g.primal.data[0] - star.value).toBeLessThanOrEqual(
          g.gap.data[0] + 1e-13 * (f0 + g.primal.data[0]),
        );
      }),
      fcParams(150),
    );
  });

  it('at z = 0 is 0 exactly iff lambda >= lambdaMax', () => {
    // Fractions in [0, 0.999] or [1, 2]: away from 1, where lambda / lambdaMax may round to 1.
    const fractionArb = fc.oneof(
      fc.double({ min: 0, max: 0.999, noNaN: true }),
      fc.double({ min: 1, max: 2, noNaN: true }),
    );
    fc.assert(
      fc.property(
        lassoBatchArb,
        fc.array(fractionArb, { minLength: 3, maxLength: 3 }),
        ({ n, m, a, y }, f) => {
          const A = tensorOf(a, m);
          const Y = tensorOf(y, n);
          const N = y.length;
          const lmax = lambdaMax(A, Y);
          y.forEach((yi, i) => {
            const c = matTVec(a, yi);
            expect(lmax.data[i]).toBeCloseTo(Math.max(0, ...c.map(Math.abs)), 14);
          });
          const lam = fromArray(
            Array.from({ length: N }, (_, i) => f[i] * lmax.data[i]),
            [N],
          );
          const g = lassoDualityGap(A, Y, fromArray(new Array<number>(N * m).fill(0), [N, m]), lam);
          for (let i = 0; i < N; i++) expect(g.gap.data[i] === 0).toBe(lam.data[i] >= lmax.data[i]);
        },
      ),
      fcParams(200),
    );
  });
});

describe('lasso gradient', () => {
  it('equals central differences of 1/2 ||y - A z||^2 (exact for a quadratic at any step)', () => {
    const h = 0.5;
    fc.assert(
      fc.property(lassoBatchArb, ({ n, m, a, y, z }) => {
        const grad = lassoGradient(tensorOf(a, m), tensorOf(y, n), tensorOf(z, m));
        const smooth = (yi: number[], zi: number[]) => lassoValue(a, yi, zi, 0);
        y.forEach((yi, i) => {
          const scale = 1 + smooth(yi, z[i]) / h;
          for (let j = 0; j < m; j++) {
            const plus = z[i].slice();
            const minus = z[i].slice();
            plus[j] += h;
            minus[j] -= h;
            const fd = (smooth(yi, plus) - smooth(yi, minus)) / (2 * h);
            expect(Math.abs(grad.data[i * m + j] - fd)).toBeLessThanOrEqual(1e-13 * scale);
          }
        });
      }),
      fcParams(200),
    );
  });
});

describe('lasso with a LinearOperator', () => {
  it('gives the values of the dense matrix', () => {
    fc.assert(
      fc.property(lassoBatchArb, ({ n, m, a, y, z, lambda }) => {
        const A = tensorOf(a, m);
        const op = denseOperator(a, m);
        const Y = tensorOf(y, n);
        const Z = tensorOf(z, m);
        const close = (u: Tensor, v: Tensor, scale: number) =>
          u.data.forEach((x, k) => expect(Math.abs(x - v.data[k])).toBeLessThanOrEqual(1e-13 * scale));
        const g1 = lassoDualityGap(op, Y, Z, lambda);
        const g2 = lassoDualityGap(A, Y, Z, lambda);
        const scale = 1 + Math.max(...g2.primal.data);
        close(g1.gap, g2.gap, scale);
        close(g1.primal, g2.primal, scale);
        close(g1.theta, g2.theta, scale);
        close(lassoGradient(op, Y, Z), lassoGradient(A, Y, Z), scale);
        close(lambdaMax(op, Y), lambdaMax(A, Y), scale);
        close(lassoObjective(op, Y, Z, lambda).perSample, g2.primal, scale);
      }),
      fcParams(100),
    );
  });
});

describe('lipschitzConstant', () => {
  it('is within its stated tolerance of sigma_max^2, and an upper bound is >= it', () => {
    const dims = fc.record({ n: fc.integer({ min: 1, max: 7 }), m: fc.integer({ min: 1, max: 7 }) });
    fc.assert(
      fc.property(
        dims.chain(({ n, m }) => matrixArb(n, m).map((a) => tensorOf(a, m))),
        (A) => {
          // The reference: one-sided Jacobi SVD, another algorithm; 1e-14 L below covers rounding.
          const sigma = svd(A).s.data[0] ?? 0;
          const L = sigma * sigma;
          const est = lipschitzConstant(A);
          expect(Math.abs(est.value - L)).toBeLessThanOrEqual(est.tolerance * L + 1e-14 * L);
          const up = lipschitzConstant(A, { upperBound: true });
          expect(up.value).toBeGreaterThanOrEqual(L);
          expect(up.value - L).toBeLessThanOrEqual(up.tolerance * L + 1e-14 * L);
        },
      ),
      fcParams(200),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Analysis-l1.

/** TV denoising of N signals of length d (2..5), with y, x, a dual candidate and lambda. */
const tvArb = fc
  .record({ d: fc.integer({ min: 2, max: 5 }), N: fc.integer({ min: 1, max: 3 }) })
  .chain(({ d, N }) =>
    fc.record({
      d: fc.constant(d),
      y: matrixArb(N, d, boundedDouble(2)),
      x: matrixArb(N, d, boundedDouble(2)),
      u: matrixArb(N, d - 1, boundedDouble(3)),
      lambda: lambdaArb(N),
    }),
  );

/** A full-rank A (p x d), a dense Gamma (k x d), and a batch. */
const generalArb = fc
  .record({
    d: fc.integer({ min: 1, max: 4 }),
    extra: fc.integer({ min: 0, max: 2 }),
    k: fc.integer({ min: 1, max: 5 }),
    N: fc.integer({ min: 1, max: 3 }),
  })
  .chain(({ d, extra, k, N }) =>
    fc.record({
      d: fc.constant(d),
      p: fc.constant(d + extra),
      k: fc.constant(k),
      a: wellConditionedArb(d + extra, d),
      gamma: matrixArb(k, d),
      y: matrixArb(N, d + extra, boundedDouble(2)),
      x: matrixArb(N, d, boundedDouble(2)),
      u: matrixArb(N, k, boundedDouble(3)),
      lambda: lambdaArb(N),
    }),
  );

describe('analysis-l1 duality gap', () => {
  it('TV denoising: >= 0 for feasible u, D(u) = 1/2||y||^2 - 1/2||y - D^T u||^2, x(u) = y - D^T u', () => {
    fc.assert(
      fc.property(tvArb, ({ d, y, x, u, lambda }) => {
        const problem = analysisL1Problem(null, differencesOperator(d));
        const U = analysisL1FeasibleDual(tensorOf(u, d - 1), lambda);
        const g = analysisL1DualityGap(problem, tensorOf(y, d), tensorOf(x, d), U, lambda);
        const xu = analysisL1PrimalFromDual(problem, tensorOf(y, d), U);
        y.forEach((yi, i) => {
          const lam = lambdaOf(lambda, i);
          const ui = rowOf(U, i);
          expect(Math.max(0, ...ui.map(Math.abs))).toBeLessThanOrEqual(lam);
          expect(g.gap.data[i]).toBeGreaterThanOrEqual(0);
          const dtu = Array.from({ length: d }, (_, t) => (t > 0 ? ui[t - 1] : 0) - (t < d - 1 ? ui[t] : 0));
          const expectedX = yi.map((v, t) => v - dtu[t]);
          rowOf(xu, i).forEach((v, t) => expect(Math.abs(v - expectedX[t])).toBeLessThanOrEqual(1e-15 * 8));
          const dual = 0.5 * sumSquares(yi) - 0.5 * sumSquares(expectedX);
          const tv = x[i].slice(1).reduce((s, v, t) => s + Math.abs(v - x[i][t]), 0);
          const primal = 0.5 * sumSquares(yi.map((v, t) => v - x[i][t])) + lam * tv;
          const scale = 1 + sumSquares(yi) + primal;
          expect(Math.abs(g.primal.data[i] - primal)).toBeLessThanOrEqual(1e-13 * scale);
          expect(Math.abs(g.dual.data[i] - dual)).toBeLessThanOrEqual(1e-13 * scale);
        });
      }),
      fcParams(200),
    );
  });

  it('TV denoising: 0 at the exact solution, and >= P(x) - P* for any x and feasible u', () => {
    fc.assert(
      fc.property(tvArb, ({ d, y, x, u, lambda }) => {
        const problem = analysisL1Problem(null, differencesOperator(d));
        const N = y.length;
        const stars = y.map((yi, i) => exactTvDenoising(yi, lambdaOf(lambda, i)));
        const Y = tensorOf(y, d);
        const xStar = tensorOf(
          stars.map((s) => s.x),
          d,
        );
        const uStar = tensorOf(
          stars.map((s) => s.u),
          d - 1,
        );
        const atStar = analysisL1DualityGap(problem, Y, xStar, analysisL1FeasibleDual(uStar, lambda), lambda);
        const pStar = analysisL1Objective(problem, Y, xStar, lambda).perSample;
        const g = analysisL1DualityGap(
          problem,
          Y,
          tensorOf(x, d),
          analysisL1FeasibleDual(tensorOf(u, d - 1), lambda),
          lambda,
        );
        for (let i = 0; i < N; i++) {
          const scale = 1 + 0.5 * sumSquares(y[i]);
          expect(atStar.gap.data[i]).toBeLessThanOrEqual(1e-9 * scale);
          expect(g.primal.data[i] - pStar.data[i]).toBeLessThanOrEqual(g.gap.data[i] + 1e-12 * scale);
        }
      }),
      fcParams(150),
    );
  });

  it('full-rank A: >= 0 for feasible u, D(u) = 1/2||y||^2 - 1/2 w^T (A^T A)^-1 w with w = A^T y - Gamma^T u', () => {
    fc.assert(
      fc.property(generalArb, ({ d, p, k, a, gamma, y, x, u, lambda }) => {
        const problem = analysisL1Problem(denseOperator(a, d), denseOperator(gamma, d));
        const U = analysisL1FeasibleDual(tensorOf(u, k), lambda);
        const g = analysisL1DualityGap(problem, tensorOf(y, p), tensorOf(x, d), U, lambda);
        const gram = Array.from({ length: d }, (_, r) =>
          Array.from({ length: d }, (_, c) => a.reduce((s, row) => s + row[r] * row[c], 0)),
        );
        const xu = analysisL1PrimalFromDual(problem, tensorOf(y, p), U);
        y.forEach((yi, i) => {
          const lam = lambdaOf(lambda, i);
          expect(g.gap.data[i]).toBeGreaterThanOrEqual(0);
          const gtu = matTVec(gamma, rowOf(U, i));
          const w = matTVec(a, yi).map((v, t) => v - gtu[t]);
          const sol = solve(gram, w) ?? [];
          rowOf(xu, i).forEach((v, t) =>
            expect(Math.abs(v - sol[t])).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(sol[t]))),
          );
          const dual = 0.5 * sumSquares(yi) - 0.5 * w.reduce((s, v, t) => s + v * sol[t], 0);
          const ax = matVec(a, x[i]);
          const gx = matVec(gamma, x[i]);
          const primal =
            0.5 * sumSquares(yi.map((v, t) => v - ax[t])) + lam * gx.reduce((s, v) => s + Math.abs(v), 0);
          const scale = 1 + sumSquares(yi) + primal + sumSquares(w);
          expect(Math.abs(g.primal.data[i] - primal)).toBeLessThanOrEqual(1e-13 * scale);
          expect(Math.abs(g.dual.data[i] - dual)).toBeLessThanOrEqual(1e-12 * scale);
        });
      }),
      fcParams(150),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Inputs and bad input.

describe('inputs', () => {
  it('are never modified', () => {
    fc.assert(
      fc.property(lassoBatchArb, tvArb, ({ n, m, a, y, z, lambda }, tv) => {
        const A = tensorOf(a, m);
        const Y = tensorOf(y, n);
        const Z = tensorOf(z, m);
        const inputs = [A, Y, Z, ...(typeof lambda === 'number' ? [] : [lambda])];
        const before = inputs.map(snapshot);
        lassoObjective(A, Y, Z, lambda);
        lassoGradient(A, Y, Z);
        lassoDualityGap(A, Y, Z, lambda);
        lassoDualityGap(denseOperator(a, m), Y, Z, lambda);
        lassoGradient(denseOperator(a, m), Y, Z);
        lambdaMax(A, Y);
        lipschitzConstant(A, { upperBound: true });
        inputs.forEach((t, k) => expect(unchanged(t, before[k])).toBe(true));

        const problem = analysisL1Problem(null, differencesOperator(tv.d));
        const TY = tensorOf(tv.y, tv.d);
        const TX = tensorOf(tv.x, tv.d);
        const TU = tensorOf(tv.u, tv.d - 1);
        const tvInputs = [TY, TX, TU, ...(typeof tv.lambda === 'number' ? [] : [tv.lambda])];
        const tvBefore = tvInputs.map(snapshot);
        const feasible = analysisL1FeasibleDual(TU, tv.lambda);
        analysisL1Objective(problem, TY, TX, tv.lambda);
        analysisL1DualityGap(problem, TY, TX, feasible, tv.lambda);
        analysisL1DualityGap(problem, TY, TX, TU, tv.lambda);
        analysisL1PrimalFromDual(problem, TY, TU);
        tvInputs.forEach((t, k) => expect(unchanged(t, tvBefore[k])).toBe(true));
      }),
      fcParams(100),
    );
  });
});

describe('bad input', () => {
  const A = fromArray([1, 0, 0, 1], [2, 2]);
  const Y = fromArray([1, 2], [1, 2]);
  const Z = fromArray([0, 0], [1, 2]);
  const problem = analysisL1Problem(null, differencesOperator(2));

  it('a NaN, infinite or negative lambda is a RangeError with the template message', () => {
    const bad = fc.oneof(
      fc.constantFrom(NaN, Infinity, -Infinity),
      fc.double({ max: -Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }),
    );
    const U = fromArray([0], [1, 1]);
    const calls: [string, (lam: Lambda) => unknown][] = [
      ['lassoObjective', (lam) => lassoObjective(A, Y, Z, lam)],
      ['lassoDualityGap', (lam) => lassoDualityGap(A, Y, Z, lam)],
      ['analysisL1Objective', (lam) => analysisL1Objective(problem, Y, Y, lam)],
      ['analysisL1DualityGap', (lam) => analysisL1DualityGap(problem, Y, Y, U, lam)],
      ['analysisL1FeasibleDual', (lam) => analysisL1FeasibleDual(U, lam)],
    ];
    fc.assert(
      fc.property(bad, (lam) => {
        for (const [fn, call] of calls) {
          expect(() => call(lam)).toThrow(
            new RangeError(`${fn}: argument 'lambda' must be a finite number >= 0. Got ${String(lam)}.`),
          );
          // The same value as the weight of the one sample.
          const requirement = Number.isFinite(lam)
            ? `a tensor of values >= 0. Got ${String(lam)} at index 0.`
            : `a tensor of finite values. Got ${String(lam)} at flat index 0 of a tensor of shape [1].`;
          expect(() => call(fromArray([lam], [1]))).toThrow(
            new RangeError(`${fn}: argument 'lambda' must be ${requirement}`),
          );
        }
      }),
      fcParams(50),
    );
  });

  it('mismatched shapes are RangeErrors naming the expected shape', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        (rowsY, colsY, rowsZ, colsZ) => {
          const y = fromArray(new Array<number>(rowsY * colsY).fill(1), [rowsY, colsY]);
          const z = fromArray(new Array<number>(rowsZ * colsZ).fill(0), [rowsZ, colsZ]);
          const call = () => lassoDualityGap(A, y, z, 1);
          if (colsY !== 2)
            expect(call).toThrow(
              new RangeError(
                `lassoDualityGap: argument 'y' must be a tensor of shape [*, 2]. Got a tensor of shape [${rowsY}, ${colsY}].`,
              ),
            );
          else if (rowsZ !== rowsY || colsZ !== 2)
            expect(call).toThrow(
              new RangeError(
                `lassoDualityGap: argument 'z' must be a tensor of shape [${rowsY}, 2]. Got a tensor of shape [${rowsZ}, ${colsZ}].`,
              ),
            );
          else expect(call).not.toThrow();
        },
      ),
      fcParams(100),
    );
  });

  it('NaN or infinite entries in A, Y or Z are RangeErrors', () => {
    fc.assert(
      fc.property(fc.constantFrom(NaN, Infinity, -Infinity), fc.integer({ min: 0, max: 2 }), (v, which) => {
        const a = which === 0 ? fromArray([1, v, 0, 1], [2, 2]) : A;
        const y = which === 1 ? fromArray([v, 2], [1, 2]) : Y;
        const z = which === 2 ? fromArray([0, v], [1, 2]) : Z;
        const name = ['a', 'y', 'z'][which];
        expect(() => lassoDualityGap(a, y, z, 1)).toThrow(
          new RegExp(`^lassoDualityGap: argument '${name}' must be a tensor of finite values\\. Got `),
        );
        expect(() => lassoDualityGap(a, y, z, 1)).toThrow(RangeError);
      }),
      fcParams(30),
    );
  });
});
