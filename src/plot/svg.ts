/**
 * A dependency-free line plot as a standalone SVG document: several named series on shared
 * axes, optionally with a log10 y axis (convergence curves: F - F* or duality gaps per iteration).
 * A leaf module (it imports nothing): the CLI and the examples draw with it; the main entry does
 * not export it.
 *
 * @module
 */

/** One curve: points (x, y); points with a non-finite or (on a log axis) non-positive y are skipped. */
export interface Series {
  name: string;
  x: readonly number[];
  y: readonly number[];
}

/** Labels and scales of a plot. */
export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** log10 y axis (default false). */
  logY?: boolean;
  width?: number;
  height?: number;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** "Nice" tick values covering [lo, hi]: about `count` steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** The plot as an SVG document. */
export function linePlotSvg(series: readonly Series[], options: PlotOptions): string {
  const width = options.width ?? 720;
  const height = options.height ?? 440;
  const margin = { left: 70, right: 160, top: 40, bottom: 50 };
  const logY = options.logY ?? false;
  const ty = (v: number): number => (logY ? Math.log10(v) : v);
  const usable = series.map((s) =>
    s.x
      .map((x, i) => [x, s.y[i]] as const)
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0)),
  );
  const all = usable.flat();
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => ty(y));
  let [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
  if (logY) [y0, y1] = [Math.floor(y0), Math.ceil(y1)];
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const px = (x: number): number => margin.left + ((x - x0) / (x1 - x0)) * plotW;
  const py = (y: number): number => margin.top + (1 - (y - y0) / (y1 - y0)) * plotH;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15">${escapeXml(options.title)}</text>`,
  ];
  const yTicks = logY ? Array.from({ length: y1 - y0 + 1 }, (_, k) => y0 + k) : niceTicks(y0, y1);
  for (const t of yTicks) {
    const y = py(t);
    const label = logY ? `1e${t}` : String(t);
    out.push(`<line x1="${margin.left}" x2="${margin.left + plotW}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${margin.left - 6}" y="${y + 4}" text-anchor="end">${label}</text>`);
  }
  for (const t of niceTicks(x0, x1)) {
    const x = px(t);
    out.push(`<line x1="${x}" x2="${x}" y1="${margin.top}" y2="${margin.top + plotH}" stroke="#f0f0f0"/>`);
    out.push(`<text x="${x}" y="${margin.top + plotH + 18}" text-anchor="middle">${t}</text>`);
  }
  out.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#333"/>`,
  );
  out.push(
    `<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`,
  );
  out.push(
    `<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}</text>`,
  );
  usable.forEach((points, k) => {
    const colour = COLOURS[k % COLOURS.length];
    if (points.length > 0) {
      const d = points
        .map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)} ${py(ty(y)).toFixed(1)}`)
        .join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.8"/>`);
    }
    const ly = margin.top + 12 + 18 * k;
    out.push(
      `<line x1="${margin.left + plotW + 12}" x2="${margin.left + plotW + 32}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`,
    );
    out.push(`<text x="${margin.left + plotW + 38}" y="${ly + 4}">${escapeXml(series[k].name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
