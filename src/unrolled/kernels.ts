/**
 * The products of the unrolled layers, support-aware when an operand is sparse enough and dense
 * blocked GEMM otherwise. The codes Z entering a layer and the masked gradient Ĝ (the threshold's
 * VJP output, non-zero only where an entry passed the threshold) have many zeros; skipping them
 * (src/linalg/sparse-rows.ts) saves time in proportion, but a support-aware product costs more per
 * multiply-add than the blocked GEMM, so below a density cut-off the sparse kernel is used and
 * above it the GEMM (the cut-off {@link DENSITY_CUTOFF} was measured, see there).
 *
 * Every product is written for X given as dense rows (N x m) with, optionally, its support
 * gathered once ({@link gatherIfSparse}) so that a caller that multiplies the same X several times
 * (Ĝ in a backward pass: Ĝ W2, Ĝ W1, Ĝᵀ Y, Ĝᵀ Z) scans it once:
 *
 * - X Wᵀ and X W: the rows of X combine rows of W (or of W packed transposed);
 * - Xᵀ Y: the support of X is transposed (a counting sort by column), after which row j of the
 *   result combines the rows of Y at the samples where column j of X is non-zero: the same
 *   strip kernel, and every output entry is written once.
 *
 * Skipping zeros gives the dense result up to rounding (the order of the additions differs).
 *
 * The switch {@link setKernelMode} forces the dense path everywhere ('dense'), for benchmarks that
 * compare both in one run and for tests; the default 'auto' chooses by density. Scratch buffers are
 * module-level and grown on demand (JavaScript is single-threaded and the kernels never call back
 * into user code).
 *
 * @module
 */
import { gemmInto } from '../linalg/gemm.js';
import {
  gatherSupportInto,
  supportTimesInto,
  supportTimesTInto,
  type RowSupport,
} from '../linalg/sparse-rows.js';

/** Which kernels the layers use: 'auto' (by density) or 'dense' (always blocked GEMM). */
export type KernelMode = 'auto' | 'dense';

let mode: KernelMode = 'auto';

/**
 * @internal Sets the kernel mode of the unrolled layers and returns the previous one. 'dense'
 * forces the blocked GEMM for every product (the reference, and the benchmark's comparison);
 * 'auto' (the default) uses the support-aware products below the density cut-offs. Both give
 * the same results up to rounding.
 */
export function setKernelMode(next: KernelMode): KernelMode {
  const previous = mode;
  mode = next === 'dense' ? 'dense' : 'auto';
  return previous;
}

/** @internal The current kernel mode. */
export function kernelMode(): KernelMode {
  return mode;
}

/** @internal How many products ran on each path since the module loaded (for tests). */
export const kernelCounts = { sparse: 0, dense: 0 };

/**
 * The density (non-zeros / entries of X) below which the support-aware products are used. Measured
 * on the benchmark's shapes (batches of 100, codes of 256, signals of 64; every product kind of
 * this module): the support-aware product costs about 1.9 times as much per multiply-add as the
 * blocked GEMM (it walks an index list and cannot share loads between rows), so the two cross at
 * densities between 0.45 and 0.55 (at 0.1 the sparse product is 3.5-5.5 times faster, at 0.9 about
 * 1.7 times slower). `npm run bench -- unrolled` prints the crossing table.
 */
export const DENSITY_CUTOFF = 0.5;

/** A growable compressed-row support (see RowSupport in linalg/sparse-rows.ts). */
export class SupportBuffer implements RowSupport {
  rows = 0;
  cols = 0;
  offsets = new Int32Array(1);
  indices = new Int32Array(0);
  values = new Float64Array(0);

  /** Makes room for `rows` rows and `nnz` non-zeros (contents are not kept). */
  reserve(rows: number, nnz: number): void {
    if (this.offsets.length < rows + 1)
      this.offsets = new Int32Array(Math.max(rows + 1, 2 * this.offsets.length));
    if (this.indices.length < nnz) {
      const cap = Math.max(nnz, 2 * this.indices.length);
      this.indices = new Int32Array(cap);
      this.values = new Float64Array(cap);
    }
  }

  /** Number of non-zeros. */
  get nnz(): number {
    return this.offsets[this.rows];
  }
}

/** Scratch support of a transpose (Xᵀ Y). */
const transposed = new SupportBuffer();
/** Per-column counts for the transposition. */
let columnCursor = new Int32Array(0);

/** Number of non-zeros of x[0 .. len). */
export function countNonzeros(x: Float64Array, len: number): number {
  let c = 0;
  for (let k = 0; k < len; k++) if (x[k] !== 0) c++;
  return c;
}

/**
 * @internal The support of X (N x m) in `s` when the kernel mode is 'auto' and its density is
 * below `cutoff` (default {@link DENSITY_CUTOFF}); otherwise null (use the dense product). The
 * non-zeros are counted first, so a dense X costs one scan.
 */
export function gatherIfSparse(
  x: Float64Array,
  N: number,
  m: number,
  s: SupportBuffer,
  cutoff = DENSITY_CUTOFF,
): SupportBuffer | null {
  if (mode === 'dense' || N * m === 0) return null;
  const nnz = countNonzeros(x, N * m);
  if (nnz >= cutoff * N * m) return null;
  s.reserve(N, nnz);
  gatherSupportInto(x, N, m, s.offsets, s.indices, s.values);
  s.rows = N;
  s.cols = m;
  return s;
}

/** The support of the transpose of `s` (cols x rows), into the module's scratch. */
function transposeSupport(s: SupportBuffer): SupportBuffer {
  const { rows, cols } = s;
  const nnz = s.nnz;
  const t = transposed;
  t.reserve(cols, nnz);
  if (columnCursor.length < cols) columnCursor = new Int32Array(Math.max(cols, 2 * columnCursor.length));
  const cursor = columnCursor;
  cursor.fill(0, 0, cols);
  const { offsets, indices, values } = s;
  for (let k = 0; k < nnz; k++) cursor[indices[k]]++;
  const to = t.offsets;
  to[0] = 0;
  for (let j = 0; j < cols; j++) {
    to[j + 1] = to[j] + cursor[j];
    cursor[j] = to[j];
  }
  // Rows visited in increasing order, so each column's samples come out sorted.
  const ti = t.indices;
  const tv = t.values;
  for (let i = 0; i < rows; i++) {
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      const d = cursor[indices[k]]++;
      ti[d] = i;
      tv[d] = values[k];
    }
  }
  t.rows = cols;
  t.cols = rows;
  return t;
}

/**
 * @internal out (N x p) = X Wᵀ for X (N x m) and W (p x m), row-major; `s` is X's support or null
 * for the dense product. Overwrites out[0 .. N p).
 */
export function timesTInto(
  x: Float64Array,
  s: SupportBuffer | null,
  N: number,
  m: number,
  w: Float64Array,
  p: number,
  out: Float64Array,
): void {
  if (s === null) {
    kernelCounts.dense++;
    gemmInto(x, w, out, N, m, p, false, true);
  } else {
    kernelCounts.sparse++;
    supportTimesTInto(s, w, p, out);
  }
}

/**
 * @internal out (N x p) = X W for X (N x m) and W (m x p), row-major; `s` is X's support or null
 * for the dense product. Overwrites out[0 .. N p).
 */
export function timesInto(
  x: Float64Array,
  s: SupportBuffer | null,
  N: number,
  m: number,
  w: Float64Array,
  p: number,
  out: Float64Array,
): void {
  if (s === null) {
    kernelCounts.dense++;
    gemmInto(x, w, out, N, m, p, false, false);
  } else {
    kernelCounts.sparse++;
    supportTimesInto(s, w, p, out);
  }
}

/**
 * @internal out (m x p) = Xᵀ Y for X (N x m) and Y (N x p), row-major; `s` is X's support or null
 * for the dense product. Overwrites out[0 .. m p).
 */
export function transposeTimesInto(
  x: Float64Array,
  s: SupportBuffer | null,
  N: number,
  m: number,
  y: Float64Array,
  p: number,
  out: Float64Array,
): void {
  if (s === null) {
    kernelCounts.dense++;
    gemmInto(x, y, out, m, N, p, true, false);
  } else {
    kernelCounts.sparse++;
    supportTimesInto(transposeSupport(s), y, p, out);
  }
}

/** @internal A module-level scratch Float64Array of at least `length` entries, by slot. */
const scratch: Float64Array[] = [];
export function scratchBuffer(slot: number, length: number): Float64Array {
  let b = scratch[slot];
  if (b === undefined || b.length < length) {
    b = new Float64Array(Math.max(length, 2 * (b?.length ?? 0)));
    scratch[slot] = b;
  }
  return b;
}
