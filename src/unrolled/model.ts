/**
 * Trainable unrolled models (model-types.ts): creation at ISTA initialisation, the named parameter
 * tensors, the network they define, gradients by name, and the operations of training (project,
 * truncate, extend) and of inference (normalise, apply).
 *
 * **Parameter names.** Per-layer parameters are `layers.<t>.<field>` (t = 0 .. T-1), tied ones
 * `shared.<field>`. Fields per kind, with their shapes for A (n, m):
 *
 *     lista     W1 [m, n], W2 [m, m], theta []
 *     lista-cp  W [n, m], theta []
 *     alista    gamma [], theta []        (W analytic from A: not learned, not stored)
 *     slista    alpha []
 *
 * Scalars are tensors of shape [1] (the library's tensors have rank >= 1; a LISTA threshold per
 * code coordinate would be shape [m]).
 *
 * **Initial values** make each layer one ISTA step with step 1/L (L defaults to the upper bound of
 * ||A||₂² that the solvers use): LISTA W1 = Aᵀ/L, W2 = I - AᵀA/L, theta = λ/L; LISTA-CP W = A/L,
 * theta = λ/L; SLISTA alpha = 1/L. ALISTA's W has diag(WᵀA) = 1 where ISTA's (1/L)AᵀA has
 * diagonal ||a_j||²/L, so ALISTA starts at gamma = mean_j ||a_j||² / L and theta = λ gamma: with
 * unit-norm columns (the usual setting) the per-coordinate step and the threshold of its first
 * layer are exactly ISTA's.
 *
 * **λ.** The network's λ is the model's `lambda` in both modes: in `ratio` mode the signals are
 * scaled to λMax = 1 first ({@link normalizeSignals}), so λ = R there (see model-types.ts).
 *
 * Layers are built once per (operator, kind, λ, support selection) and cached: ALISTA's W costs a
 * Cholesky factorisation, and models that differ only in their parameters (withParams,
 * truncateModel, extendModel) share their operator tensor.
 *
 * @module
 */
import { lambdaMax } from '../problems/lasso.js';
import { lipschitzConstant } from '../problems/lipschitz.js';
import { Tensor, unsafeData, wrap, type Shape } from '../tensor/tensor.js';
import {
  checkBoolean,
  checkInteger,
  checkNumber,
  checkOneOf,
  checkTensor,
  Got,
  isArray,
  rangeError,
  typeError,
} from '../validate/index.js';
import { alistaLayer, alistaWeight } from './alista.js';
import { listaCpInitFromIsta, listaCpLayer } from './lista-cp.js';
import { listaInitFromIsta, listaLayer } from './lista.js';
import {
  MODEL_KINDS,
  type LambdaMode,
  type Model,
  type ModelKind,
  type ModelSpec,
  type NamedTensors,
} from './model-types.js';
import { forwardNetwork, network, type Network } from './network.js';
import { slistaLayer } from './slista.js';
import type { Layer } from './types.js';
import { checkBackend } from '../backend/check.js';
import type { Backend } from '../backend/types.js';
import { inferOnBackend } from './backend-network.js';

/** Options of {@link createModel}. */
export interface ModelOptions {
  /** Depth T >= 1. */
  readonly depth: number;
  /** λ >= 0 (`fixed`), or the ratio R of each signal's λMax (`ratio`; R in [0, 1] is typical). */
  readonly lambda: number;
  /** Default 'fixed'. */
  readonly lambdaMode?: LambdaMode;
  /** true: every field tied across layers; or the names of the tied fields (default none). */
  readonly shared?: boolean | readonly string[];
  /** LISTA-CP's support selection p in [0, 100] (other kinds: 0 only). */
  readonly supportSelection?: number;
  /**
   * Initial values of scalar fields (theta, alpha, gamma) instead of the ISTA ones: one number for
   * every layer, or a list of length T (not for a shared field); finite and >= 0.
   */
  readonly init?: Readonly<Record<string, number | readonly number[]>>;
  /** The Lipschitz constant of the initial step 1/L (default: the upper bound of ||A||₂²). */
  readonly L?: number;
}

/** The parameter fields of each kind, in a stable order. */
export const MODEL_FIELDS: Readonly<Record<ModelKind, readonly string[]>> = Object.freeze({
  lista: ['W1', 'W2', 'theta'],
  'lista-cp': ['W', 'theta'],
  alista: ['gamma', 'theta'],
  slista: ['alpha'],
});

/** Fields that are one number per layer (shape [1]), kept >= 0 by {@link projectParams}. */
const SCALAR_FIELDS: ReadonlySet<string> = new Set(['theta', 'alpha', 'gamma']);

const LAMBDA_MODES: readonly LambdaMode[] = ['fixed', 'ratio'];

/** Models made by this module (createModel, withParams, ...): their spec and params are consistent. */
const MODELS = new WeakSet<object>();

/** @internal 'a lista' / 'an alista', for messages. */
export function aKind(kind: string): string {
  return `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

/** The name of a parameter: `shared.<field>` when tied, else `layers.<t>.<field>`. */
export function parameterName(spec: ModelSpec, t: number, field: string): string {
  return spec.shared.includes(field) ? `shared.${field}` : `layers.${t}.${field}`;
}

/** Whether a parameter name is that of a scalar field (theta, alpha, gamma): shape [1], >= 0. */
export function isScalarParameter(name: string): boolean {
  return SCALAR_FIELDS.has(name.slice(name.lastIndexOf('.') + 1));
}

/** The shape of a field for an operator of shape [n, m]. */
function fieldShape(field: string, n: number, m: number): Shape {
  switch (field) {
    case 'W1':
      return [m, n];
    case 'W2':
      return [m, m];
    case 'W':
      return [n, m];
    default:
      return [1];
  }
}

/**
 * The names and shapes of a model's parameters for an operator of shape [n, m], shared ones
 * first, then layer by layer in field order.
 */
export function parameterShapes(
  spec: ModelSpec,
  operatorShape: readonly [number, number],
): Map<string, Shape> {
  const [n, m] = operatorShape;
  const out = new Map<string, Shape>();
  const fields = MODEL_FIELDS[spec.kind];
  for (const f of fields) if (spec.shared.includes(f)) out.set(`shared.${f}`, fieldShape(f, n, m));
  for (let t = 0; t < spec.depth; t++)
    for (const f of fields) if (!spec.shared.includes(f)) out.set(`layers.${t}.${f}`, fieldShape(f, n, m));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Checks

/** @internal A model made by this module, or the template TypeError. */
export function checkModel(fn: string, model: unknown, name = 'model'): Model {
  if (model === null || typeof model !== 'object' || !MODELS.has(model))
    typeError(fn, name, 'a model (from createModel, loadModel or withParams)', model);
  return model as Model;
}

/** @internal Freezes and registers a model whose params have been checked against its spec. */
export function makeModel(spec: ModelSpec, A: Tensor, params: NamedTensors): Model {
  const model: Model = Object.freeze({
    spec: Object.freeze({ ...spec, shared: Object.freeze(spec.shared.slice()) }),
    A,
    params: Object.freeze({ ...params }),
  });
  MODELS.add(model);
  return model;
}

/**
 * @internal Checks named tensors against a spec: exactly the expected names, shapes, finite
 * entries, scalars >= 0. Returns them (the same object).
 */
export function checkNamedParams(
  fn: string,
  name: string,
  spec: ModelSpec,
  operatorShape: readonly [number, number],
  params: unknown,
): NamedTensors {
  const expected = parameterShapes(spec, operatorShape);
  const names = [...expected.keys()];
  const requirement = `named tensors with exactly the model's parameters (${listNames(names)})`;
  if (params === null || typeof params !== 'object' || isArray(params) || params instanceof Tensor)
    typeError(fn, name, requirement, params);
  const record = params as Record<string, unknown>;
  for (const key of Object.keys(record))
    if (!expected.has(key))
      rangeError(fn, name, requirement, new Got(`an object with the unknown name '${key}'`));
  for (const [key, shape] of expected) {
    if (!(key in record)) rangeError(fn, name, requirement, new Got(`an object without '${key}'`));
    const t = checkTensor(fn, `${name}['${key}']`, record[key], { shape });
    if (isScalarParameter(key) && t.data[0] < 0)
      rangeError(fn, `${name}['${key}']`, 'a scalar >= 0', t.data[0]);
  }
  return record as NamedTensors;
}

/** A list of names for a message, cut short. */
function listNames(names: readonly string[]): string {
  return names.length <= 6 ? names.join(', ') : `${names.slice(0, 5).join(', ')}, ... ${names.length} in all`;
}

/** @internal Checks a spec's fields against each other (for createModel and model files). */
export function checkSpecFields(
  fn: string,
  kind: unknown,
  depth: unknown,
  lambda: unknown,
  lambdaMode: unknown,
  shared: unknown,
  supportSelection: unknown,
): ModelSpec {
  const k = checkOneOf(fn, 'kind', kind, MODEL_KINDS);
  const T = checkInteger(fn, 'depth', depth, { min: 1 });
  const lam = checkNumber(fn, 'lambda', lambda, { min: 0 });
  const mode = lambdaMode === undefined ? 'fixed' : checkOneOf(fn, 'lambdaMode', lambdaMode, LAMBDA_MODES);
  const fields = MODEL_FIELDS[k];
  let tied: string[];
  if (shared === undefined || shared === false) tied = [];
  else if (shared === true) tied = fields.slice();
  else {
    const requirement = `true, false or a list of field names of ${aKind(k)} model (${fields.join(', ')})`;
    if (!isArray(shared)) typeError(fn, 'shared', requirement, shared);
    for (const f of shared as unknown[]) {
      if (typeof f !== 'string') typeError(fn, 'shared', requirement, shared);
      if (!fields.includes(f)) rangeError(fn, 'shared', requirement, new Got(`the unknown field '${f}'`));
    }
    tied = fields.filter((f) => (shared as string[]).includes(f));
  }
  let p = 0;
  if (supportSelection !== undefined) {
    p = checkNumber(fn, 'supportSelection', supportSelection, { min: 0, max: 100 });
    if (p > 0 && k !== 'lista-cp')
      rangeError(
        fn,
        'supportSelection',
        `0 for ${aKind(k)} model (support selection is a LISTA-CP option)`,
        p,
      );
  }
  return { kind: k, depth: T, lambda: lam, lambdaMode: mode, shared: tied, supportSelection: p };
}

// ---------------------------------------------------------------------------------------------
// Layers (cached per operator)

/** ALISTA's analytic weight per operator tensor. */
const ALISTA_W = new WeakMap<Tensor, Tensor>();
/** Layers per operator tensor, then per `kind|lambda|supportSelection`. */
const LAYERS = new WeakMap<Tensor, Map<string, Layer<unknown, unknown>>>();

/** @internal ALISTA's W for A, computed once per operator tensor. */
export function alistaWeightOf(A: Tensor): Tensor {
  let W = ALISTA_W.get(A);
  if (W === undefined) {
    W = alistaWeight(A).W;
    ALISTA_W.set(A, W);
  }
  return W;
}

function layerOf(spec: ModelSpec, A: Tensor): Layer<unknown, unknown> {
  let byKey = LAYERS.get(A);
  if (byKey === undefined) {
    byKey = new Map();
    LAYERS.set(A, byKey);
  }
  const key = `${spec.kind}|${spec.lambda}|${spec.supportSelection}`;
  let layer = byKey.get(key);
  if (layer === undefined) {
    layer = buildLayer(spec, A);
    byKey.set(key, layer);
  }
  return layer;
}

function buildLayer(spec: ModelSpec, A: Tensor): Layer<unknown, unknown> {
  switch (spec.kind) {
    case 'lista':
      return listaLayer;
    case 'lista-cp':
      return listaCpLayer(A, { supportSelection: spec.supportSelection });
    case 'alista':
      return alistaLayer(A, alistaWeightOf(A));
    case 'slista':
      return slistaLayer(A, spec.lambda);
  }
}

/** The layer parameter objects (one per layer) of named tensors; scalars become numbers. */
function layerParams(spec: ModelSpec, params: NamedTensors): Record<string, number | Tensor>[] {
  const fields = MODEL_FIELDS[spec.kind];
  const out: Record<string, number | Tensor>[] = [];
  for (let t = 0; t < spec.depth; t++) {
    const p: Record<string, number | Tensor> = {};
    for (const f of fields) {
      const v = params[parameterName(spec, t, f)];
      p[f] = SCALAR_FIELDS.has(f) ? v.data[0] : v;
    }
    out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Creation

/** The Lipschitz constant for the initial step: given, or the upper bound of ||A||₂². */
function initialLipschitz(fn: string, A: Tensor, L: unknown): number {
  if (L !== undefined) return checkNumber(fn, 'L', L, { min: 0, exclusiveMin: true });
  const value = lipschitzConstant(A, { upperBound: true }).value;
  if (!(value > 0)) rangeError(fn, 'A', 'a non-zero matrix', A);
  return value;
}

/** The ISTA-like initial value of every field (one layer's worth), for network λ `lambda`. */
function istaInit(kind: ModelKind, A: Tensor, lambda: number, L: number): Record<string, Tensor> {
  const scalar = (v: number): Tensor => wrap(Float64Array.of(v), [1]);
  switch (kind) {
    case 'lista': {
      const p = listaInitFromIsta(A, lambda, L);
      return { W1: p.W1, W2: p.W2, theta: scalar(p.theta as number) };
    }
    case 'lista-cp': {
      const p = listaCpInitFromIsta(A, lambda, L);
      return { W: p.W, theta: scalar(p.theta as number) };
    }
    case 'alista': {
      const [n, m] = A.shape;
      const a = unsafeData(A);
      let sq = 0;
      for (let k = 0; k < n * m; k++) sq += a[k] * a[k];
      const gamma = sq / m / L;
      return { gamma: scalar(gamma), theta: scalar(lambda * gamma) };
    }
    case 'slista':
      return { alpha: scalar(1 / L) };
  }
}

/** Checks `init` and returns, per overridden field, one value per layer. */
function checkInit(fn: string, spec: ModelSpec, init: unknown): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (init === undefined) return out;
  if (init === null || typeof init !== 'object' || isArray(init))
    typeError(fn, 'init', 'an object of initial values such as { theta: 0.1 }', init);
  const scalars = MODEL_FIELDS[spec.kind].filter((f) => SCALAR_FIELDS.has(f));
  for (const [field, value] of Object.entries(init as Record<string, unknown>)) {
    const name = `init.${field}`;
    if (!scalars.includes(field))
      rangeError(
        fn,
        'init',
        `an object of initial values of ${scalars.join(', ')} (the scalar fields of ${aKind(spec.kind)} model)`,
        new Got(`the field '${field}'`),
      );
    if (typeof value === 'number') {
      out.set(field, new Array<number>(spec.depth).fill(checkNumber(fn, name, value, { min: 0 })));
      continue;
    }
    const requirement = `a finite number >= 0 or a list of ${spec.depth} of them (one per layer)`;
    if (!isArray(value)) typeError(fn, name, requirement, value);
    const list = value as unknown[];
    if (spec.shared.includes(field))
      rangeError(fn, name, 'a finite number >= 0 (the field is shared across layers)', value);
    if (list.length !== spec.depth) rangeError(fn, name, requirement, value);
    out.set(
      field,
      list.map((v, t) => checkNumber(fn, `${name}[${t}]`, v, { min: 0 })),
    );
  }
  return out;
}

/**
 * A model of the given kind over the operator A (n, m), at ISTA initialisation (see the module
 * notes), with the options' depth, λ (or ratio), sharing, support selection and initial values.
 * ALISTA needs A of full row rank (its analytic weight is computed here, once per operator).
 */
export function createModel(kind: ModelKind, A: Tensor, options: ModelOptions): Model {
  const fn = 'createModel';
  checkOneOf(fn, 'kind', kind, MODEL_KINDS);
  const At = checkTensor(fn, 'A', A, { rank: 2 });
  if (At.size === 0) rangeError(fn, 'A', 'a non-empty matrix', At);
  if (options === null || typeof options !== 'object')
    typeError(fn, 'options', 'an object such as { depth: 10, lambda: 0.1 }', options);
  const spec = checkSpecFields(
    fn,
    kind,
    options.depth,
    options.lambda,
    options.lambdaMode,
    options.shared,
    options.supportSelection,
  );
  const init = checkInit(fn, spec, options.init);
  const L = initialLipschitz(fn, At, options.L);
  if (spec.kind === 'alista') alistaWeightOf(At);
  const base = istaInit(spec.kind, At, spec.lambda, L);
  const params: Record<string, Tensor> = {};
  for (let t = 0; t < spec.depth; t++) {
    for (const f of MODEL_FIELDS[spec.kind]) {
      const over = init.get(f);
      params[parameterName(spec, t, f)] = over === undefined ? base[f] : wrap(Float64Array.of(over[t]), [1]);
    }
  }
  return makeModel(spec, At, params);
}

// ---------------------------------------------------------------------------------------------
// Networks and gradients

/**
 * The network of a model, with its parameters or with `params` (named tensors of the same names
 * and shapes). The layer objects are cached, so building a network per call is cheap.
 */
export function modelNetwork(model: Model, params?: NamedTensors): Network<unknown, unknown> {
  const fn = 'modelNetwork';
  const mdl = checkModel(fn, model);
  const p =
    params === undefined ? mdl.params : checkNamedParams(fn, 'params', mdl.spec, shapeOf(mdl.A), params);
  return network(layerOf(mdl.spec, mdl.A), layerParams(mdl.spec, p), mdl.A.shape[1]);
}

/** @internal The network without checks (params known to fit the model). */
export function networkUnchecked(model: Model, params: NamedTensors): Network<unknown, unknown> {
  return network(layerOf(model.spec, model.A), layerParams(model.spec, params), model.A.shape[1]);
}

function shapeOf(A: Tensor): [number, number] {
  return [A.shape[0], A.shape[1]];
}

/**
 * The gradients of backwardNetwork (one parameter object per layer) as named tensors: per-layer
 * fields by layer, tied fields summed over the layers (the chain rule for shared weights).
 */
export function modelParamGrads(model: Model, gradParams: readonly unknown[]): NamedTensors {
  const fn = 'modelParamGrads';
  const mdl = checkModel(fn, model);
  const { spec } = mdl;
  const T = spec.depth;
  const requirement = `an array of ${T} layer gradients (from backwardNetwork)`;
  if (!isArray(gradParams)) typeError(fn, 'gradParams', requirement, gradParams);
  if (gradParams.length !== T) rangeError(fn, 'gradParams', requirement, gradParams);
  const shapes = parameterShapes(spec, shapeOf(mdl.A));
  const sums = new Map<string, Float64Array>();
  for (const [name, shape] of shapes) sums.set(name, new Float64Array(shape.reduce((a, b) => a * b, 1)));
  for (let t = 0; t < T; t++) {
    const g = gradParams[t] as Record<string, unknown> | null;
    if (g === null || typeof g !== 'object') typeError(fn, `gradParams[${t}]`, 'a layer gradient object', g);
    for (const f of MODEL_FIELDS[spec.kind]) {
      const name = parameterName(spec, t, f);
      const sum = sums.get(name) as Float64Array;
      const v = g[f];
      const where = `gradParams[${t}].${f}`;
      if (SCALAR_FIELDS.has(f)) {
        if (typeof v !== 'number') typeError(fn, where, 'a number', v);
        sum[0] += v;
      } else {
        const d = unsafeData(checkTensor(fn, where, v, { shape: shapes.get(name), finite: false }));
        for (let k = 0; k < sum.length; k++) sum[k] += d[k];
      }
    }
  }
  const out: Record<string, Tensor> = {};
  for (const [name, shape] of shapes) out[name] = wrap(sums.get(name) as Float64Array, shape);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parameters

/** The model with other parameter values: the same names and shapes, finite, scalars >= 0. */
export function withParams(model: Model, params: NamedTensors): Model {
  const fn = 'withParams';
  const mdl = checkModel(fn, model);
  checkNamedParams(fn, 'params', mdl.spec, shapeOf(mdl.A), params);
  return makeModel(mdl.spec, mdl.A, params);
}

/**
 * Maps parameters onto their feasible set: every scalar field (theta, alpha, gamma) >= 0. Returns
 * `params` itself when nothing changed. Only the scalar fields are looked at.
 */
export function projectParams(model: Model, params: NamedTensors): NamedTensors {
  const fn = 'projectParams';
  const mdl = checkModel(fn, model);
  if (params === null || typeof params !== 'object') typeError(fn, 'params', 'named tensors', params);
  let out: Record<string, Tensor> | undefined;
  for (const [name, shape] of parameterShapes(mdl.spec, shapeOf(mdl.A))) {
    if (!isScalarParameter(name)) continue;
    const t = checkTensor(fn, `params['${name}']`, params[name], { shape, finite: false });
    if (t.data[0] < 0) {
      out ??= { ...params };
      out[name] = wrap(new Float64Array(1), [1]);
    }
  }
  return out ?? params;
}

/** The model of the first `depth` layers (1 <= depth <= T); tied parameters are kept. */
export function truncateModel(model: Model, depth: number): Model {
  const fn = 'truncateModel';
  const mdl = checkModel(fn, model);
  const T = checkInteger(fn, 'depth', depth, { min: 1, max: mdl.spec.depth });
  const spec: ModelSpec = { ...mdl.spec, depth: T };
  const params: Record<string, Tensor> = {};
  for (const name of parameterShapes(spec, shapeOf(mdl.A)).keys()) params[name] = mdl.params[name];
  return makeModel(spec, mdl.A, params);
}

/**
 * A deeper model (depth >= T): the first T layers keep their values, the new layers' per-layer
 * fields start at the ISTA initialisation (step 1/L, L as in createModel); tied fields stay
 * tied, at their current value. For layer-wise training.
 */
export function extendModel(model: Model, depth: number, options: { readonly L?: number } = {}): Model {
  const fn = 'extendModel';
  const mdl = checkModel(fn, model);
  const T = checkInteger(fn, 'depth', depth, { min: mdl.spec.depth });
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  if (T === mdl.spec.depth) return mdl;
  const spec: ModelSpec = { ...mdl.spec, depth: T };
  const base = istaInit(spec.kind, mdl.A, spec.lambda, initialLipschitz(fn, mdl.A, options.L));
  const params: Record<string, Tensor> = { ...mdl.params };
  for (let t = mdl.spec.depth; t < T; t++)
    for (const f of MODEL_FIELDS[spec.kind])
      if (!spec.shared.includes(f)) params[`layers.${t}.${f}`] = base[f];
  return makeModel(spec, mdl.A, params);
}

// ---------------------------------------------------------------------------------------------
// Signals

/** @internal Checks signals Y (N, n) for a model. */
export function checkSignals(fn: string, model: Model, Y: unknown, name = 'Y'): Tensor {
  return checkTensor(fn, name, Y, { rank: 2, shape: [-1, model.A.shape[0]] });
}

/** @internal The normalisation of checked signals (see normalizeSignals). */
export function normalizeUnchecked(model: Model, Y: Tensor): { Y: Tensor; scale: Float64Array | null } {
  if (model.spec.lambdaMode === 'fixed') return { Y, scale: null };
  const [N, n] = Y.shape;
  const lm = unsafeData(lambdaMax(model.A, Y));
  const scale = new Float64Array(N);
  const y = unsafeData(Y);
  const out = new Float64Array(N * n);
  for (let i = 0; i < N; i++) {
    const c = lm[i] > 0 ? lm[i] : 1;
    scale[i] = c;
    for (let k = i * n; k < (i + 1) * n; k++) out[k] = y[k] / c;
  }
  return { Y: wrap(out, [N, n]), scale };
}

/**
 * The signals as the network sees them. `ratio` mode: row i divided by c_i = λMax(y_i) (rows with
 * λMax = 0 are left as they are, c_i = 1), with the scales c; `fixed` mode: Y itself and null.
 */
export function normalizeSignals(model: Model, Y: Tensor): { Y: Tensor; scale: Float64Array | null } {
  const fn = 'normalizeSignals';
  const mdl = checkModel(fn, model);
  return normalizeUnchecked(mdl, checkSignals(fn, mdl, Y));
}

/** Row i of Z (N, m) times scale[i], a new tensor. */
function scaleRows(Z: Tensor, scale: Float64Array): Tensor {
  const [N, m] = Z.shape;
  const z = unsafeData(Z);
  const out = new Float64Array(N * m);
  for (let i = 0; i < N; i++) for (let k = i * m; k < (i + 1) * m; k++) out[k] = z[k] * scale[i];
  return wrap(out, [N, m]);
}

/**
 * The model's codes for signals Y (N, n): the output z_T (N, m) and, with `keepAll`, every layer's
 * output z_1 .. z_T. In `ratio` mode the signals are normalised and the codes scaled back, so the
 * codes are those of the original signals. With `backend` (src/backend, or createGpuBackend of
 * `unfolded/gpu`) the network runs there, reading back only the outputs.
 */
export function applyModel(
  model: Model,
  Y: Tensor,
  options: { readonly keepAll?: boolean; readonly backend?: Backend } = {},
): { output: Tensor; outputs?: readonly Tensor[] } {
  const fn = 'applyModel';
  const mdl = checkModel(fn, model);
  const Yt = checkSignals(fn, mdl, Y);
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const keepAll =
    options.keepAll === undefined ? false : checkBoolean(fn, 'options.keepAll', options.keepAll);
  const backend =
    options.backend === undefined ? undefined : checkBackend(fn, 'options.backend', options.backend);
  const { Y: Yn, scale } = normalizeUnchecked(mdl, Yt);
  const net = networkUnchecked(mdl, mdl.params);
  // On a backend, inference keeps no caches: device memory for two layers at a time.
  const fwd =
    backend === undefined
      ? forwardNetwork(net, Yn, { keepAll })
      : inferOnBackend(
          backend,
          net,
          Yn,
          wrap(new Float64Array(Yn.shape[0] * net.codeSize), [Yn.shape[0], net.codeSize]),
          keepAll,
        );
  const back = (Z: Tensor): Tensor => (scale === null ? Z : scaleRows(Z, scale));
  if (!keepAll) return { output: back(fwd.output) };
  const outputs = (fwd.outputs as readonly Tensor[]).map(back);
  return { output: outputs[outputs.length - 1], outputs };
}

/**
 * λ of the Lasso of the original signals Y (N, n) that the model solves: `fixed` mode the number
 * λ; `ratio` mode the tensor [N] of R λMax(y_i).
 */
export function modelLambda(model: Model, Y: Tensor): number | Tensor {
  const fn = 'modelLambda';
  const mdl = checkModel(fn, model);
  const Yt = checkSignals(fn, mdl, Y);
  if (mdl.spec.lambdaMode === 'fixed') return mdl.spec.lambda;
  const lm = unsafeData(lambdaMax(mdl.A, Yt));
  const R = mdl.spec.lambda;
  return wrap(
    lm.map((v) => R * v),
    [lm.length],
  );
}
