/**
 * The training objective of an unrolled model (src/unrolled/model.ts) on a dataset of signals Y
 * (N, n): the {@link Objective} that the trainer minimises.
 *
 * - `unsupervised` (Ablin et al. 2019, the default): the mean Lasso objective of the network's
 *   output, 1/|rows| sum_i F(z_i) with the network's λ;
 * - `supervised` (Liu et al. 2019): the mean squared error to target codes;
 * - with `layerWeights` w (length T): sum_t w_t loss(z_t) over the layers' outputs z_1 .. z_T.
 *
 * The gradient is the reverse fold of the layers' hand-derived VJPs (backwardNetwork), named by
 * modelParamGrads (tied parameters get the sum over their layers).
 *
 * In `ratio` mode the loss is that of the normalised signals y_i / c_i (c_i = λMax(y_i)), with
 * λ = R: each signal weighs the same whatever its scale (the Ablin et al. setting). The objective
 * of the original signal is c_i² times it. Supervised targets are the codes of the original
 * signals, divided by c_i like the signals. Both are normalised once, at construction.
 *
 * @module
 */
import { unsafeData, wrap, type Tensor } from '../tensor/tensor.js';
import {
  checkNumber,
  checkOneOf,
  checkTensor,
  Got,
  isArray,
  rangeError,
  typeError,
} from '../validate/index.js';
import { supervisedLoss, unsupervisedLoss, type LossWithGrad } from '../unrolled/losses.js';
import {
  checkModel,
  checkNamedParams,
  checkSignals,
  modelParamGrads,
  networkUnchecked,
  normalizeUnchecked,
  projectParams,
} from '../unrolled/model.js';
import type { Model, NamedTensors } from '../unrolled/model-types.js';
import { backwardNetwork, forwardNetwork, type Network, type NetworkForward } from '../unrolled/network.js';
import { releaseNetworkCaches } from '../unrolled/backend-network.js';
import { checkBackend } from '../backend/check.js';
import type { Backend } from '../backend/types.js';
import type { Objective } from './types.js';

/** Options of {@link networkObjective}. */
export interface NetworkObjectiveOptions {
  /** Default 'unsupervised'. */
  readonly loss?: 'unsupervised' | 'supervised';
  /** Target codes (N, m) of the original signals; required for the supervised loss. */
  readonly targets?: Tensor;
  /** Weights (length T, >= 0, not all 0) of a loss summed over the layers; default: the output only. */
  readonly layerWeights?: readonly number[];
  /**
   * Run the network's forward and backward passes on this compute backend (src/backend, or
   * createGpuBackend of `unfolded/gpu`); the loss and the optimiser stay on the host. Default:
   * the Float64 layers.
   */
  readonly backend?: Backend;
}

/** Rows i of X (N, w) in the order of `rows`, a new (rows.length, w) tensor. */
function gatherRows(x: Float64Array, w: number, rows: Int32Array): Tensor {
  const out = new Float64Array(rows.length * w);
  for (let r = 0; r < rows.length; r++) out.set(x.subarray(rows[r] * w, rows[r] * w + w), r * w);
  return wrap(out, [rows.length, w]);
}

/** Row i of X (N, w) divided by scale[i], a new tensor. */
function divideRows(X: Tensor, scale: Float64Array): Tensor {
  const [N, w] = X.shape;
  const x = unsafeData(X);
  const out = new Float64Array(N * w);
  for (let i = 0; i < N; i++) for (let k = i * w; k < (i + 1) * w; k++) out[k] = x[k] / scale[i];
  return wrap(out, [N, w]);
}

/** g * s, a new tensor. */
function scaled(g: Tensor, s: number): Tensor {
  return wrap(
    unsafeData(g).map((v) => v * s),
    g.shape,
  );
}

/**
 * The objective of training `model` on signals Y (N, n), N >= 1: evaluate(params, rows, withGrad)
 * gives the mean loss over the rows (and its gradient by parameter name); project keeps the
 * scalar parameters >= 0 (projectParams).
 */
export function networkObjective(model: Model, Y: Tensor, options: NetworkObjectiveOptions = {}): Objective {
  const fn = 'networkObjective';
  const mdl = checkModel(fn, model);
  const Yt = checkSignals(fn, mdl, Y);
  const N = Yt.shape[0];
  if (N < 1) rangeError(fn, 'Y', 'a tensor with at least one row (signal)', Yt);
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const loss =
    options.loss === undefined
      ? 'unsupervised'
      : checkOneOf(fn, 'options.loss', options.loss, ['unsupervised', 'supervised'] as const);
  const [n, m] = mdl.A.shape;
  const T = mdl.spec.depth;
  let targets: Tensor | undefined;
  if (loss === 'supervised') {
    if (options.targets === undefined)
      typeError(
        fn,
        'options.targets',
        `a tensor of shape [${N}, ${m}] (the supervised loss needs targets)`,
        undefined,
      );
    targets = checkTensor(fn, 'options.targets', options.targets, { rank: 2, shape: [N, m] });
  } else if (options.targets !== undefined)
    rangeError(
      fn,
      'options.targets',
      "undefined for the unsupervised loss (targets need loss: 'supervised')",
      options.targets,
    );
  let weights: Float64Array | undefined;
  if (options.layerWeights !== undefined) {
    const requirement = `an array of ${T} numbers >= 0 (one per layer), not all 0`;
    if (!isArray(options.layerWeights))
      typeError(fn, 'options.layerWeights', requirement, options.layerWeights);
    if (options.layerWeights.length !== T)
      rangeError(fn, 'options.layerWeights', requirement, options.layerWeights);
    weights = Float64Array.from(options.layerWeights, (w, t) =>
      checkNumber(fn, `options.layerWeights[${t}]`, w, { min: 0 }),
    );
    if (weights.every((w) => w === 0))
      rangeError(fn, 'options.layerWeights', requirement, options.layerWeights);
  }

  const backend =
    options.backend === undefined ? undefined : checkBackend(fn, 'options.backend', options.backend);
  // Normalised once: the network sees y_i / c_i, and the targets scale the same way.
  const { Y: Yn, scale } = normalizeUnchecked(mdl, Yt);
  const y = unsafeData(Yn);
  const z =
    targets === undefined ? undefined : unsafeData(scale === null ? targets : divideRows(targets, scale));
  const lambda = mdl.spec.lambda;
  const shapes: readonly [number, number] = [n, m];

  const lossAt = (Z: Tensor, Ysub: Tensor, Zsub: Tensor | undefined): LossWithGrad =>
    Zsub === undefined ? unsupervisedLoss(mdl.A, Ysub, Z, lambda) : supervisedLoss(Z, Zsub);

  return {
    samples: N,
    evaluate(params: NamedTensors, rows: Int32Array, withGrad: boolean) {
      const where = `${fn}.evaluate`;
      checkNamedParams(where, 'params', mdl.spec, shapes, params);
      if (!(rows instanceof Int32Array)) typeError(where, 'rows', 'an Int32Array of row indices', rows);
      if (rows.length < 1) rangeError(where, 'rows', 'a non-empty list of row indices', rows);
      for (let r = 0; r < rows.length; r++)
        if (rows[r] < 0 || rows[r] >= N)
          rangeError(where, 'rows', `row indices in [0, ${N - 1}]`, new Got(`${rows[r]} at index ${r}`));
      if (typeof withGrad !== 'boolean') typeError(where, 'withGrad', 'a boolean', withGrad);

      const Ysub = gatherRows(y, n, rows);
      const Zsub = z === undefined ? undefined : gatherRows(z, m, rows);
      const net = networkUnchecked(mdl, params);
      const fwd = forwardNetwork(net, Ysub, { keepAll: weights !== undefined, backend });
      try {
        return lossAndGradient(net, fwd, Ysub, Zsub, withGrad, rows.length);
      } finally {
        releaseNetworkCaches(fwd.caches); // device memory of a backend pass (nothing on the CPU)
      }
    },
    project(params: NamedTensors): NamedTensors {
      return projectParams(mdl, params);
    },
  };

  function lossAndGradient(
    net: Network<unknown, unknown>,
    fwd: NetworkForward<unknown>,
    Ysub: Tensor,
    Zsub: Tensor | undefined,
    withGrad: boolean,
    count: number,
  ): { value: number; grad?: NamedTensors } {
    if (weights === undefined) {
      const { value, grad } = lossAt(fwd.output, Ysub, Zsub);
      if (!withGrad) return { value };
      const { gradParams } = backwardNetwork(net, fwd.caches, grad);
      return { value, grad: modelParamGrads(mdl, gradParams) };
    }
    const outputs = fwd.outputs as readonly Tensor[];
    let value = 0;
    const perLayer: (Tensor | null)[] = new Array<Tensor | null>(T).fill(null);
    for (let t = 0; t < T; t++) {
      if (weights[t] === 0) continue;
      const l = lossAt(outputs[t], Ysub, Zsub);
      value += weights[t] * l.value;
      if (withGrad) perLayer[t] = scaled(l.grad, weights[t]);
    }
    if (!withGrad) return { value };
    const last = perLayer[T - 1] ?? wrap(new Float64Array(count * m), [count, m]);
    perLayer[T - 1] = null;
    const { gradParams } = backwardNetwork(net, fwd.caches, last, perLayer);
    return { value, grad: modelParamGrads(mdl, gradParams) };
  }
}
