/**
 * Forward differences of an image (height, width) flattened row-major: the analysis operator of
 * anisotropic total variation, TV(x) = ||D x||_1.
 *
 * Output layout: the horizontal differences first, (height, width - 1) row-major,
 * h[r, s] = x[r, s + 1] - x[r, s] at index r (width - 1) + s; then the vertical differences,
 * (height - 1, width) row-major, v[r, s] = x[r + 1, s] - x[r, s] at index
 * height (width - 1) + r width + s. outputSize = height (width - 1) + (height - 1) width.
 * No padding: the two blocks have different shapes (an isotropic TV that pairs h and v per pixel
 * needs a padded layout, which this is not).
 *
 * Norm in closed form: D = [I_h (x) D_w; D_h (x) I_w], so D^T D = I_h (x) D_w^T D_w + D_h^T D_h (x) I_w,
 * a Kronecker sum whose eigenvalues are the sums of the 1-D ones, hence
 * ||D||^2 = ||D_w||^2 + ||D_h||^2 = 4 cos^2(pi / (2 width)) + 4 cos^2(pi / (2 height)) (a 1-D term
 * is 0 for a side of length 1).
 *
 * @module
 */
import { checkInteger } from '../validate/index.js';
import { defineOperator, exactNorm, type KernelOperator } from './define.js';
import { differencesNormSquared } from './differences1d.js';

/**
 * Horizontal then vertical forward differences of (height, width) images (see the module notes
 * for the layout); adjoint the matching negative divergence. Norm exactly
 * sqrt(4 cos^2(pi / (2 width)) + 4 cos^2(pi / (2 height))).
 */
export function differences2d(height: number, width: number): KernelOperator {
  const fn = 'differences2d';
  const h = checkInteger(fn, 'height', height, { min: 1 });
  const w = checkInteger(fn, 'width', width, { min: 1 });
  const vertical = h * (w - 1); // offset of the vertical block
  return defineOperator({
    fn,
    name: `differences2d(${h}x${w})`,
    inputSize: h * w,
    outputSize: vertical + (h - 1) * w,
    applyRow: (x, xOffset, out, outOffset) => {
      for (let r = 0; r < h; r++) {
        const src = xOffset + r * w;
        const dst = outOffset + r * (w - 1);
        for (let s = 0; s < w - 1; s++) out[dst + s] = x[src + s + 1] - x[src + s];
      }
      const dst = outOffset + vertical;
      for (let k = 0; k < (h - 1) * w; k++) out[dst + k] = x[xOffset + k + w] - x[xOffset + k];
    },
    adjointRow: (y, yOffset, out, outOffset) => {
      out.fill(0, outOffset, outOffset + h * w);
      for (let r = 0; r < h; r++) {
        const src = yOffset + r * (w - 1);
        const dst = outOffset + r * w;
        for (let s = 0; s < w - 1; s++) {
          const g = y[src + s];
          out[dst + s + 1] += g;
          out[dst + s] -= g;
        }
      }
      const src = yOffset + vertical;
      for (let k = 0; k < (h - 1) * w; k++) {
        const g = y[src + k];
        out[outOffset + k + w] += g;
        out[outOffset + k] -= g;
      }
    },
    norm: () => exactNorm(Math.sqrt(differencesNormSquared(w) + differencesNormSquared(h))),
  });
}
