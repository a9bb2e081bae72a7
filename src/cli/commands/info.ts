/**
 * `unfolded info`: version, Node.js, platform and available backends.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import os from 'node:os';
import { backendStatus } from '../backends.js';
import type { Command } from '../command.js';
import { packageVersion } from '../version.js';

export const info: Command = {
  name: 'info',
  summary: 'Version, Node.js, platform and which backends are available',
  usage: `Usage: unfolded info [--json]

Prints the unfolded version, the Node.js version, the platform and the compute backends
this installation can use.

Options:
  --json   print one JSON object on stdout
`,
  run(args, io) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    const report = {
      unfolded: packageVersion(),
      node: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.availableParallelism(),
      backends: backendStatus(),
    };
    if (values.json) {
      io.stdout.write(JSON.stringify(report) + '\n');
      return Promise.resolve(0);
    }
    const lines = [
      `unfolded ${report.unfolded}`,
      `node     ${report.node} (${report.platform})`,
      `cpu      ${report.cpu}, ${report.cores} cores`,
      'backends:',
      ...report.backends.map((b) => `  ${b.name.padEnd(4)} ${b.available ? 'yes' : 'no '}  ${b.detail}`),
    ];
    io.stdout.write(lines.join('\n') + '\n');
    return Promise.resolve(0);
  },
};
