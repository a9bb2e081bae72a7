/**
 * Properties of the norms, power iteration, Cholesky and Jacobi decompositions of src/linalg.
 *
 * Random matrices come from fast-check arbitraries (the suite's fixed seed, FC_SEED to explore). Entries
 * mix doubles in [-1, 1] with small integers, so that degenerate cases (zero rows, repeated or
 * zero singular values) come up; doubles below 1e-150 in magnitude are flushed to zero, since
 * subnormal entries make any relative reconstruction test meaningless. Matrices with a prescribed
 * spectrum are built as U diag(s) V^T from orthonormal factors made here by Gram-Schmidt, which
 * does not share code with the decompositions under test.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fcParams as params } from './support/arbitraries.js';
import { fromArray } from '../src/tensor/create.js';
import type { Tensor } from '../src/tensor/tensor.js';
import {
  dot,
  frobenius,
  norm1,
  norm2,
  normInf,
  rowNorms1,
  rowNorms2,
  rowNormsInf,
} from '../src/linalg/norms.js';
import { spectralNorm, topSingularPair } from '../src/linalg/power-iteration.js';
import { cholesky, choleskyAppend, choleskyAppendInPlace, choleskySolve } from '../src/linalg/cholesky.js';
import { eigSym, svd } from '../src/linalg/eig.js';

// ---------------------------------------------------------------------------------------------
// Arbitraries and small independent helpers (plain loops, no library code under test).

const entry = fc.oneof(
  fc.double({ min: -1, max: 1, noNaN: true }).map((x) => (Math.abs(x) < 1e-150 ? 0 : x)),
  fc.integer({ min: -3, max: 3 }),
);

/** A random n x m matrix as a flat row-major array. */
const flat = (n: number, m: number) => fc.array(entry, { minLength: n * m, maxLength: n * m });

/** A random matrix with 1..maxDim rows and columns. */
const matrix = (maxDim: number): fc.Arbitrary<Tensor> =>
  fc
    .tuple(fc.integer({ min: 1, max: maxDim }), fc.integer({ min: 1, max: maxDim }))
    .chain(([n, m]) => flat(n, m).map((d) => fromArray(d, [n, m])));

const at = (t: Tensor, i: number, j: number): number => t.data[i * t.shape[1] + j];

/** C = A B for flat row-major arrays. */
function mul(a: ArrayLike<number>, b: ArrayLike<number>, n: number, k: number, m: number): Float64Array {
  const c = new Float64Array(n * m);
  for (let i = 0; i < n; i++)
    for (let p = 0; p < k; p++) for (let j = 0; j < m; j++) c[i * m + j] += a[i * k + p] * b[p * m + j];
  return c;
}

function transposeFlat(a: ArrayLike<number>, n: number, m: number): Float64Array {
  const t = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) t[j * n + i] = a[i * m + j];
  return t;
}

const naiveNorm2 = (x: ArrayLike<number>): number => Math.sqrt(Array.from(x).reduce((s, v) => s + v * v, 0));

/** max |entry| of G - I for the k x k Gram matrix Q^T Q of an (n x k) Q. */
function orthonormalityDefect(q: Tensor): number {
  const [n, k] = q.shape;
  let worst = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += at(q, r, i) * at(q, r, j);
      worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
    }
  }
  return worst;
}

/**
 * k orthonormal columns (n x k, flat) from n x k raw values by modified Gram-Schmidt, done twice;
 * a column that collapses is replaced by the next canonical basis vector that survives.
 */
function orthonormal(raw: readonly number[], n: number, k: number): Float64Array {
  const q = new Float64Array(n * k);
  let e = 0;
  for (let j = 0; j < k; j++) {
    const col = Array.from({ length: n }, (_, i) => raw[i * k + j]);
    for (let attempt = 0; ; attempt++) {
      const c = attempt === 0 ? col.slice() : Array.from({ length: n }, (_, i) => (i === e - 1 ? 1 : 0));
      const before = naiveNorm2(c);
      for (let pass = 0; pass < 2; pass++) {
        for (let p = 0; p < j; p++) {
          let d = 0;
          for (let i = 0; i < n; i++) d += q[i * k + p] * c[i];
          for (let i = 0; i < n; i++) c[i] -= d * q[i * k + p];
        }
      }
      const after = naiveNorm2(c);
      if (before > 0 && after > 0.1 * before) {
        for (let i = 0; i < n; i++) q[i * k + j] = c[i] / after;
        break;
      }
      e++;
    }
  }
  return q;
}

/** A (n x m) = U diag(s) V^T with orthonormal U (n x r), V (m x r) from raw values. */
function withSpectrum(s: readonly number[], n: number, m: number, rawU: number[], rawV: number[]): Tensor {
  const r = s.length;
  const u = orthonormal(rawU, n, r);
  const v = orthonormal(rawV, m, r);
  const us = u.map((x, idx) => x * s[idx % r]);
  return fromArray(mul(us, transposeFlat(v, m, r), n, r, m), [n, m]);
}

/**
 * A matrix with prescribed singular values s_0 > s_1 >= ... with s_1 / s_0 <= 0.8, i.e. a spectral
 * gap q = sigma_2 / sigma_1 <= 0.8, which power iteration needs for its tolerance to mean much.
 */
const gappedMatrix = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))
  .chain(([n, m]) => {
    const r = Math.min(n, m);
    return fc.record({
      n: fc.constant(n),
      m: fc.constant(m),
      top: fc.double({ min: 0.5, max: 2, noNaN: true }),
      ratios: fc.array(fc.double({ min: 0, max: 0.8, noNaN: true }), { minLength: r - 1, maxLength: r - 1 }),
      rawU: flat(n, r),
      rawV: flat(m, r),
    });
  })
  .map(({ n, m, top, ratios, rawU, rawV }) => {
    const s = [top, ...ratios.sort((a, b) => b - a).map((q) => q * top)];
    return { a: withSpectrum(s, n, m, rawU, rawV), s };
  });

/** A random symmetric positive-definite A = B^T B + 0.1 I (n x n) with B (n + 2) x n. */
const spdMatrix = fc
  .integer({ min: 1, max: 7 })
  .chain((n) => flat(n + 2, n).map((b) => ({ n, b })))
  .map(({ n, b }) => {
    const a = mul(transposeFlat(b, n + 2, n), b, n, n + 2, n);
    for (let i = 0; i < n; i++) a[i * n + i] += 0.1;
    return fromArray(a, [n, n]);
  });

const unchanged = (t: Tensor, before: Float64Array): boolean =>
  t.data.every((v, i) => Object.is(v, before[i]));

// ---------------------------------------------------------------------------------------------

describe('norms agree with their naive definitions', () => {
  it('norm2, frobenius, norm1, normInf, dot, and the row-wise versions', () => {
    fc.assert(
      fc.property(
        matrix(6).chain((a) => flat(a.shape[0], a.shape[1]).map((b) => [a, fromArray(b, a.shape)] as const)),
        ([a, b]) => {
          const before = Float64Array.from(a.data);
          const xs = Array.from(a.data);
          const n2 = naiveNorm2(xs);
          expect(Math.abs(norm2(a) - n2)).toBeLessThanOrEqual(1e-15 * n2);
          expect(frobenius(a)).toBe(norm2(a));
          expect(Math.abs(norm1(a) - xs.reduce((s, v) => s + Math.abs(v), 0))).toBeLessThanOrEqual(
            1e-15 * norm1(a),
          );
          expect(normInf(a)).toBe(Math.max(0, ...xs.map(Math.abs)));
          const d = xs.reduce((s, v, i) => s + v * b.data[i], 0);
          expect(Math.abs(dot(a, b) - d)).toBeLessThanOrEqual(1e-14 * norm2(a) * norm2(b));
          const [rows, cols] = a.shape;
          const r2 = rowNorms2(a);
          const r1 = rowNorms1(a);
          const ri = rowNormsInf(a);
          for (let i = 0; i < rows; i++) {
            const row = xs.slice(i * cols, (i + 1) * cols);
            expect(Math.abs(r2.data[i] - naiveNorm2(row))).toBeLessThanOrEqual(1e-15 * naiveNorm2(row));
            expect(r1.data[i]).toBeCloseTo(
              row.reduce((s, v) => s + Math.abs(v), 0),
              14,
            );
            expect(ri.data[i]).toBe(Math.max(...row.map(Math.abs)));
          }
          expect(unchanged(a, before)).toBe(true);
        },
      ),
      params(200),
    );
  });

  it('norm2 is absolutely homogeneous over the whole exponent range (no overflow, no underflow)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: -900, max: 900 }),
        (ints, k) => {
          // Entries are multiples of 1/16, so scaling by 2^k is exact and the scaled entries stay normal.
          const x = ints.map((i) => i / 16);
          const c = 2 ** k;
          expect(
            norm2(
              fromArray(
                x.map((v) => v * c),
                [x.length],
              ),
            ),
          ).toBe(norm2(fromArray(x, [x.length])) * c);
        },
      ),
      params(200),
    );
  });
});

describe('power iteration', () => {
  it('is within its stated tolerance of the largest singular value, from below', () => {
    // tol = 1e-10 bounds the last relative change. With q = sigma_2 / sigma_1 <= 0.8 the error
    // shrinks by q^4 <= 0.41 per iteration, so at the stop it is about change * q^4 / (1 - q^4)
    // <= 0.7 tol; 10 tol leaves room for the pre-asymptotic regime and for rounding. The estimate
    // is ||A v|| for a unit v, a lower bound up to rounding (1e-14 relative covers it).
    fc.assert(
      fc.property(gappedMatrix, ({ a, s }) => {
        const before = Float64Array.from(a.data);
        const ref = svd(a).s.data[0];
        expect(Math.abs(ref - s[0])).toBeLessThanOrEqual(1e-13 * s[0]);
        const est = spectralNorm(a);
        expect(est.converged).toBe(true);
        expect(Math.abs(est.value - ref)).toBeLessThanOrEqual(10 * 1e-10 * ref);
        expect(est.value).toBeLessThanOrEqual(ref * (1 + 1e-14));
        expect(unchanged(a, before)).toBe(true);
      }),
      params(300),
    );
  });

  it('gives a consistent singular pair: unit vectors, A v = sigma u, A^T u ~ sigma v, sign convention', () => {
    fc.assert(
      fc.property(gappedMatrix, ({ a }) => {
        const [n, m] = a.shape;
        const p = topSingularPair(a, { tol: 1e-14 });
        expect(Math.abs(norm2(p.u) - 1)).toBeLessThan(1e-14);
        expect(Math.abs(norm2(p.v) - 1)).toBeLessThan(1e-14);
        const av = mul(a.data, p.v.data, n, m, 1);
        const atu = mul(transposeFlat(a.data, n, m), p.u.data, m, n, 1);
        for (let i = 0; i < n; i++)
          expect(Math.abs(av[i] - p.sigma * p.u.data[i])).toBeLessThan(1e-13 * p.sigma);
        // The vector converges like sqrt of the value's relative change: sqrt(1e-14) = 1e-7.
        for (let j = 0; j < m; j++)
          expect(Math.abs(atu[j] - p.sigma * p.v.data[j])).toBeLessThan(1e-6 * p.sigma);
        const vs = Array.from(p.v.data);
        const big = vs.reduce((b, x, j) => (Math.abs(x) > Math.abs(vs[b]) ? j : b), 0);
        expect(vs[big]).toBeGreaterThan(0);
      }),
      params(200),
    );
  });

  it('never returns NaN, and its estimate never exceeds the SVD value, on arbitrary matrices', () => {
    fc.assert(
      fc.property(matrix(6), (a) => {
        const p = topSingularPair(a);
        expect([p.sigma, ...p.u.data, ...p.v.data].every(Number.isFinite)).toBe(true);
        expect(p.sigma).toBeLessThanOrEqual(svd(a).s.data[0] * (1 + 1e-13) + 1e-300);
        expect(p.sigma).toBeGreaterThanOrEqual(0);
      }),
      params(300),
    );
  });
});

describe('svd', () => {
  it('reconstructs A, with orthonormal U and V and descending non-negative s', () => {
    fc.assert(
      fc.property(matrix(7), (a) => {
        const before = Float64Array.from(a.data);
        const [n, m] = a.shape;
        const { u, s, v, converged } = svd(a);
        const r = Math.min(n, m);
        expect(converged).toBe(true);
        expect(u.shape).toEqual([n, r]);
        expect(v.shape).toEqual([m, r]);
        for (let j = 0; j < r; j++) {
          expect(s.data[j]).toBeGreaterThanOrEqual(0);
          if (j > 0) expect(s.data[j]).toBeLessThanOrEqual(s.data[j - 1]);
        }
        const us = Float64Array.from(u.data, (x, idx) => x * s.data[idx % r]);
        const back = mul(us, transposeFlat(v.data, m, r), n, r, m);
        const err = naiveNorm2(back.map((x, i) => x - a.data[i]));
        expect(err).toBeLessThanOrEqual(1e-13 * norm2(a));
        expect(orthonormalityDefect(u)).toBeLessThan(1e-13);
        expect(orthonormalityDefect(v)).toBeLessThan(1e-13);
        expect(unchanged(a, before)).toBe(true);
      }),
      params(300),
    );
  });

  it('recovers prescribed singular values', () => {
    fc.assert(
      fc.property(gappedMatrix, ({ a, s }) => {
        const got = svd(a).s.data;
        s.forEach((x, j) => expect(Math.abs(got[j] - x)).toBeLessThanOrEqual(1e-13 * s[0]));
      }),
      params(200),
    );
  });
});

describe('symmetric eigen-decomposition', () => {
  it('reconstructs A = V diag(w) V^T with V orthogonal and w descending; trace is preserved', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }).chain((n) => flat(n, n).map((b) => ({ n, b }))),
        ({ n, b }) => {
          const sym = new Float64Array(n * n);
          for (let i = 0; i < n; i++)
            for (let j = 0; j < n; j++) sym[i * n + j] = (b[i * n + j] + b[j * n + i]) / 2;
          const a = fromArray(sym, [n, n]);
          const before = Float64Array.from(a.data);
          const { values, vectors, converged } = eigSym(a);
          expect(converged).toBe(true);
          for (let j = 1; j < n; j++) expect(values.data[j]).toBeLessThanOrEqual(values.data[j - 1]);
          const vw = Float64Array.from(vectors.data, (x, idx) => x * values.data[idx % n]);
          const back = mul(vw, transposeFlat(vectors.data, n, n), n, n, n);
          expect(naiveNorm2(back.map((x, i) => x - sym[i]))).toBeLessThanOrEqual(1e-13 * norm2(a));
          expect(orthonormalityDefect(vectors)).toBeLessThan(1e-13);
          let trace = 0;
          for (let i = 0; i < n; i++) trace += sym[i * n + i];
          const sumW = Array.from(values.data).reduce((x, y) => x + y, 0);
          expect(Math.abs(trace - sumW)).toBeLessThanOrEqual(1e-13 * (norm2(a) + 1e-300) * n);
          expect(unchanged(a, before)).toBe(true);
        },
      ),
      params(300),
    );
  });

  it('eigenvalues of B^T B are the squared singular values of B', () => {
    fc.assert(
      fc.property(matrix(6), (b) => {
        const [n, m] = b.shape;
        const g = fromArray(mul(transposeFlat(b.data, n, m), b.data, m, n, m), [m, m]);
        const w = eigSym(g).values.data;
        const s = svd(b).s.data;
        const scale = s[0] * s[0];
        for (let j = 0; j < m; j++) {
          const expected = j < s.length ? s[j] * s[j] : 0;
          expect(Math.abs(w[j] - expected)).toBeLessThanOrEqual(1e-13 * scale + 1e-300);
        }
      }),
      params(200),
    );
  });
});

describe('cholesky', () => {
  it('factors and solves SPD systems with a small backward residual, vector and batch', () => {
    fc.assert(
      fc.property(
        spdMatrix.chain((a) => fc.tuple(fc.constant(a), flat(3, a.shape[0]))),
        ([a, rhs]) => {
          const n = a.shape[0];
          const before = Float64Array.from(a.data);
          const l = cholesky(a);
          const lBefore = Float64Array.from(l.data);
          // L L^T = A
          const llt = mul(l.data, transposeFlat(l.data, n, n), n, n, n);
          expect(naiveNorm2(llt.map((x, i) => x - a.data[i]))).toBeLessThanOrEqual(1e-14 * norm2(a));
          const b = fromArray(rhs, [3, n]);
          const bBefore = Float64Array.from(b.data);
          const x = choleskySolve(l, b);
          // Residual ||A x_i - b_i|| <= c n eps ||A|| ||x_i|| (backward stability); c n eps < 1e-13.
          for (let r = 0; r < 3; r++) {
            const xi = x.data.subarray(r * n, (r + 1) * n);
            const axi = mul(a.data, xi, n, n, 1);
            const res = naiveNorm2(axi.map((v, i) => v - b.data[r * n + i]));
            expect(res).toBeLessThanOrEqual(1e-13 * norm2(a) * naiveNorm2(xi) + 1e-300);
          }
          // A single vector gives the same as the first row of the batch.
          const x0 = choleskySolve(l, fromArray(rhs.slice(0, n), [n]));
          expect(Array.from(x0.data)).toEqual(Array.from(x.data.subarray(0, n)));
          expect(unchanged(a, before) && unchanged(l, lBefore) && unchanged(b, bBefore)).toBe(true);
        },
      ),
      params(300),
    );
  });

  it('the incremental update equals the full factorisation, with a tensor or in a capacity buffer', () => {
    fc.assert(
      fc.property(spdMatrix, (a) => {
        const n = a.shape[0];
        const full = cholesky(a);
        let l = fromArray([], [0, 0]);
        const cap = n + 2;
        const buf = new Float64Array(cap * cap).fill(NaN); // never read above the diagonal or beyond k
        for (let k = 0; k < n; k++) {
          const g = Float64Array.from({ length: k }, (_, i) => at(a, k, i));
          const before = Float64Array.from(l.data);
          const next = choleskyAppend(l, fromArray(g, [k]), at(a, k, k));
          expect(unchanged(l, before)).toBe(true);
          l = next;
          expect(choleskyAppendInPlace(buf, k, cap, g, at(a, k, k))).toBeGreaterThan(0);
        }
        const scale = Math.sqrt(normInf(a));
        for (let i = 0; i < n; i++) {
          for (let j = 0; j <= i; j++) {
            expect(Math.abs(at(l, i, j) - at(full, i, j))).toBeLessThanOrEqual(1e-12 * scale);
            expect(buf[i * cap + j]).toBe(at(l, i, j));
          }
          for (let j = i + 1; j < n; j++) expect(at(l, i, j)).toBe(0);
        }
      }),
      params(300),
    );
  });
});

describe('bad arguments throw TypeError or RangeError with the template message', () => {
  const template = /^(\w+): argument '(\w+)' must be .+\. Got .+\.$/s;
  type Case = [string, () => unknown];
  const t = (d: number[], shape: number[]) => fromArray(d, shape);
  const sq = t([2, 1, 1, 2], [2, 2]);
  const cases: Case[] = [
    ['norm2', () => norm2({} as Tensor)],
    ['norm1', () => norm1(t([1, NaN], [2]))],
    ['normInf', () => normInf(t([Infinity], [1]))],
    ['frobenius', () => frobenius(null as never)],
    ['dot', () => dot(t([1, 2], [2]), t([1, 2], [1, 2]))],
    ['rowNorms2', () => rowNorms2(t([1], [1]))],
    ['rowNorms1', () => rowNorms1(t([1], [1, 1, 1]))],
    ['rowNormsInf', () => rowNormsInf(t([NaN], [1, 1]))],
    ['spectralNorm', () => spectralNorm(t([1], [1]))],
    ['spectralNorm', () => spectralNorm(sq, { tol: -1e-10 })],
    ['spectralNorm', () => spectralNorm(sq, { tol: NaN })],
    ['topSingularPair', () => topSingularPair(sq, { maxIter: -3 })],
    ['topSingularPair', () => topSingularPair(sq, { start: t([1, NaN], [2]) })],
    ['topSingularPair', () => topSingularPair(t([NaN, 1], [1, 2]))],
    ['cholesky', () => cholesky(t([1, 2, 3, 4, 5, 6], [2, 3]))],
    ['cholesky', () => cholesky(t([1, 2], [2]))],
    ['cholesky', () => cholesky(t([1, NaN, NaN, 1], [2, 2]))],
    ['cholesky', () => cholesky(t([-1, 0, 0, 1], [2, 2]))],
    ['choleskySolve', () => choleskySolve(sq, t([1, 1], [2]))],
    ['choleskySolve', () => choleskySolve(t([1, 0, 0, 1], [2, 2]), t([1, 1, 1], [3]))],
    ['choleskySolve', () => choleskySolve(t([1, 0, 0, 1], [2, 2]), 'b' as never)],
    ['choleskyAppend', () => choleskyAppend(t([1], [1, 1]), t([1], [1]), -1)],
    ['choleskyAppend', () => choleskyAppend(t([1], [1, 1]), t([1, 2], [2]), 4)],
    ['choleskyAppend', () => choleskyAppend(t([1], [1, 1]), t([1], [1]), '4' as never)],
    ['eigSym', () => eigSym(t([1, 2, 3], [1, 3]))],
    ['eigSym', () => eigSym(t([1, 2, 3, 4], [2, 2]))],
    ['eigSym', () => eigSym(sq, { tol: -1 })],
    ['eigSym', () => eigSym(sq, { maxSweeps: 0 })],
    ['svd', () => svd(t([1, 2], [2]))],
    ['svd', () => svd(t([1, NaN], [1, 2]))],
    ['svd', () => svd(sq, { tol: -0.5 })],
    ['svd', () => svd(sq, 'fast' as never)],
  ];

  it.each(cases.map(([fn, call], i) => [`${fn} #${i}`, fn, call] as const))('%s', (_, fn, call) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error instanceof TypeError || error instanceof RangeError, String(error)).toBe(true);
    const match = template.exec((error as Error).message);
    expect(match, (error as Error).message).not.toBeNull();
    expect(match![1]).toBe(fn);
  });

  it('a NaN anywhere in a matrix argument is rejected', () => {
    fc.assert(
      fc.property(matrix(5), fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity), (a, k, bad) => {
        const d = Float64Array.from(a.data);
        d[k % d.length] = bad;
        const withBad = fromArray(d, a.shape);
        for (const f of [svd, topSingularPair, spectralNorm, norm2, rowNorms2] as ((
          x: Tensor,
        ) => unknown)[]) {
          expect(() => f(withBad)).toThrow(RangeError);
        }
        if (a.shape[0] === a.shape[1]) {
          expect(() => eigSym(withBad)).toThrow(/^eigSym: argument 'a' must be a tensor of finite values\./);
          expect(() => cholesky(withBad)).toThrow(
            /^cholesky: argument 'a' must be a tensor of finite values\./,
          );
        }
      }),
      params(100),
    );
  });
});
