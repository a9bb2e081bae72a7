/**
 * A slow, independent reference for the 1-D total-variation prox, for tests only.
 *
 * It solves the dual problem
 *
 *     min_{||v||_inf <= mu} 1/2 ||x - D^T v||^2,   u = x - D^T v,
 *
 * where (D u)_i = u_{i+1} - u_i, by accelerated projected gradient. D D^T is the tridiagonal
 * matrix [-1, 2, -1] of size n - 1, whose eigenvalues 2 - 2 cos(k pi / n) are known, so the method
 * uses the exact step 1/L and the constant momentum of the strongly convex case: it converges
 * linearly (about sqrt(L / m) ~ 0.6 n iterations per digit) and is run to the last digits.
 */

/** prox_{mu TV}(x) for one signal, by accelerated projected gradient on the dual. */
export function tv1dReference(x: readonly number[], mu: number, maxIterations = 200_000): number[] {
  const n = x.length;
  if (n <= 1 || mu === 0) return x.slice();
  const m = n - 1;
  const big = 2 + 2 * Math.cos(Math.PI / n); // largest eigenvalue of D D^T
  const small = 2 - 2 * Math.cos(Math.PI / n); // smallest one
  const step = 1 / big;
  const momentum = (Math.sqrt(big) - Math.sqrt(small)) / (Math.sqrt(big) + Math.sqrt(small));
  let v = new Float64Array(m);
  let previous = new Float64Array(m);
  const y = new Float64Array(m);
  const u = new Float64Array(n);
  // u = x - D^T w, with (D^T w)_j = w_{j-1} - w_j (w_{-1} = w_{n-1} = 0).
  const primal = (w: Float64Array): void => {
    for (let j = 0; j < n; j++) u[j] = x[j] - ((j > 0 ? w[j - 1] : 0) - (j < m ? w[j] : 0));
  };
  let scale = 0;
  for (const xi of x) scale = Math.max(scale, Math.abs(xi));
  let quiet = 0;
  for (let it = 0; it < maxIterations && quiet < 20; it++) {
    for (let i = 0; i < m; i++) y[i] = v[i] + momentum * (v[i] - previous[i]);
    primal(y);
    let change = 0;
    let size = 0;
    for (let i = 0; i < m; i++) {
      // Gradient step on 1/2||x - D^T y||^2 (its gradient is -D u), then projection on the box.
      const next = Math.min(mu, Math.max(-mu, y[i] + step * (u[i + 1] - u[i])));
      change = Math.max(change, Math.abs(next - v[i]));
      size = Math.max(size, Math.abs(next));
      previous[i] = next; // reuse `previous` as the new iterate, then swap
    }
    [v, previous] = [previous, v];
    // Stop once the iterates have stopped moving beyond rounding for a while.
    quiet = change <= 1e-15 * (scale + size) ? quiet + 1 : 0;
  }
  primal(v);
  return Array.from(u);
}
