/**
 * `unfolded eval`: the per-layer quality of a trained model's codes on signals.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import type { Tensor } from '../../tensor/tensor.js';
import { reshape } from '../../tensor/views.js';
import { evaluateModel, type LayerEvaluation } from '../../unrolled/evaluate.js';
import { loadModel } from '../../unrolled/model-file.js';
import type { Model } from '../../unrolled/model-types.js';
import { UsageError, type Command } from '../command.js';
import { asUsageError, readArray, readMatrix, required } from '../input.js';
import { textTable } from '../text-table.js';

const usage = `Usage: unfolded eval --model model.safetensors --operator A.npy --signals Y.npy
                     [--fstar F.npy] [--targets Z.npy] [--json]

Runs the model on every signal and reports, after each layer t = 1..T, the mean Lasso objective
F(z_t) = 1/2||y - A z_t||^2 + lambda ||z_t||_1 (lambda as the model was trained: a number, or
a ratio of each signal's ||A^T y||_inf).

  --model FILE          a model file written by 'unfolded train'
  --operator A.npy      the dictionary the model was trained for (checked against the file)
  --signals Y.npy       signals Y of shape (N, n), one per row
  --fstar F.npy         F* per signal (shape [N]): also report the mean F(z_t) - F*
  --targets Z.npy       target codes (N, m): also report the NMSE in dB,
                        10 log10(sum ||z_t - z*||^2 / sum ||z*||^2)
  --json                print {"layers": [{"layer", "meanObjective", "meanSuboptimality"?,
                        "nmseDb"?}, ...]} on stdout instead of the table
`;

export const evalCommand: Command = {
  name: 'eval',
  summary: 'Per-layer objective, F - F* and NMSE of a trained model on signals',
  usage,
  run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        model: { type: 'string' },
        operator: { type: 'string' },
        signals: { type: 'string' },
        fstar: { type: 'string' },
        targets: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const modelPath = required('model', values.model);
    const A = readMatrix('operator', required('operator', values.operator));
    const Y = readMatrix('signals', required('signals', values.signals));
    if (Y.shape[1] !== A.shape[0])
      throw new UsageError(
        `--signals has shape [${Y.shape.join(', ')}] but --operator has ${A.shape[0]} rows: signals must have ${A.shape[0]} columns.`,
      );
    const N = Y.shape[0];
    if (N < 1) throw new UsageError('--signals holds no signal (0 rows).');
    const fstar = values.fstar === undefined ? undefined : readFstar(values.fstar, N);
    const targets = values.targets === undefined ? undefined : readMatrix('targets', values.targets);
    if (targets !== undefined && (targets.shape[0] !== N || targets.shape[1] !== A.shape[1]))
      throw new UsageError(
        `--targets must have shape [${N}, ${A.shape[1]}] (one code per signal). Got [${targets.shape.join(', ')}].`,
      );
    const model = readModel(modelPath, A);
    const layers = evaluateModel(model, Y, { fstar, targets });
    if (values.json) io.stdout.write(JSON.stringify({ layers }) + '\n');
    else io.stdout.write(table(model, layers));
    return Promise.resolve(0);
  },
};

/** The model file, with file problems (malformed, another operator) as one-line usage errors. */
function readModel(path: string, A: Tensor): Model {
  try {
    return loadModel(path, A);
  } catch (e) {
    asUsageError('model', e);
  }
}

/** F* per signal: N values (shape [N], or a column (N, 1) or row (1, N)). */
function readFstar(path: string, N: number): Tensor {
  const t = readArray('fstar', path);
  if (t.size !== N || t.shape.filter((d) => d !== 1).length > 1)
    throw new UsageError(
      `--fstar ${path} must hold one value per signal (shape [${N}]). Got shape [${t.shape.join(', ')}].`,
    );
  return reshape(t, [N]);
}

/** The per-layer table. */
function table(model: Model, layers: readonly LayerEvaluation[]): string {
  const { kind, depth } = model.spec;
  const hasSub = layers[0]?.meanSuboptimality !== undefined;
  const hasNmse = layers[0]?.nmseDb !== undefined;
  const head = ['layer', 'mean F'];
  if (hasSub) head.push('F - F*');
  if (hasNmse) head.push('NMSE (dB)');
  const rows = layers.map((r) => {
    const row = [String(r.layer), r.meanObjective.toExponential(6)];
    if (hasSub) row.push(r.meanSuboptimality!.toExponential(3));
    if (hasNmse) row.push(r.nmseDb!.toFixed(2));
    return row;
  });
  return `${kind}, ${depth} layers\n${textTable(head, rows)}\n`;
}
