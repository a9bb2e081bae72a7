/**
 * Properties of orthogonal matching pursuit (src/solvers/omp.ts).
 *
 * Exact recovery (Tropp 2004): when the mutual coherence mu of the dictionary's normalised atoms is
 * < 1/(2k - 1), OMP recovers every k-sparse code from y = A z in exactly k steps. Random Gaussian
 * dictionaries are far too coherent for that (mu about 0.4 at n = 64), so the recovery property uses
 * the union of the identity and an orthonormal basis that is maximally incoherent with it: the
 * normalised Hadamard basis (mu = 1/sqrt(64) = 0.125, so k <= 4) or the DCT-II basis
 * (mu = sqrt(2/64) cos(pi/128) = 0.177, so k <= 3); atoms are permuted and rescaled by random factors
 * (selection normalises by the atom norms, so the guarantee is unchanged). mu is computed here and
 * the precondition asserted.
 *
 * The other properties use seeded Gaussian dictionaries and signals: the residual is orthogonal to
 * the selected atoms, the code is the least-squares fit on its support (checked against a
 * Gram-Schmidt solve written here), supports are nested and residuals non-increasing in the
 * sparsity, the error-constrained variant stops at the first sparsity that meets the tolerance,
 * rescaling atoms rescales the codes only, and inputs are never written.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fcParams as params, snapshot, unchanged } from './support/arbitraries.js';
import { fromArray, zeros, type Tensor } from '../src/tensor/index.js';
import { gaussianMatrix, normal, Rng } from '../src/random/index.js';
import { omp } from '../src/solvers/omp.js';

// ---------------------------------------------------------------------------------------------
// Dictionaries and small independent helpers (plain loops, no library code under test).

/** The orthonormal Sylvester Hadamard basis of order n (a power of 2), n x n flat. */
function hadamardBasis(n: number): Float64Array {
  const h = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let bits = i & j;
      let parity = 0;
      for (; bits; bits >>= 1) parity ^= bits & 1;
      h[i * n + j] = (parity ? -1 : 1) / Math.sqrt(n);
    }
  }
  return h;
}

/** The orthonormal DCT-II basis of order n, atoms as columns, n x n flat. */
function dctBasis(n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const s = j === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let i = 0; i < n; i++) c[i * n + j] = s * Math.cos((Math.PI * (2 * i + 1) * j) / (2 * n));
  }
  return c;
}

/**
 * [I, B] (n x 2n) with its columns permuted and scaled (column j of the result is
 * scale[j] * column perm[j] of [I, B]).
 */
function unionDictionary(
  basis: Float64Array,
  n: number,
  perm: readonly number[],
  scales: readonly number[],
): Tensor {
  const m = 2 * n;
  const a = new Float64Array(n * m);
  for (let j = 0; j < m; j++) {
    const src = perm[j];
    for (let i = 0; i < n; i++) {
      const v = src < n ? (i === src ? 1 : 0) : basis[i * n + (src - n)];
      a[i * m + j] = scales[j] * v;
    }
  }
  return fromArray(a, [n, m]);
}

/** Mutual coherence max_(i != j) |a_i^T a_j| / (||a_i|| ||a_j||). */
function coherence(A: Tensor): number {
  const [n, m] = A.shape;
  const a = A.data;
  const norms = Array.from({ length: m }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += a[i * m + j] ** 2;
    return Math.sqrt(s);
  });
  let mu = 0;
  for (let p = 0; p < m; p++) {
    for (let q = p + 1; q < m; q++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i * m + p] * a[i * m + q];
      mu = Math.max(mu, Math.abs(s) / (norms[p] * norms[q]));
    }
  }
  return mu;
}

/** Y (N, n) = Z A^T for flat Z (N, m). */
function synthesize(A: Tensor, z: ArrayLike<number>, N: number): Tensor {
  const [n, m] = A.shape;
  const a = A.data;
  const y = new Float64Array(N * n);
  for (let s = 0; s < N; s++)
    for (let j = 0; j < m; j++) {
      const zj = z[s * m + j];
      if (zj !== 0) for (let i = 0; i < n; i++) y[s * n + i] += zj * a[i * m + j];
    }
  return fromArray(y, [N, n]);
}

/** Residual r = y_s - A z_s of sample s. */
function residualOf(A: Tensor, Y: Tensor, Z: Tensor, s: number): Float64Array {
  const [n, m] = A.shape;
  const r = Float64Array.from(Y.data.subarray(s * n, (s + 1) * n));
  for (let j = 0; j < m; j++) {
    const zj = Z.data[s * m + j];
    if (zj !== 0) for (let i = 0; i < n; i++) r[i] -= zj * A.data[i * m + j];
  }
  return r;
}

/** Indices of the non-zeros of row s of Z, increasing. */
function supportOf(Z: Tensor, s: number): number[] {
  const m = Z.shape[1];
  const out: number[] = [];
  for (let j = 0; j < m; j++) if (Z.data[s * m + j] !== 0) out.push(j);
  return out;
}

const norm2 = (x: ArrayLike<number>): number => Math.sqrt(Array.from(x).reduce((t, v) => t + v * v, 0));

/**
 * Least squares min ||y - A_S x|| by modified Gram-Schmidt, twice (QR of A_S), then R x = Q^T y;
 * independent of the Cholesky route of omp.
 */
function leastSquares(A: Tensor, y: ArrayLike<number>, S: readonly number[]): Float64Array {
  const [n, m] = A.shape;
  const k = S.length;
  const q = S.map((j) => Float64Array.from({ length: n }, (_, i) => A.data[i * m + j]));
  const R = Array.from({ length: k }, () => new Float64Array(k));
  for (let j = 0; j < k; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[p][i] * q[j][i];
        for (let i = 0; i < n; i++) q[j][i] -= d * q[p][i];
        R[p][j] += d;
      }
    }
    R[j][j] = norm2(q[j]);
    for (let i = 0; i < n; i++) q[j][i] /= R[j][j];
  }
  const x = new Float64Array(k);
  for (let p = 0; p < k; p++) for (let i = 0; i < n; i++) x[p] += q[p][i] * y[i];
  for (let p = k - 1; p >= 0; p--) {
    for (let t = p + 1; t < k; t++) x[p] -= R[p][t] * x[t];
    x[p] /= R[p][p];
  }
  return x;
}

// ---------------------------------------------------------------------------------------------
// Exact support recovery under mu < 1/(2k - 1).

const n = 64;
const m = 2 * n;
const bases = { hadamard: hadamardBasis(n), dct: dctBasis(n) };
/** The largest k with (2k - 1) mu < 1. */
function largestRecoverableK(mu: number): number {
  let k = 1;
  while ((2 * (k + 1) - 1) * mu < 1) k++;
  return k;
}

const identityPerm = Array.from({ length: m }, (_, j) => j);
const unitScales = new Array<number>(m).fill(1);
/** The recoverable sparsity of each union, from its coherence computed here. */
const kMax = {
  hadamard: largestRecoverableK(coherence(unionDictionary(bases.hadamard, n, identityPerm, unitScales))),
  dct: largestRecoverableK(coherence(unionDictionary(bases.dct, n, identityPerm, unitScales))),
};

const recoveryCase = fc
  .record({
    kind: fc.constantFrom('hadamard' as const, 'dct' as const),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    kFraction: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
    N: fc.integer({ min: 1, max: 6 }),
  })
  .chain(({ kind, seed, kFraction, N }) => {
    const k = 1 + Math.floor(kFraction * kMax[kind]);
    const value = fc
      .tuple(fc.double({ min: 0.2, max: 5, noNaN: true }), fc.boolean())
      .map(([v, negative]) => (negative ? -v : v));
    const code = fc.record({
      support: fc.uniqueArray(fc.integer({ min: 0, max: m - 1 }), { minLength: k, maxLength: k }),
      values: fc.array(value, { minLength: k, maxLength: k }),
    });
    return fc.record({
      kind: fc.constant(kind),
      seed: fc.constant(seed),
      k: fc.constant(k),
      codes: fc.array(code, { minLength: N, maxLength: N }),
    });
  });

describe('omp: exact recovery when mu < 1/(2k - 1) (Tropp 2004)', () => {
  it('the bases give the coherence the theory says', () => {
    expect(kMax).toEqual({ hadamard: 4, dct: 3 });
  });

  it('recovers the exact support and coefficients of k-sparse codes, by sparsity and by tolerance', () => {
    fc.assert(
      fc.property(recoveryCase, ({ kind, seed, k, codes }) => {
        const rng = new Rng(seed);
        const perm = [...Array(m).keys()];
        for (let i = m - 1; i > 0; i--) {
          const j = rng.int(0, i); // inclusive
          [perm[i], perm[j]] = [perm[j], perm[i]];
        }
        const scales = Array.from({ length: m }, () => 0.5 + 1.5 * rng.uniform());
        const A = unionDictionary(bases[kind], n, perm, scales);
        const mu = coherence(A);
        expect((2 * k - 1) * mu).toBeLessThan(1);

        const N = codes.length;
        const z = new Float64Array(N * m);
        codes.forEach(({ support, values }, s) => support.forEach((j, p) => (z[s * m + j] = values[p])));
        const Y = synthesize(A, z, N);
        const before = [snapshot(A), snapshot(Y)];

        const bySparsity = omp(A, Y, { sparsity: k });
        // Extra atoms allowed: the pursuit still stops after k, on a vanishing correlation.
        const generous = omp(A, Y, { sparsity: k + 3 });
        const byTol = omp(A, Y, { tol: 1e-10 });
        for (const res of [bySparsity, generous, byTol]) {
          expect(res.iterations).toBe(k);
          expect(Array.from(res.perSampleAtoms.data)).toEqual(new Array<number>(N).fill(k));
          for (let s = 0; s < N; s++) {
            expect(supportOf(res.Z, s)).toEqual([...codes[s].support].sort((a, b) => a - b));
            for (let j = 0; j < m; j++)
              expect(Math.abs(res.Z.data[s * m + j] - z[s * m + j])).toBeLessThan(1e-10);
            expect(res.residualNorms.data[s]).toBeLessThan(
              1e-12 * (1 + norm2(Y.data.subarray(s * n, (s + 1) * n))),
            );
          }
        }
        expect(unchanged(A, before[0]) && unchanged(Y, before[1])).toBe(true);
      }),
      params(40),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// General dictionaries: least-squares structure, monotonicity, the tolerance stop.

const gaussianCase = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  n: fc.integer({ min: 2, max: 16 }),
  ratio: fc.double({ min: 1, max: 3, noNaN: true }),
  N: fc.integer({ min: 1, max: 8 }),
  sparsityFraction: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
});

function gaussianProblem({ seed, n, ratio, N }: { seed: number; n: number; ratio: number; N: number }): {
  A: Tensor;
  Y: Tensor;
  m: number;
} {
  const m = Math.max(n, Math.round(ratio * n));
  return { A: gaussianMatrix(seed, n, m), Y: normal(seed + 1, [N, n]), m };
}

describe('omp on Gaussian dictionaries', () => {
  it('the code is the least-squares fit on its support: A_S^T r = 0, and it equals an independent QR solve', () => {
    fc.assert(
      fc.property(gaussianCase, (c) => {
        const { A, Y, m } = gaussianProblem(c);
        const { n, N } = c;
        // Up to n/2 atoms: the supports stay well conditioned, so the normal equations are accurate.
        const sparsity = 1 + Math.floor(c.sparsityFraction * Math.max(1, Math.floor(n / 2)));
        const before = [snapshot(A), snapshot(Y)];
        const res = omp(A, Y, { sparsity });
        for (let s = 0; s < N; s++) {
          const S = supportOf(res.Z, s);
          expect(S.length).toBe(res.perSampleAtoms.data[s]);
          expect(S.length).toBe(sparsity); // generic data: no early stop
          const y = Y.data.subarray(s * n, (s + 1) * n);
          const r = residualOf(A, Y, res.Z, s);
          expect(Math.abs(res.residualNorms.data[s] - norm2(r))).toBeLessThan(1e-14 * (1 + norm2(y)));
          for (const j of S) {
            let d = 0;
            for (let i = 0; i < n; i++) d += A.data[i * m + j] * r[i];
            expect(Math.abs(d)).toBeLessThan(1e-12 * norm2(y));
          }
          const x = leastSquares(A, y, S);
          const xmax = Math.max(...Array.from(x, Math.abs));
          S.forEach((j, p) => expect(Math.abs(res.Z.data[s * m + j] - x[p])).toBeLessThan(1e-10 * xmax));
        }
        // Each row is coded on its own: the batch equals the rows one at a time.
        for (let s = 0; s < N; s++) {
          const single = omp(A, fromArray(Y.data.subarray(s * n, (s + 1) * n), [1, n]), { sparsity });
          expect(Array.from(single.Z.data)).toEqual(Array.from(res.Z.data.subarray(s * m, (s + 1) * m)));
        }
        expect(unchanged(A, before[0]) && unchanged(Y, before[1])).toBe(true);
      }),
      params(60),
    );
  });

  it('each step adds the atom most correlated with the residual: nested supports, non-increasing residuals', () => {
    fc.assert(
      fc.property(gaussianCase, (c) => {
        const { A, Y, m } = gaussianProblem(c);
        const { n, N } = c;
        const norms = Array.from({ length: m }, (_, j) =>
          norm2(Array.from({ length: n }, (_, i) => A.data[i * m + j])),
        );
        const yNorms = Array.from({ length: N }, (_, s) => norm2(Y.data.subarray(s * n, (s + 1) * n)));
        let previous = { Z: zeros([N, m]), residualNorms: fromArray(yNorms, [N]) };
        for (let k = 1; k <= n; k++) {
          const next = omp(A, Y, { sparsity: k });
          for (let s = 0; s < N; s++) {
            const old = supportOf(previous.Z, s);
            const grown = supportOf(next.Z, s);
            for (const j of old) expect(grown).toContain(j);
            // The one new atom maximises |a_j^T r| / ||a_j|| for the previous (exact) residual r.
            const added = grown.filter((j) => !old.includes(j));
            expect(added.length).toBe(1);
            const r = residualOf(A, Y, previous.Z, s);
            const score = (j: number): number => {
              let d = 0;
              for (let i = 0; i < n; i++) d += A.data[i * m + j] * r[i];
              return Math.abs(d) / norms[j];
            };
            let best = 0;
            for (let j = 0; j < m; j++) best = Math.max(best, score(j));
            expect(score(added[0])).toBeGreaterThanOrEqual(best - 1e-12 * yNorms[s]);
            expect(next.residualNorms.data[s]).toBeLessThanOrEqual(
              previous.residualNorms.data[s] + 1e-12 * yNorms[s],
            );
          }
          previous = next;
        }
      }),
      params(30),
    );
  });

  it('with a tolerance, each sample stops at the first sparsity whose residual energy is <= tol', () => {
    fc.assert(
      fc.property(gaussianCase, fc.double({ min: 0.01, max: 0.99, noNaN: true }), (c, fraction) => {
        const { A, Y } = gaussianProblem(c);
        const { n, N } = c;
        for (let s = 0; s < N; s++) {
          const y = fromArray(Y.data.subarray(s * n, (s + 1) * n), [1, n]);
          const tol = fraction * norm2(y.data) ** 2;
          const res = omp(A, y, { tol });
          const k = res.perSampleAtoms.data[0];
          expect(k).toBeGreaterThanOrEqual(1);
          expect(res.residualNorms.data[0] ** 2).toBeLessThanOrEqual(tol);
          // The same code as asking for exactly k atoms, and k - 1 atoms were not enough.
          expect(Array.from(res.Z.data)).toEqual(Array.from(omp(A, y, { sparsity: k }).Z.data));
          if (k > 1) expect(omp(A, y, { sparsity: k - 1 }).residualNorms.data[0] ** 2).toBeGreaterThan(tol);
          // A tolerance and a sparsity together: whichever comes first.
          expect(omp(A, y, { tol, sparsity: k }).perSampleAtoms.data[0]).toBe(k);
          if (k > 1) expect(omp(A, y, { tol, sparsity: k - 1 }).perSampleAtoms.data[0]).toBe(k - 1);
        }
      }),
      params(40),
    );
  });

  it('rescaling the atoms (A D) keeps the supports and rescales the codes (D^-1 z)', () => {
    fc.assert(
      fc.property(gaussianCase, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (c, scaleSeed) => {
        const { A, Y, m } = gaussianProblem(c);
        const { n, N } = c;
        const sparsity = 1 + Math.floor(c.sparsityFraction * Math.max(1, Math.floor(n / 2)));
        const rng = new Rng(scaleSeed);
        const d = Array.from({ length: m }, () => Math.exp(3 * (2 * rng.uniform() - 1))); // e^-3 .. e^3
        const AD = fromArray(
          A.data.map((v, idx) => v * d[idx % m]),
          [n, m],
        );
        const plain = omp(A, Y, { sparsity });
        const scaled = omp(AD, Y, { sparsity });
        for (let s = 0; s < N; s++) {
          expect(supportOf(scaled.Z, s)).toEqual(supportOf(plain.Z, s));
          for (const j of supportOf(plain.Z, s)) {
            const zj = plain.Z.data[s * m + j];
            expect(Math.abs(scaled.Z.data[s * m + j] * d[j] - zj)).toBeLessThan(1e-10 * (1 + Math.abs(zj)));
          }
        }
      }),
      params(40),
    );
  });
});
