/**
 * The problem and the network of the browser demo, shared by the page (main.ts) and its end-to-end
 * test, so that both generate the same signals and the same operator from the seed.
 *
 * The page's test signals are the first `testSamples` rows of a synthetic draw; the model is trained
 * (by `unfolded train`) on the rows that follow, from the same draw (syntheticProblem keeps A
 * independent of the number of samples, and fewer samples give the first rows of a larger draw).
 *
 * @module
 */

/** Sizes, sparsity, seed and λ of the demo. */
export const DEMO = Object.freeze({
  /** Signal length n and number of atoms m of the dictionary A (n, m). */
  n: 32,
  m: 64,
  /** Test signals generated in the page (rows 0 .. testSamples - 1 of the draw). */
  testSamples: 100,
  /** Training signals for `unfolded train` (the rows after the test rows). */
  trainSamples: 500,
  density: 0.1,
  seed: 7,
  /** Signals are scaled to λMax = 1, so this fixed λ is the ratio λ / λMax of every signal. */
  lambda: 0.1,
  /** Depth T of the LISTA network, and the number of ISTA iterations compared with it. */
  depth: 10,
});

/** What the page publishes on `window.unfoldedDemo` when it has finished (read by the e2e test). */
export interface DemoResult {
  /** 'done', or 'error' with `error` set. */
  readonly status: 'done' | 'error';
  readonly error?: string;
  /** The backend's name and the gpu.js kernel class that ran (e.g. WebGL2Kernel). */
  readonly backend: string;
  readonly kernelKind: string;
  /** Mean F(z_t) and mean F(z_t) - F* over the test signals after t = 1..T iterations / layers. */
  readonly ista: { readonly objective: number[]; readonly suboptimality: number[] };
  readonly lista: { readonly objective: number[]; readonly suboptimality: number[] };
  /** Mean F* (coordinate descent on the CPU in the page, Float64). */
  readonly meanFstar: number;
  /** Milliseconds of the GPU computations (ISTA, LISTA forward), for display. */
  readonly milliseconds: { readonly ista: number; readonly lista: number };
}
