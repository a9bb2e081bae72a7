import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fromArray, tensor } from '../../src/tensor/create.js';
import { wrap, type Tensor } from '../../src/tensor/tensor.js';
import {
  decodeNpy,
  encodeNpy,
  NpyFormatError,
  readNpy,
  writeFileAtomic,
  writeFileAtomicAsync,
  writeNpy,
} from '../../src/io/index.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/npy/', import.meta.url));
const fixture = (name: string): string => join(FIXTURES, name);
const fixtureBytes = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(fixture(name)));

/** np.arange(12).reshape(3, 4) / 4 - 1 */
const GRID = Array.from({ length: 12 }, (_, i) => i / 4 - 1);

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(join(os.tmpdir(), 'unfolded-npy-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The raw bytes of a tensor's Float64 data, to compare bit patterns (NaN payloads, -0). */
const bits = (t: Tensor): Uint8Array => new Uint8Array(Float64Array.from(t.data).buffer);

/** A .npy file with a hand-written header (version 1.0, no alignment padding unless given). */
function handMade(header: string, data: Uint8Array, version = 1): Uint8Array {
  const text = new TextEncoder().encode(header);
  const lengthBytes = version === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lengthBytes + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (lengthBytes === 2) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(text, 8 + lengthBytes);
  out.set(data, 8 + lengthBytes + text.length);
  return out;
}

const f64Bytes = (values: number[]): Uint8Array => new Uint8Array(Float64Array.from(values).buffer);

/** The NumPy error for `bytes`, with its message checked to name the source. */
function decodeError(bytes: Uint8Array, source = 'mem.npy'): NpyFormatError {
  try {
    decodeNpy(bytes, source);
  } catch (err) {
    expect(err).toBeInstanceOf(NpyFormatError);
    const e = err as NpyFormatError;
    expect(e.message).toContain(source);
    expect(e.source).toBe(source);
    return e;
  }
  throw new Error('decodeNpy did not throw');
}

describe('readNpy: files written by NumPy', () => {
  it('reads a 2-D float64 array exactly', () => {
    const t = readNpy(fixture('f8_3x4.npy'));
    expect(t.shape).toEqual([3, 4]);
    expect(Array.from(t.data)).toEqual(GRID);
    expect(t.get(2, 3)).toBe(1.75);
  });

  it('reads format versions 2.0 and 3.0', () => {
    for (const name of ['f8_3x4_v2.npy', 'f8_3x4_v3.npy']) {
      const t = readNpy(fixture(name));
      expect(t.shape).toEqual([3, 4]);
      expect(Array.from(t.data)).toEqual(GRID);
    }
  });

  it('reads a 1-D float32 array as the float32 values, widened exactly', () => {
    const t = readNpy(fixture('f4_5.npy'));
    expect(t.shape).toEqual([5]);
    expect(Array.from(t.data)).toEqual([0.1, -2.5, 1e-3, 3.14159, 1e30].map(Math.fround));
  });

  it('reads a 3-D array in C order', () => {
    const t = readNpy(fixture('f8_2x3x2.npy'));
    expect(t.shape).toEqual([2, 3, 2]);
    expect(Array.from(t.data)).toEqual(Array.from({ length: 12 }, (_, i) => i * 0.5 - 2));
    expect(t.get(1, 2, 0)).toBe(10 * 0.5 - 2);
  });

  it('reads a 0-D array and a zero-size array', () => {
    const scalar = readNpy(fixture('f8_scalar.npy'));
    expect(scalar.shape).toEqual([]);
    expect(scalar.toArray()).toBe(3.5);
    const empty = readNpy(fixture('f8_0x3.npy'));
    expect(empty.shape).toEqual([0, 3]);
    expect(empty.size).toBe(0);
  });

  it('keeps NaN, -0, infinities and subnormals', () => {
    const t = readNpy(fixture('f8_special.npy'));
    const expected = [NaN, -0, Infinity, -Infinity, 5e-324, 1.7976931348623157e308, 2.2250738585072014e-308];
    expect(t.data.length).toBe(expected.length);
    expected.forEach((v, i) => expect(Object.is(t.data[i], v)).toBe(true));
  });

  it('refuses Fortran order, int32 and big-endian data with messages that say so', () => {
    const cases: [string, RegExp][] = [
      ['f8_fortran_2x3.npy', /Fortran-order/],
      ['i4_3.npy', /unsupported dtype '<i4' \(supported: '<f8', '<f4'\)/],
      ['be_f8_3.npy', /unsupported dtype '>f8' \(supported: '<f8', '<f4'\)/],
    ];
    for (const [name, problem] of cases) {
      const path = fixture(name);
      expect(() => readNpy(path)).toThrow(NpyFormatError);
      expect(() => readNpy(path)).toThrow(problem);
      expect(() => readNpy(path)).toThrow(`readNpy: cannot read ${path}: `);
    }
  });

  it('names the path of a missing file', () => {
    const path = join(dir, 'missing.npy');
    expect(() => readNpy(path)).toThrow(`readNpy: cannot read ${path}: no such file or directory.`);
    try {
      readNpy(path);
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOENT');
    }
  });
});

describe('encodeNpy: the same bytes as NumPy', () => {
  const cases: [string, Tensor, 'float64' | 'float32'][] = [
    ['f8_3x4.npy', fromArray(GRID, [3, 4]), 'float64'],
    ['f4_5.npy', tensor([0.1, -2.5, 1e-3, 3.14159, 1e30]), 'float32'],
    [
      'f8_2x3x2.npy',
      fromArray(
        Array.from({ length: 12 }, (_, i) => i * 0.5 - 2),
        [2, 3, 2],
      ),
      'float64',
    ],
    ['f8_scalar.npy', wrap(Float64Array.of(3.5), []), 'float64'],
    ['f8_0x3.npy', fromArray([], [0, 3]), 'float64'],
  ];
  for (const [name, t, dtype] of cases) {
    it(`matches ${name} byte for byte`, () => {
      expect(encodeNpy(t, { dtype })).toEqual(fixtureBytes(name));
    });
  }

  it('matches the special-values file bit for bit (NaN included)', () => {
    const t = readNpy(fixture('f8_special.npy'));
    expect(encodeNpy(t)).toEqual(fixtureBytes('f8_special.npy'));
  });

  it('aligns the data to 64 bytes, with a header ending in a newline', () => {
    for (const shape of [[1], [7, 3], [123456, 0, 2], []]) {
      const bytes = encodeNpy(wrap(new Float64Array(shape.reduce((a, b) => a * b, 1)), shape));
      const headerEnd = 10 + new DataView(bytes.buffer).getUint16(8, true);
      expect(headerEnd % 64).toBe(0);
      expect(bytes[headerEnd - 1]).toBe(0x0a);
    }
  });
});

describe('writeNpy / readNpy round trip', () => {
  it('float64 is bit-exact, NaN payloads included', () => {
    const data = Float64Array.of(1 / 3, -0, 5e-324, -1e308, Infinity, NaN, 0);
    // A NaN with a payload: its bits must survive, not be canonicalised.
    new BigUint64Array(data.buffer)[6] = 0x7ff4000000000123n;
    const t = wrap(data, [7]);
    const path = join(dir, 'a.npy');
    writeNpy(path, t);
    const back = readNpy(path);
    expect(back.shape).toEqual([7]);
    expect(bits(back)).toEqual(bits(t));
  });

  it('float32 gives Math.fround of each value', () => {
    const values = [1 / 3, -0, 1e-45, 1e40, -1e-40, NaN, 16777217];
    const path = join(dir, 'b.npy');
    writeNpy(path, fromArray(values, [7, 1]), { dtype: 'float32' });
    const back = readNpy(path);
    expect(back.shape).toEqual([7, 1]);
    values.forEach((v, i) => expect(Object.is(back.data[i], Math.fround(v))).toBe(true));
  });

  it('replaces an existing file and leaves no temporary file', () => {
    const path = join(dir, 'c.npy');
    writeNpy(path, tensor([1, 2]));
    writeNpy(path, tensor([[3, 4, 5]]));
    expect(readNpy(path).toArray()).toEqual([[3, 4, 5]]);
    expect(fs.readdirSync(dir)).toEqual(['c.npy']);
  });

  const hasNumpy = spawnSync('/usr/bin/python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!hasNumpy)('files written here are read by NumPy (needs /usr/bin/python3 with numpy)', () => {
    const f64 = join(dir, 'f64.npy');
    const f32 = join(dir, 'f32.npy');
    writeNpy(f64, fromArray([0.1, -0, 1e300, 2], [2, 2]));
    writeNpy(f32, tensor([0.1, 3]), { dtype: 'float32' });
    const script = [
      'import sys, json, numpy as np',
      'a = np.load(sys.argv[1]); b = np.load(sys.argv[2])',
      'print(json.dumps([a.dtype.str, a.shape, a.ravel().tolist(), b.dtype.str, b.shape, b.tolist()]))',
    ].join('\n');
    const run = spawnSync('/usr/bin/python3', ['-c', script, f64, f32], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual([
      '<f8',
      [2, 2],
      [0.1, -0, 1e300, 2],
      '<f4',
      [2],
      [Math.fround(0.1), 3],
    ]);
  });
});

describe('decodeNpy: headers NumPy accepts but does not write', () => {
  it('accepts any key order, spacing, old 16-byte alignment, no trailing comma, Python 2 longs', () => {
    const data = f64Bytes([1, 2, 3, 4, 5, 6]);
    const headers = [
      "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f8'}\n",
      '{ "descr" : "<f8" ,\t"fortran_order":False,"shape":( 2 ,3 , ) , }    \n',
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }      \n",
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
    ];
    for (const header of headers) {
      const t = decodeNpy(handMade(header, data));
      expect(t.shape).toEqual([2, 3]);
      expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('reads data at any byte offset of any buffer (unaligned views)', () => {
    const file = fixtureBytes('f8_3x4.npy');
    for (const shift of [1, 3, 5, 7]) {
      const buffer = new Uint8Array(file.length + shift + 2);
      buffer.set(file, shift);
      const t = decodeNpy(buffer.subarray(shift, shift + file.length));
      expect(Array.from(t.data)).toEqual(GRID);
    }
    const unaligned = handMade(
      "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}",
      new Uint8Array(new Float32Array([1.5, -2]).buffer),
    );
    expect(Array.from(decodeNpy(unaligned).data)).toEqual([1.5, -2]);
  });

  it('does not share memory with the input bytes', () => {
    const file = fixtureBytes('f8_3x4.npy');
    const t = decodeNpy(file);
    file.fill(0);
    expect(Array.from(t.data)).toEqual(GRID);
  });
});

describe('decodeNpy: malformed files', () => {
  const good = fixtureBytes('f8_3x4.npy'); // 128-byte header + 96 bytes of data

  it('bad magic', () => {
    const bytes = good.slice();
    bytes[1] = 0x58; // 'X'
    expect(decodeError(bytes).message).toMatch(/bad magic string: expected "\\x93NUMPY", found "\\x93XUMPY"/);
    expect(decodeError(new TextEncoder().encode('hello, world')).message).toMatch(/bad magic/);
    expect(decodeError(new Uint8Array(0)).message).toMatch(/truncated header: the file has only 0 bytes/);
  });

  it('truncated header', () => {
    expect(decodeError(good.slice(0, 7)).problem).toMatch(/truncated header: the file has only 7 bytes/);
    expect(decodeError(good.slice(0, 9)).problem).toMatch(/truncated header: the file has only 9 bytes/);
    expect(decodeError(good.slice(0, 50)).problem).toBe(
      'truncated header: expected 118 bytes of header, found 40',
    );
  });

  it('truncated data', () => {
    const e = decodeError(good.slice(0, 128 + 40), '/data/x.npy');
    expect(e.message).toBe(
      "decodeNpy: cannot read /data/x.npy: truncated data: expected 96 bytes of data for shape (3, 4) and dtype '<f8', found 40.",
    );
  });

  it('trailing data', () => {
    const bytes = new Uint8Array(good.length + 4);
    bytes.set(good);
    expect(decodeError(bytes).problem).toMatch(
      /trailing data after the array: expected 96 bytes of data .*found 100/,
    );
  });

  it('unsupported version', () => {
    const bytes = good.slice();
    bytes[6] = 4;
    expect(decodeError(bytes).problem).toBe('unsupported format version 4.0 (supported: 1.0, 2.0, 3.0)');
    bytes[6] = 1;
    bytes[7] = 1;
    expect(decodeError(bytes).problem).toMatch(/unsupported format version 1\.1/);
  });

  it('shape that does not match the data size', () => {
    const bytes = handMade(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
      f64Bytes([1, 2, 3, 4]),
    );
    expect(decodeError(bytes).problem).toMatch(/expected 48 bytes of data for shape \(2, 3\) .*found 32/);
  });

  it('bad header literals', () => {
    const data = f64Bytes([1]);
    const cases: [string, RegExp][] = [
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,)", /cannot parse header: expected ',' or '}'/],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } x", /cannot parse header: unexpected text/],
      ["{'descr': '<f8, 'fortran_order': False, 'shape': (1,)}", /cannot parse header/],
      ["['descr', '<f8']", /header is not a dict/],
      ["{'descr': '<f8', 'shape': (1,)}", /missing the key 'fortran_order'/],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}", /unexpected key 'extra'/],
      [
        "{'descr': '<f8', 'fortran_order': 0, 'shape': (1,)}",
        /'fortran_order' must be True or False, found 0/,
      ],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (1)}", /'shape' must be a tuple .*found 1$/],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': [1]}", /'shape' must be a tuple .*found \[1\]/],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}", /'shape' must be a tuple .*found \(-1,\)/],
      [
        "{'descr': '<f8', 'fortran_order': False, 'shape': (1.0,)}",
        /cannot parse header: expected an integer/,
      ],
      [
        "{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,)}",
        /unsupported dtype \[\('a', '<f8'\)\]/,
      ],
      ["{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999)}", /too large/],
      ['('.repeat(10_000), /nesting too deep/],
    ];
    for (const [header, problem] of cases)
      expect(decodeError(handMade(header, data)).problem).toMatch(problem);
  });

  it('a version 3.0 header that is not UTF-8', () => {
    const bytes = handMade("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}", f64Bytes([1]), 3);
    bytes[14] = 0xff;
    expect(decodeError(bytes).problem).toMatch(/not valid UTF-8/);
  });
});

describe('atomic writes', () => {
  it('fails in a directory that does not exist, leaving nothing behind', () => {
    const missing = join(dir, 'no', 'such');
    const path = join(missing, 'x.npy');
    expect(() => writeNpy(path, tensor([1]))).toThrow(
      `writeNpy: cannot write ${path}: no such file or directory.`,
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a failure while writing leaves the old file intact and no temporary file', () => {
    const path = join(dir, 'keep.npy');
    writeNpy(path, tensor([1, 2, 3]));
    const before = fs.readFileSync(path);
    // Fail after half of the bytes have reached the temporary file.
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
    expect(() => writeNpy(path, tensor([4, 5, 6, 7]))).toThrow(/writeNpy: cannot write .*keep\.npy: ENOSPC/);
    vi.restoreAllMocks();
    expect(fs.readFileSync(path)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['keep.npy']);
    expect(readNpy(path).toArray()).toEqual([1, 2, 3]);
  });

  it('a failing rename (target is a directory) leaves no temporary file', () => {
    const target = join(dir, 'taken');
    fs.mkdirSync(join(target, 'inside'), { recursive: true });
    expect(() => writeFileAtomic(target, 'text')).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['taken']);
  });

  it('bad arguments to writeNpy leave an existing file untouched', () => {
    const path = join(dir, 'same.npy');
    writeNpy(path, tensor([1]));
    const before = fs.readFileSync(path);
    expect(() => writeNpy(path, [1, 2] as never)).toThrow(TypeError);
    expect(() => writeNpy(path, tensor([2]), { dtype: 'float16' as never })).toThrow(RangeError);
    expect(fs.readFileSync(path)).toEqual(before);
    expect(fs.readdirSync(dir)).toEqual(['same.npy']);
  });

  it('writes strings and bytes, and keeps the permission bits of a replaced file', async () => {
    const path = join(dir, 'note.txt');
    writeFileAtomic(path, 'héllo');
    expect(fs.readFileSync(path, 'utf8')).toBe('héllo');
    fs.chmodSync(path, 0o600);
    writeFileAtomic(path, new Uint8Array([104, 105]));
    expect(fs.readFileSync(path, 'utf8')).toBe('hi');
    if (process.platform !== 'win32') expect(fs.statSync(path).mode & 0o777).toBe(0o600);
    await writeFileAtomicAsync(path, 'async');
    expect(fs.readFileSync(path, 'utf8')).toBe('async');
    await expect(writeFileAtomicAsync(join(dir, 'no', 'x.txt'), 'x')).rejects.toThrow(/ENOENT/);
    expect(fs.readdirSync(dir)).toEqual(['note.txt']);
  });
});

describe('argument checks', () => {
  it('reject bad paths, tensors, options and bytes with the template message', () => {
    expect(() => readNpy(3 as never)).toThrow(
      new TypeError("readNpy: argument 'path' must be a file path (a string). Got 3."),
    );
    expect(() => readNpy('')).toThrow(
      new RangeError(`readNpy: argument 'path' must be a non-empty file path. Got "".`),
    );
    expect(() => encodeNpy({} as never)).toThrow(
      new TypeError("encodeNpy: argument 't' must be a tensor. Got an object (Object)."),
    );
    expect(() => encodeNpy(tensor([1]), { dtype: 'int32' as never })).toThrow(
      new RangeError(`encodeNpy: argument 'options.dtype' must be one of 'float64', 'float32'. Got "int32".`),
    );
    expect(() => encodeNpy(tensor([1]), null as never)).toThrow(TypeError);
    expect(() => decodeNpy([1, 2] as never)).toThrow(
      new TypeError("decodeNpy: argument 'bytes' must be a Uint8Array. Got [1, 2]."),
    );
  });
});
