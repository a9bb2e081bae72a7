/**
 * Properties of every linear operator of src/operators, on random small instances of each family
 * (random sizes, random kernels with some zero taps, every boundary mode, both mask forms, both
 * orthogonal transforms, and combinators nested over random operators):
 *
 * - adjointness: |<A x, y> - <x, A^T y>| <= 1e-12 ||x|| ||y|| ||A|| for random x, y and for
 *   every pair of basis vectors (the explicit matrix of the adjoint is the transpose of A's);
 * - a batch equals its rows applied one by one, in both directions (bit for bit, except where a
 *   dense GEMM and a GEMV sum in different orders: then to 1e-13 relative);
 * - the norm estimate is within its stated tolerance of ||A||_2 from the SVD of the explicit
 *   matrix (exact norms: to rounding, 1e-13 relative);
 * - compose / sumOperators / scaleOperator / stackOperators / transposeOperator act as the
 *   product, sum, multiple, vertical concatenation and transpose of their matrices;
 * - inputs (signals, kernels, matrices, masks) are never modified;
 * - bad arguments raise TypeError / RangeError with the template message.
 *
 * The explicit matrix of an operator is A applied to the identity (a batch), transposed. Instances
 * are built from a seed drawn by fast-check (fixed seed via fcParams; FC_SEED to explore).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { eye, fromArray, tensor, zeros } from '../src/tensor/create.js';
import { maxAbsDiff } from '../src/tensor/compare.js';
import { concatRows, row, transpose } from '../src/tensor/views.js';
import { scale } from '../src/tensor/elementwise.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { svd } from '../src/linalg/eig.js';
import { matmul } from '../src/linalg/gemm.js';
import { dot, frobenius, norm2 } from '../src/linalg/norms.js';
import { Rng } from '../src/random/rng.js';
import { normal } from '../src/random/sample.js';
import {
  compose,
  convolution1d,
  convolution2d,
  dct2Operator,
  diagonalOperator,
  differences1d,
  differences2d,
  gaussianSensingOperator,
  identityOperator,
  maskOperator,
  matrixOperator,
  normOfOperator,
  scaleOperator,
  stackOperators,
  subsampledOrthogonalOperator,
  sumOperators,
  transposeOperator,
  type ConvolutionBoundary,
  type LinearOperator,
} from '../src/operators/index.js';
import { fcParams, snapshot, unchanged } from './support/arbitraries.js';

/** Relative rounding allowed where two computations of the same quantity sum in different orders. */
const ROUNDING = 1e-13;

/** A random operator with what the properties need to know about it. */
interface Case {
  op: LinearOperator;
  /** The constructor name that prefixes its messages. */
  fn: string;
  /** Whether a batch must match its rows bit for bit (no dense GEMM against GEMV inside). */
  batchExact: boolean;
  /** Tensors given to the constructor, which must never change. */
  inputs: Tensor[];
}

/** A random kernel of the given shape with about one tap in five set to zero (the skipped taps). */
function randomKernel(rng: Rng, shape: number[]): Tensor {
  const k = Array.from(normal(rng, shape).data);
  for (let i = 0; i < k.length; i++) if (rng.uniform() < 0.2) k[i] = 0;
  return fromArray(k, shape);
}

const BOUNDARIES: ConvolutionBoundary[] = ['zero', 'circular', 'valid'];

/** The leaf families: one constructor each, with random sizes. */
const leafFamilies = {
  matrix(rng: Rng): Case {
    const a = normal(rng, [rng.int(1, 8), rng.int(1, 8)]);
    return { op: matrixOperator(a), fn: 'matrixOperator', batchExact: false, inputs: [a] };
  },
  identity(rng: Rng): Case {
    return { op: identityOperator(rng.int(1, 8)), fn: 'identityOperator', batchExact: true, inputs: [] };
  },
  diagonal(rng: Rng): Case {
    const d = randomKernel(rng, [rng.int(1, 8)]);
    return { op: diagonalOperator(d), fn: 'diagonalOperator', batchExact: true, inputs: [d] };
  },
  mask(rng: Rng): Case {
    const n = rng.int(1, 10);
    const flags = Array.from({ length: n }, () => rng.uniform() < 0.5);
    const keep = rng.uniform() < 0.5 ? 'zero' : 'subsample';
    const asTensor = rng.uniform() < 0.5;
    const m = fromArray(
      flags.map((f) => (f ? 1 : 0)),
      [n],
    );
    const op = maskOperator(asTensor ? m : flags, { keep });
    return { op, fn: 'maskOperator', batchExact: true, inputs: asTensor ? [m] : [] };
  },
  gaussianSensing(rng: Rng): Case {
    const op = gaussianSensingOperator(rng.int(0, 1000), rng.int(1, 8), rng.int(1, 8));
    return { op, fn: 'gaussianSensingOperator', batchExact: false, inputs: [] };
  },
  subsampledOrthogonal(rng: Rng): Case {
    const hadamard = rng.uniform() < 0.5;
    const m = hadamard ? 2 ** rng.int(0, 4) : rng.int(1, 12);
    const op = subsampledOrthogonalOperator(
      rng.int(0, 1000),
      rng.int(1, m),
      m,
      hadamard ? 'hadamard' : 'dct',
    );
    return { op, fn: 'subsampledOrthogonalOperator', batchExact: false, inputs: [] };
  },
  convolution1d(rng: Rng): Case {
    const boundary = BOUNDARIES[rng.int(0, 2)];
    const k = rng.int(1, 6);
    const n = boundary === 'valid' ? rng.int(k, 10) : rng.int(1, 10);
    const kernel = randomKernel(rng, [k]);
    return {
      op: convolution1d(kernel, n, boundary),
      fn: 'convolution1d',
      batchExact: true,
      inputs: [kernel],
    };
  },
  convolution2d(rng: Rng): Case {
    const boundary = BOUNDARIES[rng.int(0, 2)];
    const [kh, kw] = [rng.int(1, 4), rng.int(1, 4)];
    const h = boundary === 'valid' ? rng.int(kh, 6) : rng.int(1, 6);
    const w = boundary === 'valid' ? rng.int(kw, 6) : rng.int(1, 6);
    const kernel = randomKernel(rng, [kh, kw]);
    const op = convolution2d(kernel, h, w, boundary);
    return { op, fn: 'convolution2d', batchExact: true, inputs: [kernel] };
  },
  differences1d(rng: Rng): Case {
    return { op: differences1d(rng.int(1, 12)), fn: 'differences1d', batchExact: true, inputs: [] };
  },
  differences2d(rng: Rng): Case {
    return {
      op: differences2d(rng.int(1, 6), rng.int(1, 6)),
      fn: 'differences2d',
      batchExact: true,
      inputs: [],
    };
  },
  dct2(rng: Rng): Case {
    return {
      op: dct2Operator(rng.int(1, 6), rng.int(1, 6)),
      fn: 'dct2Operator',
      batchExact: true,
      inputs: [],
    };
  },
};

type LeafFamily = keyof typeof leafFamilies;
const LEAVES = Object.keys(leafFamilies) as LeafFamily[];

/** A random leaf operator with at least one output (so that another operator can follow it). */
function randomLeaf(rng: Rng): Case {
  for (;;) {
    const c = leafFamilies[LEAVES[rng.int(0, LEAVES.length - 1)]](rng);
    if (c.op.outputSize >= 1) return c;
  }
}

/** A random operator with the given inputSize m >= 1 (dense or structured). */
function withInputSize(rng: Rng, m: number): Case {
  switch (rng.int(0, 6)) {
    case 0: {
      const a = normal(rng, [rng.int(1, 6), m]);
      return { op: matrixOperator(a), fn: 'matrixOperator', batchExact: false, inputs: [a] };
    }
    case 1: {
      const kernel = randomKernel(rng, [rng.int(1, 4)]);
      const op = convolution1d(kernel, m, rng.uniform() < 0.5 ? 'zero' : 'circular');
      return { op, fn: 'convolution1d', batchExact: true, inputs: [kernel] };
    }
    case 2:
      return { op: differences1d(m), fn: 'differences1d', batchExact: true, inputs: [] };
    case 3: {
      const d = randomKernel(rng, [m]);
      return { op: diagonalOperator(d), fn: 'diagonalOperator', batchExact: true, inputs: [d] };
    }
    case 4: {
      const flags = Array.from({ length: m }, () => rng.uniform() < 0.6);
      const op = maskOperator(flags, { keep: rng.uniform() < 0.5 ? 'zero' : 'subsample' });
      return { op, fn: 'maskOperator', batchExact: true, inputs: [] };
    }
    case 5:
      return { op: dct2Operator(1, m), fn: 'dct2Operator', batchExact: true, inputs: [] };
    default:
      return { op: identityOperator(m), fn: 'identityOperator', batchExact: true, inputs: [] };
  }
}

/** A random operator of the given shape (n, m): dense, or a square structured one, or a sum. */
function withShape(rng: Rng, n: number, m: number): Case {
  if (n === m && rng.uniform() < 0.5) {
    for (;;) {
      const c = withInputSize(rng, m);
      if (c.op.outputSize === n) return c;
    }
  }
  const a = normal(rng, [n, m]);
  return { op: matrixOperator(a), fn: 'matrixOperator', batchExact: false, inputs: [a] };
}

/** Merges the bookkeeping of the parts of a combinator. */
function combined(op: LinearOperator, fn: string, parts: Case[]): Case {
  return {
    op,
    fn,
    batchExact: parts.every((p) => p.batchExact),
    inputs: parts.flatMap((p) => p.inputs),
  };
}

/** The combinator families, built over leaves (and, one level deep, over other combinators). */
const combinatorFamilies = {
  compose(rng: Rng): Case {
    const b = randomLeaf(rng);
    const a = withInputSize(rng, b.op.outputSize);
    return combined(compose(a.op, b.op), 'compose', [a, b]);
  },
  sum(rng: Rng): Case {
    const a = randomLeaf(rng);
    const b = withShape(rng, a.op.outputSize, a.op.inputSize);
    return combined(sumOperators(a.op, b.op), 'sumOperators', [a, b]);
  },
  scale(rng: Rng): Case {
    const a = rng.uniform() < 0.3 ? combinatorFamilies.compose(rng) : randomLeaf(rng);
    const c = rng.uniform() < 0.1 ? 0 : rng.normal() * 3;
    return combined(scaleOperator(a.op, c), 'scaleOperator', [a]);
  },
  stack(rng: Rng): Case {
    const first = randomLeaf(rng);
    const parts = [first];
    for (let i = rng.int(0, 2); i > 0; i--) parts.push(withInputSize(rng, first.op.inputSize));
    return combined(stackOperators(parts.map((p) => p.op)), 'stackOperators', parts);
  },
  transpose(rng: Rng): Case {
    const a = rng.uniform() < 0.3 ? combinatorFamilies.stack(rng) : randomLeaf(rng);
    return combined(transposeOperator(a.op), 'transposeOperator', [a]);
  },
};

const allFamilies: Record<string, (rng: Rng) => Case> = { ...leafFamilies, ...combinatorFamilies };

/** The explicit matrix (outputSize, inputSize): A applied to the identity, transposed. */
function explicit(op: LinearOperator): Tensor {
  return transpose(op.apply(eye(op.inputSize)));
}

/** The explicit matrix of the adjoint (inputSize, outputSize). */
function explicitAdjoint(op: LinearOperator): Tensor {
  return transpose(op.adjoint(eye(Math.max(op.outputSize, 0))));
}

/** ||A||_2 from the SVD of a matrix (0 for an empty one). */
function spectral(a: Tensor): number {
  return a.shape[0] === 0 || a.shape[1] === 0 ? 0 : svd(a).s.get(0);
}

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });

describe('every operator family', () => {
  for (const [family, build] of Object.entries(allFamilies)) {
    describe(family, () => {
      it('passes the adjoint test, with explicit matrices transposes of each other', () => {
        fc.assert(
          fc.property(seedArb, (seed) => {
            const rng = new Rng(seed);
            const { op } = build(rng);
            const a = explicit(op);
            const norm = spectral(a);
            const x = normal(rng, [op.inputSize]);
            const y = normal(rng, [op.outputSize]);
            const lhs = dot(op.apply(x), y);
            const rhs = dot(x, op.adjoint(y));
            expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-12 * norm2(x) * norm2(y) * norm);
            // The same test on every pair of basis vectors: <A e_j, e_i> = <e_j, A^T e_i>.
            if (op.outputSize > 0 && op.inputSize > 0)
              expect(maxAbsDiff(explicitAdjoint(op), transpose(a))).toBeLessThanOrEqual(1e-12 * norm);
          }),
          fcParams(40),
        );
      });

      it('applies a batch as its rows, in both directions', () => {
        fc.assert(
          fc.property(seedArb, fc.integer({ min: 1, max: 4 }), (seed, batch) => {
            const rng = new Rng(seed);
            const { op, batchExact } = build(rng);
            const norm = spectral(explicit(op));
            for (const [x, f] of [
              [normal(rng, [batch, op.inputSize]), (t: Tensor) => op.apply(t)],
              [normal(rng, [batch, op.outputSize]), (t: Tensor) => op.adjoint(t)],
            ] as const) {
              const whole = f(x);
              expect(whole.shape[0]).toBe(batch);
              for (let r = 0; r < batch; r++) {
                const alone = f(row(x, r));
                const part = row(whole, r);
                if (batchExact) expect(Array.from(part.data)).toEqual(Array.from(alone.data));
                else expect(maxAbsDiff(part, alone)).toBeLessThanOrEqual(ROUNDING * norm * norm2(row(x, r)));
              }
            }
          }),
          fcParams(30),
        );
      });

      it('states a norm within its tolerance of the SVD norm', () => {
        fc.assert(
          fc.property(seedArb, (seed) => {
            const { op } = build(new Rng(seed));
            const truth = spectral(explicit(op));
            const est = op.norm();
            expect(est.tolerance).toBeGreaterThanOrEqual(0);
            if (est.exact) expect(est.tolerance).toBe(0);
            expect(Math.abs(est.value - truth)).toBeLessThanOrEqual((est.tolerance + ROUNDING) * truth);
            const generic = normOfOperator(op);
            expect(Math.abs(generic.value - truth)).toBeLessThanOrEqual(
              (generic.tolerance + ROUNDING) * truth,
            );
          }),
          fcParams(30),
        );
      });

      it('never modifies its inputs or its constructor arguments', () => {
        fc.assert(
          fc.property(seedArb, (seed) => {
            const rng = new Rng(seed);
            const { op, inputs } = build(rng);
            const before = inputs.map(snapshot);
            const x = normal(rng, [2, op.inputSize]);
            const y = normal(rng, [op.outputSize]);
            const [sx, sy] = [snapshot(x), snapshot(y)];
            op.apply(x);
            op.adjoint(y);
            op.norm();
            expect(unchanged(x, sx)).toBe(true);
            expect(unchanged(y, sy)).toBe(true);
            inputs.forEach((t, i) => expect(unchanged(t, before[i])).toBe(true));
          }),
          fcParams(20),
        );
      });

      it('rejects inputs of the wrong kind, length, rank or with non-finite entries', () => {
        fc.assert(
          fc.property(
            seedArb,
            fc.constantFrom('length', 'rank', 'nonfinite', 'kind'),
            fc.constantFrom(NaN, Infinity, -Infinity),
            fc.boolean(),
            (seed, fault, bad, adjoint) => {
              const rng = new Rng(seed);
              const { op, fn } = build(rng);
              const size = adjoint ? op.outputSize : op.inputSize;
              const name = adjoint ? 'y' : 'x';
              const method = `${fn}.${adjoint ? 'adjoint' : 'apply'}`;
              const call = (t: unknown) => (adjoint ? op.adjoint(t as Tensor) : op.apply(t as Tensor));
              const prefix = `${method}: argument '${name}' must be`;
              const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
              if (fault === 'length') {
                const wrong = size + rng.int(1, 3);
                expect(() => call(zeros([2, wrong]))).toThrow(
                  new RangeError(
                    `${prefix} a tensor of shape [${size}] or [*, ${size}]. Got a tensor of shape [2, ${wrong}].`,
                  ),
                );
              } else if (fault === 'rank') {
                expect(() => call(zeros([1, 1, size]))).toThrow(
                  new RangeError(`${prefix} a tensor of rank 1 or 2. Got a tensor of shape [1, 1, ${size}].`),
                );
              } else if (fault === 'nonfinite') {
                if (size === 0) return;
                const data = Array.from(normal(rng, [2 * size]).data);
                const at = rng.int(0, data.length - 1);
                data[at] = bad;
                expect(() => call(fromArray(data, [2, size]))).toThrow(
                  new RangeError(
                    `${prefix} a tensor of finite values. Got ${bad} at flat index ${at} of a tensor of shape [2, ${size}].`,
                  ),
                );
              } else {
                expect(() => call(new Array<number>(size).fill(0))).toThrow(TypeError);
                expect(() => call(new Array<number>(size).fill(0))).toThrow(
                  new RegExp(`^${escaped} a tensor of rank 1 or 2\\. Got`),
                );
              }
            },
          ),
          fcParams(30),
        );
      });
    });
  }
});

describe('combinators act as their matrices', () => {
  it('compose is the matrix product', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const rng = new Rng(seed);
        const b = randomLeaf(rng).op;
        const a = withInputSize(rng, b.outputSize).op;
        const [ea, eb] = [explicit(a), explicit(b)];
        const diff = maxAbsDiff(explicit(compose(a, b)), matmul(ea, eb));
        expect(diff).toBeLessThanOrEqual(ROUNDING * frobenius(ea) * frobenius(eb));
      }),
      fcParams(60),
    );
  });

  it('sumOperators is the matrix sum and scaleOperator the multiple, with |c| ||A|| as norm', () => {
    fc.assert(
      fc.property(seedArb, fc.double({ min: -5, max: 5, noNaN: true }), (seed, c) => {
        const rng = new Rng(seed);
        const a = randomLeaf(rng).op;
        const b = withShape(rng, a.outputSize, a.inputSize).op;
        const [ea, eb] = [explicit(a), explicit(b)];
        const summed = explicit(sumOperators(a, b));
        const expected = fromArray(
          Array.from(ea.data, (v, i) => v + eb.data[i]),
          ea.shape,
        );
        expect(maxAbsDiff(summed, expected)).toBeLessThanOrEqual(ROUNDING * (frobenius(ea) + frobenius(eb)));
        const scaled = scaleOperator(a, c);
        expect(Array.from(explicit(scaled).data)).toEqual(Array.from(scale(ea, c).data));
        expect(scaled.norm().value).toBe(Math.abs(c) * a.norm().value);
        expect(scaled.norm().exact).toBe(a.norm().exact);
      }),
      fcParams(60),
    );
  });

  it('stackOperators concatenates the matrices vertically, transposeOperator transposes', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const rng = new Rng(seed);
        const first = randomLeaf(rng).op;
        const ops = [first];
        for (let i = rng.int(0, 3); i > 0; i--) ops.push(withInputSize(rng, first.inputSize).op);
        const stacked = stackOperators(ops);
        const expected = concatRows(ops.map(explicit));
        expect(Array.from(explicit(stacked).data)).toEqual(Array.from(expected.data));
        expect(stacked.outputSize).toBe(expected.shape[0]);
        const t = transposeOperator(stacked);
        expect(Array.from(explicit(t).data)).toEqual(Array.from(explicitAdjoint(stacked).data));
        expect(Array.from(explicitAdjoint(t).data)).toEqual(Array.from(explicit(stacked).data));
      }),
      fcParams(60),
    );
  });
});

describe('bad constructor arguments', () => {
  const sizeArgs: [string, string, (v: number) => unknown][] = [
    ['identityOperator', 'n', (v) => identityOperator(v)],
    ['differences1d', 'n', (v) => differences1d(v)],
    ['differences2d', 'height', (v) => differences2d(v, 3)],
    ['differences2d', 'width', (v) => differences2d(3, v)],
    ['dct2Operator', 'patchHeight', (v) => dct2Operator(v, 2)],
    ['dct2Operator', 'patchWidth', (v) => dct2Operator(2, v)],
    ['convolution1d', 'n', (v) => convolution1d(tensor([1, 2]), v)],
    ['convolution2d', 'height', (v) => convolution2d(tensor([[1]]), v, 2)],
    ['convolution2d', 'width', (v) => convolution2d(tensor([[1]]), 2, v)],
    ['gaussianSensingOperator', 'n', (v) => gaussianSensingOperator(1, v, 3)],
    ['gaussianSensingOperator', 'm', (v) => gaussianSensingOperator(1, 3, v)],
  ];

  it('sizes that are not integers >= 1 raise RangeError with the template', () => {
    const badSize = fc.oneof(
      fc.double({ min: -100, max: 100, noNaN: true }).filter((v) => !Number.isInteger(v)),
      fc.integer({ min: -100, max: 0 }),
      fc.constantFrom(NaN, Infinity, -Infinity),
    );
    fc.assert(
      fc.property(fc.constantFrom(...sizeArgs), badSize, ([fn, name, make], v) => {
        expect(() => make(v)).toThrow(
          new RangeError(
            `${fn}: argument '${name}' must be an integer >= 1. Got ${Object.is(v, -0) ? '-0' : v}.`,
          ),
        );
      }),
      fcParams(100),
    );
  });

  it('sizes of the wrong kind raise TypeError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...sizeArgs),
        fc.constantFrom<unknown>('3', null, undefined, [3], {}),
        ([fn, name, make], v) => {
          expect(() => make(v as number)).toThrow(TypeError);
          expect(() => make(v as number)).toThrow(`${fn}: argument '${name}' must be an integer >= 1. Got `);
        },
      ),
      fcParams(40),
    );
  });

  it('empty or non-finite kernels and matrices raise RangeError', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.constantFrom(NaN, Infinity), (n, bad) => {
        expect(() => convolution1d(zeros([0]), n)).toThrow(
          new RangeError(
            "convolution1d: argument 'kernel' must be a tensor of rank 1 with at least one entry. Got a tensor of shape [0].",
          ),
        );
        expect(() => convolution2d(zeros([n, 0]), 3, 3)).toThrow(RangeError);
        expect(() => convolution2d(zeros([0, n]), 3, 3)).toThrow(RangeError);
        const k = Array.from({ length: n }, (_, i) => (i === n - 1 ? bad : 1));
        expect(() => convolution1d(fromArray(k, [n]), 4)).toThrow(
          new RangeError(
            `convolution1d: argument 'kernel' must be a tensor of finite values. Got ${bad} at flat index ${n - 1} of a tensor of shape [${n}].`,
          ),
        );
        expect(() => matrixOperator(fromArray(k, [1, n]))).toThrow(RangeError);
        expect(() => diagonalOperator(fromArray(k, [n]))).toThrow(RangeError);
        expect(() => scaleOperator(identityOperator(2), bad)).toThrow(RangeError);
      }),
      fcParams(20),
    );
  });

  it('mismatched compositions, sums and stacks raise RangeError; non-operators TypeError', () => {
    fc.assert(
      fc.property(seedArb, (seed) => {
        const rng = new Rng(seed);
        const a = randomLeaf(rng).op;
        const wrong = a.inputSize + rng.int(1, 3);
        const b = matrixOperator(normal(rng, [wrong, 2]));
        expect(() => compose(a, b)).toThrow(
          new RangeError(
            `compose: argument 'b' must be an operator with outputSize ${a.inputSize} (the inputSize of a). Got an operator with outputSize ${wrong}.`,
          ),
        );
        const c = matrixOperator(normal(rng, [a.outputSize + 1, a.inputSize]));
        expect(() => sumOperators(a, c)).toThrow(
          new RangeError(
            `sumOperators: argument 'b' must be an operator of shape [${a.outputSize}, ${a.inputSize}] (the shape of a). Got an operator of shape [${a.outputSize + 1}, ${a.inputSize}].`,
          ),
        );
        const d = matrixOperator(normal(rng, [2, wrong]));
        expect(() => stackOperators([a, d])).toThrow(RangeError);
        expect(() => stackOperators([a, 'op' as unknown as LinearOperator])).toThrow(TypeError);
        expect(() => transposeOperator({ inputSize: 2 } as LinearOperator)).toThrow(TypeError);
        expect(() => scaleOperator(a, '2' as unknown as number)).toThrow(TypeError);
      }),
      fcParams(40),
    );
  });
});
