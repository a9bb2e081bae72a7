/**
 * Dictionary recovery in the synthetic setting of Malezieux, Moreau & Kowalski (ICLR 2022),
 * "Understanding approximate and unrolled dictionary learning for pattern recovery"
 * (examples/support/dictionary-setting.ts: a 30 x 50 Gaussian dictionary with unit-norm atoms,
 * 1,000 Bernoulli(0.3)-Gaussian codes, noise of standard deviation 0.1 per entry, lambda 0.1):
 *
 * - AM (coordinate-descent coding to a duality gap of 1e-6, Mairal's block-coordinate atom
 *   update), DDL at depths T (full-batch projected gradient with backtracking, ISTA with 1/L(D)
 *   steps, full back-propagation) and K-SVD (OMP at sparsity S = the true codes' mean support,
 *   rounded), all from the same random initial dictionary (50 noisy signals drawn with the seed);
 * - per outer iteration: the recovery score against the true dictionary, each method's own
 *   objective and the seconds of the method's own work (score evaluations excluded);
 * - at the end, for every final dictionary: the Lasso value function min_Z F(D, Z) (coordinate
 *   descent to a gap of 1e-10), a common yardstick for methods whose own objectives differ;
 * - the gradient study: the relative error of the unrolled gradient at depth T (and of the
 *   analytic formula at z_T) against the analytic gradient at the exact codes, for the true
 *   dictionary and for the initial one, T on a log grid.
 *
 * Writes results/dictionary-synthetic.{json,tables.md} and the SVG plots
 * results/dictionary-synthetic-{recovery-iterations,recovery-seconds,objective,gradient-error}.svg.
 *
 *   npx tsx examples/dictionary-synthetic.ts [--am-iterations 50] [--ddl-iterations 200]
 *       [--ksvd-iterations 50] [--depths 5,20,50] [--grad-depths 1,2,5,10,20,50,100,200,500,1000]
 *       [--seed 0] [--out results]
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  gradientErrorByDepth,
  learnDictionaryAm,
  learnDictionaryDdl,
  learnDictionaryKsvd,
  recoveryScore,
  type DictionaryIteration,
  type DictionaryLearningResult,
  type GradientErrorResult,
} from '../src/index.js';
import { lassoSolution } from '../src/dictionary/gradient-study.js';
import { writeFileAtomic } from '../src/io/index.js';
import { linePlotSvg, type Series } from '../src/plot/line-plot.js';
import { markdownTable } from './support/compare.js';
import { dictionarySetting, SETTING } from './support/dictionary-setting.js';
import { logXPlotSvg } from './support/log-plot.js';

const { values } = parseArgs({
  options: {
    'am-iterations': { type: 'string', default: '50' },
    'ddl-iterations': { type: 'string', default: '200' },
    'ksvd-iterations': { type: 'string', default: '50' },
    depths: { type: 'string', default: '5,20,50' },
    'grad-depths': { type: 'string', default: '1,2,5,10,20,50,100,200,500,1000' },
    seed: { type: 'string', default: '0' },
    out: { type: 'string', default: 'results' },
  },
});
const list = (s: string): number[] => s.split(',').map(Number);
const amIterations = Number(values['am-iterations']);
const ddlIterations = Number(values['ddl-iterations']);
const ksvdIterations = Number(values['ksvd-iterations']);
const depths = list(values.depths);
const gradDepths = list(values['grad-depths']);
const seed = Number(values.seed);
const { lambda, atoms } = SETTING;
const started = performance.now();
const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(0)} s`;

const setting = dictionarySetting(seed);
const { Y, Dtrue, D0 } = setting;
const sparsity = Math.round(setting.meanSupport);
console.log(
  `setting: Y ${Y.shape.join(' x ')}, true codes' mean support ${setting.meanSupport.toFixed(3)} ` +
    `(K-SVD sparsity ${sparsity}), initial recovery score ${recoveryScore(D0, Dtrue).toFixed(4)}`,
);

interface MethodRun {
  name: string;
  /** What the method's objective is. */
  objectiveKind: string;
  history: DictionaryIteration[];
  finalScore: number;
  /** min_Z F(D, Z) at the final dictionary (mean over signals). */
  finalLassoValue: number;
  seconds: number;
}

const progress = (name: string, total: number) => (r: DictionaryIteration) => {
  if (r.iteration % 10 === 0 || r.iteration === total)
    console.log(
      `  ${name}: iteration ${r.iteration}/${total}, objective ${r.objective.toFixed(5)}, ` +
        `score ${r.recoveryScore?.toFixed(4)}, ${r.seconds.toFixed(1)} s`,
    );
};
const common = { atoms, init: D0, seed, trueDictionary: Dtrue };
const runs: MethodRun[] = [];
const finish = (name: string, objectiveKind: string, result: DictionaryLearningResult): void => {
  const value = lassoSolution(result.D, Y, lambda, 1e-10).objective;
  const last = result.history[result.history.length - 1];
  runs.push({
    name,
    objectiveKind,
    history: [...result.history],
    finalScore: last.recoveryScore as number,
    finalLassoValue: value,
    seconds: result.seconds,
  });
  console.log(
    `${name}: ${last.iteration} iterations, score ${(last.recoveryScore as number).toFixed(4)}, ` +
      `min_Z F(D, Z) = ${value.toFixed(5)}, ${result.seconds.toFixed(1)} s (${elapsed()})`,
  );
};

finish(
  'AM',
  'F(D, Z) at the codes (CD to a gap of 1e-6)',
  learnDictionaryAm(Y, {
    ...common,
    lambda,
    iterations: amIterations,
    onIteration: progress('AM', amIterations),
  }),
);
for (const depth of depths) {
  const name = `DDL T=${depth}`;
  finish(
    name,
    `F(D, z_${depth}(D)), the unrolled objective`,
    learnDictionaryDdl(Y, {
      ...common,
      lambda,
      depth,
      iterations: ddlIterations,
      onIteration: progress(name, ddlIterations),
    }),
  );
}
finish(
  `K-SVD S=${sparsity}`,
  'mean 1/2 ||y - D z||^2 at the OMP codes (no l1 term)',
  learnDictionaryKsvd(Y, {
    ...common,
    sparsity,
    iterations: ksvdIterations,
    onIteration: progress('K-SVD', ksvdIterations),
  }),
);
const trueValue = lassoSolution(Dtrue, Y, lambda, 1e-10).objective;
const initialValue = lassoSolution(D0, Y, lambda, 1e-10).objective;

// The gradient study at the true and at the initial dictionary.
const gradient: Record<'true' | 'initial', GradientErrorResult> = {
  true: gradientErrorByDepth(Dtrue, Y, lambda, gradDepths),
  initial: gradientErrorByDepth(D0, Y, lambda, gradDepths),
};
console.log(`gradient study done (${elapsed()})`);

// The report.
mkdirSync(values.out, { recursive: true });
const command =
  `npx tsx examples/dictionary-synthetic.ts --am-iterations ${amIterations} --ddl-iterations ${ddlIterations} ` +
  `--ksvd-iterations ${ksvdIterations} --depths ${values.depths} --grad-depths ${values['grad-depths']} --seed ${seed}`;
const f4 = (x: number): string => x.toFixed(4);
const e2 = (x: number): string => x.toExponential(2);
const summary = markdownTable(
  ['method', 'iterations', 'seconds', 'recovery score', 'own objective', 'min_Z F(D, Z)'],
  [
    ...runs.map((r) => {
      const last = r.history[r.history.length - 1];
      return [
        r.name,
        String(last.iteration),
        r.seconds.toFixed(1),
        f4(r.finalScore),
        f4(last.objective),
        f4(r.finalLassoValue),
      ];
    }),
    ['initial D0', '0', '-', f4(recoveryScore(D0, Dtrue)), '-', f4(initialValue)],
    ['true D', '-', '-', '1.0000', '-', f4(trueValue)],
  ],
);
const objectives = runs.map((r) => `- ${r.name}: ${r.objectiveKind}`).join('\n');
// Score at a few iterations, to read the curves without the plots.
const marks = [0, 1, 2, 5, 10, 20, 50, 100, 200].filter((t) => runs.some((r) => r.history.length > t));
const scoreTable = markdownTable(
  ['method', ...marks.map((t) => `it ${t}`)],
  runs.map((r) => [
    r.name,
    ...marks.map((t) => (t < r.history.length ? f4(r.history[t].recoveryScore as number) : '')),
  ]),
);
const gradTable = markdownTable(
  [
    'T',
    'true D: unrolled',
    'true D: analytic at z_T',
    'true D: ‖z_T − z*‖',
    'initial D: unrolled',
    'initial D: analytic at z_T',
    'initial D: ‖z_T − z*‖',
  ],
  gradDepths.map((T, k) => [
    String(T),
    e2(gradient.true.relative[k]),
    e2(gradient.true.analyticRelative[k]),
    e2(gradient.true.codesError[k]),
    e2(gradient.initial.relative[k]),
    e2(gradient.initial.analyticRelative[k]),
    e2(gradient.initial.codesError[k]),
  ]),
);
const tables =
  `Command: \`${command}\`\n\n` +
  `Setting: true dictionary ${SETTING.n} x ${atoms}, ${SETTING.samples} codes Bernoulli(${SETTING.density})-Gaussian ` +
  `(mean support ${setting.meanSupport.toFixed(3)}), noise std ${SETTING.sigma}, lambda ${lambda}, seed ${seed}; ` +
  `K-SVD sparsity S = ${sparsity} (the true codes' mean support, rounded).\n\n` +
  `### Final dictionaries\n\n${summary}\n\nOwn objectives:\n${objectives}\n\n` +
  `### Recovery score per outer iteration\n\n${scoreTable}\n\n` +
  `### Relative gradient error versus depth\n\n` +
  `||g - g*|| / ||g*||, g* the analytic gradient at the exact codes (CD to a gap of 1e-12; ` +
  `||g*|| = ${e2(gradient.true.referenceNorm)} at the true D, ${e2(gradient.initial.referenceNorm)} at the initial D); ` +
  `‖z_T − z*‖ is the root mean square over signals.\n\n${gradTable}\n`;
writeFileAtomic(join(values.out, 'dictionary-synthetic.tables.md'), tables);
writeFileAtomic(
  join(values.out, 'dictionary-synthetic.json'),
  JSON.stringify(
    {
      command,
      setting: { ...SETTING, seed, meanSupport: setting.meanSupport, ksvdSparsity: sparsity },
      initialScore: recoveryScore(D0, Dtrue),
      initialLassoValue: initialValue,
      trueLassoValue: trueValue,
      runs,
      gradient,
    },
    null,
    2,
  ) + '\n',
);

const curve = (
  r: MethodRun,
  x: (h: DictionaryIteration) => number,
  y: (h: DictionaryIteration) => number,
) => ({
  name: r.name,
  x: r.history.map(x),
  y: r.history.map(y),
});
const score = (h: DictionaryIteration) => h.recoveryScore as number;
const plots: [string, string][] = [
  [
    'recovery-iterations',
    await linePlotSvg(
      runs.map((r) => curve(r, (h) => h.iteration, score)),
      { title: 'Recovery score versus outer iteration', xTitle: 'outer iteration', yTitle: 'recovery score' },
    ),
  ],
  [
    'recovery-seconds',
    await linePlotSvg(
      runs.map((r) => curve(r, (h) => h.seconds, score)),
      { title: 'Recovery score versus wall time', xTitle: 'seconds', yTitle: 'recovery score' },
    ),
  ],
  [
    'objective',
    await linePlotSvg(
      runs
        .filter((r) => !r.name.startsWith('K-SVD'))
        .map((r) =>
          curve(
            r,
            (h) => h.iteration,
            (h) => h.objective,
          ),
        ),
      {
        title: 'Own Lasso objective versus outer iteration (AM: F(D, Z); DDL: F(D, z_T(D)))',
        xTitle: 'outer iteration',
        yTitle: 'mean objective',
      },
    ),
  ],
];
const gradSeries: Series[] = (['true', 'initial'] as const).flatMap((which) => [
  { name: `unrolled gradient, ${which} D`, x: gradDepths, y: gradient[which].relative },
  { name: `analytic formula at z_T, ${which} D`, x: gradDepths, y: gradient[which].analyticRelative },
]);
plots.push([
  'gradient-error',
  await logXPlotSvg(
    gradSeries.map((s) => ({ ...s, x: s.x.filter((_, k) => s.y[k] > 0), y: s.y.filter((v) => v > 0) })),
    {
      title: 'Relative error of the gradient w.r.t. D versus depth T',
      xTitle: 'depth T (ISTA iterations)',
      yTitle: '||g_T - g*|| / ||g*||',
      logY: true,
    },
  ),
]);
for (const [name, svg] of plots) writeFileAtomic(join(values.out, `dictionary-synthetic-${name}.svg`), svg);
console.log(`wrote ${values.out}/dictionary-synthetic.{json,tables.md} and 4 SVG plots (${elapsed()})`);
