/**
 * Unchecked kernels shared by the proximal-gradient solvers (ISTA with backtracking, FISTA, oracle
 * ISTA): 1/L, one sample's proximal-gradient step and support comparisons (the products with A and
 * the gradient are in gradient.ts). They write only into the buffers they are given.
 *
 * @module
 */

/**
 * 1/L, or 1 when L = 0 (A = 0: the gradient is identically 0 and every step is exact; 1/0 would
 * turn the iterates into NaN).
 */
export function inverseLipschitz(lipschitz: number): number {
  return lipschitz > 0 ? 1 / lipschitz : 1;
}

/**
 * One sample's proximal-gradient step with step t: out[o + j] = ST(z[o + j] - t grad[o + j], t lambda)
 * for j < m, o = offset. Writes `out[o .. o + m)` only; `out` may be `z`.
 */
export function proxGradRowInto(
  z: Float64Array,
  grad: Float64Array,
  offset: number,
  m: number,
  t: number,
  lambda: number,
  out: Float64Array,
): void {
  const thr = t * lambda;
  for (let k = offset; k < offset + m; k++) {
    const v = z[k] - t * grad[k];
    out[k] = v > thr ? v - thr : v < -thr ? v + thr : 0;
  }
}

/** Whether supp(b) is a subset of supp(a) on the row [offset, offset + m). */
export function supportWithin(b: Float64Array, a: Float64Array, offset: number, m: number): boolean {
  for (let k = offset; k < offset + m; k++) if (b[k] !== 0 && a[k] === 0) return false;
  return true;
}

/** Whether a and b have the same support on the row [offset, offset + m). */
export function sameSupport(a: Float64Array, b: Float64Array, offset: number, m: number): boolean {
  for (let k = offset; k < offset + m; k++) if ((a[k] === 0) !== (b[k] === 0)) return false;
  return true;
}
