/**
 * Properties of the projections (src/prox/projections.ts): box, orthant, l-infinity, l2 and l1
 * balls, with every hyper layout each accepts (one number, one per sample, one per entry).
 *
 * - The projection lands in the set (value 0) and is idempotent.
 * - It is firmly non-expansive: ||Px - Py||^2 <= <Px - Py, x - y>.
 * - It is the nearest point: ||x - Px|| <= ||x - q|| for random points q of the set.
 * - Moreau decomposition: x = softThreshold(x, lambda) + projLInfBall(x, lambda).
 * - The VJP (w.r.t. x and the hyper) equals central finite differences on inputs built away from
 *   the kinks: entries well inside or outside the bounds, norms well away from the radius, l1
 *   magnitudes well away from the threshold tau.
 * - Nothing writes into its inputs; bad input raises the template errors.
 *
 * Fixed seed (FC_SEED to explore); fast-check prints the seed and path of any failure.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fcParams, snapshot, tensorOfShape, unchanged } from './support/arbitraries.js';
import { allClose, fromArray, tensor, Tensor } from '../src/tensor/index.js';
import { Rng } from '../src/random/index.js';
import {
  projBox,
  projL1Ball,
  projL2Ball,
  projLInfBall,
  projNonNegative,
  type BoxBounds,
} from '../src/prox/projections.js';
import { softThreshold } from '../src/prox/soft-threshold.js';
import type { Hyper, ProxOperator } from '../src/prox/types.js';

const EPS = Number.EPSILON;

type Layout = 'scalar' | 'sample' | 'entry';

/** A projection, the layouts its hyper accepts, and how to draw its hyper and points of its set. */
interface Case {
  op: ProxOperator<unknown>;
  /** Draws a valid hyper for x. */
  hyper(x: Tensor): fc.Arbitrary<unknown>;
  /** A random point of the set (x gives the shape). */
  pointInSet(x: Tensor, hyper: unknown, rng: Rng): Tensor;
}

// ---------------------------------------------------------------------------------------------
// Hypers and points of the sets.

/** Rows and row length of a rank-1 or rank-2 x. */
function rowsOf(x: Tensor): [number, number] {
  return x.rank === 1 ? [1, x.shape[0]] : [x.shape[0], x.shape[1]];
}

/** A hyper in one of the given layouts (those that fit x) with values from `values`. */
function hyperArb(x: Tensor, layouts: readonly Layout[], values: fc.Arbitrary<number>): fc.Arbitrary<Hyper> {
  const fitting = layouts.filter((l) => l !== 'sample' || x.rank === 2);
  return fc.constantFrom(...fitting).chain((layout): fc.Arbitrary<Hyper> => {
    if (layout === 'scalar') return values;
    if (layout === 'sample')
      return fc
        .array(values, { minLength: x.shape[0], maxLength: x.shape[0] })
        .map((v) => fromArray(v, [x.shape[0]]));
    return tensorOfShape(x.shape, values);
  });
}

/** The hyper's value at flat entry k of x. */
function hyperAt(hyper: Hyper, x: Tensor, k: number): number {
  if (typeof hyper === 'number') return hyper;
  if (hyper.size === x.size && hyper.rank === x.rank) return hyper.data[k];
  return hyper.data[Math.floor(k / x.shape[1])];
}

/** The hyper's value for row r (scalar or per sample). */
function hyperOfRow(hyper: Hyper, r: number): number {
  return typeof hyper === 'number' ? hyper : hyper.data[r];
}

const radius = fc.double({ min: 0, max: 20, noNaN: true });

/** Box bounds: lower in [-10, 10] or -Infinity, upper = lower + extent or Infinity. */
function boxArb(x: Tensor): fc.Arbitrary<BoxBounds> {
  const finiteBox = fc
    .tuple(
      hyperArb(x, ['scalar', 'sample', 'entry'], fc.double({ min: -10, max: 10, noNaN: true })),
      fc.double({ min: 0, max: 10, noNaN: true }),
    )
    .map(([lower, extent]) => ({
      lower,
      upper:
        typeof lower === 'number'
          ? lower + extent
          : fromArray(
              lower.data.map((v) => v + extent),
              lower.shape,
            ),
    }));
  const halfInfinite = fc
    .tuple(fc.double({ min: -10, max: 10, noNaN: true }), fc.boolean())
    .map(([b, lowerSide]) => (lowerSide ? { lower: -Infinity, upper: b } : { lower: b, upper: Infinity }));
  return fc.oneof(finiteBox, halfInfinite, fc.constant({ lower: -Infinity, upper: Infinity }));
}

/** A random point of a box: uniform where both bounds are finite, exponential tails otherwise. */
function pointInBox(x: Tensor, bounds: BoxBounds, rng: Rng): Tensor {
  const out = new Float64Array(x.size);
  for (let k = 0; k < x.size; k++) {
    const l = hyperAt(bounds.lower, x, k);
    const u = hyperAt(bounds.upper, x, k);
    const tail = 10 * Math.abs(rng.normal());
    if (Number.isFinite(l) && Number.isFinite(u)) out[k] = l + rng.uniform() * (u - l);
    else if (Number.isFinite(l)) out[k] = l + tail;
    else if (Number.isFinite(u)) out[k] = u - tail;
    else out[k] = 10 * rng.normal();
  }
  return fromArray(out, x.shape);
}

/** A random point of a ball of whole rows: a random direction, normalised in `norm`, times r u. */
function pointInRowBall(x: Tensor, hyper: Hyper, rng: Rng, norm: (v: Float64Array) => number): Tensor {
  const [rows, n] = rowsOf(x);
  const out = new Float64Array(x.size);
  for (let r = 0; r < rows; r++) {
    const v = Float64Array.from({ length: n }, () => rng.normal());
    // Sometimes a vertex or a point of the boundary, where the nearest-point inequality is tight.
    const size = hyperOfRow(hyper, r) * (rng.uniform() < 0.3 ? 1 : rng.uniform());
    if (rng.uniform() < 0.2) v.fill(0)[rng.int(0, n - 1)] = 1;
    const scale = norm(v) > 0 ? size / norm(v) : 0;
    for (let i = 0; i < n; i++) out[r * n + i] = scale * v[i];
  }
  return fromArray(out, x.shape);
}

const l2 = (v: Float64Array): number => Math.hypot(...v);
const l1 = (v: Float64Array): number => v.reduce((s, a) => s + Math.abs(a), 0);

const cases: Case[] = [
  {
    op: projBox,
    hyper: boxArb,
    pointInSet: (x, h, rng) => pointInBox(x, h as BoxBounds, rng),
  },
  {
    op: projNonNegative,
    hyper: () => fc.constant(undefined),
    pointInSet: (x, _h, rng) => pointInBox(x, { lower: 0, upper: Infinity }, rng),
  },
  {
    op: projLInfBall,
    hyper: (x) => hyperArb(x, ['scalar', 'sample', 'entry'], radius),
    pointInSet: (x, h, rng) => {
      const out = new Float64Array(x.size);
      for (let k = 0; k < x.size; k++) out[k] = hyperAt(h as Hyper, x, k) * (2 * rng.uniform() - 1);
      return fromArray(out, x.shape);
    },
  },
  {
    op: projL2Ball,
    hyper: (x) => hyperArb(x, ['scalar', 'sample'], radius),
    pointInSet: (x, h, rng) => pointInRowBall(x, h as Hyper, rng, l2),
  },
  {
    op: projL1Ball,
    hyper: (x) => hyperArb(x, ['scalar', 'sample'], radius),
    pointInSet: (x, h, rng) => pointInRowBall(x, h as Hyper, rng, l1),
  },
];

/** x of rank 1 or 2, entries in [-1e3, 1e3] or small, with zeros and ties from fast-check. */
const xArb: fc.Arbitrary<Tensor> = fc
  .tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }))
  .chain(([rank, rows, n]) =>
    tensorOfShape(
      rank === 1 ? [n] : [rows, n],
      fc.oneof(
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.constantFrom(0, 1, -1),
      ),
    ),
  );

/** x with a hyper for a case. */
const inputArb = (c: Case): fc.Arbitrary<[Tensor, unknown]> =>
  xArb.chain((x) => c.hyper(x).map((h): [Tensor, unknown] => [x, h]));

const sq = (a: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * a[i];
  return s;
};
const distance = (a: Tensor, b: Tensor): number => Math.sqrt(sq(a.data.map((v, i) => v - b.data[i])));

// ---------------------------------------------------------------------------------------------

describe.each(cases.map((c) => [c.op.name, c] as const))('%s', (_name, c) => {
  it('lands in its set and is idempotent', () => {
    fc.assert(
      fc.property(inputArb(c), ([x, h]) => {
        const p = c.op.prox(x, h);
        expect(c.op.value(p, h)).toBe(0);
        // A norm may exceed the radius by rounding (n eps), so projecting again may move p by
        // that much relative to the radius.
        const size = 1 + Math.max(...x.data.map(Math.abs));
        expect(allClose(c.op.prox(p, h, 3), p, { rtol: 4 * EPS, atol: 16 * EPS * size })).toBe(true);
      }),
      fcParams(200),
    );
  });

  it('is firmly non-expansive', () => {
    fc.assert(
      fc.property(
        inputArb(c).chain(([x, h]) =>
          tensorOfShape(x.shape).map((y): [Tensor, Tensor, unknown] => [x, y, h]),
        ),
        ([x, y, h]) => {
          const px = c.op.prox(x, h).data;
          const py = c.op.prox(y, h).data;
          let lhs = 0;
          let rhs = 0;
          for (let i = 0; i < px.length; i++) {
            const d = px[i] - py[i];
            lhs += d * d;
            rhs += d * (x.data[i] - y.data[i]);
          }
          expect(lhs).toBeLessThanOrEqual(rhs + 1e-13 * (1 + sq(x.data) + sq(y.data)));
        },
      ),
      fcParams(200),
    );
  });

  it('is the nearest point of the set: ||x - p|| <= ||x - q|| and <x - p, q - p> <= 0', () => {
    fc.assert(
      fc.property(inputArb(c), fc.integer(), ([x, h], seed) => {
        const rng = new Rng(seed);
        const p = c.op.prox(x, h);
        const best = distance(x, p);
        for (let t = 0; t < 5; t++) {
          const q = c.pointInSet(x, h, rng);
          expect(c.op.value(q, h)).toBe(0);
          expect(best).toBeLessThanOrEqual(distance(x, q) * (1 + 1e-12) + 1e-12);
          // The variational inequality that characterises the projection, up to rounding of
          // the products (about eps times the squared sizes involved).
          let product = 0;
          for (let i = 0; i < x.size; i++) product += (x.data[i] - p.data[i]) * (q.data[i] - p.data[i]);
          const size = Math.sqrt(sq(x.data)) + Math.sqrt(sq(p.data)) + Math.sqrt(sq(q.data));
          expect(product).toBeLessThanOrEqual(1e-12 * (1 + size * size));
        }
      }),
      fcParams(200),
    );
  });

  it('does not write into its inputs', () => {
    fc.assert(
      fc.property(inputArb(c), ([x, h]) => {
        const g = fromArray(
          x.data.map((v) => Math.cos(v)),
          x.shape,
        );
        const hyperTensors = [
          h,
          (h as Partial<BoxBounds> | undefined)?.lower,
          (h as Partial<BoxBounds> | undefined)?.upper,
        ].filter((t): t is Tensor => t instanceof Tensor);
        const before = [x, g, ...hyperTensors].map(snapshot);
        c.op.prox(x, h, 2);
        c.op.value(x, h);
        c.op.vjp!(x, h, 2, g);
        [x, g, ...hyperTensors].forEach((t, i) => expect(unchanged(t, before[i])).toBe(true));
      }),
      fcParams(50),
    );
  });
});

/** Projection of one vector onto the l1 ball by bisection on the threshold tau (slow, independent). */
function l1BallByBisection(x: ArrayLike<number>, radius: number): number[] {
  const mags = Array.from(x, Math.abs);
  const excess = (tau: number): number => mags.reduce((s, a) => s + Math.max(a - tau, 0), 0) - radius;
  if (excess(0) <= 0) return Array.from(x);
  let low = 0;
  let high = Math.max(...mags);
  for (let it = 0; it < 200 && high - low > 0; it++) {
    const mid = (low + high) / 2;
    if (mid === low || mid === high) break;
    if (excess(mid) > 0) low = mid;
    else high = mid;
  }
  return Array.from(x, (v) => Math.sign(v) * Math.max(Math.abs(v) - high, 0));
}

describe('projL1Ball against bisection on the threshold', () => {
  it('equals the bisection solution to rounding', () => {
    fc.assert(
      fc.property(inputArb(cases.find((c) => c.op === projL1Ball)!), ([x, h]) => {
        const p = projL1Ball.prox(x, h as Hyper).data;
        const [rows, n] = rowsOf(x);
        for (let r = 0; r < rows; r++) {
          const row = x.data.subarray(r * n, (r + 1) * n);
          const reference = l1BallByBisection(row, hyperOfRow(h as Hyper, r));
          // Both thresholds are exact to about eps max|x| (times the row length for the sums).
          const tol = 4 * n * EPS * (1 + Math.max(...Array.from(row, Math.abs)));
          reference.forEach((v, i) => expect(Math.abs(p[r * n + i] - v)).toBeLessThanOrEqual(tol));
        }
      }),
      fcParams(300),
    );
  });
});

describe('Moreau decomposition', () => {
  it('x = softThreshold(x, lambda) + projLInfBall(x, lambda) for every layout of lambda', () => {
    fc.assert(
      fc.property(
        xArb.chain((x) =>
          hyperArb(x, ['scalar', 'sample', 'entry'], fc.double({ min: 0, max: 1e3, noNaN: true })).map(
            (lambda): [Tensor, Hyper] => [x, lambda],
          ),
        ),
        ([x, lambda]) => {
          const shrunk = softThreshold.prox(x, lambda).data;
          const clipped = projLInfBall.prox(x, lambda).data;
          const sum = fromArray(
            shrunk.map((v, k) => v + clipped[k]),
            x.shape,
          );
          // Each entry is (x - t) + t or 0 + x: one rounding of size eps |x| at most.
          expect(allClose(sum, x, { rtol: EPS, atol: 0 })).toBe(true);
        },
      ),
      fcParams(200),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// VJP against finite differences, on inputs built away from the kinks.

/** x, a hyper, and a direction for each, drawn by a seeded generator so that no kink is near. */
interface SmoothInput {
  x: Tensor;
  hyper: unknown;
  dx: Tensor;
  /** hyper + t dHyper, the perturbed hyper. */
  move(t: number): unknown;
  /** <gradHyper, dHyper>. */
  hyperDot(gradHyper: unknown): number;
}

/** A hyper (number or tensor) plus t times a direction of the same layout. */
function moveHyper(h: Hyper, d: Hyper, t: number): Hyper {
  if (typeof h === 'number') return h + t * (d as number);
  return fromArray(
    h.data.map((v, i) => v + t * (d as Tensor).data[i]),
    h.shape,
  );
}

function dotHyper(a: unknown, b: Hyper): number {
  if (typeof b === 'number') return (a as number) * b;
  return (a as Tensor).data.reduce((s, v, i) => s + v * b.data[i], 0);
}

/** A random hyper of a layout, entries from f, and a random direction for it. */
function randomHyper(x: Tensor, layout: Layout, rng: Rng, f: () => number): [Hyper, Hyper] {
  const count = layout === 'scalar' ? 1 : layout === 'sample' ? x.shape[0] : x.size;
  const values = Array.from({ length: count }, f);
  const dir = Array.from({ length: count }, () => 2 * rng.uniform() - 1);
  if (layout === 'scalar') return [values[0], dir[0]];
  const shape = layout === 'sample' ? [x.shape[0]] : x.shape;
  return [fromArray(values, shape), fromArray(dir, shape)];
}

const withHyper = (x: Tensor, dx: Tensor, h: Hyper, dh: Hyper): SmoothInput => ({
  x,
  hyper: h,
  dx,
  move: (t) => moveHyper(h, dh, t),
  hyperDot: (g) => dotHyper(g, dh),
});

/** Shape of x and a layout its hyper may take. */
function draw(seed: number, layouts: readonly Layout[]): [Rng, number[], Layout] {
  const rng = new Rng(seed);
  const rank = rng.int(1, 2);
  const shape = rank === 1 ? [rng.int(1, 8)] : [rng.int(1, 4), rng.int(1, 8)];
  const fitting = layouts.filter((l) => l !== 'sample' || rank === 2);
  return [rng, shape, fitting[rng.int(0, fitting.length - 1)]];
}

const direction = (rng: Rng, shape: number[]): Tensor =>
  fromArray(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => 2 * rng.uniform() - 1),
    shape,
  );

/** A value at least 0.1 below, inside (0.1..0.9 of the way), or at least 0.1 above [l, u]. */
function awayFromBounds(rng: Rng, l: number, u: number): number {
  const where = rng.int(0, 2);
  if (where === 0) return l - 0.1 - 2 * rng.uniform();
  if (where === 2) return u + 0.1 + 2 * rng.uniform();
  return l + (0.1 + 0.8 * rng.uniform()) * (u - l);
}

const smoothInputs: Record<string, (seed: number) => SmoothInput> = {
  projBox: (seed) => {
    const [rng, shape, layout] = draw(seed, ['scalar', 'sample', 'entry']);
    const probe = fromArray(new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0), shape);
    const [lower, dLower] = randomHyper(probe, layout, rng, () => 4 * rng.uniform() - 2);
    const extent = 1 + 3 * rng.uniform();
    const upper =
      typeof lower === 'number'
        ? lower + extent
        : fromArray(
            lower.data.map((v) => v + extent),
            lower.shape,
          );
    const [, dUpper] = randomHyper(probe, layout, rng, () => 0);
    const x = fromArray(
      Array.from({ length: probe.size }, (_, k) =>
        awayFromBounds(rng, hyperAt(lower, probe, k), hyperAt(upper, probe, k)),
      ),
      shape,
    );
    const bounds: BoxBounds = { lower, upper };
    return {
      x,
      hyper: bounds,
      dx: direction(rng, shape),
      move: (t) => ({ lower: moveHyper(lower, dLower, t), upper: moveHyper(upper, dUpper, t) }),
      hyperDot: (g) => dotHyper((g as BoxBounds).lower, dLower) + dotHyper((g as BoxBounds).upper, dUpper),
    };
  },
  projNonNegative: (seed) => {
    const [rng, shape] = draw(seed, ['scalar']);
    const x = fromArray(
      Array.from(
        { length: shape.reduce((a, b) => a * b, 1) },
        () => (rng.uniform() < 0.5 ? -1 : 1) * (0.1 + 3 * rng.uniform()),
      ),
      shape,
    );
    return { x, hyper: undefined, dx: direction(rng, shape), move: () => undefined, hyperDot: () => 0 };
  },
  projLInfBall: (seed) => {
    const [rng, shape, layout] = draw(seed, ['scalar', 'sample', 'entry']);
    const probe = fromArray(new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0), shape);
    const [r, dr] = randomHyper(probe, layout, rng, () => 1 + 2 * rng.uniform());
    const x = fromArray(
      Array.from({ length: probe.size }, (_, k) => {
        const rk = hyperAt(r, probe, k);
        const sign = rng.uniform() < 0.5 ? -1 : 1;
        return sign * rk * (rng.uniform() < 0.5 ? 0.8 * rng.uniform() : 1.2 + rng.uniform());
      }),
      shape,
    );
    return withHyper(x, direction(rng, shape), r, dr);
  },
  projL2Ball: (seed) => {
    const [rng, shape, layout] = draw(seed, ['scalar', 'sample']);
    const probe = fromArray(new Array<number>(shape.reduce((a, b) => a * b, 1)).fill(0), shape);
    const [r, dr] = randomHyper(probe, layout, rng, () => 1 + 2 * rng.uniform());
    const [rows, n] = rowsOf(probe);
    const data: number[] = [];
    for (let i = 0; i < rows; i++) {
      const v = Array.from({ length: n }, () => rng.normal());
      const norm = Math.hypot(...v); // > 0: normal draws are never all zero
      const target =
        hyperOfRow(r, i) * (rng.uniform() < 0.5 ? 0.2 + 0.6 * rng.uniform() : 1.2 + 2 * rng.uniform());
      data.push(...v.map((a) => (a / norm) * target));
    }
    return withHyper(fromArray(data, shape), direction(rng, shape), r, dr);
  },
  projL1Ball: (seed) => {
    // Outside: tau in [0.5, 2], active magnitudes tau + [0.3, 2.3], inactive ones in [0, tau - 0.3],
    // radius = the sum of the excesses. Inside: the radius is ||x||_1 / [0.2, 0.8].
    const [rng, shape, layout] = draw(seed, ['scalar', 'sample']);
    const [rows, n] = shape.length === 1 ? [1, shape[0]] : [shape[0], shape[1]];
    const inside = layout === 'scalar' ? rng.uniform() < 0.3 : false;
    const tau = 0.5 + 1.5 * rng.uniform();
    const data: number[] = [];
    const radii: number[] = [];
    for (let i = 0; i < rows; i++) {
      let excess = 0;
      const active = rng.int(0, n - 1); // at least one active entry
      for (let j = 0; j < n; j++) {
        const sign = rng.uniform() < 0.5 ? -1 : 1;
        if (j === active || rng.uniform() < 0.5) {
          const e = 0.3 + 2 * rng.uniform();
          excess += e;
          data.push(sign * (tau + e));
        } else data.push(sign * (tau - 0.3) * rng.uniform());
      }
      radii.push(excess);
    }
    const x = fromArray(data, shape);
    const dx = direction(rng, shape);
    if (inside)
      return withHyper(
        x,
        dx,
        l1(Float64Array.from(data)) / (0.2 + 0.6 * rng.uniform()),
        2 * rng.uniform() - 1,
      );
    if (layout === 'scalar') {
      // One radius for all rows: the same tau needs the same excess, so rescale each row's excesses.
      const r = radii[0];
      const scaled = data.map((v, k) => {
        const row = Math.floor(k / n);
        const a = Math.abs(v);
        return a > tau ? Math.sign(v) * (tau + ((a - tau) * r) / radii[row]) : v;
      });
      return withHyper(fromArray(scaled, shape), dx, r, 2 * rng.uniform() - 1);
    }
    const [, dr] = randomHyper(x, 'sample', rng, () => 0);
    return withHyper(x, dx, fromArray(radii, [rows]), dr);
  },
};

describe('VJP equals central finite differences away from the kinks', () => {
  const h = 1e-6;
  it.each(cases.map((c) => [c.op.name, c] as const))('%s', (name, c) => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const input = smoothInputs[name](seed);
        const rng = new Rng(seed + 7);
        const g = fromArray(
          Array.from({ length: input.x.size }, () => 2 * rng.uniform() - 1),
          input.x.shape,
        );
        const loss = (t: number): number => {
          const p = c.op.prox(
            fromArray(
              input.x.data.map((v, i) => v + t * input.dx.data[i]),
              input.x.shape,
            ),
            input.move(t),
          );
          return p.data.reduce((s, v, i) => s + v * g.data[i], 0);
        };
        const { gradInput, gradHyper } = c.op.vjp!(input.x, input.hyper, 1, g);
        const analytic =
          gradInput.data.reduce((s, v, i) => s + v * input.dx.data[i], 0) + input.hyperDot(gradHyper);
        const numeric = (loss(h) - loss(-h)) / (2 * h);
        // Rounding (about eps |p| per entry against |g|, over 2h) plus, for the l2 ball, the
        // second-order term of the smooth map, h^2 times its curvature.
        const size = 1 + Math.max(...input.x.data.map(Math.abs));
        const tol = (8 * EPS * size * g.data.reduce((s, v) => s + Math.abs(v), 0)) / h + 1e-9;
        expect(Math.abs(analytic - numeric)).toBeLessThanOrEqual(tol);
      }),
      fcParams(200),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Bad input.

/** Calls f and checks that it throws `kind` with the template message for argument `name`. */
function throwsTemplate(f: () => unknown, fn: string, name: string, kind: typeof TypeError): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(kind);
  const message = (caught as Error).message;
  expect(message.startsWith(`${fn}: argument '${name}' must be `)).toBe(true);
  expect(message).toMatch(/\. Got .+\.$/s);
}

describe('bad input raises the template errors', () => {
  const badRadius = fc.oneof(
    fc.record({
      value: fc.constantFrom<unknown>(NaN, Infinity, -Infinity, -1, -1e-300),
      kind: fc.constant(RangeError),
    }),
    fc.record({ value: fc.constantFrom<unknown>('1', null, [1], {}), kind: fc.constant(TypeError) }),
    fc.record({
      value: fc.constantFrom<unknown>(tensor([1, 2, 3, 4, 5, 6, 7, 8, 9]), tensor([NaN]), tensor([-1])),
      kind: fc.constant(RangeError),
    }),
  );

  it.each([projLInfBall, projL2Ball, projL1Ball].map((op) => [op.name, op] as const))(
    '%s rejects bad radii',
    (_name, op) => {
      fc.assert(
        fc.property(badRadius, fc.constantFrom('prox', 'value', 'vjp'), ({ value, kind }, method) => {
          const x = tensor([[1, -2]]);
          const call = (): unknown =>
            method === 'prox'
              ? op.prox(x, value as Hyper)
              : method === 'value'
                ? op.value(x, value as Hyper)
                : op.vjp!(x, value as Hyper, 1, x);
          throwsTemplate(call, op.name, 'radius', kind);
        }),
        fcParams(60),
      );
    },
  );

  it('projBox rejects lower > upper, NaN bounds, wrong infinities and a non-object hyper', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.boolean(),
        (lower, gap, asTensor) => {
          const x = tensor([0.5, 1.5]);
          const upper = lower - gap;
          const bounds = asTensor
            ? { lower: tensor([lower, lower]), upper: tensor([upper, upper]) }
            : { lower, upper };
          throwsTemplate(() => projBox.prox(x, bounds), 'projBox', 'upper', RangeError);
          throwsTemplate(() => projBox.prox(x, { lower: NaN, upper }), 'projBox', 'lower', RangeError);
          throwsTemplate(() => projBox.value(x, { lower, upper: -Infinity }), 'projBox', 'upper', RangeError);
          throwsTemplate(() => projBox.prox(x, lower as unknown as BoxBounds), 'projBox', 'hyper', TypeError);
          throwsTemplate(
            () => projBox.prox(x, { lower: tensor([lower]), upper: 20 }),
            'projBox',
            'lower',
            RangeError,
          );
        },
      ),
      fcParams(50),
    );
  });

  it('every projection rejects non-finite x, a bad scaling and a gradOutput of the wrong shape', () => {
    const ops: [ProxOperator<unknown>, unknown][] = [
      [projBox, { lower: 0, upper: 1 }],
      [projNonNegative, undefined],
      [projLInfBall, 1],
      [projL2Ball, 1],
      [projL1Ball, 1],
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...ops),
        fc.constantFrom(NaN, Infinity, -Infinity),
        fc.constantFrom<unknown>(-1, NaN, Infinity, '2'),
        ([op, hyper], nonFinite, scaling) => {
          const x = tensor([[1, -2]]);
          throwsTemplate(() => op.prox(tensor([[1, nonFinite]]), hyper), op.name, 'x', RangeError);
          throwsTemplate(
            () => op.prox(x, hyper, scaling as number),
            op.name,
            'scaling',
            typeof scaling === 'string' ? TypeError : RangeError,
          );
          throwsTemplate(() => op.vjp!(x, hyper, 1, tensor([1, -2])), op.name, 'gradOutput', RangeError);
          throwsTemplate(() => op.prox([1, 2] as unknown as Tensor, hyper), op.name, 'x', TypeError);
        },
      ),
      fcParams(60),
    );
    throwsTemplate(() => projL2Ball.prox(fromArray([1], [1, 1, 1]), 1), 'projL2Ball', 'x', RangeError);
    throwsTemplate(() => projL1Ball.prox(fromArray([1], [1, 1, 1]), 1), 'projL1Ball', 'x', RangeError);
  });
});
