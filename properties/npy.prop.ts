import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { bits, bitsTensor, doubleTensor, fcParams } from './support/arbitraries.js';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, NpyFormatError, writeNpy } from '../src/io/index.js';
import { wrap } from '../src/tensor/tensor.js';

const params = fcParams(100);

const bitsTensorArb = bitsTensor(6);
const doubleTensorArb = doubleTensor(6);

describe('npy round trips', () => {
  it('float64: decode(encode(t)) is t, bit for bit', () => {
    fc.assert(
      fc.property(fc.oneof(bitsTensorArb, doubleTensorArb), (t) => {
        const back = decodeNpy(encodeNpy(t));
        expect(back.shape).toEqual(t.shape);
        expect(bits(back)).toEqual(bits(t));
      }),
      params,
    );
  });

  it('float32: decode(encode(t, float32)) is Math.fround of each entry', () => {
    fc.assert(
      fc.property(doubleTensorArb, (t) => {
        const back = decodeNpy(encodeNpy(t, { dtype: 'float32' }));
        expect(back.shape).toEqual(t.shape);
        for (let i = 0; i < t.size; i++) expect(Object.is(back.data[i], Math.fround(t.data[i]))).toBe(true);
      }),
      params,
    );
  });

  it('the data starts on a 64-byte boundary right after a newline-terminated header', () => {
    fc.assert(
      fc.property(
        doubleTensorArb,
        fc.constantFrom<'float64' | 'float32'>('float64', 'float32'),
        (t, dtype) => {
          const bytes = encodeNpy(t, { dtype });
          const headerEnd = 10 + new DataView(bytes.buffer).getUint16(8, true);
          expect(headerEnd % 64).toBe(0);
          expect(bytes[headerEnd - 1]).toBe(0x0a);
          expect(bytes.length - headerEnd).toBe(t.size * (dtype === 'float64' ? 8 : 4));
        },
      ),
      params,
    );
  });
});

describe('npy malformed input', () => {
  /** Only NpyFormatError (never a RangeError from a typed array, never a crash) for bad bytes. */
  const onlyFormatErrors = (bytes: Uint8Array): void => {
    try {
      decodeNpy(bytes, 'fuzz.npy');
    } catch (err) {
      expect(err).toBeInstanceOf(NpyFormatError);
      expect((err as Error).message).toMatch(/^decodeNpy: cannot read fuzz\.npy: .+\.$/);
    }
  };

  it('a cut or extended valid file is rejected with NpyFormatError', () => {
    fc.assert(
      fc.property(doubleTensorArb, fc.integer({ min: -300, max: 16 }), (t, change) => {
        const good = encodeNpy(t);
        fc.pre(change !== 0 && good.length + change >= 0);
        const bad = new Uint8Array(good.length + change);
        bad.set(change < 0 ? good.subarray(0, bad.length) : good);
        expect(() => decodeNpy(bad, 'fuzz.npy')).toThrow(NpyFormatError);
      }),
      params,
    );
  });

  it('random bytes and corrupted headers give NpyFormatError or a tensor, nothing else', () => {
    fc.assert(
      fc.property(
        doubleTensorArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        fc.uint8Array({ maxLength: 64 }),
        (t, edits, noise) => {
          const bytes = encodeNpy(t);
          // Corrupt the header only: every byte there matters to the parser.
          const headerEnd = 10 + new DataView(bytes.buffer).getUint16(8, true);
          for (const [at, value] of edits) bytes[at % headerEnd] = value;
          onlyFormatErrors(bytes);
          onlyFormatErrors(noise);
        },
      ),
      params,
    );
  });
});

describe('npy bad arguments', () => {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'unfolded-npy-prop-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const t = wrap(Float64Array.of(1, 2), [2]);
  const notTensor = fc.oneof(fc.anything(), fc.float64Array({ maxLength: 4 }));

  it('a non-tensor is a TypeError with the template message', () => {
    fc.assert(
      fc.property(notTensor, (value) => {
        expect(() => encodeNpy(value as never)).toThrow(TypeError);
        expect(() => encodeNpy(value as never)).toThrow(
          /^encodeNpy: argument 't' must be a tensor\. Got .+\.$/s,
        );
        const path = join(dir, 'x.npy');
        expect(() => writeNpy(path, value as never)).toThrow(
          /^writeNpy: argument 't' must be a tensor\. Got .+\.$/s,
        );
        expect(fs.existsSync(path)).toBe(false);
      }),
      params,
    );
  });

  it('a bad dtype option is a RangeError (unknown name) or TypeError (not a string)', () => {
    const badDtype = fc.oneof(
      fc.string().filter((s) => s !== 'float64' && s !== 'float32'),
      fc.anything().filter((v) => typeof v !== 'string' && v !== undefined),
    );
    fc.assert(
      fc.property(badDtype, (dtype) => {
        const kind = typeof dtype === 'string' ? RangeError : TypeError;
        const template =
          /^encodeNpy: argument 'options\.dtype' must be one of 'float64', 'float32'\. Got .+\.$/s;
        expect(() => encodeNpy(t, { dtype: dtype as never })).toThrow(kind);
        expect(() => encodeNpy(t, { dtype: dtype as never })).toThrow(template);
        expect(() => writeNpy(join(dir, 'y.npy'), t, { dtype: dtype as never })).toThrow(kind);
        expect(fs.readdirSync(dir)).toEqual([]);
      }),
      params,
    );
  });

  it('non-object options and non-string paths are TypeErrors', () => {
    const notObject = fc.oneof(fc.constant(null), fc.string(), fc.double(), fc.boolean(), fc.array(fc.nat()));
    const notPath = fc.anything().filter((v) => typeof v !== 'string');
    fc.assert(
      fc.property(notObject, notPath, (options, path) => {
        expect(() => encodeNpy(t, options as never)).toThrow(
          /^encodeNpy: argument 'options' must be an options object such as \{ dtype: 'float32' \}\. Got .+\.$/s,
        );
        expect(() => writeNpy(path as never, t)).toThrow(
          /^writeNpy: argument 'path' must be a file path \(a string\)\. Got .+\.$/s,
        );
        expect(fs.readdirSync(dir)).toEqual([]);
      }),
      params,
    );
  });
});
