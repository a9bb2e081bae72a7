import { describe, expect, it } from 'vitest';
import { Rng, lambdaMax, matmulNT, rowNorms2, rows, syntheticProblem } from '../../src/index.js';

const base = { n: 8, m: 20, samples: 50, density: 0.2, seed: 3 };

describe('syntheticProblem', () => {
  it('draws A with unit-norm columns, Bernoulli-Gaussian Z of the given density, and Y = Z A^T', () => {
    const { A, Y, Z } = syntheticProblem(base);
    expect(A.shape).toEqual([8, 20]);
    expect(Y.shape).toEqual([50, 8]);
    expect(Z.shape).toEqual([50, 20]);
    for (let j = 0; j < 20; j++) {
      let s = 0;
      for (let i = 0; i < 8; i++) s += A.get(i, j) ** 2;
      expect(s).toBeCloseTo(1, 12);
    }
    expect(Array.from(Y.data)).toEqual(Array.from(matmulNT(Z, A).data));
    const active = Z.data.filter((v) => v !== 0).length / Z.size;
    expect(active).toBeGreaterThan(0.12); // 1000 Bernoulli(0.2) draws: 0.2 +- 0.013 (std)
    expect(active).toBeLessThan(0.28);
  });

  it('is deterministic per seed and different across seeds', () => {
    const a = syntheticProblem({ ...base, noiseSnrDb: 20 });
    const b = syntheticProblem({ ...base, noiseSnrDb: 20 });
    const c = syntheticProblem({ ...base, noiseSnrDb: 20, seed: 4 });
    for (const key of ['A', 'Y', 'Z'] as const) {
      expect(Array.from(b[key].data)).toEqual(Array.from(a[key].data));
      expect(Array.from(c[key].data)).not.toEqual(Array.from(a[key].data));
    }
    // An Rng source works too, and is the same stream as its seed.
    const d = syntheticProblem({ ...base, noiseSnrDb: 20, seed: new Rng(3) });
    expect(Array.from(d.Y.data)).toEqual(Array.from(a.Y.data));
  });

  it('gives the first rows of a larger draw for fewer samples, and the same A', () => {
    const small = syntheticProblem({ ...base, samples: 7, noiseSnrDb: 10, normalizeLambdaMax: true });
    const large = syntheticProblem({ ...base, samples: 50, noiseSnrDb: 10, normalizeLambdaMax: true });
    expect(Array.from(small.A.data)).toEqual(Array.from(large.A.data));
    expect(Array.from(small.Z.data)).toEqual(Array.from(rows(large.Z, 0, 7).data));
    expect(Array.from(small.Y.data)).toEqual(Array.from(rows(large.Y, 0, 7).data));
  });

  it('adds noise at the requested SNR per signal, leaving A and Z as without noise', () => {
    const clean = syntheticProblem({ ...base, samples: 400, density: 0.3 });
    const noisy = syntheticProblem({ ...base, samples: 400, density: 0.3, noiseSnrDb: 10 });
    expect(Array.from(noisy.A.data)).toEqual(Array.from(clean.A.data));
    expect(Array.from(noisy.Z.data)).toEqual(Array.from(clean.Z.data));
    let signal = 0;
    let noise = 0;
    for (let k = 0; k < clean.Y.size; k++) {
      signal += clean.Y.data[k] ** 2;
      noise += (noisy.Y.data[k] - clean.Y.data[k]) ** 2;
    }
    // 3200 noise entries: the measured SNR is 10 dB within a few tenths.
    expect(10 * Math.log10(signal / noise)).toBeCloseTo(10, 0);
    // Zero signals stay zero (no SNR to match).
    for (let i = 0; i < 400; i++) {
      if (rowNorms2(rows(clean.Y, i, i + 1)).data[0] === 0)
        expect(rowNorms2(rows(noisy.Y, i, i + 1)).data[0]).toBe(0);
    }
  });

  it('scales each signal and its code so that lambdaMax = 1, leaving zero signals alone', () => {
    const raw = syntheticProblem({ ...base, density: 0.05, noiseSnrDb: 30 });
    const { A, Y, Z } = syntheticProblem({
      ...base,
      density: 0.05,
      noiseSnrDb: 30,
      normalizeLambdaMax: true,
    });
    const lm = lambdaMax(A, Y).data;
    const lmRaw = lambdaMax(A, raw.Y).data;
    let zeros = 0;
    for (let i = 0; i < 50; i++) {
      if (lmRaw[i] === 0) {
        zeros++;
        expect(lm[i]).toBe(0);
        continue;
      }
      expect(lm[i]).toBeCloseTo(1, 12);
      for (let j = 0; j < 20; j++) expect(Z.get(i, j)).toBeCloseTo(raw.Z.get(i, j) / lmRaw[i], 12);
    }
    expect(zeros).toBeGreaterThan(0); // density 0.05 over 20 atoms: about 18 of 50 codes are zero
    // Without noise, Y = Z A^T still holds after the scaling.
    const exact = syntheticProblem({ ...base, normalizeLambdaMax: true });
    const YA = matmulNT(exact.Z, exact.A).data;
    for (let k = 0; k < YA.length; k++) expect(exact.Y.data[k]).toBeCloseTo(YA[k], 12);
  });

  it('rejects bad options with the template message', () => {
    const bad: [Record<string, unknown>, RegExp, typeof TypeError][] = [
      [{ n: 0 }, /argument 'n' must be an integer >= 1\. Got 0\./, RangeError],
      [{ m: 2.5 }, /argument 'm' must be an integer >= 1\. Got 2\.5\./, RangeError],
      [{ samples: '5' }, /argument 'samples' must be an integer >= 1\. Got "5"\./, TypeError],
      [{ density: 1.5 }, /argument 'density' must be a finite number >= 0 and <= 1\. Got 1\.5\./, RangeError],
      [{ seed: 0.5 }, /argument 'seed' must be an integer/, RangeError],
      [
        { noiseSnrDb: Infinity },
        /argument 'noiseSnrDb' must be a finite number\. Got Infinity\./,
        RangeError,
      ],
      [{ normalizeLambdaMax: 1 }, /argument 'normalizeLambdaMax' must be a boolean\. Got 1\./, TypeError],
    ];
    for (const [change, msg, error] of bad) {
      const call = () => syntheticProblem({ ...base, ...change });
      expect(call).toThrow(error);
      expect(call).toThrow(msg);
    }
    expect(() => syntheticProblem(null as never)).toThrow(
      /syntheticProblem: argument 'options' must be an object/,
    );
  });
});
