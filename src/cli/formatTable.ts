/**
 * Formats rows as a plain-text table: a header line, then one line per row,
 * columns padded to their widest cell and separated by two spaces. Cells with
 * line breaks are flattened so each row stays on one line.
 */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<unknown>>): string {
  const cells = [headers.map(String), ...rows.map((row) => headers.map((_, column) => cellText(row[column])))];
  const widths = headers.map((_, column) => Math.max(...cells.map((line) => displayWidth(line[column]!))));

  const lines = cells.map((line) =>
    line
      .map((cell, column) => (column === line.length - 1 ? cell : cell + ' '.repeat(widths[column]! - displayWidth(cell))))
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** Formats label/value pairs as aligned `label  value` lines. */
export function formatFields(fields: ReadonlyArray<readonly [string, unknown]>): string {
  const width = Math.max(...fields.map(([label]) => label.length));
  return fields.map(([label, value]) => `${label.padEnd(width)}  ${cellText(value)}`.trimEnd()).join('\n') + '\n';
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '-';
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return text.replace(/[\r\n\t]+/g, ' ');
}

// Counts code points, so keys with accents or other non-ASCII letters still line up.
function displayWidth(text: string): number {
  return [...text].length;
}
