/** Plain aligned columns for the human view (stdout). No colour, so it greps well. */
export function formatTable<T extends object>(rows: T[], columns: {key: keyof T & string; header: string}[]): string {
  const cells = rows.map((r) => columns.map((c) => cellText(r[c.key])))
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)))
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n')
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'object') return JSON.stringify(v)
  return String(v).replace(/[\r\n\t]+/g, ' ')
}
