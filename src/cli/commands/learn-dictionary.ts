/**
 * `unfolded learn-dictionary`: learns a dictionary for signals Y.npy by alternating minimisation,
 * unrolled (deep) dictionary learning or K-SVD, and writes it as D.npy.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { writeNpy } from '../../io/index.js';
import { AM_DEFAULT_ITERATIONS, learnDictionaryAm } from '../../dictionary/am.js';
import { DDL_DEFAULT_ITERATIONS, learnDictionaryDdl } from '../../dictionary/ddl.js';
import { initialDictionary } from '../../dictionary/init.js';
import { KSVD_DEFAULT_ITERATIONS, learnDictionaryKsvd } from '../../dictionary/ksvd.js';
import { recoveryScore } from '../../dictionary/recovery-score.js';
import type { DictionaryInit, DictionaryLearningResult, DictionaryMethod } from '../../dictionary/types.js';
import { unsafeData, type Tensor } from '../../tensor/tensor.js';
import { UsageError, type Command } from '../command.js';
import { numberOption, readMatrix, required } from '../input.js';
import { progressBar } from '../progress.js';

const methods: readonly DictionaryMethod[] = ['am', 'ddl', 'ksvd'];
const defaultIterations: Record<DictionaryMethod, number> = {
  am: AM_DEFAULT_ITERATIONS,
  ddl: DDL_DEFAULT_ITERATIONS,
  ksvd: KSVD_DEFAULT_ITERATIONS,
};
/** Unrolled iterations of DDL when --unrolled-depth is not given. */
const DEFAULT_DEPTH = 20;

const usage = `Usage: unfolded learn-dictionary --method am|ddl|ksvd --signals Y.npy --atoms K
                      (--lambda X | --lambda-ratio R | --sparsity S) [--iterations I]
                      [--unrolled-depth T] [--batch B] [--init random|dct|D0.npy]
                      [--seed S] --out D.npy [--true-dictionary Dtrue.npy] [--json]

Learns a dictionary D of K atoms (columns, in the unit l2 ball) for the signals Y (one per row):
am and ddl minimise the mean Lasso objective 1/2||y_i - D z_i||^2 + lambda ||z_i||_1, ksvd the
mean of 1/2||y_i - D z_i||^2 with at most S non-zeros per code.

  --method NAME         am (alternating minimisation: coordinate-descent coding, block
                        coordinate atom updates), ddl (unrolled dictionary learning: gradient
                        through T unrolled ISTA iterations), ksvd (OMP coding, SVD atom updates)
  --signals Y.npy       training signals Y of shape (N, n)
  --atoms K             number of atoms
  --lambda X            am, ddl: the Lasso weight lambda >= 0
  --lambda-ratio R      am, ddl: lambda = R * max_i ||D0^T y_i||_inf, with D0 the initial
                        dictionary (R in [0, 1] is the useful range; lambda >= that max gives
                        zero codes for every signal at D0)
  --sparsity S          ksvd: most non-zeros per code
  --iterations I        outer iterations (default am ${AM_DEFAULT_ITERATIONS}, ddl ${DDL_DEFAULT_ITERATIONS}, ksvd ${KSVD_DEFAULT_ITERATIONS})
  --unrolled-depth T    ddl: unrolled ISTA iterations (default ${DEFAULT_DEPTH})
  --batch B             ddl: mini-batch size (stochastic version with Adam; default full batch
                        with backtracking)
  --init INIT           random (K training signals drawn with the seed, normalised; default),
                        dct (the 2-D DCT dictionary: n and K perfect squares) or a file D0.npy (n, K)
  --seed S              seed of the initialisation and of the sampling (default 0)
  --out D.npy           the dictionary (n, K), written atomically, only on success
  --true-dictionary F   a ground-truth dictionary (n, K'): report the atom recovery score
  --json                print one JSON object on stdout: {"method", "iterations", "objective",
                        "seconds", "recoveryScore" (with --true-dictionary)}; objective is the
                        method's mean objective on Y at the end

A progress bar goes to stderr when stderr is a terminal. Bad files or arguments: a one-line
error and exit code 2, and no output file.
`;

export const learnDictionary: Command = {
  name: 'learn-dictionary',
  summary: 'Learn a dictionary for signals (alternating minimisation, unrolled DDL, K-SVD)',
  usage,
  run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        method: { type: 'string' },
        signals: { type: 'string' },
        atoms: { type: 'string' },
        lambda: { type: 'string' },
        'lambda-ratio': { type: 'string' },
        sparsity: { type: 'string' },
        iterations: { type: 'string' },
        'unrolled-depth': { type: 'string' },
        batch: { type: 'string' },
        init: { type: 'string', default: 'random' },
        seed: { type: 'string' },
        out: { type: 'string' },
        'true-dictionary': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const method = required('method', values.method) as DictionaryMethod;
    if (!methods.includes(method))
      throw new UsageError(`--method must be one of ${methods.join(', ')}. Got '${values.method}'.`);
    const out = required('out', values.out);
    const atoms = numberOption('atoms', required('atoms', values.atoms), { min: 1, integer: true })!;
    const lambda = numberOption('lambda', values.lambda, { min: 0 });
    const ratio = numberOption('lambda-ratio', values['lambda-ratio'], { min: 0 });
    const sparsity = numberOption('sparsity', values.sparsity, { min: 1, integer: true });
    const iterations = numberOption('iterations', values.iterations, { min: 0, integer: true });
    const depth = numberOption('unrolled-depth', values['unrolled-depth'], { min: 1, integer: true });
    const batch = numberOption('batch', values.batch, { min: 1, integer: true });
    const seed = numberOption('seed', values.seed, { integer: true }) ?? 0;
    if (method === 'ksvd') {
      if (lambda !== undefined || ratio !== undefined)
        throw new UsageError(
          '--lambda and --lambda-ratio are for --method am or ddl; ksvd takes --sparsity.',
        );
      if (sparsity === undefined) throw new UsageError('--method ksvd needs --sparsity.');
    } else {
      if (sparsity !== undefined) throw new UsageError('--sparsity is for --method ksvd only.');
      if ((lambda === undefined) === (ratio === undefined))
        throw new UsageError('give exactly one of --lambda and --lambda-ratio.');
    }
    if (method !== 'ddl' && depth !== undefined)
      throw new UsageError('--unrolled-depth is for --method ddl only.');
    if (method !== 'ddl' && batch !== undefined) throw new UsageError('--batch is for --method ddl only.');

    const Y = readMatrix('signals', required('signals', values.signals));
    const n = Y.shape[1];
    let init: DictionaryInit;
    if (values.init === 'random' || values.init === 'dct') init = values.init;
    else {
      init = readMatrix('init', values.init);
      if (init.shape[0] !== n || init.shape[1] !== atoms)
        throw new UsageError(
          `--init ${values.init} has shape [${init.shape.join(', ')}]: it must be [${n}, ${atoms}] (signal length, --atoms).`,
        );
    }
    let trueDictionary: Tensor | undefined;
    if (values['true-dictionary'] !== undefined) {
      trueDictionary = readMatrix('true-dictionary', values['true-dictionary']);
      if (trueDictionary.shape[0] !== n)
        throw new UsageError(
          `--true-dictionary has ${trueDictionary.shape[0]} rows but the signals have length ${n}.`,
        );
    }

    // The initial dictionary, once: --lambda-ratio is relative to it.
    const D0 = initialDictionary(Y, atoms, init, seed);
    const total = iterations ?? defaultIterations[method];
    const bar = progressBar(io.stderr, method, total);
    const common = {
      atoms,
      iterations,
      init: D0,
      seed,
      trueDictionary,
      onIteration: (r: { iteration: number; objective: number }) =>
        bar.update(r.iteration, `objective ${r.objective.toPrecision(6)}`),
    };
    let result: DictionaryLearningResult;
    if (method === 'ksvd') result = learnDictionaryKsvd(Y, { ...common, sparsity: sparsity! });
    else {
      const lam = lambda ?? ratio! * maxCorrelation(D0, Y);
      result =
        method === 'am'
          ? learnDictionaryAm(Y, { ...common, lambda: lam })
          : learnDictionaryDdl(Y, { ...common, lambda: lam, depth: depth ?? DEFAULT_DEPTH, batch });
    }
    bar.done();
    writeNpy(out, result.D);

    const last = result.history[result.history.length - 1];
    const report: Record<string, unknown> = {
      method,
      iterations: result.history.length - 1,
      objective: last.objective,
      seconds: result.seconds,
    };
    if (trueDictionary !== undefined) report.recoveryScore = recoveryScore(result.D, trueDictionary);
    if (values.json) io.stdout.write(JSON.stringify(report) + '\n');
    else {
      const score =
        report.recoveryScore === undefined
          ? ''
          : `, recovery score ${(report.recoveryScore as number).toFixed(4)}`;
      io.stdout.write(
        `${method}: ${report.iterations as number} iterations, objective ${last.objective.toPrecision(8)}${score}, ` +
          `${result.seconds.toFixed(3)} s; wrote ${out}\n`,
      );
    }
    return Promise.resolve(0);
  },
};

/** max_i ||D^T y_i||_inf: the smallest lambda giving zero codes for every signal at D. */
function maxCorrelation(D: Tensor, Y: Tensor): number {
  const [n, K] = D.shape;
  const d = unsafeData(D);
  const y = unsafeData(Y);
  let max = 0;
  for (let s = 0; s < Y.shape[0]; s++) {
    for (let j = 0; j < K; j++) {
      let c = 0;
      for (let i = 0; i < n; i++) c += d[i * K + j] * y[s * n + i];
      if (Math.abs(c) > max) max = Math.abs(c);
    }
  }
  return max;
}
