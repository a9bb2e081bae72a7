/**
 * The orthonormal DCT-II matrix and the Walsh-Hadamard matrix, the fixed orthonormal transforms
 * behind dct2Operator, dctDictionary and subsampledOrthogonalOperator.
 *
 * DCT-II of length p: C[k, j] = s_k cos(pi (2j + 1) k / (2p)), s_0 = sqrt(1/p), s_k = sqrt(2/p)
 * (k, j = 0..p-1), so that C C^T = I; row k is the frequency-k basis vector (scipy's
 * `dct(x, norm='ortho')` is C x). The angle is reduced exactly in integers, (2j + 1) k mod 4p,
 * before the cosine, so large k j lose no accuracy.
 *
 * @module
 */
import { checkInteger } from '../validate/index.js';
import { wrap, type Tensor } from '../tensor/tensor.js';

/** cos(pi t / (2 q)) for an integer t, after reducing t modulo 4q (one full period). */
function cosQuarter(t: number, q: number): number {
  return Math.cos((Math.PI * (t % (4 * q))) / (2 * q));
}

/** Rows `rows` of the orthonormal DCT-II matrix of length p, as a row-major (rows.length, p) buffer. */
export function dctRows(p: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length * p);
  for (let r = 0; r < rows.length; r++) {
    const k = rows[r];
    const s = k === 0 ? Math.sqrt(1 / p) : Math.sqrt(2 / p);
    for (let j = 0; j < p; j++) out[r * p + j] = s * cosQuarter((2 * j + 1) * k, p);
  }
  return out;
}

/** Rows `rows` of the orthonormal Walsh-Hadamard matrix (natural order) of length p, a power of 2. */
export function hadamardRows(p: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length * p);
  const s = 1 / Math.sqrt(p);
  for (let r = 0; r < rows.length; r++) {
    const k = rows[r];
    for (let j = 0; j < p; j++) {
      // (-1)^(number of common bits of k and j)
      let bits = k & j;
      let parity = 0;
      while (bits) {
        parity ^= bits & 1;
        bits >>>= 1;
      }
      out[r * p + j] = parity ? -s : s;
    }
  }
  return out;
}

/**
 * Columns of an overcomplete 1-D cosine frame: column j < k samples cos(pi (2i + 1) j / (2k)) at
 * the pixels i < p, minus its mean for j > 0 (so that only column 0 carries the DC), scaled to
 * unit norm; a row-major (p, k) buffer. For k = p the samples already have zero mean and the
 * result is the transpose of the DCT-II matrix (up to rounding).
 */
export function cosineFrame(p: number, k: number): Float64Array {
  const out = new Float64Array(p * k);
  for (let j = 0; j < k; j++) {
    let mean = 0;
    for (let i = 0; i < p; i++) {
      const c = cosQuarter((2 * i + 1) * j, k);
      out[i * k + j] = c;
      mean += c;
    }
    mean = j === 0 ? 0 : mean / p;
    let ss = 0;
    for (let i = 0; i < p; i++) {
      const c = out[i * k + j] - mean;
      out[i * k + j] = c;
      ss += c * c;
    }
    // Not constant for 0 < j < k (the angle step j pi / k is not a multiple of pi): ss > 0.
    const inv = 1 / Math.sqrt(ss);
    for (let i = 0; i < p; i++) out[i * k + j] *= inv;
  }
  return out;
}

/**
 * The orthonormal DCT-II matrix C (p, p): C x is the DCT of x (scipy `dct(x, norm='ortho')`),
 * C^T y the inverse; row k is the frequency-k cosine.
 */
export function dctMatrix(p: number): Tensor {
  checkInteger('dctMatrix', 'p', p, { min: 1 });
  return wrap(
    dctRows(
      p,
      Array.from({ length: p }, (_, k) => k),
    ),
    [p, p],
  );
}
