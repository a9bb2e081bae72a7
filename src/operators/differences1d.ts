/**
 * Forward differences of a 1-D signal, (D x)_i = x_(i+1) - x_i: the analysis operator of 1-D
 * total variation (TV = ||D x||_1), a matrix (n - 1) x n.
 *
 * Norm in closed form: D D^T is the (n - 1) x (n - 1) tridiagonal matrix tridiag(-1, 2, -1), whose
 * eigenvalues are 2 - 2 cos(pi k / n), k = 1..n-1, so ||D||^2 = 2 - 2 cos(pi (n - 1) / n)
 * = 4 cos^2(pi / (2n)) and ||D|| = 2 cos(pi / (2n)) (0 for n = 1, where D has no rows).
 *
 * @module
 */
import { checkInteger } from '../validate/index.js';
import { defineOperator, exactNorm, type KernelOperator } from './define.js';

/** ||D_n||^2 of the forward differences on n points: 4 cos^2(pi / (2n)), 0 for n = 1. */
export function differencesNormSquared(n: number): number {
  return n < 2 ? 0 : 4 * Math.cos(Math.PI / (2 * n)) ** 2;
}

/**
 * Forward differences D (n - 1, n) on signals of length n >= 1: (D x)_i = x_(i+1) - x_i for
 * i = 0..n-2; adjoint (D^T y)_l = y_(l-1) - y_l with y_(-1) = y_(n-1) = 0. Norm exactly
 * 2 cos(pi / (2n)) (0 for n = 1).
 */
export function differences1d(n: number): KernelOperator {
  checkInteger('differences1d', 'n', n, { min: 1 });
  return defineOperator({
    fn: 'differences1d',
    name: `differences1d(${n})`,
    inputSize: n,
    outputSize: n - 1,
    applyRow: (x, xOffset, out, outOffset) => {
      for (let i = 0; i < n - 1; i++) out[outOffset + i] = x[xOffset + i + 1] - x[xOffset + i];
    },
    adjointRow: (y, yOffset, out, outOffset) => {
      out[outOffset] = -y[yOffset];
      for (let l = 1; l < n - 1; l++) out[outOffset + l] = y[yOffset + l - 1] - y[yOffset + l];
      out[outOffset + n - 1] = y[yOffset + n - 2];
    },
    norm: () => exactNorm(Math.sqrt(differencesNormSquared(n))),
  });
}
