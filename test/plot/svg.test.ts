import { describe, expect, it } from 'vitest';
import { linePlotSvg, niceTicks } from '../../src/plot/svg.js';

describe('SVG line plots', () => {
  it('picks round tick values', () => {
    expect(niceTicks(0, 300)).toEqual([0, 100, 200, 300]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 7, 5)).toEqual([-2, 0, 2, 4, 6]);
  });

  it('draws one path per series with a legend, skipping points a log axis cannot show', () => {
    const svg = linePlotSvg(
      [
        { name: 'ista <1/L>', x: [0, 1, 2, 3], y: [1, 0.1, 0.01, 0] },
        { name: 'fista', x: [0, 1, 2], y: [1, NaN, 1e-4] },
      ],
      { title: 'F - F*', xLabel: 'iteration', yLabel: 'gap', logY: true },
    );
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('ista &lt;1/L&gt;'); // escaped
    const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]);
    expect(paths).toHaveLength(2);
    expect(paths[0].split(/[ML]/).filter(Boolean)).toHaveLength(3); // y = 0 dropped on a log axis
    expect(paths[1].split(/[ML]/).filter(Boolean)).toHaveLength(2); // NaN dropped
    expect(svg).toContain('>1e0<');
    expect(svg).toContain('>1e-4<');
  });
});
