/**
 * Model files: a model's named parameter tensors in a safetensors file (the weight format of
 * PyTorch and others), with the spec in the string metadata. io/ knows files and tensors only, so
 * turning a model into named tensors and back lives here, beside the model (DESIGN.md).
 *
 * Metadata (all strings):
 *
 *     format 'unfolded-model', formatVersion '1', kind, depth, lambda, lambdaMode,
 *     shared (comma list, '' for none), supportSelection, operatorShape 'n,m',
 *     operatorChecksum (see operatorChecksum), contentChecksum
 *
 * `contentChecksum` is FNV-1a 64 over the other metadata and every tensor's name, shape and values
 * (as stored, read back as float64). FNV-1a maps a change of any one byte to a different hash (each
 * step is a bijection of the state), so a file with one corrupted byte anywhere is rejected (or,
 * for a byte of header padding that stays whitespace, read unchanged) rather than read as a
 * different model; larger corruptions slip through with probability about 2^-64. Files written by
 * other tools must carry it too (compute it as encodeModel does).
 *
 * Loading checks the operator: a file records the shape and checksum of the operator it was
 * trained for, and loading it with another operator fails with both named. ALISTA's analytic
 * weight is not stored: it is recomputed from the operator (deterministic).
 *
 * @module
 */
import { checkPath, FileFormatError, readFileBytes, writeFileBytes } from '../io/files.js';
import { decodeSafetensors, encodeSafetensors, SafetensorsFormatError } from '../io/safetensors.js';
import { unsafeData, type Tensor } from '../tensor/tensor.js';
import { checkOneOf, checkTensor, Got, rangeError, typeError } from '../validate/index.js';
import {
  aKind,
  alistaWeightOf,
  checkModel,
  checkSpecFields,
  isScalarParameter,
  makeModel,
  parameterShapes,
} from './model.js';
import { MODEL_KINDS, type Model, type ModelSpec } from './model-types.js';

/** A model file that cannot be used: malformed metadata or tensors, corruption, or another operator. */
export class ModelFileError extends FileFormatError {
  constructor(source: string, problem: string, fn = 'decodeModel') {
    super(source, problem, fn);
    this.name = 'ModelFileError';
  }
}

/** The value of the metadata key `format`. */
export const MODEL_FILE_FORMAT = 'unfolded-model';
/** The value of the metadata key `formatVersion` this module writes and reads. */
export const MODEL_FILE_VERSION = '1';

const CONTENT_CHECKSUM = 'contentChecksum';
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// ---------------------------------------------------------------------------------------------
// FNV-1a 64, in four 16-bit limbs (exact in doubles, no BigInt, no node:crypto)

/** @internal An FNV-1a 64-bit hash state. */
export class Fnv1a64 {
  // Limbs, least significant first; the offset basis 0xcbf29ce484222325.
  #h0 = 0x2325;
  #h1 = 0x8422;
  #h2 = 0x9ce4;
  #h3 = 0xcbf2;

  /** Hashes the bytes in. */
  update(bytes: Uint8Array): this {
    let h0 = this.#h0;
    let h1 = this.#h1;
    let h2 = this.#h2;
    let h3 = this.#h3;
    for (let k = 0; k < bytes.length; k++) {
      h0 ^= bytes[k];
      // h *= 0x100000001b3 (mod 2^64): the prime is 0x1b3 + 0x100 * 2^32.
      const r0 = h0 * 0x1b3;
      const r1 = h1 * 0x1b3 + (r0 >>> 16);
      const r2 = h2 * 0x1b3 + h0 * 0x100 + (r1 >>> 16);
      const r3 = h3 * 0x1b3 + h1 * 0x100 + (r2 >>> 16);
      h0 = r0 & 0xffff;
      h1 = r1 & 0xffff;
      h2 = r2 & 0xffff;
      h3 = r3 & 0xffff;
    }
    this.#h0 = h0;
    this.#h1 = h1;
    this.#h2 = h2;
    this.#h3 = h3;
    return this;
  }

  /** Hashes a string in as UTF-8. */
  updateText(text: string): this {
    return this.update(new TextEncoder().encode(text));
  }

  /** Hashes float64 values in as little-endian bytes (-0 as +0 when `canonicalZero`). */
  updateFloat64(values: ArrayLike<number>, canonicalZero: boolean): this {
    const copy = Float64Array.from(values);
    if (canonicalZero) for (let k = 0; k < copy.length; k++) if (copy[k] === 0) copy[k] = 0;
    if (LITTLE_ENDIAN) return this.update(new Uint8Array(copy.buffer));
    const bytes = new Uint8Array(copy.length * 8);
    const view = new DataView(bytes.buffer);
    for (let k = 0; k < copy.length; k++) view.setFloat64(8 * k, copy[k], true);
    return this.update(bytes);
  }

  /** The hash as 16 lower-case hex digits. */
  hex(): string {
    return [this.#h3, this.#h2, this.#h1, this.#h0].map((h) => h.toString(16).padStart(4, '0')).join('');
  }
}

/**
 * A checksum of an operator A (n, m): FNV-1a 64 over `n,m;` and the little-endian float64 bytes of
 * its entries (-0 counted as 0), 16 hex digits. Pure TypeScript (works in a browser).
 */
export function operatorChecksum(A: Tensor): string {
  const At = checkTensor('operatorChecksum', 'A', A, { rank: 2 });
  return new Fnv1a64().updateText(`${At.shape[0]},${At.shape[1]};`).updateFloat64(unsafeData(At), true).hex();
}

/**
 * The `contentChecksum` of a model file with the given metadata (the key `contentChecksum` itself
 * is left out) and tensors (their values as stored: rounded to float32 for an F32 file): FNV-1a 64
 * over the JSON of the sorted [key, value] pairs, then per tensor in sorted name order the JSON of
 * [name, shape] and the little-endian float64 bytes of its values. 16 hex digits.
 */
export function modelContentChecksum(
  metadata: Readonly<Record<string, string>>,
  tensors: Readonly<Record<string, Tensor>>,
): string {
  return contentChecksum(metadata, tensors);
}

function contentChecksum(
  metadata: Readonly<Record<string, string>>,
  tensors: Readonly<Record<string, { readonly shape: readonly number[]; readonly data: ArrayLike<number> }>>,
): string {
  const h = new Fnv1a64();
  const keys = Object.keys(metadata)
    .filter((k) => k !== CONTENT_CHECKSUM)
    .sort();
  h.updateText(JSON.stringify(keys.map((k) => [k, metadata[k]])));
  for (const name of Object.keys(tensors).sort()) {
    const t = tensors[name];
    h.updateText(JSON.stringify([name, t.shape]));
    h.updateFloat64(t.data, false);
  }
  return h.hex();
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Options of {@link encodeModel} and {@link saveModel}. */
export interface ModelWriteOptions {
  /** 'F64' (default, exact) or 'F32' (rounded like Math.fround). */
  readonly dtype?: 'F64' | 'F32';
}

function specMetadata(spec: ModelSpec, A: Tensor): Record<string, string> {
  return {
    format: MODEL_FILE_FORMAT,
    formatVersion: MODEL_FILE_VERSION,
    kind: spec.kind,
    depth: String(spec.depth),
    lambda: String(spec.lambda),
    lambdaMode: spec.lambdaMode,
    shared: spec.shared.join(','),
    supportSelection: String(spec.supportSelection),
    operatorShape: `${A.shape[0]},${A.shape[1]}`,
    operatorChecksum: operatorChecksum(A),
  };
}

function encode(fn: string, model: unknown, options: unknown): Uint8Array {
  const mdl = checkModel(fn, model);
  if (options === null || typeof options !== 'object')
    typeError(fn, 'options', "an object such as { dtype: 'F32' }", options);
  const { dtype: d } = options as ModelWriteOptions;
  const dtype = d === undefined ? 'F64' : checkOneOf(fn, 'options.dtype', d, ['F64', 'F32'] as const);
  const metadata = specMetadata(mdl.spec, mdl.A);
  // The checksum covers the values as stored: rounded to float32 for F32 files.
  if (dtype === 'F32')
    for (const [name, t] of Object.entries(mdl.params)) {
      const k = t.data.findIndex((v) => !Number.isFinite(Math.fround(v)));
      if (k >= 0)
        rangeError(
          fn,
          'model',
          "a model whose parameters fit in float32 (|v| < 3.4e38) for an 'F32' file",
          new Got(`${t.data[k]} at flat index ${k} of '${name}'`),
        );
    }
  const stored =
    dtype === 'F64'
      ? mdl.params
      : Object.fromEntries(
          Object.entries(mdl.params).map(([name, t]) => [
            name,
            { shape: t.shape, data: Float64Array.from(t.data, (v) => Math.fround(v)) },
          ]),
        );
  metadata[CONTENT_CHECKSUM] = contentChecksum(metadata, stored);
  return encodeSafetensors(mdl.params, { dtype, metadata });
}

/** The bytes of a model file for `model` (F64 by default: exact). */
export function encodeModel(model: Model, options: ModelWriteOptions = {}): Uint8Array {
  return encode('encodeModel', model, options);
}

/** Writes a model file atomically (a failed write leaves any existing file untouched). */
export function saveModel(path: string, model: Model, options: ModelWriteOptions = {}): void {
  const fn = 'saveModel';
  checkPath(fn, path);
  writeFileBytes(fn, path, encode(fn, model, options));
}

// ---------------------------------------------------------------------------------------------
// Reading

const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INTEGER = /^[1-9]\d*$/;

function decode(fn: string, bytes: Uint8Array, A: Tensor, source: string): Model {
  const fail = (problem: string): never => {
    throw new ModelFileError(source, problem, fn);
  };
  let contents;
  try {
    contents = decodeSafetensors(bytes, source);
  } catch (err) {
    if (err instanceof SafetensorsFormatError) throw new SafetensorsFormatError(source, err.problem, fn);
    throw err;
  }
  const { tensors, metadata } = contents;
  const meta = (key: string): string => {
    const v = metadata[key];
    return v === undefined
      ? fail(`the metadata has no '${key}' (is it a model file written by saveModel?)`)
      : v;
  };
  const format = meta('format');
  if (format !== MODEL_FILE_FORMAT)
    fail(`the metadata 'format' is ${JSON.stringify(format)}, not '${MODEL_FILE_FORMAT}': not a model file`);
  const version = meta('formatVersion');
  if (version !== MODEL_FILE_VERSION)
    fail(
      `unsupported model file version ${JSON.stringify(version)} (this library reads version ${MODEL_FILE_VERSION})`,
    );
  const stored = meta(CONTENT_CHECKSUM);
  const actual = contentChecksum(metadata, tensors);
  if (stored !== actual)
    fail(
      `the file is corrupted: its content checksum is ${actual} but the file records ${JSON.stringify(stored)}`,
    );

  const kind = meta('kind');
  if (!(MODEL_KINDS as readonly string[]).includes(kind))
    fail(`unknown model kind ${JSON.stringify(kind)} (known: ${MODEL_KINDS.join(', ')})`);
  const number = (key: string, pattern: RegExp): number => {
    const text = meta(key);
    if (!pattern.test(text)) fail(`the metadata '${key}' is ${JSON.stringify(text)}, not a number`);
    return Number(text);
  };
  const depth = number('depth', INTEGER);
  const lambda = number('lambda', NUMBER);
  const supportSelection = number('supportSelection', NUMBER);
  const sharedText = meta('shared');
  let spec: ModelSpec;
  try {
    spec = checkSpecFields(
      fn,
      kind,
      depth,
      lambda,
      meta('lambdaMode'),
      sharedText === '' ? [] : sharedText.split(','),
      supportSelection,
    );
  } catch (err) {
    // The spec checks name the metadata keys: 'fn: argument 'lambda' must be ...' -> 'the metadata 'lambda' must be ...'.
    return fail((err as Error).message.replace(/^[^:]+: argument /, 'the metadata ').replace(/\.$/, ''));
  }
  if (spec.shared.join(',') !== sharedText)
    fail(
      `the metadata 'shared' is ${JSON.stringify(sharedText)}, not ${JSON.stringify(spec.shared.join(','))} (fields in order, without repeats)`,
    );

  const [n, m] = A.shape;
  const fileShape = meta('operatorShape');
  const fileChecksum = meta('operatorChecksum');
  const checksum = operatorChecksum(A);
  if (fileShape !== `${n},${m}` || fileChecksum !== checksum)
    fail(
      `the model was trained for another operator: the file's operator has shape [${fileShape.replace(',', ', ')}] and checksum ${fileChecksum}, the given operator has shape [${n}, ${m}] and checksum ${checksum}`,
    );

  const expected = parameterShapes(spec, [n, m]);
  for (const name of Object.keys(tensors))
    if (!expected.has(name))
      fail(
        `unknown tensor '${name}' (${aKind(kind)} model of depth ${depth} has ${[...expected.keys()].join(', ')})`,
      );
  for (const [name, shape] of expected) {
    const t = tensors[name];
    if (t === undefined) fail(`missing tensor '${name}'`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i]))
      fail(`tensor '${name}' has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
    const d = t.data;
    for (let k = 0; k < d.length; k++)
      if (!Number.isFinite(d[k]))
        fail(`tensor '${name}' has the non-finite value ${d[k]} at flat index ${k}`);
    if (isScalarParameter(name) && d[0] < 0)
      fail(`tensor '${name}' is ${d[0]}, but ${name.split('.').pop()} must be >= 0`);
  }
  if (spec.kind === 'alista') alistaWeightOf(A);
  return makeModel(spec, A, tensors);
}

function checkOperator(fn: string, A: unknown): Tensor {
  return checkTensor(fn, 'A', A, { rank: 2 });
}

/**
 * The model in the bytes of a model file, for the operator A it was trained for. `source` names the
 * bytes in messages. Throws SafetensorsFormatError for a malformed safetensors file and
 * {@link ModelFileError} for a malformed or corrupted model file or another operator.
 */
export function decodeModel(bytes: Uint8Array, A: Tensor, source = '<buffer>'): Model {
  const fn = 'decodeModel';
  if (!(bytes instanceof Uint8Array)) typeError(fn, 'bytes', 'a Uint8Array', bytes);
  const At = checkOperator(fn, A);
  if (typeof source !== 'string') typeError(fn, 'source', 'a string', source);
  return decode(fn, bytes, At, source);
}

/** Reads a model file (see {@link decodeModel}) for the operator A it was trained for. */
export function loadModel(path: string, A: Tensor): Model {
  const fn = 'loadModel';
  checkPath(fn, path);
  const At = checkOperator(fn, A);
  return decode(fn, readFileBytes(fn, path), At, path);
}
