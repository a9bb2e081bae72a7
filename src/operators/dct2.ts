/**
 * The orthonormal 2-D DCT-II on image patches, a classic fixed dictionary.
 *
 * A patch X (h, w) is flattened row-major to length h w; the coefficients are X^ = C_h X C_w^T
 * (C the orthonormal DCT-II matrix of dct-basis.ts, scipy `dctn(X, norm='ortho')`), flattened
 * row-major, so coefficient (u, v) (vertical frequency u, horizontal v) sits at u w + v. The
 * operator is orthogonal: its adjoint C_h^T X^ C_w is the inverse DCT and its norm is exactly 1.
 * Computed separably, O(h w (h + w)) per patch.
 *
 * @module
 */
import { checkInteger } from '../validate/index.js';
import { defineOperator, exactNorm, type KernelOperator } from './define.js';
import { dctRows } from './dct-basis.js';

/** The rows 0..p-1, i.e. the whole DCT matrix. */
function fullDct(p: number): Float64Array {
  return dctRows(
    p,
    Array.from({ length: p }, (_, k) => k),
  );
}

/**
 * The orthonormal 2-D DCT-II of (patchHeight, patchWidth) patches flattened row-major: apply
 * gives the coefficients (u, v) at u * patchWidth + v, adjoint is the inverse DCT. Norm exactly 1.
 */
export function dct2Operator(patchHeight: number, patchWidth: number): KernelOperator {
  const fn = 'dct2Operator';
  const h = checkInteger(fn, 'patchHeight', patchHeight, { min: 1 });
  const w = checkInteger(fn, 'patchWidth', patchWidth, { min: 1 });
  const ch = fullDct(h);
  const cw = fullDct(w);
  const temp = new Float64Array(h * w); // scratch: the kernels never run concurrently
  return defineOperator({
    fn,
    name: `dct2(${h}x${w})`,
    inputSize: h * w,
    outputSize: h * w,
    applyRow: (x, xOffset, out, outOffset) => {
      // temp = X C_w^T, then out = C_h temp.
      for (let r = 0; r < h; r++) {
        for (let v = 0; v < w; v++) {
          let s = 0;
          for (let c = 0; c < w; c++) s += x[xOffset + r * w + c] * cw[v * w + c];
          temp[r * w + v] = s;
        }
      }
      for (let u = 0; u < h; u++) {
        for (let v = 0; v < w; v++) {
          let s = 0;
          for (let r = 0; r < h; r++) s += ch[u * h + r] * temp[r * w + v];
          out[outOffset + u * w + v] = s;
        }
      }
    },
    adjointRow: (y, yOffset, out, outOffset) => {
      // temp = C_h^T Y, then out = temp C_w.
      for (let r = 0; r < h; r++) {
        for (let v = 0; v < w; v++) {
          let s = 0;
          for (let u = 0; u < h; u++) s += ch[u * h + r] * y[yOffset + u * w + v];
          temp[r * w + v] = s;
        }
      }
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          let s = 0;
          for (let v = 0; v < w; v++) s += temp[r * w + v] * cw[v * w + c];
          out[outOffset + r * w + c] = s;
        }
      }
    },
    norm: () => exactNorm(1),
  });
}
