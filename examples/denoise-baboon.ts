/**
 * Denoising the baboon (the npm package baboon-image's 512 x 512 PNG) with patch dictionaries, as
 * in Elad & Aharon (IEEE TIP 2006): the image read as gray levels in [0, 1] (BT.601 luma,
 * src/cli/png.ts), white Gaussian noise of standard deviation sigma added with the seed (the same
 * noise as `unfolded denoise --sigma S --seed S`: Rng(seed), not clipped), then denoiseImage with
 * 8 x 8 patches and 256 atoms: the fixed overcomplete DCT, and dictionaries learned on 10,000
 * noisy patches (from the DCT) by AM, DDL and K-SVD; every overlapping patch coded by
 * error-constrained OMP and averaged back (src/dictionary/denoise.ts).
 *
 * Reports the PSNR of the noisy image and of each denoised one, and the time of each (learning +
 * coding). Writes results/denoise-baboon.{json,tables.md} and the images as 8-bit PNGs:
 * results/denoise-baboon-{clean,noisy,dct,am,ddl,ksvd}.png.
 *
 *   npx tsx examples/denoise-baboon.ts [--sigma 0.1] [--seed 0] [--patch 8] [--atoms 256]
 *       [--methods dct,am,ddl,ksvd] [--am-iterations 10] [--ddl-iterations 30]
 *       [--ksvd-iterations 10] [--train 10000] [--out results]
 */
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { denoiseImage, psnr, Rng, type DenoiseMethod, type Tensor } from '../src/index.js';
import { readPngGray, writePngGray } from '../src/cli/png.js';
import { writeFileAtomic } from '../src/io/index.js';
import { wrap } from '../src/tensor/tensor.js';
import { markdownTable } from './support/compare.js';

const { values } = parseArgs({
  options: {
    sigma: { type: 'string', default: '0.1' },
    seed: { type: 'string', default: '0' },
    patch: { type: 'string', default: '8' },
    atoms: { type: 'string', default: '256' },
    methods: { type: 'string', default: 'dct,am,ddl,ksvd' },
    'am-iterations': { type: 'string', default: '10' },
    'ddl-iterations': { type: 'string', default: '30' },
    'ksvd-iterations': { type: 'string', default: '10' },
    train: { type: 'string', default: '10000' },
    out: { type: 'string', default: 'results' },
  },
});
const [sigma, seed, patch, atoms, trainPatches] = [
  values.sigma,
  values.seed,
  values.patch,
  values.atoms,
  values.train,
].map(Number);
const methods = values.methods.split(',') as DenoiseMethod[];
const iterations: Record<Exclude<DenoiseMethod, 'dct'>, number> = {
  am: Number(values['am-iterations']),
  ddl: Number(values['ddl-iterations']),
  ksvd: Number(values['ksvd-iterations']),
};
const LABEL: Record<DenoiseMethod, string> = { dct: 'DCT', am: 'AM', ddl: 'DDL (T = 20)', ksvd: 'K-SVD' };
const started = performance.now();
const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(0)} s`;

const require = createRequire(import.meta.url);
const clean = await readPngGray(require.resolve('baboon-image/baboon.png'));
/** The clean image plus white Gaussian noise from Rng(seed), as `unfolded denoise` adds it. */
function addNoise(image: Tensor): Tensor {
  const rng = new Rng(seed);
  const out = Float64Array.from(image.data);
  for (let k = 0; k < out.length; k++) out[k] += sigma * rng.normal();
  return wrap(out, image.shape);
}
const noisy = addNoise(clean);
const psnrNoisy = psnr(noisy, clean);
console.log(
  `baboon ${clean.shape.join(' x ')}, sigma ${sigma}: noisy PSNR ${psnrNoisy.toFixed(2)} dB (${elapsed()})`,
);
mkdirSync(values.out, { recursive: true });
await writePngGray(join(values.out, 'denoise-baboon-clean.png'), clean);
await writePngGray(join(values.out, 'denoise-baboon-noisy.png'), noisy);

interface MethodResult {
  method: DenoiseMethod;
  iterations: number | null;
  psnr: number;
  /** PSNR of the denoised image as written (clipped to [0, 1], 8-bit levels). */
  psnrPng: number;
  seconds: number;
  learnSeconds: number;
  codeSeconds: number;
  meanAtoms: number;
}
/** The image as an 8-bit PNG stores it: clipped to [0, 1], rounded to 1/255. */
const quantised = (image: Tensor): Tensor =>
  wrap(
    Float64Array.from(image.data, (v) => (v > 0 ? Math.round(255 * Math.min(1, v)) / 255 : 0)),
    image.shape,
  );
const results: MethodResult[] = [];
for (const method of methods) {
  const its = method === 'dct' ? undefined : iterations[method];
  let lastLearn = -1;
  const result = denoiseImage(noisy, {
    method,
    sigma,
    patch,
    atoms,
    trainPatches,
    seed,
    ...(its === undefined ? {} : { iterations: its }),
    onProgress: (stage, done, total) => {
      if (stage === 'learn' && done !== lastLearn) {
        lastLearn = done;
        console.log(`  ${method}: learning, iteration ${done}/${total} (${elapsed()})`);
      }
    },
  });
  const entry: MethodResult = {
    method,
    iterations: its ?? null,
    psnr: psnr(result.image, clean),
    psnrPng: psnr(quantised(result.image), clean),
    seconds: result.seconds,
    learnSeconds: result.learnSeconds,
    codeSeconds: result.codeSeconds,
    meanAtoms: result.meanAtoms,
  };
  results.push(entry);
  await writePngGray(join(values.out, `denoise-baboon-${method}.png`), result.image);
  console.log(
    `${LABEL[method]}: PSNR ${entry.psnr.toFixed(2)} dB (+${(entry.psnr - psnrNoisy).toFixed(2)} dB), ` +
      `${entry.seconds.toFixed(1)} s (learn ${entry.learnSeconds.toFixed(1)} s, code ${entry.codeSeconds.toFixed(1)} s), ` +
      `${entry.meanAtoms.toFixed(2)} atoms per patch (${elapsed()})`,
  );
}

const command =
  `npx tsx examples/denoise-baboon.ts --sigma ${sigma} --seed ${seed} --patch ${patch} --atoms ${atoms} ` +
  `--methods ${values.methods} --am-iterations ${iterations.am} --ddl-iterations ${iterations.ddl} ` +
  `--ksvd-iterations ${iterations.ksvd} --train ${trainPatches}`;
const table = markdownTable(
  [
    'dictionary',
    'outer iterations',
    'PSNR (dB)',
    'gain (dB)',
    'PSNR of the PNG (dB)',
    'atoms per patch',
    'seconds (learn + code)',
  ],
  [
    ['none (noisy)', '-', psnrNoisy.toFixed(2), '0', '-', '-', '-'],
    ...results.map((r) => [
      LABEL[r.method],
      r.iterations === null ? '-' : String(r.iterations),
      r.psnr.toFixed(2),
      `+${(r.psnr - psnrNoisy).toFixed(2)}`,
      r.psnrPng.toFixed(2),
      r.meanAtoms.toFixed(2),
      `${r.seconds.toFixed(1)} (${r.learnSeconds.toFixed(1)} + ${r.codeSeconds.toFixed(1)})`,
    ]),
  ],
);
writeFileAtomic(
  join(values.out, 'denoise-baboon.tables.md'),
  `Command: \`${command}\`\n\nbaboon-image's baboon.png (${clean.shape.join(' x ')}), BT.601 gray levels in [0, 1], ` +
    `Gaussian noise sigma ${sigma} (seed ${seed}), ${patch} x ${patch} patches, ${atoms} atoms, ` +
    `${trainPatches} training patches.\n\n${table}\n`,
);
writeFileAtomic(
  join(values.out, 'denoise-baboon.json'),
  JSON.stringify({ command, sigma, seed, patch, atoms, trainPatches, psnrNoisy, results }, null, 2) + '\n',
);
console.log(`wrote ${values.out}/denoise-baboon.{json,tables.md} and the PNG images (${elapsed()})`);
