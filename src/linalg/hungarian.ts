/**
 * The linear assignment problem: given a cost matrix C (rows x cols, rows <= cols), the one-to-one
 * assignment of every row to a distinct column that minimises the total cost, by the Hungarian
 * (Kuhn-Munkres) algorithm in its O(rows^2 cols) form with dual potentials (Jonker-Volgenant style
 * shortest augmenting paths; the classic "e-maxx" formulation).
 *
 * Rows are added one at a time; for each, a Dijkstra-like search over the columns with reduced
 * costs C[i, j] - u[i] - v[j] >= 0 finds the cheapest augmenting path, and the potentials are
 * updated so that the reduced costs stay non-negative and vanish along the matching. At the end
 * the potentials certify optimality (sum u + sum v equals the cost of the assignment, and every
 * reduced cost is >= 0). Used by the atom recovery score (src/dictionary/recovery-score.ts) to
 * match learned atoms with true ones.
 *
 * @module
 */
import { checkInteger, Got, rangeError, typeError } from '../validate/index.js';

/**
 * The minimum-cost assignment for the row-major cost matrix `cost` (rows x cols, rows <= cols):
 * returns, for each row i, the column assigned to it (distinct columns). Unchecked; allocates only
 * its O(rows + cols) work arrays. Costs must be finite.
 */
export function hungarianInto(cost: Float64Array, rows: number, cols: number, out: Int32Array): void {
  // 1-based arrays, index 0 is the virtual column / row of the search (as in the classic code).
  const u = new Float64Array(rows + 1);
  const v = new Float64Array(cols + 1);
  const match = new Int32Array(cols + 1); // match[j]: the row assigned to column j (0: none)
  const way = new Int32Array(cols + 1);
  const minv = new Float64Array(cols + 1);
  const used = new Uint8Array(cols + 1);
  for (let i = 1; i <= rows; i++) {
    match[0] = i;
    let j0 = 0;
    minv.fill(Infinity);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = match[j0];
      const ro = (i0 - 1) * cols - 1;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= cols; j++) {
        if (used[j]) continue;
        const reduced = cost[ro + j] - u[i0] - v[j];
        if (reduced < minv[j]) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= cols; j++) {
        if (used[j]) {
          u[match[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (match[j0] !== 0);
    // Augment along the path back to the virtual column.
    do {
      const j1 = way[j0];
      match[j0] = match[j1];
      j0 = j1;
    } while (j0 !== 0);
  }
  for (let j = 1; j <= cols; j++) if (match[j] !== 0) out[match[j] - 1] = j - 1;
}

/**
 * The minimum-cost one-to-one assignment of the rows of a cost matrix (row-major Float64Array,
 * rows x cols, rows <= cols, finite entries) to distinct columns, by the Hungarian algorithm in
 * O(rows^2 cols): element i of the result is the column of row i. For a maximum-weight matching
 * pass the negated weights. To assign the columns of a matrix with more rows than columns,
 * transpose it first.
 */
export function hungarian(cost: Float64Array, rows: number, cols: number): Int32Array {
  const fn = 'hungarian';
  if (!(cost instanceof Float64Array)) typeError(fn, 'cost', 'a Float64Array', cost);
  checkInteger(fn, 'rows', rows, { min: 0 });
  checkInteger(fn, 'cols', cols, { min: rows });
  if (cost.length !== rows * cols)
    rangeError(fn, 'cost', `a Float64Array of length rows * cols = ${rows * cols}`, cost);
  for (let k = 0; k < cost.length; k++) {
    if (!Number.isFinite(cost[k]))
      rangeError(fn, 'cost', 'a Float64Array of finite values', new Got(`${cost[k]} at index ${k}`));
  }
  const out = new Int32Array(rows);
  hungarianInto(cost, rows, cols, out);
  return out;
}
