/**
 * Peak signal-to-noise ratio of an image (or any signal) against its clean version:
 *
 *     PSNR = 10 log10( peak^2 / MSE ),  MSE = mean over entries of (x - clean)^2
 *
 * with `peak` the largest possible value (1 for images scaled to [0, 1], 255 for 8-bit ones).
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkNumber, checkTensor, rangeError } from '../validate/index.js';

/** PSNR in dB of x against clean (same shape, at least one entry); Infinity when they are equal. */
export function psnr(x: Tensor, clean: Tensor, peak = 1): number {
  const fn = 'psnr';
  checkTensor(fn, 'x', x);
  if (x.size === 0) rangeError(fn, 'x', 'a tensor with at least one entry', x);
  checkTensor(fn, 'clean', clean, { shape: x.shape });
  checkNumber(fn, 'peak', peak, { min: 0, exclusiveMin: true });
  const a = x.data;
  const b = clean.data;
  let sum = 0;
  for (let k = 0; k < a.length; k++) {
    const d = a[k] - b[k];
    sum += d * d;
  }
  // 20 log10(peak) rather than peak^2, which could overflow.
  return 20 * Math.log10(peak) - 10 * Math.log10(sum / a.length);
}
