/**
 * Grayscale PNG images as tensors (H, W) of values in [0, 1], for `unfolded denoise` and the
 * examples. Decoding and encoding are pngjs's (a well-kept pure-JS codec); it is an optional peer
 * dependency loaded by dynamic import() on first use, so neither the library entry (src/index.ts)
 * nor the commands that never touch an image load it.
 *
 * Reading: every PNG kind pngjs decodes (grayscale, RGB, palette, with or without alpha; 1 to 16
 * bits per channel, 16-bit kept at full precision) becomes luma by ITU-R BT.601,
 *
 *     Y = 0.299 R + 0.587 G + 0.114 B,   each channel divided by its maximum (255, 65535, ...),
 *
 * while a grayscale PNG keeps its gray level exactly. Alpha is ignored (not composited onto a
 * background); gamma is left as stored. Writing: an 8-bit grayscale PNG of the values clipped to
 * [0, 1] and rounded to the nearest of the 256 levels, written atomically (temporary file, rename).
 *
 * @module
 */
import type { PNG as PngClass } from 'pngjs';
import { FileFormatError } from '../io/files.js';
import { readFileBytes, writeFileBytes } from '../io/files.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';

let pngModule: typeof PngClass | undefined;

/** pngjs's PNG class, or an error that names the install command. */
async function loadPng(fn: string): Promise<typeof PngClass> {
  if (pngModule) return pngModule;
  try {
    const mod = (await import('pngjs')) as { PNG?: typeof PngClass; default?: { PNG: typeof PngClass } };
    pngModule = mod.PNG ?? mod.default!.PNG;
    return pngModule;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new Error(`${fn}: PNG images need pngjs. Install it with: npm install pngjs`, { cause: e });
    throw e;
  }
}

/** The luma weights of ITU-R BT.601. */
const LUMA = [0.299, 0.587, 0.114] as const;

/**
 * The image in the PNG file at `path` as a tensor (H, W) of gray levels in [0, 1] (see the module
 * note for the conversion). A file that is not a valid PNG raises a FileFormatError; a file-system
 * error keeps its code (ENOENT, ...).
 */
export async function readPngGray(path: string): Promise<Tensor> {
  const fn = 'readPngGray';
  const PNG = await loadPng(fn);
  const bytes = readFileBytes(fn, path);
  let png: ReturnType<typeof PNG.sync.read>;
  try {
    // skipRescale: 16-bit channels stay 16-bit (pngjs would otherwise reduce them to 8 bits).
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipRescale: true });
  } catch (e) {
    throw new FileFormatError(path, `not a valid PNG image (${(e as Error).message})`, fn);
  }
  const { width: W, height: H } = png;
  // pngjs expands every kind to RGBA; palette entries are 8-bit, other channels keep their depth.
  const max = png.palette ? 255 : 2 ** png.depth - 1;
  const data = png.data as ArrayLike<number>;
  const out = new Float64Array(H * W);
  if (!png.color) {
    for (let k = 0; k < H * W; k++) out[k] = data[4 * k] / max;
  } else {
    const [wr, wg, wb] = LUMA;
    for (let k = 0; k < H * W; k++)
      out[k] = (wr * data[4 * k] + wg * data[4 * k + 1] + wb * data[4 * k + 2]) / max;
  }
  return wrap(out, [H, W]);
}

/**
 * Writes `image` (H, W) as an 8-bit grayscale PNG at `path`: values clipped to [0, 1], then
 * round(255 v); NaN is written as 0. Atomic: a failed write leaves no file and the old one intact.
 */
export async function writePngGray(path: string, image: Tensor): Promise<void> {
  const fn = 'writePngGray';
  const PNG = await loadPng(fn);
  if (image.rank !== 2)
    throw new RangeError(`${fn}: the image must have rank 2. Got shape [${image.shape.join(', ')}].`);
  const [H, W] = image.shape;
  const values = unsafeData(image);
  const gray = Buffer.alloc(H * W);
  for (let k = 0; k < H * W; k++) {
    const v = values[k];
    gray[k] = v > 0 ? Math.round(255 * Math.min(1, v)) : 0;
  }
  const png = new PNG({ width: W, height: H });
  png.data = gray;
  const bytes = PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  writeFileBytes(fn, path, bytes);
}
