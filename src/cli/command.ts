/**
 * The shape of one CLI subcommand. Each subcommand lives in its own file under cli/commands and
 * is listed once in cli/commands/index.ts; the dispatcher knows nothing else about it.
 *
 * @module
 */

/** Where a command writes: stdout for results (JSON with --json), stderr for progress and errors. */
export interface CommandIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface Command {
  /** The word after `unfolded`, e.g. `info`. */
  name: string;
  /** One line for the command list of `unfolded --help`. */
  summary: string;
  /** Full help text of `unfolded NAME --help`. */
  usage: string;
  /** Runs the command on its own arguments; returns the exit code. */
  run(args: string[], io: CommandIO): Promise<number>;
}

/**
 * A mistake in the command line or its input files: printed as one line, exit code 2, and the
 * command has written nothing.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
