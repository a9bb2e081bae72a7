/**
 * Seeded row bookkeeping for training: the validation split and the per-epoch shuffle.
 *
 * The trainer draws everything from one Rng started at the seed: first the permutation that
 * chooses the validation rows, then one shuffle of the training rows per epoch. {@link splitRows}
 * is that first draw on its own, so that callers (and the properties) can recompute exactly
 * which rows were held out.
 *
 * @module
 */
import { Rng } from '../random/rng.js';
import { checkInteger, checkNumber, rangeError } from '../validate/index.js';

/** Training and validation rows of a dataset, disjoint, each in increasing order. */
export interface RowSplit {
  readonly train: Int32Array;
  readonly validation: Int32Array;
}

/**
 * The number of validation rows for a fraction: round(fraction x samples), at least one when the
 * fraction is > 0, and never all of them (at least one training row stays).
 */
export function validationCount(samples: number, fraction: number): number {
  if (fraction === 0) return 0;
  return Math.min(samples - 1, Math.max(1, Math.round(fraction * samples)));
}

/**
 * Splits the rows 0..samples-1 of a dataset: the validation rows are the first
 * {@link validationCount} entries of a random permutation drawn from `seed` (the same draw
 * {@link train} makes), the training rows the rest.
 */
export function splitRows(samples: number, validation: number, seed = 0): RowSplit {
  checkInteger('splitRows', 'samples', samples, { min: 1 });
  checkNumber('splitRows', 'validation', validation, { min: 0, max: 1, exclusiveMax: true });
  checkInteger('splitRows', 'seed', seed, { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER });
  if (validation > 0 && samples < 2)
    rangeError('splitRows', 'samples', 'at least 2 to hold out validation rows', samples);
  return drawSplit(new Rng(seed), samples, validation);
}

/** The split drawn from `rng` (unchecked; advances the stream by one permutation). */
export function drawSplit(rng: Rng, samples: number, validation: number): RowSplit {
  const nVal = validationCount(samples, validation);
  const perm = new Int32Array(samples);
  for (let i = 0; i < samples; i++) perm[i] = i;
  shuffleInPlace(rng, perm);
  // Sorted rows: deterministic, and gathers walk the data in order.
  const val = perm.slice(0, nVal).sort();
  const train = perm.slice(nVal).sort();
  return { train, validation: val };
}

/** Fisher-Yates shuffle of `rows` in place (the draw order of random/sample's permutation). */
export function shuffleInPlace(rng: Rng, rows: Int32Array): void {
  for (let i = rows.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = rows[i];
    rows[i] = rows[j];
    rows[j] = t;
  }
}
