/**
 * The support-aware products of the unrolled layers (src/unrolled/kernels.ts): each product on
 * its sparse path against the blocked GEMM, and every layer (LISTA, LISTA-CP, LISTA-CPSS, SLISTA,
 * ALISTA) with the kernels chosen by density ('auto') against the forced-dense kernels
 * ('dense'), forward and VJP, on sparse and dense inputs; the counters prove which path ran.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { gemmInto } from '../../src/linalg/gemm.js';
import { gaussianMatrix, normal, Rng } from '../../src/random/index.js';
import { Tensor, unsafeData, wrap } from '../../src/tensor/tensor.js';
import {
  alistaLayer,
  alistaWeight,
  listaCpInitFromIsta,
  listaCpLayer,
  listaInitFromIsta,
  listaLayer,
  slistaIstaParams,
  slistaLayer,
  type Layer,
} from '../../src/unrolled/index.js';
import {
  DENSITY_CUTOFF,
  gatherIfSparse,
  kernelCounts,
  kernelMode,
  setKernelMode,
  SupportBuffer,
  timesInto,
  timesTInto,
  transposeTimesInto,
} from '../../src/unrolled/kernels.js';

afterEach(() => {
  setKernelMode('auto');
});

/** N x m entries, each non-zero with probability `density`; some rows all zero. */
function sparseRows(rng: Rng, N: number, m: number, density: number): Float64Array {
  const x = new Float64Array(N * m);
  for (let i = 0; i < N; i++) {
    if (i % 5 === 3) continue; // an empty row
    for (let j = 0; j < m; j++) if (rng.uniform() < density) x[i * m + j] = rng.normal();
  }
  return x;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let scale = 1e-300;
  let d = 0;
  for (let k = 0; k < a.length; k++) {
    scale = Math.max(scale, Math.abs(b[k]));
    d = Math.max(d, Math.abs(a[k] - b[k]));
  }
  return d / scale;
}

describe('support-aware products', () => {
  const rng = new Rng(11);
  // Widths not multiples of 8 exercise the strips' remainders; N = 1 the unpacked gather.
  const cases: [number, number, number][] = [
    [7, 13, 11],
    [1, 20, 9],
    [30, 24, 17],
  ];

  it('X W^T, X W and X^T Y equal the GEMM up to rounding at every density, empty rows included', () => {
    const s = new SupportBuffer();
    for (const [N, m, p] of cases) {
      for (const density of [0, 0.05, 0.3, 0.45]) {
        const x = sparseRows(rng, N, m, density);
        const wT = sparseRows(rng, p, m, 1); // W (p x m)
        const w = sparseRows(rng, m, p, 1); // W (m x p)
        const y = sparseRows(rng, N, p, 1); // Y (N x p)
        const sup = gatherIfSparse(x, N, m, s);
        expect(sup).not.toBeNull();
        const check = (
          run: (sp: SupportBuffer | null, out: Float64Array) => void,
          rows: number,
          ref: (out: Float64Array) => void,
        ): void => {
          const got = new Float64Array(rows * p).fill(NaN);
          const want = new Float64Array(rows * p);
          run(sup, got);
          ref(want);
          expect(maxRelDiff(got, want)).toBeLessThan(1e-14);
        };
        check(
          (sp, out) => timesTInto(x, sp, N, m, wT, p, out),
          N,
          (out) => gemmInto(x, wT, out, N, m, p, false, true),
        );
        check(
          (sp, out) => timesInto(x, sp, N, m, w, p, out),
          N,
          (out) => gemmInto(x, w, out, N, m, p, false, false),
        );
        check(
          (sp, out) => transposeTimesInto(x, sp, N, m, y, p, out),
          m,
          (out) => gemmInto(x, y, out, m, N, p, true, false),
        );
      }
    }
  });

  it('gathers the support only below the density cut-off and in auto mode', () => {
    const s = new SupportBuffer();
    const N = 10;
    const m = 20;
    const sparse = sparseRows(rng, N, m, 0.1);
    const full = sparseRows(rng, N, m, 1);
    const got = gatherIfSparse(sparse, N, m, s);
    expect(got).toBe(s);
    let nnz = 0;
    for (const v of sparse) if (v !== 0) nnz++;
    expect(got?.nnz).toBe(nnz);
    expect(got?.rows).toBe(N);
    // Row by row, increasing columns, the right values.
    for (let i = 0; i < N; i++) {
      const cols: number[] = [];
      for (let j = 0; j < m; j++) if (sparse[i * m + j] !== 0) cols.push(j);
      const from = s.offsets[i];
      expect(Array.from(s.indices.subarray(from, s.offsets[i + 1]))).toEqual(cols);
      cols.forEach((j, t) => expect(s.values[from + t]).toBe(sparse[i * m + j]));
    }
    expect(gatherIfSparse(full, N, m, s)).toBeNull();
    expect(DENSITY_CUTOFF).toBeGreaterThan(0);
    expect(DENSITY_CUTOFF).toBeLessThan(1);
    expect(setKernelMode('dense')).toBe('auto');
    expect(kernelMode()).toBe('dense');
    expect(gatherIfSparse(sparse, N, m, s)).toBeNull();
    expect(setKernelMode('auto')).toBe('dense');
  });
});

/** Forward and VJP of a layer: output, gradients w.r.t. z and y, and the parameter gradients. */
function run<P>(layer: Layer<P, unknown>, params: P, z: Tensor, y: Tensor, g: Tensor): number[][] {
  const { output, cache } = layer.forward(params, { z, y });
  const { gradInput, gradParams } = layer.vjp(params, cache, g);
  const flat = (v: unknown): number[] =>
    v instanceof Tensor ? Array.from(unsafeData(v)) : typeof v === 'number' ? [v] : [];
  return [
    Array.from(unsafeData(output)),
    Array.from(unsafeData(gradInput.z)),
    Array.from(unsafeData(gradInput.y)),
    ...Object.values(gradParams as Record<string, unknown>).map(flat),
  ];
}

describe('layers: auto kernels against forced-dense kernels', () => {
  const n = 12;
  const m = 40;
  const N = 25;
  const A = gaussianMatrix(5, n, m);
  const lambda = 0.1;
  const rng = new Rng(3);
  const y = normal(6, [N, n]);
  const g = normal(7, [N, m]);

  /**
   * The layers, each with parameters whose threshold lets about `pass` of the entries through
   * (so that the masked gradient has that density): the threshold is the midpoint of two
   * consecutive magnitudes of the pre-threshold values, away from every kink.
   */
  function layers(z: Tensor, pass: number): [string, Layer<unknown, unknown>, unknown][] {
    const midpoint = (pre: ArrayLike<number>): number => {
      const mags = Array.from(pre, Math.abs).sort((a, b) => b - a);
      const k = Math.max(1, Math.floor(pass * mags.length));
      return k >= mags.length ? 0 : (mags[k - 1] + mags[k]) / 2;
    };
    const preOf = (layer: Layer<unknown, unknown>, params: unknown, theta0: object): Float64Array => {
      // With threshold 0 the layer returns its pre-threshold values.
      return Float64Array.from(layer.forward({ ...(params as object), ...theta0 }, { z, y }).output.data);
    };
    const lista = listaInitFromIsta(A, lambda);
    // Perturb W2 so that it is not symmetric: the transposes are exercised.
    const W2 = wrap(
      unsafeData(lista.W2).map((v) => v + 0.05 * rng.normal()),
      [m, m],
    );
    const listaParams = { ...lista, W2 };
    const cp = listaCpInitFromIsta(A, lambda);
    const cpLayer = listaCpLayer(A);
    const cpssLayer = listaCpLayer(A, { supportSelection: 10 });
    const W = alistaWeight(A).W;
    const al = alistaLayer(A, W);
    const L = listaLayer as Layer<unknown, unknown>;
    const out: [string, Layer<unknown, unknown>, unknown][] = [
      ['lista', L, { ...listaParams, theta: midpoint(preOf(L, listaParams, { theta: 0 })) }],
      ['lista-cp', cpLayer, { ...cp, theta: midpoint(preOf(cpLayer, cp, { theta: 0 })) }],
      ['lista-cpss', cpssLayer, { ...cp, theta: midpoint(preOf(cpLayer, cp, { theta: 0 })) }],
      ['alista', al, { gamma: 0.7, theta: midpoint(preOf(al, { gamma: 0.7 }, { theta: 0 })) }],
    ];
    // SLISTA's threshold is lambda alpha: pick alpha, then lambda through a new layer.
    const alpha = slistaIstaParams(A).alpha;
    const slPre = preOf(slistaLayer(A, 0), { alpha }, {});
    const slLambda = midpoint(slPre) / alpha;
    out.push(['slista', slistaLayer(A, slLambda), { alpha }]);
    return out;
  }

  for (const [zDensity, pass] of [
    [0, 0.2],
    [0.08, 0.15],
    [0.3, 0.35],
    [1, 0.9],
  ] as const) {
    it(`agree up to rounding with z of density ${zDensity} and ${pass * 100}% of entries through the threshold`, () => {
      const z = wrap(sparseRows(rng, N, m, zDensity), [N, m]);
      for (const [name, layer, params] of layers(z, pass)) {
        setKernelMode('dense');
        const before = { ...kernelCounts };
        const dense = run(layer, params, z, y, g);
        expect(kernelCounts.sparse, name).toBe(before.sparse); // dense mode never takes the sparse path
        setKernelMode('auto');
        const mid = { ...kernelCounts };
        const auto = run(layer, params, z, y, g);
        const sparseRuns = kernelCounts.sparse - mid.sparse;
        const denseRuns = kernelCounts.dense - mid.dense;
        if (pass < DENSITY_CUTOFF) expect(sparseRuns, name).toBeGreaterThan(0);
        if (zDensity === 1 && pass > DENSITY_CUTOFF) {
          expect(sparseRuns, name).toBe(0);
          expect(denseRuns, name).toBeGreaterThan(0);
        }
        expect(auto.length, name).toBe(dense.length);
        auto.forEach((part, k) => {
          expect(maxRelDiff(part, dense[k]), `${name} part ${k}`).toBeLessThan(1e-12);
        });
        // The output has the intended sparsity (and so the masked gradient).
        const nz = auto[0].filter((v) => v !== 0).length / (N * m);
        if (name !== 'lista-cpss') expect(Math.abs(nz - pass), name).toBeLessThan(0.05);
      }
    });
  }
});
