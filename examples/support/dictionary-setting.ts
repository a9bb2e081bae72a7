/**
 * The synthetic dictionary-recovery setting of Malezieux, Moreau & Kowalski (ICLR 2022), shared by
 * examples/dictionary-synthetic.ts and examples/fixed-point.ts: a true dictionary 30 x 50 Gaussian
 * with unit-norm atoms, 1,000 codes Bernoulli(0.3)-Gaussian, Y = Z Dᵀ plus white Gaussian noise of
 * absolute standard deviation 0.1 per entry, lambda 0.1, and one random initial dictionary (50 of
 * the noisy signals, normalised, drawn with the seed) that every method starts from.
 */
import { initialDictionary, Rng, syntheticProblem, type Tensor } from '../../src/index.js';
import { wrap } from '../../src/tensor/tensor.js';

/** The sizes and constants of the setting. */
export const SETTING = { n: 30, atoms: 50, samples: 1000, density: 0.3, sigma: 0.1, lambda: 0.1 } as const;

/** One draw of the setting. */
export interface DictionarySetting {
  /** The true dictionary (30, 50), unit-norm atoms. */
  readonly Dtrue: Tensor;
  /** The noisy signals (1000, 30). */
  readonly Y: Tensor;
  /** The true codes (1000, 50). */
  readonly Z: Tensor;
  /** The shared initial dictionary (30, 50). */
  readonly D0: Tensor;
  /** Mean number of non-zeros of the true codes. */
  readonly meanSupport: number;
}

/**
 * The setting for a seed: Dtrue and Z from syntheticProblem (noise-free), the noise from
 * Rng(seed + 1) (absolute, not an SNR: syntheticProblem only knows SNRs), D0 from
 * initialDictionary(Y, 50, 'random', seed).
 */
export function dictionarySetting(seed: number): DictionarySetting {
  const { n, atoms, samples, density, sigma } = SETTING;
  const { A, Y: clean, Z } = syntheticProblem({ n, m: atoms, samples, density, seed });
  const rng = new Rng(seed + 1);
  const y = Float64Array.from(clean.data);
  for (let k = 0; k < y.length; k++) y[k] += sigma * rng.normal();
  const Y = wrap(y, [samples, n]);
  let nnz = 0;
  for (const v of Z.data) if (v !== 0) nnz++;
  return { Dtrue: A, Y, Z, D0: initialDictionary(Y, atoms, 'random', seed), meanSupport: nnz / samples };
}
