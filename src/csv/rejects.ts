import {closeSync, existsSync, openSync, readSync, unlinkSync} from 'node:fs'
import {basename, dirname, extname, join, resolve} from 'node:path'
import {writeCsv} from './write.js'

/** One reason a row was refused. A row with several problems gives several rejects. */
export interface CsvReject {
  /** Physical line number where the record starts (the header is line 1), as in a spreadsheet or editor. */
  row: number
  /** Canonical field name ('' for a problem of the whole row, e.g. a wrong number of cells). */
  field: string
  message: string
  /** The cell as written in the file, when the problem is about one cell. */
  value?: string
  /** The original cells of the row. */
  raw: string[]
  /** The column header as written in the file, when the field maps to one. */
  column?: string
}

export const REJECTS_HEADER = ['row', 'field', 'message'] as const

/**
 * Default rejects file: next to the source, `<name without .csv/.txt/.tsv>.rejects.csv`
 * (`laptops.csv` → `laptops.rejects.csv`), or `./stdin.rejects.csv` for standard input.
 */
export function defaultRejectsPath(source: string | NodeJS.ReadableStream, cwd = process.cwd()): string {
  if (typeof source !== 'string' || source === '-') return join(cwd, 'stdin.rejects.csv')
  const abs = resolve(cwd, source)
  const ext = extname(abs)
  const stem = /^\.(csv|txt|tsv)$/i.test(ext) ? basename(abs, ext) : basename(abs)
  return join(dirname(abs), `${stem}.rejects.csv`)
}

/**
 * Write the rejects file: UTF-8 with a BOM and ';' (French Excel opens it as is), CRLF.
 * Columns: row, field, message, then the original header's columns with the original
 * cells. One line per rejected row (several problems of a row are joined with " | "),
 * so the file can be corrected and imported again (row/field/message are then ignored
 * as unknown columns). The field column shows the header as written in the file.
 * Written with the one writer: formula cells neutralised, atomic rename.
 */
export async function writeRejects(
  path: string,
  rejects: readonly CsvReject[],
  headers: readonly string[],
  opts: {mode?: number} = {},
): Promise<{path: string; rows: number}> {
  const byRow = new Map<number, CsvReject[]>()
  for (const r of rejects) {
    const list = byRow.get(r.row)
    if (list) list.push(r)
    else byRow.set(r.row, [r])
  }
  const lines = [...byRow.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([row, list]) => {
      const fields = [...new Set(list.map((r) => r.column ?? r.field).filter((f) => f !== ''))]
      const raw = list.find((r) => r.raw.length > 0)?.raw ?? []
      return [row, fields.join(', '), list.map((r) => r.message).join(' | '), ...raw]
    })
  const columns = [...REJECTS_HEADER, ...headers].map((h, i) => ({key: String(i), header: h}))
  const res = await writeCsv(path, lines, {columns, delimiter: ';', eol: '\r\n', bom: true, mode: opts.mode ?? 0o600})
  return {path: res.path!, rows: res.rows}
}

/** Remove a rejects file left by an earlier run, only if it is one of ours (starts with our header). */
export function removeStaleRejects(path: string): boolean {
  if (!existsSync(path)) return false
  const fd = openSync(path, 'r')
  const buf = Buffer.alloc(32)
  let n: number
  try {
    n = readSync(fd, buf, 0, buf.length, 0)
  } finally {
    closeSync(fd)
  }
  if (!buf.subarray(0, n).toString('utf8').startsWith('\ufeffrow;field;message')) return false
  unlinkSync(path)
  return true
}
