/**
 * The main entry never loads the plotting packages: a fresh Node process whose module resolver
 * refuses every vega package imports src/index.ts, then the plot module (which must load them
 * lazily), and only fails when a plot is rendered.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

// A resolve hook (node:module register) that throws for vega, vega-lite and vega-* packages.
const hooks = `export async function resolve(specifier, context, next) {
  if (/^vega(-[a-z-]+)?(\\/|$)/.test(specifier)) throw new Error('refused to load ' + specifier);
  return next(specifier, context);
}`;
const denyVega =
  'data:text/javascript,' +
  encodeURIComponent(
    `import { register } from 'node:module'; register(${JSON.stringify('data:text/javascript,' + encodeURIComponent(hooks))});`,
  );

const script = `
const lib = await import('./src/index.ts');
console.log('index: ' + typeof lib.syntheticProblem);
const plot = await import('./src/plot/line-plot.ts');
plot.linePlotSpec([{ name: 'a', x: [1], y: [1] }], { xTitle: 'x', yTitle: 'y' });
console.log('plot module: loaded');
await plot.linePlotSvg([{ name: 'a', x: [1], y: [1] }], { xTitle: 'x', yTitle: 'y' }).then(
  () => console.log('render: done'),
  (e) => console.log('render: ' + e.message),
);
`;

describe('the main entry and the plotting packages', () => {
  it('imports src/index.ts and the plot module without loading vega; rendering needs it', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--import', denyVega, '--input-type=module', '-e', script],
      { cwd: root, encoding: 'utf8', timeout: 30_000 },
    );
    expect(r.stderr).toBe('');
    // The last line proves the hook works: the first attempt to load vega is refused.
    expect(r.stdout.trim().split('\n')).toEqual([
      'index: function',
      'plot module: loaded',
      expect.stringMatching(/^render: refused to load vega/),
    ]);
  });
});
