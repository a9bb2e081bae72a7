/**
 * A least-squares Objective for testing the trainer (src/train) without networks: rows (x_i, y_i)
 * of a linear regression, loss_i = 1/2 (x_i . w + c - y_i)^2, parameters { w: [d], c: [1] } with
 * the offset c projected onto c >= 0 (or { w } alone, c = 0, without `offset`). Its minimiser is
 * known in closed form.
 */
import { wrap, type Tensor } from '../../src/tensor/tensor.js';
import type { Objective } from '../../src/train/types.js';
import type { NamedTensors } from '../../src/unrolled/model-types.js';

/** The objective over rows of X (N, d) and targets y [N]; `projections` counts project calls. */
export function leastSquares(X: Tensor, y: Tensor, offset = true): Objective & { projections: number } {
  const [N, d] = X.shape;
  const x = X.data;
  const t = y.data;
  const objective = {
    samples: N,
    projections: 0,
    evaluate(params: NamedTensors, rows: Int32Array, withGrad: boolean) {
      const w = params.w.data;
      const c = offset ? params.c.data[0] : 0;
      const gw = new Float64Array(d);
      let gc = 0;
      let value = 0;
      for (const i of rows) {
        let r = c - t[i];
        for (let j = 0; j < d; j++) r += x[i * d + j] * w[j];
        value += 0.5 * r * r;
        if (withGrad) {
          for (let j = 0; j < d; j++) gw[j] += r * x[i * d + j];
          gc += r;
        }
      }
      const k = rows.length;
      if (!withGrad) return { value: value / k };
      for (let j = 0; j < d; j++) gw[j] /= k;
      const grad: Record<string, Tensor> = { w: wrap(gw, [d]) };
      if (offset) grad.c = wrap(Float64Array.of(gc / k), [1]);
      return { value: value / k, grad };
    },
    project(params: NamedTensors): NamedTensors {
      objective.projections++;
      if (!offset || params.c.data[0] >= 0) return params;
      return { ...params, c: wrap(Float64Array.of(0), [1]) };
    },
  };
  return objective;
}

/** Zero parameters for {@link leastSquares} with d features. */
export function zeroParams(d: number, offset = true): NamedTensors {
  const w = wrap(new Float64Array(d), [d]);
  return offset ? { w, c: wrap(new Float64Array(1), [1]) } : { w };
}
