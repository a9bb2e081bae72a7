import { describe, expect, it } from 'vitest';
import { linePlotSpec, linePlotSvg, type LinePlotOptions, type Series } from '../../src/plot/line-plot.js';

const series: Series[] = [
  { name: 'ISTA <1/L>', x: [1, 2, 3, 4], y: [1, 0.1, 0.01, 0.001] },
  { name: 'FISTA', x: [1, 2, 3], y: [1, 1e-4, 1e-8] },
];
const options: LinePlotOptions = {
  title: 'Lasso & friends',
  xTitle: 'iteration',
  yTitle: 'mean F - F*',
  logY: true,
};

/** The text of every <text> element of an SVG document. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

/** The points of each line mark's path, in the order of the series. */
function linePaths(svg: string): [number, number][][] {
  return [...svg.matchAll(/<path[^>]*aria-roledescription="line mark" d="([^"]+)"/g)].map((m) =>
    m[1]
      .slice(1)
      .split('L')
      .map((p) => p.split(',').map(Number) as [number, number]),
  );
}

describe('line plots (vega-lite, rendered by vega in Node)', () => {
  it('renders an SVG document with the title, axis titles and series names (escaped)', async () => {
    const svg = await linePlotSvg(series, options);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const t = texts(svg);
    for (const label of ['Lasso &amp; friends', 'iteration', 'mean F - F*', 'ISTA &lt;1/L&gt;', 'FISTA'])
      expect(t).toContain(label);
    // One line path per series, with every point.
    const paths = linePaths(svg);
    expect(paths.map((p) => p.length)).toEqual([4, 3]);
  });

  it('labels a log y axis with powers of ten spanning the data', async () => {
    const t = texts(await linePlotSvg(series, options));
    expect(t).toContain('1e-8');
    expect(t).toContain('1e-4');
    expect(t).toContain('1e+0');
    // A linear axis over the same data has no 1e-8 label.
    const linear = texts(await linePlotSvg(series, { ...options, logY: false }));
    expect(linear).not.toContain('1e-8');
    // On the log axis, ISTA's factor 10 per step is a straight line: equal pixel steps in y.
    const ista = linePaths(await linePlotSvg(series, options))[0];
    const steps = ista.slice(1).map((p, k) => p[1] - ista[k][1]);
    for (const d of steps) expect(d).toBeCloseTo(steps[0], 2);
    expect(steps[0]).toBeGreaterThan(10);
  });

  it('is deterministic: the same input gives the same bytes', async () => {
    const a = await linePlotSvg(series, options);
    const b = await linePlotSvg(structuredClone(series), { ...options });
    expect(b).toBe(a);
  });

  it('keeps the legend in the order of the series', () => {
    const spec = linePlotSpec(series, options) as { encoding: { color: { sort: string[] } } };
    expect(spec.encoding.color.sort).toEqual(['ISTA <1/L>', 'FISTA']);
  });

  it('rejects non-positive values on a log axis, and bad series, with a clear message', async () => {
    const zero = [{ name: 'ISTA', x: [0, 1, 2], y: [1, 0.5, 0] }];
    await expect(linePlotSvg(zero, options)).rejects.toThrow(
      "linePlotSvg: argument 'series' must be series with y > 0 on a log axis. Got y = 0 at point 2 of 'ISTA'.",
    );
    // The same data is fine on a linear axis.
    expect(texts(await linePlotSvg(zero, { ...options, logY: false }))).toContain('ISTA');
    expect(() => linePlotSpec([{ name: 'a', x: [1, 2], y: [1] }], options)).toThrow(
      "linePlotSpec: argument 'series' must be series with as many x as y values. Got 2 x and 1 y values in series 'a'.",
    );
    expect(() => linePlotSpec([{ name: 'a', x: [1], y: [NaN] }], { ...options, logY: false })).toThrow(
      "linePlotSpec: argument 'series' must be series of finite values. Got (1, NaN) at point 0 of 'a'.",
    );
    expect(() => linePlotSpec([series[0], series[0]], options)).toThrow(RangeError);
    expect(() => linePlotSpec('ISTA' as never, options)).toThrow(TypeError);
    expect(() => linePlotSpec(series, { ...options, yTitle: 3 } as never)).toThrow(
      "linePlotSpec: argument 'options.yTitle' must be a string. Got 3.",
    );
    expect(() => linePlotSpec(series, { ...options, width: 0 })).toThrow(RangeError);
  });
});
