/**
 * The synthetic sparse-coding problem of the LISTA literature (Chen et al. 2018, Ablin et al.
 * 2019, Liu et al. 2019): a Gaussian dictionary A (n, m) with unit-norm columns, codes Z (N, m)
 * drawn Bernoulli(density)-Gaussian, and signals Y = Z A^T, optionally with Gaussian noise at a
 * given SNR and with every signal scaled so that lambdaMax(y_i) = ||A^T y_i||_inf = 1 (then a
 * lambda in [0, 1] means the same thing for every sample).
 *
 * Deterministic per seed. A, Z and the noise come from three independent streams split off the
 * seed's generator, so A does not depend on the number of samples, and N samples are the first N
 * rows of a larger draw with the same seed (Z is drawn row by row, and so is the noise).
 *
 * @module
 */
import { matmulNT } from '../linalg/gemm.js';
import { lambdaMax } from '../problems/lasso.js';
import { bernoulliGaussian, gaussianMatrix } from '../random/sample.js';
import { toRng, type RandomSource } from '../random/rng.js';
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import { checkBoolean, checkInteger, checkNumber, typeError } from '../validate/index.js';

/** Options of {@link syntheticProblem}. */
export interface SyntheticOptions {
  /** Length of a signal (rows of A), >= 1. */
  n: number;
  /** Length of a code, the number of atoms (columns of A), >= 1. */
  m: number;
  /** Number of signals N, >= 1. */
  samples: number;
  /** Probability that an entry of a code is non-zero, in [0, 1]. */
  density: number;
  /** An integer seed (or an Rng, which the call advances). */
  seed: RandomSource;
  /**
   * Signal-to-noise ratio in dB, per signal: sample i gets white Gaussian noise of variance
   * ||A z_i||^2 / n * 10^(-snr/10), so E||e_i||^2 = ||A z_i||^2 10^(-snr/10). A signal with no
   * active atom stays 0. Omitted: no noise.
   */
  noiseSnrDb?: number;
  /**
   * Scale each row of Y, and the same row of Z (so Y ~ Z A^T still holds, up to the scaled
   * noise), so that lambdaMax(y_i) = ||A^T y_i||_inf = 1 after the noise is added. Rows with
   * lambdaMax = 0 (zero signals) are left alone. Default false.
   */
  normalizeLambdaMax?: boolean;
}

/** A synthetic problem: dictionary A (n, m), signals Y (N, n), ground-truth codes Z (N, m). */
export interface SyntheticProblem {
  readonly A: Tensor;
  readonly Y: Tensor;
  readonly Z: Tensor;
}

/** A, Y and Z of the synthetic problem described by `options` (see {@link SyntheticOptions}). */
export function syntheticProblem(options: SyntheticOptions): SyntheticProblem {
  const fn = 'syntheticProblem';
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const n = checkInteger(fn, 'n', options.n, { min: 1 });
  const m = checkInteger(fn, 'm', options.m, { min: 1 });
  const N = checkInteger(fn, 'samples', options.samples, { min: 1 });
  const density = checkNumber(fn, 'density', options.density, { min: 0, max: 1 });
  const snrDb =
    options.noiseSnrDb === undefined ? undefined : checkNumber(fn, 'noiseSnrDb', options.noiseSnrDb);
  const normalize =
    options.normalizeLambdaMax === undefined
      ? false
      : checkBoolean(fn, 'normalizeLambdaMax', options.normalizeLambdaMax);
  const rng = toRng(fn, options.seed);

  const aRng = rng.split();
  const zRng = rng.split();
  const noiseRng = rng.split();
  const A = gaussianMatrix(aRng, n, m, { unitColumns: true });
  const Z = bernoulliGaussian(zRng, [N, m], density);
  const clean = matmulNT(Z, A);
  if (snrDb === undefined && !normalize) return { A, Y: clean, Z };

  // Fresh copies: the buffers below are written, and Z's own is never touched.
  const y = Float64Array.from(clean.data);
  const z = Float64Array.from(Z.data);
  if (snrDb !== undefined) {
    const ratio = 10 ** (-snrDb / 10);
    for (let i = 0; i < N; i++) {
      let energy = 0;
      for (let k = i * n; k < (i + 1) * n; k++) energy += y[k] * y[k];
      const std = Math.sqrt((energy / n) * ratio);
      // Drawn even when std = 0, so that every row uses the same number of draws (prefix property).
      for (let k = i * n; k < (i + 1) * n; k++) y[k] += std * noiseRng.normal();
    }
  }
  if (normalize) {
    const lm = unsafeData(lambdaMax(A, wrap(y, [N, n])));
    for (let i = 0; i < N; i++) {
      if (!(lm[i] > 0)) continue;
      const s = 1 / lm[i];
      for (let k = i * n; k < (i + 1) * n; k++) y[k] *= s;
      for (let k = i * m; k < (i + 1) * m; k++) z[k] *= s;
    }
  }
  return { A, Y: wrap(y, [N, n]), Z: wrap(z, [N, m]) };
}
