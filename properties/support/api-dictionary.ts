/** Dictionary learning's public entry points (src/dictionary), for the bad-input property. */
import type { ApiEntry } from './public-api.js';

export const dictionaryApi: ApiEntry[] = [];
