/**
 * Argument checks for the public boundary, with the one message template of the project:
 *
 *     fista: argument 'lambda' must be a finite number >= 0. Got -1.
 *
 * TypeError for the wrong kind of value, RangeError for a wrong shape, range or non-finite
 * value. Public functions check once, then call unchecked internals.
 *
 * @module
 */
import { Tensor } from '../tensor/tensor.js';

/** A ready-made description for the "Got ..." part, used as is. */
export class Got {
  constructor(readonly text: string) {}
}

/** Short, readable description of any value for the "Got ..." part of a message. */
export function describe(value: unknown): string {
  if (value instanceof Got) return value.text;
  if (value instanceof Tensor) return `a tensor of shape [${value.shape.join(', ')}]`;
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '...' : value);
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) {
    const short = value.length <= 8 && value.every((v) => typeof v === 'number' || typeof v === 'string');
    return short ? `[${value.map((v) => describe(v)).join(', ')}]` : `an array of length ${value.length}`;
  }
  if (ArrayBuffer.isView(value))
    return `a ${value.constructor.name} of length ${(value as Float64Array).length}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `an object (${value.constructor?.name ?? 'Object'})`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'bigint') return `${value}n`;
  return value ? 'true' : 'false';
}

/** Array.isArray without narrowing: for runtime checks of parameters typed as arrays. */
export function isArray(value: unknown): boolean {
  return Array.isArray(value);
}

/** The message template: `fn: argument 'name' must be <requirement>. Got <value>.` */
export function message(fn: string, name: string, requirement: string, value: unknown): string {
  return `${fn}: argument '${name}' must be ${requirement}. Got ${describe(value)}.`;
}

/** Throw a TypeError with the template message. */
export function typeError(fn: string, name: string, requirement: string, value: unknown): never {
  throw new TypeError(message(fn, name, requirement, value));
}

/** Throw a RangeError with the template message. */
export function rangeError(fn: string, name: string, requirement: string, value: unknown): never {
  throw new RangeError(message(fn, name, requirement, value));
}

/** Bounds for a numeric check. `min`/`max` are inclusive unless `exclusiveMin`/`exclusiveMax`. */
export interface NumberBounds {
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
}

function boundsText(b: NumberBounds): string {
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`${b.exclusiveMin ? '>' : '>='} ${b.min}`);
  if (b.max !== undefined) parts.push(`${b.exclusiveMax ? '<' : '<='} ${b.max}`);
  return parts.length ? ' ' + parts.join(' and ') : '';
}

function outOfBounds(x: number, b: NumberBounds): boolean {
  if (b.min !== undefined && (b.exclusiveMin ? x <= b.min : x < b.min)) return true;
  if (b.max !== undefined && (b.exclusiveMax ? x >= b.max : x > b.max)) return true;
  return false;
}

/** A finite number within optional bounds. */
export function checkNumber(fn: string, name: string, value: unknown, bounds: NumberBounds = {}): number {
  const requirement = `a finite number${boundsText(bounds)}`;
  if (typeof value !== 'number') typeError(fn, name, requirement, value);
  if (!Number.isFinite(value) || outOfBounds(value, bounds)) rangeError(fn, name, requirement, value);
  return value;
}

/** An integer within optional bounds (inclusive). */
export function checkInteger(fn: string, name: string, value: unknown, bounds: NumberBounds = {}): number {
  const requirement = `an integer${boundsText(bounds)}`;
  if (typeof value !== 'number') typeError(fn, name, requirement, value);
  if (!Number.isInteger(value) || outOfBounds(value, bounds)) rangeError(fn, name, requirement, value);
  return value;
}

/** A shape: a non-empty array of integers >= 0 (length within `ranks` when given). */
export function checkShape(
  fn: string,
  name: string,
  value: unknown,
  ranks?: readonly number[],
): readonly number[] {
  const requirement = `a shape (an array of integers >= 0${ranks ? ` of length ${ranks.join(' or ')}` : ''})`;
  if (!Array.isArray(value)) typeError(fn, name, requirement, value);
  for (const d of value) {
    if (typeof d !== 'number') typeError(fn, name, requirement, value);
    if (!Number.isInteger(d) || d < 0) rangeError(fn, name, requirement, value);
  }
  if (value.length === 0 || (ranks && !ranks.includes(value.length)))
    rangeError(fn, name, requirement, value);
  return value as number[];
}

/** Requirements on a tensor argument. */
export interface TensorSpec {
  /** Allowed ranks. */
  rank?: number | readonly number[];
  /** Expected shape; `-1` means any size along that axis. */
  shape?: readonly number[];
  /** Reject NaN and infinities (a full scan; default true). */
  finite?: boolean;
}

/** A Tensor with the given rank / shape and (by default) finite entries. */
export function checkTensor(fn: string, name: string, value: unknown, spec: TensorSpec = {}): Tensor {
  const ranks = spec.rank === undefined ? undefined : typeof spec.rank === 'number' ? [spec.rank] : spec.rank;
  const kind = ranks ? `a tensor of rank ${ranks.join(' or ')}` : 'a tensor';
  if (!(value instanceof Tensor)) typeError(fn, name, kind, value);
  if (ranks && !ranks.includes(value.rank)) rangeError(fn, name, kind, value);
  if (spec.shape) {
    const want = spec.shape;
    const ok = want.length === value.rank && want.every((d, i) => d < 0 || d === value.shape[i]);
    if (!ok)
      rangeError(fn, name, `a tensor of shape [${want.map((d) => (d < 0 ? '*' : d)).join(', ')}]`, value);
  }
  if (spec.finite !== false) checkFinite(fn, name, value);
  return value;
}

/** Every entry of a tensor is finite. */
export function checkFinite(fn: string, name: string, t: Tensor): Tensor {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) {
      rangeError(
        fn,
        name,
        'a tensor of finite values',
        new Got(`${d[i]} at flat index ${i} of ${describe(t)}`),
      );
    }
  }
  return t;
}

/** Two sizes that must agree, e.g. inner dimensions of a product. */
export function checkSameSize(fn: string, name: string, got: number, expected: number, what: string): void {
  if (got !== expected) rangeError(fn, name, `${what} ${expected}`, got);
}

/** A boolean flag. */
export function checkBoolean(fn: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') typeError(fn, name, 'a boolean', value);
  return value;
}

/** One of a fixed set of strings. */
export function checkOneOf<T extends string>(
  fn: string,
  name: string,
  value: unknown,
  options: readonly T[],
): T {
  const requirement = `one of ${options.map((o) => `'${o}'`).join(', ')}`;
  if (typeof value !== 'string') typeError(fn, name, requirement, value);
  if (!options.includes(value as T)) rangeError(fn, name, requirement, value);
  return value as T;
}
