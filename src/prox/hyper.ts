/**
 * Hyper-parameters of proximal operators (thresholds, radii, weights) in their three layouts:
 * one number for all entries, one per sample (shape [N] for a batch x of shape [N, m]), or one per
 * entry (a tensor shaped like x). Prox implementations check a hyper once with {@link checkHyper},
 * then read entry k's value as `values[Math.floor(k / inner)]` in their loops, or expand it with
 * {@link expandHyper}; gradients w.r.t. a hyper go back to its own shape
 * with {@link reduceToHyper}. Operators on whole rows (balls, TV) take a hyper that is one number or
 * one per sample, never per entry: {@link checkSampleHyper}, {@link sampleHyperAt} and
 * {@link reducePerSample}.
 *
 * @module
 */
import {
  checkFinite,
  checkNumber,
  Got,
  rangeError,
  typeError,
  type NumberBounds,
} from '../validate/index.js';
import { Tensor, unsafeData, wrap } from '../tensor/tensor.js';
import type { Hyper } from './types.js';

/** A checked hyper-parameter: `values[Math.floor(k / inner)]` is the value at flat entry k of x. */
export interface HyperLayout {
  /** 'scalar' (one value), 'sample' (one per row of a rank-2 x) or 'entry' (one per entry). */
  kind: 'scalar' | 'sample' | 'entry';
  /** The values: length 1, N, or x.size. */
  values: Float64Array;
  /** Entries of x per value: x.size for scalar, m for per-sample, 1 for per-entry. */
  inner: number;
}

function boundsText(b: NumberBounds): string {
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`${b.exclusiveMin ? '>' : '>='} ${b.min}`);
  if (b.max !== undefined) parts.push(`${b.exclusiveMax ? '<' : '<='} ${b.max}`);
  return parts.join(' and ');
}

/** 'a finite number' and its bounds, e.g. 'a finite number >= 0'. */
function numberText(b: NumberBounds): string {
  return `a finite number${b.min !== undefined || b.max !== undefined ? ' ' + boundsText(b) : ''}`;
}

/**
 * Checks `hyper` against x: a finite number within bounds, a tensor of shape [N] for x of shape
 * [N, m], or a tensor shaped like x, with every entry finite and within bounds.
 */
export function checkHyper(
  fn: string,
  name: string,
  hyper: unknown,
  x: Tensor,
  bounds: NumberBounds = {},
): HyperLayout {
  if (typeof hyper === 'number') {
    checkNumber(fn, name, hyper, bounds);
    return { kind: 'scalar', values: Float64Array.of(hyper), inner: Math.max(x.size, 1) };
  }
  const number = numberText(bounds);
  const entry = `a tensor of shape [${x.shape.join(', ')}]`;
  const requirement =
    x.rank === 2
      ? `${number}, ${entry} or a tensor of shape [${x.shape[0]}] (one per sample)`
      : `${number} or ${entry}`;
  if (!(hyper instanceof Tensor)) typeError(fn, name, requirement, hyper);
  const sameShape = hyper.rank === x.rank && hyper.shape.every((d, i) => d === x.shape[i]);
  const perSample = x.rank === 2 && hyper.rank === 1 && hyper.shape[0] === x.shape[0];
  if (!sameShape && !perSample) rangeError(fn, name, requirement, hyper);
  checkFinite(fn, name, hyper);
  const values = unsafeData(hyper);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const low = bounds.min !== undefined && (bounds.exclusiveMin ? v <= bounds.min : v < bounds.min);
    const high = bounds.max !== undefined && (bounds.exclusiveMax ? v >= bounds.max : v > bounds.max);
    if (low || high)
      rangeError(fn, name, `a tensor of values ${boundsText(bounds)}`, new Got(`${v} at flat index ${i}`));
  }
  return sameShape ? { kind: 'entry', values, inner: 1 } : { kind: 'sample', values, inner: x.shape[1] };
}

/** A checked hyper of one value, or one per sample: never per entry. */
export type SampleHyperLayout = HyperLayout & { kind: 'scalar' | 'sample' };

/**
 * Checks a hyper that is "a number, or one per sample": a finite number within bounds, or, for x
 * of shape [N, n], a tensor of shape [N] with every entry finite and within bounds. For a rank-1 x
 * only a number will do.
 */
export function checkSampleHyper(
  fn: string,
  name: string,
  hyper: unknown,
  x: Tensor,
  bounds: NumberBounds = {},
): SampleHyperLayout {
  if (typeof hyper !== 'number') {
    const number = numberText(bounds);
    const requirement =
      x.rank === 2 ? `${number} or a tensor of shape [${x.shape[0]}] (one per sample)` : number;
    if (!(hyper instanceof Tensor)) typeError(fn, name, requirement, hyper);
    if (x.rank !== 2 || hyper.rank !== 1 || hyper.shape[0] !== x.shape[0])
      rangeError(fn, name, requirement, hyper);
  }
  return checkHyper(fn, name, hyper, x, bounds) as SampleHyperLayout;
}

/** The value of a scalar or per-sample hyper at row (sample) r. */
export function sampleHyperAt(layout: SampleHyperLayout, r: number): number {
  return layout.kind === 'scalar' ? layout.values[0] : layout.values[r];
}

/**
 * Sums per-sample gradients back to the layout of a scalar or per-sample hyper: their sum for a
 * number, the gradients themselves (shaped like the hyper) for one per sample.
 */
export function reducePerSample(perSample: Float64Array, layout: SampleHyperLayout, hyper: Hyper): Hyper {
  if (layout.kind === 'scalar') {
    let s = 0;
    for (let r = 0; r < perSample.length; r++) s += perSample[r];
    return s;
  }
  return wrap(perSample, (hyper as Tensor).shape);
}

/** The hyper value for every entry of x (a new buffer of length x.size). */
export function expandHyper(layout: HyperLayout, size: number): Float64Array {
  if (layout.kind === 'entry') return layout.values;
  const out = new Float64Array(size);
  for (let k = 0; k < size; k++) out[k] = layout.values[Math.floor(k / layout.inner)];
  return out;
}

/** Multiplies a hyper by a scaling factor, keeping its layout: prox(x, h, s) = prox(x, s h, 1). */
export function scaleHyper(hyper: Hyper, scaling: number): Hyper {
  if (typeof hyper === 'number') return hyper * scaling;
  const src = unsafeData(hyper);
  const out = new Float64Array(src.length);
  for (let i = 0; i < out.length; i++) out[i] = src[i] * scaling;
  return wrap(out, hyper.shape);
}

/**
 * Sums a per-entry gradient (length x.size) back to the layout of the hyper: a number for a
 * scalar hyper, one value per sample, or the per-entry tensor itself.
 */
export function reduceToHyper(gradPerEntry: Float64Array, layout: HyperLayout, hyper: Hyper): Hyper {
  if (layout.kind === 'scalar') {
    let s = 0;
    for (let k = 0; k < gradPerEntry.length; k++) s += gradPerEntry[k];
    return s;
  }
  const shape = (hyper as Tensor).shape;
  if (layout.kind === 'entry') return wrap(gradPerEntry, shape);
  const out = new Float64Array(layout.values.length);
  for (let k = 0; k < gradPerEntry.length; k++) out[Math.floor(k / layout.inner)] += gradPerEntry[k];
  return wrap(out, shape);
}
