/**
 * Direct (FFT-free) 1-D convolution with a given kernel, for deblurring and convolutional models.
 * Boundary modes and the exact alignment are those of convolution-plan.ts: 'zero' and 'circular'
 * keep the length n (numpy.convolve(x, k, 'same') for 'zero'), 'valid' returns n - K + 1 entries.
 * O(n K) per signal. The adjoint is the correlation with the same taps over the transposed
 * index ranges, exact by construction.
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

/** The kernel of one direction: out = sum over taps and runs of k[j] * source shifted. */
function runsKernel(taps: Float64Array, runs: Int32Array, outLength: number): RowKernel {
  return (x, xOffset, out, outOffset) => {
    out.fill(0, outOffset, outOffset + outLength);
    for (let j = 0; j < taps.length; j++) {
      const kj = taps[j];
      if (kj === 0) continue;
      for (let r = 6 * j; r < 6 * j + 6; r += 3) {
        const src = xOffset + runs[r + 2];
        const end = runs[r + 1]; // hoisted: the loop bound must not be reloaded after each store
        for (let d = runs[r]; d < end; d++) out[outOffset + d] += kj * x[src + d];
      }
    }
  };
}

/**
 * The 1-D convolution with `kernel` (K >= 1 taps) on signals of length n:
 * (A x)[i] = sum_j kernel[j] x[i + c - j], c = floor((K - 1) / 2), with x zero outside [0, n)
 * for boundary 'zero' (default), periodic for 'circular', and i = 0..n-K with
 * x[i + K - 1 - j] for 'valid' (outputSize n - K + 1, requires K <= n).
 * Norm: exact for 'circular' (max |DFT of the kernel| over the n frequencies), power iteration
 * otherwise.
 */
export function convolution1d(
  kernel: Tensor,
  n: number,
  boundary: ConvolutionBoundary = 'zero',
): KernelOperator {
  const fn = 'convolution1d';
  checkTensor(fn, 'kernel', kernel, { rank: 1 });
  if (kernel.size < 1) rangeError(fn, 'kernel', 'a tensor of rank 1 with at least one entry', kernel);
  checkInteger(fn, 'n', n, { min: 1 });
  const mode = checkOneOf(fn, 'boundary', boundary, CONVOLUTION_BOUNDARIES);
  const taps = Float64Array.from(unsafeData(kernel)); // a private copy (the kernels read it in loops)
  const K = taps.length;
  if (mode === 'valid' && K > n)
    rangeError(fn, 'kernel', `a tensor of length <= n (${n}) for boundary 'valid'`, kernel);
  const plan = axisPlan(K, n, mode);
  return defineOperator({
    fn,
    name: `convolution1d(k=${K}, ${mode}, n=${n})`,
    inputSize: n,
    outputSize: plan.outLength,
    applyRow: runsKernel(taps, plan.apply, plan.outLength),
    adjointRow: runsKernel(taps, plan.adjoint, n),
    // Zero padding and 'valid' select rows and columns of the circular convolution on a period of
    // n + K - 1 (n for 'valid': no product wraps), whose exact norm bounds theirs.
    norm:
      mode === 'circular'
        ? () => exactNorm(circularConvolutionNorm(taps, 1, K, 1, n))
        : (self) =>
            boundedPowerNorm(circularConvolutionNorm(taps, 1, K, 1, mode === 'zero' ? n + K - 1 : n))(self),
  });
}
