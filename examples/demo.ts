/**
 * The demo on the built-in default problem: `npm run demo` (or `npx tsx examples/demo.ts`).
 *
 * The library's main job in under a minute: learn to solve a sparse-coding problem by unrolling
 * ISTA, and compare with the classical solvers layer by layer.
 *
 * 1. The default problem (Ablin et al. 2019): a Gaussian dictionary A (64 x 256) with unit-norm
 *    atoms, Bernoulli(0.05)-Gaussian codes, signals Y = Z A^T, the Lasso at lambda = 0.1
 *    lambdaMax(y) for every signal.
 * 2. F* of every test signal by coordinate descent, certified to a duality gap of 1e-10.
 * 3. SLISTA (one learned step per layer) and LISTA (learned W1, W2, theta per layer), T = 10
 *    layers, trained briefly with Adam on the unsupervised loss (the mean Lasso objective).
 * 4. The per-layer mean F(z_t) - F* on the test signals of ISTA, FISTA, SLISTA and LISTA: a table,
 *    and an SVG plot.
 *
 * Writes to --out (default demo-output): A.npy, Y_train.npy, Y_test.npy, Z_test.npy,
 * Fstar_test.npy, slista.safetensors, lista.safetensors, per-layer.svg and per-layer.json, so
 * that `unfolded eval` and `unfolded train` can be tried on the same files.
 *
 * Options: --seed S (default 0), --train N (default 3000), --test N (default 1000),
 * --epochs E (SLISTA; LISTA, slower per epoch, gets half; default 10), --out DIR, --json (one JSON object on
 * stdout instead of the report).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  createModel,
  rows,
  saveModel,
  syntheticProblem,
  trainModel,
  writeNpy,
  type EpochReport,
  type Model,
} from '../src/index.js';
import { writeFileAtomic } from '../src/io/index.js';
import { linePlotSvg } from '../src/plot/line-plot.js';
import {
  classicalCurves,
  modelCurve,
  positivePart,
  referenceSolution,
  textTable,
} from './support/compare.js';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '0' },
    train: { type: 'string', default: '3000' },
    test: { type: 'string', default: '1000' },
    epochs: { type: 'string', default: '10' },
    out: { type: 'string', default: 'demo-output' },
    json: { type: 'boolean', default: false },
  },
});
const seed = Number(values.seed);
const nTrain = Number(values.train);
const nTest = Number(values.test);
const epochs = Number(values.epochs);
const [n, m, density, lambda, depth] = [64, 256, 0.05, 0.1, 10];
const log = (line: string): void => {
  if (!values.json) console.log(line);
};
const started = performance.now();

// 1. Signals normalised to lambdaMax(y) = 1, so lambda = 0.1 is 0.1 lambdaMax for every signal.
const { A, Y, Z } = syntheticProblem({
  n,
  m,
  samples: nTrain + nTest,
  density,
  seed,
  normalizeLambdaMax: true,
});
const Ytrain = rows(Y, 0, nTrain);
const Ytest = rows(Y, nTrain);
log(`unfolded demo: A ${n} x ${m} Gaussian, unit-norm atoms; codes Bernoulli(${density})-Gaussian;`);
log(
  `  ${nTrain} training and ${nTest} test signals scaled to lambdaMax = 1; lambda = ${lambda}; seed ${seed}`,
);

// 2. F* per test signal.
const { fstar } = referenceSolution(A, Ytest, lambda, 1e-10);
log(`F* of the test signals: coordinate descent to a duality gap of 1e-10`);

// 3. Train SLISTA and LISTA from ISTA.
function trainBriefly(
  kind: 'slista' | 'lista',
  modelEpochs: number,
  lr: number,
): { model: Model; seconds: number } {
  const onEpoch = (r: EpochReport): void => {
    if (!values.json && process.stderr.isTTY)
      process.stderr.write(`\r  ${kind}: epoch ${r.epoch}/${modelEpochs}, loss ${r.trainLoss.toFixed(6)}   `);
  };
  const init = createModel(kind, A, { depth, lambda });
  const t0 = performance.now();
  const { model } = trainModel(init, Ytrain, { epochs: modelEpochs, batch: 100, lr, seed, onEpoch });
  if (!values.json && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  const seconds = (performance.now() - t0) / 1000;
  log(
    `trained ${kind} (${depth} layers): ${modelEpochs} epochs of Adam (lr ${lr}, batch 100), ${seconds.toFixed(1)} s`,
  );
  return { model, seconds };
}
const listaEpochs = Math.max(1, Math.round(epochs / 2));
// Adam steps as in examples/ablin2019.ts.
const slista = trainBriefly('slista', epochs, 1e-2);
const lista = trainBriefly('lista', listaEpochs, 1e-3);

// 4. Per-layer F - F* on the test signals.
const curves: Record<string, number[]> = {
  ...classicalCurves(A, Ytest, lambda, depth, fstar),
  SLISTA: modelCurve(slista.model, Ytest, fstar),
  LISTA: modelCurve(lista.model, Ytest, fstar),
};
const names = Object.keys(curves);
const table = textTable(
  ['layer', ...names],
  Array.from({ length: depth }, (_, t) => [
    String(t + 1),
    ...names.map((k) => curves[k][t].toExponential(3)),
  ]),
);
log(
  `\nmean F(z_t) - F* on the ${nTest} test signals, after t layers (networks) or iterations (ISTA, FISTA):`,
);
log(table);

mkdirSync(values.out, { recursive: true });
const file = (name: string): string => join(values.out, name);
writeNpy(file('A.npy'), A);
writeNpy(file('Y_train.npy'), Ytrain);
writeNpy(file('Y_test.npy'), Ytest);
writeNpy(file('Z_test.npy'), rows(Z, nTrain));
writeNpy(file('Fstar_test.npy'), fstar);
saveModel(file('slista.safetensors'), slista.model);
saveModel(file('lista.safetensors'), lista.model);
const svg = await linePlotSvg(
  names.map((name) => positivePart({ name, x: curves[name].map((_, t) => t + 1), y: curves[name] })),
  {
    title: `Mean F(z_t) - F* on ${nTest} test signals (A ${n} x ${m}, lambda = ${lambda} lambdaMax)`,
    xTitle: 'layer / iteration t',
    yTitle: 'F(z_t) - F*',
    logY: true,
  },
);
writeFileAtomic(file('per-layer.svg'), svg);
const report = {
  problem: { n, m, density, lambda, train: nTrain, test: nTest, seed, depth },
  training: {
    slista: { epochs, seconds: slista.seconds },
    lista: { epochs: listaEpochs, seconds: lista.seconds },
  },
  perLayer: curves,
  seconds: (performance.now() - started) / 1000,
};
writeFileAtomic(file('per-layer.json'), JSON.stringify(report, null, 2) + '\n');
if (values.json) process.stdout.write(JSON.stringify(report) + '\n');
log(`\nwrote ${values.out}/: A.npy, Y_train.npy, Y_test.npy, Z_test.npy, Fstar_test.npy,`);
log(
  `  slista.safetensors, lista.safetensors, per-layer.svg, per-layer.json (${report.seconds.toFixed(1)} s in all)`,
);
