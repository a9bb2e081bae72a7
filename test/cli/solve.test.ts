import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bernoulliGaussian,
  gaussianMatrix,
  matmulNT,
  readNpy,
  writeNpy,
  lassoDualityGap,
  lambdaMax,
  scale,
} from '../../src/index.js';
import { runCli } from './helpers.js';

let dir: string;
const A = gaussianMatrix(0, 16, 32);
const Z = bernoulliGaussian(1, [5, 32], 0.1);
const Y = matmulNT(Z, A);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'unfolded-solve-'));
  writeNpy(join(dir, 'A.npy'), A);
  writeNpy(join(dir, 'Y.npy'), Y);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = (): string[] => ['solve', '--operator', join(dir, 'A.npy'), '--signals', join(dir, 'Y.npy')];

describe('unfolded solve', () => {
  it('solves to the gap tolerance, writes Z.npy and prints JSON', async () => {
    const out = join(dir, 'Z.npy');
    const r = await runCli(
      ...base(),
      '--lambda-ratio',
      '0.2',
      '--solver',
      'ista',
      '--tol',
      '1e-8',
      '--max-iter',
      '20000',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual([
      'iterations',
      'maxGap',
      'meanObjective',
      'seconds',
      'solver',
    ]);
    expect(report.solver).toBe('ista');
    expect(report.maxGap).toBeLessThanOrEqual(1e-8);
    const Zhat = readNpy(out);
    expect(Zhat.shape).toEqual([5, 32]);
    // The file holds what was certified: recompute the gap independently.
    const gap = lassoDualityGap(A, Y, Zhat, scale(lambdaMax(A, Y), 0.2));
    expect(gap.maxGap).toBeLessThanOrEqual(1e-8);
    expect(gap.meanPrimal).toBeCloseTo(report.meanObjective as number, 12);
  });

  it('accepts one lambda for all signals and prints a summary line', async () => {
    const r = await runCli(...base(), '--lambda', '0.05', '--solver', 'ista', '--out', join(dir, 'Z2.npy'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ista: \d+ iterations, mean objective [\d.]+, max gap .* wrote /);
  });

  it('runs every Lasso solver to the same objective (default fista)', async () => {
    const objectives: number[] = [];
    for (const solver of [
      [],
      ['--solver', 'ista-bt'],
      ['--solver', 'fista-restart'],
      ['--solver', 'oista'],
      ['--solver', 'cd'],
    ]) {
      const r = await runCli(
        ...base(),
        '--lambda-ratio',
        '0.2',
        ...solver,
        '--max-iter',
        '20000',
        '--out',
        join(dir, 'Zs.npy'),
        '--json',
      );
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as { solver: string; maxGap: number; meanObjective: number };
      expect(report.maxGap).toBeLessThanOrEqual(1e-8);
      objectives.push(report.meanObjective);
    }
    for (const f of objectives) expect(Math.abs(f - objectives[0])).toBeLessThanOrEqual(1e-8);
  });

  it('runs OMP with --sparsity, reporting the residual energy and no gap', async () => {
    const out = join(dir, 'Zomp.npy');
    const r = await runCli(...base(), '--solver', 'omp', '--sparsity', '3', '--out', out, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { solver: string; iterations: number; maxGap: null };
    expect(report).toMatchObject({ solver: 'omp', iterations: 3, maxGap: null });
    const Zomp = readNpy(out);
    for (let i = 0; i < 5; i++)
      expect(
        Array.from(Zomp.data.subarray(i * 32, i * 32 + 32)).filter((v) => v !== 0).length,
      ).toBeLessThanOrEqual(3);
    const noBudget = await runCli(...base(), '--solver', 'omp', '--out', out);
    expect(noBudget.code).toBe(2);
    expect(noBudget.stderr).toMatch(/omp needs --sparsity or --tol/);
    const tooMany = await runCli(
      ...base(),
      '--solver',
      'omp',
      '--sparsity',
      '99',
      '--out',
      join(dir, 'never2.npy'),
    );
    expect(tooMany.code).toBe(2);
    expect(tooMany.stderr).toMatch(/sparsity/);
  });

  const failures: [string, string[], RegExp][] = [
    ['sparsity without omp', ['--lambda', '1', '--sparsity', '3'], /--sparsity is for --solver omp only/],
    [
      'both lambdas',
      ['--lambda', '1', '--lambda-ratio', '0.1'],
      /exactly one of --lambda and --lambda-ratio/,
    ],
    ['no lambda', [], /exactly one of --lambda and --lambda-ratio/],
    ['negative lambda', ['--lambda=-1'], /--lambda must be a finite number >= 0. Got '-1'/],
    ['bad tol', ['--lambda', '1', '--tol', 'abc'], /--tol must be a finite number >= 0/],
    ['unknown solver', ['--lambda', '1', '--solver', 'magic'], /--solver must be one of/],
    ['fractional max-iter', ['--lambda', '1', '--max-iter', '2.5'], /--max-iter must be an integer >= 0/],
  ];
  for (const [name, extra, message] of failures) {
    it(`rejects ${name} with one line and exit 2, writing nothing`, async () => {
      const out = join(dir, `bad-${name.replace(/ /g, '-')}.npy`);
      const r = await runCli(...base(), ...extra, '--out', out);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    });
  }

  it('rejects missing, malformed and mismatched files', async () => {
    const out = join(dir, 'never.npy');
    const missing = await runCli(
      'solve',
      '--operator',
      join(dir, 'nope.npy'),
      '--signals',
      join(dir, 'Y.npy'),
      '--lambda',
      '1',
      '--out',
      out,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--operator: .*nope\.npy/);
    writeFileSync(join(dir, 'junk.npy'), 'not a numpy file');
    const junk = await runCli(
      'solve',
      '--operator',
      join(dir, 'junk.npy'),
      '--signals',
      join(dir, 'Y.npy'),
      '--lambda',
      '1',
      '--out',
      out,
    );
    expect(junk.code).toBe(2);
    expect(junk.stderr).toMatch(/junk\.npy/);
    const swapped = await runCli(
      'solve',
      '--operator',
      join(dir, 'Y.npy'),
      '--signals',
      join(dir, 'A.npy'),
      '--lambda',
      '1',
      '--out',
      out,
    );
    expect(swapped.code).toBe(2);
    expect(swapped.stderr).toMatch(/--signals has shape \[16, 32\] but --operator has 5 rows/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
