/**
 * Line plots as standalone SVG documents: several named series on shared axes, optionally with a
 * log10 y axis (convergence curves: F - F* per iteration or per layer). The plot is a vega-lite
 * spec ({@link linePlotSpec}, plain data) rendered by vega's SVG renderer in Node, headless (no
 * browser, no `canvas` package: text widths are estimated, so the output is the same everywhere).
 *
 * vega and vega-lite are loaded by dynamic import() on the first {@link linePlotSvg} call only:
 * the CLI and the examples draw with this module, and the main entry (src/index.ts) never imports
 * it, so the library itself does not load them.
 *
 * @module
 */
import type { TopLevelSpec } from 'vega-lite';
import { checkBoolean, checkInteger, Got, isArray, rangeError, typeError } from '../validate/index.js';

/** One curve: the points (x[k], y[k]), drawn in the order given. */
export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
}

/** Titles and scales of a plot. */
export interface LinePlotOptions {
  /** Title above the plot (default none). */
  title?: string;
  /** Title of the x axis. */
  xTitle: string;
  /** Title of the y axis. */
  yTitle: string;
  /** log10 y axis (default false); every y must then be > 0. */
  logY?: boolean;
  /** Size of the plotting area in pixels (default 560 x 340; axes and legend come on top). */
  width?: number;
  height?: number;
}

function checkText(fn: string, name: string, value: unknown): string {
  if (typeof value !== 'string') typeError(fn, name, 'a string', value);
  return value;
}

/** Checks series and options; the message names the series and point of a bad value. */
function checkPlot(fn: string, series: unknown, options: unknown): void {
  if (!isArray(series)) typeError(fn, 'series', 'an array of { name, x, y }', series);
  if (options === null || typeof options !== 'object') typeError(fn, 'options', 'an object', options);
  const o = options as LinePlotOptions;
  if (o.title !== undefined) checkText(fn, 'options.title', o.title);
  checkText(fn, 'options.xTitle', o.xTitle);
  checkText(fn, 'options.yTitle', o.yTitle);
  const logY = o.logY === undefined ? false : checkBoolean(fn, 'options.logY', o.logY);
  if (o.width !== undefined) checkInteger(fn, 'options.width', o.width, { min: 1 });
  if (o.height !== undefined) checkInteger(fn, 'options.height', o.height, { min: 1 });
  const names = new Set<string>();
  for (const s of series as unknown[]) {
    const requirement = 'an array of { name: string, x: number[], y: number[] }';
    if (s === null || typeof s !== 'object') typeError(fn, 'series', requirement, s);
    const { name, x, y } = s as Series;
    if (typeof name !== 'string' || !isArray(x) || !isArray(y)) typeError(fn, 'series', requirement, s);
    if (names.has(name)) rangeError(fn, 'series', 'series with distinct names', new Got(`'${name}' twice`));
    names.add(name);
    if (x.length !== y.length)
      rangeError(
        fn,
        'series',
        'series with as many x as y values',
        new Got(`${x.length} x and ${y.length} y values in series '${name}'`),
      );
    for (let k = 0; k < x.length; k++) {
      const [xk, yk] = [x[k], y[k]];
      if (typeof xk !== 'number' || typeof yk !== 'number')
        typeError(
          fn,
          'series',
          'series of numbers',
          new Got(`${typeof xk}, ${typeof yk} at point ${k} of '${name}'`),
        );
      if (!Number.isFinite(xk) || !Number.isFinite(yk))
        rangeError(
          fn,
          'series',
          'series of finite values',
          new Got(`(${xk}, ${yk}) at point ${k} of '${name}'`),
        );
      // A log axis cannot show 0 or negative values: say so rather than drop points silently.
      if (logY && !(yk > 0))
        rangeError(
          fn,
          'series',
          'series with y > 0 on a log axis',
          new Got(`y = ${yk} at point ${k} of '${name}'`),
        );
    }
  }
}

/** The vega-lite spec of the plot: plain data, usable with any vega-lite tool. */
export function linePlotSpec(series: readonly Series[], options: LinePlotOptions): TopLevelSpec {
  checkPlot('linePlotSpec', series, options);
  return buildSpec(series, options);
}

function buildSpec(series: readonly Series[], options: LinePlotOptions): TopLevelSpec {
  const values = series.flatMap((s) => s.x.map((x, k) => ({ series: s.name, order: k, x, y: s.y[k] })));
  const logY = options.logY ?? false;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title === undefined ? {} : { title: options.title }),
    width: options.width ?? 560,
    height: options.height ?? 340,
    background: 'white',
    data: { values },
    mark: { type: 'line', strokeWidth: 1.8 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: options.xTitle },
      y: {
        field: 'y',
        type: 'quantitative',
        title: options.yTitle,
        // Log axes label powers of ten as 1e-8 rather than 0.00000001.
        ...(logY ? { scale: { type: 'log' }, axis: { format: '.0e' } } : { scale: { zero: false } }),
      },
      // Legend and colours in the order of the series, not alphabetical.
      color: { field: 'series', type: 'nominal', title: null, sort: series.map((s) => s.name) },
      order: { field: 'order', type: 'quantitative' },
    },
  };
}

/**
 * vega and vega-lite, optional peer dependencies: the plots of the CLI and the examples need
 * them, the library does not.
 */
async function loadVega(): Promise<[typeof import('vega'), typeof import('vega-lite')]> {
  try {
    return await Promise.all([import('vega'), import('vega-lite')]);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
      throw new Error(
        'linePlotSvg: plots need vega and vega-lite. Install them with: npm install vega vega-lite',
        {
          cause: e,
        },
      );
    throw e;
  }
}

/** The plot as an SVG document (loads vega and vega-lite on first use). */
export async function linePlotSvg(series: readonly Series[], options: LinePlotOptions): Promise<string> {
  checkPlot('linePlotSvg', series, options);
  const [vega, vegaLite] = await loadVega();
  const compiled = vegaLite.compile(buildSpec(series, options));
  // renderer 'none': no canvas or DOM; toSVG renders the scenegraph to a string.
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return (await view.toSVG()) + '\n';
  } finally {
    view.finalize();
  }
}
