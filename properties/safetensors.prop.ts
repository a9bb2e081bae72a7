import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { bits, bitsTensor, doubleTensor, fcParams } from './support/arbitraries.js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  encodeSafetensors,
  SafetensorsFormatError,
  writeSafetensors,
} from '../src/io/index.js';
import { shapeSize, wrap, type Tensor } from '../src/tensor/tensor.js';

const params = fcParams(100);

const bitsTensorArb = bitsTensor(4);
const doubleTensorArb = doubleTensor(4);

/** Any non-empty name but '__metadata__', including unicode and lone surrogates. */
const nameArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).filter((s) => s !== '__metadata__');

const tensorsArb = (tensorArb: fc.Arbitrary<Tensor>): fc.Arbitrary<Record<string, Tensor>> =>
  fc.dictionary(nameArb, tensorArb, { maxKeys: 5 });

const metadataArb = fc.dictionary(
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  { maxKeys: 4 },
);

const headerLength = (bytes: Uint8Array): number =>
  Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));

describe('safetensors round trips', () => {
  it('F64: every tensor comes back bit for bit, with its shape and the metadata', () => {
    fc.assert(
      fc.property(tensorsArb(fc.oneof(bitsTensorArb, doubleTensorArb)), metadataArb, (tensors, metadata) => {
        const back = decodeSafetensors(encodeSafetensors(tensors, { metadata }));
        expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
        for (const name of Object.keys(tensors)) {
          expect(back.tensors[name].shape).toEqual(tensors[name].shape);
          expect(bits(back.tensors[name])).toEqual(bits(tensors[name]));
        }
        expect(back.metadata).toEqual({ ...metadata });
      }),
      params,
    );
  });

  it('F32: every entry comes back as Math.fround of it', () => {
    fc.assert(
      fc.property(tensorsArb(doubleTensorArb), (tensors) => {
        const back = decodeSafetensors(encodeSafetensors(tensors, { dtype: 'F32' }));
        for (const [name, t] of Object.entries(tensors)) {
          const got = back.tensors[name];
          expect(got.shape).toEqual(t.shape);
          for (let i = 0; i < t.size; i++) expect(Object.is(got.data[i], Math.fround(t.data[i]))).toBe(true);
        }
      }),
      params,
    );
  });

  it('the header is padded with spaces to a multiple of 8 and the data fills the rest', () => {
    fc.assert(
      fc.property(
        tensorsArb(doubleTensorArb),
        fc.constantFrom<'F64' | 'F32'>('F64', 'F32'),
        (tensors, dtype) => {
          const bytes = encodeSafetensors(tensors, { dtype });
          const n = headerLength(bytes);
          expect(n % 8).toBe(0);
          const text = new TextDecoder().decode(bytes.subarray(8, 8 + n));
          expect(text.trimEnd().endsWith('}')).toBe(true);
          expect(text.length - text.trimEnd().length).toBeLessThan(8);
          const size = Object.values(tensors).reduce((s, t) => s + t.size, 0);
          expect(bytes.length - 8 - n).toBe(size * (dtype === 'F64' ? 8 : 4));
        },
      ),
      params,
    );
  });
});

describe('safetensors malformed input', () => {
  /** Only SafetensorsFormatError (never a RangeError from a typed array, never a crash). */
  const onlyFormatErrors = (bytes: Uint8Array): void => {
    try {
      const { tensors } = decodeSafetensors(bytes, 'fuzz.safetensors');
      for (const t of Object.values(tensors)) expect(t.size).toBe(shapeSize(t.shape));
    } catch (err) {
      expect(err).toBeInstanceOf(SafetensorsFormatError);
      expect((err as Error).message).toMatch(/^decodeSafetensors: cannot read fuzz\.safetensors: .+\.$/s);
    }
  };

  it('a cut or extended valid file is rejected with SafetensorsFormatError', () => {
    fc.assert(
      fc.property(tensorsArb(doubleTensorArb), fc.integer({ min: -300, max: 16 }), (tensors, change) => {
        const good = encodeSafetensors(tensors);
        fc.pre(change !== 0 && good.length + change >= 0);
        const bad = new Uint8Array(good.length + change);
        bad.set(change < 0 ? good.subarray(0, bad.length) : good);
        expect(() => decodeSafetensors(bad, 'fuzz.safetensors')).toThrow(SafetensorsFormatError);
      }),
      params,
    );
  });

  it('corrupted headers and random bytes give SafetensorsFormatError or tensors, nothing else', () => {
    fc.assert(
      fc.property(
        tensorsArb(doubleTensorArb),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        fc.uint8Array({ maxLength: 64 }),
        (tensors, edits, noise) => {
          const bytes = encodeSafetensors(tensors);
          // Corrupt the length and the header: every byte there matters to the parser.
          const end = 8 + headerLength(bytes);
          const corrupt = bytes.slice();
          for (const [at, value] of edits) corrupt[at % end] = value;
          onlyFormatErrors(corrupt);
          // Digits swapped for other digits keep the JSON valid and move offsets and shapes.
          const text = new TextDecoder().decode(bytes.subarray(8, end));
          const digits = [...text.matchAll(/\d/g)].map((m) => m.index);
          if (digits.length > 0) {
            const moved = bytes.slice();
            for (const [at, value] of edits) moved[8 + digits[at % digits.length]] = 0x30 + (value % 10);
            onlyFormatErrors(moved);
          }
          onlyFormatErrors(noise);
          onlyFormatErrors(
            new Uint8Array([...new Uint8Array(new BigUint64Array([BigInt(noise.length)]).buffer), ...noise]),
          );
        },
      ),
      params,
    );
  });
});

describe('safetensors bad arguments', () => {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'unfolded-safetensors-prop-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const t = wrap(Float64Array.of(1, 2), [2]);
  const notTensor = fc.oneof(fc.anything(), fc.float64Array({ maxLength: 4 }));

  it('a non-tensor value is a TypeError naming it, and nothing is written', () => {
    fc.assert(
      fc.property(nameArb, notTensor, (name, value) => {
        const tensors = Object.fromEntries([
          ['a', t],
          [name, value],
        ]) as Record<string, Tensor>;
        const template = /^encodeSafetensors: argument 'tensors\[".*"\]' must be a tensor\. Got .+\.$/s;
        expect(() => encodeSafetensors(tensors)).toThrow(TypeError);
        expect(() => encodeSafetensors(tensors)).toThrow(template);
        const path = join(dir, 'x.safetensors');
        expect(() => writeSafetensors(path, tensors)).toThrow(TypeError);
        expect(fs.existsSync(path)).toBe(false);
      }),
      params,
    );
  });

  it('empty names and __metadata__ are RangeErrors; non-objects are TypeErrors', () => {
    const notObject = fc.oneof(
      fc.constant(null),
      fc.constant(undefined),
      fc.string(),
      fc.double(),
      fc.boolean(),
      fc.array(fc.nat()),
      fc.constant(t),
    );
    fc.assert(
      fc.property(fc.constantFrom('', '__metadata__'), notObject, (name, value) => {
        const tensors = Object.fromEntries([[name, t]]) as Record<string, Tensor>;
        expect(() => encodeSafetensors(tensors)).toThrow(RangeError);
        expect(() => encodeSafetensors(tensors)).toThrow(
          /^encodeSafetensors: argument 'tensors' must be an object of named tensors with non-empty names other than '__metadata__'\. Got the name ".*"\.$/,
        );
        expect(() => encodeSafetensors(value as never)).toThrow(TypeError);
        expect(() => encodeSafetensors(value as never)).toThrow(
          /^encodeSafetensors: argument 'tensors' must be an object of named tensors such as \{ weight: t \}\. Got .+\.$/s,
        );
      }),
      params,
    );
  });

  it('a bad dtype option is a RangeError (unknown name) or TypeError (not a string)', () => {
    const badDtype = fc.oneof(
      fc.string().filter((s) => s !== 'F64' && s !== 'F32'),
      fc.anything().filter((v) => typeof v !== 'string' && v !== undefined),
    );
    fc.assert(
      fc.property(badDtype, (dtype) => {
        const kind = typeof dtype === 'string' ? RangeError : TypeError;
        const template =
          /^encodeSafetensors: argument 'options\.dtype' must be one of 'F64', 'F32'\. Got .+\.$/s;
        expect(() => encodeSafetensors({ t }, { dtype: dtype as never })).toThrow(kind);
        expect(() => encodeSafetensors({ t }, { dtype: dtype as never })).toThrow(template);
        expect(() => writeSafetensors(join(dir, 'y.safetensors'), { t }, { dtype: dtype as never })).toThrow(
          kind,
        );
        expect(fs.readdirSync(dir)).toEqual([]);
      }),
      params,
    );
  });

  it('non-string metadata values are TypeErrors naming the key', () => {
    const notString = fc.anything().filter((v) => typeof v !== 'string');
    fc.assert(
      fc.property(metadataArb, fc.string({ maxLength: 6 }), notString, (metadata, key, value) => {
        const bad = { ...metadata, [key]: value } as Record<string, string>;
        expect(() => encodeSafetensors({ t }, { metadata: bad })).toThrow(TypeError);
        expect(() => encodeSafetensors({ t }, { metadata: bad })).toThrow(
          /^encodeSafetensors: argument 'options\.metadata\[".*"\]' must be a string\. Got .+\.$/s,
        );
      }),
      params,
    );
  });
});
