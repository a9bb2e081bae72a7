import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy, syntheticProblem, writeNpy, zeros } from '../../src/index.js';
import { recoveryScore } from '../../src/dictionary/recovery-score.js';
import { runCli } from './helpers.js';

let dir: string;
// A planted dictionary (10 x 15, unit-norm Gaussian atoms) and 300 signals with sparse codes.
const { A, Y } = syntheticProblem({ n: 10, m: 15, samples: 300, density: 0.1, seed: 4 });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'unfolded-learn-'));
  writeNpy(join(dir, 'Y.npy'), Y);
  writeNpy(join(dir, 'A.npy'), A);
  writeNpy(join(dir, 'bad-init.npy'), zeros([10, 7]));
  writeNpy(join(dir, 'short.npy'), zeros([9, 15]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = (): string[] => ['learn-dictionary', '--signals', join(dir, 'Y.npy'), '--atoms', '15'];

function columnNorms(D: ReturnType<typeof readNpy>): number[] {
  const [n, K] = D.shape;
  return Array.from({ length: K }, (_, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += D.data[i * K + j] ** 2;
    return Math.sqrt(s);
  });
}

describe('unfolded learn-dictionary', () => {
  it('ksvd: writes D.npy and prints the JSON report with the recovery score', async () => {
    const out = join(dir, 'ksvd.npy');
    const r = await runCli(
      ...base(),
      '--method',
      'ksvd',
      '--sparsity',
      '3',
      '--iterations',
      '15',
      '--out',
      out,
      '--true-dictionary',
      join(dir, 'A.npy'),
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, number | string>;
    expect(Object.keys(report).sort()).toEqual([
      'iterations',
      'method',
      'objective',
      'recoveryScore',
      'seconds',
    ]);
    expect(report.method).toBe('ksvd');
    expect(report.iterations).toBe(15);
    const D = readNpy(out);
    expect(D.shape).toEqual([10, 15]);
    for (const norm of columnNorms(D)) expect(norm).toBeCloseTo(1, 10);
    expect(report.recoveryScore).toBeCloseTo(recoveryScore(D, A), 12);
    expect(report.recoveryScore).toBeGreaterThan(0.85); // measured 0.91; a Gaussian dictionary scores 0.6
    expect(report.objective).toBeGreaterThan(0);
  });

  it('am with --lambda-ratio and ddl with --unrolled-depth: atoms in the unit ball, summary line', async () => {
    const out = join(dir, 'am.npy');
    const am = await runCli(
      ...base(),
      '--method',
      'am',
      '--lambda-ratio',
      '0.1',
      '--iterations',
      '5',
      '--out',
      out,
      '--json',
    );
    expect(am.code).toBe(0);
    const report = JSON.parse(am.stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(['iterations', 'method', 'objective', 'seconds']);
    expect(report.iterations).toBe(5);
    for (const norm of columnNorms(readNpy(out))) expect(norm).toBeLessThanOrEqual(1 + 1e-12);

    const ddlOut = join(dir, 'ddl.npy');
    const ddl = await runCli(
      ...base(),
      '--method',
      'ddl',
      '--lambda',
      '0.05',
      '--unrolled-depth',
      '5',
      '--iterations',
      '3',
      '--init',
      join(dir, 'A.npy'),
      '--out',
      ddlOut,
    );
    expect(ddl.code).toBe(0);
    expect(ddl.stdout).toMatch(/^ddl: \d+ iterations, objective [\d.e+-]+, [\d.]+ s; wrote .*ddl\.npy\n$/);
    expect(readNpy(ddlOut).shape).toEqual([10, 15]);
    for (const norm of columnNorms(readNpy(ddlOut))) expect(norm).toBeLessThanOrEqual(1 + 1e-12);
  });

  it('rejects bad arguments and files with one line, exit 2 and no output', async () => {
    const out = join(dir, 'never.npy');
    const cases: [string[], string][] = [
      [['--method', 'pca', '--lambda', '0.1'], '--method must be one of am, ddl, ksvd.'],
      [['--lambda', '0.1'], '--method is required.'],
      [['--method', 'am', '--sparsity', '3'], '--sparsity is for --method ksvd only.'],
      [['--method', 'am'], 'give exactly one of --lambda and --lambda-ratio.'],
      [['--method', 'ddl', '--lambda', '0.1', '--lambda-ratio', '0.1'], 'give exactly one of --lambda'],
      [['--method', 'ksvd', '--lambda', '0.1', '--sparsity', '3'], '--lambda and --lambda-ratio are for'],
      [['--method', 'ksvd'], '--method ksvd needs --sparsity.'],
      [
        ['--method', 'am', '--lambda', '0.1', '--unrolled-depth', '5'],
        '--unrolled-depth is for --method ddl',
      ],
      [['--method', 'ksvd', '--sparsity', '3', '--batch', '10'], '--batch is for --method ddl only.'],
      [['--method', 'ksvd', '--sparsity', '0'], "--sparsity must be an integer >= 1. Got '0'."],
      [
        ['--method', 'am', '--lambda', '0.1', '--init', join(dir, 'bad-init.npy')],
        'has shape [10, 7]: it must be [10, 15]',
      ],
      [
        ['--method', 'am', '--lambda', '0.1', '--true-dictionary', join(dir, 'short.npy')],
        '--true-dictionary has 9 rows but the signals have length 10.',
      ],
      [['--method', 'am', '--lambda', '0.1', '--init', join(dir, 'missing.npy')], '--init: '],
    ];
    for (const [extra, message] of cases) {
      const r = await runCli(...base(), ...extra, '--out', out);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    const noOut = await runCli(...base(), '--method', 'ksvd', '--sparsity', '3');
    expect(noOut.stderr).toContain('--out is required.');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
