/**
 * A one-line progress bar for long runs, drawn on stderr only when stderr is a terminal (scripts
 * and pipes get clean output). Redraws at most every 100 ms.
 *
 * @module
 */

/** A progress bar: `update` with the work done so far, `done` to clear the line. */
export interface Progress {
  update(done: number, detail?: string): void;
  done(): void;
}

const silent: Progress = { update() {}, done() {} };

/** A bar for `total` units of work on `stream`, or a silent one when it is not a TTY. */
export function progressBar(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  label: string,
  total: number,
): Progress {
  if (!stream.isTTY || !(total > 0)) return silent;
  let last = 0;
  const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 40));
  return {
    update(done, detail = '') {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const fraction = Math.min(1, done / total);
      const filled = Math.round(fraction * width);
      const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
      stream.write(
        `\r${label} [${bar}] ${done}/${total} ${detail}`.padEnd(label.length + width + 40) + '\x1b[K',
      );
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
