/**
 * The batch and rank plumbing shared by every operator: an operator is written as raw kernels
 * (per signal, or per batch where a batch kernel is faster, e.g. a GEMM) and
 * {@link defineOperator} turns them into a {@link LinearOperator} with checked `apply` /
 * `adjoint` for rank-1 signals and rank-2 batches, the unchecked `applyInto` / `adjointInto`
 * batch kernels, and a norm computed once on first use.
 *
 * @module
 */
import { checkTensor, describe, rangeError, typeError } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import type { LinearOperator, NormEstimate } from './types.js';

/**
 * Kernel for one signal: reads `inSize` entries of `x` from `xOffset` and overwrites `outSize`
 * entries of `out` from `outOffset`. Unchecked; `out` never aliases `x`.
 */
export type RowKernel = (x: Float64Array, xOffset: number, out: Float64Array, outOffset: number) => void;

/**
 * Kernel for a batch: reads `batch` rows of `x` (row-major from index 0) and overwrites `batch`
 * rows of `out`. Unchecked; `out` never aliases `x`.
 */
export type BatchKernel = (x: Float64Array, batch: number, out: Float64Array) => void;

/** What an operator implementation provides; see {@link defineOperator}. */
export interface OperatorSpec {
  /** The constructor's name, used as the prefix of messages: 'convolution1d' gives 'convolution1d.apply: ...'. */
  fn: string;
  /** The description shown as `name`, e.g. 'convolution1d(k=5, zero, n=64)'. */
  name: string;
  /** Columns of the matrix (length of an input signal). */
  inputSize: number;
  /** Rows of the matrix (length of an output signal). */
  outputSize: number;
  /** A x for one signal (needed unless `applyBatch` is given). */
  applyRow?: RowKernel;
  /** A^T y for one signal (needed unless `adjointBatch` is given). */
  adjointRow?: RowKernel;
  /** A x for a batch; default: `applyRow` on each row. */
  applyBatch?: BatchKernel;
  /** A^T y for a batch; default: `adjointRow` on each row. */
  adjointBatch?: BatchKernel;
  /** The norm estimate; called at most once, on the first `norm()`. Receives the finished operator. */
  norm: (self: LinearOperator) => NormEstimate;
}

/** A LinearOperator whose raw batch kernels are always present (every operator of this library). */
export interface KernelOperator extends LinearOperator {
  /** A x for `batch` row-major signals of `x` into `out`; unchecked, allocation-free, `out` not aliasing `x`. */
  applyInto(x: Float64Array, batch: number, out: Float64Array): void;
  /** A^T y for `batch` rows of `y` into `out`; unchecked, allocation-free, `out` not aliasing `y`. */
  adjointInto(y: Float64Array, batch: number, out: Float64Array): void;
}

/** Loops a row kernel over a batch. */
function rowsToBatch(kernel: RowKernel, inSize: number, outSize: number): BatchKernel {
  return (x, batch, out) => {
    for (let r = 0; r < batch; r++) kernel(x, r * inSize, out, r * outSize);
  };
}

/**
 * The batch kernel of one direction, with the empty cases handled once here: no output entries
 * means nothing to write, no input entries means the output is zero (an empty sum).
 */
function batchKernel(
  fn: string,
  row: RowKernel | undefined,
  batch: BatchKernel | undefined,
  inSize: number,
  outSize: number,
): BatchKernel {
  const kernel = batch ?? (row ? rowsToBatch(row, inSize, outSize) : undefined);
  if (!kernel) throw new Error(`${fn}: internal error: an operator needs a row or a batch kernel`);
  if (outSize === 0) return () => {};
  if (inSize === 0) return (_x, batch, out) => out.fill(0, 0, batch * outSize);
  return kernel;
}

/**
 * Checks the argument of `apply` / `adjoint`: a finite tensor of shape [size] or [N, size].
 * The message names both accepted shapes, e.g.
 * `convolution1d.apply: argument 'x' must be a tensor of shape [8] or [*, 8]. Got a tensor of shape [7].`
 */
export function checkSignal(fn: string, name: string, value: unknown, size: number): Tensor {
  const requirement = `a tensor of shape [${size}] or [*, ${size}]`;
  const t = checkTensor(fn, name, value, { rank: [1, 2], finite: false });
  if (t.shape[t.rank - 1] !== size) rangeError(fn, name, requirement, t);
  return checkTensor(fn, name, t); // finite entries
}

/** Runs a batch kernel on a checked signal or batch and wraps the result with the same rank. */
function run(kernel: BatchKernel, t: Tensor, outSize: number): Tensor {
  const batch = t.rank === 1 ? 1 : t.shape[0];
  const out = new Float64Array(batch * outSize);
  kernel(unsafeData(t), batch, out);
  return wrap(out, t.rank === 1 ? [outSize] : [batch, outSize]);
}

/** A frozen estimate marked exact (closed form, up to rounding). */
export function exactNorm(value: number): NormEstimate {
  return Object.freeze({ value, exact: true, tolerance: 0 });
}

/**
 * Builds a {@link LinearOperator} from raw kernels: `apply` / `adjoint` check their argument
 * (rank 1 or 2, last axis of the right length, finite entries: RangeError / TypeError with the
 * template message prefixed by `spec.fn + '.apply'` or `'.adjoint'`) and return new tensors of the
 * same rank; `applyInto` / `adjointInto` are the unchecked batch kernels; `norm()` calls
 * `spec.norm` once and returns the same frozen estimate afterwards.
 *
 * Kernels are trusted: they must write every entry of their output and never write their input.
 * Use it to add an operator of your own that composes with the rest of the library.
 */
export function defineOperator(spec: OperatorSpec): KernelOperator {
  const { fn, inputSize, outputSize } = spec;
  const applyInto = batchKernel(fn, spec.applyRow, spec.applyBatch, inputSize, outputSize);
  const adjointInto = batchKernel(fn, spec.adjointRow, spec.adjointBatch, outputSize, inputSize);
  let cachedNorm: NormEstimate | undefined;
  const op: KernelOperator = {
    name: spec.name,
    inputSize,
    outputSize,
    apply: (x: Tensor) => run(applyInto, checkSignal(`${fn}.apply`, 'x', x, inputSize), outputSize),
    adjoint: (y: Tensor) => run(adjointInto, checkSignal(`${fn}.adjoint`, 'y', y, outputSize), inputSize),
    norm: () => (cachedNorm ??= Object.freeze({ ...spec.norm(op) })),
    applyInto,
    adjointInto,
  };
  return Object.freeze(op);
}

/**
 * Checks that a value is a LinearOperator: an object with integer sizes >= 0 and the functions
 * `apply`, `adjoint` and `norm` (TypeError otherwise).
 */
export function checkOperator(fn: string, name: string, value: unknown): LinearOperator {
  const requirement = 'a LinearOperator (inputSize, outputSize, apply, adjoint, norm)';
  if (value === null || typeof value !== 'object') typeError(fn, name, requirement, value);
  const op = value as Partial<LinearOperator>;
  const sizeOk = (s: unknown) => typeof s === 'number' && Number.isInteger(s) && s >= 0;
  if (
    !sizeOk(op.inputSize) ||
    !sizeOk(op.outputSize) ||
    typeof op.apply !== 'function' ||
    typeof op.adjoint !== 'function' ||
    typeof op.norm !== 'function'
  )
    typeError(fn, name, requirement, value);
  return value as LinearOperator;
}

/** The operator's raw kernel, or a fallback through `apply` / `adjoint` for foreign operators. */
function rawKernel(op: LinearOperator, adjoint: boolean): BatchKernel {
  if (adjoint && op.adjointInto) return op.adjointInto.bind(op);
  if (!adjoint && op.applyInto) return op.applyInto.bind(op);
  const inSize = adjoint ? op.outputSize : op.inputSize;
  const outSize = adjoint ? op.inputSize : op.outputSize;
  return (x, batch, out) => {
    // Foreign operators only have the tensor API: wrap the input (they never write it), copy the result.
    const t = wrap(x.subarray(0, batch * inSize), [batch, inSize]);
    const result = adjoint ? op.adjoint(t) : op.apply(t);
    if (result.size !== batch * outSize) {
      const what = adjoint ? 'adjoint' : 'apply';
      throw new RangeError(
        `${op.name}: ${what} returned ${describe(result)} for a batch of shape [${batch}, ${inSize}]`,
      );
    }
    out.set(result.data, 0);
  };
}

/** The batch kernel of `op` in the direction A x, for any LinearOperator (see {@link operatorApplyInto}). */
export function applyKernelOf(op: LinearOperator): BatchKernel {
  return rawKernel(op, false);
}

/** The batch kernel of `op` in the direction A^T y, for any LinearOperator. */
export function adjointKernelOf(op: LinearOperator): BatchKernel {
  return rawKernel(op, true);
}

/**
 * A x for `batch` signals in `x` (row-major) into `out`, unchecked: the operator's own
 * `applyInto` when it has one (every operator of this library), else `apply` on a tensor that
 * wraps `x` without copying, its result copied into `out` (this path allocates). For solver loops
 * that accept any LinearOperator.
 */
export function operatorApplyInto(
  op: LinearOperator,
  x: Float64Array,
  batch: number,
  out: Float64Array,
): void {
  if (op.applyInto) op.applyInto(x, batch, out);
  else rawKernel(op, false)(x, batch, out);
}

/** A^T y for `batch` rows of `y` into `out`, unchecked (see {@link operatorApplyInto}). */
export function operatorAdjointInto(
  op: LinearOperator,
  y: Float64Array,
  batch: number,
  out: Float64Array,
): void {
  if (op.adjointInto) op.adjointInto(y, batch, out);
  else rawKernel(op, true)(y, batch, out);
}

/**
 * A work buffer that grows on demand and is reused between calls: `get(length)` returns a buffer
 * of at least `length` entries (its contents are garbage). Combinators keep one per operator for
 * their intermediate results, so their kernels allocate only when a batch is larger than any
 * before. Safe because kernels never run concurrently and an operator never contains itself.
 */
export function growableBuffer(): (length: number) => Float64Array {
  let buffer = new Float64Array(0);
  return (length) => {
    if (buffer.length < length) buffer = new Float64Array(length);
    return buffer;
  };
}
