/** Small vector helpers of the gradient properties (dot-product tests, FD step bounds). */

/** <a, b>. */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The Euclidean (Frobenius) norm. */
export function fro(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** The largest magnitude (0 for an empty vector). */
export function maxAbs(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = Math.max(s, Math.abs(a[i]));
  return s;
}
