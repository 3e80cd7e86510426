import {closeSync, existsSync, lstatSync, openSync, readFileSync, readSync, unlinkSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {createCsvWriter, type CsvWriter} from '../csv/write.js'
import {audit, type ServiceContext} from '../context/service-context.js'
import type {FileContext} from './engine.js'
import {InputRejected, UsageError} from '../core/errors.js'
import {newId, nowIso} from '../core/ids.js'
import {FR, frTypographyHtml} from '../core/french.js'
import {renderTemplate} from '../core/templates.js'
import {leftBehindTotals, runPass, type LeftBehindTotals, type Merge, type PassResult, type Reject, type Sink} from './engine.js'
import {checkOutNotSource, removeDeadTemporaries, withStagedFolder} from './output.js'
import {writeFileAtomic} from '../core/fs.js'
import {
  compileTargetColumns,
  loadSourceMapping,
  loadTargetMapping,
  sourceMappingPath,
  targetMappingPath,
  type CompiledColumn,
  type TargetMapping,
} from './mapping.js'
import {ENTITIES, ENTITY_ORDER, entityDef, type CanonicalRow, type EntityName} from './model.js'
import {formatEuros, t} from './messages/index.js'

export const DEFAULT_THRESHOLD = 0.8

export interface ValidateOptions {
  dir: string
  sourceMapping?: string
  /** Where to write the rejects TSV (default DIR/../<dir>.rejects.tsv, never inside the export). */
  rejectsPath?: string
  includeHealth?: boolean
  threshold?: number
}

export interface ValidateResult {
  dir: string
  entities: PassResult['stats']
  rejected: number
  rejectsFile: string | null
  merges: number
}

function checkThreshold(given: number | undefined): number {
  const v = given ?? DEFAULT_THRESHOLD
  if (!(v > 0 && v <= 1)) throw new UsageError(t('threshold', {value: String(v)}), {actions: [t('thresholdAction')]})
  return v
}

function checkDir(dir: string) {
  if (!existsSync(dir)) throw new UsageError(t('dirMissing', {dir}), {actions: [t('dirMissingAction')]})
}

/** Rejects as TSV: file, row, field, value, message (UTF-8, 0600: it may hold personal values). */
export async function writeRejectsTsv(path: string, rejects: Reject[]): Promise<void> {
  const w = await createCsvWriter(path, {columns: ['file', 'row', 'field', 'value', 'message'], delimiter: '\t', mode: 0o600})
  for (const r of rejects) await w.write({file: r.file, row: r.row, field: r.field, value: r.value ?? '', message: r.message})
  await w.end()
}

const REJECTS_HEADER = 'file\trow\tfield\tvalue\tmessage'

function removeStaleRejectsTsv(path: string) {
  if (!existsSync(path) || !lstatSync(path).isFile()) return
  const fd = openSync(path, 'r')
  const head = Buffer.alloc(REJECTS_HEADER.length)
  try {
    readSync(fd, head, 0, head.length, 0)
  } finally {
    closeSync(fd)
  }
  if (head.toString('utf8') === REJECTS_HEADER) unlinkSync(path)
}

/** Check an export without writing anything but the rejects file. Exit 3 when anything is rejected. */
export async function validateExport(ctx: FileContext, opts: ValidateOptions): Promise<ValidateResult> {
  checkDir(opts.dir)
  const mapping = loadSourceMapping(opts.sourceMapping ?? sourceMappingPath(ctx.templatesDir))
  // Health rows are validated too (their values go only to the rejects file, 0600).
  const pass = await runPass({
    dir: opts.dir,
    mapping,
    includeHealth: opts.includeHealth ?? true,
    threshold: checkThreshold(opts.threshold),
    signal: ctx.signal,
  })
  const rejectsPath = resolve(opts.rejectsPath ?? `${resolve(opts.dir)}.rejects.tsv`)
  for (const n of removeDeadTemporaries(rejectsPath)) ctx.out.debug(t('removedStale', {name: n}))
  const rejectsFile = pass.rejects.length > 0 ? rejectsPath : null
  if (rejectsFile) await writeRejectsTsv(rejectsFile, pass.rejects)
  // A clean run leaves no rejects file of an earlier run (only one this command wrote is removed).
  else removeStaleRejectsTsv(rejectsPath)
  const result: ValidateResult = {
    dir: opts.dir,
    entities: pass.stats,
    rejected: pass.rejects.length,
    rejectsFile,
    merges: pass.merges.length,
  }
  if (pass.rejects.length > 0) {
    throw new InputRejected(t('validateRejected', {count: pass.rejects.length, file: rejectsFile!}), {
      actions: [t('validateAction', {file: rejectsFile!})],
      data: result,
    })
  }
  return result
}

export interface MigrateOptions {
  dir: string
  out: string
  sourceMapping?: string
  /** The CityFamily mapping (--mapping). */
  mapping?: string
  includeHealth?: boolean
  dryRun?: boolean
  bom?: boolean
  threshold?: number
}

/**
 * What a run did, as printed (table, --json result, and the data of the exit-3 envelope):
 * counts, totals, ids and row numbers only. Names and birth dates of the merged persons stay
 * in rapport.json and rapport.html (0600), for the person who reviews the merges.
 */
export interface MigrateSummary {
  generatedAt: string
  source: string
  target: string | null
  dryRun: boolean
  includeHealth: boolean
  threshold: number
  entities: PassResult['stats']
  formats: PassResult['formats']
  files: {file: string; entity: string; rows: number}[]
  merges: Pick<Merge, 'kept' | 'merged' | 'keptRow' | 'mergedRow' | 'score'>[]
  /** Problems found (a row may have several; see `leftBehind.rows` for rows). */
  rejected: number
  rejectsFile: string | null
  /** Rows of the export not in the output: how many, households touched, amounts carried. */
  leftBehind: LeftBehindTotals
  totals: {before: PassResult['before']; after: PassResult['after']}
}

/** rapport.json: the summary with the merges in full (names, birth date) for the review. */
export interface MigrateReport extends Omit<MigrateSummary, 'merges'> {
  merges: Merge[]
}

export const REPORT_FILES = ['rapport.json', 'rapport.html', 'rejets.tsv'] as const

/** Names a migrate output folder may hold: this mapping's files, a previous run's, the reports. */
function migrateOwns(target: TargetMapping, out: string): (name: string) => boolean {
  const names = new Set<string>([...REPORT_FILES, ...target.files.map((f) => f.file)])
  try {
    const previous = JSON.parse(readFileSync(join(out, 'rapport.json'), 'utf8')) as {files?: {file?: unknown}[]}
    for (const f of previous.files ?? []) if (typeof f.file === 'string' && /^[\w.-]+$/.test(f.file)) names.add(f.file)
  } catch {
    // no previous report, or not ours: only the current mapping's names
  }
  return (name) => names.has(name)
}

/** A sink writing each canonical row to the target files that take its entity. */
class TargetSink implements Sink {
  private readonly writers = new Map<string, {writer: CsvWriter; columns: CompiledColumn[]; file: string; entity: string}[]>()
  constructor(private readonly mapping: TargetMapping) {}

  async open(out: string, bom: boolean, includeHealth: boolean) {
    for (const f of this.mapping.files) {
      if (f.entity !== 'balance' && entityDef(f.entity).health === true && !includeHealth) continue
      const columns = compileTargetColumns(this.mapping, f)
      const writer = await createCsvWriter(join(out, f.file), {
        columns: columns.map((c) => ({key: c.key, header: c.header})),
        delimiter: this.mapping.delimiter,
        eol: this.mapping.eol,
        bom,
        mode: 0o600,
      })
      const list = this.writers.get(f.entity) ?? []
      list.push({writer, columns, file: f.file, entity: f.entity})
      this.writers.set(f.entity, list)
    }
  }

  /** Synchronous unless a writer flushes (then a promise to wait for). */
  write(entity: EntityName | 'balance', row: CanonicalRow): Promise<void> | undefined {
    const list = this.writers.get(entity)
    if (!list) return undefined
    let wait: Promise<void> | undefined
    for (let k = 0; k < list.length; k++) {
      const w = list[k]!
      // Cells by position (the writer's columns are these columns, in this order).
      const cells: (string | number | undefined)[] = new Array(w.columns.length)
      for (let i = 0; i < w.columns.length; i++) cells[i] = w.columns[i]!.format(row)
      if (wait) wait = wait.then(() => w.writer.write(cells))
      else wait = w.writer.write(cells)
    }
    return wait
  }

  async end() {
    const files: MigrateReport['files'] = []
    for (const list of this.writers.values())
      for (const w of list) files.push({file: w.file, entity: w.entity, rows: (await w.writer.end()).rows})
    return files.sort((a, b) => a.file.localeCompare(b.file))
  }

  async abort() {
    for (const list of this.writers.values()) for (const w of list) await w.writer.abort()
  }
}

/**
 * Abelium export → CityFamily import files, a rejects TSV, and a report (HTML in French and
 * JSON), all written into a staged folder swapped in at the end (see output.ts): the output
 * folder holds exactly what this run produced, or, on failure, what it held before.
 * Output is deterministic: same input, same bytes (timestamps from ALPI_NOW).
 * Health data stays out unless includeHealth. One audit entry per run (counts only).
 */
export async function migrateExport(ctx: ServiceContext, opts: MigrateOptions): Promise<MigrateSummary> {
  checkDir(opts.dir)
  const threshold = checkThreshold(opts.threshold)
  const includeHealth = Boolean(opts.includeHealth)
  const source = loadSourceMapping(opts.sourceMapping ?? sourceMappingPath(ctx.templatesDir))
  const target = loadTargetMapping(opts.mapping ?? targetMappingPath(ctx.templatesDir))
  const out = resolve(opts.out)
  checkOutNotSource(opts.dir, out)

  const run = async (dir: string | undefined, finalDir: string | null): Promise<MigrateReport> => {
    let sink: TargetSink | undefined
    if (dir) {
      sink = new TargetSink(target)
      await sink.open(dir, Boolean(opts.bom), includeHealth)
    }
    let pass: PassResult
    try {
      pass = await runPass({
        dir: opts.dir,
        mapping: source,
        includeHealth,
        threshold,
        signal: ctx.signal,
        sink,
        onFile: (e, m) => ctx.out.debug(`${e}: ${m.file} (${m.encoding}, '${m.delimiter === '\t' ? '\\t' : m.delimiter}')`),
      })
      if (sink)
        for (const h of pass.balances)
          await sink.write('balance', {householdId: h.householdId, invoiced: h.invoiced, paid: h.paid, unpaid: h.unpaid})
    } catch (error) {
      await sink?.abort()
      throw error
    }
    const files = sink ? await sink.end() : []
    const rejectsFile = pass.rejects.length > 0 && finalDir ? join(finalDir, 'rejets.tsv') : null
    if (rejectsFile) await writeRejectsTsv(join(dir!, 'rejets.tsv'), pass.rejects)
    const report: MigrateReport = {
      generatedAt: nowIso(),
      source: resolve(opts.dir),
      target: finalDir,
      dryRun: Boolean(opts.dryRun),
      includeHealth,
      threshold,
      entities: pass.stats,
      formats: pass.formats,
      files,
      merges: pass.merges,
      rejected: pass.rejects.length,
      rejectsFile,
      leftBehind: leftBehindTotals(pass.leftBehind),
      totals: {before: pass.before, after: pass.after},
    }
    if (dir) {
      writeFileAtomic(join(dir, 'rapport.json'), JSON.stringify(report, null, 2) + '\n', {mode: 0o600})
      const html = frTypographyHtml(
        renderTemplate(ctx.templatesDir, 'cityfamily/report.html.eta', {
          report,
          order: ENTITY_ORDER,
          labels: Object.fromEntries(ENTITY_ORDER.map((e) => [e, ENTITIES[e].label])),
          euros: formatEuros,
          fr: FR,
        }),
      )
      writeFileAtomic(join(dir, 'rapport.html'), html, {mode: 0o600})
    }
    return report
  }

  const report = opts.dryRun
    ? await run(undefined, null)
    : await withStagedFolder(out, {owns: migrateOwns(target, out), log: (l) => ctx.out.debug(l)}, (dir, finalDir) => run(dir, finalDir))
  if (!opts.dryRun) await recordRun(ctx, report)
  const summary: MigrateSummary = {
    ...report,
    merges: report.merges.map(({kept, merged, keptRow, mergedRow, score}) => ({kept, merged, keptRow, mergedRow, score})),
  }
  if (report.rejected > 0) {
    const rejectsFile = report.rejectsFile
    throw new InputRejected(t('migrateRejected', {count: report.rejected}) + (rejectsFile ? ` (${rejectsFile})` : ''), {
      actions: rejectsFile ? [t('migrateAction', {file: rejectsFile, report: join(report.target!, 'rapport.html')})] : [t('dryRunAction')],
      data: summary,
    })
  }
  return summary
}

/** The run record and its audit entry, in one transaction. Counts only: no names, no health. */
async function recordRun(ctx: ServiceContext, report: MigrateReport) {
  const id = newId()
  const counts = Object.fromEntries(
    Object.entries(report.entities).map(([e, s]) => [e, {in: s!.in, out: s!.out, rejected: s!.rejected, merged: s!.merged}]),
  )
  await ctx.store.transaction(async (trx) => {
    await trx
      .insertInto('cityfamily_runs')
      .values({
        id,
        kind: 'migrate',
        at: report.generatedAt,
        source_dir: report.source,
        target_dir: report.target,
        include_health: report.includeHealth ? 1 : 0,
        threshold: String(report.threshold),
        counts: JSON.stringify(counts),
        invoiced_before: report.totals.before.invoiced,
        unpaid_before: report.totals.before.unpaid,
        invoiced_after: report.totals.after.invoiced,
        unpaid_after: report.totals.after.unpaid,
        merges: report.merges.length,
        rejected: report.rejected,
      })
      .execute()
    await audit(ctx, trx, {
      entity: 'cityfamily_run',
      entityId: id,
      action: 'migrate',
      summary: {code: 'cityfamilyMigrate', params: {rejected: report.rejected, merged: report.merges.length}},
      result: report.rejected > 0 ? 'rejected' : 'ok',
      data: {counts, merges: report.merges.length, rejected: report.rejected, includeHealth: report.includeHealth},
    })
  })
}
