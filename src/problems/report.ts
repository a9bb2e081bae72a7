/**
 * What the objectives report for a batch: per-sample values and their summaries (DESIGN: reported
 * objectives are means over samples). An empty batch has means and maximum 0: nothing to certify.
 *
 * @module
 */
import { wrap, type Tensor } from '../tensor/tensor.js';

/** An objective evaluated on a batch: one value per sample and their mean. */
export interface BatchObjective {
  /** The objective of each sample, shape [N]. */
  perSample: Tensor;
  /** The mean over samples (0 for an empty batch). */
  mean: number;
}

/**
 * A primal-dual certificate for a batch: for each sample, primal - dual = gap >= 0 and, in exact
 * arithmetic, primal - optimum <= gap.
 */
export interface DualityGap {
  /** The primal objective of each sample at the given point, shape [N]. */
  primal: Tensor;
  /** The dual objective of each sample at the dual point, shape [N] (computed as primal - gap). */
  dual: Tensor;
  /** The duality gap of each sample, shape [N]; never negative. */
  gap: Tensor;
  /** Mean of the primal objectives (the reported objective). */
  meanPrimal: number;
  /** Mean of the dual objectives. */
  meanDual: number;
  /** Mean of the gaps: an upper bound on (mean objective - mean optimum). */
  meanGap: number;
  /** Largest gap: every sample is within it of its optimum (a stopping criterion). */
  maxGap: number;
}

/** Mean of `x[0 .. length)`, 0 when empty. */
function meanOf(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return x.length === 0 ? 0 : s / x.length;
}

/** Wraps a buffer of per-sample objective values (ownership passes to the result). */
export function batchObjective(perSample: Float64Array): BatchObjective {
  return { perSample: wrap(perSample, [perSample.length]), mean: meanOf(perSample) };
}

/**
 * Wraps per-sample primal, dual and gap buffers (ownership passes to the result) with their
 * summaries. A NaN gap makes `maxGap` NaN, so a stopping test `maxGap <= tol` fails on it.
 */
export function dualityGap(primal: Float64Array, dual: Float64Array, gap: Float64Array): DualityGap {
  let maxGap = 0;
  for (let i = 0; i < gap.length; i++) {
    if (gap[i] > maxGap || Number.isNaN(gap[i])) maxGap = gap[i];
    if (Number.isNaN(maxGap)) break;
  }
  const N = gap.length;
  return {
    primal: wrap(primal, [N]),
    dual: wrap(dual, [N]),
    gap: wrap(gap, [N]),
    meanPrimal: meanOf(primal),
    meanDual: meanOf(dual),
    meanGap: meanOf(gap),
    maxGap,
  };
}
