/**
 * The problem and the network of the browser demo, shared by the page (main.ts) and its end-to-end
 * test, so that both generate the same signals and the same operator from the seed.
 *
 * The page's test signals are the first `testSamples` rows of a synthetic draw; the model is trained
 * (by `unfolded train`) on the rows that follow, from the same draw (syntheticProblem keeps A
 * independent of the number of samples, and fewer samples give the first rows of a larger draw).
 *
 * The page loads the operator from the A.npy file given to `unfolded train` rather than using its
 * own draw of A: seeded normals go through Math.log and Math.cos, whose last bit differs between V8
 * versions (Node 20's V8 11.3 and Chromium's, measured: 3 to 8% of the values), so the page's A
 * can differ from Node's by an ulp, and a model file only loads with the exact operator it was
 * trained for (its checksum). The page checks that the file and its draw agree to rounding.
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
  /** The test signals the page drew (row-major, testSamples x n), for the CPU reference in Node. */
  readonly signals: number[];
  /** max |A_file - A_drawn| over the entries: the operator file agrees with the page's draw. */
  readonly operatorDifference: number;
  /** Mean F* (coordinate descent on the CPU in the page, Float64). */
  readonly meanFstar: number;
  /** Milliseconds of the GPU computations (ISTA, LISTA forward), for display. */
  readonly milliseconds: { readonly ista: number; readonly lista: number };
}
