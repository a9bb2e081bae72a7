/**
 * Vertical stacking of operators with a common input: [A1; A2; ...] x = (A1 x, A2 x, ...).
 *
 * @module
 */
import { Got, isArray, rangeError, typeError } from '../validate/index.js';
import type { LinearOperator } from './types.js';
import {
  adjointKernelOf,
  applyKernelOf,
  checkOperator,
  defineOperator,
  growableBuffer,
  type KernelOperator,
} from './define.js';
import { powerNormEstimate } from './norm.js';

/**
 * The stack [A1; A2; ...; Ak] of operators with the same inputSize: the output is the
 * concatenation A1 x, A2 x, ... (outputSize = sum of theirs); the adjoint of (y1, y2, ...) is
 * sum_i Ai^T yi. E.g. stacking two differences operators gives a combined analysis operator.
 * Norm by power iteration (sqrt(sum ||Ai||^2) is only an upper bound).
 */
export function stackOperators(operators: readonly LinearOperator[]): KernelOperator {
  const fn = 'stackOperators';
  if (!isArray(operators)) typeError(fn, 'operators', 'an array of LinearOperators', operators);
  if (operators.length < 1) rangeError(fn, 'operators', 'an array of at least one LinearOperator', operators);
  operators.forEach((op, i) => checkOperator(fn, `operators[${i}]`, op));
  const m = operators[0].inputSize;
  operators.forEach((op, i) => {
    if (op.inputSize !== m)
      rangeError(
        fn,
        `operators[${i}]`,
        `an operator with inputSize ${m} (that of operators[0])`,
        new Got(`an operator with inputSize ${op.inputSize}`),
      );
  });
  const sizes = operators.map((op) => op.outputSize);
  const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((s, t) => s + t, 0));
  const n = sizes.reduce((s, t) => s + t, 0);
  const applies = operators.map(applyKernelOf);
  const adjoints = operators.map(adjointKernelOf);
  const workIn = growableBuffer();
  const workOut = growableBuffer();
  return defineOperator({
    fn,
    name: `stack(${operators.map((op) => op.name).join(', ')})`,
    inputSize: m,
    outputSize: n,
    applyBatch: (x, batch, out) => {
      for (let k = 0; k < applies.length; k++) {
        const size = sizes[k];
        const t = workOut(batch * size);
        applies[k](x, batch, t);
        for (let r = 0; r < batch; r++) {
          const dst = r * n + offsets[k];
          for (let i = 0; i < size; i++) out[dst + i] = t[r * size + i];
        }
      }
    },
    adjointBatch: (y, batch, out) => {
      out.fill(0, 0, batch * m);
      for (let k = 0; k < adjoints.length; k++) {
        const size = sizes[k];
        const yk = workIn(batch * size);
        for (let r = 0; r < batch; r++) {
          const src = r * n + offsets[k];
          for (let i = 0; i < size; i++) yk[r * size + i] = y[src + i];
        }
        const t = workOut(batch * m);
        adjoints[k](yk, batch, t);
        for (let i = 0; i < batch * m; i++) out[i] += t[i];
      }
    },
    norm: powerNormEstimate,
  });
}
