/**
 * Model files (src/unrolled/model-file.ts): FNV-1a test vectors and the operator checksum, F64
 * round trips bit for bit (F32 to float32 rounding), the metadata written, atomic save/load, and
 * the errors: another operator, corruption, truncation, malformed metadata or tensors.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fromArray, transpose, type Tensor } from '../../src/tensor/index.js';
import { gaussianMatrix, normal } from '../../src/random/index.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  FileFormatError,
  SafetensorsFormatError,
} from '../../src/io/index.js';
import { Fnv1a64 } from '../../src/unrolled/model-file.js';
import {
  applyModel,
  createModel,
  decodeModel,
  encodeModel,
  loadModel,
  MODEL_KINDS,
  modelContentChecksum,
  ModelFileError,
  operatorChecksum,
  saveModel,
  withParams,
  type Model,
} from '../../src/unrolled/index.js';

const A = gaussianMatrix(5, 4, 6);
const bits = (t: Tensor): number[] => Array.from(new Uint8Array(Float64Array.from(t.data).buffer));

/** A model of each kind with parameters moved away from the initial ones. */
function trainedModel(kind: (typeof MODEL_KINDS)[number], shared = false): Model {
  const model = createModel(kind, A, {
    depth: 3,
    lambda: 0.1 + 1 / 3,
    lambdaMode: kind === 'slista' ? 'ratio' : 'fixed',
    shared: shared ? true : undefined,
    supportSelection: kind === 'lista-cp' ? 12.5 : undefined,
  });
  const params: Record<string, Tensor> = {};
  Object.entries(model.params).forEach(([name, t], k) => {
    const noise = normal(100 + k, t.shape).data;
    params[name] = fromArray(
      Array.from(t.data, (v, i) => Math.abs(v + 0.1 * noise[i])),
      t.shape,
    );
  });
  return withParams(model, params);
}

/** Re-encodes a model file's tensors and metadata after `edit`, with a valid content checksum. */
function reencode(
  bytes: Uint8Array,
  edit: (tensors: Record<string, Tensor>, metadata: Record<string, string>) => void,
): Uint8Array {
  const { tensors, metadata } = decodeSafetensors(bytes);
  edit(tensors, metadata);
  metadata.contentChecksum = modelContentChecksum(metadata, tensors);
  return encodeSafetensors(tensors, { metadata });
}

describe('checksums', () => {
  it('FNV-1a 64 matches the reference test vectors', () => {
    const hash = (s: string): string => new Fnv1a64().updateText(s).hex();
    expect(hash('')).toBe('cbf29ce484222325');
    expect(hash('a')).toBe('af63dc4c8601ec8c');
    expect(hash('foobar')).toBe('85944171f73967e8');
  });

  it('operatorChecksum depends on the shape and the values, not on the sign of zero', () => {
    const c = operatorChecksum(A);
    expect(c).toMatch(/^[0-9a-f]{16}$/);
    expect(operatorChecksum(fromArray(Array.from(A.data), [4, 6]))).toBe(c);
    expect(operatorChecksum(fromArray(Array.from(A.data), [6, 4]))).not.toBe(c);
    const nudged = Float64Array.from(A.data);
    nudged[7] = nudged[7] * (1 + 2 ** -52);
    expect(operatorChecksum(fromArray(nudged, [4, 6]))).not.toBe(c);
    expect(operatorChecksum(fromArray([0, 1], [1, 2]))).toBe(operatorChecksum(fromArray([-0, 1], [1, 2])));
    expect(() => operatorChecksum(fromArray([1, NaN], [1, 2]))).toThrow(RangeError);
  });
});

describe('encode and decode', () => {
  it('F64 round-trips every kind bit for bit, with its spec', () => {
    for (const kind of MODEL_KINDS)
      for (const shared of [false, true]) {
        const model = trainedModel(kind, shared);
        const back = decodeModel(encodeModel(model), A);
        expect(back.spec).toEqual(model.spec);
        expect(Object.keys(back.params).sort()).toEqual(Object.keys(model.params).sort());
        for (const [name, t] of Object.entries(model.params)) {
          expect(back.params[name].shape).toEqual(t.shape);
          expect(bits(back.params[name])).toEqual(bits(t));
        }
        expect(back.A).toBe(A);
        const Y = normal(3, [2, 4]);
        expect(Array.from(applyModel(back, Y).output.data)).toEqual(
          Array.from(applyModel(model, Y).output.data),
        );
      }
  });

  it('writes the metadata and a standard safetensors file', () => {
    const model = trainedModel('lista-cp');
    const { metadata, tensors } = decodeSafetensors(encodeModel(model));
    expect(metadata).toMatchObject({
      format: 'unfolded-model',
      formatVersion: '1',
      kind: 'lista-cp',
      depth: '3',
      lambda: String(0.1 + 1 / 3),
      lambdaMode: 'fixed',
      shared: '',
      supportSelection: '12.5',
      operatorShape: '4,6',
      operatorChecksum: operatorChecksum(A),
    });
    expect(metadata.contentChecksum).toMatch(/^[0-9a-f]{16}$/);
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(model.params).sort());
    expect(decodeSafetensors(encodeModel(trainedModel('lista', true))).metadata.shared).toBe('W1,W2,theta');
  });

  it('F32 files hold the values rounded to float32', () => {
    const model = trainedModel('lista');
    const bytes = encodeModel(model, { dtype: 'F32' });
    expect(bytes.length).toBeLessThan(encodeModel(model).length);
    const back = decodeModel(bytes, A);
    for (const [name, t] of Object.entries(model.params))
      expect(Array.from(back.params[name].data)).toEqual(Array.from(t.data, (v) => Math.fround(v)));
    const huge = withParams(model, { ...model.params, 'layers.1.theta': fromArray([1e39], [1]) });
    expect(() => encodeModel(huge, { dtype: 'F32' })).toThrow(
      "encodeModel: argument 'model' must be a model whose parameters fit in float32 (|v| < 3.4e38) for an 'F32' file. Got 1e+39 at flat index 0 of 'layers.1.theta'.",
    );
    expect(decodeModel(encodeModel(huge), A).params['layers.1.theta'].data[0]).toBe(1e39);
    expect(() => encodeModel(model, { dtype: 'F16' as 'F32' })).toThrow(
      "encodeModel: argument 'options.dtype' must be one of 'F64', 'F32'. Got \"F16\".",
    );
  });
});

describe('errors', () => {
  const model = trainedModel('alista');
  const bytes = encodeModel(model);
  const fails = (b: Uint8Array, text: string, Err: typeof FileFormatError = ModelFileError, op = A): void => {
    expect(() => decodeModel(b, op, 'm.safetensors')).toThrow(Err);
    expect(() => decodeModel(b, op, 'm.safetensors')).toThrow(
      `decodeModel: cannot read m.safetensors: ${text}`,
    );
  };

  it('another operator: names both shapes and checksums', () => {
    const B = gaussianMatrix(6, 4, 6);
    fails(
      bytes,
      `the model was trained for another operator: the file's operator has shape [4, 6] and checksum ${operatorChecksum(A)}, the given operator has shape [4, 6] and checksum ${operatorChecksum(B)}.`,
      ModelFileError,
      B,
    );
    const slista = encodeModel(trainedModel('slista'));
    const At = transpose(A);
    fails(
      slista,
      "the model was trained for another operator: the file's operator has shape [4, 6]",
      ModelFileError,
      At,
    );
  });

  it('a corrupted byte in the data or the header is rejected', () => {
    const data = bytes.slice();
    data[data.length - 3] ^= 0x10;
    fails(data, 'the file is corrupted: its content checksum is');
    const text = new TextDecoder().decode(bytes);
    const at = text.indexOf('"lambda":"') + '"lambda":"'.length;
    const header = bytes.slice();
    header[at] = '9'.charCodeAt(0);
    fails(header, 'the file is corrupted');
  });

  it('truncated files are rejected by the safetensors reader, naming the file', () => {
    for (const cut of [0, 5, 40, bytes.length - 1]) {
      expect(() => decodeModel(bytes.subarray(0, cut), A, 'm.safetensors')).toThrow(SafetensorsFormatError);
      expect(() => decodeModel(bytes.subarray(0, cut), A, 'm.safetensors')).toThrow(
        'decodeModel: cannot read m.safetensors: ',
      );
    }
  });

  it('malformed metadata and tensors are rejected with what is wrong', () => {
    fails(
      encodeSafetensors({ w: fromArray([1], [1]) }),
      "the metadata has no 'format' (is it a model file written by saveModel?)",
    );
    fails(
      reencode(bytes, (_, md) => (md.format = 'pt')),
      `the metadata 'format' is "pt", not 'unfolded-model'`,
    );
    fails(
      reencode(bytes, (_, md) => (md.formatVersion = '2')),
      'unsupported model file version "2"',
    );
    fails(
      reencode(bytes, (_, md) => (md.kind = 'lstm')),
      'unknown model kind "lstm"',
    );
    fails(
      reencode(bytes, (_, md) => (md.depth = '0')),
      `the metadata 'depth' is "0", not a number`,
    );
    fails(
      reencode(bytes, (_, md) => (md.depth = '4')),
      "missing tensor 'layers.3.gamma'",
    );
    fails(
      reencode(bytes, (_, md) => (md.lambda = '')),
      `the metadata 'lambda' is "", not a number`,
    );
    fails(
      reencode(bytes, (_, md) => (md.lambda = '-1')),
      "the metadata 'lambda' must be a finite number >= 0. Got -1.",
    );
    fails(
      reencode(bytes, (_, md) => (md.shared = 'W')),
      "the metadata 'shared' must be true, false or a list of field names of an alista model (gamma, theta). Got the unknown field 'W'.",
    );
    fails(
      reencode(bytes, (_, md) => (md.supportSelection = '5')),
      "the metadata 'supportSelection' must be 0 for an alista model",
    );
    fails(
      reencode(bytes, (t) => delete t['layers.1.theta']),
      "missing tensor 'layers.1.theta'",
    );
    fails(
      reencode(bytes, (t) => (t.extra = fromArray([1], [1]))),
      "unknown tensor 'extra' (an alista model of depth 3 has",
    );
    fails(
      reencode(bytes, (t) => (t['layers.0.gamma'] = fromArray([1, 2], [2]))),
      "tensor 'layers.0.gamma' has shape [2], expected [1]",
    );
    fails(
      reencode(bytes, (t) => (t['layers.2.theta'] = fromArray([-0.5], [1]))),
      "tensor 'layers.2.theta' is -0.5, but theta must be >= 0",
    );
    // modelContentChecksum is the checksum encodeModel writes: an unedited re-encoding reads back.
    const same = reencode(bytes, () => undefined);
    expect(decodeSafetensors(same).metadata.contentChecksum).toBe(
      decodeSafetensors(bytes).metadata.contentChecksum,
    );
    expect(decodeModel(same, A).spec).toEqual(model.spec);
  });

  it('bad arguments follow the template', () => {
    expect(() => decodeModel([1, 2] as unknown as Uint8Array, A)).toThrow(
      "decodeModel: argument 'bytes' must be a Uint8Array. Got [1, 2].",
    );
    expect(() => decodeModel(bytes, fromArray([1, 2], [2]))).toThrow(
      "decodeModel: argument 'A' must be a tensor of rank 2",
    );
    expect(() => encodeModel({} as Model)).toThrow("encodeModel: argument 'model' must be a model");
  });
});

describe('save and load', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unfolded-model-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('saves atomically and loads the same model', () => {
    const model = trainedModel('lista', true);
    const file = path.join(dir, 'lista.safetensors');
    saveModel(file, model);
    expect(fs.readdirSync(dir)).toEqual(['lista.safetensors']);
    const back = loadModel(file, A);
    for (const [name, t] of Object.entries(model.params)) expect(bits(back.params[name])).toEqual(bits(t));
    expect(back.spec).toEqual(model.spec);
  });

  it('names the file in errors', () => {
    const file = path.join(dir, 'short.safetensors');
    fs.writeFileSync(file, encodeModel(trainedModel('slista')).subarray(0, 30));
    expect(() => loadModel(file, A)).toThrow(`loadModel: cannot read ${file}: `);
    expect(() => loadModel(path.join(dir, 'none.safetensors'), A)).toThrow('no such file or directory');
    expect(() => saveModel('', trainedModel('slista'))).toThrow(
      "saveModel: argument 'path' must be a non-empty file path",
    );
  });
});
