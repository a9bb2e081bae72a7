/**
 * The check of a `backend` option at the public boundary: an object with the {@link Backend}
 * kernels (the CPU backend, or one from `createGpuBackend` of `unfolded/gpu`).
 *
 * @module
 */
import { typeError } from '../validate/index.js';
import type { Backend } from './types.js';

const METHODS = [
  'upload',
  'download',
  'release',
  'times',
  'transposeTimes',
  'affine',
  'shrinkAffine',
  'maskedGradient',
  'thresholdGradient',
  'combine',
  'dot',
] as const;

/** `value` as a Backend, or the template TypeError naming `fn` and `name`. */
export function checkBackend(fn: string, name: string, value: unknown): Backend {
  const ok =
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { name?: unknown }).name === 'string' &&
    METHODS.every((k) => typeof (value as Record<string, unknown>)[k] === 'function');
  if (!ok) typeError(fn, name, "a backend (cpuBackend, or createGpuBackend() of 'unfolded/gpu')", value);
  return value as Backend;
}
