/**
 * Plain text tables with right-aligned columns, for the CLI's reports (and the examples' and
 * benchmarks' printouts).
 *
 * @module
 */

/**
 * The header and the rows, columns right-aligned and two spaces apart; `rule` adds a dashed line
 * under the header.
 */
export function textTable(
  head: readonly string[],
  rows: readonly (readonly string[])[],
  options: { rule?: boolean } = {},
): string {
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: readonly string[]): string => cells.map((c, j) => c.padStart(widths[j])).join('  ');
  const rule = options.rule ? [widths.map((w) => '-'.repeat(w)).join('  ')] : [];
  return [line(head), ...rule, ...rows.map(line)].join('\n');
}
