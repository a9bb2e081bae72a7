/**
 * End-to-end test of the browser demo (examples/browser) in headless Chromium: bundles the page
 * with vite, trains a small LISTA network with `unfolded train` (in-process, on training signals of
 * the demo's seeded draw: examples/browser/prepare.ts), serves the bundle, the operator and the
 * model file from a local static server, and drives Debian's chromium
 * with playwright-core. The page runs ISTA and the network on the gpu.js backend; this test asserts
 * that a WebGL kernel ran, checks the page's F and F - F* per iteration / layer against the CPU
 * Float64 computation here in Node, and saves a screenshot as test-artifacts/browser-demo.png.
 *
 * Without a chromium binary (UNFOLDED_CHROMIUM, else /usr/bin/chromium) the test is skipped with a
 * printed reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { DEMO, type DemoResult } from '../../examples/browser/config.js';
import {
  CD_SYNC_EVERY,
  coordinateDescentSolver,
  evaluateModel,
  evaluateSolver,
  ista,
  lassoObjective,
  lassoProblem,
  loadModel,
  runSolver,
  readNpy,
  syntheticProblem,
  fromArray,
  type Tensor,
} from '../../src/index.js';
import { prepareDemoFiles } from '../../examples/browser/prepare.js';
import { serveStatic, type StaticServer } from './static-server.js';

const CHROMIUM = process.env.UNFOLDED_CHROMIUM ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available)
  console.warn(
    `test/browser/demo.test.ts: skipped: no chromium at ${CHROMIUM} (install Debian's chromium, or set UNFOLDED_CHROMIUM).`,
  );

/** The flags of a headless Chromium without a GPU: gpu.js then gets WebGL from SwiftShader. */
const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * The float32 tolerance (DESIGN.md: about 1e-5 relative), relative to each compared number: the
 * mean F, and the mean F - F* itself (the smaller number). Measured in Chromium's WebGL2Kernel
 * (SwiftShader): at most 3e-8 relative on F and 2e-7 on F - F* over the 10 depths.
 */
const RTOL = 1e-5;

const root = fileURLToPath(new URL('../../', import.meta.url));
const artifact = join(root, 'test-artifacts', 'browser-demo.png');

function maxAbsDifference(a: Tensor, b: Tensor): number {
  return a.data.reduce((max, v, k) => Math.max(max, Math.abs(v - b.data[k])), 0);
}

describe.skipIf(!available)('browser demo in headless Chromium', () => {
  let dir: string;
  let server: StaticServer;
  let browser: Browser;
  let result: DemoResult;
  let A: Tensor;
  let nodeSignals: Tensor;
  let modelFile: string;
  const log: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'unfolded-browser-'));
    const files = await prepareDemoFiles(dir);
    modelFile = files.model;
    const { n, m, testSamples, density, seed } = DEMO;
    const draw = syntheticProblem({ n, m, samples: testSamples, density, seed, normalizeLambdaMax: true });
    A = readNpy(files.operator);
    nodeSignals = draw.Y;

    const { build } = await import('vite');
    const bundle = join(dir, 'bundle');
    await build({
      configFile: join(root, 'examples/browser/vite.config.ts'),
      build: { outDir: bundle },
      logLevel: 'error',
    });
    server = await serveStatic(bundle, { '/model.safetensors': files.model, '/A.npy': files.operator });

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 900, height: 900 } });
    page.on('console', (message) => log.push(`console.${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => log.push(`page error: ${error.message}`));
    await page.goto(server.url);
    // Expressions as strings: they run in the page, whose window this Node program has no type for.
    await page.waitForFunction('window.unfoldedDemo !== undefined', undefined, { timeout: 60_000 });
    result = await page.evaluate<DemoResult>('window.unfoldedDemo');
    mkdirSync(join(root, 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: artifact, fullPage: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs to the end without errors, on a gpu.js WebGL kernel', () => {
    expect(result.error, log.join('\n')).toBeUndefined();
    expect(result.status).toBe('done');
    expect(result.backend).toMatch(/gpu/);
    expect(['WebGL2Kernel', 'WebGLKernel']).toContain(result.kernelKind);
    expect(existsSync(artifact)).toBe(true);
  });

  it('reports F and F - F* per iteration and layer that match the CPU (Float64) within float32 tolerance', () => {
    const { n, testSamples, lambda, depth } = DEMO;
    // The page's own draw of the signals: equal to Node's up to the last bit of Math.log/cos (config.ts).
    const Y = fromArray(result.signals, [testSamples, n]);
    expect(maxAbsDifference(Y, nodeSignals)).toBeLessThan(1e-12);
    expect(result.operatorDifference).toBeLessThan(1e-12);
    const problem = lassoProblem(A, Y, lambda);
    const tol = 1e-10;
    const cd = runSolver(coordinateDescentSolver({ tol }), problem, {
      tol,
      maxIter: 100_000,
      checkEvery: CD_SYNC_EVERY,
    });
    expect(cd.converged).toBe(true);
    const fstar = lassoObjective(A, Y, cd.Z, lambda).perSample;
    const meanFstar = fstar.data.reduce((s, v) => s + v, 0) / fstar.size;
    // The page generated the same signals (and solved the same problem) from the seed.
    expect(result.meanFstar).toBeCloseTo(meanFstar, 10);

    const cpu = {
      ista: evaluateSolver(ista, problem, depth, { fstar }),
      lista: evaluateModel(loadModel(modelFile, A), Y, { fstar }),
    };
    for (const method of ['ista', 'lista'] as const) {
      const page = result[method];
      expect(page.objective).toHaveLength(depth);
      expect(page.suboptimality).toHaveLength(depth);
      cpu[method].forEach((row, t) => {
        const [f, sub] = [row.meanObjective, row.meanSuboptimality!];
        const where = `${method} at depth ${t + 1}`;
        expect(sub, where).toBeGreaterThan(0);
        expect(Math.abs(page.objective[t] - f), where).toBeLessThanOrEqual(RTOL * f);
        expect(Math.abs(page.suboptimality[t] - sub), where).toBeLessThanOrEqual(RTOL * sub);
      });
    }
    // The trained network is ahead of ISTA at the same depth (what the demo shows).
    expect(result.lista.suboptimality[depth - 1]).toBeLessThan(result.ista.suboptimality[depth - 1] / 2);
  });
});
