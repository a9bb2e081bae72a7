/**
 * The demo (npm run demo) runs end to end on a small version of its default problem: the table's
 * numbers are finite and positive, and the files it promises are there and load.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel, readNpy } from '../../src/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('examples/demo.ts', () => {
  it('trains SLISTA and LISTA and writes the per-layer comparison, the models and the plot', () => {
    const out = mkdtempSync(join(tmpdir(), 'unfolded-demo-'));
    try {
      const stdout = execFileSync(
        process.execPath,
        ['--import', 'tsx', 'examples/demo.ts', '--train', '200', '--test', '40', '--epochs', '2'].concat([
          '--out',
          out,
          '--json',
        ]),
        { cwd: root, encoding: 'utf8' },
      );
      const report = JSON.parse(stdout) as { perLayer: Record<string, number[]> };
      expect(Object.keys(report.perLayer)).toEqual(['ISTA', 'FISTA', 'SLISTA', 'LISTA']);
      for (const curve of Object.values(report.perLayer)) {
        expect(curve).toHaveLength(10);
        for (const v of curve) expect(v).toBeGreaterThan(0);
      }
      // ISTA from zero decreases F at every iteration.
      const ista = report.perLayer.ISTA;
      for (let t = 1; t < ista.length; t++) expect(ista[t]).toBeLessThan(ista[t - 1]);
      const A = readNpy(join(out, 'A.npy'));
      expect(A.shape).toEqual([64, 256]);
      expect(loadModel(join(out, 'slista.safetensors'), A).spec.kind).toBe('slista');
      expect(loadModel(join(out, 'lista.safetensors'), A).spec.depth).toBe(10);
      expect(readFileSync(join(out, 'per-layer.svg'), 'utf8')).toMatch(/^<svg[\s\S]*SLISTA/);
      for (const f of ['Y_train.npy', 'Y_test.npy', 'Z_test.npy', 'Fstar_test.npy', 'per-layer.json'])
        expect(existsSync(join(out, f))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
