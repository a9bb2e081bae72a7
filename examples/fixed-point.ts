/**
 * Convergence to a fixed point beyond the training depth: a DDL model (dictionary and per-iteration
 * steps learned together, ISTA unrolled T = 20 times, full-batch projected gradient with
 * backtracking) is trained in the synthetic setting of examples/support/dictionary-setting.ts
 * (30 x 50, 1,000 signals, noise 0.1, lambda 0.1, from the shared random initial dictionary); then
 * its sparse-coding iterations are run well past T from z_0 = 0 (fixedPointStudy: iteration k uses
 * the learned step min(k, T - 1), so the last learned step repeats), and for contrast plain ISTA and
 * FISTA with the step 1/L on the same learned dictionary. Per iteration: ||z_{k+1} - z_k|| and
 * F(z_k) - F* (F* of the learned dictionary, coordinate descent to a gap of 1e-12), and the
 * distance to the Lasso solution.
 *
 * Writes results/dictionary-fixed-point.{json,tables.md} and
 * results/dictionary-fixed-point-{steps,suboptimality}.svg.
 *
 *   npx tsx examples/fixed-point.ts [--depth 20] [--train-iterations 200] [--iterations 200]
 *       [--seed 0] [--out results]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  fixedPointStudy,
  learnDictionaryDdl,
  lipschitzConstant,
  recoveryScore,
  type FixedPointResult,
} from '../src/index.js';
import { writeFileAtomic } from '../src/io/index.js';
import { linePlotSvg } from '../src/plot/line-plot.js';
import { markdownTable, positivePart } from './support/compare.js';
import { dictionarySetting, SETTING } from './support/dictionary-setting.js';

const { values } = parseArgs({
  options: {
    depth: { type: 'string', default: '20' },
    'train-iterations': { type: 'string', default: '200' },
    iterations: { type: 'string', default: '200' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: 'results' },
  },
});
const [depth, trainIterations, iterations, seed] = [
  values.depth,
  values['train-iterations'],
  values.iterations,
  values.seed,
].map(Number);
const { lambda, atoms } = SETTING;
const started = performance.now();
const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(0)} s`;

const { Y, Dtrue, D0 } = dictionarySetting(seed);
const model = learnDictionaryDdl(Y, {
  atoms,
  lambda,
  depth,
  learnSteps: true,
  init: D0,
  seed,
  iterations: trainIterations,
  trueDictionary: Dtrue,
  onIteration: (r) => {
    if (r.iteration % 20 === 0)
      console.log(
        `  DDL T=${depth}, learned steps: iteration ${r.iteration}, objective ${r.objective.toFixed(5)}, ` +
          `score ${r.recoveryScore?.toFixed(4)} (${elapsed()})`,
      );
  },
});
const last = model.history[model.history.length - 1];
const steps = Array.from(model.steps.data);
const L = lipschitzConstant(model.D, { upperBound: true }).value;
console.log(
  `trained: ${last.iteration} iterations, unrolled objective ${last.objective.toFixed(5)}, score ` +
    `${recoveryScore(model.D, Dtrue).toFixed(4)}, ${model.seconds.toFixed(1)} s; 1/L = ${(1 / L).toFixed(4)} (${elapsed()})`,
);

const studies: { name: string; label: string; result: FixedPointResult }[] = [
  {
    name: `ISTA, learned steps (last repeats after ${depth})`,
    label: 'ISTA, learned steps',
    result: fixedPointStudy(model.D, Y, lambda, iterations, { steps }),
  },
  { name: 'ISTA, step 1/L', label: 'ISTA, 1/L', result: fixedPointStudy(model.D, Y, lambda, iterations) },
  {
    name: 'FISTA, step 1/L',
    label: 'FISTA, 1/L',
    result: fixedPointStudy(model.D, Y, lambda, iterations, { algorithm: 'fista' }),
  },
];
console.log(`fixed-point studies done (${elapsed()})`);

// The report.
mkdirSync(values.out, { recursive: true });
const command =
  `npx tsx examples/fixed-point.ts --depth ${depth} --train-iterations ${trainIterations} ` +
  `--iterations ${iterations} --seed ${seed}`;
const e2 = (x: number): string => (Number.isFinite(x) ? x.toExponential(2) : String(x));
const marks = [0, 1, 2, 5, 10, 19, 20, 21, 30, 50, 70, 100, 150, 200, 300, 500, 1000].filter(
  (k) => k <= iterations,
);
const sections = studies.map(({ name, result }) => {
  const table = markdownTable(
    ['k', '‖z_(k+1) − z_k‖', 'F(z_k) − F*', '‖z_k − z*‖'],
    marks.map((k) => [
      String(k),
      k < result.stepNorm.length ? e2(result.stepNorm[k]) : '-',
      e2(result.suboptimality[k]),
      e2(result.distance[k]),
    ]),
  );
  return `### ${name}\n\n${table}\n`;
});
const stepsText = steps.map((s) => s.toFixed(4)).join(', ');
const tables =
  `Command: \`${command}\`\n\n` +
  `Model: DDL with learned steps, ISTA unrolled T = ${depth}, ${last.iteration} full-batch iterations from the shared ` +
  `random initial dictionary (seed ${seed}); final unrolled objective ${last.objective.toFixed(5)}, recovery score ` +
  `${recoveryScore(model.D, Dtrue).toFixed(4)}, ${model.seconds.toFixed(1)} s.\n\n` +
  `Learned steps (iteration 1 to ${depth}): ${stepsText}.\n` +
  `1/L of the learned D: ${(1 / L).toFixed(4)} (2/L = ${(2 / L).toFixed(4)}). ` +
  `F* = ${studies[0].result.optimum.toFixed(6)} (largest gap ${e2(studies[0].result.referenceGap)}).\n\n` +
  `Norms are root mean squares over the ${Y.shape[0]} signals.\n\n${sections.join('\n')}`;
writeFileAtomic(join(values.out, 'dictionary-fixed-point.tables.md'), tables);
writeFileAtomic(
  join(values.out, 'dictionary-fixed-point.json'),
  JSON.stringify(
    {
      command,
      depth,
      trainIterations: last.iteration,
      learnedSteps: steps,
      oneOverL: 1 / L,
      history: model.history,
      studies: studies.map(({ name, result }) => ({
        name,
        optimum: result.optimum,
        referenceGap: result.referenceGap,
        // JSON has no Infinity or NaN: diverged values become null.
        stepNorm: result.stepNorm.map((v) => (Number.isFinite(v) ? v : null)),
        suboptimality: result.suboptimality.map((v) => (Number.isFinite(v) ? v : null)),
        distance: result.distance.map((v) => (Number.isFinite(v) ? v : null)),
      })),
    },
    null,
    2,
  ) + '\n',
);
/** Plotted values stop at the first one above PLOT_CAP (a diverging run would squash the rest). */
const PLOT_CAP = 100;
const capped = (label: string, y: readonly number[]) => {
  const end = y.findIndex((v) => !(v <= PLOT_CAP));
  const kept = end < 0 ? y : y.slice(0, end);
  return positivePart({ name: label, x: kept.map((_, k) => k), y: kept });
};
const note = `curves stop where a value first exceeds ${PLOT_CAP}`;
const stepsSvg = await linePlotSvg(
  studies.map(({ label, result }) => capped(label, result.stepNorm)),
  {
    title: `‖z_(k+1) − z_k‖ beyond the training depth T = ${depth} (learned DDL dictionary; ${note})`,
    xTitle: 'iteration k',
    yTitle: '‖z_(k+1) − z_k‖ (rms over signals)',
    logY: true,
  },
);
const subSvg = await linePlotSvg(
  studies.map(({ label, result }) => capped(label, result.suboptimality)),
  {
    title: `F(z_k) − F* beyond the training depth T = ${depth} (learned DDL dictionary; ${note})`,
    xTitle: 'iteration k',
    yTitle: 'F(z_k) − F* (mean over signals)',
    logY: true,
  },
);
writeFileAtomic(join(values.out, 'dictionary-fixed-point-steps.svg'), stepsSvg);
writeFileAtomic(join(values.out, 'dictionary-fixed-point-suboptimality.svg'), subSvg);
console.log(`wrote ${values.out}/dictionary-fixed-point.{json,tables.md} and 2 SVG plots (${elapsed()})`);
