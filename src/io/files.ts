/**
 * Reading and writing whole files for the format modules (.npy, safetensors): path checks and
 * file-system errors that name the function and the path (keeping the cause and the errno code),
 * with atomic writes.
 *
 * @module
 */
import fs from 'node:fs';
import { rangeError, typeError } from '../validate/index.js';
import { writeFileAtomic } from './atomic.js';

/**
 * A file (or buffer) of a known format that cannot be read: malformed, truncated, or of an
 * unsupported kind. `source` names the file (or `'<buffer>'`), `problem` says what is wrong.
 */
export class FileFormatError extends Error {
  constructor(
    readonly source: string,
    readonly problem: string,
    fn: string,
  ) {
    super(`${fn}: cannot read ${source}: ${problem}.`);
  }
}

/** A non-empty path string, or the template TypeError / RangeError. */
export function checkPath(fn: string, path: unknown): void {
  if (typeof path !== 'string') typeError(fn, 'path', 'a file path (a string)', path);
  if (path.length === 0) rangeError(fn, 'path', 'a non-empty file path', path);
}

/** A file-system error from reading or writing `path`, naming the path and keeping the cause and code. */
function fileError(fn: string, verb: string, path: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  const reason = e?.code === 'ENOENT' ? 'no such file or directory' : String(e?.message ?? err);
  return Object.assign(new Error(`${fn}: cannot ${verb} ${path}: ${reason}.`, { cause: err }), {
    code: e?.code,
  });
}

/** The bytes of the file at `path` (checked), or an Error naming `fn` and the path. */
export function readFileBytes(fn: string, path: string): Uint8Array {
  checkPath(fn, path);
  try {
    return fs.readFileSync(path);
  } catch (err) {
    throw fileError(fn, 'read', path, err);
  }
}

/** Writes `bytes` to `path` atomically, or throws an Error naming `fn` and the path. */
export function writeFileBytes(fn: string, path: string, bytes: Uint8Array): void {
  try {
    writeFileAtomic(path, bytes);
  } catch (err) {
    throw fileError(fn, 'write', path, err);
  }
}
