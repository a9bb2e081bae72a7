/**
 * Argument checks shared by the unrolled layers (messages follow the project template).
 *
 * @module
 */
import { checkTensor, typeError } from '../validate/index.js';
import { unsafeData } from '../tensor/tensor.js';

/** @internal Checks a layer input against (n, m): z (N, m), y (N, n). Returns N. */
export function checkLayerInput(fn: string, input: unknown, n: number, m: number): number {
  if (input === null || typeof input !== 'object') typeError(fn, 'input', 'an object { z, y }', input);
  const { z, y } = input as { z?: unknown; y?: unknown };
  const zt = checkTensor(fn, 'input.z', z, { rank: 2, shape: [-1, m] });
  checkTensor(fn, 'input.y', y, { rank: 2, shape: [zt.shape[0], n] });
  return zt.shape[0];
}

/** @internal Checks gradOutput (N, m); returns its data. */
export function checkGradOutput(fn: string, gradOutput: unknown, N: number, m: number): Float64Array {
  return unsafeData(checkTensor(fn, 'gradOutput', gradOutput, { shape: [N, m] }));
}
