/**
 * Atomic file writes: the data goes to a temporary file in the target's directory, which is then
 * renamed over the target. A rename within one file system is atomic, so readers see either the
 * old file or the new one, never a half-written file, and a failed write leaves the old file as it
 * was and no temporary file behind.
 *
 * Caveats: the rename replaces a symbolic link itself, not the file it points to; a replaced file
 * keeps its permission bits (copied onto the temporary file) but not its owner.
 *
 * @module
 */
// The default import is the CommonJS object: its methods can be replaced in tests to inject failures.
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The temporary sibling of `path`: hidden, unique per process and call, e.g. `.a.npy.4242.9f3c1a2b.tmp`. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Permission bits of an existing target, so that replacing it does not change them. */
function existingMode(path: string): number | undefined {
  try {
    return fs.statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/**
 * Writes `data` to `path` atomically (temporary file, fsync, rename). On any error the temporary
 * file is removed and the error is rethrown; the target is then untouched.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = temporaryPath(path);
  let fd: number | undefined;
  try {
    // 'wx': never follow or reuse a file that happens to exist under the temporary name.
    const mode = existingMode(path);
    fd = fs.openSync(tmp, 'wx');
    // Set after opening: the umask applies to open's mode argument but not to fchmod.
    if (mode !== undefined) fs.fchmodSync(fd, mode);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let done = 0; done < bytes.length;) done += fs.writeSync(fd, bytes, done, bytes.length - done);
    // Flush before the rename, so that a crash cannot leave the new name pointing at empty blocks.
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) ignoreErrors(() => fs.closeSync(fd!));
    ignoreErrors(() => fs.unlinkSync(tmp));
    throw err;
  }
}

/** The promise-based twin of {@link writeFileAtomic}, with the same guarantees. */
export async function writeFileAtomicAsync(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = temporaryPath(path);
  let handle: fs.promises.FileHandle | undefined;
  try {
    const mode = existingMode(path);
    handle = await fs.promises.open(tmp, 'wx');
    if (mode !== undefined) await handle.chmod(mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.promises.rename(tmp, path);
  } catch (err) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await fs.promises.unlink(tmp).catch(() => undefined);
    throw err;
  }
}

function ignoreErrors(f: () => void): void {
  try {
    f();
  } catch {
    // Cleanup after a failure: the original error is the one worth reporting.
  }
}
