/**
 * Invariants of the thresholding proximal operators (soft, non-negative soft, hard, firm / MCP,
 * elastic net, group soft): optimality of the output, firm non-expansiveness of the convex ones,
 * the scaling identities, batch = per-row, VJP = central finite differences away from the kinks,
 * inputs never written, and bad input rejected with the template message.
 *
 * Gradient checks keep every |x_k| (or ||x_G||) at least DELTA away from each kink by
 * construction: values are drawn freely, then pushed past the nearest threshold.
 */
import { describe, it } from 'vitest';
import fc from 'fast-check';
import { allClose, fromArray, row, type Tensor } from '../src/tensor/index.js';
import { softThreshold } from '../src/prox/soft-threshold.js';
import { nonNegSoftThreshold } from '../src/prox/nonneg-soft-threshold.js';
import { hardThreshold } from '../src/prox/hard-threshold.js';
import { firmThreshold } from '../src/prox/firm-threshold.js';
import { elasticNet } from '../src/prox/elastic-net.js';
import { groupSoftThreshold, type GroupWeights } from '../src/prox/group-soft-threshold.js';
import { scaleHyper } from '../src/prox/hyper.js';
import type { Hyper, ProxOperator } from '../src/prox/types.js';
import { fcParams, snapshot, unchanged } from './support/arbitraries.js';
import { dot } from './support/vectors.js';

type Op = Required<ProxOperator>;

/** Finite-difference step and the distance kept from every kink (>> step * |direction|). */
const STEP = 1e-6;
const DELTA = 1e-3;
/** Relative tolerance of a finite-difference check. */
const FD_RTOL = 1e-6;

const double = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
/**
 * Evenly spread values on [min, max]. fc.double spreads over float bit patterns, so most of its
 * draws are tiny (1e-300 and the like), which would make gradient checks vacuous.
 */
const uniform = (min: number, max: number): fc.Arbitrary<number> =>
  fc.noBias(fc.integer({ min: 0, max: 2 ** 30 })).map((i) => min + ((max - min) * i) / 2 ** 30);
/** Mostly evenly spread values, sometimes fast-check's special ones (0, -0, tiny, the bounds). */
const value = (min: number, max: number): fc.Arbitrary<number> =>
  fc.oneof({ arbitrary: uniform(min, max), weight: 4 }, { arbitrary: double(min, max), weight: 1 });
const values = (length: number, min: number, max: number): fc.Arbitrary<number[]> =>
  fc.array(value(min, max), { minLength: length, maxLength: length });
/** Directions and loss gradients: evenly spread, never all tiny. */
const directions = (length: number): fc.Arbitrary<number[]> =>
  fc.array(uniform(-1, 1), { minLength: length, maxLength: length });

const hyperValues = (h: Hyper): number[] => (typeof h === 'number' ? [h] : Array.from(h.data));

/** |a - b| within FD_RTOL relative to max(1, |a|, |b|); throws a readable message otherwise. */
function near(a: number, b: number, what: string): boolean {
  if (Math.abs(a - b) <= FD_RTOL * Math.max(1, Math.abs(a), Math.abs(b))) return true;
  throw new Error(`${what}: ${a} vs ${b}`);
}

// ---------------------------------------------------------------------------------------------
// Separable operators

/** One separable operator with a drawn construction parameter and scaling. */
interface Setup {
  label: string;
  op: Op;
  scaling: number;
  /** The penalty of one entry, p(u; λ). */
  penalty: (u: number, lambda: number) => number;
  /** The magnitudes |x| at which the prox (scaling included) has a kink or a jump. */
  kinks: (lambda: number) => number[];
  /** First-order optimality of p = prox(x) for one entry (for MCP: of the convex 1-D problem). */
  optimal: (x: number, p: number, lambda: number) => boolean;
  /** op.prox(x, h, s) = rescaled.op.prox(x, s h, 1), exactly or up to rounding. */
  rescaled: { op: Op; exact: boolean };
  /** A Lipschitz constant of x -> prox(x) (Infinity where the prox jumps). */
  lipschitz: number;
}

const tol = (x: number): number => 1e-12 * (1 + Math.abs(x));
const sign = (v: number): number => (v > 0 ? 1 : v < 0 ? -1 : 0);
const scalingArb = value(0.1, 2);

const setups: { label: string; convex: boolean; arb: fc.Arbitrary<Setup> }[] = [
  {
    label: 'softThreshold',
    convex: true,
    arb: scalingArb.map((s) => ({
      label: 'softThreshold',
      op: softThreshold,
      scaling: s,
      penalty: (u, l) => l * Math.abs(u),
      kinks: (l) => [s * l],
      optimal: (x, p, l) =>
        p !== 0 ? Math.abs(x - p - s * l * sign(p)) <= tol(x) : Math.abs(x) <= s * l + tol(x),
      rescaled: { op: softThreshold, exact: true },
      lipschitz: 1,
    })),
  },
  {
    label: 'nonNegSoftThreshold',
    convex: true,
    arb: scalingArb.map((s) => ({
      label: 'nonNegSoftThreshold',
      op: nonNegSoftThreshold,
      scaling: s,
      penalty: (u, l) => (u >= 0 ? l * u : Infinity),
      kinks: (l) => [s * l],
      // ∂(λu + ι(u >= 0)) is {λ} for u > 0 and (-∞, λ] at 0.
      optimal: (x, p, l) => (p > 0 ? Math.abs(x - p - s * l) <= tol(x) : p === 0 && x <= s * l + tol(x)),
      rescaled: { op: nonNegSoftThreshold, exact: true },
      lipschitz: 1,
    })),
  },
  {
    label: 'hardThreshold',
    convex: false,
    arb: scalingArb.map((s) => ({
      label: 'hardThreshold',
      op: hardThreshold,
      scaling: s,
      penalty: (u, l) => (u !== 0 ? l : 0),
      kinks: (l) => [Math.sqrt(2 * s * l)],
      // Kept entries are stationary (p = x) and worth their cost; zeroed ones are not.
      optimal: (x, p, l) => (p !== 0 ? p === x && (x * x) / 2 >= s * l : (x * x) / 2 <= s * l + tol(x * x)),
      rescaled: { op: hardThreshold, exact: true },
      lipschitz: Infinity,
    })),
  },
  {
    label: 'firmThreshold',
    convex: false,
    arb: fc.tuple(scalingArb, value(0.5, 4)).map(([s, extra]) => {
      const gamma = Math.max(1, s) + extra; // γ > 1 and γ - s >= 0.5
      const mcp = (u: number, l: number): number => {
        const a = Math.abs(u);
        return a <= gamma * l ? l * a - (a * a) / (2 * gamma) : (gamma * l * l) / 2;
      };
      return {
        label: `firmThreshold(${gamma})`,
        op: firmThreshold(gamma),
        scaling: s,
        penalty: mcp,
        kinks: (l) => [s * l, gamma * l],
        // With s < γ the 1-D problem is strictly convex, so 0 ∈ p - x + s ∂p(p) characterises p.
        optimal: (x, p, l) => {
          if (p === 0) return Math.abs(x) <= s * l + tol(x);
          const slope = Math.abs(p) <= gamma * l ? l * sign(p) - p / gamma : 0;
          return Math.abs(x - p - s * slope) <= 1e-11 * (1 + Math.abs(x) + Math.abs(p));
        },
        // s p(u; λ, γ) = p(u; sλ, γ/s): the same prox with γ/s and scaling 1.
        rescaled: { op: firmThreshold(gamma / s), exact: false },
        // The middle piece has slope γ / (γ - s) > 1: not non-expansive, but Lipschitz.
        lipschitz: gamma / (gamma - s),
      } satisfies Setup;
    }),
  },
  {
    label: 'elasticNet',
    convex: true,
    arb: fc.tuple(scalingArb, value(0, 3)).map(([s, mu]) => ({
      label: `elasticNet(${mu})`,
      op: elasticNet(mu),
      scaling: s,
      penalty: (u, l) => l * Math.abs(u) + (mu / 2) * u * u,
      kinks: (l) => [s * l],
      optimal: (x, p, l) =>
        p !== 0 ? Math.abs(x - p - s * (l * sign(p) + mu * p)) <= tol(x) : Math.abs(x) <= s * l + tol(x),
      // s g(u; λ, μ) = g(u; sλ, sμ).
      rescaled: { op: elasticNet(s * mu), exact: true },
      lipschitz: 1 / (1 + s * mu),
    })),
  },
];

type Kind = 'scalar' | 'sample' | 'entry';

/** A separable problem: x, its hyper in one layout, a loss gradient and FD directions. */
interface Problem {
  shape: number[];
  kind: Kind;
  /** The hyper's values (1, N or size of them). */
  lambdas: number[];
  x: number[];
  y: number[];
  g: number[];
  v: number[];
  w: number[];
}

function problemArb(options: { rank?: 1 | 2; kind?: Kind; lambdaMin?: number } = {}): fc.Arbitrary<Problem> {
  return fc
    .record({
      rank: options.rank ? fc.constant(options.rank) : fc.constantFrom<1 | 2>(1, 2),
      rows: fc.integer({ min: 1, max: 4 }),
      cols: fc.integer({ min: 1, max: 6 }),
      kind: options.kind ? fc.constant(options.kind) : fc.constantFrom<Kind>('scalar', 'sample', 'entry'),
    })
    .chain(({ rank, rows, cols, kind }) => {
      const shape = rank === 1 ? [cols] : [rows, cols];
      const size = rank === 1 ? cols : rows * cols;
      const layout: Kind = kind === 'sample' && rank === 1 ? 'entry' : kind;
      const count = layout === 'scalar' ? 1 : layout === 'sample' ? rows : size;
      return fc.record({
        shape: fc.constant(shape),
        kind: fc.constant(layout),
        lambdas: values(count, options.lambdaMin ?? 0.05, 2),
        x: values(size, -5, 5),
        y: values(size, -5, 5),
        g: directions(size),
        v: directions(size),
        w: directions(count),
      });
    });
}

function makeHyper(p: Problem, values: readonly number[] = p.lambdas): Hyper {
  if (p.kind === 'scalar') return values[0];
  return fromArray(values, p.kind === 'sample' ? [p.shape[0]] : p.shape);
}

/** λ at flat entry k. */
function lambdaAt(p: Problem, k: number): number {
  if (p.kind === 'scalar') return p.lambdas[0];
  return p.kind === 'entry' ? p.lambdas[k] : p.lambdas[Math.floor(k / p.shape[1])];
}

/** x with every |x_k| moved at least DELTA past each kink it was close to (sign kept). */
function awayFromKinks(p: Problem, kinks: (lambda: number) => number[]): number[] {
  return p.x.map((xk, k) => {
    let a = Math.abs(xk);
    for (const t of kinks(lambdaAt(p, k)).sort((s, u) => s - u)) if (Math.abs(a - t) < DELTA) a = t + DELTA;
    return xk < 0 ? -a : a;
  });
}

const tensorOf = (p: Problem, data: readonly number[]): Tensor => fromArray(data, p.shape);

/** x + h v. */
const shifted = (x: readonly number[], v: readonly number[], h: number): number[] =>
  x.map((xk, k) => xk + h * v[k]);

/** <g, prox(x + h v) - prox(x - h v)> / 2h against <vjp.gradInput, v>, and the same along w for λ. */
function vjpMatchesFiniteDifferences(
  op: Op,
  scaling: number,
  p: Problem,
  x: readonly number[],
  checkHyper = true,
): boolean {
  const hyper = makeHyper(p);
  const { gradInput, gradHyper } = op.vjp(tensorOf(p, x), hyper, scaling, tensorOf(p, p.g));
  const plus = op.prox(tensorOf(p, shifted(x, p.v, STEP)), hyper, scaling).data;
  const minus = op.prox(tensorOf(p, shifted(x, p.v, -STEP)), hyper, scaling).data;
  let fd = 0;
  for (let k = 0; k < x.length; k++) fd += (p.g[k] * (plus[k] - minus[k])) / (2 * STEP);
  near(dot(gradInput.data, p.v), fd, `${op.name}: d/dx`);
  if (!checkHyper) return true;
  const hPlus = makeHyper(
    p,
    p.lambdas.map((l, i) => l + STEP * p.w[i]),
  );
  const hMinus = makeHyper(
    p,
    p.lambdas.map((l, i) => l - STEP * p.w[i]),
  );
  const xt = tensorOf(p, x);
  const up = op.prox(xt, hPlus, scaling).data;
  const down = op.prox(xt, hMinus, scaling).data;
  let fdHyper = 0;
  for (let k = 0; k < x.length; k++) fdHyper += (p.g[k] * (up[k] - down[k])) / (2 * STEP);
  return near(dot(hyperValues(gradHyper), p.w), fdHyper, `${op.name}: d/dlambda`);
}

/** The 1-D objective at p is no larger than at 0, at x and on a fine grid around them. */
function beatsGrid(x: number, p: number, lambda: number, s: Setup): boolean {
  const phi = (u: number): number => 0.5 * (x - u) * (x - u) + s.scaling * s.penalty(u, lambda);
  const radius = 2 * Math.abs(x) + 1;
  let best = Math.min(phi(0), phi(x));
  for (let i = 0; i <= 400; i++) best = Math.min(best, phi(-radius + (2 * radius * i) / 400));
  return phi(p) <= best + 1e-12 * (1 + x * x);
}

describe('separable thresholds', () => {
  for (const { label, convex, arb } of setups) {
    describe(label, () => {
      it('every entry is optimal: first-order condition, and no worse than a fine grid and the candidates 0, x', () => {
        fc.assert(
          fc.property(arb, problemArb({ lambdaMin: 0 }), (setup, p) => {
            const out = setup.op.prox(tensorOf(p, p.x), makeHyper(p), setup.scaling).data;
            p.x.forEach((x, k) => {
              const lambda = lambdaAt(p, k);
              if (!setup.optimal(x, out[k], lambda))
                throw new Error(
                  `${setup.label}: first-order condition fails at x=${x}, p=${out[k]}, λ=${lambda}`,
                );
              if (!beatsGrid(x, out[k], lambda, setup))
                throw new Error(`${setup.label}: the grid beats p=${out[k]} at x=${x}, λ=${lambda}`);
            });
            return true;
          }),
          fcParams(),
        );
      });

      it('value is the sum of the entry penalties p(x_k; λ_k)', () => {
        fc.assert(
          fc.property(arb, problemArb({ lambdaMin: 0 }), (setup, p) => {
            const expected = p.x.reduce((sum, x, k) => sum + setup.penalty(x, lambdaAt(p, k)), 0);
            const value = setup.op.value(tensorOf(p, p.x), makeHyper(p));
            return value === expected || Math.abs(value - expected) <= 1e-12 * (1 + Math.abs(expected));
          }),
          fcParams(),
        );
      });

      it('vjp equals central finite differences w.r.t. x and lambda away from the kinks', () => {
        fc.assert(
          fc.property(arb, problemArb(), (setup, p) =>
            vjpMatchesFiniteDifferences(setup.op, setup.scaling, p, awayFromKinks(p, setup.kinks)),
          ),
          fcParams(),
        );
      });

      if (label !== 'nonNegSoftThreshold') {
        it('with lambda = 0 the prox is smooth through x = 0 and the vjp says so', () => {
          fc.assert(
            fc.property(arb, problemArb({ kind: 'scalar' }), (setup, p) => {
              const zeroed: Problem = { ...p, lambdas: [0] };
              const x = p.x.map((v, k) => (k % 2 === 0 ? 0 : v));
              return vjpMatchesFiniteDifferences(setup.op, setup.scaling, zeroed, x, false);
            }),
            fcParams(50),
          );
        });
      }

      it('scaling identity: prox(x, h, s) = prox of the rescaled penalty at (x, s h, 1)', () => {
        fc.assert(
          fc.property(arb, problemArb({ lambdaMin: 0 }), (setup, p) => {
            const x = tensorOf(p, p.x);
            const hyper = makeHyper(p);
            const direct = setup.op.prox(x, hyper, setup.scaling);
            const rescaled = setup.rescaled.op.prox(x, scaleHyper(hyper, setup.scaling), 1);
            const tolerance = setup.rescaled.exact ? { rtol: 0, atol: 0 } : { rtol: 1e-12, atol: 1e-12 };
            return allClose(direct, rescaled, tolerance);
          }),
          fcParams(),
        );
      });

      it('one lambda per sample, or per entry, equals the prox and vjp of each row with its own lambda', () => {
        fc.assert(
          fc.property(arb, problemArb({ rank: 2, kind: 'sample', lambdaMin: 0 }), (setup, p) => {
            const { op, scaling } = setup;
            const x = tensorOf(p, p.x);
            const g = tensorOf(p, p.g);
            const perSample = makeHyper(p);
            const perEntry = fromArray(
              p.x.map((_, k) => lambdaAt(p, k)),
              p.shape,
            );
            const batch = op.prox(x, perSample, scaling);
            if (!allClose(op.prox(x, perEntry, scaling), batch, { rtol: 0, atol: 0 })) return false;
            const { gradInput, gradHyper } = op.vjp(x, perSample, scaling, g);
            const gradLambda = hyperValues(gradHyper);
            for (let i = 0; i < p.shape[0]; i++) {
              const lambda = p.lambdas[i];
              if (!allClose(op.prox(row(x, i), lambda, scaling), row(batch, i), { rtol: 0, atol: 0 }))
                return false;
              const single = op.vjp(row(x, i), lambda, scaling, row(g, i));
              if (!allClose(single.gradInput, row(gradInput, i), { rtol: 0, atol: 0 })) return false;
              if (single.gradHyper !== gradLambda[i]) return false;
            }
            return true;
          }),
          fcParams(),
        );
      });

      if (convex) {
        it('is firmly non-expansive: ||p(x) - p(y)||² <= <p(x) - p(y), x - y>', () => {
          fc.assert(
            fc.property(arb, problemArb({ lambdaMin: 0 }), (setup, p) => {
              const hyper = makeHyper(p);
              const px = setup.op.prox(tensorOf(p, p.x), hyper, setup.scaling).data;
              const py = setup.op.prox(tensorOf(p, p.y), hyper, setup.scaling).data;
              const d = px.map((v, k) => v - py[k]);
              const xy = p.x.map((v, k) => v - p.y[k]);
              return dot(d, d) <= dot(d, xy) + 1e-12 * (1 + dot(xy, xy));
            }),
            fcParams(),
          );
        });
      }

      if (label !== 'hardThreshold') {
        it('is Lipschitz: ||p(x) - p(y)|| <= L ||x - y||', () => {
          fc.assert(
            fc.property(arb, problemArb({ lambdaMin: 0 }), (setup, p) => {
              const hyper = makeHyper(p);
              const px = setup.op.prox(tensorOf(p, p.x), hyper, setup.scaling).data;
              const py = setup.op.prox(tensorOf(p, p.y), hyper, setup.scaling).data;
              const d = px.map((v, k) => v - py[k]);
              const xy = p.x.map((v, k) => v - p.y[k]);
              return Math.sqrt(dot(d, d)) <= setup.lipschitz * Math.sqrt(dot(xy, xy)) * (1 + 1e-12) + 1e-12;
            }),
            fcParams(),
          );
        });
      }

      it('never writes into x, lambda or gradOutput', () => {
        fc.assert(
          fc.property(arb, problemArb(), (setup, p) => {
            const x = tensorOf(p, p.x);
            const g = tensorOf(p, p.g);
            const hyper = makeHyper(p);
            const [sx, sg] = [snapshot(x), snapshot(g)];
            const sh = typeof hyper === 'number' ? undefined : snapshot(hyper);
            setup.op.prox(x, hyper, setup.scaling);
            setup.op.value(x, hyper);
            setup.op.vjp(x, hyper, setup.scaling, g);
            return (
              unchanged(x, sx) && unchanged(g, sg) && (sh === undefined || unchanged(hyper as Tensor, sh))
            );
          }),
          fcParams(50),
        );
      });
    });
  }
});

// ---------------------------------------------------------------------------------------------
// Group soft thresholding

/** A group problem: a Problem (layout 'scalar' or 'sample') plus groups over the last axis. */
interface GroupProblem extends Problem {
  m: number;
  groups: number[][];
  weights: GroupWeights;
  scaling: number;
}

function groupProblemArb(options: { rank?: 1 | 2; kind?: 'scalar' | 'sample'; lambdaMin?: number } = {}) {
  return fc
    .record({
      m: fc.integer({ min: 1, max: 8 }),
      rows: fc.integer({ min: 1, max: 3 }),
      rank: options.rank ? fc.constant(options.rank) : fc.constantFrom<1 | 2>(1, 2),
      kind: options.kind
        ? fc.constant(options.kind)
        : fc.constantFrom<'scalar' | 'sample'>('scalar', 'sample'),
    })
    .chain(({ m, rows, rank, kind }) => {
      const shape = rank === 1 ? [m] : [rows, m];
      const size = rank === 1 ? m : rows * m;
      const layout = rank === 1 ? 'scalar' : kind;
      const count = layout === 'scalar' ? 1 : rows;
      return fc
        .record({
          // Group id of each coordinate, -1 for none; ids without members make no group.
          assignment: fc.array(fc.integer({ min: -1, max: 3 }), { minLength: m, maxLength: m }),
          reverse: fc.boolean(),
          weighting: fc.constantFrom('unit', 'sqrtSize', 'custom'),
          custom: values(4, 0, 2),
          lambdas: values(count, options.lambdaMin ?? 0.05, 2),
          scaling: value(0.1, 2),
          x: values(size, -3, 3),
          y: values(size, -3, 3),
          g: directions(size),
          v: directions(size),
          w: directions(count),
        })
        .map((r): GroupProblem => {
          const groups = [0, 1, 2, 3]
            .map((id) => r.assignment.flatMap((a, j) => (a === id ? [j] : [])))
            .filter((group) => group.length > 0)
            .map((group) => (r.reverse ? group.reverse() : group));
          const weights: GroupWeights =
            r.weighting === 'custom' ? r.custom.slice(0, groups.length) : r.weighting;
          return { ...r, shape, kind: layout, m, groups, weights };
        });
    });
}

const groupOp = (p: GroupProblem) => groupSoftThreshold(p.groups, { weights: p.weights });

/** Sample i's λ. */
const sampleLambda = (p: GroupProblem, i: number): number => p.lambdas[p.kind === 'scalar' ? 0 : i];

function norm(values: readonly number[]): number {
  return Math.sqrt(dot(values, values));
}

/** x with every ||x_G|| moved at least DELTA past its threshold s λ w_G (direction kept). */
function groupsAwayFromKinks(p: GroupProblem): number[] {
  const x = p.x.slice();
  const { count, indices, offsets, weights } = groupOp(p).groupIndex;
  for (let i = 0; i < x.length / p.m; i++) {
    for (let g = 0; g < count; g++) {
      const at = Array.from(indices.subarray(offsets[g], offsets[g + 1]), (j) => i * p.m + j);
      const t = p.scaling * sampleLambda(p, i) * weights[g];
      const r = norm(at.map((k) => x[k]));
      if (Math.abs(r - t) >= DELTA) continue;
      if (r < 1e-100) {
        at.forEach((k, j) => (x[k] = j === 0 ? t + DELTA : 0));
      } else {
        for (const k of at) x[k] *= (t + DELTA) / r;
      }
    }
  }
  return x;
}

describe('groupSoftThreshold', () => {
  it('is optimal: x_G - p_G = s λ w_G p_G / ||p_G|| or ||x_G|| <= s λ w_G; ungrouped coordinates pass through', () => {
    fc.assert(
      fc.property(groupProblemArb({ lambdaMin: 0 }), (p) => {
        const op = groupOp(p);
        const out = op.prox(tensorOf(p, p.x), makeHyper(p), p.scaling).data;
        const { count, indices, offsets, weights } = op.groupIndex;
        const grouped = new Set(indices);
        for (let i = 0; i < p.x.length / p.m; i++) {
          for (let j = 0; j < p.m; j++)
            if (!grouped.has(j) && out[i * p.m + j] !== p.x[i * p.m + j]) return false;
          for (let g = 0; g < count; g++) {
            const at = Array.from(indices.subarray(offsets[g], offsets[g + 1]), (j) => i * p.m + j);
            const xs = at.map((k) => p.x[k]);
            const ps = at.map((k) => out[k]);
            const t = p.scaling * sampleLambda(p, i) * weights[g];
            const pn = norm(ps);
            const xn = norm(xs);
            if (pn === 0) {
              if (!(xn <= t + 1e-12 * (1 + xn)))
                throw new Error(`zeroed group with ||x_G|| = ${xn} > t = ${t}`);
            } else if (!xs.every((xv, j) => Math.abs(xv - ps[j] - (t * ps[j]) / pn) <= 1e-12 * (1 + xn))) {
              throw new Error(`group ${g} of sample ${i} is not stationary`);
            }
          }
        }
        return true;
      }),
      fcParams(),
    );
  });

  it('vjp equals central finite differences w.r.t. x and lambda away from ||x_G|| = s λ w_G', () => {
    fc.assert(
      fc.property(groupProblemArb(), (p) =>
        vjpMatchesFiniteDifferences(groupOp(p), p.scaling, p, groupsAwayFromKinks(p)),
      ),
      fcParams(),
    );
  });

  it('with lambda = 0 the prox is the identity and the vjp too, zero groups included', () => {
    fc.assert(
      fc.property(groupProblemArb({ kind: 'scalar' }), (p) => {
        const first = p.groups[0] ?? [];
        const x = p.x.map((v, k) => (first.includes(k % p.m) ? 0 : v));
        return vjpMatchesFiniteDifferences(groupOp(p), p.scaling, { ...p, lambdas: [0] }, x, false);
      }),
      fcParams(50),
    );
  });

  it('scaling identity: prox(x, λ, s) = prox(x, s λ, 1)', () => {
    fc.assert(
      fc.property(groupProblemArb({ lambdaMin: 0 }), (p) => {
        const op = groupOp(p);
        const x = tensorOf(p, p.x);
        const hyper = makeHyper(p);
        return allClose(op.prox(x, hyper, p.scaling), op.prox(x, scaleHyper(hyper, p.scaling), 1), {
          rtol: 0,
          atol: 0,
        });
      }),
      fcParams(),
    );
  });

  it('one lambda per sample equals the prox and vjp of each row with its own lambda', () => {
    fc.assert(
      fc.property(groupProblemArb({ rank: 2, kind: 'sample', lambdaMin: 0 }), (p) => {
        const op = groupOp(p);
        const x = tensorOf(p, p.x);
        const g = tensorOf(p, p.g);
        const batch = op.prox(x, makeHyper(p), p.scaling);
        const { gradInput, gradHyper } = op.vjp(x, makeHyper(p), p.scaling, g);
        const gradLambda = hyperValues(gradHyper);
        for (let i = 0; i < p.shape[0]; i++) {
          if (!allClose(op.prox(row(x, i), p.lambdas[i], p.scaling), row(batch, i), { rtol: 0, atol: 0 }))
            return false;
          const single = op.vjp(row(x, i), p.lambdas[i], p.scaling, row(g, i));
          if (!allClose(single.gradInput, row(gradInput, i), { rtol: 0, atol: 0 })) return false;
          if (single.gradHyper !== gradLambda[i]) return false;
        }
        return true;
      }),
      fcParams(),
    );
  });

  it('is firmly non-expansive', () => {
    fc.assert(
      fc.property(groupProblemArb({ lambdaMin: 0 }), (p) => {
        const op = groupOp(p);
        const hyper = makeHyper(p);
        const px = op.prox(tensorOf(p, p.x), hyper, p.scaling).data;
        const py = op.prox(tensorOf(p, p.y), hyper, p.scaling).data;
        const d = px.map((v, k) => v - py[k]);
        const xy = p.x.map((v, k) => v - p.y[k]);
        return dot(d, d) <= dot(d, xy) + 1e-12 * (1 + dot(xy, xy));
      }),
      fcParams(),
    );
  });

  it('singleton groups with unit weights are soft thresholding', () => {
    fc.assert(
      fc.property(groupProblemArb({ lambdaMin: 0 }), (p) => {
        const singletons = groupSoftThreshold(Array.from({ length: p.m }, (_, j) => [j]));
        const x = tensorOf(p, p.x);
        const hyper = makeHyper(p);
        return allClose(singletons.prox(x, hyper, p.scaling), softThreshold.prox(x, hyper, p.scaling), {
          rtol: 1e-12,
          atol: 1e-12,
        });
      }),
      fcParams(),
    );
  });

  it('value is λ Σ_G w_G ||x_G|| per sample, and g(prox) + ||x - prox||²/2s never exceeds g(x)', () => {
    fc.assert(
      fc.property(groupProblemArb({ lambdaMin: 0 }), (p) => {
        const op = groupOp(p);
        const { count, indices, offsets, weights } = op.groupIndex;
        let expected = 0;
        for (let i = 0; i < p.x.length / p.m; i++)
          for (let g = 0; g < count; g++) {
            const xs = Array.from(indices.subarray(offsets[g], offsets[g + 1]), (j) => p.x[i * p.m + j]);
            expected += sampleLambda(p, i) * weights[g] * norm(xs);
          }
        const x = tensorOf(p, p.x);
        const hyper = makeHyper(p);
        const value = op.value(x, hyper);
        if (Math.abs(value - expected) > 1e-12 * (1 + expected)) return false;
        // The prox minimises 1/2||x - u||² + s g(u); u = x is one candidate.
        const u = op.prox(x, hyper, p.scaling);
        const gap = p.x.map((v, k) => v - u.data[k]);
        const objective = dot(gap, gap) / 2 + p.scaling * op.value(u, hyper);
        return objective <= p.scaling * value + 1e-12 * (1 + p.scaling * value);
      }),
      fcParams(),
    );
  });

  it('never writes into x, lambda, gradOutput or the groups', () => {
    fc.assert(
      fc.property(groupProblemArb(), (p) => {
        const groupsBefore = JSON.stringify(p.groups);
        const op = groupOp(p);
        const x = tensorOf(p, p.x);
        const g = tensorOf(p, p.g);
        const hyper = makeHyper(p);
        const [sx, sg] = [snapshot(x), snapshot(g)];
        const sh = typeof hyper === 'number' ? undefined : snapshot(hyper);
        op.prox(x, hyper, p.scaling);
        op.value(x, hyper);
        op.vjp(x, hyper, p.scaling, g);
        return (
          JSON.stringify(p.groups) === groupsBefore &&
          unchanged(x, sx) &&
          unchanged(g, sg) &&
          (sh === undefined || unchanged(hyper as Tensor, sh))
        );
      }),
      fcParams(50),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Bad input

type ErrorClass = typeof TypeError | typeof RangeError;

/** run() throws `kind` with the template message naming argument `name` of `fn`. */
function rejects(run: () => unknown, fn: string, name: string, kind: ErrorClass): boolean {
  try {
    run();
  } catch (e) {
    const prefix = `${fn}: argument '${name}' must be `;
    const ok = e instanceof kind && e.message.startsWith(prefix) && /\. Got .+\.$/s.test(e.message);
    if (!ok) throw new Error(`expected ${kind.name} '${prefix}...', got ${String(e)}`);
    return true;
  }
  throw new Error(`${fn} accepted a bad '${name}'`);
}

interface Bad {
  value: unknown;
  kind: ErrorClass;
}
const asType = (value: unknown): Bad => ({ value, kind: TypeError });
const asRange = (value: unknown): Bad => ({ value, kind: RangeError });

const notATensor = fc.constantFrom<unknown>([1, 2], new Float64Array(2), 'x', null, undefined, 3, {});
const notANumber = fc.constantFrom<unknown>('1', null, undefined, [1], {}, true);
const nonFinite = fc.constantFrom(NaN, Infinity, -Infinity);
const negative = double(-1e6, -1e-300);

/** t with entry k replaced by `value`. */
function poisoned(t: Tensor, k: number, value: number): Tensor {
  const data = Float64Array.from(t.data);
  data[k % Math.max(t.size, 1)] = value;
  return fromArray(data, t.shape);
}

/** Bad values of a hyper for x: wrong kinds, non-finite or negative numbers or entries, wrong shapes. */
function badHyper(x: Tensor, valid: Tensor, perEntryAllowed: boolean): fc.Arbitrary<Bad> {
  const cases = [
    notANumber.map(asType),
    notATensor.filter((v) => typeof v !== 'number').map(asType),
    nonFinite.map(asRange),
    negative.map(asRange),
    fc.tuple(fc.nat(), fc.oneof(nonFinite, negative)).map(([k, v]) => asRange(poisoned(valid, k, v))),
    fc
      .constantFrom([x.size + 1], [1, x.size + 1], [2, 2, 2])
      .map((shape) => asRange(fromArray(new Float64Array(shape.reduce((a, b) => a * b)), shape))),
  ];
  if (!perEntryAllowed) cases.push(fc.constant(asRange(fromArray(new Float64Array(x.size), x.shape))));
  return fc.oneof(...cases);
}

function badTensor(valid: Tensor): fc.Arbitrary<Bad> {
  return fc.oneof(
    notATensor.map(asType),
    fc.tuple(fc.nat(), nonFinite).map(([k, v]) => asRange(poisoned(valid, k, v))),
  );
}

// undefined is not bad for a parameter with a default value (scaling of prox, mu, gamma).
const notANumberNorUndefined = notANumber.filter((v) => v !== undefined);
const badScaling = fc.oneof(
  notANumberNorUndefined.map(asType),
  nonFinite.map(asRange),
  negative.map(asRange),
);

/** Every method of op rejects each bad argument, the others kept valid. */
function rejectsEverywhere(
  op: Op,
  x: Tensor,
  hyper: Hyper,
  scaling: number,
  g: Tensor,
  bad: { lambda: Bad; x: Bad; scaling: Bad; gradOutput: Bad },
): boolean {
  const lambda = bad.lambda.value as Hyper;
  rejects(() => op.prox(x, lambda, scaling), op.name, 'lambda', bad.lambda.kind);
  rejects(() => op.value(x, lambda), op.name, 'lambda', bad.lambda.kind);
  rejects(() => op.vjp(x, lambda, scaling, g), op.name, 'lambda', bad.lambda.kind);
  const badX = bad.x.value as Tensor;
  rejects(() => op.prox(badX, hyper, scaling), op.name, 'x', bad.x.kind);
  rejects(() => op.value(badX, hyper), op.name, 'x', bad.x.kind);
  rejects(() => op.vjp(badX, hyper, scaling, g), op.name, 'x', bad.x.kind);
  const s = bad.scaling.value as number;
  rejects(() => op.prox(x, hyper, s), op.name, 'scaling', bad.scaling.kind);
  rejects(() => op.vjp(x, hyper, s, g), op.name, 'scaling', bad.scaling.kind);
  rejects(
    () => op.vjp(x, hyper, scaling, bad.gradOutput.value as Tensor),
    op.name,
    'gradOutput',
    bad.gradOutput.kind,
  );
  return true;
}

describe('bad input raises TypeError / RangeError with the template message', () => {
  for (const { label, arb } of setups) {
    it(label, () => {
      fc.assert(
        fc.property(
          arb,
          problemArb({ kind: 'entry' }).chain((p) => {
            const x = tensorOf(p, p.x);
            return fc.record({
              p: fc.constant(p),
              lambda: badHyper(x, makeHyper(p) as Tensor, true),
              x: badTensor(x),
              scaling: badScaling,
              gradOutput: fc.oneof(
                badTensor(tensorOf(p, p.g)),
                fc.constant(asRange(fromArray(new Float64Array(x.size + 1), [x.size + 1]))),
              ),
            });
          }),
          (setup, { p, ...bad }) =>
            rejectsEverywhere(setup.op, tensorOf(p, p.x), makeHyper(p), setup.scaling, tensorOf(p, p.g), bad),
        ),
        fcParams(50),
      );
    });
  }

  it('firmThreshold: gamma <= 1 and scaling >= gamma', () => {
    fc.assert(
      fc.property(double(-10, 1), double(1.01, 10), double(0, 5), (lowGamma, gamma, over) => {
        rejects(() => firmThreshold(lowGamma), 'firmThreshold', 'gamma', RangeError);
        const op = firmThreshold(gamma);
        const x = fromArray([1, -2], [2]);
        rejects(() => op.prox(x, 1, gamma + over), 'firmThreshold', 'scaling', RangeError);
        return rejects(() => op.vjp(x, 1, gamma + over, x), 'firmThreshold', 'scaling', RangeError);
      }),
      fcParams(50),
    );
  });

  it('elasticNet: a negative or non-finite mu', () => {
    fc.assert(
      fc.property(
        fc.oneof(negative.map(asRange), nonFinite.map(asRange), notANumberNorUndefined.map(asType)),
        (bad) => rejects(() => elasticNet(bad.value as number), 'elasticNet', 'mu', bad.kind),
      ),
      fcParams(30),
    );
  });

  it('groupSoftThreshold: lambda, x, scaling and gradOutput', () => {
    fc.assert(
      fc.property(
        groupProblemArb({ rank: 2 }).chain((p) => {
          const x = tensorOf(p, p.x);
          return fc.record({
            p: fc.constant(p),
            lambda: badHyper(x, fromArray(new Float64Array(p.shape[0]).fill(1), [p.shape[0]]), false),
            x: fc.oneof(badTensor(x), fc.constant(asRange(fromArray([0], [1, 1, 1])))),
            scaling: badScaling,
            gradOutput: badTensor(tensorOf(p, p.g)),
          });
        }),
        ({ p, ...bad }) => {
          // A group reaching past the last axis makes x too short for the groups.
          const op = groupSoftThreshold([...p.groups, [p.m + 3]]);
          const x = tensorOf(p, p.x);
          rejects(() => op.prox(x, 1), 'groupSoftThreshold', 'x', RangeError);
          const valid = groupOp(p);
          return rejectsEverywhere(valid, x, makeHyper(p), p.scaling, tensorOf(p, p.g), bad);
        },
      ),
      fcParams(50),
    );
  });

  it('groupSoftThreshold: bad groups and weights', () => {
    const badGroups = fc.oneof(
      fc.constantFrom<unknown>('0,1', null, undefined, 3, {}).map(asType),
      fc.constantFrom<unknown>(3, 'a', null, {}).map((v) => asType([[0], v])),
      fc.constantFrom<unknown>('0', null, [0]).map((v) => asType([[0, v]])),
      fc.constantFrom(0.5, -1, -0.5, NaN, Infinity, 2 ** 40).map((v) => asRange([[0], [v]])),
      fc.constant(asRange([[0], []])),
      fc.nat({ max: 5 }).map((i) => asRange([[i, i + 1], [i + 2], [i]])),
      fc.nat({ max: 5 }).map((i) => asRange([[i, i]])),
    );
    fc.assert(
      fc.property(badGroups, (bad) =>
        rejects(() => groupSoftThreshold(bad.value as number[][]), 'groupSoftThreshold', 'groups', bad.kind),
      ),
      fcParams(50),
    );
    const badWeights = fc.oneof(
      fc.constantFrom<unknown>(3, null, {}, true).map(asType),
      fc.constantFrom<unknown>('sqrt', 'none', [1], [1, 2, 3], [1, -1], [1, NaN], [Infinity, 1]).map(asRange),
      fc.constant(asType([1, '2'])),
    );
    fc.assert(
      fc.property(badWeights, (bad) =>
        rejects(
          () => groupSoftThreshold([[0], [1, 2]], { weights: bad.value as GroupWeights }),
          'groupSoftThreshold',
          'weights',
          bad.kind,
        ),
      ),
      fcParams(50),
    );
  });
});
