/**
 * Direct (FFT-free) 2-D convolution of images flattened row-major, with a given kernel (kh, kw).
 * Along each axis the boundary mode and the alignment are those of convolution-plan.ts: 'zero'
 * and 'circular' keep the size (scipy.signal.convolve2d(x, k, 'same', boundary='fill' | 'wrap')),
 * 'valid' returns (height - kh + 1, width - kw + 1). O(height width kh kw) per image. The adjoint
 * is the correlation with the same taps over the transposed index ranges, exact by construction.
 *
 * @module
 */
import { checkInteger, checkOneOf, checkTensor, rangeError } from '../validate/index.js';
import { unsafeData, type Tensor } from '../tensor/tensor.js';
import { defineOperator, exactNorm, type KernelOperator, type RowKernel } from './define.js';
import { boundedPowerNorm } from './norm.js';
import {
  axisPlan,
  circularConvolutionNorm,
  CONVOLUTION_BOUNDARIES,
  type ConvolutionBoundary,
} from './convolution-plan.js';

/**
 * The kernel of one direction for images: out[r, s] = sum over taps (a, b) of
 * k[a, b] * source[r + rowOffset, s + colOffset], over the runs of the plans. Row by row (the
 * output row and the few source rows it reads stay in cache), then tap by tap along the row.
 */
function runsKernel2d(
  taps: Float64Array,
  kh: number,
  kw: number,
  rowRuns: Int32Array,
  colRuns: Int32Array,
  outHeight: number,
  outWidth: number,
  inWidth: number,
): RowKernel {
  return (x, xOffset, out, outOffset) => {
    for (let r = 0; r < outHeight; r++) {
      const dst = outOffset + r * outWidth;
      out.fill(0, dst, dst + outWidth);
      for (let a = 0; a < kh; a++) {
        // The source row of tap row a for output row r, if one of its runs contains r.
        let sourceRow = -1;
        for (let rr = 6 * a; rr < 6 * a + 6; rr += 3) {
          if (r >= rowRuns[rr] && r < rowRuns[rr + 1]) sourceRow = r + rowRuns[rr + 2];
        }
        if (sourceRow < 0) continue;
        const srcRow = xOffset + sourceRow * inWidth;
        for (let b = 0; b < kw; b++) {
          const kab = taps[a * kw + b];
          if (kab === 0) continue;
          for (let cc = 6 * b; cc < 6 * b + 6; cc += 3) {
            const src = srcRow + colRuns[cc + 2];
            const end = colRuns[cc + 1]; // hoisted: the loop bound must not be reloaded after each store
            for (let s = colRuns[cc]; s < end; s++) out[dst + s] += kab * x[src + s];
          }
        }
      }
    }
  };
}

/**
 * The 2-D convolution with `kernel` (kh, kw), kh, kw >= 1, on (height, width) images flattened
 * row-major: (A x)[r, s] = sum_ab kernel[a, b] x[r + ch - a, s + cw - b] with
 * (ch, cw) = (floor((kh - 1) / 2), floor((kw - 1) / 2)), x zero outside the image for boundary
 * 'zero' (default) and periodic for 'circular'; 'valid' keeps the (height - kh + 1, width - kw + 1)
 * outputs x[r + kh - 1 - a, s + kw - 1 - b] that need no padding (flattened row-major; requires
 * kh <= height and kw <= width). Norm: exact for 'circular' (max |2-D DFT of the kernel| over the
 * height x width frequencies), power iteration otherwise.
 */
export function convolution2d(
  kernel: Tensor,
  height: number,
  width: number,
  boundary: ConvolutionBoundary = 'zero',
): KernelOperator {
  const fn = 'convolution2d';
  checkTensor(fn, 'kernel', kernel, { rank: 2 });
  const [kh, kw] = kernel.shape;
  if (kh < 1 || kw < 1)
    rangeError(fn, 'kernel', 'a tensor of rank 2 with at least one row and one column', kernel);
  checkInteger(fn, 'height', height, { min: 1 });
  checkInteger(fn, 'width', width, { min: 1 });
  const mode = checkOneOf(fn, 'boundary', boundary, CONVOLUTION_BOUNDARIES);
  if (mode === 'valid' && (kh > height || kw > width))
    rangeError(
      fn,
      'kernel',
      `a tensor of shape at most [${height}, ${width}] (the image) for boundary 'valid'`,
      kernel,
    );
  const taps = Float64Array.from(unsafeData(kernel));
  const rows = axisPlan(kh, height, mode);
  const cols = axisPlan(kw, width, mode);
  const outHeight = rows.outLength;
  const outWidth = cols.outLength;
  return defineOperator({
    fn,
    name: `convolution2d(k=${kh}x${kw}, ${mode}, ${height}x${width})`,
    inputSize: height * width,
    outputSize: outHeight * outWidth,
    applyRow: runsKernel2d(taps, kh, kw, rows.apply, cols.apply, outHeight, outWidth, width),
    adjointRow: runsKernel2d(taps, kh, kw, rows.adjoint, cols.adjoint, height, width, outWidth),
    // Zero padding and 'valid' select rows and columns of the circular convolution on a period of
    // (height + kh - 1, width + kw - 1) (the image itself for 'valid': no product wraps), whose
    // exact norm bounds theirs.
    norm:
      mode === 'circular'
        ? () => exactNorm(circularConvolutionNorm(taps, kh, kw, height, width))
        : (self) => {
            const [ph, pw] = mode === 'zero' ? [height + kh - 1, width + kw - 1] : [height, width];
            return boundedPowerNorm(circularConvolutionNorm(taps, kh, kw, ph, pw))(self);
          },
  });
}
