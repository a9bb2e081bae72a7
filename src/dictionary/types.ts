/**
 * The types shared by the dictionary-learning methods (src/dictionary): alternating minimisation
 * (am.ts), unrolled / deep dictionary learning (ddl.ts) and K-SVD (ksvd.ts).
 *
 * Conventions (DESIGN.md): signals are rows Y (N, n); the dictionary D has shape (n, K) with atoms
 * as columns, exactly like the operator A of the Lasso (so every solver and layer applies to D);
 * codes Z (N, K), Y ~ Z Dᵀ. The Lasso methods (AM, DDL) minimise the mean over signals of
 *
 *     F(D, z_i) = 1/2 ||y_i - D z_i||² + λ ||z_i||₁,   every atom in the unit l2 ball,
 *
 * and K-SVD the mean of 1/2 ||y_i - D z_i||² with at most S non-zeros per code.
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';

/** The method names of the command line. */
export type DictionaryMethod = 'am' | 'ddl' | 'ksvd';

/**
 * How to start: 'random' (K distinct training signals drawn with the seed, normalised; atoms of
 * zero signals replaced by Gaussian atoms), 'dct' (the overcomplete 2-D DCT dictionary for square
 * patches: n must be a perfect square), or a given dictionary (n, K) (atoms projected to the unit
 * ball).
 */
export type DictionaryInit = 'random' | 'dct' | Tensor;

/** One outer iteration of a dictionary-learning run. */
export interface DictionaryIteration {
  /** 1-based outer iteration (0: the initial dictionary). */
  readonly iteration: number;
  /** The method's objective on the training signals (mean over signals, see the module notes). */
  readonly objective: number;
  /** Seconds since the run started (objective evaluations not counted when documented). */
  readonly seconds: number;
  /** With a ground-truth dictionary: the atom recovery score in [0, 1]. */
  readonly recoveryScore?: number;
}

/** Options common to every method. */
export interface DictionaryLearningOptions {
  /** Number of atoms K >= 1. */
  readonly atoms: number;
  /** Outer iterations (default per method). */
  readonly iterations?: number;
  /** Initial dictionary (default 'random'). */
  readonly init?: DictionaryInit;
  /** Seed of the initialisation and of any sampling (default 0). */
  readonly seed?: number;
  /** A ground-truth dictionary (n, K'): report the recovery score at every iteration. */
  readonly trueDictionary?: Tensor;
  /** Called after every outer iteration; return false to stop. */
  readonly onIteration?: (record: DictionaryIteration) => void | boolean;
}

/** What every method returns. */
export interface DictionaryLearningResult {
  readonly method: DictionaryMethod;
  /** The learned dictionary (n, K): atoms in the unit l2 ball (K-SVD: unit-norm atoms). */
  readonly D: Tensor;
  /** The codes of the training signals at the end (N, K). */
  readonly codes: Tensor;
  /** history[0] is the initial dictionary, then one record per outer iteration. */
  readonly history: readonly DictionaryIteration[];
  readonly seconds: number;
}
