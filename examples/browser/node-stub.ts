/**
 * Stands in for node:fs, node:crypto and node:path in the browser bundle (vite.config.ts). The
 * library's file helpers import them; the page never calls those helpers, so anything that does
 * is a bug and fails loudly here instead of deep inside a polyfill.
 */
function unavailable(name: string): never {
  throw new Error(`${name} is not available in the browser demo (no file system)`);
}

export const randomBytes = (): never => unavailable('node:crypto randomBytes');
export const basename = (): never => unavailable('node:path basename');
export const dirname = (): never => unavailable('node:path dirname');
export const join = (): never => unavailable('node:path join');

/** node:fs as a default import: every property access fails. */
export default new Proxy(
  {},
  {
    get(_target, key) {
      return unavailable(`node:fs ${String(key)}`);
    },
  },
);
