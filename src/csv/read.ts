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
 *
 * The steps: open the source, read a sample to decide the encoding and the delimiter, then
 * for each chunk: bytes → UTF-8 → records (csv-parse) → rows (header, shape, schema).
 */
export async function* streamCsvBatches<T>(opts: ReadCsvOptions<T>): AsyncGenerator<CsvItem<T>[], CsvMeta | undefined, undefined> {
  const file = sourceName(opts.source)
  const {stream, path} = await openSource(opts.source, opts.stdin)
  // A file we opened is closed whatever happens (early errors, a consumer that stops).
  const closeFile = () => {
    if (path) (stream as Readable).destroy()
  }
  const it = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]()
  const signal = opts.signal
  const abort = new AbortWatch(signal)
  let start: InputStart
  try {
    start = await readStart(it, path, file, opts.encoding, abort)
  } catch (error) {
    abort.dispose()
    closeFile()
    throw error
  }
  const {sepLine, delimiter} = chooseDelimiter(start.text, start.done, opts.delimiter)
  const chunks = new ChunkSource(it, start.sample, start.done, abort)
  const maxRecordSize = opts.maxRecordSize ?? DEFAULT_MAX_RECORD
  const records = new RecordSplitter(delimiter, maxRecordSize, sepLine)
  const toUtf8 = utf8Converter(start)
  const rows = new RowReader(opts, file, start, delimiter)
  try {
    for (;;) {
      if (signal?.aborted) throw new Cancelled()
      const chunk = await chunks.next()
      if (chunk === undefined) break
      const buf = toUtf8.write(chunk)
      if (buf.length === 0) continue
      records.feed(buf, false)
      const items = rows.take(records.drain())
      if (items.length > 0) yield items
    }
    for (const tail of toUtf8.end()) records.feed(tail, false)
    records.feed(undefined, true)
    const items = rows.takeLast(records.drain())
    if (items.length > 0) yield items
  } catch (error) {
    if (error instanceof Cancelled || signal?.aborted) throw error instanceof Cancelled ? error : new Cancelled()
    throw parseError(error, records.line, maxRecordSize)
  } finally {
    abort.dispose()
    closeFile()
  }
  return rows.end()
}

/**
 * How bytes become the parser's UTF-8: as they are (a file checked valid UTF-8), Windows-1252
 * table, iconv (UTF-16, forced encodings), or escaped (see Utf8Escaper): 'mixed' when the
 * input is UTF-8 with rows that are not, 'tentative' for a stream not decided yet.
 */
type DecodeMode = 'utf-8' | 'windows-1252' | 'decoder' | 'mixed' | 'tentative'

/** What the first bytes of the input decided. */
interface InputStart {
  /** The first chunks (at least 64 KiB unless the input is shorter). */
  sample: Buffer
  /** The sample is the whole input. */
  done: boolean
  bom: boolean
  mode: DecodeMode
  encoding: CsvEncoding
  /** The sample decoded (to detect the delimiter). */
  text: string
}

/** Read the sample, decide the encoding; an input with nothing but blanks is refused here. */
async function readStart(
  it: AsyncIterator<Buffer | string>,
  path: string | undefined,
  file: string,
  encodingOpt: ReadCsvOptions<unknown>['encoding'],
  abort: AbortWatch,
): Promise<InputStart> {
  const sampleChunks: Buffer[] = []
  let sampleSize = 0
  let done = false
  while (sampleSize < SAMPLE_BYTES) {
    const next = await abort.race(it.next())
    if (next.done) {
      done = true
      break
    }
    const chunk = toBuffer(next.value)
    sampleChunks.push(chunk)
    sampleSize += chunk.length
  }
  const sample = Buffer.concat(sampleChunks)
  const {bom, mode, encoding} = await decideEncoding(sample, done, path, encodingOpt)
  const text = decodeSample(sample, encoding)
  if (done && /^\s*$/.test(text)) throw new UsageError(t('empty', {file}), {actions: [t('emptyAction')]})
  return {sample, done, bom, mode, encoding, text}
}

/**
 * The encoding is decided for the whole input: valid UTF-8 → utf-8; no UTF-8 character at
 * all → Windows-1252 (an Excel export); both (or a UTF-8 BOM, or utf-8 forced) → UTF-8
 * whose other rows are rejected or repaired one by one. A file is checked whole before
 * reading (streamed, not loaded); a stream decides as it goes, holding the rows that
 * depend on the decision (see RowReader.route), so that both give the same rows.
 */
async function decideEncoding(
  sample: Buffer,
  done: boolean,
  path: string | undefined,
  encodingOpt: ReadCsvOptions<unknown>['encoding'],
): Promise<{bom: boolean; mode: DecodeMode; encoding: CsvEncoding}> {
  const utf16 = utf16Bom(sample)
  const bom = hasUtf8Bom(sample) || utf16 !== undefined
  const forced = encodingOpt && encodingOpt !== 'auto' ? encodingOpt : utf16
  let mode: DecodeMode
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
  const encoding = forced ?? (mode === 'windows-1252' ? 'windows-1252' : 'utf-8')
  return {bom, mode, encoding}
}

/** Excel's "sep=;" first line names the delimiter; the header is then on line 2. Else detected, unless given. */
function chooseDelimiter(
  text: string,
  done: boolean,
  given: ReadCsvOptions<unknown>['delimiter'],
): {sepLine: boolean; delimiter: CsvDelimiter} {
  const sepLine = /^sep=([;,\t])[ ]*(?:\r\n|\n|\r)/i.exec(text)
  const detected = sepLine ? (sepLine[1] as CsvDelimiter) : detectDelimiter(text, done)
  const delimiter: CsvDelimiter = given && given !== 'auto' ? given : detected
  return {sepLine: sepLine !== null, delimiter}
}

/**
 * The signal's abort, as soon as it comes: a wait for bytes (stdin that sends nothing, from the
 * first byte on) raced with it ends in Cancelled.
 */
class AbortWatch {
  private readonly aborted: Promise<never> | undefined
  private onAbort: (() => void) | undefined

  constructor(private readonly signal: AbortSignal | undefined) {
    this.aborted = signal
      ? new Promise<never>((_, reject) => {
          this.onAbort = () => reject(new Cancelled())
          if (signal.aborted) this.onAbort()
          else signal.addEventListener('abort', this.onAbort, {once: true})
        })
      : undefined
    this.aborted?.catch(() => undefined)
  }

  /** The promise, or Cancelled if the signal is aborted first. */
  race<T>(p: Promise<T>): Promise<T> {
    return this.aborted ? Promise.race([p, this.aborted]) : p
  }

  /** Stop listening to the signal. */
  dispose(): void {
    if (this.onAbort) this.signal!.removeEventListener('abort', this.onAbort)
  }
}

/** The input's chunks: the sample first, then the rest as it comes, each wait raced with the abort. */
class ChunkSource {
  private first = true
  private done: boolean

  constructor(
    private readonly it: AsyncIterator<Buffer | string>,
    private readonly sample: Buffer,
    done: boolean,
    private readonly abort: AbortWatch,
  ) {
    this.done = done
  }

  /** The next chunk, undefined at the end of the input. */
  async next(): Promise<Buffer | undefined> {
    if (this.first) {
      this.first = false
      return this.sample
    }
    if (this.done) return undefined
    const next = await this.abort.race(this.it.next())
    if (next.done) {
      this.done = true
      return undefined
    }
    return toBuffer(next.value)
  }
}

/**
 * A whole file known to be valid UTF-8 goes to the parser as it is (its BOM removed);
 * anything else is decoded (invalid UTF-8 → U+FFFD, Windows-1252, UTF-16) then re-encoded.
 * Windows-1252 (the usual export) is converted byte by byte, without a string between.
 * `end` gives what the decoder still holds at the end of the input.
 */
function utf8Converter(start: InputStart): {write: (chunk: Buffer) => Buffer; end: () => Buffer[]} {
  const {mode, encoding} = start
  const transcode = mode === 'windows-1252' ? (cp1252ToUtf8 ??= singleByteToUtf8('windows-1252')) : undefined
  const decoder = mode === 'decoder' ? iconv.getDecoder(encoding) : undefined
  const escaper = mode === 'mixed' || mode === 'tentative' ? new Utf8Escaper() : undefined
  let bomBytes = mode === 'utf-8' && hasUtf8Bom(start.sample)
  return {
    write(chunk) {
      if (transcode) return transcode(chunk)
      if (escaper) return escaper.write(chunk)
      if (decoder) return Buffer.from(decoder.write(chunk), 'utf8')
      if (bomBytes) {
        bomBytes = false
        return chunk.subarray(3)
      }
      return chunk
    },
    end() {
      const tails: Buffer[] = []
      const tail = decoder?.end()
      if (tail) tails.push(Buffer.from(tail, 'utf8'))
      const escapedTail = escaper?.write(Buffer.alloc(0), true)
      if (escapedTail && escapedTail.length > 0) tails.push(escapedTail)
      return tails
    },
  }
}

const NO_CLOSE = () => undefined

/**
 * csv-parse's synchronous core, driven directly (no stream per record, no info object per
 * record). Records are numbered here as they are pushed: a record spans one line plus the
 * line breaks inside its (quoted) cells (csv-parse's own info.lines counts a CRLF inside
 * quotes twice). `line` is then also the start of a record that fails to parse.
 */
class RecordSplitter {
  line: number
  private records: string[][] = []
  private starts: number[] = []
  private readonly api: ParserApi

  constructor(delimiter: CsvDelimiter, maxRecordSize: number, sepLine: boolean) {
    this.line = sepLine ? 2 : 1
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
    this.api = api
  }

  /** Parse UTF-8 bytes (undefined with end: the end of the input); throws csv-parse's error. */
  feed(buf: Buffer | undefined, end: boolean): void {
    const err = this.api.parse(buf, end, this.push, NO_CLOSE)
    if (err !== undefined) throw err
  }

  /** The records parsed since the last call, with the line each starts on. */
  drain(): {records: string[][]; starts: number[]} {
    const out = {records: this.records, starts: this.starts}
    this.records = []
    this.starts = []
    return out
  }

  private readonly push = (record: string[]) => {
    this.starts.push(this.line)
    this.line += 1
    for (const cell of record) if (cell.includes('\n') || cell.includes('\r')) this.line += countBreaks(cell)
    this.records.push(record)
  }
}

/**
 * Records → items: the first non-blank record is the header (mapped to the schema's
 * fields); each later one is checked for shape, then parsed by the schema, and becomes an
 * accepted row or a reject. Escaped input (see Utf8Escaper): a record holding bytes that
 * were not UTF-8 is read as Windows-1252 when the whole input is (no UTF-8 character
 * anywhere), else rejected or repaired. A stream does not know yet: from its first such
 * record on, records wait in `pending` (in order) until a UTF-8 character decides 'mixed',
 * or the end 'windows-1252'.
 */
class RowReader<T> {
  private mode: DecodeMode
  private encoding: CsvEncoding
  private readonly escaping: boolean
  private readonly bom: boolean
  private readonly keepRaw: boolean
  private readonly fastParse: ReadCsvOptions<T>['fastParse']
  private meta: CsvMeta | undefined
  private mapping: ReturnType<typeof resolveHeaders> | undefined
  private width = 0
  private headers: string[] = []
  private byIndex: [number, string][] = []
  private readonly misencodedRows: number[] = []
  private pending: [string[], number][] = []

  constructor(
    private readonly opts: ReadCsvOptions<T>,
    private readonly file: string,
    start: InputStart,
    private readonly delimiter: CsvDelimiter,
  ) {
    this.mode = start.mode
    this.encoding = start.encoding
    this.bom = start.bom
    this.escaping = start.mode === 'mixed' || start.mode === 'tentative'
    this.keepRaw = opts.raw !== false
    this.fastParse = opts.fastParse
  }

  /** The items of the records parsed from one chunk, in order. */
  take(batch: {records: string[][]; starts: number[]}): CsvItem<T>[] {
    const out: CsvItem<T>[] = []
    const {records, starts} = batch
    for (let k = 0; k < records.length; k++) this.route(records[k]!, starts[k]!, out)
    return out
  }

  /** The last records; a stream with no UTF-8 character at all was Windows-1252 all along. */
  takeLast(batch: {records: string[][]; starts: number[]}): CsvItem<T>[] {
    const items = this.take(batch)
    if (this.mode === 'tentative' && this.pending.length > 0) {
      this.mode = 'windows-1252'
      this.encoding = 'windows-1252'
      if (this.meta) this.meta.encoding = this.encoding
      this.flushPending(items)
    }
    return items
  }

  /** Once the input is read: no header is an empty input; say which rows were repaired. */
  end(): CsvMeta | undefined {
    const file = this.file
    if (!this.mapping) throw new UsageError(t('empty', {file}), {actions: [t('emptyAction')]})
    const misencodedRows = this.misencodedRows
    if (this.opts.repairEncoding && misencodedRows.length > 0)
      this.opts.warn?.(t('repairedEncoding', {file, n: misencodedRows.length, rows: listRows(misencodedRows)}))
    return this.meta
  }

  /** A record of escaped input waits while a stream's encoding is undecided; else it is decided now. */
  private route(cells: string[], row: number, out: CsvItem<T>[]): void {
    if (!this.escaping) return this.handle(cells, row, out)
    const joined = cells.join('')
    if (this.mode === 'tentative' && NON_ASCII_UTF8.test(joined)) {
      this.mode = 'mixed'
      this.flushPending(out)
    }
    if (this.mode === 'tentative' && this.mapping && (this.pending.length > 0 || ESCAPED.test(joined))) this.pending.push([cells, row])
    else this.decide(cells, row, out)
  }

  private flushPending(out: CsvItem<T>[]): void {
    const held = this.pending
    this.pending = []
    for (const [cells, row] of held) this.decide(cells, row, out)
  }

  /** A record of escaped input: read as it is, repaired as Windows-1252, or rejected as not UTF-8. */
  private decide(cells: string[], row: number, out: CsvItem<T>[]): void {
    if (!ESCAPED.test(cells.join(''))) return this.handle(cells, row, out)
    if (!this.mapping || this.mode === 'windows-1252') return this.handle(repairCells(cells), row, out)
    this.misencodedRows.push(row)
    if (this.opts.repairEncoding) return this.handle(repairCells(cells), row, out)
    if (this.mapping && !isBlank(cells)) out.push(misencodedReject(repairCells(cells), row))
  }

  private handle(cells: string[], row: number, out: CsvItem<T>[]): void {
    if (!this.mapping) this.readHeader(cells)
    else this.readRow(cells, row, out)
  }

  /** The header: its cells mapped to the schema's fields; onHeader gets the metadata. Blank lines before it are skipped. */
  private readHeader(cells: string[]): void {
    if (isBlank(cells)) return
    const {opts, file} = this
    const headers = cells.map((c) => c.trim())
    this.headers = headers
    const mapping = resolveHeaders(headers, opts.columns ?? {}, opts.schema, file)
    this.mapping = mapping
    // A rejects file imported again: its row/field/message columns are expected, not unknown.
    if (REJECTS_HEADER.every((h, i) => headers[i] === h)) {
      mapping.unknownHeaders = mapping.unknownHeaders.filter((h) => !(REJECTS_HEADER as readonly string[]).includes(h))
    }
    this.byIndex = [...mapping.byIndex]
    this.width = headers.reduce((w, h, i) => (h !== '' ? i + 1 : w), 0)
    const {encoding, bom, delimiter, misencodedRows} = this
    this.meta = {file, encoding, bom, delimiter, headers, unknownHeaders: mapping.unknownHeaders, columns: mapping.headerOf, misencodedRows}
    opts.onHeader?.(this.meta)
  }

  /** A data record: its shape checked, then its fields parsed by the schema (or its fast twin). Blank records are skipped. */
  private readRow(cells: string[], row: number, out: CsvItem<T>[]): void {
    if (isBlank(cells)) return
    const rejects = checkRecord(cells, row, this.width, this.headers.length, this.mode === 'decoder')
    if (rejects !== undefined) {
      out.push({ok: false, row, reject: rejects[0], rejects})
      return
    }
    const value: Record<string, string | undefined> = {}
    const byIndex = this.byIndex
    for (let k = 0; k < byIndex.length; k++) {
      const [i, f] = byIndex[k]!
      const cell = unneutralise((cells[i] ?? '').trim())
      value[f] = cell === '' ? undefined : cell
    }
    const fastParse = this.fastParse
    const fast = fastParse?.(value)
    const parsed = fast !== undefined ? {success: true as const, data: fast} : this.opts.schema.safeParse(value)
    if (!parsed.success) {
      const list = this.schemaRejects(parsed.error.issues, value, cells, row)
      out.push({ok: false, row, reject: list[0], rejects: list})
      return
    }
    out.push({ok: true, row, value: parsed.data, raw: this.rawCells(cells), cells})
  }

  /**
   * One reject per schema problem. The message names the rule, never the cell: it may reach
   * a terminal, a log or a --json envelope, and a cell may be a name or a birth date. The
   * cell itself goes only to the rejects file (0600), in its `value` column.
   */
  private schemaRejects(
    issues: z.ZodError['issues'],
    value: Record<string, string | undefined>,
    cells: string[],
    row: number,
  ): CsvReject[] {
    return issues.map((issue) => {
      const field = issue.path.length > 0 ? String(issue.path[0]) : ''
      const cell = field ? value[field] : undefined
      const message = field && cell === undefined && issue.code === 'invalid_type' ? t('required') : issue.message
      const column = field ? this.mapping!.headerOf[field] : undefined
      return {row, field, message, ...(cell === undefined ? {} : {value: cell}), raw: cells, ...(column ? {column} : {})}
    })
  }

  /** The cells by header (the first of two same headers wins); the shared empty object when raw is off. */
  private rawCells(cells: string[]): Record<string, string> {
    if (!this.keepRaw) return NO_RAW
    const headers = this.headers
    const raw: Record<string, string> = {}
    for (let i = 0; i < headers.length; i++) {
      const h = headers[i]!
      if (h !== '' && !(h in raw)) raw[h] = cells[i] ?? ''
    }
    return raw
  }
}

/** The cells of a record that held bytes not UTF-8, read as Windows-1252. */
function repairCells(cells: string[]): string[] {
  return cells.map((c) => (ESCAPED.test(c) ? unescapeAsCp1252(c) : c))
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
