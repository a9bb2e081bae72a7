/**
 * Group (block) soft thresholding, the proximal operator of the l2,1 norm over given groups of
 * coordinates of each sample:
 *
 *     g(u; λ) = λ Σ_G w_G ||u_G||_2,    prox(x, λ, s)_G = max(1 - s λ w_G / ||x_G||, 0) x_G
 *
 * Groups are disjoint sets of coordinate indices along the last axis of x (a vector [m] or a
 * batch [N, m], one sample per row); coordinates in no group are not penalised and pass through
 * unchanged. λ is one number or one per sample (shape [N]); the group weights w_G are fixed when
 * the operator is made: 1 (default), sqrt(|G|) (option `weights: 'sqrtSize'`, so that groups of
 * different sizes are penalised alike), or any non-negative numbers, one per group.
 *
 * Where ||x_G|| = r > t = sλw_G, the Jacobian of the group's output is
 * (1 - t/r) I + t x_G x_Gᵀ / r³ (symmetric), and d u_G / dλ = -(s w_G / r) x_G; where r < t the
 * group's output is 0 and so are both derivatives. At r = t the output is 0 and the VJP uses the
 * zero branch, except at r = t = 0, where the prox is the identity near x_G = 0.
 *
 * The `*Into` kernels are unchecked, allocate nothing, and `out` may be `x` itself.
 *
 * @module
 */
import {
  checkNumber,
  checkTensor,
  Got,
  isArray,
  rangeError,
  typeError,
  describe,
} from '../validate/index.js';
import { Tensor, unsafeData, wrap } from '../tensor/tensor.js';
import { checkHyper, type HyperLayout } from './hyper.js';
import type { Hyper, ProxOperator, ProxVjp } from './types.js';

const NAME = 'groupSoftThreshold';

/** The weight w_G of each group in g(u) = λ Σ_G w_G ||u_G||. */
export type GroupWeights = 'unit' | 'sqrtSize' | readonly number[];

/** Options of {@link groupSoftThreshold}. */
export interface GroupSoftThresholdOptions {
  /** 'unit' (w_G = 1, the default), 'sqrtSize' (w_G = sqrt(|G|)) or one weight >= 0 per group. */
  weights?: GroupWeights;
}

/** Checked groups in the flat form the kernels read. */
export interface GroupIndex {
  /** Number of groups. */
  readonly count: number;
  /** All groups' coordinates, concatenated: group g is `indices[offsets[g] .. offsets[g + 1])`. */
  readonly indices: Int32Array;
  /** Start of each group in `indices`, plus the end (length count + 1). */
  readonly offsets: Int32Array;
  /** The weight w_G of each group. */
  readonly weights: Float64Array;
  /** Largest index + 1 (0 without groups): the last axis of x must be at least this long. */
  readonly minSize: number;
}

/** Group soft thresholding over fixed groups. */
export interface GroupSoftThreshold extends Required<ProxOperator> {
  /** The checked groups and weights, for the `*Into` kernels. */
  readonly groupIndex: GroupIndex;
}

const GROUPS_REQUIREMENT =
  'an array of non-empty arrays of integer indices >= 0, each index in at most one group';

/** Checks the groups (disjoint, non-empty, integer indices >= 0) and flattens them. */
function compileGroups(groups: unknown, weights: unknown): GroupIndex {
  if (!isArray(groups)) typeError(NAME, 'groups', GROUPS_REQUIREMENT, groups);
  const list = groups as readonly unknown[];
  const owner = new Map<number, number>();
  const offsets = new Int32Array(list.length + 1);
  const flat: number[] = [];
  for (let g = 0; g < list.length; g++) {
    const group = list[g];
    if (!isArray(group))
      typeError(NAME, 'groups', GROUPS_REQUIREMENT, new Got(`${describe(group)} at position ${g}`));
    const members = group as readonly unknown[];
    if (members.length === 0)
      rangeError(NAME, 'groups', GROUPS_REQUIREMENT, new Got(`an empty group at position ${g}`));
    for (let j = 0; j < members.length; j++) {
      const index = members[j];
      const where = `at groups[${g}][${j}]`;
      if (typeof index !== 'number')
        typeError(NAME, 'groups', GROUPS_REQUIREMENT, new Got(`${describe(index)} ${where}`));
      if (!Number.isInteger(index) || index < 0 || index > 0x7fffffff)
        rangeError(NAME, 'groups', GROUPS_REQUIREMENT, new Got(`${describe(index)} ${where}`));
      const previous = owner.get(index);
      if (previous !== undefined)
        rangeError(
          NAME,
          'groups',
          GROUPS_REQUIREMENT,
          new Got(
            previous === g
              ? `index ${index} twice in group ${g}`
              : `index ${index} in groups ${previous} and ${g}`,
          ),
        );
      owner.set(index, g);
      flat.push(index);
    }
    offsets[g + 1] = flat.length;
  }
  let minSize = 0;
  for (const index of flat) minSize = Math.max(minSize, index + 1);
  return {
    count: list.length,
    indices: Int32Array.from(flat),
    offsets,
    weights: groupWeights(weights, offsets),
    minSize,
  };
}

/** The weight of each group from the `weights` option. */
function groupWeights(weights: unknown, offsets: Int32Array): Float64Array {
  const count = offsets.length - 1;
  const requirement = `'unit', 'sqrtSize' or an array of ${count} finite numbers >= 0 (one per group)`;
  const out = new Float64Array(count);
  if (weights === 'unit') return out.fill(1);
  if (weights === 'sqrtSize') {
    for (let g = 0; g < count; g++) out[g] = Math.sqrt(offsets[g + 1] - offsets[g]);
    return out;
  }
  if (!isArray(weights)) {
    if (typeof weights === 'string') rangeError(NAME, 'weights', requirement, weights);
    typeError(NAME, 'weights', requirement, weights);
  }
  const list = weights as readonly unknown[];
  if (list.length !== count)
    rangeError(NAME, 'weights', requirement, new Got(`an array of length ${list.length}`));
  for (let g = 0; g < count; g++) {
    const w = list[g];
    if (typeof w !== 'number')
      typeError(NAME, 'weights', requirement, new Got(`${describe(w)} at position ${g}`));
    if (!Number.isFinite(w) || w < 0)
      rangeError(NAME, 'weights', requirement, new Got(`${describe(w)} at position ${g}`));
    out[g] = w;
  }
  return out;
}

/** ||x_G|| for the group's coordinates in the sample at `base`, without spurious overflow or underflow. */
function groupNorm(x: Float64Array, base: number, indices: Int32Array, from: number, to: number): number {
  let sum = 0;
  for (let j = from; j < to; j++) {
    const v = x[base + indices[j]];
    sum += v * v;
  }
  if (sum > 1e-280 && sum < Infinity) return Math.sqrt(sum);
  // Rare: squares overflowed or may have underflowed; rescale by the largest magnitude.
  let amax = 0;
  for (let j = from; j < to; j++) amax = Math.max(amax, Math.abs(x[base + indices[j]]));
  if (amax === 0 || !(amax < Infinity)) return amax;
  sum = 0;
  for (let j = from; j < to; j++) {
    const v = x[base + indices[j]] / amax;
    sum += v * v;
  }
  return amax * Math.sqrt(sum);
}

/**
 * Group soft thresholding of x (length N m, N samples of m coordinates, m >= groups.minSize).
 * `thresholds` holds λ: one value (length 1) for all samples, or one per sample (length N).
 * Ungrouped coordinates are copied. Unchecked; allocates nothing.
 */
export function groupSoftThresholdInto(
  x: Float64Array,
  m: number,
  groups: GroupIndex,
  thresholds: Float64Array,
  scaling: number,
  out: Float64Array,
): void {
  const { count, indices, offsets, weights } = groups;
  const rows = m > 0 ? x.length / m : 0;
  if (out !== x) for (let k = 0; k < x.length; k++) out[k] = x[k];
  for (let i = 0; i < rows; i++) {
    const base = i * m;
    const sl = scaling * thresholds[thresholds.length === 1 ? 0 : i];
    for (let g = 0; g < count; g++) {
      const from = offsets[g];
      const to = offsets[g + 1];
      const r = groupNorm(x, base, indices, from, to);
      const t = sl * weights[g];
      const factor = r > t ? 1 - t / r : 0;
      for (let j = from; j < to; j++) out[base + indices[j]] = factor * x[base + indices[j]];
    }
  }
}

/**
 * VJP of {@link groupSoftThresholdInto}: writes gradInput (length N m) and gradThresholds
 * (overwritten, same length as `thresholds`; one value sums over all samples). Per group with
 * r = ||x_G|| > t = sλw_G: gradInput_G = (1 - t/r) g_G + t (x_G·g_G) x_G / r³ and λ's gradient
 * gains -s w_G (x_G·g_G) / r. Unchecked; allocates nothing.
 */
export function groupSoftThresholdVjpInto(
  x: Float64Array,
  m: number,
  groups: GroupIndex,
  thresholds: Float64Array,
  scaling: number,
  gradOutput: Float64Array,
  gradInput: Float64Array,
  gradThresholds: Float64Array,
): void {
  const { count, indices, offsets, weights } = groups;
  const rows = m > 0 ? x.length / m : 0;
  gradThresholds.fill(0);
  for (let k = 0; k < x.length; k++) gradInput[k] = gradOutput[k];
  for (let i = 0; i < rows; i++) {
    const base = i * m;
    const slot = thresholds.length === 1 ? 0 : i;
    const sl = scaling * thresholds[slot];
    let acc = 0;
    for (let g = 0; g < count; g++) {
      const from = offsets[g];
      const to = offsets[g + 1];
      const r = groupNorm(x, base, indices, from, to);
      const t = sl * weights[g];
      if (r > t) {
        // In terms of the unit direction x̂ = x_G / r, which stays bounded for tiny or huge r:
        // J g = (1 - t/r) g + (t/r) (x̂·g) x̂ and d/dλ = -s w (x̂·g).
        let projection = 0;
        for (let j = from; j < to; j++)
          projection += (x[base + indices[j]] / r) * gradOutput[base + indices[j]];
        const c = 1 - t / r;
        const q = (t / r) * projection;
        for (let j = from; j < to; j++) {
          const k = base + indices[j];
          gradInput[k] = c * gradOutput[k] + q * (x[k] / r);
        }
        acc -= weights[g] * projection;
      } else if (t > 0) {
        for (let j = from; j < to; j++) gradInput[base + indices[j]] = 0;
      } // else t = 0 = r: the prox is the identity here, and gradInput already holds gradOutput
    }
    gradThresholds[slot] += scaling * acc;
  }
}

/** x of rank 1 or 2 whose last axis holds every group index. */
function checkInput(x: unknown, groups: GroupIndex): Tensor {
  const tensor = checkTensor(NAME, 'x', x, { rank: [1, 2] });
  const m = tensor.shape[tensor.rank - 1];
  if (m < groups.minSize)
    rangeError(
      NAME,
      'x',
      `a tensor of rank 1 or 2 whose last axis has size >= ${groups.minSize} (the groups index coordinates up to ${groups.minSize - 1})`,
      tensor,
    );
  return tensor;
}

/** λ: one finite number >= 0, or for a batch one per sample; never per entry. */
function checkLambda(lambda: unknown, x: Tensor): HyperLayout {
  const perSample =
    lambda instanceof Tensor && x.rank === 2 && lambda.rank === 1 && lambda.shape[0] === x.shape[0];
  if (typeof lambda !== 'number' && !perSample) {
    const requirement = `a finite number >= 0${x.rank === 2 ? ` or a tensor of shape [${x.shape[0]}] (one per sample)` : ''}`;
    if (lambda instanceof Tensor) rangeError(NAME, 'lambda', requirement, lambda);
    typeError(NAME, 'lambda', requirement, lambda);
  }
  return checkHyper(NAME, 'lambda', lambda, x, { min: 0 });
}

/**
 * Group soft thresholding over `groups` (disjoint, non-empty arrays of coordinate indices along
 * the last axis; uncovered coordinates pass through). The hyper λ >= 0 is one number or one per
 * sample; options.weights sets the group weights w_G. Convex.
 */
export function groupSoftThreshold(
  groups: readonly (readonly number[])[],
  options: GroupSoftThresholdOptions = {},
): GroupSoftThreshold {
  if (options === null || typeof options !== 'object')
    typeError(NAME, 'options', 'an object such as { weights: "sqrtSize" }', options);
  // Only a missing option means the default; null is a wrong kind like any other.
  const index = compileGroups(groups, options.weights === undefined ? 'unit' : options.weights);

  return {
    name: NAME,
    convex: true,
    groupIndex: index,

    prox(x: Tensor, lambda: Hyper, scaling = 1): Tensor {
      checkInput(x, index);
      const layout = checkLambda(lambda, x);
      checkNumber(NAME, 'scaling', scaling, { min: 0 });
      const out = new Float64Array(x.size);
      groupSoftThresholdInto(unsafeData(x), x.shape[x.rank - 1], index, layout.values, scaling, out);
      return wrap(out, x.shape);
    },

    value(x: Tensor, lambda: Hyper): number {
      checkInput(x, index);
      const { values } = checkLambda(lambda, x);
      const data = unsafeData(x);
      const m = x.shape[x.rank - 1];
      const rows = m > 0 ? x.size / m : 0;
      let total = 0;
      for (let i = 0; i < rows; i++) {
        let sample = 0;
        for (let g = 0; g < index.count; g++)
          sample +=
            index.weights[g] * groupNorm(data, i * m, index.indices, index.offsets[g], index.offsets[g + 1]);
        total += values[values.length === 1 ? 0 : i] * sample;
      }
      return total;
    },

    vjp(x: Tensor, lambda: Hyper, scaling: number, gradOutput: Tensor): ProxVjp {
      checkInput(x, index);
      const layout = checkLambda(lambda, x);
      checkNumber(NAME, 'scaling', scaling, { min: 0 });
      checkTensor(NAME, 'gradOutput', gradOutput, { shape: x.shape });
      const gradInput = new Float64Array(x.size);
      const gradLambda = new Float64Array(layout.values.length);
      groupSoftThresholdVjpInto(
        unsafeData(x),
        x.shape[x.rank - 1],
        index,
        layout.values,
        scaling,
        unsafeData(gradOutput),
        gradInput,
        gradLambda,
      );
      return {
        gradInput: wrap(gradInput, x.shape),
        gradHyper: typeof lambda === 'number' ? gradLambda[0] : wrap(gradLambda, lambda.shape),
      };
    },
  };
}
