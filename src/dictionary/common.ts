/**
 * What every dictionary-learning method shares around its own iterations: the checks of the
 * common options (types.ts, DictionaryLearningOptions) and the per-iteration record (objective,
 * seconds, recovery score, callback).
 *
 * Timing: `seconds` counts the method's own work, the objective evaluations that it needs
 * included, but not the recovery score against a ground truth nor the callback, which the
 * recorder times and subtracts, so that runs with and without `trueDictionary` report the same
 * times.
 *
 * @module
 */
import { unsafeData, type Tensor } from '../tensor/tensor.js';
import { checkInteger, checkTensor, rangeError, typeError } from '../validate/index.js';
import { checkInit } from './init.js';
import { recoveryScoreRaw } from './recovery-score.js';
import type { DictionaryInit, DictionaryIteration, DictionaryLearningOptions } from './types.js';
import { transpose2dInto } from '../tensor/views.js';

/** The common options, checked, with defaults. */
export interface CheckedLearningOptions {
  readonly atoms: number;
  readonly iterations: number;
  readonly init: DictionaryInit;
  readonly seed: number;
  readonly trueDictionary: Tensor | undefined;
  readonly onIteration: DictionaryLearningOptions['onIteration'];
}

/**
 * Checks the common options for signals of length n; `iterations` defaults to
 * `defaultIterations`. Only a missing option takes its default (null is reported).
 */
export function checkLearningOptions(
  fn: string,
  options: DictionaryLearningOptions,
  n: number,
  defaultIterations: number,
): CheckedLearningOptions {
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const atoms = checkInteger(fn, 'atoms', options.atoms, { min: 1 });
  const iterations =
    options.iterations === undefined
      ? defaultIterations
      : checkInteger(fn, 'iterations', options.iterations, { min: 0 });
  const init = options.init === undefined ? 'random' : checkInit(fn, options.init);
  const seed =
    options.seed === undefined
      ? 0
      : checkInteger(fn, 'seed', options.seed, {
          min: Number.MIN_SAFE_INTEGER,
          max: Number.MAX_SAFE_INTEGER,
        });
  let trueDictionary: Tensor | undefined;
  if (options.trueDictionary !== undefined) {
    trueDictionary = checkTensor(fn, 'trueDictionary', options.trueDictionary, { rank: 2, shape: [n, -1] });
    if (trueDictionary.shape[1] < 1)
      rangeError(fn, 'trueDictionary', 'a tensor of rank 2 with at least one column', trueDictionary);
  }
  const onIteration = options.onIteration;
  if (onIteration !== undefined && typeof onIteration !== 'function')
    typeError(fn, 'onIteration', 'a function', onIteration);
  return { atoms, iterations, init, seed, trueDictionary, onIteration };
}

/**
 * Records one iteration after another: the clock starts at construction; `record` appends to
 * `history`, computes the recovery score when a ground truth is given, calls the callback and
 * returns false when it asked to stop. Neither counts in `seconds` (see the module notes).
 */
export class IterationRecorder {
  readonly history: DictionaryIteration[] = [];
  readonly #start = performance.now();
  #excluded = 0;

  constructor(
    private readonly fn: string,
    private readonly options: CheckedLearningOptions,
    private readonly n: number,
  ) {}

  /** Seconds of the method's own work so far. */
  get seconds(): number {
    return (performance.now() - this.#start - this.#excluded) / 1000;
  }

  /**
   * Appends the record of `iteration` for the dictionary d (row-major n x K, or its transpose K x n
   * when `atomRows`) and its objective; returns false when the callback asks to stop.
   */
  record(iteration: number, objective: number, d: Float64Array, atomRows: boolean): boolean {
    if (!Number.isFinite(objective)) {
      throw new Error(
        `${this.fn}: the objective became non-finite at iteration ${iteration} (${objective}); check the scale of the data.`,
      );
    }
    const seconds = this.seconds;
    const paused = performance.now();
    const { trueDictionary, onIteration } = this.options;
    const K = this.options.atoms;
    let entry: DictionaryIteration = { iteration, objective, seconds };
    if (trueDictionary !== undefined) {
      const dd = atomRows ? transposeRaw(d, K, this.n) : d;
      const score = recoveryScoreRaw(dd, unsafeData(trueDictionary), this.n, K, trueDictionary.shape[1]);
      entry = { ...entry, recoveryScore: score };
    }
    this.history.push(entry);
    const answer = onIteration?.(entry);
    this.#excluded += performance.now() - paused;
    return answer !== false;
  }
}

/** The transpose of a row-major (rows x cols) buffer, as a new (cols x rows) buffer. */
export function transposeRaw(a: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  transpose2dInto(a, rows, cols, out);
  return out;
}

/**
 * Checks a dictionary D (n, K) and signals Y (N >= 1, n) at the public boundary of the studies
 * and gradients; returns the sizes.
 */
export function checkDictionaryAndSignals(
  fn: string,
  D: unknown,
  Y: unknown,
): { n: number; K: number; N: number } {
  const [n, K] = checkTensor(fn, 'D', D, { rank: 2 }).shape;
  const N = checkTensor(fn, 'Y', Y, { rank: 2, shape: [-1, n] }).shape[0];
  if (N < 1) rangeError(fn, 'Y', 'a tensor with at least one row (signal)', Y);
  return { n, K, N };
}
