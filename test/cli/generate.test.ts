import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lambdaMax, matmulNT, readNpy, syntheticProblem } from '../../src/index.js';
import { runCli } from './helpers.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'unfolded-generate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (out: string, ...more: string[]): string[] => [
  'generate',
  '--operator-shape',
  '6,15',
  '--samples',
  '30',
  '--density',
  '0.2',
  '--seed',
  '7',
  '--out-dir',
  out,
  ...more,
];

describe('unfolded generate', () => {
  it('writes A.npy, Y.npy, Z.npy with Y = Z A^T into a new directory and prints JSON', async () => {
    const out = join(dir, 'nested', 'plain');
    const r = await runCli(...args(out, '--json'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(report).toEqual({
      operatorShape: [6, 15],
      samples: 30,
      density: 0.2,
      seed: 7,
      normalizeLambdaMax: false,
      files: { A: join(out, 'A.npy'), Y: join(out, 'Y.npy'), Z: join(out, 'Z.npy') },
    });
    expect(readdirSync(out).sort()).toEqual(['A.npy', 'Y.npy', 'Z.npy']);
    const A = readNpy(join(out, 'A.npy'));
    const Y = readNpy(join(out, 'Y.npy'));
    const Z = readNpy(join(out, 'Z.npy'));
    expect([A.shape, Y.shape, Z.shape]).toEqual([
      [6, 15],
      [30, 6],
      [30, 15],
    ]);
    expect(Array.from(Y.data)).toEqual(Array.from(matmulNT(Z, A).data));
    // The files hold exactly the library's draw for the same options.
    const lib = syntheticProblem({ n: 6, m: 15, samples: 30, density: 0.2, seed: 7 });
    expect(Array.from(A.data)).toEqual(Array.from(lib.A.data));
    expect(Array.from(Z.data)).toEqual(Array.from(lib.Z.data));
  });

  it('gives byte-identical files for the same seed and different ones for another seed', async () => {
    const [a, b, c] = ['seed-a', 'seed-b', 'seed-c'].map((d) => join(dir, d));
    expect((await runCli(...args(a, '--noise-snr', '20'))).code).toBe(0);
    expect((await runCli(...args(b, '--noise-snr', '20'))).code).toBe(0);
    const other = args(c, '--noise-snr', '20');
    other[other.indexOf('--seed') + 1] = '8';
    const text = await runCli(...other);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      `wrote ${join(c, 'A.npy')} (6 x 15), ${join(c, 'Y.npy')} (30 x 6), ${join(c, 'Z.npy')} (30 x 15)\n`,
    );
    for (const f of ['A.npy', 'Y.npy', 'Z.npy']) {
      expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f)))).toBe(true);
      expect(readFileSync(join(c, f)).equals(readFileSync(join(a, f)))).toBe(false);
    }
  });

  it('adds noise and normalises every non-zero signal to lambdaMax = 1', async () => {
    const out = join(dir, 'normalised');
    const r = await runCli(...args(out, '--noise-snr', '30', '--normalize-lambda-max', '--json'));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { noiseSnrDb: number; normalizeLambdaMax: boolean };
    expect(report.noiseSnrDb).toBe(30);
    expect(report.normalizeLambdaMax).toBe(true);
    const A = readNpy(join(out, 'A.npy'));
    const Y = readNpy(join(out, 'Y.npy'));
    const Z = readNpy(join(out, 'Z.npy'));
    const lm = lambdaMax(A, Y).data;
    let nonZero = 0;
    for (let i = 0; i < 30; i++) {
      if (lm[i] === 0) continue;
      nonZero++;
      expect(lm[i]).toBeCloseTo(1, 12);
    }
    expect(nonZero).toBeGreaterThan(20);
    // Noise at 30 dB: Y is close to Z A^T but not equal.
    const clean = matmulNT(Z, A).data;
    let signal = 0;
    let noise = 0;
    for (let k = 0; k < clean.length; k++) {
      signal += clean[k] ** 2;
      noise += (Y.data[k] - clean[k]) ** 2;
    }
    expect(noise).toBeGreaterThan(0);
    expect(10 * Math.log10(signal / noise)).toBeGreaterThan(25);
    expect(10 * Math.log10(signal / noise)).toBeLessThan(35);
  });

  it('rejects bad options with one line, exit 2, and writes nothing', async () => {
    const out = join(dir, 'never');
    const cases: [string[], string][] = [
      [
        ['--operator-shape', '6x15'],
        "--operator-shape must be two integers >= 1 as n,m (e.g. 64,256). Got '6x15'.",
      ],
      [
        ['--operator-shape', '0,15'],
        "--operator-shape must be two integers >= 1 as n,m (e.g. 64,256). Got '0,15'.",
      ],
      [['--operator-shape', '6,15,2'], "n,m (e.g. 64,256). Got '6,15,2'."],
      [['--samples', '0'], "--samples must be an integer >= 1. Got '0'."],
      [['--samples', '2.5'], "--samples must be an integer >= 1. Got '2.5'."],
      [['--density', '1.5'], "--density must be a number in [0, 1]. Got '1.5'."],
      [['--density', '-0.1'], "--density must be a finite number >= 0. Got '-0.1'."],
      [['--seed', 'abc'], "--seed must be an integer. Got 'abc'."],
      [['--seed', '1e300'], '--seed must be an integer of at most 2^53 - 1 in size.'],
      [['--noise-snr', 'NaN'], "--noise-snr must be a finite number. Got 'NaN'."],
      [
        ['--samples', '100000000'],
        '--samples 100000000 with --operator-shape 6,15 is too large: at most 268435456 entries per array.',
      ],
    ];
    for (const [change, message] of cases) {
      // --name=value, so that negative numbers are values, not options.
      const a = args(out);
      const at = a.indexOf(change[0]);
      if (at < 0) a.push(`${change[0]}=${change[1]}`);
      else a.splice(at, 2, `${change[0]}=${change[1]}`);
      const r = await runCli(...a);
      expect(r.code, change.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr, change.join(' ')).toMatch(/^unfolded generate: --/);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
    }
    for (const missing of ['--operator-shape', '--samples', '--density', '--seed', '--out-dir']) {
      const a = args(out);
      a.splice(a.indexOf(missing), 2);
      const r = await runCli(...a);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`unfolded generate: ${missing} is required.\n`);
    }
    expect(existsSync(out)).toBe(false);
    // An --out-dir that is a file.
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const r = await runCli(...args(file));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`unfolded generate: --out-dir ${file} exists and is not a directory.\n`);
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('is listed in the help, with its usage', async () => {
    expect((await runCli('--help')).stdout).toMatch(/^\s+generate\s+A synthetic problem/m);
    const r = await runCli('generate', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--normalize-lambda-max');
    expect(r.stdout).toContain('"operatorShape"');
  });
});
