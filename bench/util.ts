/**
 * Timing and printing helpers shared by the benchmarks: medians of repeated wall-clock timings,
 * and plain text tables with right-aligned columns.
 *
 * @module
 */
import { textTable } from '../src/cli/text-table.js';

/** Median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Wall time of one call of `f`, in seconds. */
export function timeOnce(f: () => void): number {
  const t0 = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * Median wall time of one call of `f`, in seconds. Fast calls are repeated in a loop until one
 * sample lasts at least `minSampleSeconds`, so that the timer's resolution does not matter; the
 * median is over `samples` such samples, after one untimed warm-up sample.
 */
export function timePerCall(f: () => void, samples = 9, minSampleSeconds = 0.005): number {
  let calls = 1;
  while (timeOnce(() => repeat(f, calls)) < minSampleSeconds && calls < 1 << 24) calls *= 2;
  repeat(f, calls); // warm-up at the final loop length
  const times: number[] = [];
  for (let s = 0; s < samples; s++) times.push(timeOnce(() => repeat(f, calls)) / calls);
  return median(times);
}

function repeat(f: () => void, calls: number): void {
  for (let i = 0; i < calls; i++) f();
}

/** A number with a fixed number of digits. */
export function fmt(x: number, digits = 2): string {
  return x.toFixed(digits);
}

/** A plain text table with right-aligned columns. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return textTable(header, rows, { rule: true });
}
