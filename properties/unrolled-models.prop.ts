/**
 * Properties of unrolled models (src/unrolled/model.ts, model-file.ts) and of their training
 * objective (src/train/network-objective.ts):
 *
 * - for whole networks of every kind (LISTA, LISTA-CP with and without support selection, ALISTA,
 *   SLISTA), with parameters per layer, partly or wholly shared, in fixed and ratio mode, with the
 *   unsupervised or supervised loss and optional layer weights: the gradient of the objective
 *   equals central finite differences of its value along random directions in parameter space
 *   (dot-product test), and the y-VJP of backwardNetwork equals finite differences of the network;
 * - at ISTA initialisation, LISTA, LISTA-CP and SLISTA models of depth T output T ISTA iterations
 *   (to 1e-12, fixed and ratio mode);
 * - model files round-trip F64 bit for bit; every truncation of the bytes is rejected, and a
 *   corrupted byte anywhere is rejected unless the file still reads as the same model.
 *
 * Kinks are handled as in unrolled-network.prop.ts, generalised to every kind: a reference
 * forward pass (written here, independently of the layers, and checked against them) gives every
 * pre-threshold value P_t of every layer, and the margin of each layer is its distance to a kink:
 * min | |P| - threshold | and, with support selection, the gap between the k-th and (k+1)-th
 * largest |P| of a sample (where the selected set would change). If a margin is below 1e-6 (rare
 * with continuous draws; forced in some cases by putting the first threshold exactly on a |P|),
 * every threshold is scaled by 1.01 (SLISTA: λ) and the margins recomputed, until they are open;
 * the count is asserted small and no sample is discarded. The FD step h is then chosen per
 * direction so that h times a bound on how fast the pre-activations and thresholds move stays
 * below a quarter of each margin: no entry crosses a kink on [-h, h], where the objective is
 * smooth. The bound propagates Frobenius norms through the layers (ST is 1-Lipschitz), with every
 * norm taken at the worst point |s| <= H_MAX:
 *
 *     lista     dP <= dY |W1| + |Y| dW1 + dz |W2| + |Z| dW2
 *     lista-cp  dP <= dz (1 + |A| |W|) + dY |W| + |R| dW                  (R = Z Aᵀ - Y)
 *     alista    dP <= dz + |γ| (dz |A| + dY) |W_A| + |dγ| |R| |W_A|
 *     slista    dP <= dz + α (dz |A| + dY) |A| + |dα| |R| |A|,   threshold rate λ |dα|
 *     dz_{t+1} <= dP + sqrt(N m) |dθ|
 *
 * and a margin moves at most at 2 dP + |dθ| (a difference of two entries for the support gap).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromArray, scale, type Tensor } from '../src/tensor/index.js';
import { normal, toRng } from '../src/random/index.js';
import { lambdaMax } from '../src/problems/index.js';
import { lassoProblem } from '../src/solvers/lasso-problem.js';
import { proxGradStepInto } from '../src/solvers/ista.js';
import { FileFormatError } from '../src/io/index.js';
import { networkObjective } from '../src/train/index.js';
import {
  alistaWeight,
  applyModel,
  backwardNetwork,
  createModel,
  decodeModel,
  encodeModel,
  forwardNetwork,
  MODEL_FIELDS,
  modelNetwork,
  normalizeSignals,
  parameterName,
  withParams,
  type LambdaMode,
  type Model,
  type ModelKind,
  type NamedTensors,
} from '../src/unrolled/index.js';
import { bits, fcParams } from './support/arbitraries.js';
import { dot, fro, maxAbs } from './support/vectors.js';

const H_MAX = 1e-5;
const KINK_EPS = 1e-6;

/** A kind as drawn: LISTA-CP with support selection is its own case. */
type Variant = ModelKind | 'lista-cpss';
const VARIANTS: readonly Variant[] = ['lista', 'lista-cp', 'lista-cpss', 'alista', 'slista'];

interface GradCase {
  variant: Variant;
  /** 0: nothing shared, 1: the first field shared, 2: every field shared. */
  sharing: 0 | 1 | 2;
  n: number;
  m: number;
  N: number;
  T: number;
  lambda: number;
  lambdaMode: LambdaMode;
  supervised: boolean;
  weighted: boolean;
  forceKink: boolean;
  seed: number;
}

const gradCaseArb: fc.Arbitrary<GradCase> = fc.record({
  variant: fc.constantFrom(...VARIANTS),
  sharing: fc.constantFrom(0 as const, 1 as const, 2 as const),
  n: fc.integer({ min: 1, max: 6 }),
  m: fc.integer({ min: 1, max: 8 }),
  N: fc.integer({ min: 1, max: 5 }),
  T: fc.integer({ min: 1, max: 4 }),
  lambda: fc.double({ min: 0.02, max: 0.5, noNaN: true }),
  lambdaMode: fc.constantFrom<LambdaMode>('fixed', 'ratio'),
  supervised: fc.boolean(),
  weighted: fc.boolean(),
  forceKink: fc.boolean(),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

/** Layer t's values by field (scalars as numbers), from named tensors. */
function layerValues(model: Model, params: NamedTensors, t: number): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const f of MODEL_FIELDS[model.spec.kind])
    out[f] = Float64Array.from(params[parameterName(model.spec, t, f)].data);
  return out;
}

/** rows (N, n) times the transpose of B (k, n): (N, k). */
function timesT(x: Float64Array, B: ArrayLike<number>, N: number, n: number, k: number): Float64Array {
  const out = new Float64Array(N * k);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < n; a++) s += x[i * n + a] * B[j * n + a];
      out[i * k + j] = s;
    }
  return out;
}

/** rows (N, n) times B (n, k): (N, k). */
function times(x: Float64Array, B: ArrayLike<number>, N: number, n: number, k: number): Float64Array {
  const out = new Float64Array(N * k);
  for (let i = 0; i < N; i++)
    for (let a = 0; a < n; a++) {
      const v = x[i * n + a];
      for (let j = 0; j < k; j++) out[i * k + j] += v * B[a * k + j];
    }
  return out;
}

/** Everything the step bound needs from a reference forward pass. */
interface Trace {
  /** Codes z_0 .. z_T (N x m each). */
  zs: Float64Array[];
  /** Margin of each layer to its nearest kink. */
  margins: number[];
  /** The first pre-threshold magnitude of layer 0, |P_0[0, 0]|. */
  firstPre: number;
}

/**
 * The reference forward pass of a model on signals y (N, n), written from the formulas, with
 * the kink margins of every layer.
 */
function trace(model: Model, params: NamedTensors, y: Float64Array, WA: Float64Array | null): Trace {
  const { kind, depth, lambda, supportSelection } = model.spec;
  const [n, m] = model.A.shape;
  const a = model.A.data;
  const N = y.length / n;
  const keep = Math.floor((supportSelection * m) / 100 + 1e-9);
  let z = new Float64Array(N * m);
  const zs = [z];
  const margins: number[] = [];
  let firstPre = 0;
  for (let t = 0; t < depth; t++) {
    const v = layerValues(model, params, t);
    const r = timesT(z, a, N, m, n);
    for (let k = 0; k < r.length; k++) r[k] -= y[k];
    let pre: Float64Array;
    let th: number;
    if (kind === 'lista') {
      pre = timesT(y, v.W1, N, n, m);
      const zz = timesT(z, v.W2, N, m, m);
      for (let k = 0; k < pre.length; k++) pre[k] += zz[k];
      th = v.theta[0];
    } else {
      const [W, step] =
        kind === 'lista-cp'
          ? [v.W, 1]
          : kind === 'alista'
            ? [WA as Float64Array, v.gamma[0]]
            : [a, v.alpha[0]];
      const h = times(r, W, N, n, m);
      pre = z.map((zk, k) => zk - step * h[k]);
      th = kind === 'slista' ? lambda * v.alpha[0] : v.theta[0];
    }
    if (t === 0) firstPre = Math.abs(pre[0]);
    let margin = Infinity;
    const next = new Float64Array(N * m);
    for (let i = 0; i < N; i++) {
      const mags = Array.from(pre.subarray(i * m, (i + 1) * m), Math.abs).sort((p, q) => q - p);
      const bar = keep > 0 ? mags[keep - 1] : Infinity;
      if (keep > 0 && keep < m) margin = Math.min(margin, mags[keep - 1] - mags[keep]);
      for (let j = 0; j < m; j++) {
        const p = pre[i * m + j];
        margin = Math.min(margin, Math.abs(Math.abs(p) - th));
        const mag = Math.abs(p);
        next[i * m + j] = mag > th && mag >= bar ? p : mag > th ? p - Math.sign(p) * th : 0;
      }
    }
    margins.push(margin);
    z = next;
    zs.push(z);
  }
  return { zs, margins, firstPre };
}

/** The operator of a case: ALISTA needs n <= m (full row rank). */
function operatorOf(c: { variant: Variant; n: number; m: number; seed: number }): Tensor {
  return normal(c.seed, [c.variant === 'alista' ? Math.min(c.n, c.m) : c.n, c.m]);
}

/**
 * The model of a case: random parameters around the ISTA ones, every threshold scaled by `rho`
 * (SLISTA: λ), and with `kink` the first layer's threshold put on it (times rho).
 */
function drawModel(c: GradCase, A: Tensor, rho: number, kink: number | undefined): Model {
  const kind: ModelKind = c.variant === 'lista-cpss' ? 'lista-cp' : c.variant;
  const fields = MODEL_FIELDS[kind];
  const options = {
    depth: c.T,
    lambdaMode: c.lambdaMode,
    shared: c.sharing === 0 ? false : c.sharing === 2 ? true : [fields[0]],
    supportSelection: c.variant === 'lista-cpss' ? 25 + 50 * toRng('cpss', c.seed).uniform() : undefined,
  };
  const base = createModel(kind, A, { ...options, lambda: c.lambda });
  const rng = toRng('model-params', c.seed);
  const params: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(base.params)) {
    const d = Float64Array.from(t.data);
    if (d.length === 1) {
      d[0] *= 0.5 + rng.uniform();
      if (name.endsWith('theta'))
        d[0] =
          kink !== undefined && (name === 'layers.0.theta' || name === 'shared.theta')
            ? kink * rho
            : d[0] * rho;
    } else {
      const s = 0.3 * maxAbs(d);
      for (let k = 0; k < d.length; k++) d[k] += s * (2 * rng.uniform() - 1);
    }
    params[name] = fromArray(d, t.shape);
  }
  if (kind !== 'slista') return withParams(base, params);
  // SLISTA's threshold is λ α_0: scale λ, or put λ α_0 on the kink.
  const alpha0 = params[parameterName(base.spec, 0, 'alpha')].data[0];
  const lambda = (kink !== undefined ? kink / alpha0 : c.lambda) * rho;
  return withParams(createModel(kind, A, { ...options, lambda }), params);
}

interface Drawn {
  model: Model;
  Y: Tensor;
  /** The signals as the network sees them (normalised in ratio mode). */
  y: Float64Array;
  WA: Float64Array | null;
  tr: Trace;
  nudges: number;
  forced: boolean;
}

/** The case's model with its kink margins open (threshold scaling), and its reference trace. */
function drawCase(c: GradCase): Drawn {
  const A = operatorOf(c);
  const Y = normal(c.seed + 1, [c.N, A.shape[0]]);
  const WA = c.variant === 'alista' ? Float64Array.from(alistaWeight(A).W.data) : null;
  const run = (rho: number, kink: number | undefined) => {
    const model = drawModel(c, A, rho, kink);
    const y = Float64Array.from(normalizeSignals(model, Y).Y.data);
    return { model, y, tr: trace(model, model.params, y, WA) };
  };
  let kink: number | undefined;
  if (c.forceKink) {
    // Layer 0's pre-activations do not depend on the thresholds: put the first one on |P_0[0, 0]|.
    const p = run(1, undefined).tr.firstPre;
    if (p > 0) kink = p;
  }
  let rho = 1;
  for (let nudges = 0; ; nudges++) {
    const { model, y, tr } = run(rho, kink);
    if (Math.min(...tr.margins) >= KINK_EPS || nudges >= 50)
      return { model, Y, y, WA, tr, nudges, forced: kink !== undefined };
    rho *= 1.01;
  }
}

/** A direction: in the signals the network sees, or in parameter space. */
interface Direction {
  dY?: Float64Array;
  dParams?: NamedTensors;
}

/** The FD step along a direction: h * (rate bound) <= margin / 4 in every layer, h <= H_MAX. */
function stepFor(d: Drawn, dir: Direction): number {
  const { model, y, WA, tr } = d;
  const { kind, depth, lambda } = model.spec;
  const [n, m] = model.A.shape;
  const N = y.length / n;
  const normA = fro(model.A.data);
  const normWA = WA === null ? 0 : fro(WA);
  const dy = dir.dY ? fro(dir.dY) : 0;
  const yn = fro(y) + H_MAX * dy;
  let dz = 0;
  let h = H_MAX;
  for (let t = 0; t < depth; t++) {
    const v = layerValues(model, model.params, t);
    const dv = dir.dParams ? layerValues(model, dir.dParams, t) : undefined;
    const dn = (f: string): number => (dv ? fro(dv[f]) : 0);
    const nrm = (f: string): number => fro(v[f]) + H_MAX * dn(f);
    const zn = fro(tr.zs[t]) + H_MAX * dz;
    const Rn = normA * zn + yn;
    let dP: number;
    let dTh: number;
    if (kind === 'lista') {
      dP = dy * nrm('W1') + yn * dn('W1') + dz * nrm('W2') + zn * dn('W2');
      dTh = dn('theta');
    } else if (kind === 'lista-cp') {
      dP = dz * (1 + normA * nrm('W')) + dy * nrm('W') + Rn * dn('W');
      dTh = dn('theta');
    } else if (kind === 'alista') {
      dP = dz + nrm('gamma') * (dz * normA + dy) * normWA + dn('gamma') * Rn * normWA;
      dTh = dn('theta');
    } else {
      dP = dz + nrm('alpha') * (dz * normA + dy) * normA + dn('alpha') * Rn * normA;
      dTh = lambda * dn('alpha');
    }
    const rate = 2 * dP + dTh;
    if (rate > 0) h = Math.min(h, tr.margins[t] / (4 * rate));
    dz = dP + Math.sqrt(N * m) * dTh;
  }
  return h;
}

/** Central differences of f along a direction with step h, against the analytic derivative. */
function checkFd(what: string, analytic: number, h: number, f: (s: number) => number): void {
  const plus = f(h);
  const minus = f(-h);
  const fd = (plus - minus) / (2 * h);
  const tol = 1e-6 * (1 + Math.abs(analytic)) + (1e-14 * (1 + Math.abs(plus) + Math.abs(minus))) / h;
  expect(Math.abs(fd - analytic), `${what}: fd ${fd}, analytic ${analytic}, h ${h}`).toBeLessThanOrEqual(tol);
}

/** params + s d, name by name. */
function along(params: NamedTensors, d: NamedTensors, s: number): NamedTensors {
  const out: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(params))
    out[name] = fromArray(
      Array.from(t.data, (v, k) => v + s * d[name].data[k]),
      t.shape,
    );
  return out;
}

/** The dot product of two sets of named tensors. */
function namedDot(a: NamedTensors, b: NamedTensors): number {
  let s = 0;
  for (const name of Object.keys(a)) s += dot(a[name].data, b[name].data);
  return s;
}

describe('unrolled models (properties)', () => {
  it('every kind, shared or per layer: the objective gradient and the network y-VJP equal central finite differences', () => {
    const runs = 150;
    let natural = 0;
    fc.assert(
      fc.property(gradCaseArb, (c) => {
        const d = drawCase(c);
        const { model, Y, y, tr } = d;
        for (const mg of tr.margins) expect(mg).toBeGreaterThanOrEqual(KINK_EPS);
        if (d.forced) expect(d.nudges).toBeGreaterThan(0);
        if (d.nudges > 0 && !d.forced) natural++;
        const [n, m] = model.A.shape;
        const { N, T, seed } = c;
        const Yn = fromArray(y, [N, n]);

        // The reference forward pass agrees with the layers.
        const net = modelNetwork(model);
        const fwd = forwardNetwork(net, Yn, { keepAll: true });
        const zT = tr.zs[T];
        fwd.output.data.forEach((v, k) =>
          expect(Math.abs(v - zT[k])).toBeLessThanOrEqual(1e-10 * (1 + maxAbs(zT))),
        );

        // The y-VJP of the network, with extra gradients at the intermediate outputs.
        const g = normal(seed + 50, [N, m]);
        const gPer = Array.from({ length: T }, (_, t) =>
          t === T - 1 ? null : normal(seed + 60 + t, [N, m]),
        );
        const probe = (yy: Tensor): number => {
          const f = forwardNetwork(net, yy, { keepAll: true });
          let s = dot(g.data, f.output.data);
          for (let t = 0; t < T - 1; t++) s += dot((gPer[t] as Tensor).data, (f.outputs as Tensor[])[t].data);
          return s;
        };
        const { gradY } = backwardNetwork(net, fwd.caches, g, gPer);
        const dY = Float64Array.from(normal(seed + 70, [N, n]).data);
        checkFd('y', dot(gradY.data, dY), stepFor(d, { dY }), (s) =>
          probe(
            fromArray(
              Array.from(y, (v, k) => v + s * dY[k]),
              [N, n],
            ),
          ),
        );

        // The objective's gradient along a random direction in parameter space, and along one parameter.
        const rng = toRng('objective-case', seed);
        const rows = Int32Array.from({ length: 1 + Math.floor(rng.uniform() * N) }, () =>
          Math.floor(rng.uniform() * N),
        );
        const obj = networkObjective(model, Y, {
          loss: c.supervised ? 'supervised' : 'unsupervised',
          targets: c.supervised ? normal(seed + 80, [N, m]) : undefined,
          layerWeights: c.weighted ? Array.from({ length: T }, () => 0.1 + rng.uniform()) : undefined,
        });
        const { grad } = obj.evaluate(model.params, rows, true);
        const names = Object.keys(model.params);
        const one = names[Math.floor(rng.uniform() * names.length)];
        const directions: [string, NamedTensors][] = [
          ['all parameters', {}],
          [one, {}],
        ];
        names.forEach((name, k) => {
          const t = model.params[name];
          (directions[0][1] as Record<string, Tensor>)[name] = normal(seed + 100 + k, t.shape);
          (directions[1][1] as Record<string, Tensor>)[name] =
            name === one ? normal(seed + 200 + k, t.shape) : fromArray(new Float64Array(t.size), t.shape);
        });
        for (const [what, dParams] of directions)
          checkFd(
            what,
            namedDot(grad as NamedTensors, dParams),
            stepFor(d, { dParams }),
            (s) => obj.evaluate(along(model.params, dParams, s), rows, false).value,
          );
      }),
      fcParams(runs),
    );
    // Apart from the forced kinks, nudging is the rare exception (a margin below 1e-6 by chance).
    expect(natural).toBeLessThanOrEqual(Math.max(2, runs / 20));
  });

  it('LISTA, LISTA-CP and SLISTA at ISTA initialisation output T ISTA iterations (fixed and ratio mode)', () => {
    const caseArb = fc.record({
      kind: fc.constantFrom<ModelKind>('lista', 'lista-cp', 'slista'),
      n: fc.integer({ min: 1, max: 6 }),
      m: fc.integer({ min: 1, max: 8 }),
      N: fc.integer({ min: 1, max: 5 }),
      T: fc.integer({ min: 1, max: 4 }),
      lambda: fc.double({ min: 0, max: 1, noNaN: true }),
      lambdaMode: fc.constantFrom<LambdaMode>('fixed', 'ratio'),
      shared: fc.boolean(),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    });
    fc.assert(
      fc.property(caseArb, ({ kind, n, m, N, T, lambda, lambdaMode, shared, seed }) => {
        const A = normal(seed, [n, m]);
        const Y = normal(seed + 1, [N, n]);
        const lam = lambdaMode === 'fixed' ? lambda : scale(lambdaMax(A, Y), lambda);
        const problem = lassoProblem(A, Y, lam);
        let z = new Float64Array(N * m);
        const r = new Float64Array(N * n);
        for (let t = 0; t < T; t++) {
          const next = new Float64Array(N * m);
          proxGradStepInto(problem, z, 1 / problem.lipschitz, r, next);
          z = next;
        }
        const { output } = applyModel(createModel(kind, A, { depth: T, lambda, lambdaMode, shared }), Y);
        const tol = 1e-12 * (1 + maxAbs(z));
        output.data.forEach((v, k) => expect(Math.abs(v - z[k])).toBeLessThanOrEqual(tol));
      }),
      fcParams(100),
    );
  });

  /** A model of a random kind with parameters from arbitrary finite doubles (scalars >= 0). */
  const fileCaseArb = fc
    .record({
      variant: fc.constantFrom(...VARIANTS),
      sharing: fc.constantFrom(0, 1, 2),
      n: fc.integer({ min: 1, max: 5 }),
      m: fc.integer({ min: 1, max: 6 }),
      T: fc.integer({ min: 1, max: 3 }),
      lambda: fc.double({ min: 0, max: 10, noNaN: true }),
      lambdaMode: fc.constantFrom<LambdaMode>('fixed', 'ratio'),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      values: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 64 }),
    })
    .map((c) => {
      const A = operatorOf(c);
      const kind: ModelKind = c.variant === 'lista-cpss' ? 'lista-cp' : c.variant;
      const fields = MODEL_FIELDS[kind];
      const base = createModel(kind, A, {
        depth: c.T,
        lambda: c.lambda,
        lambdaMode: c.lambdaMode,
        shared: c.sharing === 0 ? false : c.sharing === 2 ? true : [fields[0]],
        supportSelection: c.variant === 'lista-cpss' ? 30 : undefined,
      });
      let k = 0;
      const params: Record<string, Tensor> = {};
      for (const [name, t] of Object.entries(base.params)) {
        const d = Float64Array.from(t.data, () => c.values[k++ % c.values.length]);
        if (d.length === 1) d[0] = Math.abs(d[0]);
        params[name] = fromArray(d, t.shape);
      }
      return { A, model: withParams(base, params) };
    });

  const sameModel = (a: Model, b: Model): void => {
    expect(b.spec).toEqual(a.spec);
    expect(Object.keys(b.params).sort()).toEqual(Object.keys(a.params).sort());
    for (const [name, t] of Object.entries(a.params)) {
      expect(b.params[name].shape).toEqual(t.shape);
      expect(bits(b.params[name])).toEqual(bits(t));
    }
  };

  it('model files round-trip F64 bit for bit, for every kind', () => {
    fc.assert(
      fc.property(fileCaseArb, ({ A, model }) => {
        sameModel(model, decodeModel(encodeModel(model), A));
      }),
      fcParams(100),
    );
  });

  it('every truncation of a model file is rejected, naming the file', () => {
    fc.assert(
      fc.property(
        fileCaseArb,
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        ({ A, model }, u) => {
          const bytes = encodeModel(model);
          const cut = Math.floor(u * bytes.length);
          expect(() => decodeModel(bytes.subarray(0, cut), A, 'm.safetensors')).toThrow(FileFormatError);
          expect(() => decodeModel(bytes.subarray(0, cut), A, 'm.safetensors')).toThrow(
            'decodeModel: cannot read m.safetensors: ',
          );
        },
      ),
      fcParams(100),
    );
  });

  it('a corrupted byte anywhere is rejected, or (header padding only) the file reads as the same model', () => {
    let readBack = 0;
    fc.assert(
      fc.property(
        fileCaseArb,
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        fc.integer({ min: 1, max: 255 }),
        ({ A, model }, u, flip) => {
          const bytes = encodeModel(model);
          const at = Math.floor(u * bytes.length);
          const bad = bytes.slice();
          bad[at] ^= flip;
          let back: Model;
          try {
            back = decodeModel(bad, A, 'm.safetensors');
          } catch (e) {
            expect(e).toBeInstanceOf(FileFormatError);
            expect((e as Error).message.startsWith('decodeModel: cannot read m.safetensors: ')).toBe(true);
            return;
          }
          readBack++;
          const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
          const json = new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)).trimEnd();
          expect(at).toBeGreaterThanOrEqual(8 + new TextEncoder().encode(json).length);
          expect(at).toBeLessThan(8 + headerLength);
          sameModel(model, back);
        },
      ),
      fcParams(300),
    );
    expect(readBack).toBeLessThan(300);
  });
});
