/**
 * `unfolded denoise`: patch-based denoising of a grayscale PNG with a learned or DCT dictionary.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { denoiseImage, type DenoiseMethod } from '../../dictionary/denoise.js';
import { psnr } from '../../metrics/psnr.js';
import { Rng } from '../../random/rng.js';
import { wrap, type Tensor } from '../../tensor/tensor.js';
import { UsageError, type Command } from '../command.js';
import { asUsageError, numberOption, required } from '../input.js';
import { readPngGray, writePngGray } from '../png.js';
import { progressBar, type Progress } from '../progress.js';

const methods: readonly DenoiseMethod[] = ['am', 'ddl', 'ksvd', 'dct'];

const usage = `Usage: unfolded denoise --image in.png --sigma S [--patch P] [--atoms K]
                        [--method am|ddl|ksvd|dct] [--lambda X | --sparsity S]
                        [--iterations I] [--seed S] [--already-noisy]
                        --out out.png [--noisy-out noisy.png] [--json]

Adds Gaussian noise of standard deviation S to the image (gray levels in [0, 1]) with the seed,
unless --already-noisy, then denoises it: every overlapping P x P patch loses its mean, a
dictionary of K atoms is learned on 10,000 of the noisy patches (or the 2-D DCT is used), every
patch is coded by error-constrained OMP (||y - D z||^2 <= (1.15 S)^2 P^2) and the coded patches
are averaged back.

  --image in.png       a PNG image; colour becomes gray by ITU-R BT.601 luma
                       (0.299 R + 0.587 G + 0.114 B), alpha is ignored
  --sigma S            noise standard deviation (> 0), added, or assumed with --already-noisy
  --patch P            patch side (default 8)
  --atoms K            dictionary size (default 256; a perfect square k^2, k >= P, for dct and
                       for the DCT start of the learned dictionaries)
  --method NAME        am (alternating minimisation), ddl (unrolled dictionary learning),
                       ksvd (default) or dct (no learning)
  --lambda X           am, ddl: the Lasso weight of learning (default 2 S)
  --sparsity S         ksvd, dct: most atoms per patch (default P^2 / 2)
  --iterations I       outer iterations of the learning (default per method)
  --seed S             seed of the noise and of the learning (default 0)
  --already-noisy      the image is noisy already: add no noise
  --out out.png        the denoised image, 8-bit grayscale, written atomically
  --noisy-out n.png    also write the noisy image (clipped to [0, 1])
  --json               print one JSON object on stdout: {"psnrNoisy", "psnrDenoised",
                       "seconds"}, PSNR in dB against the clean input (peak 1) and the seconds
                       spent learning and denoising; with --already-noisy there is no clean
                       image and both PSNR fields are null

A progress bar goes to stderr when stderr is a terminal. Bad files or arguments: a one-line
error and exit code 2, and no output file.
`;

export const denoise: Command = {
  name: 'denoise',
  summary: 'Denoise a PNG image with a learned (AM, DDL, K-SVD) or DCT patch dictionary',
  usage,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        image: { type: 'string' },
        sigma: { type: 'string' },
        patch: { type: 'string' },
        atoms: { type: 'string' },
        method: { type: 'string', default: 'ksvd' },
        lambda: { type: 'string' },
        sparsity: { type: 'string' },
        iterations: { type: 'string' },
        seed: { type: 'string' },
        'already-noisy': { type: 'boolean', default: false },
        out: { type: 'string' },
        'noisy-out': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const method = values.method as DenoiseMethod;
    if (!methods.includes(method))
      throw new UsageError(`--method must be one of ${methods.join(', ')}. Got '${values.method}'.`);
    const imagePath = required('image', values.image);
    const out = required('out', values.out);
    const sigma = numberOption('sigma', required('sigma', values.sigma), { min: 0 })!;
    if (!(sigma > 0)) throw new UsageError(`--sigma must be a finite number > 0. Got '${values.sigma}'.`);
    const patch = numberOption('patch', values.patch, { min: 1, integer: true });
    const atoms = numberOption('atoms', values.atoms, { min: 1, integer: true });
    const lambda = numberOption('lambda', values.lambda, { min: 0 });
    const sparsity = numberOption('sparsity', values.sparsity, { min: 1, integer: true });
    const iterations = numberOption('iterations', values.iterations, { min: 0, integer: true });
    const seed = numberOption('seed', values.seed, { integer: true }) ?? 0;
    const learned = method === 'am' || method === 'ddl';
    if (lambda !== undefined && !learned) throw new UsageError('--lambda is for --method am or ddl only.');
    if (sparsity !== undefined && learned)
      throw new UsageError('--sparsity is for --method ksvd or dct only.');
    if (iterations !== undefined && method === 'dct')
      throw new UsageError('--iterations is for the learned dictionaries (am, ddl, ksvd) only.');

    let input: Tensor;
    try {
      input = await readPngGray(imagePath);
    } catch (e) {
      asUsageError('image', e);
    }
    const alreadyNoisy = values['already-noisy'];
    const noisy = alreadyNoisy ? input : addNoise(input, sigma, seed);

    let bar: Progress | undefined;
    let stage = '';
    const result = denoiseImage(noisy, {
      method,
      sigma,
      patch,
      atoms,
      lambda,
      sparsity,
      iterations,
      seed,
      onProgress: (now, done, total) => {
        if (now !== stage) {
          bar?.done();
          bar = progressBar(io.stderr, now === 'learn' ? `learning (${method})` : 'coding patches', total);
          stage = now;
        }
        bar!.update(done);
      },
    });
    bar?.done();
    await writePngGray(out, result.image);
    if (values['noisy-out'] !== undefined) await writePngGray(values['noisy-out'], noisy);

    const psnrNoisy = alreadyNoisy ? null : psnr(noisy, input);
    const psnrDenoised = alreadyNoisy ? null : psnr(result.image, input);
    if (values.json)
      io.stdout.write(JSON.stringify({ psnrNoisy, psnrDenoised, seconds: result.seconds }) + '\n');
    else {
      const quality =
        psnrNoisy === null ? '' : `, PSNR ${psnrNoisy.toFixed(2)} dB noisy -> ${psnrDenoised!.toFixed(2)} dB`;
      io.stdout.write(
        `denoise (${method}): ${result.D.shape[1]} atoms of ${result.D.shape[0]} pixels, ` +
          `${result.meanAtoms.toFixed(2)} atoms per patch${quality}, ${result.seconds.toFixed(2)} s; wrote ${out}\n`,
      );
    }
    return 0;
  },
};

/** The image plus white Gaussian noise of standard deviation sigma (not clipped), from the seed. */
function addNoise(image: Tensor, sigma: number, seed: number): Tensor {
  const rng = new Rng(seed);
  const out = new Float64Array(image.size);
  for (let k = 0; k < out.length; k++) out[k] = image.data[k] + sigma * rng.normal();
  return wrap(out, image.shape);
}
