/**
 * Bad input across the public API: for every registered function and every argument, a wrong
 * kind, a wrong shape, NaN, an infinity or an out-of-range number (the others kept valid) raises
 * TypeError / RangeError with the template message naming that argument:
 * `fn: argument 'name' must be <requirement>. Got <value>.`
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { fcParams } from './support/arbitraries.js';
import { badValues, type ApiEntry } from './support/public-api.js';
import { foundationApi } from './support/api-foundation.js';
import { proxApi } from './support/api-prox.js';
import { operatorsApi } from './support/api-operators.js';
import { problemsApi } from './support/api-problems.js';
import { solversApi } from './support/api-solvers.js';
import { trainApi } from './support/api-train.js';
import { dataApi } from './support/api-data.js';
import { unrolledApi } from './support/api-unrolled.js';
import { dictionaryApi } from './support/api-dictionary.js';

const api: ApiEntry[] = [
  ...foundationApi,
  ...proxApi,
  ...operatorsApi,
  ...problemsApi,
  ...solversApi,
  ...dataApi,
  ...trainApi,
  ...unrolledApi,
  ...dictionaryApi,
];

function rejects(
  entry: ApiEntry,
  position: number,
  bad: { value: unknown; error: typeof TypeError },
): boolean {
  const args = entry.args.map((a, i) => (i === position ? bad.value : a.spec.valid));
  const name = entry.args[position].name;
  try {
    entry.call(...args);
  } catch (e) {
    const prefix = `${entry.fn}: argument '${name}' must be `;
    const ok = e instanceof bad.error && e.message.startsWith(prefix) && /\. Got .+\.$/s.test(e.message);
    if (!ok) throw new Error(`expected ${bad.error.name} '${prefix}...', got ${String(e)}`);
    return true;
  }
  throw new Error(`${entry.fn} accepted a bad '${name}'`);
}

describe('bad input raises TypeError / RangeError with the template message', () => {
  for (const entry of api) {
    entry.args.forEach((a, position) => {
      it(`${entry.fn}(${a.name})`, () => {
        fc.assert(
          fc.property(badValues(a.spec), (bad) => rejects(entry, position, bad)),
          fcParams(25),
        );
      });
    });
  }
});
