/**
 * Properties of the matrix products of src/linalg (gemm.ts, sparse-rows.ts, gemv.ts).
 *
 * Every product is compared with a plain triple loop written here. Shapes are drawn from a mix
 * of families so that each code path of the blocked kernel comes up: tiny shapes (1 x 1, odd
 * sizes, sizes that are not multiples of the 4 x 3 tile), an inner dimension longer than one
 * K-block (256), more rows than one M-block (128) and more columns than one N-block (512).
 * Matrix entries come from a seeded generator inside the property (fast-check draws the shape,
 * the seed and the kind of entries), so that large matrices stay cheap to generate and shrink;
 * with small-integer entries every partial sum is exact and the products must match bit for bit.
 *
 * The suite's fixed seed (FC_SEED to explore); fast-check prints the seed and path of any failure.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fcParams as params } from './support/arbitraries.js';
import { fromArray, fromFunction } from '../src/tensor/create.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { gemmInto, gram, matmul, matmulNT, matmulTN } from '../src/linalg/gemm.js';
import { matvec, matvecT } from '../src/linalg/gemv.js';
import {
  sparseRowsTimes,
  sparseRowsTimesT,
  supportOf,
  supportTimesInto,
  supportTimesTInto,
} from '../src/linalg/sparse-rows.js';

// ---------------------------------------------------------------------------------------------
// Entries, shapes and independent reference loops.

/** How the entries of a random matrix are drawn. */
type Kind = 'uniform' | 'integers' | 'magnitudes';
const kindArb = fc.constantFrom<Kind>('uniform', 'integers', 'magnitudes');

/** n entries from a small LCG: uniform in [-1, 1), integers in [-3, 3], or 1e-3..1e3 in size. */
function entries(n: number, seed: number, kind: Kind): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = 0; i < n; i++) {
    const u = next();
    if (kind === 'uniform') out[i] = 2 * u - 1;
    else if (kind === 'integers') out[i] = Math.floor(7 * u) - 3;
    else out[i] = (u < 0.5 ? -1 : 1) * 10 ** (6 * next() - 3);
  }
  return out;
}

/** Product sizes [M, K, N] from families that reach every edge and block of the kernel. */
const productShape: fc.Arbitrary<[number, number, number]> = fc.oneof(
  // Tiny and odd: 1 x 1, single rows and columns, partial tiles.
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 })),
  // Moderate, not multiples of the tile.
  fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 40 })),
  // Inner dimension across the K-blocking (KC = 256).
  fc.tuple(
    fc.integer({ min: 1, max: 20 }),
    fc.integer({ min: 250, max: 300 }),
    fc.integer({ min: 1, max: 20 }),
  ),
  // More rows than one M-block (MC = 128).
  fc.tuple(
    fc.integer({ min: 125, max: 140 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 10 }),
  ),
  // More columns than one N-block (NC = 512).
  fc.tuple(
    fc.integer({ min: 1, max: 5 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 505, max: 530 }),
  ),
);

/** Entry (i, j) of op(X) for X stored row-major with `cols` columns, transposed or not. */
function at(x: Float64Array, cols: number, trans: boolean, i: number, j: number): number {
  return trans ? x[j * cols + i] : x[i * cols + j];
}

/**
 * The reference: op(A) op(B) by the textbook triple loop, and sum_p |op(A)_ip| |op(B)_pj| per
 * entry, the natural scale of its rounding error.
 */
function reference(
  a: Float64Array,
  b: Float64Array,
  M: number,
  K: number,
  N: number,
  transA: boolean,
  transB: boolean,
): { value: Float64Array; scale: Float64Array } {
  const value = new Float64Array(M * N);
  const scale = new Float64Array(M * N);
  const aCols = transA ? M : K;
  const bCols = transB ? K : N;
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < K; p++) {
        const x = at(a, aCols, transA, i, p) * at(b, bCols, transB, p, j);
        s += x;
        t += Math.abs(x);
      }
      value[i * N + j] = s;
      scale[i * N + j] = t;
    }
  }
  return { value, scale };
}

/** Index of the first entry where |got - want| > 1e-12 * scale (exact when `exact`), or -1. */
function firstMismatch(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  scale: ArrayLike<number>,
  exact = false,
) {
  if (got.length !== want.length) return 0;
  for (let i = 0; i < want.length; i++) {
    const tol = exact ? 0 : 1e-12 * scale[i];
    if (!(Math.abs(got[i] - want[i]) <= tol)) return i;
  }
  return -1;
}

function transposeOf(t: Tensor): Tensor {
  const [r, c] = t.shape;
  return fromFunction([c, r], (i, j) => t.get(j, i));
}

function snapshot(t: Tensor): Float64Array {
  return Float64Array.from(t.data);
}

function unchanged(t: Tensor, before: Float64Array): boolean {
  return t.data.length === before.length && t.data.every((v, i) => Object.is(v, before[i]));
}

// ---------------------------------------------------------------------------------------------

describe('dense products equal the triple loop', () => {
  const orientations = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const;

  it('gemmInto, every orientation, on shapes across the blocks and edges', () => {
    fc.assert(
      fc.property(
        productShape,
        fc.constantFrom(...orientations),
        fc.integer(),
        kindArb,
        ([M, K, N], [transA, transB], seed, kind) => {
          const a = entries(M * K, seed, kind);
          const b = entries(K * N, seed + 1, kind);
          const out = new Float64Array(M * N).fill(NaN);
          gemmInto(a, b, out, M, K, N, transA, transB);
          const ref = reference(a, b, M, K, N, transA, transB);
          return firstMismatch(out, ref.value, ref.scale, kind === 'integers') === -1;
        },
      ),
      params(300),
    );
  });

  it('matmul, matmulNT, matmulTN and gram on tensors', () => {
    fc.assert(
      fc.property(productShape, fc.integer(), kindArb, ([M, K, N], seed, kind) => {
        const exact = kind === 'integers';
        const a = entries(M * K, seed, kind);
        const b = entries(K * N, seed + 1, kind);
        const A = fromArray(a, [M, K]);
        const cases: [Tensor, ReturnType<typeof reference>][] = [
          [matmul(A, fromArray(b, [K, N])), reference(a, b, M, K, N, false, false)],
          [matmulNT(A, fromArray(b, [N, K])), reference(a, b, M, K, N, false, true)],
          [matmulTN(fromArray(a, [K, M]), fromArray(b, [K, N])), reference(a, b, M, K, N, true, false)],
          [gram(fromArray(a, [K, M])), reference(a, a, M, K, M, true, false)],
        ];
        return cases.every(([got, ref]) => firstMismatch(got.data, ref.value, ref.scale, exact) === -1);
      }),
      params(60),
    );
  });

  it('gram is exactly symmetric', () => {
    fc.assert(
      fc.property(productShape, fc.integer(), ([n, , m], seed) => {
        const G = gram(fromArray(entries(n * m, seed, 'uniform'), [n, m]));
        for (let i = 0; i < m; i++) for (let j = 0; j < i; j++) if (G.get(i, j) !== G.get(j, i)) return false;
        return true;
      }),
      params(40),
    );
  });

  it('(A B)^T = B^T A^T', () => {
    fc.assert(
      fc.property(productShape, fc.integer(), kindArb, ([M, K, N], seed, kind) => {
        const A = fromArray(entries(M * K, seed, kind), [M, K]);
        const B = fromArray(entries(K * N, seed + 1, kind), [K, N]);
        const left = transposeOf(matmul(A, B));
        const right = matmul(transposeOf(B), transposeOf(A));
        const ref = reference(A.data as Float64Array, B.data as Float64Array, M, K, N, false, false);
        // Compare through the scale of A B, transposed like the two sides.
        const scale = transposeOf(fromArray(ref.scale, [M, N])).data;
        return firstMismatch(left.data, right.data, scale, kind === 'integers') === -1;
      }),
      params(60),
    );
  });

  it('matvec and matvecT equal the double loop', () => {
    fc.assert(
      fc.property(productShape, fc.integer(), kindArb, ([n, m], seed, kind) => {
        const a = entries(n * m, seed, kind);
        const x = entries(m, seed + 1, kind);
        const y = entries(n, seed + 2, kind);
        const exact = kind === 'integers';
        const ax = reference(a, x, n, m, 1, false, false);
        const aty = reference(a, y, m, n, 1, true, false);
        return (
          firstMismatch(matvec(fromArray(a, [n, m]), fromArray(x, [m])).data, ax.value, ax.scale, exact) ===
            -1 &&
          firstMismatch(
            matvecT(fromArray(a, [n, m]), fromArray(y, [n])).data,
            aty.value,
            aty.scale,
            exact,
          ) === -1
        );
      }),
      params(60),
    );
  });
});

describe('support-aware products equal the dense ones', () => {
  /** A batch Z (N, m) at a given density, with some rows forced to zero, and W's width p. */
  interface SparseCase {
    N: number;
    m: number;
    p: number;
    density: number;
    zeroRows: number;
    seed: number;
    kind: Kind;
  }
  const sparseCase: fc.Arbitrary<SparseCase> = fc.record({
    N: fc.integer({ min: 1, max: 50 }),
    m: fc.integer({ min: 1, max: 80 }),
    p: fc.integer({ min: 1, max: 40 }),
    density: fc.constantFrom(0, 0.02, 0.05, 0.2, 0.6, 1),
    zeroRows: fc.integer({ min: 0, max: 3 }),
    seed: fc.integer(),
    kind: kindArb,
  });

  function build(c: SparseCase): { z: Float64Array; w: Float64Array; v: Float64Array } {
    const { N, m, p, density, zeroRows, seed, kind } = c;
    const mask = entries(N * m, seed + 7, 'uniform');
    const z = entries(N * m, seed, kind).map((v, i) => (Math.abs(mask[i]) < density ? v : 0));
    for (let r = 0; r < zeroRows; r++) z.fill(0, ((r * 7919) % N) * m, ((r * 7919) % N) * m + m);
    return { z, w: entries(m * p, seed + 1, kind), v: entries(p * m, seed + 2, kind) };
  }

  it('sparseRowsTimes = Z W and sparseRowsTimesT = Z W^T, through tensors and supports', () => {
    fc.assert(
      fc.property(sparseCase, (c) => {
        const { N, m, p, kind } = c;
        const { z, w, v } = build(c);
        const exact = kind === 'integers';
        const Z = fromArray(z, [N, m]);
        const zw = reference(z, w, N, m, p, false, false);
        const zvt = reference(z, v, N, m, p, false, true);
        const s = supportOf(Z);
        const viaSupport = new Float64Array(N * p).fill(NaN);
        const viaSupportT = new Float64Array(N * p).fill(NaN);
        supportTimesInto(s, w, p, viaSupport);
        supportTimesTInto(s, v, p, viaSupportT);
        return (
          firstMismatch(sparseRowsTimes(Z, fromArray(w, [m, p])).data, zw.value, zw.scale, exact) === -1 &&
          firstMismatch(sparseRowsTimesT(Z, fromArray(v, [p, m])).data, zvt.value, zvt.scale, exact) === -1 &&
          firstMismatch(viaSupport, zw.value, zw.scale, exact) === -1 &&
          firstMismatch(viaSupportT, zvt.value, zvt.scale, exact) === -1
        );
      }),
      params(300),
    );
  });

  it('the support lists exactly the non-zeros, in row and column order', () => {
    fc.assert(
      fc.property(sparseCase, (c) => {
        const { N, m } = c;
        const { z } = build(c);
        const s = supportOf(fromArray(z, [N, m]));
        const seen = new Float64Array(N * m);
        for (let i = 0; i < N; i++) {
          for (let t = s.offsets[i]; t < s.offsets[i + 1]; t++) {
            if (t > s.offsets[i] && s.indices[t] <= s.indices[t - 1]) return false;
            seen[i * m + s.indices[t]] = s.values[t];
          }
        }
        return s.offsets[0] === 0 && seen.every((x, k) => Object.is(x, z[k]) || (x === 0 && z[k] === 0));
      }),
      params(60),
    );
  });
});

describe('products never modify their inputs', () => {
  it('every public product leaves its arguments bit for bit as they were', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer(),
        (n, m, seed) => {
          // A sparse A so that the support-aware products see zeros and non-zeros.
          const A = fromArray(
            entries(n * m, seed, 'integers').map((x) => (x > 1 ? x : 0)),
            [n, m],
          );
          const B = fromArray(entries(m * n, seed + 1, 'uniform'), [m, n]);
          const x = fromArray(entries(m, seed + 2, 'uniform'), [m]);
          const y = fromArray(entries(n, seed + 3, 'uniform'), [n]);
          const inputs = [A, B, x, y];
          const before = inputs.map(snapshot);
          matmul(A, B);
          matmulNT(A, A);
          matmulTN(A, A);
          gram(A);
          sparseRowsTimes(A, B);
          sparseRowsTimesT(A, A);
          supportOf(A);
          matvec(A, x);
          matvecT(A, y);
          return inputs.every((t, i) => unchanged(t, before[i]));
        },
      ),
      params(40),
    );
  });
});

describe('bad arguments are rejected with the template message', () => {
  const template = (fn: string, name: string): RegExp =>
    new RegExp(`^${fn}: argument '${name}' must be .+\\. Got .+\\.$`);

  type Binary = (a: Tensor, b: Tensor) => Tensor;
  const binaries: [
    string,
    Binary,
    (M: number, K: number, N: number) => [number[], number[]],
    [string, string],
  ][] = [
    [
      'matmul',
      matmul,
      (M, K, N) => [
        [M, K],
        [K, N],
      ],
      ['a', 'b'],
    ],
    [
      'matmulNT',
      matmulNT,
      (M, K, N) => [
        [M, K],
        [N, K],
      ],
      ['a', 'b'],
    ],
    [
      'matmulTN',
      matmulTN,
      (M, K, N) => [
        [K, M],
        [K, N],
      ],
      ['a', 'b'],
    ],
    [
      'sparseRowsTimes',
      sparseRowsTimes,
      (M, K, N) => [
        [M, K],
        [K, N],
      ],
      ['z', 'w'],
    ],
    [
      'sparseRowsTimesT',
      sparseRowsTimesT,
      (M, K, N) => [
        [M, K],
        [N, K],
      ],
      ['z', 'w'],
    ],
  ];
  const dims = fc.integer({ min: 1, max: 5 });

  it('mismatched inner dimensions: RangeError naming the second argument', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...binaries),
        dims,
        dims,
        dims,
        fc.integer({ min: 1, max: 3 }),
        ([fn, f, shapes, [, second]], M, K, N, delta) => {
          const [sa, sb] = shapes(M, K, N);
          // Change the inner size of the second operand only.
          const inner = fn === 'matmulNT' || fn === 'sparseRowsTimesT' ? 1 : 0;
          sb[inner] = K + delta;
          const a = fromArray(new Float64Array(sa[0] * sa[1]), sa);
          const b = fromArray(new Float64Array(sb[0] * sb[1]), sb);
          expect(() => f(a, b)).toThrow(RangeError);
          expect(() => f(a, b)).toThrow(template(fn, second));
          expect(() => f(a, b)).toThrow(`Got a tensor of shape [${sb.join(', ')}].`);
        },
      ),
      params(60),
    );
  });

  it('wrong ranks: RangeError', () => {
    const wrongShape = fc.oneof(
      fc.tuple(dims).map((s) => [...s]),
      fc.tuple(dims, dims, dims).map((s) => [...s]),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...binaries),
        wrongShape,
        fc.boolean(),
        ([fn, f, shapes, names], bad, first) => {
          const [sa, sb] = shapes(2, 3, 4);
          const badTensor = fromArray(new Float64Array(bad.reduce((x, y) => x * y, 1)), bad);
          const a = first ? badTensor : fromArray(new Float64Array(6), sa);
          const b = first ? fromArray(new Float64Array(sb[0] * sb[1]), sb) : badTensor;
          expect(() => f(a, b)).toThrow(RangeError);
          expect(() => f(a, b)).toThrow(template(fn, first ? names[0] : names[1]));
          expect(() => f(a, b)).toThrow('must be a tensor of rank 2.');
          expect(() => gram(badTensor)).toThrow(RangeError);
        },
      ),
      params(40),
    );
  });

  it('non-finite entries: RangeError that names the value and where it is', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...binaries),
        fc.constantFrom(NaN, Infinity, -Infinity),
        fc.nat(),
        fc.boolean(),
        ([fn, f, shapes, names], value, where, first) => {
          const [sa, sb] = shapes(2, 3, 4);
          const data = [new Float64Array(sa[0] * sa[1]), new Float64Array(sb[0] * sb[1])];
          const which = first ? 0 : 1;
          const index = where % data[which].length;
          data[which][index] = value;
          const a = fromArray(data[0], sa);
          const b = fromArray(data[1], sb);
          expect(() => f(a, b)).toThrow(RangeError);
          expect(() => f(a, b)).toThrow(template(fn, names[which]));
          expect(() => f(a, b)).toThrow(
            `must be a tensor of finite values. Got ${value} at flat index ${index} of`,
          );
          if (first) expect(() => gram(a)).toThrow(RangeError);
        },
      ),
      params(60),
    );
  });

  it('values that are not tensors: TypeError', () => {
    const notTensor: fc.Arbitrary<unknown> = fc.oneof(
      fc.constant(undefined),
      fc.constant(null),
      fc.double(),
      fc.string(),
      fc.array(fc.array(fc.double(), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
      fc.constant(new Float64Array(4)),
      fc.constant({ shape: [2, 2], data: new Float64Array(4) }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...binaries),
        notTensor,
        fc.boolean(),
        ([fn, f, shapes, names], bad, first) => {
          const [sa, sb] = shapes(2, 3, 4);
          const good = [fromArray(new Float64Array(6), sa), fromArray(new Float64Array(sb[0] * sb[1]), sb)];
          const args = first ? [bad as Tensor, good[1]] : [good[0], bad as Tensor];
          expect(() => f(args[0], args[1])).toThrow(TypeError);
          expect(() => f(args[0], args[1])).toThrow(template(fn, first ? names[0] : names[1]));
          expect(() => gram(bad as Tensor)).toThrow(TypeError);
          expect(() => supportOf(bad as Tensor)).toThrow(TypeError);
        },
      ),
      params(60),
    );
  });
});
