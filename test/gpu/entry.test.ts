/**
 * How the GPU backend is reached: only through `unfolded/gpu`. The main entry never loads gpu.js
 * (a Node process whose resolver refuses gpu.js imports src/index.ts and src/gpu/index.ts fine),
 * asking for the backend without gpu.js fails with the install command, the package maps the
 * subpath and declares gpu.js an optional peer dependency, and bad options get the template
 * messages.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGpuBackend } from '../../src/gpu/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

// A resolve hook (node:module register) that refuses gpu.js and anything under it.
const hooks = `export async function resolve(specifier, context, next) {
  if (/^gpu\\.js(\\/|$)/.test(specifier)) throw new Error('refused to load ' + specifier);
  return next(specifier, context);
}`;
const denyGpuJs =
  'data:text/javascript,' +
  encodeURIComponent(
    `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hooks))});`,
  );

const script = `
const lib = await import('./src/index.ts');
console.log('index: ' + typeof lib.cpuBackend.times);
const gpu = await import('./src/gpu/index.ts');
console.log('gpu module: ' + typeof gpu.createGpuBackend);
await gpu.createGpuBackend().then(
  (b) => console.log('backend: ' + b.kernelKind),
  (e) => console.log('backend: ' + e.message),
);
`;

describe('entry points', () => {
  it('the main entry never loads gpu.js; without it the GPU backend fails with the install command', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--import', denyGpuJs, '--input-type=module', '-e', script],
      { cwd: root, encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.stderr).toBe('');
    // The last line proves the hook works: the first attempt to load gpu.js is refused.
    expect(r.stdout.trim().split('\n')).toEqual([
      'index: function',
      'gpu module: function',
      expect.stringMatching(
        /^backend: unfolded\/gpu: the GPU backend needs the optional package gpu\.js, which could not be loaded \(refused to load gpu\.js\)\. Install it with: npm install gpu\.js@~2\.24\.1$/,
      ),
    ]);
  });

  it('the main entry never imports gpu.js or the CLI', () => {
    const index = readFileSync(new URL('../../src/index.ts', import.meta.url), 'utf8');
    const specifiers = [...index.matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gm)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(3);
    expect(specifiers.filter((s) => /gpu|cli/.test(s))).toEqual([]);
  });

  it('the package maps the main entry, ./gpu and the bin; gpu.js is an optional peer dependency', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>;
      bin: Record<string, string>;
      dependencies: Record<string, string>;
      peerDependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './gpu']));
    expect(pkg.bin.unfolded).toBe('./bin/unfolded.js');
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['ndarray', 'ndarray-ops', 'pure-rand']);
    expect(pkg.peerDependencies['gpu.js']).toBe(pkg.devDependencies['gpu.js']);
    expect(pkg.peerDependenciesMeta['gpu.js']?.optional).toBe(true);
    // Plotting (CLI and examples only) is an optional peer dependency.
    expect(pkg.peerDependenciesMeta.vega?.optional).toBe(true);
    expect(pkg.peerDependenciesMeta['vega-lite']?.optional).toBe(true);
  });

  it('createGpuBackend rejects bad options and modes that cannot run here', async () => {
    await expect(createGpuBackend({ mode: 'metal' as never })).rejects.toThrow(
      /^createGpuBackend: argument 'options.mode' must be one of/,
    );
    await expect(createGpuBackend(null as never)).rejects.toThrow(TypeError);
    // WebGL2 exists only in a browser.
    await expect(createGpuBackend({ mode: 'webgl2' })).rejects.toThrow(
      /^unfolded\/gpu: gpu\.js cannot run in mode 'webgl2' here/,
    );
  });

  it('a backend rejects matrices of another backend and released ones', async () => {
    const b = await createGpuBackend({ mode: 'cpu' });
    const c = await createGpuBackend({ mode: 'cpu' });
    try {
      const { normal } = await import('../../src/random/index.js');
      const x = b.upload(normal(1, [2, 3]));
      expect(() => c.times(x, x, true)).toThrow(
        /^gpuBackend\.times: argument 'x' must be a matrix of this gpu\.js backend\./,
      );
      b.release(x);
      expect(() => b.download(x)).toThrow(/must be a matrix that was not released/);
      expect(() => b.times(b.upload(normal(1, [2, 3])), b.upload(normal(1, [2, 3])), false)).toThrow(
        "gpuBackend.times: argument 'w' must be a matrix with 3 rows (x is (2, 3)). Got a (2, 3) matrix.",
      );
    } finally {
      b.destroy();
      c.destroy();
    }
  });
});
