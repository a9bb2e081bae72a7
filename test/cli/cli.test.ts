import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runCli } from './helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version;

describe('unfolded CLI', () => {
  it('--help lists the commands', async () => {
    const r = await runCli('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: unfolded <command>');
    expect(r.stdout).toMatch(/^\s+info\s+Version/m);
  });

  it('--version prints the package version', async () => {
    const r = await runCli('--version');
    expect(r).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('no command is a usage error (exit 2, help on stderr)', async () => {
    const r = await runCli();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage:');
    expect(r.stdout).toBe('');
  });

  it('unknown commands and options fail with one line and exit 2', async () => {
    const r = await runCli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("unfolded: unknown command 'frobnicate'. Run 'unfolded --help' for the list.\n");
    const o = await runCli('info', '--bogus');
    expect(o.code).toBe(2);
    expect(o.stderr.trim().split('\n')).toHaveLength(1);
    expect(o.stderr).toContain("unfolded info: Unknown option '--bogus'");
  });

  it('info reports version, node and backends, as text and JSON', async () => {
    const text = await runCli('info');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`unfolded ${version}`);
    expect(text.stdout).toContain(process.versions.node);
    expect(text.stdout).toMatch(/cpu\s+yes/);
    const json = await runCli('info', '--json');
    const report = JSON.parse(json.stdout) as {
      unfolded: string;
      node: string;
      backends: { name: string; available: boolean }[];
    };
    expect(report.unfolded).toBe(version);
    expect(report.node).toBe(process.versions.node);
    expect(report.backends.find((b) => b.name === 'cpu')?.available).toBe(true);
  });

  it('command --help prints its usage', async () => {
    const r = await runCli('info', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: unfolded info');
  });

  it('the installed bin runs from the build', () => {
    if (!existsSync(`${root}dist/cli/main.js`))
      execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
    const out = execFileSync(process.execPath, [`${root}bin/unfolded.js`, '--version'], { encoding: 'utf8' });
    expect(out).toBe(`${version}\n`);
  }, 120_000);
});
