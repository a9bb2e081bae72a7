/**
 * `unfolded train`: learns an unrolled network (LISTA, LISTA-CP, ALISTA, SLISTA) on signals and
 * writes it as a safetensors model file.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { trainModel } from '../../train/train-model.js';
import type { EpochReport } from '../../train/types.js';
import { createModel } from '../../unrolled/model.js';
import { saveModel } from '../../unrolled/model-file.js';
import { MODEL_KINDS, type ModelKind } from '../../unrolled/model-types.js';
import { UsageError, type Command } from '../command.js';
import { numberOption, readMatrix, required } from '../input.js';
import { progressBar } from '../progress.js';

const usage = `Usage: unfolded train --model ${MODEL_KINDS.join('|')} --layers T --operator A.npy
                      --train Y.npy [--targets Z.npy] (--lambda X | --lambda-ratio R)
                      [--loss unsupervised|supervised] [--epochs E] [--batch B] [--lr LR]
                      [--optimizer adam|gd] [--validation F] [--patience P] [--seed S]
                      [--shared] [--layerwise] [--support-selection P] [--f32]
                      --out model.safetensors [--json]

Trains a T-layer unrolled network for the Lasso min_z 1/2||y - A z||^2 + lambda ||z||_1 over
the dictionary A, starting from ISTA (ALISTA: from its analytic weight), and writes the
parameters with the best validation loss (or training loss without --validation).

  --model NAME          lista (W1, W2, theta per layer), lista-cp (W, theta), alista (step and
                        threshold, analytic W), slista (one step per layer, threshold lambda*step)
  --layers T            depth T >= 1
  --operator A.npy      dictionary A of shape (n, m), atoms as columns
  --train Y.npy         training signals Y of shape (N, n), one per row
  --lambda X            the same lambda >= 0 for every signal
  --lambda-ratio R      lambda = R * ||A^T y||_inf for every signal y (signals are normalised to
                        ||A^T y||_inf = 1 inside the network and the codes scaled back)
  --loss NAME           unsupervised (default: mean Lasso objective at the output, Ablin et al.
                        2019) or supervised (mean ||z - z*||^2 to --targets, Liu et al. 2019)
  --targets Z.npy       target codes (N, m) for --loss supervised
  --epochs E            passes over the training signals (default 50; per depth with --layerwise)
  --batch B             mini-batch size for adam (default 100)
  --lr LR               adam step (default 1e-3) or gd initial step (default 1)
  --optimizer NAME      adam (default) or gd (full-batch gradient descent with backtracking)
  --validation F        fraction in [0, 1) of the signals held out for validation (default 0)
  --patience P          stop after P epochs without a better validation loss
  --seed S              seed of the shuffling and the validation split (default 0)
  --shared              tie the parameters across layers (one set for every layer)
  --layerwise           train depth 1, then 2, ..., then T, each starting from the previous one
  --support-selection P lista-cp: the largest P% of each code bypass the threshold (LISTA-CPSS)
  --f32                 store the parameters as float32 (default float64, exact)
  --out FILE            the model file (safetensors), written atomically
  --json                print one JSON object on stdout: {"model", "layers", "epochs",
                        "trainLoss", "validationLoss", "seconds", "secondsPerEpoch"}

A progress bar (epoch, loss, validation loss) goes to stderr when it is a terminal. If the loss
becomes non-finite or explodes, training stops, the best parameters seen are written and a
warning says so. Bad files or arguments: a one-line error, exit code 2, and no output file.
`;

export const train: Command = {
  name: 'train',
  summary: 'Train an unrolled network (LISTA, LISTA-CP, ALISTA, SLISTA) into a model file',
  usage,
  run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        model: { type: 'string' },
        layers: { type: 'string' },
        operator: { type: 'string' },
        train: { type: 'string' },
        targets: { type: 'string' },
        lambda: { type: 'string' },
        'lambda-ratio': { type: 'string' },
        loss: { type: 'string', default: 'unsupervised' },
        epochs: { type: 'string' },
        batch: { type: 'string' },
        lr: { type: 'string' },
        optimizer: { type: 'string', default: 'adam' },
        validation: { type: 'string' },
        patience: { type: 'string' },
        seed: { type: 'string' },
        shared: { type: 'boolean', default: false },
        layerwise: { type: 'boolean', default: false },
        'support-selection': { type: 'string' },
        f32: { type: 'boolean', default: false },
        out: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const kind = required('model', values.model) as ModelKind;
    if (!MODEL_KINDS.includes(kind))
      throw new UsageError(`--model must be one of ${MODEL_KINDS.join(', ')}. Got '${kind}'.`);
    const depth = numberOption('layers', required('layers', values.layers), { min: 1, integer: true })!;
    const out = required('out', values.out);
    const lambda = numberOption('lambda', values.lambda, { min: 0 });
    const ratio = numberOption('lambda-ratio', values['lambda-ratio'], { min: 0 });
    if ((lambda === undefined) === (ratio === undefined))
      throw new UsageError('give exactly one of --lambda and --lambda-ratio.');
    const loss = values.loss;
    if (loss !== 'unsupervised' && loss !== 'supervised')
      throw new UsageError(`--loss must be unsupervised or supervised. Got '${loss}'.`);
    if (loss === 'supervised' && values.targets === undefined)
      throw new UsageError('--loss supervised needs --targets Z.npy.');
    if (loss === 'unsupervised' && values.targets !== undefined)
      throw new UsageError('--targets is for --loss supervised.');
    const optimizer = values.optimizer;
    if (optimizer !== 'adam' && optimizer !== 'gd')
      throw new UsageError(`--optimizer must be adam or gd. Got '${optimizer}'.`);
    const epochs = numberOption('epochs', values.epochs, { min: 1, integer: true }) ?? 50;
    const batch = numberOption('batch', values.batch, { min: 1, integer: true });
    const lr = numberOption('lr', values.lr, { min: 0 });
    if (lr === 0) throw new UsageError(`--lr must be a finite number > 0. Got '${values.lr}'.`);
    const validation = numberOption('validation', values.validation, { min: 0 });
    if (validation !== undefined && validation >= 1)
      throw new UsageError(`--validation must be a fraction in [0, 1). Got '${values.validation}'.`);
    const patience = numberOption('patience', values.patience, { min: 1, integer: true });
    const seed = numberOption('seed', values.seed, { min: 0, integer: true }) ?? 0;
    const supportSelection = numberOption('support-selection', values['support-selection'], { min: 0 });
    if (supportSelection !== undefined && (kind !== 'lista-cp' || supportSelection > 100))
      throw new UsageError('--support-selection is a percentage in [0, 100] for --model lista-cp.');

    const A = readMatrix('operator', required('operator', values.operator));
    const Y = readMatrix('train', required('train', values.train));
    if (Y.shape[1] !== A.shape[0])
      throw new UsageError(
        `--train has shape [${Y.shape.join(', ')}] but --operator has ${A.shape[0]} rows: signals must have ${A.shape[0]} columns.`,
      );
    const targets = values.targets === undefined ? undefined : readMatrix('targets', values.targets);
    if (targets !== undefined && (targets.shape[0] !== Y.shape[0] || targets.shape[1] !== A.shape[1]))
      throw new UsageError(
        `--targets must have shape [${Y.shape[0]}, ${A.shape[1]}] (one code per training signal). Got [${targets.shape.join(', ')}].`,
      );

    const model = createModel(kind, A, {
      depth,
      lambda: lambda ?? ratio!,
      lambdaMode: lambda === undefined ? 'ratio' : 'fixed',
      shared: values.shared,
      supportSelection,
    });
    const stages = values.layerwise ? depth : 1;
    const bar = progressBar(io.stderr, `train ${kind}`, epochs * stages);
    let epochsRun = 0;
    const onEpoch = (r: EpochReport): void => {
      epochsRun++;
      const validation = Number.isNaN(r.validationLoss) ? '' : ` val ${r.validationLoss.toExponential(4)}`;
      const stage = values.layerwise ? `depth ${r.stage} ` : '';
      bar.update(epochsRun, `${stage}epoch ${r.epoch} loss ${r.trainLoss.toExponential(4)}${validation}`);
    };
    const trained = trainModel(model, Y, {
      loss,
      targets,
      epochs,
      batch,
      lr,
      optimizer,
      validation,
      patience,
      seed,
      layerwise: values.layerwise,
      onEpoch,
    });
    bar.done();
    saveModel(out, trained.model, { dtype: values.f32 ? 'F32' : 'F64' });

    const { result } = trained;
    const best = result.history[result.bestIndex];
    const seconds = trained.stages.reduce((s, r) => s + r.seconds, 0);
    // history[0] of each stage is the initial parameters (epoch 0), not a trained epoch.
    const totalEpochs = trained.stages.reduce((s, r) => s + r.history.length - 1, 0);
    const report = {
      model: kind,
      layers: depth,
      epochs: totalEpochs,
      trainLoss: best.trainLoss,
      validationLoss: Number.isNaN(best.validationLoss) ? null : best.validationLoss,
      seconds,
      secondsPerEpoch: totalEpochs > 0 ? seconds / totalEpochs : 0,
      stopReason: result.stopReason,
    };
    if (result.message !== undefined) io.stderr.write(`unfolded train: warning: ${result.message}\n`);
    if (values.json) io.stdout.write(JSON.stringify(report) + '\n');
    else {
      const val =
        report.validationLoss === null ? '' : `, validation loss ${report.validationLoss.toPrecision(6)}`;
      io.stdout.write(
        `${kind} (${depth} layers): ${totalEpochs} epochs (${result.stopReason}), best train loss ` +
          `${report.trainLoss.toPrecision(6)}${val}, ${seconds.toFixed(1)} s; wrote ${out}\n`,
      );
    }
    return Promise.resolve(0);
  },
};
