/**
 * Benchmark of proximal operators (`npm run bench -- prox`).
 *
 * 1. Soft thresholding: throughput in elements per second of the raw kernel
 *    (`softThresholdScalarInto`) and of the checked tensor API (`softThreshold.prox`, which also
 *    validates x and allocates its output), on 10^3 .. 10^6 entries uniform in [-1, 1), lambda 0.5.
 * 2. TV-1D prox (Condat's direct algorithm, `tv1dInto`): one signal of 10^3 .. 10^6 samples, of two
 *    kinds: piecewise constant (segments of 20..200 samples, levels uniform in [-5, 5]) plus
 *    Gaussian noise of standard deviation 0.5 with lambda = 2, and pure Gaussian noise of standard
 *    deviation 1 with lambda = 1. Linear time shows as a ratio of per-element times at 10^6 and
 *    10^4 near 1 (a quadratic algorithm would give 100), up to the cost of leaving the cache,
 *    which the same ratio for soft thresholding (one streaming pass) shows.
 *
 * Times are medians of repeated calls (fast calls looped until one sample lasts >= 5 ms),
 * single-threaded, on data from a fixed seed.
 *
 * @module
 */
import { Rng } from '../src/random/rng.js';
import { fromArray } from '../src/tensor/create.js';
import { softThreshold, softThresholdScalarInto } from '../src/prox/soft-threshold.js';
import { tv1dInto } from '../src/prox/tv1d.js';
import { fmt, table, timePerCall } from './util.js';

const SIZES = [1e3, 1e4, 1e5, 1e6];

/** One soft-thresholding size. */
export interface SoftThresholdRow {
  n: number;
  kernelNsPerElement: number;
  kernelElementsPerSecond: number;
  apiNsPerElement: number;
  apiElementsPerSecond: number;
}

/** One TV-1D signal. */
export interface Tv1dRow {
  signal: 'piecewise+noise' | 'noise';
  n: number;
  lambda: number;
  ms: number;
  nsPerElement: number;
  elementsPerSecond: number;
  /** Segments of the solution (runs of equal values), to show what was computed. */
  segments: number;
}

/**
 * Per-element time at 10^6 over that at 10^4 (and over that at 10^5), per signal kind: about 1 for
 * linear time, 100 (10) for quadratic time. Between 10^4 and 10^5 the data leave the L2 cache, which
 * raises the per-element time of any pass over memory; `softThresholdRatio` is the same ratio for
 * the soft-thresholding kernel, one streaming pass, as the reference for that effect.
 */
export interface Linearity {
  signal: Tv1dRow['signal'];
  nsPerElementAt1e4: number;
  nsPerElementAt1e5: number;
  nsPerElementAt1e6: number;
  ratio1e6Over1e4: number;
  ratio1e6Over1e5: number;
  softThresholdRatio1e6Over1e4: number;
}

/** What `runProxBench` returns (the runner adds date and machine). */
export interface ProxBenchResult {
  softThreshold: SoftThresholdRow[];
  tv1d: Tv1dRow[];
  tv1dLinearity: Linearity[];
}

/** n entries uniform in [-1, 1). */
function uniformSignal(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => 2 * rng.uniform() - 1);
}

/** Piecewise constant (segments of 20..200 samples, levels in [-5, 5]) plus N(0, 0.5^2) noise. */
function piecewiseSignal(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  for (let i = 0; i < n;) {
    const level = 10 * rng.uniform() - 5;
    const end = Math.min(n, i + rng.int(20, 200));
    for (; i < end; i++) x[i] = level + 0.5 * rng.normal();
  }
  return x;
}

/** N(0, 1) noise. */
function noiseSignal(n: number, seed: number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => rng.normal());
}

function countSegments(u: Float64Array): number {
  let count = u.length > 0 ? 1 : 0;
  for (let i = 1; i < u.length; i++) if (u[i] !== u[i - 1]) count++;
  return count;
}

function benchSoftThreshold(n: number): SoftThresholdRow {
  const x = uniformSignal(n, 11);
  const out = new Float64Array(n);
  const xt = fromArray(x, [n]);
  const kernel = timePerCall(() => softThresholdScalarInto(x, 0.5, 1, out));
  const api = timePerCall(() => void softThreshold.prox(xt, 0.5));
  return {
    n,
    kernelNsPerElement: (kernel / n) * 1e9,
    kernelElementsPerSecond: n / kernel,
    apiNsPerElement: (api / n) * 1e9,
    apiElementsPerSecond: n / api,
  };
}

function benchTv1d(signal: Tv1dRow['signal'], n: number): Tv1dRow {
  const lambda = signal === 'noise' ? 1 : 2;
  const x = signal === 'noise' ? noiseSignal(n, 21) : piecewiseSignal(n, 23);
  const out = new Float64Array(n);
  const time = timePerCall(() => tv1dInto(x, 0, n, lambda, out));
  return {
    signal,
    n,
    lambda,
    ms: time * 1e3,
    nsPerElement: (time / n) * 1e9,
    elementsPerSecond: n / time,
    segments: countSegments(out),
  };
}

const perSecond = (x: number): string => `${(x / 1e6).toFixed(1)} M/s`;

/** Runs the prox benchmark, prints its tables and returns the measurements (about 10 s). */
export function runProxBench(): ProxBenchResult {
  const soft = SIZES.map(benchSoftThreshold);
  console.log('Soft thresholding, lambda = 0.5, entries uniform in [-1, 1)');
  console.log(
    table(
      ['n', 'kernel ns/elt', 'kernel throughput', 'API ns/elt', 'API throughput'],
      soft.map((r) => [
        String(r.n),
        fmt(r.kernelNsPerElement),
        perSecond(r.kernelElementsPerSecond),
        fmt(r.apiNsPerElement),
        perSecond(r.apiElementsPerSecond),
      ]),
    ),
  );

  const tv: Tv1dRow[] = [];
  for (const signal of ['piecewise+noise', 'noise'] as const)
    for (const n of SIZES) tv.push(benchTv1d(signal, n));
  console.log('\nTV-1D prox (Condat), one signal of n samples');
  console.log(
    table(
      ['signal', 'n', 'lambda', 'ms', 'ns/elt', 'throughput', 'segments'],
      tv.map((r) => [
        r.signal,
        String(r.n),
        String(r.lambda),
        fmt(r.ms, 3),
        fmt(r.nsPerElement),
        perSecond(r.elementsPerSecond),
        String(r.segments),
      ]),
    ),
  );

  const softAt = (n: number): number => soft.find((r) => r.n === n)!.kernelNsPerElement;
  const linearity = (['piecewise+noise', 'noise'] as const).map((signal): Linearity => {
    const at = (n: number): number => tv.find((r) => r.signal === signal && r.n === n)!.nsPerElement;
    return {
      signal,
      nsPerElementAt1e4: at(1e4),
      nsPerElementAt1e5: at(1e5),
      nsPerElementAt1e6: at(1e6),
      ratio1e6Over1e4: at(1e6) / at(1e4),
      ratio1e6Over1e5: at(1e6) / at(1e5),
      softThresholdRatio1e6Over1e4: softAt(1e6) / softAt(1e4),
    };
  });
  console.log(
    '\nTV-1D linearity: time per element at 10^6 over that at 10^4 and 10^5 ' +
      '(1 = linear, 100 and 10 = quadratic; soft thresholding shows the cost of leaving the cache)',
  );
  console.log(
    table(
      [
        'signal',
        'ns/elt 1e4',
        'ns/elt 1e5',
        'ns/elt 1e6',
        '1e6 / 1e4',
        '1e6 / 1e5',
        'soft-threshold 1e6 / 1e4',
      ],
      linearity.map((l) => [
        l.signal,
        fmt(l.nsPerElementAt1e4),
        fmt(l.nsPerElementAt1e5),
        fmt(l.nsPerElementAt1e6),
        fmt(l.ratio1e6Over1e4),
        fmt(l.ratio1e6Over1e5),
        fmt(l.softThresholdRatio1e6Over1e4),
      ]),
    ),
  );
  return { softThreshold: soft, tv1d: tv, tv1dLinearity: linearity };
}
