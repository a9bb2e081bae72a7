/**
 * Support-aware products for batches of sparse rows: codes Z (N, m) with few non-zeros per row
 * times a dense matrix, at a cost proportional to nnz(Z) times the output width instead of
 * N * m * width.
 *
 * - Z W with W (m, p): row i of the result is sum over j in supp(z_i) of z_ij W[j, :], a
 *   combination of a few rows of W.
 * - Z W^T with W (p, m): entry (i, k) is sum over j in supp(z_i) of z_ij W[k, j]. This is the
 *   forward model Y = Z A^T of the project for a dictionary A (n, m), so it takes A as it is.
 *
 * Both walk the output row in strips of 8 columns with 8 sums in locals, so each output entry is
 * written once and the inner loop over the support has no stores. Z W reads W's rows directly.
 * Z W^T would read W column-wise (8 rows of W, far apart, per non-zero); when the batch is large
 * enough to touch W more than once it first copies each 8-row strip of W into a small
 * contiguous buffer, transposed (the packing of a GEMM), and otherwise it gathers directly.
 *
 * The `*Into` kernels scan Z for its non-zeros (N * m comparisons, cheap next to the products);
 * callers that reuse the same codes can gather the supports once with {@link gatherSupport} (a
 * compressed-row structure) and call the `support*Into` kernels, which never look at the zeros.
 *
 * Skipping zeros is exact in finite arithmetic (the results equal the dense products up to
 * rounding) but not with non-finite entries in W, where the dense product would give
 * 0 * Infinity = NaN; the public functions reject non-finite input, the kernels do not check.
 *
 * Scratch buffers are module-level and grown on demand; this is safe because JavaScript is
 * single-threaded and the kernels never call back into user code.
 *
 * @module
 */
import { checkTensor } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';

/**
 * The non-zeros of a batch of rows in compressed-row form: row i has the entries
 * `values[offsets[i] .. offsets[i + 1])` at the columns `indices[offsets[i] .. offsets[i + 1])`,
 * in increasing column order.
 */
export interface RowSupport {
  /** Number of rows N. */
  readonly rows: number;
  /** Length m of each row. */
  readonly cols: number;
  /** N + 1 offsets into `indices` and `values`; `offsets[N]` is the total number of non-zeros. */
  readonly offsets: Int32Array;
  /** Column of each non-zero, row by row. */
  readonly indices: Int32Array;
  /** Value of each non-zero, row by row. */
  readonly values: Float64Array;
}

/** Width of the output strips: 8 sums in locals (strips of 4 and 6 measured slower). */
const STRIP = 8;

/** Compressed-row scratch for the supports of one call, grown on demand. */
let scratchOffsets = new Int32Array(0);
let scratchIndices = new Int32Array(0);
let scratchValues = new Float64Array(0);
/** One strip of W^T (m x 8, row-major), grown on demand. */
let scratchStrip = new Float64Array(0);

/**
 * out (N x p) = Z (N x m) W (m x p), row-major, skipping the zeros of Z: row i of the result is
 * the combination of the rows j of W with z_ij != 0. Overwrites the first N * p entries of `out`,
 * which must not alias `z` or `w`. Unchecked; uses module-level scratch of length m.
 */
export function sparseRowsTimesInto(
  z: Float64Array,
  N: number,
  m: number,
  w: Float64Array,
  p: number,
  out: Float64Array,
): void {
  if (scratchIndices.length < m) growIndexScratch(m);
  const idx = scratchIndices;
  const val = scratchValues;
  for (let i = 0; i < N; i++) {
    // One row's support at a time: the scratch never needs more than m entries.
    const nnz = gatherRow(z, i * m, m, idx, val, 0);
    combineRows(idx, val, 0, nnz, w, p, out, i * p);
  }
}

/**
 * out (N x p) = Z (N x m) W^T for W of shape (p x m), row-major, skipping the zeros of Z.
 * Overwrites the first N * p entries of `out`, which must not alias `z` or `w`. Unchecked; uses
 * module-level scratch (the supports of Z and an m x 8 strip).
 */
export function sparseRowsTimesTInto(
  z: Float64Array,
  N: number,
  m: number,
  w: Float64Array,
  p: number,
  out: Float64Array,
): void {
  // Gather every row's support first: the strip loop below visits all rows once per strip.
  if (scratchOffsets.length < N + 1) scratchOffsets = new Int32Array(N + 1);
  const offsets = scratchOffsets;
  let idx = scratchIndices;
  let val = scratchValues;
  let nnz = 0;
  offsets[0] = 0;
  for (let i = 0; i < N; i++) {
    if (idx.length < nnz + m) {
      growIndexScratch(Math.max(nnz + m, 2 * idx.length));
      idx = scratchIndices;
      val = scratchValues;
    }
    nnz = gatherRow(z, i * m, m, idx, val, nnz);
    offsets[i + 1] = nnz;
  }
  timesTransposed(offsets, idx, val, N, m, w, p, out);
}

/**
 * The supports of the rows of Z (N x m), row-major, in compressed-row form. Two passes (count,
 * then fill) so that the result is allocated exactly once.
 */
export function gatherSupport(z: Float64Array, N: number, m: number): RowSupport {
  let total = 0;
  for (let k = 0; k < N * m; k++) if (z[k] !== 0) total++;
  const offsets = new Int32Array(N + 1);
  const indices = new Int32Array(total);
  const values = new Float64Array(total);
  gatherSupportInto(z, N, m, offsets, indices, values);
  return { rows: N, cols: m, offsets, indices, values };
}

/**
 * Writes the supports of the rows of Z (N x m) into caller-allocated buffers: offsets (N + 1) and
 * indices / values (at least the number of non-zeros). Unchecked.
 */
export function gatherSupportInto(
  z: Float64Array,
  N: number,
  m: number,
  offsets: Int32Array,
  indices: Int32Array,
  values: Float64Array,
): void {
  let t = 0;
  offsets[0] = 0;
  for (let i = 0, o = 0; i < N; i++, o += m) {
    for (let j = 0; j < m; j++) {
      const v = z[o + j];
      if (v !== 0) {
        indices[t] = j;
        values[t] = v;
        t++;
      }
    }
    offsets[i + 1] = t;
  }
}

/**
 * out (N x p) = Z W for Z given by its supports `s` (N x m) and W (m x p), row-major: the same
 * product as {@link sparseRowsTimesInto} without scanning the zeros. Unchecked.
 */
export function supportTimesInto(s: RowSupport, w: Float64Array, p: number, out: Float64Array): void {
  const { rows, offsets, indices, values } = s;
  for (let i = 0; i < rows; i++) combineRows(indices, values, offsets[i], offsets[i + 1], w, p, out, i * p);
}

/**
 * out (N x p) = Z W^T for Z given by its supports `s` (N x m) and W (p x m), row-major: the same
 * product as {@link sparseRowsTimesTInto} without scanning the zeros. Unchecked.
 */
export function supportTimesTInto(s: RowSupport, w: Float64Array, p: number, out: Float64Array): void {
  timesTransposed(s.offsets, s.indices, s.values, s.rows, s.cols, w, p, out);
}

/**
 * Appends the columns and values of the non-zeros of z[zi .. zi + m) to idx / val from position
 * `at` (which must leave room for m entries); returns the new end. Tests four entries at a time,
 * since most groups of four are all zero in a sparse code.
 */
function gatherRow(
  z: Float64Array,
  zi: number,
  m: number,
  idx: Int32Array,
  val: Float64Array,
  at: number,
): number {
  let n = at;
  let j = 0;
  for (; j + 3 < m; j += 4) {
    const v0 = z[zi + j];
    const v1 = z[zi + j + 1];
    const v2 = z[zi + j + 2];
    const v3 = z[zi + j + 3];
    if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue;
    if (v0 !== 0) {
      idx[n] = j;
      val[n++] = v0;
    }
    if (v1 !== 0) {
      idx[n] = j + 1;
      val[n++] = v1;
    }
    if (v2 !== 0) {
      idx[n] = j + 2;
      val[n++] = v2;
    }
    if (v3 !== 0) {
      idx[n] = j + 3;
      val[n++] = v3;
    }
  }
  for (; j < m; j++) {
    const v = z[zi + j];
    if (v !== 0) {
      idx[n] = j;
      val[n++] = v;
    }
  }
  return n;
}

/** Grows the index / value scratch to `capacity`, keeping its contents. */
function growIndexScratch(capacity: number): void {
  const indices = new Int32Array(capacity);
  const values = new Float64Array(capacity);
  indices.set(scratchIndices);
  values.set(scratchValues);
  scratchIndices = indices;
  scratchValues = values;
}

/**
 * out[o .. o + p) = sum over t in [from, to) of val[t] * W[idx[t], :] for W (., p) row-major.
 *
 * The output row is cut into strips of 8 columns; each strip keeps 8 sums in locals while it
 * runs over the support, so every output entry is written once and the inner loop has no
 * stores. (An axpy per non-zero, out[k] += v * w[k], is slower: it loads and stores the output
 * once per non-zero, and when a row of W is 4 KiB long its loads can falsely alias the pending
 * stores to the output, which made it up to twice as slow depending on where the buffers lie.)
 */
function combineRows(
  idx: Int32Array,
  val: Float64Array,
  from: number,
  to: number,
  w: Float64Array,
  p: number,
  out: Float64Array,
  o: number,
): void {
  let k = 0;
  for (; k + 7 < p; k += 8) {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let s5 = 0;
    let s6 = 0;
    let s7 = 0;
    for (let t = from; t < to; t++) {
      const v = val[t];
      const r = idx[t] * p + k;
      s0 += v * w[r];
      s1 += v * w[r + 1];
      s2 += v * w[r + 2];
      s3 += v * w[r + 3];
      s4 += v * w[r + 4];
      s5 += v * w[r + 5];
      s6 += v * w[r + 6];
      s7 += v * w[r + 7];
    }
    out[o + k] = s0;
    out[o + k + 1] = s1;
    out[o + k + 2] = s2;
    out[o + k + 3] = s3;
    out[o + k + 4] = s4;
    out[o + k + 5] = s5;
    out[o + k + 6] = s6;
    out[o + k + 7] = s7;
  }
  for (; k < p; k++) {
    let s0 = 0;
    for (let t = from; t < to; t++) s0 += val[t] * w[idx[t] * p + k];
    out[o + k] = s0;
  }
}

/**
 * out (N x p) = Z W^T for Z in compressed-row form and W (p x m). When the batch has at least m
 * non-zeros (so W is, on average, read in full at least once anyway), each strip of 8 rows of W
 * is first packed transposed into an m x 8 buffer and {@link combineRows} runs on it for every
 * row of Z; below that, packing would cost more than the product, and each entry is a direct
 * gather along a row of W.
 */
function timesTransposed(
  offsets: Int32Array,
  indices: Int32Array,
  values: Float64Array,
  N: number,
  m: number,
  w: Float64Array,
  p: number,
  out: Float64Array,
): void {
  if (offsets[N] < m) {
    for (let i = 0; i < N; i++) gatherDots(indices, values, offsets[i], offsets[i + 1], w, m, p, out, i * p);
    return;
  }
  if (scratchStrip.length < m * STRIP) scratchStrip = new Float64Array(m * STRIP);
  const strip = scratchStrip;
  for (let k = 0; k < p; k += STRIP) {
    const width = Math.min(STRIP, p - k);
    // strip[j * 8 + q] = W[k + q, j], zero past the last row of W.
    for (let q = 0; q < STRIP; q++) {
      if (q < width) {
        const src = (k + q) * m;
        for (let j = 0, d = q; j < m; j++, d += STRIP) strip[d] = w[src + j];
      } else {
        for (let j = 0, d = q; j < m; j++, d += STRIP) strip[d] = 0;
      }
    }
    for (let i = 0; i < N; i++) {
      const o = i * p + k;
      const end = offsets[i + 1];
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      let s5 = 0;
      let s6 = 0;
      let s7 = 0;
      for (let t = offsets[i]; t < end; t++) {
        const v = values[t];
        const r = indices[t] * 8;
        s0 += v * strip[r];
        s1 += v * strip[r + 1];
        s2 += v * strip[r + 2];
        s3 += v * strip[r + 3];
        s4 += v * strip[r + 4];
        s5 += v * strip[r + 5];
        s6 += v * strip[r + 6];
        s7 += v * strip[r + 7];
      }
      if (width === STRIP) {
        out[o] = s0;
        out[o + 1] = s1;
        out[o + 2] = s2;
        out[o + 3] = s3;
        out[o + 4] = s4;
        out[o + 5] = s5;
        out[o + 6] = s6;
        out[o + 7] = s7;
      } else {
        // Last, narrower strip: store the columns that exist.
        out[o] = s0;
        if (width > 1) out[o + 1] = s1;
        if (width > 2) out[o + 2] = s2;
        if (width > 3) out[o + 3] = s3;
        if (width > 4) out[o + 4] = s4;
        if (width > 5) out[o + 5] = s5;
        if (width > 6) out[o + 6] = s6;
      }
    }
  }
}

/**
 * out[o + k] = sum over t in [from, to) of val[t] * w[k * m + idx[t]] for k < p: one output row
 * of Z W^T from one support, gathering along the rows of W (p x m).
 */
function gatherDots(
  idx: Int32Array,
  val: Float64Array,
  from: number,
  to: number,
  w: Float64Array,
  m: number,
  p: number,
  out: Float64Array,
  o: number,
): void {
  for (let k = 0; k < p; k++) {
    const wk = k * m;
    let s0 = 0;
    for (let t = from; t < to; t++) s0 += val[t] * w[wk + idx[t]];
    out[o + k] = s0;
  }
}

/**
 * Checks a batch of rows `z` (N, m) and a matrix `w` whose axis `wAxis` must have length m; both
 * rank 2 and finite.
 */
function checkOperands(fn: string, z: unknown, w: unknown, wAxis: number): [Tensor, Tensor] {
  const tz = checkTensor(fn, 'z', z, { rank: 2 });
  checkTensor(fn, 'w', w, { rank: 2, finite: false });
  const want = [-1, -1];
  want[wAxis] = tz.shape[1];
  const tw = checkTensor(fn, 'w', w, { shape: want });
  return [tz, tw];
}

/**
 * Z W for a batch of sparse rows Z (N, m) and a matrix W (m, p): a new (N, p) tensor, computed
 * at a cost proportional to nnz(Z) * p. Equal to `matmul(z, w)` up to rounding.
 */
export function sparseRowsTimes(z: Tensor, w: Tensor): Tensor {
  const [tz, tw] = checkOperands('sparseRowsTimes', z, w, 0);
  const [N, m] = tz.shape;
  const p = tw.shape[1];
  const out = new Float64Array(N * p);
  sparseRowsTimesInto(unsafeData(tz), N, m, unsafeData(tw), p, out);
  return wrap(out, [N, p]);
}

/**
 * Z W^T for a batch of sparse rows Z (N, m) and a matrix W (p, m): a new (N, p) tensor, computed
 * at a cost proportional to nnz(Z) * p (plus one pass over W for large batches), e.g. signals
 * Y = Z A^T for codes Z and a dictionary A. Equal to `matmulNT(z, w)` up to rounding.
 */
export function sparseRowsTimesT(z: Tensor, w: Tensor): Tensor {
  const [tz, tw] = checkOperands('sparseRowsTimesT', z, w, 1);
  const [N, m] = tz.shape;
  const p = tw.shape[0];
  const out = new Float64Array(N * p);
  sparseRowsTimesTInto(unsafeData(tz), N, m, unsafeData(tw), p, out);
  return wrap(out, [N, p]);
}

/** The supports of the rows of a matrix Z (N, m), for the `support*Into` kernels. */
export function supportOf(z: Tensor): RowSupport {
  const tz = checkTensor('supportOf', 'z', z, { rank: 2 });
  const [N, m] = tz.shape;
  return gatherSupport(unsafeData(tz), N, m);
}
