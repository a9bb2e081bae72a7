/**
 * `unfolded generate`: a synthetic sparse-coding problem as .npy files (A, Y, Z), the data of the
 * experiments (see {@link syntheticProblem}).
 *
 * @module
 */
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { syntheticProblem } from '../../data/index.js';
import { encodeNpy, writeFileAtomic } from '../../io/index.js';
import { UsageError, type Command } from '../command.js';
import { asUsageError, numberOption, required } from '../input.js';

/** Largest number of entries of one generated array: 2^28 float64 values are 2 GiB. */
const MAX_ENTRIES = 2 ** 28;

const usage = `Usage: unfolded generate --operator-shape n,m --samples N --density RHO --seed S
                         [--noise-snr DB] [--normalize-lambda-max] --out-dir DIR [--json]

Writes a synthetic sparse-coding problem to DIR (created if missing):
  DIR/A.npy  dictionary A (n, m): Gaussian entries, every column scaled to unit norm
  DIR/Z.npy  codes Z (N, m): each entry non-zero with probability RHO, then N(0, 1)
  DIR/Y.npy  signals Y (N, n): Y = Z A^T (+ noise)

  --operator-shape n,m      sizes of A: signals of length n, m atoms
  --samples N               number of signals (rows of Y and Z)
  --density RHO             probability of a non-zero code entry, in [0, 1]
  --seed S                  integer seed; the same seed gives the same files, and fewer
                            samples give the first rows of a larger draw
  --noise-snr DB            add white Gaussian noise at this SNR in dB, per signal:
                            E||e_i||^2 = ||A z_i||^2 10^(-DB/10) (zero signals stay zero)
  --normalize-lambda-max    scale each signal, and its code alike, so that
                            lambdaMax(y_i) = ||A^T y_i||_inf = 1 (after the noise)
  --out-dir DIR             where the three files go (written atomically)
  --json                    print one JSON object on stdout:
                            {"operatorShape": [n, m], "samples", "density", "seed",
                             "noiseSnrDb" (with --noise-snr), "normalizeLambdaMax",
                             "files": {"A", "Y", "Z"}}

Bad arguments: a one-line error, exit code 2, and nothing written.
`;

/** `n,m` as two integers >= 1. */
function operatorShape(text: string): [number, number] {
  const match = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(text);
  const shape = match ? [Number(match[1]), Number(match[2])] : [];
  if (shape.length !== 2 || !shape.every((d) => d >= 1 && Number.isSafeInteger(d)))
    throw new UsageError(`--operator-shape must be two integers >= 1 as n,m (e.g. 64,256). Got '${text}'.`);
  return shape as [number, number];
}

/** Creates `dir` if needed; a path that exists and is not a directory is a usage error. */
function makeDirectory(dir: string): void {
  let isDirectory: boolean | undefined;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    isDirectory = undefined; // missing (or unreadable: mkdir reports it)
  }
  if (isDirectory === false) throw new UsageError(`--out-dir ${dir} exists and is not a directory.`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    asUsageError('out-dir', e);
  }
}

export const generate: Command = {
  name: 'generate',
  summary: 'A synthetic problem as A.npy, Y.npy, Z.npy (Gaussian A, Bernoulli-Gaussian codes)',
  usage,
  run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        'operator-shape': { type: 'string' },
        samples: { type: 'string' },
        density: { type: 'string' },
        seed: { type: 'string' },
        'noise-snr': { type: 'string' },
        'normalize-lambda-max': { type: 'boolean', default: false },
        'out-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    // Every option is checked before anything is generated or written.
    const [n, m] = operatorShape(required('operator-shape', values['operator-shape']));
    const samples = numberOption('samples', required('samples', values.samples), { min: 1, integer: true })!;
    const density = numberOption('density', required('density', values.density), { min: 0 })!;
    if (density > 1) throw new UsageError(`--density must be a number in [0, 1]. Got '${values.density}'.`);
    const seed = numberOption('seed', required('seed', values.seed), { integer: true })!;
    if (!Number.isSafeInteger(seed))
      throw new UsageError(`--seed must be an integer of at most 2^53 - 1 in size. Got '${values.seed}'.`);
    const noiseSnrDb = numberOption('noise-snr', values['noise-snr']);
    const normalizeLambdaMax = values['normalize-lambda-max'];
    const dir = required('out-dir', values['out-dir']);
    if (Math.max(samples * n, samples * m, n * m) > MAX_ENTRIES)
      throw new UsageError(
        `--samples ${samples} with --operator-shape ${n},${m} is too large: at most ${MAX_ENTRIES} entries per array.`,
      );

    const { A, Y, Z } = syntheticProblem({ n, m, samples, density, seed, noiseSnrDb, normalizeLambdaMax });
    const bytes = { A: encodeNpy(A), Y: encodeNpy(Y), Z: encodeNpy(Z) };
    makeDirectory(dir);
    const files = { A: join(dir, 'A.npy'), Y: join(dir, 'Y.npy'), Z: join(dir, 'Z.npy') };
    for (const key of ['A', 'Y', 'Z'] as const) {
      try {
        writeFileAtomic(files[key], bytes[key]);
      } catch (e) {
        asUsageError('out-dir', e);
      }
    }

    if (values.json) {
      const report = {
        operatorShape: [n, m],
        samples,
        density,
        seed,
        ...(noiseSnrDb === undefined ? {} : { noiseSnrDb }),
        normalizeLambdaMax,
        files,
      };
      io.stdout.write(JSON.stringify(report) + '\n');
    } else {
      io.stdout.write(
        `wrote ${files.A} (${n} x ${m}), ${files.Y} (${samples} x ${n}), ${files.Z} (${samples} x ${m})\n`,
      );
    }
    return Promise.resolve(0);
  },
};
