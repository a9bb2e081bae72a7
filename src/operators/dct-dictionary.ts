/**
 * The (overcomplete) 2-D DCT dictionary for square patches, the classic initial dictionary of
 * K-SVD (Aharon, Elad, Bruckstein 2006; Elad & Aharon 2006 use 8 x 8 patches and 256 atoms).
 *
 * A 1-D frame D1 (p, k) of k >= p cosines: column j samples cos(pi (2i + 1) j / (2k)) at pixels
 * i = 0..p-1 (frequencies j pi / k spread evenly over [0, pi), with the DCT-II's half-pixel
 * phase), minus its mean for j > 0, scaled to unit norm. The dictionary is the Kronecker product
 * D = D1 (x) D1, of shape (p^2, k^2): atom a k + b (vertical frequency a, horizontal b) is the
 * patch D1[:, a] D1[:, b]^T flattened row-major, so D[r p + s, a k + b] = D1[r, a] D1[s, b].
 * Every atom has unit norm; atom 0 is the constant patch and every atom with a or b > 0 has zero
 * mean. This is K-SVD's recipe (its MATLAB code samples cos(i j pi / k) and removes the mean), with
 * the half-pixel phase so that k = p gives exactly the orthonormal 2-D DCT-II (where the means are
 * already zero): dctDictionary(p) is the matrix of dct2Operator(p, p).adjoint, up to rounding.
 *
 * @module
 */
import { checkInteger, rangeError } from '../validate/index.js';
import { wrap, type Tensor } from '../tensor/tensor.js';
import { cosineFrame } from './dct-basis.js';

/**
 * The 2-D DCT dictionary (patchSize^2, atoms) for patchSize x patchSize patches flattened
 * row-major, columns = unit-norm atoms. `atoms` (default patchSize^2, the orthonormal DCT-II) must
 * be a perfect square k^2 with k >= patchSize; e.g. dctDictionary(8, 256) is the classic
 * overcomplete K-SVD start. Column a k + b holds vertical frequency a and horizontal frequency b.
 */
export function dctDictionary(patchSize: number, atoms?: number): Tensor {
  const fn = 'dctDictionary';
  const p = checkInteger(fn, 'patchSize', patchSize, { min: 1 });
  const count = atoms === undefined ? p * p : checkInteger(fn, 'atoms', atoms, { min: 1 });
  const k = Math.round(Math.sqrt(count));
  if (k * k !== count || k < p) rangeError(fn, 'atoms', `a perfect square k^2 with k >= ${p}`, atoms);
  const d1 = cosineFrame(p, k);
  const pixels = p * p;
  const cols = k * k;
  const out = new Float64Array(pixels * cols);
  for (let r = 0; r < p; r++) {
    for (let s = 0; s < p; s++) {
      const row = (r * p + s) * cols;
      for (let a = 0; a < k; a++) {
        const dra = d1[r * k + a];
        for (let b = 0; b < k; b++) out[row + a * k + b] = dra * d1[s * k + b];
      }
    }
  }
  return wrap(out, [pixels, cols]);
}
