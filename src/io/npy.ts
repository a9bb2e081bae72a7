/**
 * NumPy `.npy` files (numpy.lib.format): one array per file.
 *
 * Reads format versions 1.0, 2.0 and 3.0 holding little-endian float64 (`'<f8'`) or float32
 * (`'<f4'`) data in C (row-major) order, any rank including 0 and zero-size axes; the result is a
 * Float64 tensor. Writes version 1.0 (2.0 only if the header outgrows 1.0's 16-bit length) in
 * float64 or float32, byte for byte as NumPy >= 1.23 writes the same array: header padded so the
 * data starts on a 64-byte boundary, with room for the first axis to grow.
 *
 * The header is a Python dict literal, parsed by a small literal parser (never evaluated). NaN and
 * infinities are legal data and are kept; callers validate values where they need to.
 *
 * @module
 */
import { shapeSize, unsafeData, wrap, type Shape, type Tensor } from '../tensor/tensor.js';
import { checkOneOf, checkTensor, typeError } from '../validate/index.js';
import { checkPath, FileFormatError, readFileBytes, writeFileBytes } from './files.js';

/** Element type of a written file: `'float64'` (`'<f8'`, exact) or `'float32'` (`'<f4'`, rounded). */
export type NpyDtype = 'float64' | 'float32';

/** Options of {@link encodeNpy} and {@link writeNpy}. */
export interface NpyWriteOptions {
  /** Element type in the file (default `'float64'`); float32 rounds like `Math.fround`. */
  dtype?: NpyDtype;
}

/** A `.npy` file that cannot be read: malformed, truncated, or of an unsupported kind. */
export class NpyFormatError extends FileFormatError {
  /**
   * @param source the file path (or `'<buffer>'`) the bytes came from
   * @param problem what is wrong, e.g. `unsupported dtype '<i4' (supported: '<f8', '<f4')`
   */
  constructor(source: string, problem: string, fn = 'decodeNpy') {
    super(source, problem, fn);
    this.name = 'NpyFormatError';
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** NumPy pads the header so the data starts on a multiple of this (older NumPy used 16; any is read). */
const ARRAY_ALIGN = 64;
/** NumPy leaves room to rewrite the first axis with up to this many digits in place. */
const GROWTH_AXIS_MAX_DIGITS = 21;
const DESCR: Record<NpyDtype, { descr: string; itemsize: number }> = {
  float64: { descr: '<f8', itemsize: 8 },
  float32: { descr: '<f4', itemsize: 4 },
};
/** Nesting limit of the header parser: real headers nest 2 deep; this keeps the recursion bounded. */
const MAX_DEPTH = 32;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------------------------------------
// Writing

/** Encodes a tensor as the bytes of a `.npy` file (float64 by default; NaN and infinities kept). */
export function encodeNpy(t: Tensor, options: NpyWriteOptions = {}): Uint8Array {
  checkTensor('encodeNpy', 't', t, { finite: false });
  return encode(t, checkWriteOptions('encodeNpy', options));
}

/**
 * Writes a tensor to a `.npy` file atomically (temporary file, then rename): a failed write leaves
 * any existing file untouched.
 */
export function writeNpy(path: string, t: Tensor, options: NpyWriteOptions = {}): void {
  checkPath('writeNpy', path);
  checkTensor('writeNpy', 't', t, { finite: false });
  const bytes = encode(t, checkWriteOptions('writeNpy', options));
  writeFileBytes('writeNpy', path, bytes);
}

function encode(t: Tensor, dtype: NpyDtype): Uint8Array {
  const { descr, itemsize } = DESCR[dtype];
  const header = wrapHeader(headerText(descr, t.shape));
  const out = new Uint8Array(header.length + t.size * itemsize);
  out.set(header);
  // The header length is a multiple of 64, so typed views of the fresh buffer are aligned.
  const offset = header.length;
  const data = unsafeData(t);
  if (LITTLE_ENDIAN) {
    // Same-type set copies bytes, so float64 NaN payloads survive; float32 rounds like Math.fround.
    if (dtype === 'float64') new Float64Array(out.buffer, offset, t.size).set(data);
    else new Float32Array(out.buffer, offset, t.size).set(data);
  } else {
    const view = new DataView(out.buffer, offset);
    for (let i = 0; i < data.length; i++) {
      if (dtype === 'float64') view.setFloat64(8 * i, data[i], true);
      else view.setFloat32(4 * i, data[i], true);
    }
  }
  return out;
}

/** The header dict as NumPy writes it (keys sorted, Python reprs, then room for the first axis). */
function headerText(descr: string, shape: Shape): string {
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${tuple}, }`;
  const growth = shape.length > 0 ? Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length) : 0;
  return dict + ' '.repeat(growth);
}

/** Magic, version, header length and the header padded with spaces and '\n' to ARRAY_ALIGN. */
function wrapHeader(text: string): Uint8Array {
  const hlen = text.length + 1; // + '\n'
  // Version 1.0 stores the header length in 16 bits; 2.0 in 32 bits.
  for (const [major, lengthBytes] of [
    [1, 2],
    [2, 4],
  ]) {
    const prefix = MAGIC.length + 2 + lengthBytes;
    // Exactly NumPy's rule, including a full block of padding when already aligned.
    const pad = ARRAY_ALIGN - ((prefix + hlen) % ARRAY_ALIGN);
    const length = hlen + pad;
    if (lengthBytes === 2 && length > 0xffff) continue;
    const out = new Uint8Array(prefix + length);
    out.set(MAGIC);
    out[6] = major;
    out[7] = 0;
    const view = new DataView(out.buffer);
    if (lengthBytes === 2) view.setUint16(8, length, true);
    else view.setUint32(8, length, true);
    for (let i = 0; i < text.length; i++) out[prefix + i] = text.charCodeAt(i); // ASCII
    out.fill(0x20, prefix + text.length, out.length - 1);
    out[out.length - 1] = 0x0a;
    return out;
  }
  throw new RangeError(`encodeNpy: the .npy header is too long (${hlen} bytes).`);
}

function checkWriteOptions(fn: string, options: unknown): NpyDtype {
  if (options === undefined) return 'float64';
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    typeError(fn, 'options', "an options object such as { dtype: 'float32' }", options);
  const { dtype } = options as NpyWriteOptions;
  return dtype === undefined ? 'float64' : checkOneOf(fn, 'options.dtype', dtype, ['float64', 'float32']);
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * Reads a `.npy` file as a Float64 tensor. Throws {@link NpyFormatError} (naming the file and the
 * problem) for malformed or unsupported files, and an Error naming the path if it cannot be read.
 */
export function readNpy(path: string): Tensor {
  return decode('readNpy', readFileBytes('readNpy', path), path);
}

/**
 * Decodes the bytes of a `.npy` file as a Float64 tensor (float32 data is widened exactly).
 * `source` names the bytes in error messages. `bytes` may start at any offset of its buffer.
 */
export function decodeNpy(bytes: Uint8Array, source = '<buffer>'): Tensor {
  if (!(bytes instanceof Uint8Array)) typeError('decodeNpy', 'bytes', 'a Uint8Array', bytes);
  if (typeof source !== 'string') typeError('decodeNpy', 'source', 'a string', source);
  return decode('decodeNpy', bytes, source);
}

function decode(fn: string, bytes: Uint8Array, source: string): Tensor {
  const fail = (problem: string): never => {
    throw new NpyFormatError(source, problem, fn);
  };
  const n = bytes.length;
  const seen = Math.min(n, MAGIC.length);
  for (let i = 0; i < seen; i++) {
    if (bytes[i] !== MAGIC[i])
      fail(
        `bad magic string: expected "\\x93NUMPY", found "${escapeBytes(bytes.subarray(0, MAGIC.length))}" (not a .npy file)`,
      );
  }
  if (n < MAGIC.length + 2) fail(`truncated header: the file has only ${n} bytes`);
  const major = bytes[6];
  const minor = bytes[7];
  if (minor !== 0 || major < 1 || major > 3)
    fail(`unsupported format version ${major}.${minor} (supported: 1.0, 2.0, 3.0)`);
  const lengthBytes = major === 1 ? 2 : 4;
  const prefix = MAGIC.length + 2 + lengthBytes;
  if (n < prefix) fail(`truncated header: the file has only ${n} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = lengthBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (n < prefix + headerLength)
    fail(`truncated header: expected ${headerLength} bytes of header, found ${n - prefix}`);
  const headerBytes = bytes.subarray(prefix, prefix + headerLength);
  const header = major === 3 ? decodeUtf8(headerBytes, fail) : decodeLatin1(headerBytes);

  const { descr, shape } = parseHeader(header, fail);
  const itemsize = descr === '<f8' ? 8 : 4;
  const size = shapeSize(shape);
  const expected = size * itemsize;
  const offset = prefix + headerLength;
  const found = n - offset;
  if (found !== expected) {
    const what = found < expected ? 'truncated data' : 'trailing data after the array';
    fail(
      `${what}: expected ${expected} bytes of data for shape ${pyTuple(shape)} and dtype '${descr}', found ${found}`,
    );
  }
  // Copy into a fresh buffer: the data may sit at any byte offset, unaligned for typed views.
  const raw = new Uint8Array(expected);
  raw.set(bytes.subarray(offset, offset + expected));
  return wrap(descr === '<f8' ? float64From(raw, size) : float32From(raw, size), shape);
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

/** Checks the header dict and extracts what decoding needs. */
function parseHeader(
  header: string,
  fail: (problem: string) => never,
): { descr: '<f8' | '<f4'; shape: number[] } {
  let dict: PyValue;
  try {
    const parser = new LiteralParser(header);
    dict = parser.parseAll();
  } catch (err) {
    if (!(err instanceof LiteralSyntaxError)) throw err;
    return fail(`cannot parse header: ${err.message} in ${quoteHeader(header)}`);
  }
  if (dict.kind !== 'dict') return fail(`header is not a dict: ${quoteHeader(header)}`);
  const entries = new Map<string, PyValue>();
  for (const [key, value] of dict.entries) {
    if (key.kind !== 'str') return fail(`header has a non-string key ${pyRepr(key)}`);
    entries.set(key.value, value);
  }
  for (const key of entries.keys()) {
    if (!['descr', 'fortran_order', 'shape'].includes(key)) fail(`header has an unexpected key '${key}'`);
  }
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!entries.has(key)) fail(`header is missing the key '${key}'`);
  }
  const descr = entries.get('descr')!;
  if (descr.kind !== 'str' || (descr.value !== '<f8' && descr.value !== '<f4'))
    return fail(`unsupported dtype ${pyRepr(descr)} (supported: '<f8', '<f4')`);
  const fortran = entries.get('fortran_order')!;
  if (fortran.kind !== 'bool') return fail(`'fortran_order' must be True or False, found ${pyRepr(fortran)}`);
  if (fortran.value)
    fail(
      'Fortran-order (column-major) arrays are not supported; save a C-order array (np.ascontiguousarray)',
    );
  const shapeValue = entries.get('shape')!;
  const shape: number[] = [];
  const badShape = () => fail(`'shape' must be a tuple of integers >= 0, found ${pyRepr(shapeValue)}`);
  if (shapeValue.kind !== 'tuple') return badShape();
  for (const d of shapeValue.items) {
    if (d.kind !== 'int' || d.value < 0n || d.value > BigInt(Number.MAX_SAFE_INTEGER)) return badShape();
    shape.push(Number(d.value));
  }
  // The byte count must stay exact in a double, or the size check below would lie.
  if (!Number.isSafeInteger(shapeSize(shape) * 8)) fail(`shape ${pyTuple(shape)} is too large`);
  return { descr: descr.value, shape };
}

/** The header for a message: quoted, padding dropped, cut short if long. */
function quoteHeader(header: string): string {
  const text = header.trimEnd();
  return JSON.stringify(text.length > 120 ? text.slice(0, 120) + '...' : text);
}

function decodeLatin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function decodeUtf8(bytes: Uint8Array, fail: (problem: string) => never): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('the version 3.0 header is not valid UTF-8');
  }
}

/** Bytes as Python writes them in a bytes literal: printable ASCII as is, the rest as \xNN. */
function escapeBytes(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    s +=
      b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c
        ? String.fromCharCode(b)
        : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return s;
}

function pyTuple(shape: Shape): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

// ---------------------------------------------------------------------------------------------
// The header literal: a subset of Python literals (dicts, tuples, lists, strings, integers,
// True/False/None), enough for any header NumPy writes, including structured dtypes' descr lists
// (which are then rejected as unsupported with a readable message).

type PyValue =
  | { kind: 'str'; value: string }
  | { kind: 'int'; value: bigint }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'tuple' | 'list'; items: PyValue[] }
  | { kind: 'dict'; entries: [PyValue, PyValue][] };

class LiteralSyntaxError extends Error {}

class LiteralParser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  /** One literal, surrounded by optional whitespace, and nothing else. */
  parseAll(): PyValue {
    const value = this.value();
    this.skipSpace();
    if (this.pos < this.text.length) this.fail('unexpected text after the literal');
    return value;
  }

  private fail(what: string): never {
    throw new LiteralSyntaxError(`${what} at offset ${this.pos}`);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private value(): PyValue {
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === undefined) this.fail('unexpected end of header');
    if (c === '{' || c === '(' || c === '[') {
      if (++this.depth > MAX_DEPTH) this.fail('nesting too deep');
      const v = c === '{' ? this.dict() : this.sequence(c === '(' ? ')' : ']');
      this.depth--;
      return v;
    }
    if (c === "'" || c === '"') return { kind: 'str', value: this.string(c) };
    if (c === '-' || c === '+' || (c >= '0' && c <= '9')) return { kind: 'int', value: this.integer() };
    const word = /^[A-Za-z_]\w*/.exec(this.text.slice(this.pos, this.pos + 16))?.[0];
    if (word === 'True' || word === 'False' || word === 'None') {
      this.pos += word.length;
      return word === 'None' ? { kind: 'none' } : { kind: 'bool', value: word === 'True' };
    }
    return this.fail(`unexpected ${JSON.stringify(c)}`);
  }

  /** `{k: v, ...}` with an optional trailing comma. */
  private dict(): PyValue {
    this.pos++; // '{'
    const entries: [PyValue, PyValue][] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') break;
      const key = this.value();
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      entries.push([key, this.value()]);
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== '}') this.fail("expected ',' or '}'");
    }
    this.pos++; // '}'
    return { kind: 'dict', entries };
  }

  /** `(a, b)`, `(a,)`, `()` or `[a, b]`; `(a)` is just `a`, as in Python. */
  private sequence(close: ')' | ']'): PyValue {
    this.pos++; // '(' or '['
    const items: PyValue[] = [];
    let trailingComma = false;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) break;
      items.push(this.value());
      this.skipSpace();
      trailingComma = this.text[this.pos] === ',';
      if (trailingComma) this.pos++;
      else if (this.text[this.pos] !== close) this.fail(`expected ',' or '${close}'`);
    }
    this.pos++; // close
    if (close === ']') return { kind: 'list', items };
    return items.length === 1 && !trailingComma ? items[0] : { kind: 'tuple', items };
  }

  /** A quoted string with the common backslash escapes. */
  private string(quote: string): string {
    const escapes: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '0': '\0',
      '\\': '\\',
      "'": "'",
      '"': '"',
    };
    let out = '';
    for (this.pos++; ; this.pos++) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      if (c === quote) break;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[++this.pos];
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : 0;
      if (hex) {
        const digits = this.text.slice(this.pos + 1, this.pos + 1 + hex);
        if (!new RegExp(`^[0-9a-fA-F]{${hex}}$`).test(digits)) this.fail('bad escape in string');
        out += String.fromCharCode(parseInt(digits, 16));
        this.pos += hex;
      } else if (e !== undefined && e in escapes) out += escapes[e];
      else this.fail('bad escape in string');
    }
    this.pos++; // closing quote
    return out;
  }

  /** A decimal integer, optionally signed; Python 2's `L` suffix is accepted (old headers). */
  private integer(): bigint {
    const m = /^[-+]?\s*(\d+)[lL]?/.exec(this.text.slice(this.pos));
    if (!m) this.fail('expected an integer');
    const sign = this.text[this.pos] === '-' ? -1n : 1n;
    this.pos += m[0].length;
    if (/^[.\w]/.test(this.text[this.pos] ?? '')) this.fail('expected an integer');
    return sign * BigInt(m[1]);
  }
}

/** A short Python-like rendering of a header value, for messages. */
function pyRepr(v: PyValue): string {
  switch (v.kind) {
    case 'str':
      return `'${v.value}'`;
    case 'int':
      return String(v.value);
    case 'bool':
      return v.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'list':
      return `[${v.items.map(pyRepr).join(', ')}]`;
    case 'tuple':
      return v.items.length === 1 ? `(${pyRepr(v.items[0])},)` : `(${v.items.map(pyRepr).join(', ')})`;
    case 'dict':
      return `{${v.entries.map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
}
