/**
 * Dense matrix-matrix products: a cache-blocked, register-tiled Float64 GEMM on raw row-major
 * buffers (the `*Into` kernels) and the tensor-level products built on it.
 *
 * The kernel follows the usual BLIS/GotoBLAS structure:
 *
 * - the inner dimension is cut into blocks of KC = 256 so that a packed panel of op(B)
 *   (KC x NC) and a packed block of op(A) (MC x KC) stay in cache while they are reused;
 * - both operands are packed into contiguous scratch: op(A) into micro-panels of MR rows, op(B)
 *   into micro-panels of NR columns, each laid out p-major (MR or NR values per step of the inner
 *   dimension) and zero-padded at the edges, so the micro-kernel never branches in its loop;
 * - an MR x NR = 4 x 3 micro-kernel keeps its 12 partial sums in local variables and streams the
 *   two micro-panels with unit stride.
 *
 * Why 4 x 3 and not 4 x 4: V8 does not vectorise, and every typed-array load costs a bounds check
 * and index arithmetic, so the loop is bound by instruction count and register pressure, not by
 * flops. On x64 a 4 x 4 tile (16 sums + 4 + 1 operands) spills to the stack; 4 x 3 and 3 x 4
 * tiles measured about 10% faster in the whole product (about 5 GFLOP/s against 4.6 on the
 * development machine), wider tiles (4 x 6, 4 x 8, 8 x 4) slower. Packing both operands into one
 * scratch array gained a few percent more: the loop then checks one array instead of two. Block
 * sizes barely matter (KC 128-384, MC 64-256, NC 256-1024 all within noise): the loop is
 * compute-bound. bench/linalg.ts measures the result.
 *
 * One environmental effect is worth knowing: once any ArrayBuffer in the process has been
 * detached (a transfer through postMessage or structuredClone, ArrayBuffer.prototype.transfer),
 * V8 adds a detached-buffer test to every typed-array access it compiles afterwards, and this
 * kernel (like every typed-array loop) runs about 15-20% slower.
 *
 * Orientation (A B, A B^T, A^T B, A^T B^T) is handled entirely by the packing step, which reads
 * op(A) and op(B) through strides; the micro-kernel only ever sees the packed layout.
 *
 * The scratch buffer is module-level and grown on demand. This is safe because JavaScript is
 * single-threaded and the kernel never calls back into user code or yields, so two products can
 * never use the scratch at the same time (each worker thread loads its own copy of the module).
 *
 * @module
 */
import { checkTensor } from '../validate/index.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';

/** Rows of a micro-tile (register block of op(A)). */
const MR = 4;
/** Columns of a micro-tile (register block of op(B)). */
const NR = 3;
/** Block of the inner dimension: a KC x NR micro-panel of op(B) (6 KiB) stays in L1. */
const KC = 256;
/** Rows of op(A) packed at once: an MC x KC block (256 KiB) stays in L2. */
const MC = 128;
/** Columns of op(B) packed at once: a KC x NC panel (about 1 MiB) stays in L2/L3. */
const NC = 512;

/**
 * Packed panel of op(B) followed by the packed block of op(A), grown on demand (see the module
 * note on reentrancy). Starts empty so that importing the module costs nothing.
 */
let scratch = new Float64Array(0);
/** The sums of an edge tile, before the part inside C is copied out. */
const edge = new Float64Array(MR * NR);

/**
 * Packs `rows` x `depth` entries of a strided matrix into micro-panels of `R` rows: entry (r, p)
 * of the source, at `src[off + r * rowStride + p * depthStride]`, goes to
 * `dest[destOff + (r / R) * R * depth + p * R + r % R]`. Rows past `rows` in the last panel are
 * zeros, so the micro-kernel can always run a full tile.
 */
function pack(
  src: Float64Array,
  off: number,
  rowStride: number,
  depthStride: number,
  rows: number,
  depth: number,
  R: number,
  dest: Float64Array,
  destOff: number,
): void {
  const panel = R * depth;
  if (depthStride === 1) {
    // Source rows are contiguous along the depth: read each row in order, write with stride R.
    for (let r = 0; r < rows; r++) {
      const s = off + r * rowStride;
      const d0 = destOff + Math.floor(r / R) * panel + (r % R);
      for (let p = 0, d = d0; p < depth; p++, d += R) dest[d] = src[s + p];
    }
  } else {
    // Source is contiguous along the rows (a transposed operand): read one depth step across all
    // rows at a time, writing R-long runs into each panel.
    for (let p = 0; p < depth; p++) {
      const s = off + p * depthStride;
      let d = destOff + p * R;
      for (let r0 = 0; r0 < rows; r0 += R, d += panel) {
        const live = Math.min(R, rows - r0);
        for (let r = 0; r < live; r++) dest[d + r] = src[s + (r0 + r) * rowStride];
      }
    }
  }
  // Zero rows of the last panel past `rows`, so the micro-kernel can run a full tile there.
  const r0 = rows - (rows % R);
  if (r0 < rows) {
    const base = destOff + r0 * depth;
    for (let r = rows - r0; r < R; r++) {
      for (let p = 0, d = base + r; p < depth; p++, d += R) dest[d] = 0;
    }
  }
}

/**
 * The 4 x 3 micro-kernel: C[o + i * ldc + j] (=, or += unless `first`) sum_p A[i, p] B[p, j] for
 * i < mr, j < nr, where A[i, p] = s[aOff + 4p + i] and B[p, j] = s[bOff + 3p + j] are packed
 * micro-panels of `s` of depth `kc`. The 12 sums live in locals; a full tile is stored directly,
 * an edge tile (mr < 4 or nr < 3) entry by entry. Large enough that V8 does not inline it into
 * the driver, which keeps the driver's loop variables out of the kernel's registers.
 */
function kernel4x3(
  kc: number,
  s: Float64Array,
  aOff: number,
  bOff: number,
  out: Float64Array,
  o: number,
  ldc: number,
  mr: number,
  nr: number,
  first: boolean,
): void {
  let c00 = 0;
  let c01 = 0;
  let c02 = 0;
  let c10 = 0;
  let c11 = 0;
  let c12 = 0;
  let c20 = 0;
  let c21 = 0;
  let c22 = 0;
  let c30 = 0;
  let c31 = 0;
  let c32 = 0;
  const end = aOff + kc * 4;
  for (let ia = aOff, ib = bOff; ia < end; ia += 4, ib += 3) {
    const a0 = s[ia];
    const a1 = s[ia + 1];
    const a2 = s[ia + 2];
    const a3 = s[ia + 3];
    let b = s[ib];
    c00 += a0 * b;
    c10 += a1 * b;
    c20 += a2 * b;
    c30 += a3 * b;
    b = s[ib + 1];
    c01 += a0 * b;
    c11 += a1 * b;
    c21 += a2 * b;
    c31 += a3 * b;
    b = s[ib + 2];
    c02 += a0 * b;
    c12 += a1 * b;
    c22 += a2 * b;
    c32 += a3 * b;
  }
  if (mr === 4 && nr === 3) {
    const o1 = o + ldc;
    const o2 = o1 + ldc;
    const o3 = o2 + ldc;
    if (first) {
      out[o] = c00;
      out[o + 1] = c01;
      out[o + 2] = c02;
      out[o1] = c10;
      out[o1 + 1] = c11;
      out[o1 + 2] = c12;
      out[o2] = c20;
      out[o2 + 1] = c21;
      out[o2 + 2] = c22;
      out[o3] = c30;
      out[o3 + 1] = c31;
      out[o3 + 2] = c32;
    } else {
      out[o] += c00;
      out[o + 1] += c01;
      out[o + 2] += c02;
      out[o1] += c10;
      out[o1 + 1] += c11;
      out[o1 + 2] += c12;
      out[o2] += c20;
      out[o2 + 1] += c21;
      out[o2 + 2] += c22;
      out[o3] += c30;
      out[o3 + 1] += c31;
      out[o3 + 2] += c32;
    }
    return;
  }
  // Edge tile: spill the sums to a small buffer and copy the part that exists.
  const t = edge;
  t[0] = c00;
  t[1] = c01;
  t[2] = c02;
  t[3] = c10;
  t[4] = c11;
  t[5] = c12;
  t[6] = c20;
  t[7] = c21;
  t[8] = c22;
  t[9] = c30;
  t[10] = c31;
  t[11] = c32;
  for (let r = 0; r < mr; r++, o += ldc) {
    for (let c = 0; c < nr; c++) {
      if (first) out[o + c] = t[r * 3 + c];
      else out[o + c] += t[r * 3 + c];
    }
  }
}

/**
 * The blocked driver shared by every orientation. op(A)[i, p] = a[i * ars + p * acs] and
 * op(B)[p, j] = b[p * brs + j * bcs]; `upper` computes only the tiles that touch the upper
 * triangle of a square result (for symmetric products) and leaves the tiles strictly below the
 * diagonal unwritten.
 */
function blocked(
  a: Float64Array,
  ars: number,
  acs: number,
  b: Float64Array,
  brs: number,
  bcs: number,
  out: Float64Array,
  M: number,
  K: number,
  N: number,
  upper: boolean,
): void {
  if (M === 0 || N === 0) return;
  if (K === 0) {
    out.fill(0, 0, M * N);
    return;
  }
  // Layout of the scratch: op(B) panel at 0, op(A) block at aBase.
  const kcMax = Math.min(K, KC);
  const aBase = Math.ceil(Math.min(N, NC) / NR) * NR * kcMax;
  const need = aBase + Math.ceil(Math.min(M, MC) / MR) * MR * kcMax;
  if (scratch.length < need) scratch = new Float64Array(need);
  const s = scratch;

  for (let jc = 0; jc < N; jc += NC) {
    const nc = Math.min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = Math.min(KC, K - pc);
      const first = pc === 0;
      // op(B) block (kc x nc) seen as nc "rows" of depth kc: row stride bcs, depth stride brs.
      pack(b, pc * brs + jc * bcs, bcs, brs, nc, kc, NR, s, 0);
      for (let ic = 0; ic < M; ic += MC) {
        if (upper && ic >= jc + nc) break; // this row block and the later ones lie below the diagonal
        const mc = Math.min(MC, M - ic);
        pack(a, ic * ars + pc * acs, ars, acs, mc, kc, MR, s, aBase);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          const j0 = jc + jr;
          for (let ir = 0; ir < mc; ir += MR) {
            const i0 = ic + ir;
            if (upper && i0 >= j0 + nr) break; // this tile and the later ones lie below the diagonal
            kernel4x3(kc, s, aBase + ir * kc, jr * kc, out, i0 * N + j0, N, Math.min(MR, mc - ir), nr, first);
          }
        }
      }
    }
  }
}

/**
 * out = op(A) op(B), where op(A) is (M x K) and op(B) is (K x N), all row-major Float64.
 *
 * `a` holds A as M x K, or as K x M when `transA` (so op(A) = A^T); `b` holds B as K x N, or as
 * N x K when `transB`. Overwrites the first M * N entries of `out`, which must not alias `a` or
 * `b`. Unchecked: sizes and buffer lengths are the caller's responsibility. Cache-blocked and
 * register-tiled; uses module-level scratch (see the module note).
 */
export function gemmInto(
  a: Float64Array,
  b: Float64Array,
  out: Float64Array,
  M: number,
  K: number,
  N: number,
  transA = false,
  transB = false,
): void {
  const ars = transA ? 1 : K;
  const acs = transA ? M : 1;
  const brs = transB ? 1 : N;
  const bcs = transB ? K : 1;
  blocked(a, ars, acs, b, brs, bcs, out, M, K, N, false);
}

/**
 * out = A^T A (m x m) for a row-major A of shape (n x m), computing only the tiles on or above the
 * diagonal and mirroring them (about half the work of a general product). The result is exactly
 * symmetric. Unchecked; `out` must not alias `a`.
 */
export function gramInto(a: Float64Array, n: number, m: number, out: Float64Array): void {
  blocked(a, 1, m, a, m, 1, out, m, n, m, true);
  for (let i = 1; i < m; i++) {
    for (let j = 0; j < i; j++) out[i * m + j] = out[j * m + i];
  }
}

/**
 * The textbook i-k-j triple loop, out = op(A) op(B) with the same arguments as {@link gemmInto}.
 * Only a baseline for benchmarks and tests: correct for every orientation, fast for none. The
 * A B case is the plain loop (unit stride along B's rows and C's rows), the fair baseline.
 */
export function gemmNaiveInto(
  a: Float64Array,
  b: Float64Array,
  out: Float64Array,
  M: number,
  K: number,
  N: number,
  transA = false,
  transB = false,
): void {
  out.fill(0, 0, M * N);
  if (!transA && !transB) {
    for (let i = 0; i < M; i++) {
      const o = i * N;
      for (let k = 0; k < K; k++) {
        const aik = a[i * K + k];
        const bk = k * N;
        for (let j = 0; j < N; j++) out[o + j] += aik * b[bk + j];
      }
    }
    return;
  }
  const ars = transA ? 1 : K;
  const acs = transA ? M : 1;
  const brs = transB ? 1 : N;
  const bcs = transB ? K : 1;
  for (let i = 0; i < M; i++) {
    const o = i * N;
    for (let k = 0; k < K; k++) {
      const aik = a[i * ars + k * acs];
      const bk = k * brs;
      for (let j = 0; j < N; j++) out[o + j] += aik * b[bk + j * bcs];
    }
  }
}

/**
 * Checks the operands of a product: `a` and `b` are finite rank-2 tensors and `b.shape[bAxis]`
 * equals `a.shape[aAxis]`; a mismatch names `b`'s expected shape, e.g.
 * `matmul: argument 'b' must be a tensor of shape [3, *]. Got a tensor of shape [4, 2].`
 */
function checkPair(fn: string, a: unknown, b: unknown, aAxis: number, bAxis: number): [Tensor, Tensor] {
  const ta = checkTensor(fn, 'a', a, { rank: 2 });
  checkTensor(fn, 'b', b, { rank: 2, finite: false });
  const want = [-1, -1];
  want[bAxis] = ta.shape[aAxis];
  const tb = checkTensor(fn, 'b', b, { shape: want });
  return [ta, tb];
}

/** A B for matrices A (M, K) and B (K, N): a new (M, N) tensor. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const [ta, tb] = checkPair('matmul', a, b, 1, 0);
  const [M, K] = ta.shape;
  const N = tb.shape[1];
  const out = new Float64Array(M * N);
  gemmInto(unsafeData(ta), unsafeData(tb), out, M, K, N, false, false);
  return wrap(out, [M, N]);
}

/** A B^T for matrices A (M, K) and B (N, K): a new (M, N) tensor, e.g. Y = Z A^T for codes Z. */
export function matmulNT(a: Tensor, b: Tensor): Tensor {
  const [ta, tb] = checkPair('matmulNT', a, b, 1, 1);
  const [M, K] = ta.shape;
  const N = tb.shape[0];
  const out = new Float64Array(M * N);
  gemmInto(unsafeData(ta), unsafeData(tb), out, M, K, N, false, true);
  return wrap(out, [M, N]);
}

/** A^T B for matrices A (K, M) and B (K, N): a new (M, N) tensor, e.g. the gradient R^T Z. */
export function matmulTN(a: Tensor, b: Tensor): Tensor {
  const [ta, tb] = checkPair('matmulTN', a, b, 0, 0);
  const [K, M] = ta.shape;
  const N = tb.shape[1];
  const out = new Float64Array(M * N);
  gemmInto(unsafeData(ta), unsafeData(tb), out, M, K, N, true, false);
  return wrap(out, [M, N]);
}

/** The Gram matrix A^T A (m, m) of a matrix A (n, m), exactly symmetric. */
export function gram(a: Tensor): Tensor {
  const ta = checkTensor('gram', 'a', a, { rank: 2 });
  const [n, m] = ta.shape;
  const out = new Float64Array(m * m);
  gramInto(unsafeData(ta), n, m, out);
  return wrap(out, [m, m]);
}
