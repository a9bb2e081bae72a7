import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createModel,
  evaluateModel,
  fromArray,
  gaussianMatrix,
  lassoObjective,
  loadModel,
  syntheticProblem,
  writeNpy,
} from '../../src/index.js';
import { runCli } from './helpers.js';

let dir: string;
const { A, Y, Z } = syntheticProblem({ n: 8, m: 16, samples: 60, density: 0.15, seed: 3 });
const file = (name: string): string => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'unfolded-train-'));
  writeNpy(file('A.npy'), A);
  writeNpy(file('Y.npy'), Y);
  writeNpy(file('Z.npy'), Z);
  writeNpy(file('other-A.npy'), gaussianMatrix(9, 8, 16));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const trainArgs = (model: string, out: string): string[] => [
  'train',
  '--model',
  model,
  '--layers',
  '3',
  '--operator',
  file('A.npy'),
  '--train',
  file('Y.npy'),
  '--epochs',
  '4',
  '--batch',
  '20',
  '--out',
  out,
];

describe('unfolded train', () => {
  it.each(['lista', 'lista-cp', 'alista', 'slista'])(
    'trains %s, writes a model file and prints the JSON report',
    async (kind) => {
      const out = file(`${kind}.safetensors`);
      const r = await runCli(
        ...trainArgs(kind, out),
        '--lambda-ratio',
        '0.2',
        '--validation',
        '0.25',
        '--lr',
        '1e-3',
        '--json',
      );
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as Record<string, unknown>;
      for (const key of [
        'model',
        'layers',
        'epochs',
        'trainLoss',
        'validationLoss',
        'seconds',
        'secondsPerEpoch',
      ])
        expect(report).toHaveProperty(key);
      expect(report.model).toBe(kind);
      expect(report.layers).toBe(3);
      expect(report.epochs).toBe(4);
      expect(report.validationLoss).toEqual(expect.any(Number));
      const model = loadModel(out, A);
      expect(model.spec).toMatchObject({ kind, depth: 3, lambda: 0.2, lambdaMode: 'ratio' });
    },
  );

  it('returns a model at least as good on the validation loss as its ISTA start (epoch 0 counts)', async () => {
    const out = file('best.safetensors');
    const r = await runCli(...trainArgs('slista', out), '--lambda', '0.05', '--lr', '0.01', '--json');
    expect(r.code).toBe(0);
    const trained = loadModel(out, A);
    const start = createModel('slista', A, { depth: 3, lambda: 0.05 });
    const loss = (m: typeof start) => evaluateModel(m, Y)[2].meanObjective;
    expect(loss(trained)).toBeLessThan(loss(start));
    expect((JSON.parse(r.stdout) as { validationLoss: unknown }).validationLoss).toBeNull();
  });

  it('trains with the supervised loss, layer-wise and with tied weights', async () => {
    const out = file('sup.safetensors');
    const r = await runCli(
      ...trainArgs('lista-cp', out),
      '--lambda',
      '0.05',
      '--loss',
      'supervised',
      '--targets',
      file('Z.npy'),
      '--layerwise',
      '--shared',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lista-cp \(3 layers\): 12 epochs/);
    expect(Object.keys(loadModel(out, A).params).sort()).toEqual(['shared.W', 'shared.theta']);
  });

  it('rejects bad arguments with one line and exit code 2, writing nothing', async () => {
    const out = file('never.safetensors');
    const cases: [string[], RegExp][] = [
      [['--lambda', '0.1', '--model', 'nope'], /--model must be one of lista, lista-cp, alista, slista/],
      [[], /give exactly one of --lambda and --lambda-ratio/],
      [['--lambda', '0.1', '--lambda-ratio', '0.1'], /give exactly one/],
      [['--lambda', '0.1', '--loss', 'supervised'], /--loss supervised needs --targets/],
      [['--lambda', '0.1', '--targets', 'Z.npy'], /--targets is for --loss supervised/],
      [['--lambda', '0.1', '--optimizer', 'sgd'], /--optimizer must be adam or gd/],
      [['--lambda', '0.1', '--validation', '1'], /--validation must be a fraction in \[0, 1\)/],
      [['--lambda', '0.1', '--lr', '0'], /--lr must be a finite number > 0/],
      [['--lambda', '0.1', '--support-selection', '10'], /--support-selection is a percentage/],
      [['--lambda=-1'], /--lambda must be a finite number >= 0/],
    ];
    for (const [extra, message] of cases) {
      const args = trainArgs('slista', out);
      const k = args.indexOf('--model');
      if (extra.includes('--model')) args.splice(k, 2);
      const r = await runCli(...args, ...extra);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
    const wrongSignals = file('wrong.npy');
    writeNpy(wrongSignals, fromArray(new Float64Array(10), [2, 5]));
    const args = trainArgs('slista', out);
    args[args.indexOf('--train') + 1] = wrongSignals;
    const r = await runCli(...args, '--lambda', '0.1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/signals must have 8 columns/);
  });
});

describe('unfolded eval', () => {
  let model: string;
  beforeAll(async () => {
    model = file('eval.safetensors');
    const r = await runCli(...trainArgs('slista', model), '--lambda', '0.05');
    expect(r.code).toBe(0);
  });

  it('prints per-layer objective, F - F* and NMSE as JSON, equal to the library evaluation', async () => {
    const trained = loadModel(model, A);
    const fstar = lassoObjective(A, Y, Z, 0.05).perSample; // any reference works for the check
    writeNpy(file('F.npy'), fstar);
    const r = await runCli(
      'eval',
      '--model',
      model,
      '--operator',
      file('A.npy'),
      '--signals',
      file('Y.npy'),
      '--fstar',
      file('F.npy'),
      '--targets',
      file('Z.npy'),
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { layers } = JSON.parse(r.stdout) as { layers: Record<string, number>[] };
    const expected = evaluateModel(trained, Y, { fstar, targets: Z });
    expect(layers).toHaveLength(3);
    layers.forEach((row, t) => {
      expect(row.layer).toBe(t + 1);
      expect(row.meanObjective).toBe(expected[t].meanObjective);
      expect(row.meanSuboptimality).toBe(expected[t].meanSuboptimality);
      expect(row.nmseDb).toBe(expected[t].nmseDb);
    });
  });

  it('prints a table without --json', async () => {
    const r = await runCli('eval', '--model', model, '--operator', file('A.npy'), '--signals', file('Y.npy'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^slista, 3 layers\n\s*layer\s+mean F\n\s+1\s/);
  });

  it('refuses a model trained for another operator, or a damaged file, with exit code 2', async () => {
    const other = await runCli(
      'eval',
      '--model',
      model,
      '--operator',
      file('other-A.npy'),
      '--signals',
      file('Y.npy'),
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/^unfolded eval: --model: .*checksum/);
    const bytes = readFileSync(model);
    writeFileSync(file('cut.safetensors'), bytes.subarray(0, bytes.length - 5));
    const cut = await runCli(
      'eval',
      '--model',
      file('cut.safetensors'),
      '--operator',
      file('A.npy'),
      '--signals',
      file('Y.npy'),
    );
    expect(cut.code).toBe(2);
    expect(cut.stderr).toMatch(/^unfolded eval: --model: .*cut\.safetensors/);
    writeNpy(file('F-bad.npy'), fromArray(new Float64Array(7), [7]));
    const badF = await runCli(
      'eval',
      '--model',
      model,
      '--operator',
      file('A.npy'),
      '--signals',
      file('Y.npy'),
      '--fstar',
      file('F-bad.npy'),
    );
    expect(badF.code).toBe(2);
    expect(badF.stderr).toMatch(/--fstar .* must hold one value per signal \(shape \[60\]\)/);
  });
});
