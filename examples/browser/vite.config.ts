/**
 * Bundles the browser demo (`npm run build:browser`): examples/browser is the root, the bundle goes
 * to examples/browser/dist (git-ignored), with relative asset paths so that any static server can
 * serve the folder. The page loads its model file from the same folder (see main.ts).
 *
 * The library's file helpers import node:fs, node:crypto and node:path; the page never calls them
 * (it decodes the model from fetched bytes), so those modules are replaced by a stub that throws
 * if anything does.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const nodeStub = fileURLToPath(new URL('./node-stub.ts', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  logLevel: 'warn',
  resolve: {
    alias: [{ find: /^node:(fs|crypto|path)$/, replacement: nodeStub }],
  },
  build: {
    outDir: 'dist',
    rolldownOptions: {
      // gpu-js.ts: gpu.js as its own ES module at a fixed name, which the import map of index.html
      // maps the bare specifier 'gpu.js' to (see gpu-js.ts).
      input: { index: join(here, 'index.html'), 'gpu-js': join(here, 'gpu-js.ts') },
      preserveEntrySignatures: 'exports-only',
      output: {
        entryFileNames: (chunk) => (chunk.name === 'gpu-js' ? 'assets/gpu-js.js' : 'assets/[name]-[hash].js'),
      },
    },
    emptyOutDir: true,
    target: 'es2022',
    // gpu.js compiles kernels from their source text (Function.prototype.toString) and parses only a
    // subset of JavaScript: minified kernels (comma expressions, renamed and merged statements) fail
    // to compile, so the bundle is not minified.
    minify: false,
    // vega and gpu.js make one large chunk; the demo is loaded once, from a local server.
    chunkSizeWarningLimit: 4000,
  },
});
