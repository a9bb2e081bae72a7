import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

describe('entry points', () => {
  it('unfolded/gpu exists and fails clearly until the backend is built', async () => {
    const { createGpuBackend } = await import('../../src/gpu/index.js');
    await expect(createGpuBackend()).rejects.toThrow(/unfolded\/gpu: the gpu.js backend is not built yet/);
  });

  it('the main entry never imports gpu.js or the CLI', () => {
    const index = readFileSync(new URL('../../src/index.ts', import.meta.url), 'utf8');
    const specifiers = [...index.matchAll(/^(?:import|export)\b[^;]*?from '([^']+)'/gm)].map((m) => m[1]);
    expect(specifiers.length).toBeGreaterThan(3);
    expect(specifiers.filter((s) => /gpu|cli/.test(s))).toEqual([]);
  });

  it('the package maps the main entry, ./gpu and the bin', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, unknown>;
      bin: Record<string, string>;
      dependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    expect(Object.keys(pkg.exports)).toEqual(expect.arrayContaining(['.', './gpu']));
    expect(pkg.bin.unfolded).toBe('./bin/unfolded.js');
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['ndarray', 'ndarray-ops', 'pure-rand']);
    // Plotting (CLI and examples only) is an optional peer dependency.
    expect(pkg.peerDependenciesMeta.vega?.optional).toBe(true);
    expect(pkg.peerDependenciesMeta['vega-lite']?.optional).toBe(true);
  });
});
