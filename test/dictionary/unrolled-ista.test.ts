import { describe, expect, it } from 'vitest';
import { dictionaryIstaLayer } from '../../src/dictionary/unrolled-ista.js';
import { normal } from '../../src/random/index.js';
import { fromArray, type Tensor } from '../../src/tensor/index.js';
import { slistaLayer } from '../../src/unrolled/index.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i] - b[i]));
  return s;
};

const n = 4;
const K = 6;
const N = 3;
const D = fromArray(
  normal(1, [n, K]).data.map((v) => 0.5 * v),
  [n, K],
);
const Y = normal(2, [N, n]);
const Z = fromArray(
  normal(3, [N, K]).data.map((v, i) => (i % 3 === 0 ? 0 : 0.5 * v)),
  [N, K],
);
const G = normal(4, [N, K]);

/** The smallest distance of a pre-threshold value |P| to the threshold: the kink margin. */
function margin(D: Tensor, z: Tensor, alpha: number, lambda: number): number {
  const d = D.data;
  let m = Infinity;
  for (let i = 0; i < N; i++) {
    const r = Array.from({ length: n }, (_, a) => {
      let s = -Y.data[i * n + a];
      for (let j = 0; j < K; j++) s += z.data[i * K + j] * d[a * K + j];
      return s;
    });
    for (let j = 0; j < K; j++) {
      let h = 0;
      for (let a = 0; a < n; a++) h += r[a] * d[a * K + j];
      const p = z.data[i * K + j] - alpha * h;
      m = Math.min(m, Math.abs(Math.abs(p) - lambda * alpha));
    }
  }
  return m;
}

describe('dictionaryIstaLayer', () => {
  it('is SLISTA with the dictionary as a parameter: same output and same dZ, dY, dα', () => {
    const lambda = 0.3;
    const alpha = 0.4;
    const ours = dictionaryIstaLayer(lambda);
    const ref = slistaLayer(D, lambda);
    const a = ours.forward({ D, alpha }, { z: Z, y: Y });
    const b = ref.forward({ alpha }, { z: Z, y: Y });
    expect(maxDiff(a.output.data, b.output.data)).toBeLessThan(1e-14);
    expect(a.output.data.some((v) => v === 0)).toBe(true); // the threshold is active somewhere
    const va = ours.vjp({ D, alpha }, a.cache, G);
    const vb = ref.vjp({ alpha }, b.cache, G);
    expect(maxDiff(va.gradInput.z.data, vb.gradInput.z.data)).toBeLessThan(1e-13);
    expect(maxDiff(va.gradInput.y.data, vb.gradInput.y.data)).toBeLessThan(1e-13);
    expect(va.gradParams.alpha).toBeCloseTo(vb.gradParams.alpha, 12);
    expect(va.gradParams.D.shape).toEqual([n, K]);
  });

  for (const lambda of [0.3, 0]) {
    it(`its VJP w.r.t. D, Z, Y and α equals central finite differences (λ = ${lambda})`, () => {
      const alpha = 0.4;
      const layer = dictionaryIstaLayer(lambda);
      // Away from the kinks by construction: the drawn inputs have a margin well above h times the
      // speed of P along the directions (|dP| <= a few units per unit step here).
      if (lambda > 0) expect(margin(D, Z, alpha, lambda)).toBeGreaterThan(1e-3);
      const { cache } = layer.forward({ D, alpha }, { z: Z, y: Y });
      const { gradInput, gradParams } = layer.vjp({ D, alpha }, cache, G);
      const E = normal(5, [n, K]).data;
      const dZ = normal(6, [N, K]).data;
      const dY = normal(7, [N, n]).data;
      const dA = 0.3;
      const h = 1e-6;
      const f = (s: number) => {
        const out = layer.forward(
          {
            D: fromArray(
              D.data.map((v, i) => v + s * E[i]),
              [n, K],
            ),
            alpha: alpha + s * dA,
          },
          {
            z: fromArray(
              Z.data.map((v, i) => v + s * dZ[i]),
              [N, K],
            ),
            y: fromArray(
              Y.data.map((v, i) => v + s * dY[i]),
              [N, n],
            ),
          },
        ).output;
        return dot(out.data, G.data);
      };
      const fd = (f(h) - f(-h)) / (2 * h);
      const vjp =
        dot(gradParams.D.data, E) +
        dot(gradInput.z.data, dZ) +
        dot(gradInput.y.data, dY) +
        gradParams.alpha * dA;
      expect(Math.abs(fd - vjp)).toBeLessThan(1e-7 * (1 + Math.abs(vjp)));
    });
  }

  it('rejects bad parameters with the template message', () => {
    const layer = dictionaryIstaLayer(0.1);
    expect(() => layer.forward({ D, alpha: -1 }, { z: Z, y: Y })).toThrow(
      /^dictionaryIstaLayer: argument 'params.alpha' must be a finite number >= 0\. Got -1\.$/,
    );
    expect(() => layer.forward({ D: Y, alpha: 1 }, { z: Z, y: Y })).toThrow(RangeError);
    expect(() => dictionaryIstaLayer(-1)).toThrow(RangeError);
  });
});
