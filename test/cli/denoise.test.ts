import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { readPngGray, writePngGray } from '../../src/cli/png.js';
import { fromArray } from '../../src/tensor/index.js';
import { psnr } from '../../src/metrics/psnr.js';
import { runCli } from './helpers.js';

let dir: string;
const size = 48;

/** A 48 x 48 RGB test image: a smooth colour ramp, a bright disc with a sharp edge, a dark bar. */
function writeTestPng(path: string): void {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let [r, g, b] = [60 + 2 * j, 80 + Math.round(30 * Math.sin(i / 6)), 120];
      if ((i - 16) ** 2 + (j - 28) ** 2 < 81) [r, g, b] = [240, 230, 220];
      if (j >= 6 && j < 11 && i > 22) [r, g, b] = [10, 20, 10];
      const k = 4 * (i * size + j);
      png.data[k] = r;
      png.data[k + 1] = g;
      png.data[k + 2] = b;
      png.data[k + 3] = 255;
    }
  }
  writeFileSync(path, PNG.sync.write(png));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'unfolded-denoise-'));
  writeTestPng(join(dir, 'in.png'));
  writeFileSync(join(dir, 'not.png'), 'not a png');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('unfolded denoise', () => {
  it('adds noise with the seed, denoises with the DCT, writes both PNGs and prints the PSNRs', async () => {
    const [out, noisyOut] = [join(dir, 'dct.png'), join(dir, 'noisy.png')];
    const r = await runCli(
      'denoise',
      '--image',
      join(dir, 'in.png'),
      '--sigma',
      '0.1',
      '--method',
      'dct',
      '--patch',
      '6',
      '--atoms',
      '100',
      '--out',
      out,
      '--noisy-out',
      noisyOut,
      '--json',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { psnrNoisy: number; psnrDenoised: number; seconds: number };
    expect(Object.keys(report).sort()).toEqual(['psnrDenoised', 'psnrNoisy', 'seconds']);
    // Noise of std 0.1 on [0, 1] gray levels: PSNR about 20 dB; the denoised image is far better.
    expect(report.psnrNoisy).toBeGreaterThan(19.5);
    expect(report.psnrNoisy).toBeLessThan(20.5);
    expect(report.psnrDenoised).toBeGreaterThan(report.psnrNoisy + 4);
    expect(report.seconds).toBeGreaterThan(0);
    // The written image is the denoised one, to 8-bit rounding.
    const clean = await readPngGray(join(dir, 'in.png'));
    const written = await readPngGray(out);
    expect(written.shape).toEqual([size, size]);
    expect(Math.abs(psnr(written, clean) - report.psnrDenoised)).toBeLessThan(0.3);
    expect(psnr(await readPngGray(noisyOut), clean)).toBeLessThan(report.psnrNoisy + 1);

    // The same seed gives the same result; --already-noisy on the noisy PNG reports no PSNR.
    const again = await runCli(
      'denoise',
      '--image',
      join(dir, 'in.png'),
      '--sigma',
      '0.1',
      '--method',
      'dct',
      '--patch',
      '6',
      '--atoms',
      '100',
      '--out',
      join(dir, 'dct2.png'),
      '--json',
    );
    expect((JSON.parse(again.stdout) as typeof report).psnrDenoised).toBe(report.psnrDenoised);
    const already = await runCli(
      'denoise',
      '--image',
      noisyOut,
      '--sigma',
      '0.1',
      '--method',
      'dct',
      '--already-noisy',
      '--out',
      join(dir, 'again.png'),
      '--json',
    );
    expect(already.code).toBe(0);
    const second = JSON.parse(already.stdout) as Record<string, unknown>;
    expect(second.psnrNoisy).toBeNull();
    expect(second.psnrDenoised).toBeNull();
    // Denoising the (clipped, quantised) noisy PNG still improves on it.
    expect(psnr(await readPngGray(join(dir, 'again.png')), clean)).toBeGreaterThan(report.psnrNoisy + 3);
  });

  it('learns a K-SVD dictionary on the noisy patches (the default method) and beats the noise', async () => {
    const out = join(dir, 'ksvd.png');
    const r = await runCli(
      'denoise',
      '--image',
      join(dir, 'in.png'),
      '--sigma',
      '0.1',
      '--patch',
      '6',
      '--atoms',
      '100',
      '--iterations',
      '3',
      '--out',
      out,
      '--json',
    );
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { psnrNoisy: number; psnrDenoised: number };
    expect(report.psnrDenoised).toBeGreaterThan(report.psnrNoisy + 4);
    expect(existsSync(out)).toBe(true);
  });

  it('prints a summary line without --json', async () => {
    const r = await runCli(
      'denoise',
      '--image',
      join(dir, 'in.png'),
      '--sigma',
      '0.05',
      '--method',
      'dct',
      '--out',
      join(dir, 'line.png'),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^denoise \(dct\): 256 atoms of 64 pixels, .* PSNR .* dB noisy -> .* dB, .* s; wrote /,
    );
  });

  it('rejects bad arguments and files with one line, exit 2 and no output', async () => {
    const out = join(dir, 'never.png');
    const base = ['denoise', '--image', join(dir, 'in.png'), '--out', out];
    const cases: [string[], string][] = [
      [['--sigma', '0.1', '--method', 'wavelet'], '--method must be one of am, ddl, ksvd, dct. Got'],
      [['--method', 'dct'], '--sigma is required.'],
      [['--sigma', '0', '--method', 'dct'], '--sigma must be a finite number > 0.'],
      [['--sigma', 'abc', '--method', 'dct'], "--sigma must be a finite number >= 0. Got 'abc'."],
      [['--sigma', '0.1', '--method', 'dct', '--lambda', '0.1'], '--lambda is for --method am or ddl only.'],
      [
        ['--sigma', '0.1', '--method', 'am', '--sparsity', '3'],
        '--sparsity is for --method ksvd or dct only.',
      ],
      [['--sigma', '0.1', '--method', 'dct', '--iterations', '3'], '--iterations is for the learned'],
      [['--sigma', '0.1', '--method', 'dct', '--atoms', '50'], 'must be a perfect square'],
      [['--sigma', '0.1', '--method', 'dct', '--patch', '49'], "argument 'patch' must be an integer <= "],
    ];
    for (const [extra, message] of cases) {
      const r = await runCli(...base, ...extra);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    for (const image of [join(dir, 'not.png'), join(dir, 'missing.png')]) {
      const r = await runCli('denoise', '--image', image, '--sigma', '0.1', '--method', 'dct', '--out', out);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^unfolded denoise: --image: readPngGray: cannot read .*\n$/);
    }
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('readPngGray / writePngGray', () => {
  it('converts colour by BT.601 luma, keeps 16-bit gray levels and ignores alpha', async () => {
    const rgb = new PNG({ width: 3, height: 1 });
    rgb.data = Buffer.from([255, 0, 0, 255, 0, 255, 0, 0, 10, 20, 30, 128]);
    writeFileSync(join(dir, 'rgb.png'), PNG.sync.write(rgb));
    const x = await readPngGray(join(dir, 'rgb.png'));
    expect(x.shape).toEqual([1, 3]);
    expect(x.data[0]).toBeCloseTo(0.299, 15);
    expect(x.data[1]).toBeCloseTo(0.587, 15); // alpha 0 is ignored
    expect(x.data[2]).toBeCloseTo((0.299 * 10 + 0.587 * 20 + 0.114 * 30) / 255, 15);

    // 16-bit grayscale: pngjs packs 16-bit RGBA input, written as one gray channel.
    const levels = [0, 1, 40000, 65535];
    const deep = new PNG({ width: 2, height: 2, bitDepth: 16, colorType: 0, inputHasAlpha: true });
    const words = new Uint16Array(16);
    levels.forEach((v, k) => words.set([v, v, v, 65535], 4 * k));
    deep.data = Buffer.from(words.buffer);
    writeFileSync(join(dir, 'deep.png'), PNG.sync.write(deep, { bitDepth: 16, colorType: 0 }));
    const y = await readPngGray(join(dir, 'deep.png'));
    expect(Array.from(y.data)).toEqual(levels.map((v) => v / 65535));
  });

  it('writes 8-bit gray: clipped to [0, 1], rounded to the nearest level, NaN as 0', async () => {
    const path = join(dir, 'levels.png');
    await writePngGray(path, fromArray(Float64Array.from([-0.5, 0.2, 0.5, 1.7, NaN, 1]), [2, 3]));
    const back = await readPngGray(path);
    expect(back.shape).toEqual([2, 3]);
    expect(Array.from(back.data)).toEqual([0, 51 / 255, 128 / 255, 1, 0, 1]);
  });
});
