/**
 * Reading and checking command-line inputs: numbers from option strings and arrays from .npy
 * files, with every problem reported as a UsageError (one line, exit 2).
 *
 * @module
 */
import { FileFormatError, readNpy } from '../io/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { UsageError } from './command.js';

/** The value of `--name` as a finite number within bounds, or undefined when absent. */
export function numberOption(
  name: string,
  text: string | undefined,
  bounds: { min?: number; integer?: boolean } = {},
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const kind = bounds.integer ? 'an integer' : 'a finite number';
  const min = bounds.min !== undefined ? ` >= ${bounds.min}` : '';
  const ok = text.trim() !== '' && Number.isFinite(value) && (!bounds.integer || Number.isInteger(value));
  if (!ok || (bounds.min !== undefined && value < bounds.min))
    throw new UsageError(`--${name} must be ${kind}${min}. Got '${text}'.`);
  return value;
}

/** A required option's value. */
export function required(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required.`);
  return value;
}

/** Reports a file that cannot be read (missing, malformed, a directory, ...) as a UsageError. */
export function asUsageError(option: string, e: unknown): never {
  const systemError = e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
  if (e instanceof FileFormatError || systemError) throw new UsageError(`--${option}: ${e.message}`);
  throw e;
}

/** An array of finite values read from a .npy file named by `--option`, with a one-line error otherwise. */
export function readArray(option: string, path: string): Tensor {
  let t: Tensor;
  try {
    t = readNpy(path);
  } catch (e) {
    asUsageError(option, e);
  }
  for (let k = 0; k < t.size; k++) {
    if (!Number.isFinite(t.data[k]))
      throw new UsageError(
        `--${option} ${path} must hold finite values. Got ${t.data[k]} at flat index ${k}.`,
      );
  }
  return t;
}

/** A matrix (rank 2) read from a .npy file named by `--option`, with a one-line error otherwise. */
export function readMatrix(option: string, path: string): Tensor {
  const t = readArray(option, path);
  if (t.rank !== 2)
    throw new UsageError(`--${option} ${path} must hold a 2-D array. Got shape [${t.shape.join(', ')}].`);
  return t;
}
