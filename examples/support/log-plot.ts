/**
 * A line plot with a log10 x axis (and optionally a log10 y axis), for curves over depths on a log
 * grid (T = 1 .. 1000). src/plot/line-plot.ts has a log y axis only: this takes its vega-lite spec
 * (linePlotSpec, which checks the series) and switches the x scale to log before rendering the same
 * way (vega's SVG renderer, headless), with legend labels never cut.
 */
import { linePlotSpec, type LinePlotOptions, type Series } from '../../src/plot/line-plot.js';

/** The plot as an SVG document, x on a log10 axis: every x must be > 0. */
export async function logXPlotSvg(series: readonly Series[], options: LinePlotOptions): Promise<string> {
  for (const s of series)
    if (s.x.some((x) => !(x > 0))) throw new RangeError(`logXPlotSvg: series '${s.name}' has an x <= 0.`);
  const spec = linePlotSpec(series, options) as unknown as {
    encoding: { x: Record<string, unknown> };
    config?: unknown;
  };
  spec.encoding.x = { ...spec.encoding.x, scale: { type: 'log' } };
  // Whole legend labels (vega cuts them at 160 px by default).
  spec.config = { legend: { labelLimit: 400 } };
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]);
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none' });
  try {
    return (await view.toSVG()) + '\n';
  } finally {
    view.finalize();
  }
}
