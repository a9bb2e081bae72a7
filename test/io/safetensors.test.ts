import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromArray, tensor } from '../../src/tensor/create.js';
import { wrap, type Tensor } from '../../src/tensor/tensor.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensors,
  SafetensorsFormatError,
  writeSafetensors,
} from '../../src/io/index.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(join(os.tmpdir(), 'unfolded-safetensors-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const f64Bytes = (values: number[]): Uint8Array => new Uint8Array(Float64Array.from(values).buffer);
const f32Bytes = (values: number[]): Uint8Array => new Uint8Array(Float32Array.from(values).buffer);
const bits = (t: Tensor): Uint8Array => new Uint8Array(Float64Array.from(t.data).buffer);

/** The 8-byte little-endian length of a header. */
function lengthBytes(length: number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(length), true);
  return out;
}

/** A file with a hand-written header (unpadded unless the text has padding) and a data buffer. */
function handMade(header: string | object, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const text = ascii(typeof header === 'string' ? header : JSON.stringify(header));
  return concat(lengthBytes(text.length), text, data);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The format error for `bytes`, with its message checked to follow the template. */
function decodeError(bytes: Uint8Array, source = 'mem.safetensors'): SafetensorsFormatError {
  try {
    decodeSafetensors(bytes, source);
  } catch (err) {
    expect(err).toBeInstanceOf(SafetensorsFormatError);
    const e = err as SafetensorsFormatError;
    expect(e.source).toBe(source);
    expect(e.message).toBe(`decodeSafetensors: cannot read ${source}: ${e.problem}.`);
    return e;
  }
  throw new Error('decodeSafetensors did not throw');
}

const problem = (bytes: Uint8Array): string => decodeError(bytes).problem;

describe('encodeSafetensors: the bytes', () => {
  it('writes an F64 file byte by byte: sorted names, contiguous offsets, header padded to 8', () => {
    const bytes = encodeSafetensors({
      w: tensor([
        [1, 2],
        [3, 4],
      ]),
      b: tensor([0.5]),
    });
    const json =
      '{"b":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},' +
      '"w":{"dtype":"F64","shape":[2,2],"data_offsets":[8,40]}}';
    expect(json.length).toBe(110);
    const expected = concat(lengthBytes(112), ascii(json + '  '), f64Bytes([0.5, 1, 2, 3, 4]));
    expect(bytes).toEqual(expected);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([112, 0, 0, 0, 0, 0, 0, 0]);
    expect((8 + 112) % 8).toBe(0);
  });

  it('writes an F32 file with metadata first and a rank-0 tensor', () => {
    const bytes = encodeSafetensors(
      { v: tensor([1.5, -2, 0.1]), s: wrap(Float64Array.of(7), []) },
      { dtype: 'F32', metadata: { format: 'pt' } },
    );
    const json =
      '{"__metadata__":{"format":"pt"},"s":{"dtype":"F32","shape":[],"data_offsets":[0,4]},' +
      '"v":{"dtype":"F32","shape":[3],"data_offsets":[4,16]}}';
    expect(json.length).toBe(138);
    const expected = concat(lengthBytes(144), ascii(json + ' '.repeat(6)), f32Bytes([7, 1.5, -2, 0.1]));
    expect(bytes).toEqual(expected);
  });

  it('an empty set of tensors is the header {} padded to 8 bytes', () => {
    expect(encodeSafetensors({})).toEqual(concat(lengthBytes(8), ascii('{}      ')));
    expect(decodeSafetensors(encodeSafetensors({}))).toEqual({ tensors: {}, metadata: {} });
  });

  it('keeps sorted order for integer-like names and escapes names in JSON', () => {
    const bytes = encodeSafetensors({ '10': tensor([1]), '2': tensor([2]), 'a"b': tensor([3]) });
    const length = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + length));
    expect(header.indexOf('"10"')).toBeLessThan(header.indexOf('"2"'));
    expect(header).toContain('"a\\"b":');
    const { tensors } = decodeSafetensors(bytes);
    expect(tensors['10'].toArray()).toEqual([1]);
    expect(tensors['2'].toArray()).toEqual([2]);
    expect(tensors['a"b'].toArray()).toEqual([3]);
  });
});

describe('round trips', () => {
  it('F64 keeps every bit (NaN payloads, -0, infinities, subnormals) and every shape', () => {
    const nan = wrap(
      new Float64Array(new BigUint64Array([0x7ff8_dead_beef_0001n, 0xfff0_0000_0000_0001n]).buffer),
      [2],
    );
    const input = {
      nan,
      edge: tensor([-0, Infinity, -Infinity, 5e-324, Number.MAX_VALUE]),
      scalar: wrap(Float64Array.of(-3.25), []),
      empty: fromArray([], [0, 3]),
      cube: fromArray(
        Array.from({ length: 24 }, (_, i) => i / 7),
        [2, 3, 4],
      ),
    };
    const { tensors, metadata } = decodeSafetensors(encodeSafetensors(input));
    expect(metadata).toEqual({});
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(input).sort());
    for (const [name, t] of Object.entries(input)) {
      expect(tensors[name].shape).toEqual(t.shape);
      expect(bits(tensors[name])).toEqual(bits(t));
    }
  });

  it('F32 rounds like Math.fround', () => {
    const values = [0.1, -1 / 3, 1e40, 1e-50, -0, 16777217];
    const { tensors } = decodeSafetensors(encodeSafetensors({ x: tensor(values) }, { dtype: 'F32' }));
    expect(Array.from(tensors.x.data)).toEqual(values.map(Math.fround));
    expect(Object.is(tensors.x.data[4], -0)).toBe(true);
  });

  it('keeps metadata, including unicode and names like __proto__', () => {
    const metadata = { format: 'pt', note: 'λ = 0.1 ✓', '': 'empty key' };
    const input = Object.fromEntries([['__proto__', tensor([1, 2])]]) as Record<string, Tensor>;
    const back = decodeSafetensors(encodeSafetensors(input, { metadata }));
    expect(back.metadata).toEqual(metadata);
    expect(Object.keys(back.tensors)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(back.tensors)).toBe(Object.prototype);
    expect(back.tensors['__proto__'].toArray()).toEqual([1, 2]);
  });

  it('writeSafetensors / readSafetensors through a file', () => {
    const path = join(dir, 'model.safetensors');
    writeSafetensors(path, { a: tensor([[1, 2, 3]]) }, { metadata: { epoch: '3' } });
    const back = readSafetensors(path);
    expect(back.tensors.a.shape).toEqual([1, 3]);
    expect(back.tensors.a.toArray()).toEqual([[1, 2, 3]]);
    expect(back.metadata).toEqual({ epoch: '3' });
    expect(fs.readdirSync(dir)).toEqual(['model.safetensors']);
  });

  it('reads files from other writers: unpadded or padded headers, any tensor order, unaligned bytes', () => {
    const header = {
      z: { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
      a: { dtype: 'F64', shape: [1, 1], data_offsets: [8, 16] },
      e: { dtype: 'F64', shape: [0], data_offsets: [16, 16] },
    };
    const data = concat(f32Bytes([1.5, 2.5]), f64Bytes([-4]));
    for (const padding of ['', ' ', '   \t\n']) {
      const file = handMade(JSON.stringify(header) + padding, data);
      // An odd offset into a bigger buffer: typed views would be unaligned.
      const shifted = new Uint8Array(file.length + 1);
      shifted.set(file, 1);
      const { tensors } = decodeSafetensors(shifted.subarray(1));
      expect(tensors.z.toArray()).toEqual([1.5, 2.5]);
      expect(tensors.a.toArray()).toEqual([[-4]]);
      expect(tensors.e.shape).toEqual([0]);
    }
  });
});

describe('decodeSafetensors: malformed files', () => {
  const good = { w: { dtype: 'F64', shape: [2], data_offsets: [0, 16] } };
  const data16 = f64Bytes([1, 2]);

  it('fewer than 8 bytes', () => {
    expect(problem(new Uint8Array(5))).toBe(
      'truncated header: the file has only 5 bytes, fewer than the 8 of the header length',
    );
  });

  it('header length beyond the file', () => {
    const file = handMade(good, data16);
    expect(problem(file.subarray(0, 30))).toBe(
      `header length ${file.length - 8 - 16} is beyond the end of the file (22 bytes follow the length)`,
    );
    const huge = concat(new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255]), ascii('{}'));
    expect(problem(huge)).toBe(
      'header length 18446744073709551615 is beyond the end of the file (2 bytes follow the length)',
    );
  });

  it('invalid UTF-8 and invalid JSON', () => {
    expect(problem(concat(lengthBytes(2), new Uint8Array([0xff, 0xfe])))).toBe(
      'the header is not valid UTF-8',
    );
    expect(problem(handMade('{"w": '))).toMatch(/^the header is not valid JSON \(.*\): "\{\\"w\\":"$/);
    expect(problem(handMade(''))).toMatch(/^the header is not valid JSON/);
  });

  it('a header that is not an object', () => {
    expect(problem(handMade('[1, 2]'))).toBe('the header is not a JSON object: "[1, 2]"');
    expect(problem(handMade('null  '))).toBe('the header is not a JSON object: "null"');
    expect(problem(handMade('"text"'))).toBe('the header is not a JSON object: "\\"text\\""');
  });

  it('tensor entries that are not objects or miss fields', () => {
    expect(problem(handMade({ w: [1] }))).toBe(`tensor 'w' must be described by an object, found [1]`);
    for (const field of ['dtype', 'shape', 'data_offsets']) {
      const info: Record<string, unknown> = { ...good.w };
      delete info[field];
      expect(problem(handMade({ w: info }, data16))).toBe(`tensor 'w' is missing the field '${field}'`);
    }
    expect(problem(handMade({ '': good.w }, data16))).toBe('a tensor has an empty name');
  });

  it('unsupported dtypes name the tensor and the dtype', () => {
    const file = handMade({ layer: { dtype: 'I32', shape: [4], data_offsets: [0, 16] } }, data16);
    expect(problem(file)).toBe(`tensor 'layer' has unsupported dtype "I32" (supported: F64, F32)`);
    expect(problem(handMade({ w: { ...good.w, dtype: 'BF16' } }, data16))).toContain('"BF16"');
    expect(problem(handMade({ w: { ...good.w, dtype: 8 } }, data16))).toContain('unsupported dtype 8');
  });

  it('bad shapes and offsets', () => {
    expect(problem(handMade({ w: { ...good.w, shape: [2, -1] } }, data16))).toBe(
      `tensor 'w' has 'shape' [2,-1], not an array of integers >= 0`,
    );
    expect(problem(handMade({ w: { ...good.w, shape: '2' } }, data16))).toContain(`'shape' "2"`);
    expect(problem(handMade({ w: { ...good.w, shape: [1.5] } }, data16))).toContain(`'shape' [1.5]`);
    expect(problem(handMade({ w: { ...good.w, data_offsets: [16, 0] } }, data16))).toBe(
      `tensor 'w' has 'data_offsets' [16,0], not a pair [begin, end] of integers with 0 <= begin <= end`,
    );
    expect(problem(handMade({ w: { ...good.w, data_offsets: [0] } }, data16))).toContain(
      `'data_offsets' [0]`,
    );
    expect(problem(handMade({ w: { ...good.w, shape: [2 ** 40, 2 ** 20] } }, data16))).toBe(
      `tensor 'w' has shape [1099511627776, 1048576], which is too large`,
    );
  });

  it('shape and offsets that disagree', () => {
    expect(problem(handMade({ w: { ...good.w, shape: [3] } }, data16))).toBe(
      `tensor 'w' has shape [3] and dtype F64 (24 bytes) but data_offsets [0, 16] span 16 bytes`,
    );
    expect(problem(handMade({ w: { ...good.w, dtype: 'F32' } }, data16))).toBe(
      `tensor 'w' has shape [2] and dtype F32 (8 bytes) but data_offsets [0, 16] span 16 bytes`,
    );
  });

  it('offsets out of range', () => {
    expect(problem(handMade(good, data16.subarray(0, 12)))).toBe(
      `tensor 'w' has data_offsets [0, 16] beyond the end of the data buffer (12 bytes)`,
    );
  });

  it('gaps, overlaps and data not fully covered', () => {
    const two = (a: number[], b: number[]) => ({
      a: { dtype: 'F64', shape: [1], data_offsets: a },
      b: { dtype: 'F64', shape: [1], data_offsets: b },
    });
    const data24 = f64Bytes([1, 2, 3]);
    expect(problem(handMade(two([0, 8], [16, 24]), data24))).toBe(
      `gap in the data buffer: 'a' ends at 8 but the next tensor 'b' starts at 16`,
    );
    expect(problem(handMade(two([8, 16], [16, 24]), data24))).toBe(
      `gap in the data buffer: the first tensor 'a' starts at 8, not 0`,
    );
    expect(problem(handMade(two([0, 8], [0, 8]), data16))).toBe(`tensors 'a' [0, 8] and 'b' [0, 8] overlap`);
    expect(
      problem(
        handMade(
          {
            a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
            b: { dtype: 'F64', shape: [1], data_offsets: [8, 16] },
          },
          data16,
        ),
      ),
    ).toBe(`tensors 'a' [0, 16] and 'b' [8, 16] overlap`);
    expect(problem(handMade(two([0, 8], [8, 16]), data24))).toBe(
      'data not fully covered: the tensors end at byte 16 of a data buffer of 24 bytes',
    );
    expect(problem(handMade({}, data16))).toBe(
      'data not fully covered: the tensors end at byte 0 of a data buffer of 16 bytes',
    );
  });

  it('metadata that is not an object of strings', () => {
    expect(problem(handMade({ __metadata__: { epoch: 3 } }))).toBe(
      `'__metadata__' must be an object of strings, found 3 for the key 'epoch'`,
    );
    expect(problem(handMade({ __metadata__: ['a'] }))).toBe(
      `'__metadata__' must be an object of strings, found ["a"]`,
    );
    expect(problem(handMade({ __metadata__: null }))).toBe(
      `'__metadata__' must be an object of strings, found null`,
    );
  });

  it('readSafetensors names the path; a missing file names it too', () => {
    const path = join(dir, 'bad.safetensors');
    fs.writeFileSync(path, handMade('[]'));
    expect(() => readSafetensors(path)).toThrow(
      new SafetensorsFormatError(path, 'the header is not a JSON object: "[]"', 'readSafetensors'),
    );
    expect(() => readSafetensors(path)).toThrow(
      `readSafetensors: cannot read ${path}: the header is not a JSON object`,
    );
    const missing = join(dir, 'missing.safetensors');
    expect(() => readSafetensors(missing)).toThrow(
      `readSafetensors: cannot read ${missing}: no such file or directory.`,
    );
  });
});

describe('atomic writes', () => {
  it('a failure while writing leaves the old file intact and no temporary file', () => {
    const path = join(dir, 'keep.safetensors');
    writeSafetensors(path, { w: tensor([1, 2, 3]) });
    const before = fs.readFileSync(path);
    const realWrite = fs.writeSync;
    vi.spyOn(fs, 'writeSync').mockImplementation(((
      fd: number,
      buffer: Uint8Array,
      offset: number,
      length: number,
    ) => {
      realWrite(fd, buffer, offset, Math.floor(length / 2));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writeSync);
    expect(() => writeSafetensors(path, { w: tensor([4, 5, 6, 7]) })).toThrow(
      /writeSafetensors: cannot write .*keep\.safetensors: ENOSPC/,
    );
    vi.restoreAllMocks();
    expect(fs.readFileSync(path)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['keep.safetensors']);
    expect(readSafetensors(path).tensors.w.toArray()).toEqual([1, 2, 3]);
  });

  it('fails in a directory that does not exist, leaving nothing behind', () => {
    const path = join(dir, 'no', 'x.safetensors');
    expect(() => writeSafetensors(path, { w: tensor([1]) })).toThrow(
      `writeSafetensors: cannot write ${path}: no such file or directory.`,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('bad arguments leave an existing file untouched', () => {
    const path = join(dir, 'same.safetensors');
    writeSafetensors(path, { w: tensor([1]) });
    const before = fs.readFileSync(path);
    expect(() => writeSafetensors(path, { w: [1] as never })).toThrow(TypeError);
    expect(() => writeSafetensors(path, { w: tensor([2]) }, { dtype: 'F16' as never })).toThrow(RangeError);
    expect(fs.readFileSync(path)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['same.safetensors']);
  });
});

describe('argument checks', () => {
  it('reject bad tensors, names, options, paths and bytes with the template message', () => {
    const t = tensor([1]);
    expect(() => encodeSafetensors(null as never)).toThrow(
      new TypeError(
        "encodeSafetensors: argument 'tensors' must be an object of named tensors such as { weight: t }. Got null.",
      ),
    );
    expect(() => encodeSafetensors(t as never)).toThrow(
      new TypeError(
        "encodeSafetensors: argument 'tensors' must be an object of named tensors such as { weight: t }. Got a tensor of shape [1].",
      ),
    );
    expect(() => encodeSafetensors({ w: [1, 2] as never })).toThrow(
      new TypeError(`encodeSafetensors: argument 'tensors["w"]' must be a tensor. Got [1, 2].`),
    );
    expect(() => encodeSafetensors({ '': t })).toThrow(
      new RangeError(
        `encodeSafetensors: argument 'tensors' must be an object of named tensors with non-empty names other than '__metadata__'. Got the name "".`,
      ),
    );
    expect(() => encodeSafetensors({ __metadata__: t })).toThrow(RangeError);
    expect(() => encodeSafetensors({ w: t }, { dtype: 'float32' as never })).toThrow(
      new RangeError(
        `encodeSafetensors: argument 'options.dtype' must be one of 'F64', 'F32'. Got "float32".`,
      ),
    );
    expect(() => encodeSafetensors({ w: t }, null as never)).toThrow(TypeError);
    expect(() => encodeSafetensors({ w: t }, { metadata: { epoch: 3 as never } })).toThrow(
      new TypeError(`encodeSafetensors: argument 'options.metadata["epoch"]' must be a string. Got 3.`),
    );
    expect(() => encodeSafetensors({ w: t }, { metadata: 'pt' as never })).toThrow(TypeError);
    expect(() => writeSafetensors(3 as never, { w: t })).toThrow(
      new TypeError("writeSafetensors: argument 'path' must be a file path (a string). Got 3."),
    );
    expect(() => readSafetensors('')).toThrow(
      new RangeError(`readSafetensors: argument 'path' must be a non-empty file path. Got "".`),
    );
    expect(() => decodeSafetensors([1, 2] as never)).toThrow(
      new TypeError("decodeSafetensors: argument 'bytes' must be a Uint8Array. Got [1, 2]."),
    );
    expect(() => decodeSafetensors(new Uint8Array(8), 5 as never)).toThrow(
      new TypeError("decodeSafetensors: argument 'source' must be a string. Got 5."),
    );
  });
});
