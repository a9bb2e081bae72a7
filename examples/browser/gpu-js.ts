/**
 * gpu.js as an ES module of the bundle (assets/gpu-js.js), for the page's import map.
 *
 * `unfolded/gpu` loads its optional peer dependency with import() of a specifier held in a
 * variable, which a bundler leaves alone: in the browser the bare specifier 'gpu.js' is resolved by
 * the import map of index.html, to this entry (gpu.js's browser build, bundled by vite).
 */
import * as gpujs from 'gpu.js';

// gpu.js's type declarations make `input` a type only; at run time it is the function the backend calls.
const lib = gpujs as unknown as Record<string, unknown>;
export const GPU = lib.GPU;
export const input = lib.input;
