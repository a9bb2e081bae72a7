/**
 * safetensors files (the weight format of PyTorch and Hugging Face): named tensors in one file.
 *
 * Layout: an 8-byte little-endian unsigned header length N, then N bytes of UTF-8 JSON
 * `{ name: { "dtype": "F64", "shape": [..], "data_offsets": [begin, end] }, ...,
 * "__metadata__": { key: "value" } }` (metadata optional), then the data buffer. Offsets are relative
 * to the start of the buffer; the tensors tile it exactly (no gaps, no overlaps, nothing left over);
 * data is little-endian and row-major.
 *
 * Reads F64 and F32 tensors, any rank including 0 and zero-size axes, as Float64 tensors (F32 is
 * widened exactly). Writes F64 (exact) or F32 (rounded like `Math.fround`), tensors in sorted name
 * order, `__metadata__` first when given, and the header padded with spaces so that the data starts
 * on an 8-byte boundary, as the reference implementation writes it. NaN and infinities are legal
 * data and are kept.
 *
 * @module
 */
import { shapeSize, Tensor, unsafeData, wrap } from '../tensor/tensor.js';
import { checkOneOf, checkTensor, Got, rangeError, typeError } from '../validate/index.js';
import { checkPath, FileFormatError, readFileBytes, writeFileBytes } from './files.js';

/** Element type of a written file: `'F64'` (exact) or `'F32'` (rounded like `Math.fround`). */
export type SafetensorsDtype = 'F64' | 'F32';

/** Options of {@link encodeSafetensors} and {@link writeSafetensors}. */
export interface SafetensorsWriteOptions {
  /** Element type of every tensor in the file (default `'F64'`). */
  dtype?: SafetensorsDtype;
  /** String key/value pairs stored under `"__metadata__"`. */
  metadata?: Record<string, string>;
}

/** What a safetensors file holds: its tensors by name and its metadata (`{}` when absent). */
export interface SafetensorsContents {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** A safetensors file that cannot be read: malformed, truncated, or of an unsupported dtype. */
export class SafetensorsFormatError extends FileFormatError {
  /**
   * @param source the file path (or `'<buffer>'`) the bytes came from
   * @param problem what is wrong, e.g. `tensor 'w' has unsupported dtype 'I32' (supported: F64, F32)`
   */
  constructor(source: string, problem: string, fn = 'decodeSafetensors') {
    super(source, problem, fn);
    this.name = 'SafetensorsFormatError';
  }
}

/** The key of the optional metadata object in the header. */
const METADATA_KEY = '__metadata__';
/** The reference writer pads the header so that the data starts on a multiple of this. */
const HEADER_ALIGN = 8;
const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4 };
const DTYPES: readonly SafetensorsDtype[] = ['F64', 'F32'];

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------------------------------------
// Writing

/**
 * Encodes named tensors as the bytes of a safetensors file (F64 by default). Names must be
 * non-empty and not `'__metadata__'`; tensors are written in sorted name order.
 */
export function encodeSafetensors(
  tensors: Record<string, Tensor>,
  options: SafetensorsWriteOptions = {},
): Uint8Array {
  const entries = checkTensors('encodeSafetensors', tensors);
  const { dtype, metadata } = checkWriteOptions('encodeSafetensors', options);
  return encode(entries, dtype, metadata);
}

/**
 * Writes named tensors to a safetensors file atomically (temporary file, then rename): a failed
 * write leaves any existing file untouched.
 */
export function writeSafetensors(
  path: string,
  tensors: Record<string, Tensor>,
  options: SafetensorsWriteOptions = {},
): void {
  checkPath('writeSafetensors', path);
  const entries = checkTensors('writeSafetensors', tensors);
  const { dtype, metadata } = checkWriteOptions('writeSafetensors', options);
  const bytes = encode(entries, dtype, metadata);
  writeFileBytes('writeSafetensors', path, bytes);
}

function encode(
  entries: [string, Tensor][],
  dtype: SafetensorsDtype,
  metadata: [string, string][] | undefined,
): Uint8Array {
  const itemsize = BYTES[dtype];
  // Built by hand rather than with JSON.stringify of an object, which would move integer-like
  // names ("0", "12") to the front and lose the sorted order.
  const parts: string[] = [];
  if (metadata && metadata.length > 0)
    parts.push(
      `${JSON.stringify(METADATA_KEY)}:${jsonObject(metadata.map(([k, v]) => [k, JSON.stringify(v)]))}`,
    );
  let offset = 0;
  for (const [name, t] of entries) {
    const end = offset + t.size * itemsize;
    const info = `{"dtype":"${dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`;
    parts.push(`${JSON.stringify(name)}:${info}`);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const headerLength = Math.ceil(json.length / HEADER_ALIGN) * HEADER_ALIGN;
  const start = 8 + headerLength;
  const out = new Uint8Array(start + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, start);
  // The data starts on a multiple of 8, so typed views of the fresh buffer are aligned.
  let at = start;
  for (const [, t] of entries) {
    const data = unsafeData(t);
    if (LITTLE_ENDIAN) {
      // Same-type set copies bytes, so F64 NaN payloads survive; F32 rounds like Math.fround.
      if (dtype === 'F64') new Float64Array(out.buffer, at, t.size).set(data);
      else new Float32Array(out.buffer, at, t.size).set(data);
    } else {
      for (let i = 0; i < data.length; i++) {
        if (dtype === 'F64') view.setFloat64(at + 8 * i, data[i], true);
        else view.setFloat32(at + 4 * i, data[i], true);
      }
    }
    at += t.size * itemsize;
  }
  return out;
}

function jsonObject(entries: [string, string][]): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Tensor);
}

/** The named tensors, sorted by name (code-unit order), each checked. */
function checkTensors(fn: string, tensors: unknown): [string, Tensor][] {
  const requirement = 'an object of named tensors such as { weight: t }';
  if (!isPlainObject(tensors)) typeError(fn, 'tensors', requirement, tensors);
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    if (name.length === 0 || name === METADATA_KEY)
      rangeError(
        fn,
        'tensors',
        `an object of named tensors with non-empty names other than '${METADATA_KEY}'`,
        new Got(`the name ${JSON.stringify(name)}`),
      );
  }
  return names.map((name) => [
    name,
    checkTensor(fn, `tensors[${JSON.stringify(name)}]`, tensors[name], { finite: false }),
  ]);
}

function checkWriteOptions(
  fn: string,
  options: unknown,
): { dtype: SafetensorsDtype; metadata: [string, string][] | undefined } {
  if (options === undefined) return { dtype: 'F64', metadata: undefined };
  if (!isPlainObject(options))
    typeError(fn, 'options', "an options object such as { dtype: 'F32' }", options);
  const { dtype, metadata } = options as SafetensorsWriteOptions;
  const checkedDtype = dtype === undefined ? 'F64' : checkOneOf(fn, 'options.dtype', dtype, DTYPES);
  if (metadata === undefined) return { dtype: checkedDtype, metadata: undefined };
  if (!isPlainObject(metadata))
    typeError(fn, 'options.metadata', 'an object of string values such as { format: "pt" }', metadata);
  const pairs = Object.keys(metadata)
    .sort()
    .map((key): [string, string] => {
      const value: unknown = metadata[key];
      if (typeof value !== 'string')
        typeError(fn, `options.metadata[${JSON.stringify(key)}]`, 'a string', value);
      return [key, value];
    });
  return { dtype: checkedDtype, metadata: pairs };
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * Reads a safetensors file. Throws {@link SafetensorsFormatError} (naming the file and the
 * problem) for malformed or unsupported files, and an Error naming the path if it cannot be read.
 */
export function readSafetensors(path: string): SafetensorsContents {
  return decode('readSafetensors', readFileBytes('readSafetensors', path), path);
}

/**
 * Decodes the bytes of a safetensors file into Float64 tensors and the metadata. `source` names
 * the bytes in error messages. `bytes` may start at any offset of its buffer.
 */
export function decodeSafetensors(bytes: Uint8Array, source = '<buffer>'): SafetensorsContents {
  if (!(bytes instanceof Uint8Array)) typeError('decodeSafetensors', 'bytes', 'a Uint8Array', bytes);
  if (typeof source !== 'string') typeError('decodeSafetensors', 'source', 'a string', source);
  return decode('decodeSafetensors', bytes, source);
}

interface Entry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

function decode(fn: string, bytes: Uint8Array, source: string): SafetensorsContents {
  const fail = (problem: string): never => {
    throw new SafetensorsFormatError(source, problem, fn);
  };
  const n = bytes.length;
  if (n < 8) fail(`truncated header: the file has only ${n} bytes, fewer than the 8 of the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(n - 8))
    fail(`header length ${declared} is beyond the end of the file (${n - 8} bytes follow the length)`);
  const headerLength = Number(declared);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    return fail('the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    return fail(`the header is not valid JSON (${(err as Error).message}): ${quoteHeader(text)}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header))
    fail(`the header is not a JSON object: ${quoteHeader(text)}`);
  const record = header as Record<string, unknown>;

  const metadata = parseMetadata(record[METADATA_KEY], fail);
  const entries: Entry[] = [];
  for (const name of Object.keys(record)) {
    if (name !== METADATA_KEY) entries.push(parseEntry(name, record[name], fail));
  }

  // The tensors must tile the data buffer exactly, in offset order.
  const start = 8 + headerLength;
  const bufferLength = n - start;
  for (const e of entries) {
    if (e.end > bufferLength)
      fail(
        `tensor ${quote(e.name)} has data_offsets [${e.begin}, ${e.end}] beyond the end of the data buffer (${bufferLength} bytes)`,
      );
  }
  const ordered = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: Entry | undefined;
  for (const e of ordered) {
    if (e.begin > covered)
      fail(
        previous
          ? `gap in the data buffer: ${quote(previous.name)} ends at ${covered} but the next tensor ${quote(e.name)} starts at ${e.begin}`
          : `gap in the data buffer: the first tensor ${quote(e.name)} starts at ${e.begin}, not 0`,
      );
    if (e.begin < covered)
      fail(
        `tensors ${quote(previous!.name)} [${previous!.begin}, ${previous!.end}] and ${quote(e.name)} [${e.begin}, ${e.end}] overlap`,
      );
    covered = e.end;
    previous = e;
  }
  if (covered !== bufferLength)
    fail(
      `data not fully covered: the tensors end at byte ${covered} of a data buffer of ${bufferLength} bytes`,
    );

  const tensors = Object.fromEntries(
    entries.map((e): [string, Tensor] => {
      const size = shapeSize(e.shape);
      // Copy into a fresh buffer: the data may sit at any byte offset, unaligned for typed views.
      const raw = new Uint8Array(e.end - e.begin);
      raw.set(bytes.subarray(start + e.begin, start + e.end));
      return [e.name, wrap(e.dtype === 'F64' ? float64From(raw, size) : float32From(raw, size), e.shape)];
    }),
  );
  return { tensors, metadata };
}

function parseMetadata(value: unknown, fail: (problem: string) => never): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return fail(`'${METADATA_KEY}' must be an object of strings, found ${short(value)}`);
  const pairs = Object.entries(value as Record<string, unknown>);
  for (const [key, v] of pairs) {
    if (typeof v !== 'string')
      fail(`'${METADATA_KEY}' must be an object of strings, found ${short(v)} for the key ${quote(key)}`);
  }
  return Object.fromEntries(pairs) as Record<string, string>;
}

function parseEntry(name: string, value: unknown, fail: (problem: string) => never): Entry {
  if (name.length === 0) fail('a tensor has an empty name');
  const what = `tensor ${quote(name)}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return fail(`${what} must be described by an object, found ${short(value)}`);
  const info = value as Record<string, unknown>;
  for (const key of ['dtype', 'shape', 'data_offsets']) {
    if (!(key in info)) fail(`${what} is missing the field '${key}'`);
  }
  const { dtype, shape, data_offsets: offsets } = info;
  if (typeof dtype !== 'string' || !(DTYPES as readonly string[]).includes(dtype))
    fail(`${what} has unsupported dtype ${short(dtype)} (supported: ${DTYPES.join(', ')})`);
  const isCount = (d: unknown): d is number => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount))
    fail(`${what} has 'shape' ${short(shape)}, not an array of integers >= 0`);
  const dims = shape;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1])
    fail(
      `${what} has 'data_offsets' ${short(offsets)}, not a pair [begin, end] of integers with 0 <= begin <= end`,
    );
  const [begin, end] = offsets as [number, number];
  const itemsize = BYTES[dtype as SafetensorsDtype];
  const bytes = shapeSize(dims) * itemsize;
  // The byte count must stay exact in a double, or the size check below would lie.
  if (!Number.isSafeInteger(bytes)) fail(`${what} has shape [${dims.join(', ')}], which is too large`);
  if (bytes !== end - begin)
    fail(
      `${what} has shape [${dims.join(', ')}] and dtype ${dtype} (${bytes} bytes) but data_offsets [${begin}, ${end}] span ${end - begin} bytes`,
    );
  return { name, dtype: dtype as SafetensorsDtype, shape: dims, begin, end };
}

function float64From(raw: Uint8Array, size: number): Float64Array {
  if (LITTLE_ENDIAN) return new Float64Array(raw.buffer, 0, size);
  const view = new DataView(raw.buffer);
  return Float64Array.from({ length: size }, (_, i) => view.getFloat64(8 * i, true));
}

function float32From(raw: Uint8Array, size: number): Float64Array {
  if (LITTLE_ENDIAN) return Float64Array.from(new Float32Array(raw.buffer, 0, size));
  const view = new DataView(raw.buffer);
  return Float64Array.from({ length: size }, (_, i) => view.getFloat32(4 * i, true));
}

/** A name for a message: single-quoted, cut short if long. */
function quote(name: string): string {
  return `'${name.length > 60 ? name.slice(0, 60) + '...' : name}'`;
}

/** A JSON value for a message, cut short if long. */
function short(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 80 ? text.slice(0, 80) + '...' : text;
}

/** The header for a message: quoted, padding dropped, cut short if long. */
function quoteHeader(header: string): string {
  const text = header.trimEnd();
  return JSON.stringify(text.length > 120 ? text.slice(0, 120) + '...' : text);
}
