import {createReadStream} from 'node:fs'
import {stat} from 'node:fs/promises'
import type {Readable} from 'node:stream'
import {parse, type CsvError, type Options as ParseOptions} from 'csv-parse'
import iconv from 'iconv-lite'
import type {z} from 'zod'
import {Cancelled, UsageError} from '../core/errors.js'
import {
  classifyInvalid,
  decodeSample,
  detectDelimiter,
  ESCAPED,
  fileIsValidUtf8,
  hasUtf8Bom,
  isValidUtf8,
  NON_ASCII_UTF8,
  scanFileUtf8,
  unescapeAsCp1252,
  utf16Bom,
  Utf8Escaper,
  type CsvDelimiter,
  type CsvEncoding,
} from './detect.js'
import {resolveHeaders, type ColumnSpec} from './headers.js'
import {t} from './messages/index.js'
import {REJECTS_HEADER, type CsvReject} from './rejects.js'

export type {ColumnDef, ColumnSpec} from './headers.js'

/** Where to read: a file path, '-' for standard input, or a readable stream of bytes. */
export type CsvSource = string | NodeJS.ReadableStream

export interface ReadCsvOptions<T> {
  source: CsvSource
  /** zod schema over the CANONICAL field names (one per row). */
  schema: z.ZodType<T>
  /** Accepted header names per canonical field. Schema fields not listed match their own name. */
  columns?: ColumnSpec
  encoding?: 'auto' | CsvEncoding
  delimiter?: 'auto' | CsvDelimiter
  /** Stop reading when aborted (→ Cancelled). */
  signal?: AbortSignal
  /** What '-' reads (default process.stdin). */
  stdin?: NodeJS.ReadableStream
  /**
   * Largest record in characters (default 16 MiB: a 10 MB cell is read, then refused by the
   * length limit of its field). A bigger one stops the read with a UsageError naming its
   * line: the parser never holds more than this in memory.
   */
  maxRecordSize?: number
  /**
   * In a UTF-8 file, rows whose bytes are not UTF-8 (Windows-1252 rows pasted in) are
   * rejected by default; with this they are read as Windows-1252, and `warn` says which.
   */
  repairEncoding?: boolean
  /** Where the reader's warnings go (rows repaired by repairEncoding). */
  warn?: (message: string) => void
  /** Called once the header is read (streamCsv: the metadata before the first row). */
  onHeader?: (meta: CsvMeta) => void
  /**
   * Build `raw` (the cells by header) for each accepted row. Default true; false for big
   * files whose consumer does not read it: `raw` is then an empty object (`cells` stays).
   */
  raw?: boolean
  /**
   * A hand-written twin of `schema` for big files: the parsed row when the row is valid,
   * undefined to let `schema` decide (and name the exact problems). It must give exactly
   * what `schema` gives for the rows it accepts, and accept no row that `schema` refuses.
   */
  fastParse?: (value: Record<string, string | undefined>) => T | undefined
}

export interface CsvMeta {
  /** The path as given, or 'stdin'. */
  file: string
  encoding: CsvEncoding
  /** The file started with a UTF-8 byte order mark. */
  bom: boolean
  delimiter: CsvDelimiter
  /** The header cells as written in the file. */
  headers: string[]
  /** Headers that match no field: ignored, to be reported to the person. */
  unknownHeaders: string[]
  /** Canonical field → the header as written in the file. */
  columns: Record<string, string>
  /**
   * Rows of a UTF-8 input whose bytes were not UTF-8 (rejected, or read as Windows-1252 with
   * repairEncoding). Complete once the read is over (the meta given to onHeader is updated).
   */
  misencodedRows: number[]
}

export interface CsvRow<T> {
  /** Physical line where the record starts (header = line 1). */
  row: number
  value: T
  /** The original cells by header as written in the file. */
  raw: Record<string, string>
  /** The original cells in order. */
  cells: string[]
}

export type CsvItem<T> = ({ok: true} & CsvRow<T>) | {ok: false; row: number; reject: CsvReject; rejects: CsvReject[]}

export interface ReadCsvResult<T> extends CsvMeta {
  rows: CsvRow<T>[]
  rejects: CsvReject[]
  /** Data records read (accepted + rejected rows; blank lines not counted). */
  rowCount: number
}

const SAMPLE_BYTES = 64 * 1024
const DEFAULT_MAX_RECORD = 16 * 1024 * 1024

function scanSample(sample: Buffer): {multibyte: number; invalid: number} {
  const scan = new Utf8Escaper(false)
  scan.write(sample, false)
  return {multibyte: scan.multibyte, invalid: scan.invalid}
}

function sourceName(source: CsvSource): string {
  return typeof source === 'string' && source !== '-' ? source : 'stdin'
}

async function openSource(
  source: CsvSource,
  stdin: NodeJS.ReadableStream | undefined,
): Promise<{stream: NodeJS.ReadableStream; path?: string}> {
  if (typeof source !== 'string') return {stream: source}
  if (source === '-') return {stream: stdin ?? process.stdin}
  try {
    const st = await stat(source)
    if (st.isDirectory()) throw new UsageError(t('notFound', {file: source}), {actions: [t('notFoundAction')]})
  } catch (error) {
    if (error instanceof UsageError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(t('notFound', {file: source}), {actions: [t('notFoundAction')]})
    throw error
  }
  return {stream: createReadStream(source, {highWaterMark: SAMPLE_BYTES}), path: source}
}

/** Count line breaks (CRLF, LF or CR each count once). */
function countBreaks(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 10) n++
    else if (c === 13) {
      n++
      if (s.charCodeAt(i + 1) === 10) i++
    }
  }
  return n
}

/**
 * Undo the writer's formula neutralisation ("'=x" → "=x") so that a file alpi wrote (a
 * rejects file, an export) reads back to the same values. The raw cells keep the apostrophe.
 */
function unneutralise(cell: string): string {
  return cell.length > 1 && cell[0] === "'" && /^[=+\-@\t\r]/.test(cell[1]) ? cell.slice(1) : cell
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk
}

function isBlank(cells: string[]): boolean {
  for (let i = 0; i < cells.length; i++) if (cells[i]!.trim() !== '') return false
  return true
}

/** What csv-parse's Parser keeps as `api`: its synchronous core (parse a buffer, push records). */
interface ParserApi {
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined
}

const NO_RAW: Record<string, string> = Object.freeze({}) as Record<string, string>

/**
 * Windows-1252 bytes → UTF-8 bytes in one pass, with a table taken from iconv-lite itself
 * (so the same characters as its decoder, which is stateless for this encoding); a chunk
 * of plain ASCII is passed as it is.
 */
let cp1252ToUtf8: ((chunk: Buffer) => Buffer) | undefined

function singleByteToUtf8(encoding: 'windows-1252'): (chunk: Buffer) => Buffer {
  const table: Buffer[] = []
  for (let b = 0; b < 256; b++) table.push(Buffer.from(iconv.decode(Buffer.from([b]), encoding), 'utf8'))
  for (let b = 0; b < 256; b++) {
    const ok = b < 128 ? table[b]!.length === 1 && table[b]![0] === b : table[b]!.length >= 2
    if (!ok) throw new Error(`${encoding}: byte ${b} is not mapped as expected`)
  }
  const lengths = Uint8Array.from(table, (t) => t.length)
  return (chunk) => {
    let n = 0
    for (let i = 0; i < chunk.length; i++) n += lengths[chunk[i]!]!
    if (n === chunk.length) return chunk
    const out = Buffer.allocUnsafe(n)
    let o = 0
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!
      if (b < 128) out[o++] = b
      else {
        const t = table[b]!
        for (let k = 0; k < t.length; k++) out[o++] = t[k]!
      }
    }
    return out
  }
}

/**
 * Stream a CSV row by row: accepted rows ({ok: true, row, value, raw}) and rejected rows
 * ({ok: false, reject}) in file order. Bytes are decoded as they come (a big file is never
 * read into memory). Throws UsageError (exit 2) for an empty file, a missing file, missing
 * required columns, or a CSV that cannot be parsed at all (an unclosed quote).
 */
export async function* streamCsv<T>(opts: ReadCsvOptions<T>): AsyncGenerator<CsvItem<T>, CsvMeta | undefined, undefined> {
  const gen = streamCsvBatches(opts)
  try {
    for (;;) {
      const next = await gen.next()
      if (next.done) return next.value
      for (const item of next.value) {
        if (opts.signal?.aborted) throw new Cancelled()
        yield item
      }
    }
  } finally {
    await gen.return(undefined)
  }
}

/**
 * streamCsv by batches: the items of each chunk of the file (64 KiB) as one array, for
 * consumers of big files that handle rows synchronously (one await per chunk, not per row).
 */
export async function* streamCsvBatches<T>(opts: ReadCsvOptions<T>): AsyncGenerator<CsvItem<T>[], CsvMeta | undefined, undefined> {
  const file = sourceName(opts.source)
  const {stream, path} = await openSource(opts.source, opts.stdin)
  // A file we opened is closed whatever happens (early errors, a consumer that stops).
  const closeFile = () => {
    if (path) (stream as Readable).destroy()
  }
  const it = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]()
  const sampleChunks: Buffer[] = []
  let sampleSize = 0
  let done = false
  let sample: Buffer
  let text: string
  let bom: boolean
  let encoding: CsvEncoding
  // How bytes become the parser's UTF-8: as they are (a file checked valid UTF-8), Windows-1252
  // table, iconv (UTF-16, forced encodings), or escaped (see Utf8Escaper): 'mixed' when the
  // input is UTF-8 with rows that are not, 'tentative' for a stream not decided yet.
  let mode: 'utf-8' | 'windows-1252' | 'decoder' | 'mixed' | 'tentative'
  try {
    while (sampleSize < SAMPLE_BYTES) {
      const next = await it.next()
      if (next.done) {
        done = true
        break
      }
      const chunk = toBuffer(next.value)
      sampleChunks.push(chunk)
      sampleSize += chunk.length
    }
    sample = Buffer.concat(sampleChunks)
    const utf16 = utf16Bom(sample)
    bom = hasUtf8Bom(sample) || utf16 !== undefined
    const forced = opts.encoding && opts.encoding !== 'auto' ? opts.encoding : utf16
    // The encoding is decided for the whole input: valid UTF-8 → utf-8; no UTF-8 character at
    // all → Windows-1252 (an Excel export); both (or a UTF-8 BOM, or utf-8 forced) → UTF-8
    // whose other rows are rejected or repaired one by one. A file is checked whole before
    // reading (streamed, not loaded); a stream decides as it goes, holding the rows that
    // depend on the decision (see take()), so that both give the same rows.
    if (forced !== undefined && forced !== 'utf-8') mode = forced === 'windows-1252' ? 'windows-1252' : 'decoder'
    else {
      const evidence = forced === 'utf-8' || hasUtf8Bom(sample)
      if (done || path) {
        if (done ? isValidUtf8(sample, true) : await fileIsValidUtf8(path!)) mode = 'utf-8'
        else {
          const scan = done ? scanSample(sample) : await scanFileUtf8(path!)
          mode = evidence ? 'mixed' : classifyInvalid(false, scan.multibyte)
        }
      } else mode = evidence || scanSample(sample).multibyte > 0 ? 'mixed' : 'tentative'
    }
    encoding = forced ?? (mode === 'windows-1252' ? 'windows-1252' : 'utf-8')
    text = decodeSample(sample, encoding)
    if (done && /^\s*$/.test(text)) throw new UsageError(t('empty', {file}), {actions: [t('emptyAction')]})
  } catch (error) {
    closeFile()
    throw error
  }
  // Excel's "sep=;" first line names the delimiter; the header is then on line 2.
  const sepLine = /^sep=([;,\t])[ ]*(?:\r\n|\n|\r)/i.exec(text)
  const detected = sepLine ? (sepLine[1] as CsvDelimiter) : detectDelimiter(text, done)
  const delimiter: CsvDelimiter = opts.delimiter && opts.delimiter !== 'auto' ? opts.delimiter : detected

  const signal = opts.signal
  // Cancelled as soon as the signal is aborted, even while waiting for bytes (stdin).
  let onAbort: (() => void) | undefined
  const aborted = signal
    ? new Promise<never>((_, reject) => {
        onAbort = () => reject(new Cancelled())
        signal.addEventListener('abort', onAbort, {once: true})
      })
    : undefined
  aborted?.catch(() => undefined)
  let first = true
  const nextChunk = async (): Promise<Buffer | undefined> => {
    if (first) {
      first = false
      return sample
    }
    if (done) return undefined
    const next = await (aborted ? Promise.race([it.next(), aborted]) : it.next())
    if (next.done) {
      done = true
      return undefined
    }
    return toBuffer(next.value)
  }

  const maxRecordSize = opts.maxRecordSize ?? DEFAULT_MAX_RECORD
  const escaping = mode === 'mixed' || mode === 'tentative'
  let line = sepLine ? 2 : 1
  // csv-parse's synchronous core, driven directly (no stream per record, no info object
  // per record). Records are numbered here as they are pushed: a record spans one line plus
  // the line breaks inside its (quoted) cells (csv-parse's own info.lines counts a CRLF
  // inside quotes twice). `line` is then also the start of a record that fails to parse.
  const parserOptions = {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    // Any line break ends a record: LF, CRLF, and the bare CR of old Mac exports (even mixed
    // in one file, as when rows are pasted from another file); quoted cells keep theirs.
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: maxRecordSize,
    from_line: sepLine ? 2 : 1,
  }
  const api = (parse(parserOptions as unknown as ParseOptions) as unknown as {api?: ParserApi}).api
  if (!api || typeof api.parse !== 'function')
    throw new Error('csv-parse: the parser core (Parser.api) is missing; check the csv-parse version')
  let records: string[][] = []
  let starts: number[] = []
  const push = (record: string[]) => {
    starts.push(line)
    line += 1
    for (const cell of record) if (cell.includes('\n') || cell.includes('\r')) line += countBreaks(cell)
    records.push(record)
  }
  const close = () => undefined
  // A whole file known to be valid UTF-8 goes to the parser as it is (its BOM removed);
  // anything else is decoded (invalid UTF-8 → U+FFFD, Windows-1252, UTF-16) then re-encoded.
  // Windows-1252 (the usual export) is converted byte by byte, without a string between.
  const transcode = mode === 'windows-1252' ? (cp1252ToUtf8 ??= singleByteToUtf8('windows-1252')) : undefined
  const decoder = mode === 'decoder' ? iconv.getDecoder(encoding) : undefined
  const escaper = escaping ? new Utf8Escaper() : undefined
  let bomBytes = mode === 'utf-8' && hasUtf8Bom(sample)
  const keepRaw = opts.raw !== false
  const fastParse = opts.fastParse

  let meta: CsvMeta | undefined
  let mapping: ReturnType<typeof resolveHeaders> | undefined
  let width = 0
  let headers: string[] = []
  let byIndex: [number, string][] = []
  const handle = (cells: string[], row: number, out: CsvItem<T>[]) => {
    if (!mapping) {
      if (isBlank(cells)) return
      headers = cells.map((c) => c.trim())
      mapping = resolveHeaders(headers, opts.columns ?? {}, opts.schema, file)
      // A rejects file imported again: its row/field/message columns are expected, not unknown.
      if (REJECTS_HEADER.every((h, i) => headers[i] === h)) {
        mapping.unknownHeaders = mapping.unknownHeaders.filter((h) => !(REJECTS_HEADER as readonly string[]).includes(h))
      }
      byIndex = [...mapping.byIndex]
      width = headers.reduce((w, h, i) => (h !== '' ? i + 1 : w), 0)
      meta = {file, encoding, bom, delimiter, headers, unknownHeaders: mapping.unknownHeaders, columns: mapping.headerOf, misencodedRows}
      opts.onHeader?.(meta)
      return
    }
    if (isBlank(cells)) return
    const rejects = checkRecord(cells, row, width, headers.length, mode === 'decoder')
    if (rejects !== undefined) {
      out.push({ok: false, row, reject: rejects[0], rejects})
      return
    }
    const value: Record<string, string | undefined> = {}
    for (let k = 0; k < byIndex.length; k++) {
      const [i, f] = byIndex[k]!
      const cell = unneutralise((cells[i] ?? '').trim())
      value[f] = cell === '' ? undefined : cell
    }
    const fast = fastParse?.(value)
    const parsed = fast !== undefined ? {success: true as const, data: fast} : opts.schema.safeParse(value)
    if (!parsed.success) {
      const list: CsvReject[] = parsed.error.issues.map((issue) => {
        const field = issue.path.length > 0 ? String(issue.path[0]) : ''
        const cell = field ? value[field] : undefined
        // The message names the rule, never the cell: it may reach a terminal, a log or a --json
        // envelope, and a cell may be a name or a birth date. The cell itself goes only to the
        // rejects file (0600), in its `value` column.
        const message = field && cell === undefined && issue.code === 'invalid_type' ? t('required') : issue.message
        const column = field ? mapping!.headerOf[field] : undefined
        return {row, field, message, ...(cell === undefined ? {} : {value: cell}), raw: cells, ...(column ? {column} : {})}
      })
      out.push({ok: false, row, reject: list[0], rejects: list})
      return
    }
    let raw = NO_RAW
    if (keepRaw) {
      raw = {}
      for (let i = 0; i < headers.length; i++) {
        const h = headers[i]!
        if (h !== '' && !(h in raw)) raw[h] = cells[i] ?? ''
      }
    }
    out.push({ok: true, row, value: parsed.data, raw, cells})
  }
  // Escaped input (see Utf8Escaper): a record holding bytes that were not UTF-8 is read as
  // Windows-1252 when the whole input is (no UTF-8 character anywhere), else rejected or
  // repaired. A stream does not know yet: from its first such record on, records wait in
  // `pending` (in order) until a UTF-8 character decides 'mixed', or the end 'windows-1252'.
  const misencodedRows: number[] = []
  let pending: [string[], number][] = []
  const repair = (cells: string[]) => cells.map((c) => (ESCAPED.test(c) ? unescapeAsCp1252(c) : c))
  const decide = (cells: string[], row: number, out: CsvItem<T>[]) => {
    if (!ESCAPED.test(cells.join(''))) return handle(cells, row, out)
    if (!mapping || mode === 'windows-1252') return handle(repair(cells), row, out)
    misencodedRows.push(row)
    if (opts.repairEncoding) return handle(repair(cells), row, out)
    if (mapping && !isBlank(cells)) out.push(misencodedReject(repair(cells), row))
  }
  const route = (cells: string[], row: number, out: CsvItem<T>[]) => {
    if (!escaping) return handle(cells, row, out)
    const joined = cells.join('')
    if (mode === 'tentative' && NON_ASCII_UTF8.test(joined)) {
      mode = 'mixed'
      flushPending(out)
    }
    if (mode === 'tentative' && mapping && (pending.length > 0 || ESCAPED.test(joined))) pending.push([cells, row])
    else decide(cells, row, out)
  }
  const flushPending = (out: CsvItem<T>[]) => {
    const held = pending
    pending = []
    for (const [cells, row] of held) decide(cells, row, out)
  }
  const take = (): CsvItem<T>[] => {
    const out: CsvItem<T>[] = []
    const recs = records
    const rows = starts
    records = []
    starts = []
    for (let k = 0; k < recs.length; k++) route(recs[k]!, rows[k]!, out)
    return out
  }
  const feed = (buf: Buffer | undefined, end: boolean) => {
    const err = api.parse(buf, end, push, close)
    if (err !== undefined) throw err
  }

  try {
    for (;;) {
      if (signal?.aborted) throw new Cancelled()
      const chunk = await nextChunk()
      if (chunk === undefined) break
      let buf: Buffer
      if (transcode) buf = transcode(chunk)
      else if (escaper) buf = escaper.write(chunk)
      else if (decoder) buf = Buffer.from(decoder.write(chunk), 'utf8')
      else if (bomBytes) {
        buf = chunk.subarray(3)
        bomBytes = false
      } else buf = chunk
      if (buf.length === 0) continue
      feed(buf, false)
      const items = take()
      if (items.length > 0) yield items
    }
    const tail = decoder?.end()
    if (tail) feed(Buffer.from(tail, 'utf8'), false)
    const escapedTail = escaper?.write(Buffer.alloc(0), true)
    if (escapedTail && escapedTail.length > 0) feed(escapedTail, false)
    feed(undefined, true)
    const items = take()
    // A stream with no UTF-8 character at all was Windows-1252 all along.
    if (mode === 'tentative' && pending.length > 0) {
      mode = 'windows-1252'
      encoding = 'windows-1252'
      if (meta) meta.encoding = encoding
      flushPending(items)
    }
    if (items.length > 0) yield items
  } catch (error) {
    if (error instanceof Cancelled || signal?.aborted) throw error instanceof Cancelled ? error : new Cancelled()
    throw parseError(error, line, maxRecordSize)
  } finally {
    if (onAbort) signal!.removeEventListener('abort', onAbort)
    closeFile()
  }
  if (!mapping) throw new UsageError(t('empty', {file}), {actions: [t('emptyAction')]})
  if (opts.repairEncoding && misencodedRows.length > 0)
    opts.warn?.(t('repairedEncoding', {file, n: misencodedRows.length, rows: listRows(misencodedRows)}))
  return meta
}

/** '4, 9, 12' (at most 20 row numbers, then '…'). */
function listRows(rows: number[]): string {
  return rows.slice(0, 20).join(', ') + (rows.length > 20 ? ', …' : '')
}

/** The reject of a row whose bytes are not UTF-8 in a UTF-8 file (its cells read as Windows-1252 for the rejects file). */
function misencodedReject(cells: string[], row: number): {ok: false; row: number; reject: CsvReject; rejects: CsvReject[]} {
  const reject: CsvReject = {row, field: '', message: t('notUtf8Row'), raw: cells}
  return {ok: false, row, reject, rejects: [reject]}
}

/** The reject of a ragged or garbled record, or undefined when its shape is fine. */
function checkRecord(cells: string[], row: number, width: number, headerCount: number, decoded: boolean): CsvReject[] | undefined {
  if (cells.length < width) {
    return [{row, field: '', message: t('tooFew', {found: cells.length, expected: headerCount}), raw: cells}]
  }
  if (cells.length > headerCount && cells.slice(headerCount).some((c) => c.trim() !== '')) {
    return [{row, field: '', message: t('tooMany', {found: cells.length, expected: headerCount}), raw: cells}]
  }
  if (decoded && cells.some((c) => c.includes('\ufffd'))) {
    return [{row, field: '', message: t('invalidUtf8'), raw: cells}]
  }
  return undefined
}

function parseError(error: unknown, line: number, max: number): unknown {
  const e = error as CsvError & {code?: string}
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !e.code.startsWith('CSV_')) return error
  if (e.code === 'CSV_QUOTE_NOT_CLOSED') return new UsageError(t('quoteNotClosed', {line}), {actions: [t('quoteAction')], cause: error})
  if (e.code === 'CSV_MAX_RECORD_SIZE')
    return new UsageError(t('recordTooBig', {line, max}), {actions: [t('recordTooBigAction'), t('recordTooBigCell')], cause: error})
  return new UsageError(t('malformedFatal', {line, detail: e.message}), {actions: [t('quoteAction')], cause: error})
}

/** Read and validate a whole CSV: accepted rows and rejects (one per problem), with the detected format. */
export async function readCsv<T>(opts: ReadCsvOptions<T>): Promise<ReadCsvResult<T>> {
  const rows: CsvRow<T>[] = []
  const rejects: CsvReject[] = []
  let rowCount = 0
  const gen = streamCsvBatches(opts)
  let meta: CsvMeta | undefined
  for (;;) {
    const next = await gen.next()
    if (next.done) {
      meta = next.value
      break
    }
    for (const item of next.value) {
      rowCount++
      if (item.ok) rows.push({row: item.row, value: item.value, raw: item.raw, cells: item.cells})
      else rejects.push(...item.rejects)
    }
  }
  return {...meta!, rows, rejects, rowCount}
}
