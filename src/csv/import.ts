import {basename} from 'node:path'
import type {Kysely} from 'kysely'
import {audit, type ServiceContext} from '../context/service-context.js'
import {AlpiError, Cancelled, EXIT, InputRejected} from '../core/errors.js'
import {OutputError} from '../core/fs.js'
import type {Database} from '../store/schema.js'
import type {UpsertCounts} from '../store/upsert.js'
import {t} from './messages/index.js'
import {readCsv, type CsvSource, type ReadCsvOptions} from './read.js'
import {defaultRejectsPath, removeStaleRejects, writeRejects, type CsvReject} from './rejects.js'

const MAX_LISTED_REJECTS = 1000

function withoutValue(r: CsvReject): string {
  const v = r.value === undefined || r.value === null ? '' : String(r.value)
  return v.trim() === '' ? r.message : r.message.split(v).join('…')
}

/**
 * What an import command hands its service (src/cli/import-command.ts): the file and the flags every
 * CSV import takes. A campaign's import service takes these options (and its own beside them).
 */
export interface ImportFileOptions {
  /** A CSV file, or - for standard input. */
  file: string
  /** Where to write the rejected rows (default: next to the file). */
  rejectsPath?: string
  /** Read the non-UTF-8 rows of a UTF-8 file as Windows-1252 (and say so) instead of rejecting them. */
  repairEncoding?: boolean
  /** Validate and write the rejects file, change nothing. */
  dryRun?: boolean
}

export interface ImportCsvOptions<T> extends Omit<ReadCsvOptions<T>, 'signal'> {
  /** Audit entity, e.g. 'laptops'. */
  entity: string
  /** Natural key of a row: two rows of the file with the same key → the second is rejected. */
  key: (value: T) => string
  /** Where to write the rejects file (default: next to the source, see defaultRejectsPath). */
  rejectsPath?: string
  /** Upsert the accepted rows inside the ONE transaction (typically with upsertRows). */
  upsert: (trx: Kysely<Database>, rows: T[]) => Promise<UpsertCounts>
  /** Validate and write the rejects file, but change nothing in the store. */
  dryRun?: boolean
  /**
   * Work on the accepted rows after validation and BEFORE the transaction, outside it (e.g.
   * documents to write: the store stays unlocked meanwhile). Not called on a dry run.
   */
  prepare?: (rows: T[]) => Promise<void>
  /**
   * Doubts about an accepted row that do not reject it (a size out of its plausible range...):
   * each message is warned on stderr with the row number and listed in `rowWarnings`.
   */
  warnRow?: (value: T) => string[]
}

export interface ImportResult {
  /** The source as given ('stdin' for standard input). */
  file: string
  /** Data rows read (accepted + rejected). */
  rows: number
  inserted: number
  updated: number
  unchanged: number
  /** Rows rejected (a row with several problems counts once). */
  rejected: number
  /** The rejects file written, or null when nothing was rejected. */
  rejectsFile: string | null
  encoding: string
  delimiter: string
  /** Header cells that match no field (ignored). */
  unknownHeaders: string[]
  /** The problems (row, field, message), in file order, at most the first 1000 (all are in the rejects file); no cell values. */
  rejects: {row: number; field: string; message: string}[]
  /** Accepted rows with a doubt (options.warnRow), in file order, at most the first 1000. */
  rowWarnings: {row: number; message: string}[]
  dryRun: boolean
}

/**
 * The one CSV import: read and validate every row, reject duplicates of the natural key,
 * write the rejects file, then upsert the accepted rows and write the audit entry in ONE
 * transaction (a crash leaves nothing). Finally, if any row was rejected, throw
 * InputRejected (exit 3) whose data is the ImportResult: the accepted rows are kept.
 */
export async function importCsv<T>(ctx: ServiceContext, opts: ImportCsvOptions<T>): Promise<ImportResult> {
  const read = await readCsv({warn: (m) => ctx.out.warn(m), ...opts, signal: ctx.signal})
  const file = read.file
  if (read.unknownHeaders.length > 0) ctx.out.warn(t('unknownColumns', {file, list: read.unknownHeaders.map((h) => `"${h}"`).join(', ')}))

  const rejects: CsvReject[] = [...read.rejects]
  const firstRow = new Map<string, number>()
  const accepted: T[] = []
  const rowWarnings: ImportResult['rowWarnings'] = []
  for (const r of read.rows) {
    const k = opts.key(r.value)
    const first = firstRow.get(k)
    if (first !== undefined) {
      rejects.push({row: r.row, field: '', message: t('duplicateKey', {first, key: k}), raw: r.cells})
      continue
    }
    firstRow.set(k, r.row)
    accepted.push(r.value)
    for (const message of opts.warnRow?.(r.value) ?? []) {
      if (rowWarnings.length < MAX_LISTED_REJECTS) rowWarnings.push({row: r.row, message})
      ctx.out.warn(t('rowWarning', {file, row: r.row, message}))
    }
  }
  rejects.sort((a, b) => a.row - b.row)
  const rejectedRows = new Set(rejects.map((r) => r.row)).size

  const rejectsPath = opts.rejectsPath ?? defaultRejectsPath(opts.source as CsvSource)
  let rejectsFile: string | null = null
  ctx.out.debug(
    `${file}: ${read.encoding}${read.bom ? ' (BOM)' : ''}, delimiter ${JSON.stringify(read.delimiter)}, ${read.rowCount} rows, ${accepted.length} accepted, ${rejectedRows} rejected`,
  )
  try {
    if (rejectedRows > 0) rejectsFile = (await writeRejects(rejectsPath, rejects, read.headers)).path
    else removeStaleRejects(rejectsPath)
  } catch (error) {
    // the writer wraps the system error (OutputError): its errno says why
    const code = ((error instanceof OutputError ? error.cause : error) as NodeJS.ErrnoException).code
    if (
      code === 'EACCES' ||
      code === 'EPERM' ||
      code === 'EROFS' ||
      code === 'ENOENT' ||
      code === 'ENOTDIR' ||
      code === 'ENOSPC' ||
      code === 'EDQUOT'
    ) {
      throw new AlpiError('REJECTS_NOT_WRITABLE', t('rejectsNotWritable', {file: rejectsPath, detail: code}), EXIT.failure, {
        actions: [t('rejectsNotWritableAction')],
        cause: error,
      })
    }
    throw error
  }
  if (ctx.signal.aborted) throw new Cancelled()

  let counts: UpsertCounts = {inserted: 0, updated: 0, unchanged: 0}
  const name = typeof opts.source === 'string' && opts.source !== '-' ? basename(opts.source) : 'stdin'
  const summaryCounts = () => ({rows: read.rowCount, ...counts, rejected: rejectedRows})
  if (!opts.dryRun && opts.prepare && accepted.length > 0) await opts.prepare(accepted)
  if (!opts.dryRun) {
    counts = await ctx.store.transaction(
      async (trx) => {
        const c = accepted.length > 0 ? await opts.upsert(trx, accepted) : {inserted: 0, updated: 0, unchanged: 0}
        counts = c
        await audit(ctx, trx, {
          entity: opts.entity,
          action: 'import',
          summary: {code: 'csvImport', params: {file: name, ...summaryCounts()}},
          result: rejectedRows === 0 ? 'ok' : accepted.length === 0 ? 'rejected' : 'partial',
          data: {file: name, ...summaryCounts(), encoding: read.encoding, delimiter: read.delimiter},
        })
        return c
        // Ctrl-C is honoured up to the commit: the whole batch and its audit entry roll back (exit 130).
      },
      {signal: ctx.signal},
    )
  }

  const result: ImportResult = {
    file,
    rows: read.rowCount,
    ...counts,
    rejected: rejectedRows,
    rejectsFile,
    encoding: read.encoding,
    delimiter: read.delimiter,
    unknownHeaders: read.unknownHeaders,
    // The result goes to stdout under --json: the cell values (personal data) stay in the 0600 rejects file only.
    rejects: rejects.slice(0, MAX_LISTED_REJECTS).map((r) => ({row: r.row, field: r.column ?? r.field, message: withoutValue(r)})),
    rowWarnings,
    dryRun: Boolean(opts.dryRun),
  }
  if (rejectedRows > 0) {
    throw new InputRejected(
      rejectsFile
        ? t('importRejected', {rejected: rejectedRows, rows: read.rowCount, file: rejectsFile})
        : t('importRejectedNoFile', {rejected: rejectedRows, rows: read.rowCount}),
      {
        actions: [rejectsFile ? t('importRejectedAction', {file: rejectsFile}) : t('importRejectedNoFileAction')],
        data: result,
      },
    )
  }
  return result
}
