/**
 * The immutable Tensor: a contiguous, row-major Float64 array with a shape.
 *
 * A Tensor never changes after construction. Its `data` is typed read-only, so user code cannot
 * write into it without a cast; every operation returns a new Tensor (or a view that shares the
 * buffer, which is safe because nobody writes). Only the library's low-level kernels reach the
 * writable buffer, through {@link unsafeData}, and only on tensors they have just allocated.
 *
 * @module
 */

/** Mutating members of Float64Array that a read-only view must not expose. */
export type Mutators = 'set' | 'fill' | 'copyWithin' | 'reverse' | 'sort';

/** A Float64Array that can be read but not written (index writes and mutators are type errors). */
export type ReadonlyFloat64Array = Omit<Float64Array, Mutators | number | 'subarray'> & {
  readonly [index: number]: number;
  subarray(begin?: number, end?: number): ReadonlyFloat64Array;
};

/** Shapes are plain read-only arrays of sizes, e.g. `[N, n]`. */
export type Shape = readonly number[];

/** Number of entries of a shape. */
export function shapeSize(shape: Shape): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}

export class Tensor {
  /** Sizes along each axis, outermost first. */
  readonly shape: Shape;
  /** Number of axes. */
  readonly rank: number;
  /** Number of entries. */
  readonly size: number;
  /** @internal the writable buffer, reachable by library kernels only through unsafeData. */
  readonly #buffer: Float64Array;

  /**
   * @internal Wraps `buffer` without copying. Use the constructors of tensor/create instead;
   * the caller gives up the right to write into `buffer`.
   */
  constructor(buffer: Float64Array, shape: Shape) {
    this.#buffer = buffer;
    this.shape = Object.freeze(shape.slice());
    this.rank = shape.length;
    this.size = buffer.length;
  }

  /** The entries, row-major, read-only. */
  get data(): ReadonlyFloat64Array {
    return this.#buffer;
  }

  /** Entry at a multi-index, e.g. `t.get(i, j)`. Unchecked beyond the flat bounds. */
  get(...index: number[]): number {
    let flat = 0;
    for (let a = 0; a < index.length; a++) flat = flat * this.shape[a] + index[a];
    return this.#buffer[flat];
  }

  /** Nested plain arrays (or a number for rank 0), for printing and JSON. */
  toArray(): unknown {
    const build = (axis: number, offset: number): unknown => {
      const n = this.shape[axis];
      if (axis === this.rank - 1) return Array.from(this.#buffer.subarray(offset, offset + n));
      const stride = shapeSize(this.shape.slice(axis + 1));
      return Array.from({ length: n }, (_, i) => build(axis + 1, offset + i * stride));
    };
    return this.rank === 0 ? this.#buffer[0] : build(0, 0);
  }

  /** A short description, e.g. `Tensor(3x4)`. */
  toString(): string {
    return `Tensor(${this.shape.join('x')})`;
  }

  /** @internal */
  static unsafeData(t: Tensor): Float64Array {
    return t.#buffer;
  }
}

/**
 * @internal The writable buffer of a tensor, for library kernels only. Writing into a tensor that
 * anyone else can see breaks the immutability contract; kernels write only into tensors they
 * allocated and have not yet returned.
 */
export function unsafeData(t: Tensor): Float64Array {
  return Tensor.unsafeData(t);
}

/** @internal Wraps a freshly allocated buffer as a tensor (no copy, no checks). */
export function wrap(buffer: Float64Array, shape: Shape): Tensor {
  return new Tensor(buffer, shape);
}
