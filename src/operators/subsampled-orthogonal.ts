/**
 * Structured compressed sensing: n rows, drawn at random without replacement, of an orthonormal
 * m x m transform (the orthonormal DCT-II, or the Walsh-Hadamard matrix for m a power of 2).
 * The rows are orthonormal, so A A^T = I_n and ||A|| = 1 exactly; no rescaling is applied
 * (scale by sqrt(m / n) yourself for columns of unit expected norm).
 *
 * The selected rows are precomputed as a dense (n, m) matrix and applied by GEMM / GEMV: O(n m)
 * memory and work per signal, fine for m up to a few thousand. A fast O(m log m) transform is not
 * implemented.
 *
 * @module
 */
import { checkInteger, checkOneOf, rangeError } from '../validate/index.js';
import { wrap } from '../tensor/tensor.js';
import { permutation } from '../random/sample.js';
import { toRng, type RandomSource } from '../random/rng.js';
import { exactNorm } from './define.js';
import { dctRows, hadamardRows } from './dct-basis.js';
import { denseOperator, type MatrixOperator } from './matrix.js';

/** A subsampled orthogonal operator, with the transform rows it keeps. */
export interface SubsampledOrthogonalOperator extends MatrixOperator {
  /** The kept rows (frequencies) of the transform, increasing; output entry i is row rows[i]. */
  readonly rows: readonly number[];
}

/**
 * Rows of an orthonormal transform of length m chosen at random (seeded): n distinct rows (the
 * first n of a random permutation of 0..m-1, then sorted), as an (n, m) operator with orthonormal
 * rows and norm exactly 1. `transform` is 'dct' (default; orthonormal DCT-II, row k = frequency
 * k) or 'hadamard' (natural-order Walsh-Hadamard; m must be a power of 2).
 */
export function subsampledOrthogonalOperator(
  seed: RandomSource,
  n: number,
  m: number,
  transform: 'dct' | 'hadamard' = 'dct',
): SubsampledOrthogonalOperator {
  const fn = 'subsampledOrthogonalOperator';
  const rng = toRng(fn, seed);
  checkInteger(fn, 'm', m, { min: 1 });
  checkInteger(fn, 'n', n, { min: 1, max: m });
  const kind = checkOneOf(fn, 'transform', transform, ['dct', 'hadamard'] as const);
  if (kind === 'hadamard' && (m & (m - 1)) !== 0)
    rangeError(fn, 'm', "a power of 2 for transform 'hadamard'", m);
  const rows = permutation(rng, m)
    .slice(0, n)
    .sort((a, b) => a - b);
  const data = kind === 'dct' ? dctRows(m, rows) : hadamardRows(m, rows);
  const name = `subsampledOrthogonal(${kind}, ${n} of ${m})`;
  const dense = denseOperator(fn, name, wrap(data, [n, m]), () => exactNorm(1));
  return Object.freeze({ ...dense, rows: Object.freeze(rows) });
}
