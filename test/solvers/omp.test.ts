import { describe, expect, it } from 'vitest';
import { fromArray, tensor, zeros } from '../../src/tensor/index.js';
import type { Tensor } from '../../src/tensor/index.js';
import { omp, ompInto, ompWorkspace } from '../../src/solvers/omp.js';

const arr = (t: Tensor): number[] => Array.from(t.data);
const SQRT2 = Math.sqrt(2);

function expectClose(actual: readonly number[], expected: readonly number[], tol = 1e-14): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) =>
    expect(Math.abs(a - expected[i]), `entry ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol),
  );
}

/** The Sylvester Hadamard matrix of order n (a power of 2) scaled to be orthogonal. */
function hadamard(n: number): Tensor {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let bits = i & j;
      let parity = 0;
      while (bits) {
        parity ^= bits & 1;
        bits >>= 1;
      }
      d[i * n + j] = (parity ? -1 : 1) / Math.sqrt(n);
    }
  }
  return fromArray(d, [n, n]);
}

describe('omp on a 2-atom example, by hand', () => {
  // a1 = e1, a2 = (e1 + e2)/sqrt2, y = (1, 2): A^T y = (1, 3/sqrt2), so a2 first, z = 3/sqrt2,
  // r = (-1/2, 1/2) (energy 1/2); then a1, and y = -a1 + 2 sqrt2 a2 exactly.
  const A = tensor([
    [1, 1 / SQRT2],
    [0, 1 / SQRT2],
  ]);
  const Y = tensor([[1, 2]]);

  it('one atom: the most correlated, and its projection', () => {
    const res = omp(A, Y, { sparsity: 1 });
    expectClose(arr(res.Z), [0, 3 / SQRT2]);
    expectClose(arr(res.residualNorms), [1 / SQRT2]);
    expect(arr(res.perSampleAtoms)).toEqual([1]);
    expect(res.iterations).toBe(1);
    expect(res.seconds).toBeGreaterThanOrEqual(0);
  });

  it('two atoms: the exact representation', () => {
    const res = omp(A, Y, { sparsity: 2 });
    expectClose(arr(res.Z), [-1, 2 * SQRT2]);
    expectClose(arr(res.residualNorms), [0]);
    expect(res.iterations).toBe(2);
  });

  it('selection is by normalised correlation; codes are for the atoms as given', () => {
    // With a1 scaled by 3, |a1^T y| = 3 > 3/sqrt2 but |a1^T y| / ||a1|| = 1 < 3/sqrt2: a2 still first.
    const scaled = tensor([
      [3, 1 / SQRT2],
      [0, 1 / SQRT2],
    ]);
    expectClose(arr(omp(scaled, Y, { sparsity: 1 }).Z), [0, 3 / SQRT2]);
    expectClose(arr(omp(scaled, Y, { sparsity: 2 }).Z), [-1 / 3, 2 * SQRT2]);
  });

  it('tolerance stop on the residual energy ||r||^2 (not the norm)', () => {
    // Energies: 5 with no atom, 1/2 with one, 0 with two.
    expect(arr(omp(A, Y, { tol: 5 }).perSampleAtoms)).toEqual([0]);
    expect(arr(omp(A, Y, { tol: 5 }).Z)).toEqual([0, 0]);
    expect(arr(omp(A, Y, { tol: 0.6 }).perSampleAtoms)).toEqual([1]);
    expect(arr(omp(A, Y, { tol: 0.4 }).perSampleAtoms)).toEqual([2]);
    // With both, whichever comes first.
    expect(arr(omp(A, Y, { tol: 0.4, sparsity: 1 }).perSampleAtoms)).toEqual([1]);
    expect(arr(omp(A, Y, { tol: 0.6, sparsity: 2 }).perSampleAtoms)).toEqual([1]);
  });
});

describe('omp with an orthonormal dictionary', () => {
  const n = 8;
  const Q = hadamard(n);
  // y = Q x: the correlations are x itself, so OMP picks the k largest |x_j|, exactly.
  const x = [0.3, -5, 0.1, 2, -0.7, 4, 1.5, -3];
  const q = Q.data;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) y[i] += q[i * n + j] * x[j];
  const Y = fromArray(y, [1, n]);

  it('recovers the k largest coefficients for every k', () => {
    const order = [1, 5, 7, 3, 6, 4, 0, 2]; // by decreasing |x_j|
    for (let k = 1; k <= n; k++) {
      const res = omp(Q, Y, { sparsity: k });
      const expected = new Array<number>(n).fill(0);
      for (const j of order.slice(0, k)) expected[j] = x[j];
      expectClose(arr(res.Z), expected, 1e-14);
      const rest = order.slice(k).reduce((s, j) => s + x[j] * x[j], 0);
      expectClose(arr(res.residualNorms), [Math.sqrt(rest)], 1e-14);
    }
  });

  it('codes a batch: each row on its own, including a zero signal', () => {
    const Y2 = fromArray([...y, ...new Array<number>(n).fill(0), ...y.map((v) => -2 * v)], [3, n]);
    const res = omp(Q, Y2, { sparsity: 2 });
    expectClose(arr(res.Z).slice(0, n), [0, -5, 0, 0, 0, 4, 0, 0]);
    expect(arr(res.Z).slice(n, 2 * n)).toEqual(new Array<number>(n).fill(0));
    expectClose(arr(res.Z).slice(2 * n), [0, 10, 0, 0, 0, -8, 0, 0], 1e-13);
    expect(arr(res.perSampleAtoms)).toEqual([2, 0, 2]);
    expect(res.iterations).toBe(2);
  });

  it('an empty batch gives empty results', () => {
    const res = omp(Q, zeros([0, n]), { sparsity: 3 });
    expect(res.Z.shape).toEqual([0, n]);
    expect(res.iterations).toBe(0);
  });
});

describe('omp with dependent atoms', () => {
  it('a duplicated atom is never selected twice and gives no NaN', () => {
    // Columns e1, e1, e2: y = e1 + e2/2 takes the first copy of e1, then e2; the residual is then 0.
    const A = tensor([
      [1, 1, 0],
      [0, 0, 1],
    ]);
    const res = omp(A, tensor([[1, 0.5]]), { sparsity: 2 });
    expect(arr(res.Z)).toEqual([1, 0, 0.5]);
    expect(arr(res.residualNorms)).toEqual([0]);
  });

  it('stops before a nearly dependent atom (d <= 1e-12 G_jj) and does not add it', () => {
    // a2 = (e1 + 1e-7 e2)/norm is selected first; the next best, e1, lies at an angle of 1e-7 from
    // span(a2) (sine^2 = 1e-14): OMP stops with one atom although two were allowed.
    const delta = 1e-7;
    const norm = Math.sqrt(1 + delta * delta);
    const A = tensor([
      [1, 1 / norm],
      [0, delta / norm],
    ]);
    const res = omp(A, tensor([[1, 1]]), { sparsity: 2 });
    expect(arr(res.perSampleAtoms)).toEqual([1]);
    expect(res.Z.data[0]).toBe(0);
    expectClose([res.Z.data[1]], [(1 + delta) / norm]);
    // Above the threshold (delta = 1e-3, sine^2 = 1e-6) both atoms are used: y = -999 e1 + 1000 norm a2.
    // G_SS has condition number about 4e6, so the normal equations are accurate to about eps * 4e6.
    const normB = Math.sqrt(1 + 1e-6);
    const B = tensor([
      [1, 1 / normB],
      [0, 1e-3 / normB],
    ]);
    const both = omp(B, tensor([[1, 1]]), { sparsity: 2 });
    expect(arr(both.perSampleAtoms)).toEqual([2]);
    expectClose(arr(both.Z), [-999, 1000 * normB], 1e-6);
    expect(both.residualNorms.data[0]).toBeLessThan(1e-9);
  });

  it('a zero atom is never selected', () => {
    const A = tensor([
      [0, 1],
      [0, 0],
    ]);
    const res = omp(A, tensor([[1, 1]]), { sparsity: 2 });
    expect(arr(res.Z)).toEqual([0, 1]);
    expect(arr(res.perSampleAtoms)).toEqual([1]);
  });
});

describe('ompInto, the per-signal kernel', () => {
  it('writes the support in selection order and the coefficients at the offset only', () => {
    // G and A^T y of the 2-atom example (a1 = e1, a2 = (e1 + e2)/sqrt2, y = (1, 2)).
    const gram = Float64Array.from([1, 1 / SQRT2, 1 / SQRT2, 1]);
    const aty = Float64Array.from([99, 1, 3 / SQRT2]); // offset 1
    const work = ompWorkspace(gram, 2, 2);
    const support = new Int32Array(5).fill(-7);
    const coefs = new Float64Array(5).fill(-7);
    const k = ompInto(work, aty, 1, 5, 2, -1, support, coefs, 2);
    expect(k).toBe(2);
    expect(Array.from(support)).toEqual([-7, -7, 1, 0, -7]);
    expectClose(Array.from(coefs), [-7, -7, 2 * SQRT2, -1, -7], 1e-14);
    expect(work.residualEnergy).toBeLessThan(1e-14);
    // Reused for a second signal with a tolerance: one atom, energy 1/2.
    const k1 = ompInto(work, aty, 1, 5, 2, 0.6, support, coefs, 0);
    expect(k1).toBe(1);
    expect(support[0]).toBe(1);
    expectClose([coefs[0], work.residualEnergy], [3 / SQRT2, 0.5], 1e-14);
  });
});

describe('omp rejects bad input', () => {
  const A = tensor([
    [1, 0, 0.5],
    [0, 1, 0.5],
  ]);
  const Y = tensor([[1, 2]]);

  it('options', () => {
    expect(() => omp(A, Y, {})).toThrow(
      new TypeError(
        "omp: argument 'options' must be an object with 'sparsity' and/or 'tol'. Got an object without either.",
      ),
    );
    expect(() => omp(A, Y, null as never)).toThrow(TypeError);
    expect(() => omp(A, Y, { sparsity: 3 })).toThrow(
      new RangeError("omp: argument 'sparsity' must be an integer >= 1 and <= 2. Got 3."),
    );
    expect(() => omp(A, Y, { sparsity: 0 })).toThrow(RangeError);
    expect(() => omp(A, Y, { sparsity: 1.5 })).toThrow(RangeError);
    expect(() => omp(A, Y, { sparsity: '2' as never })).toThrow(
      new TypeError('omp: argument \'sparsity\' must be an integer >= 1 and <= 2. Got "2".'),
    );
    expect(() => omp(A, Y, { tol: -1 })).toThrow(
      new RangeError("omp: argument 'tol' must be a finite number >= 0. Got -1."),
    );
    expect(() => omp(A, Y, { tol: NaN })).toThrow(RangeError);
  });

  it('tensors', () => {
    expect(() => omp(A, tensor([[1, 2, 3]]), { sparsity: 1 })).toThrow(
      new RangeError("omp: argument 'Y' must be a tensor of shape [*, 2]. Got a tensor of shape [1, 3]."),
    );
    expect(() => omp(tensor([1, 2]), Y, { sparsity: 1 })).toThrow(
      new RangeError("omp: argument 'A' must be a tensor of rank 2. Got a tensor of shape [2]."),
    );
    expect(() => omp(zeros([2, 0]), Y, { sparsity: 1 })).toThrow(
      new RangeError(
        "omp: argument 'A' must be a tensor with at least one row and one column. Got a tensor of shape [2, 0].",
      ),
    );
    expect(() => omp(A, tensor([[1, NaN]]), { sparsity: 1 })).toThrow(
      new RangeError(
        "omp: argument 'Y' must be a tensor of finite values. Got NaN at flat index 1 of a tensor of shape [1, 2].",
      ),
    );
    expect(() => omp([[1]] as never, Y, { sparsity: 1 })).toThrow(TypeError);
  });
});
