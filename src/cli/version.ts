/**
 * The package version, read from package.json next to the source or the build.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

/** The version field of unfolded's package.json. */
export function packageVersion(): string {
  // src/cli and dist/cli both sit two levels below the package root.
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}
