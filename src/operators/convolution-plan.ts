/**
 * What the 1-D and 2-D direct convolutions share: the index bookkeeping of one axis for each
 * boundary mode, and the exact norm of a circular convolution.
 *
 * Convention (numpy / scipy). For a kernel of K taps along an axis of length L, with centre
 * c = floor((K - 1) / 2):
 * - 'zero': out[i] = sum_j k[j] x[i + c - j], entries of x outside [0, L) are 0; output length L.
 *   This is the centred part of the full convolution, numpy.convolve(x, k, 'same') and
 *   scipy.signal.convolve2d(x, k, 'same', boundary='fill'); for odd K, c is the middle tap.
 * - 'circular': the same sum with x periodic (index modulo L); output length L; scipy's
 *   convolve2d(x, k, 'same', boundary='wrap'). Taps beyond L wrap around and add up.
 * - 'valid': out[i] = sum_j k[j] x[i + K - 1 - j] for i = 0..L-K, the products that need no
 *   padding; output length L - K + 1 (requires K <= L); numpy.convolve(x, k, 'valid').
 *
 * Each term reads the source at (destination + shift), shift = c - j (K - 1 - j for 'valid'). The
 * adjoint sends y back along the same terms: (A^T y)[l] = sum_j k[j] y[l - shift] over the
 * destinations that exist, a correlation with the same taps and the transposed boundary handling
 * (for 'zero' with even K this is NOT the same-size zero-padded convolution with the flipped
 * kernel: the centre moves by one). Both directions are planned here as, for each tap, at most two
 * runs of destinations [start, end) whose source is destination + offset, so the kernels have no
 * branches and no modulo in their inner loops.
 *
 * @module
 */

/** The boundary handling of a direct convolution. */
export type ConvolutionBoundary = 'zero' | 'circular' | 'valid';

/** The boundary modes, for argument checks. */
export const CONVOLUTION_BOUNDARIES: readonly ConvolutionBoundary[] = ['zero', 'circular', 'valid'];

/** The index plan of one axis. Run r of tap j occupies entries 6j + 3r .. 6j + 3r + 2: start, end, offset. */
export interface AxisPlan {
  /** Length of the input along the axis. */
  inLength: number;
  /** Length of the output along the axis. */
  outLength: number;
  /** Runs of the forward direction (destinations in the output, sources in the input). */
  apply: Int32Array;
  /** Runs of the adjoint (destinations in the input, sources in the output). */
  adjoint: Int32Array;
}

/** Writes the runs of destinations d in [0, destLength) whose source d + shift lies in [0, srcLength). */
function clipRuns(runs: Int32Array, at: number, destLength: number, srcLength: number, shift: number): void {
  const start = Math.max(0, -shift);
  const end = Math.min(destLength, srcLength - shift);
  if (start < end) runs.set([start, end, shift], at);
  // else: an empty run (zeros already there): the tap misses the signal entirely
}

/** Writes the two runs of d in [0, length) with source (d + shift) modulo length. */
function wrapRuns(runs: Int32Array, at: number, length: number, shift: number): void {
  const s = ((shift % length) + length) % length;
  runs.set([0, length - s, s, length - s, length, s - length], at);
}

/** The plan of one axis of length `length` for a kernel of `taps` taps. */
export function axisPlan(taps: number, length: number, boundary: ConvolutionBoundary): AxisPlan {
  const outLength = boundary === 'valid' ? length - taps + 1 : length;
  const apply = new Int32Array(6 * taps);
  const adjoint = new Int32Array(6 * taps);
  const centre = Math.floor((taps - 1) / 2);
  for (let j = 0; j < taps; j++) {
    const shift = boundary === 'valid' ? taps - 1 - j : centre - j;
    if (boundary === 'circular') {
      wrapRuns(apply, 6 * j, length, shift);
      wrapRuns(adjoint, 6 * j, length, -shift);
    } else {
      clipRuns(apply, 6 * j, outLength, length, shift);
      clipRuns(adjoint, 6 * j, length, outLength, -shift);
    }
  }
  return { inLength: length, outLength, apply, adjoint };
}

/**
 * ||A|| of the 2-D circular convolution with the kernel k (kh, kw) on (height, width) images:
 * max over frequencies (u, v) of |sum_ab k[a, b] exp(-2 pi i (u a / height + v b / width))|, the
 * largest modulus of the DFT of the kernel zero-padded (and wrapped) to the image size. A circular
 * convolution is a normal matrix (block circulant with circulant blocks) whose eigenvalues are
 * these DFT values times a phase from the centre, so this is exact up to rounding. Computed
 * directly in O(height kh kw + height width kw), one axis at a time, with angles reduced modulo
 * the period in integers. The 1-D case is kh = height = 1.
 */
export function circularConvolutionNorm(
  k: ArrayLike<number>,
  kh: number,
  kw: number,
  height: number,
  width: number,
): number {
  const cosH = Float64Array.from({ length: height }, (_, t) => Math.cos((2 * Math.PI * t) / height));
  const sinH = Float64Array.from({ length: height }, (_, t) => Math.sin((2 * Math.PI * t) / height));
  const cosW = Float64Array.from({ length: width }, (_, t) => Math.cos((2 * Math.PI * t) / width));
  const sinW = Float64Array.from({ length: width }, (_, t) => Math.sin((2 * Math.PI * t) / width));
  const gRe = new Float64Array(kw);
  const gIm = new Float64Array(kw);
  let largest = 0;
  for (let u = 0; u < height; u++) {
    // g[b] = sum_a k[a, b] exp(-2 pi i u a / height)
    gRe.fill(0);
    gIm.fill(0);
    for (let a = 0; a < kh; a++) {
      const t = (u * a) % height;
      for (let b = 0; b < kw; b++) {
        gRe[b] += k[a * kw + b] * cosH[t];
        gIm[b] -= k[a * kw + b] * sinH[t];
      }
    }
    for (let v = 0; v < width; v++) {
      let re = 0;
      let im = 0;
      for (let b = 0; b < kw; b++) {
        const t = (v * b) % width;
        // (gRe + i gIm) (cos - i sin)
        re += gRe[b] * cosW[t] + gIm[b] * sinW[t];
        im += gIm[b] * cosW[t] - gRe[b] * sinW[t];
      }
      largest = Math.max(largest, Math.hypot(re, im));
    }
  }
  return largest;
}
