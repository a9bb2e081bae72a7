/**
 * Square image patches: every overlapping patch x patch window of an image (H, W), flattened
 * row-major into one row of a batch (the signals Y of patch-based dictionary learning and
 * denoising), and the way back: each pixel gets the average of the patch estimates covering it.
 *
 * Positions. Windows start at rows 0, s, 2s, ... and columns 0, s, 2s, ... (s = stride), and the
 * last row / column start H - p / W - p is always included, even when the stride does not land on
 * it, and the stride may not exceed the patch size, so every pixel is covered at least once and
 * averaging is always defined. There are ceil((H - p) / s) + 1 row starts (H - p + 1 with the
 * default stride 1), patches in row-major order of their top-left corners.
 *
 * Extraction E is linear; averagePatches is D^-1 E^T, with E^T the sum of the patches back into
 * place and D the diagonal of coverage counts (D = E^T E 1). So averagePatches(extractPatches(x))
 * = x up to rounding (each pixel is a sum of equal copies divided by their number: a few ulps).
 *
 * @module
 */
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkInteger, checkTensor, Got, rangeError } from '../validate/index.js';

/** Top-left corners along one axis of length `size` (see the module note): 0, s, 2s, ..., size - p. */
export function patchStarts(size: number, patch: number, stride: number): Int32Array {
  const last = size - patch;
  const count = Math.ceil(last / stride) + 1;
  const starts = new Int32Array(count);
  for (let k = 0; k < count - 1; k++) starts[k] = k * stride;
  starts[count - 1] = last;
  return starts;
}

/** Copies the patch at (r, c) of an image of width W into out[offset .. offset + p²). Unchecked. */
export function patchInto(
  image: Float64Array,
  W: number,
  r: number,
  c: number,
  p: number,
  out: Float64Array,
  offset: number,
): void {
  for (let i = 0; i < p; i++) {
    const src = (r + i) * W + c;
    const dst = offset + i * p;
    for (let j = 0; j < p; j++) out[dst + j] = image[src + j];
  }
}

/** Adds the patch values[offset .. offset + p²) into the image at (r, c). Unchecked. */
export function addPatchInto(
  values: Float64Array,
  offset: number,
  W: number,
  r: number,
  c: number,
  p: number,
  image: Float64Array,
): void {
  for (let i = 0; i < p; i++) {
    const dst = (r + i) * W + c;
    const src = offset + i * p;
    for (let j = 0; j < p; j++) image[dst + j] += values[src + j];
  }
}

/** How many times each pixel of an (H, W) image is covered by the patches. Unchecked. */
export function coverageCounts(
  H: number,
  W: number,
  rowStarts: Int32Array,
  colStarts: Int32Array,
  p: number,
): Float64Array {
  // Separable: count(i, j) = rows covering i x columns covering j.
  const rowCover = new Float64Array(H);
  const colCover = new Float64Array(W);
  for (const r of rowStarts) for (let i = 0; i < p; i++) rowCover[r + i]++;
  for (const c of colStarts) for (let j = 0; j < p; j++) colCover[c + j]++;
  const counts = new Float64Array(H * W);
  for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) counts[i * W + j] = rowCover[i] * colCover[j];
  return counts;
}

function checkPatchArgs(fn: string, H: number, W: number, patch: unknown, stride: unknown): [number, number] {
  const p = checkInteger(fn, 'patch', patch, { min: 1 });
  if (p > Math.min(H, W))
    rangeError(fn, 'patch', `an integer <= the image's smaller side ${Math.min(H, W)}`, p);
  // A stride above the patch size would leave pixels uncovered between windows.
  const s = checkInteger(fn, 'stride', stride, { min: 1 });
  if (s > p) rangeError(fn, 'stride', `an integer <= the patch size ${p}`, s);
  return [p, s];
}

/**
 * Every patch x patch window of `image` (H, W) at the given stride (default 1: all overlapping
 * patches), flattened row-major: a tensor (number of patches, patch²), patches in row-major order
 * of their top-left corners (see the module note for the positions).
 */
export function extractPatches(image: Tensor, patch: number, stride = 1): Tensor {
  const fn = 'extractPatches';
  checkTensor(fn, 'image', image, { rank: 2 });
  const [H, W] = image.shape;
  const [p, s] = checkPatchArgs(fn, H, W, patch, stride);
  const rows = patchStarts(H, p, s);
  const cols = patchStarts(W, p, s);
  const img = unsafeData(image);
  const n = p * p;
  const out = new Float64Array(rows.length * cols.length * n);
  let offset = 0;
  for (const r of rows) {
    for (const c of cols) {
      patchInto(img, W, r, c, p, out, offset);
      offset += n;
    }
  }
  return wrap(out, [rows.length * cols.length, n]);
}

/**
 * The image (H, W) whose every pixel is the average of the values the patches (as laid out by
 * {@link extractPatches} with the same H, W, patch and stride) give it: the adjoint of extraction
 * divided by the coverage count. averagePatches(extractPatches(x, p, s), H, W, p, s) = x up to
 * rounding.
 */
export function averagePatches(patches: Tensor, H: number, W: number, patch: number, stride = 1): Tensor {
  const fn = 'averagePatches';
  checkTensor(fn, 'patches', patches, { rank: 2 });
  checkInteger(fn, 'H', H, { min: 1 });
  checkInteger(fn, 'W', W, { min: 1 });
  const [p, s] = checkPatchArgs(fn, H, W, patch, stride);
  const rows = patchStarts(H, p, s);
  const cols = patchStarts(W, p, s);
  const count = rows.length * cols.length;
  const n = p * p;
  if (patches.shape[0] !== count || patches.shape[1] !== n)
    rangeError(
      fn,
      'patches',
      `a tensor of shape [${count}, ${n}] (the patches of an image ${H} x ${W})`,
      new Got(`shape [${patches.shape.join(', ')}]`),
    );
  const values = unsafeData(patches);
  const out = new Float64Array(H * W);
  let offset = 0;
  for (const r of rows) {
    for (const c of cols) {
      addPatchInto(values, offset, W, r, c, p, out);
      offset += n;
    }
  }
  const counts = coverageCounts(H, W, rows, cols, p);
  for (let k = 0; k < out.length; k++) out[k] /= counts[k];
  return wrap(out, [H, W]);
}
