import {once} from 'node:events'
import {dirname, resolve} from 'node:path'
import iconv from 'iconv-lite'
import {ensureDir, openFileAtomic} from '../core/fs.js'

/**
 * The one CSV writer. Every CSV alpi produces goes through it:
 * - formula injection neutralised: a *string* cell starting with = + - @ tab or CR gets a
 *   leading apostrophe, so Excel/LibreOffice show it as text instead of running it.
 *   Numbers passed as JS numbers (-12.5) stay numbers: callers give numbers as numbers;
 *   a string "-12.5" is neutralised like any other string (the apostrophe is visible but
 *   nothing runs);
 * - files go through the one atomic writer (src/core/fs.ts openFileAtomic): a temporary
 *   file created O_EXCL|O_NOFOLLOW with the final mode, every byte written or an error
 *   (ENOSPC on a full disk), synced, renamed: a crash or a full disk never leaves a
 *   short file under the final name, and a symlink planted there is replaced, not followed;
 * - `mode` (default 0644, use 0600 for personal data) is the final file's mode (umask applies).
 */

export interface CsvColumn {
  /** Property of an object row (ignored for array rows, which are taken by position). */
  key: string
  header: string
}

export interface CsvWriteOptions {
  columns: readonly (CsvColumn | string)[]
  /** Default ','. Use ';' for files opened by French Excel. */
  delimiter?: ';' | ',' | '\t'
  /** Default '\n'. */
  eol?: '\n' | '\r\n'
  /** Start with a UTF-8 BOM (Excel then reads UTF-8 correctly). Default false. */
  bom?: boolean
  /** File mode of the final file. Default 0o644; 0o600 for outputs with personal data. */
  mode?: number
  /** Write the header line. Default true. */
  header?: boolean
  /**
   * Default 'utf-8'. 'windows-1252' for old Windows tools that read nothing else
   * (characters it lacks become '?'); `bom` is then ignored.
   */
  encoding?: 'utf-8' | 'windows-1252'
}

export type CsvOutputRow = Readonly<Record<string, unknown>> | readonly unknown[]

export interface CsvWriter {
  /**
   * Write one row. Returns a promise only when the row filled the buffer and it is being
   * flushed (await it: waits when the target is busy); undefined otherwise (nothing to wait for).
   */
  write(row: CsvOutputRow): Promise<void> | undefined
  /** Finish: flush, sync, rename into place (files). Does not close a stream target. */
  end(): Promise<{rows: number; path?: string}>
  /** Give up: the temporary file is removed, the final path is untouched. */
  abort(): Promise<void>
}

const FORMULA_START = /^[=+\-@\t\r]/

/** Neutralise a string cell that a spreadsheet would run as a formula. */
export function neutraliseFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s
}

/** How a value becomes a cell. */
export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'string') return neutraliseFormula(v)
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : ''
  if (typeof v === 'bigint') return String(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString()
  return neutraliseFormula(JSON.stringify(v))
}

function normaliseColumns(columns: CsvWriteOptions['columns']): CsvColumn[] {
  return columns.map((c) => (typeof c === 'string' ? {key: c, header: c} : c))
}

function isWritable(x: unknown): x is NodeJS.WritableStream {
  return typeof x === 'object' && x !== null && typeof (x as NodeJS.WritableStream).write === 'function'
}

const FLUSH_AT = 1 << 16

/**
 * The line formatter, built once per writer. Same bytes as csv-stringify with
 * {delimiter, record_delimiter: eol, quoted_match: [/[\r\n]/], eof: true} over string cells
 * (what this writer used per line; test/unit/csv/line-formatter.test.ts checks both agree): a cell
 * holding the delimiter, a quote, CR or LF is quoted with its quotes doubled; an empty cell
 * stays empty; each line ends with eol.
 */
export function lineFormatter(delimiter: ';' | ',' | '\t', eol: '\n' | '\r\n'): (cells: readonly string[]) => string {
  const special = delimiter === ';' ? /[";\r\n]/ : delimiter === ',' ? /[",\r\n]/ : /["\t\r\n]/
  const cell = (v: string): string => (v === '' || !special.test(v) ? v : `"${v.replaceAll('"', '""')}"`)
  return (cells) => {
    let out = ''
    for (let i = 0; i < cells.length; i++) out += i === 0 ? cell(cells[i]!) : delimiter + cell(cells[i]!)
    return out + eol
  }
}

/** A streaming writer to a file (atomic) or to a stream (e.g. process.stdout). */
export async function createCsvWriter(target: string | NodeJS.WritableStream, opts: CsvWriteOptions): Promise<CsvWriter> {
  const columns = normaliseColumns(opts.columns)
  const eol = opts.eol ?? '\n'
  const delimiter = opts.delimiter ?? ','
  const line = lineFormatter(delimiter, eol)
  const encoding = opts.encoding ?? 'utf-8'
  const encode = (text: string): Buffer => (encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, encoding))
  let rows = 0
  // Lines waiting to be written, joined once per flush (a string grown line by line would
  // have to be flattened before encoding).
  let buffer: string[] = []
  let buffered = 0
  const add = (text: string) => {
    if (text === '') return
    buffer.push(text)
    buffered += text.length
  }
  const take = (): string => {
    const text = buffer.join('')
    buffer = []
    buffered = 0
    return text
  }
  add(
    (opts.bom && encoding === 'utf-8' ? '\ufeff' : '') +
      (opts.header === false ? '' : line(columns.map((c) => neutraliseFormula(c.header)))),
  )
  let done = false

  const toCells = (row: CsvOutputRow): string[] =>
    Array.isArray(row) ? (row as unknown[]).map(formatCell) : columns.map((c) => formatCell((row as Record<string, unknown>)[c.key]))

  if (isWritable(target)) {
    const stream = target
    const flush = async () => {
      if (buffered === 0) return
      const chunk = take()
      if (!stream.write(encode(chunk))) await once(stream as unknown as NodeJS.EventEmitter, 'drain')
    }
    return {
      write(row) {
        try {
          add(line(toCells(row)))
        } catch (error) {
          return Promise.reject(error)
        }
        rows++
        return buffered >= FLUSH_AT ? flush() : undefined
      },
      async end() {
        await flush()
        done = true
        return {rows}
      },
      async abort() {
        take()
        done = true
      },
    }
  }

  const finalPath = resolve(target)
  ensureDir(dirname(finalPath))
  const file = await openFileAtomic(finalPath, {mode: opts.mode ?? 0o644})
  const flush = async () => {
    if (buffered === 0) return
    await file.write(encode(take()))
  }
  const abort = async () => {
    if (done) return
    done = true
    take()
    await file.abort()
  }
  const failed = async (error: unknown): Promise<never> => {
    await abort()
    throw error
  }
  return {
    write(row) {
      if (done) return Promise.reject(new Error('CSV writer already finished'))
      try {
        add(line(toCells(row)))
      } catch (error) {
        return failed(error)
      }
      rows++
      return buffered >= FLUSH_AT ? flush().catch(failed) : undefined
    },
    async end() {
      if (done) throw new Error('CSV writer already finished')
      try {
        await flush()
        await file.commit()
        done = true
      } catch (error) {
        await abort()
        throw error
      }
      return {rows, path: finalPath}
    },
    abort,
  }
}

/** Write all rows (array, iterable or async iterable) to a file (atomically) or a stream. */
export async function writeCsv(
  target: string | NodeJS.WritableStream,
  rows: Iterable<CsvOutputRow> | AsyncIterable<CsvOutputRow>,
  opts: CsvWriteOptions,
): Promise<{rows: number; path?: string}> {
  const writer = await createCsvWriter(target, opts)
  try {
    for await (const row of rows as AsyncIterable<CsvOutputRow>) await writer.write(row)
  } catch (error) {
    await writer.abort()
    throw error
  }
  return writer.end()
}
