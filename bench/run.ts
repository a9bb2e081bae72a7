/**
 * The benchmark runner: `npm run bench -- NAME` runs one benchmark, `npm run bench` runs them all.
 *
 * Each benchmark is a function that measures, prints its own table and returns a plain result
 * object; the runner adds the date, the machine, the total time and the load average at the start
 * and the end (other jobs skew timings), then writes `bench/results/NAME.json` atomically (a
 * temporary file in the same directory, then a rename), so an interrupted run never leaves half a
 * file. To add a benchmark, add one line to {@link benchmarks}.
 *
 * @module
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A benchmark: measures, prints a table, returns what goes into its JSON file. */
export type Benchmark = () => Promise<object> | object;

/** Every registered benchmark by name; modules load only when their benchmark runs. */
export const benchmarks: Record<string, Benchmark> = {
  linalg: async () => (await import('./linalg.js')).runLinalgBench(),
  prox: async () => (await import('./prox.js')).runProxBench(),
  solvers: async () => (await import('./solvers.js')).runSolversBench(),
  unrolled: async () => (await import('./unrolled.js')).runUnrolledBench(),
  dictionary: async () => (await import('./dictionary.js')).runDictionaryBench(),
  gpu: async () => (await import('./gpu.js')).runGpuBench(),
};

/** Where the JSON results go. */
const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');

/** The machine a result was measured on. */
export function machineInfo(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  };
}

/** Writes `value` as JSON to `file` atomically: temporary file in the same directory, then rename. */
export function writeJsonAtomic(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** Runs the named benchmarks (all when none is named) and writes their results. */
export async function main(argv: readonly string[]): Promise<number> {
  const names = argv.length > 0 ? argv : Object.keys(benchmarks);
  const unknown = names.filter((n) => !Object.hasOwn(benchmarks, n));
  if (unknown.length > 0) {
    console.error(`bench: unknown benchmark ${unknown.map((n) => `'${n}'`).join(', ')}.`);
    console.error(`Known: ${Object.keys(benchmarks).join(', ')}.`);
    return 2;
  }
  for (const name of names) {
    console.log(`== ${name} ==`);
    const loadStart = os.loadavg();
    const start = performance.now();
    const result = await benchmarks[name]();
    const totalSeconds = (performance.now() - start) / 1000;
    const loadEnd = os.loadavg();
    console.log(
      `\nTotal ${totalSeconds.toFixed(1)} s; load average ${loadStart[0].toFixed(2)} at the start, ` +
        `${loadEnd[0].toFixed(2)} at the end (${os.cpus().length} cores; other processes skew the timings)`,
    );
    const file = path.join(resultsDir, `${name}.json`);
    writeJsonAtomic(file, {
      benchmark: name,
      date: new Date().toISOString(),
      machine: machineInfo(),
      ...result,
      totalSeconds,
      // os.loadavg() (1, 5, 15 minutes) at the start and the end: other load skews the timings.
      loadAverage: { start: loadStart, end: loadEnd },
    });
    console.log(`wrote ${path.relative(process.cwd(), file)}\n`);
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
