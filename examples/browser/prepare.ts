/**
 * The files the browser demo loads, made with the CLI: the operator A.npy of the demo's seeded
 * draw and a LISTA model trained on the draw's training rows by `unfolded train` (run in-process),
 * written as model.safetensors. Used by the end-to-end test, and by hand to try the page:
 *
 *     npm run build:browser
 *     npx tsx examples/browser/prepare.ts examples/browser/dist
 *     npx vite preview --config examples/browser/vite.config.ts    # then open the printed URL
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { main } from '../../src/cli/main.js';
import { syntheticProblem } from '../../src/data/synthetic.js';
import { writeNpy } from '../../src/io/npy.js';
import { rows } from '../../src/tensor/views.js';
import { DEMO } from './config.js';

/** Epochs of Adam (batch 50, step 1e-3): enough for LISTA to beat ISTA clearly at depth T. */
const EPOCHS = 20;

/** The demo's files in `dir`: A.npy, Y-train.npy and model.safetensors (paths returned). */
export async function prepareDemoFiles(dir: string): Promise<{ operator: string; model: string }> {
  const { n, m, testSamples, trainSamples, density, seed, lambda, depth } = DEMO;
  mkdirSync(dir, { recursive: true });
  // The page draws the first testSamples rows; training uses the rows after them (same draw).
  const draw = syntheticProblem({
    n,
    m,
    samples: testSamples + trainSamples,
    density,
    seed,
    normalizeLambdaMax: true,
  });
  const operator = join(dir, 'A.npy');
  const train = join(dir, 'Y-train.npy');
  const model = join(dir, 'model.safetensors');
  writeNpy(operator, draw.A);
  writeNpy(train, rows(draw.Y, testSamples, testSamples + trainSamples));
  let stderr = '';
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  const errors = new Writable({
    write(chunk: Buffer, _encoding, done) {
      stderr += chunk.toString();
      done();
    },
  });
  const code = await main(
    [
      'train',
      ...['--model', 'lista', '--layers', String(depth), '--lambda', String(lambda)],
      ...['--operator', operator, '--train', train],
      ...['--epochs', String(EPOCHS), '--batch', '50', '--lr', '1e-3', '--out', model],
    ],
    { stdout: sink, stderr: errors },
  );
  if (code !== 0 || stderr !== '') throw new Error(`unfolded train failed (exit ${code}): ${stderr}`);
  return { operator, model };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2] ?? 'examples/browser/dist';
  const files = await prepareDemoFiles(dir);
  console.log(`wrote ${files.operator} and ${files.model}`);
}
