/**
 * The `unfolded` command: dispatches to the subcommands of the command table.
 *
 * @module
 */
import { commands } from './commands/index.js';
import { UsageError, type CommandIO } from './command.js';
import { packageVersion } from './version.js';

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `unfolded ${packageVersion()}: sparse inverse problems and learning to solve them

Usage: unfolded <command> [options]
       unfolded <command> --help

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Options:
  --help, -h     show this help
  --version, -v  print the version
`;
}

/** Runs the CLI on `argv` (without node and the script path); returns the exit code. */
export async function main(argv: string[], io: CommandIO = process): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    // Without a command it is a usage mistake: help to stderr, exit 2.
    (first === undefined ? io.stderr : io.stdout).write(mainHelp());
    return first === undefined ? 2 : 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(packageVersion() + '\n');
    return 0;
  }
  const command = commands.find((c) => c.name === first);
  if (!command) {
    io.stderr.write(`unfolded: unknown command '${first}'. Run 'unfolded --help' for the list.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // Bad arguments or input files: one line, exit 2. parseArgs throws TypeErrors with a code.
    const e = error as Error & { code?: string };
    const isUsage =
      e instanceof UsageError ||
      e instanceof RangeError ||
      (e instanceof TypeError && (e.code?.startsWith('ERR_PARSE_ARGS') ?? false));
    if (isUsage) {
      io.stderr.write(`unfolded ${command.name}: ${e.message.split('\n')[0]}\n`);
      return 2;
    }
    // Anything else is a failure of the run (e.g. iterates that became non-finite): one line,
    // exit 1; UNFOLDED_DEBUG=1 adds the stack.
    io.stderr.write(`unfolded ${command.name}: ${e.message.split('\n')[0]}\n`);
    if (process.env.UNFOLDED_DEBUG) io.stderr.write(`${e.stack ?? ''}\n`);
    return 1;
  }
}
