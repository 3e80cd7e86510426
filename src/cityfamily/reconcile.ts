import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {z} from 'zod'
import {streamCsv, streamCsvBatches, type ReadCsvOptions} from '../csv/read.js'
import {AlpiError, EXIT, InputRejected, UsageError} from '../core/errors.js'
import {describeLeftRow, leftBehindTotals, type FileContext, type LeftBehindTotals, type LeftRow} from './engine.js'
import {
  columnSpec,
  compileTargetColumns,
  fastSourceParser,
  loadSourceMapping,
  loadTargetMapping,
  sourceMappingPath,
  sourceSchema,
  targetMappingPath,
  type SourceMapping,
  type TargetMapping,
} from './mapping.js'
import {ENTITY_ORDER, type CanonicalRow, type EntityName} from './model.js'
import {formatEuros, t} from './messages/index.js'

/**
 * Every row of the export accounted for, independently of migrate: the source is read through
 * the Abelium mapping, the output through the CityFamily mapping, and the documents migrate
 * left in the output folder say what was left behind on purpose (rejets.tsv: file and row) and
 * merged (rapport.json: merged person ids; health not read without --include-health).
 *
 * Per entity: rows in the export = rows in the output + rows in rejets.tsv + merged rows.
 * Per household: members, invoices, invoiced, paid (allocated) and unpaid in the export, less
 * what the rows left behind carry, equal the output's. Exit 0 only when both hold and nothing
 * was left behind; exit 3 when they hold and rows were left behind (listed, with the
 * households they touch and the amounts they carry: the same figures as rapport.html); exit 1
 * when anything else differs (an output file edited or cut short, a rejects file removed...).
 */
export interface HouseholdFigures {
  members: number
  invoices: number
  invoiced: number
  paid: number
  unpaid: number
}

export interface Difference {
  /** The household, for a per-household difference. */
  householdId?: string
  /** The entity, for a per-entity row count difference. */
  entity?: EntityName
  measure: keyof HouseholdFigures | 'household' | 'rows' | 'rejects'
  /** What the export holds once the documented rows left behind are taken out. */
  source: number | string
  target: number | string
}

export interface EntityAccount {
  entity: EntityName
  file: string
  /** Rows of the export (parsed or not). */
  in: number
  /** Rows in the output file. */
  out: number | null
  /** Rows listed in rejets.tsv. */
  rejected: number
  /** Rows merged into another (duplicate persons, then their duplicate household links). */
  merged: number
  /** Not migrated on purpose: health data without --include-health, or no file in the CityFamily mapping. */
  notMigrated?: 'health' | 'not-mapped'
}

export interface LeftBehindRow extends LeftRow {
  /** Columns named by the rejects file for this row (its reasons are in the file). */
  fields: string[]
}

export interface ReconcileResult {
  source: string
  target: string
  households: {source: number; target: number}
  /** Export: every row that can be read; target: the output files. */
  totals: {source: HouseholdFigures; target: HouseholdFigures}
  entities: EntityAccount[]
  leftBehind: {rejectsFile: string | null; totals: LeftBehindTotals; rows: LeftBehindRow[]}
  differences: Difference[]
}

const MEASURES: (keyof HouseholdFigures)[] = ['members', 'invoices', 'invoiced', 'paid', 'unpaid']
const zero = (): HouseholdFigures => ({members: 0, invoices: 0, invoiced: 0, paid: 0, unpaid: 0})
const anyRow = z.object({})

/** The rows of rejets.tsv: (file, row) → the fields it names. */
async function readRejects(path: string, signal: AbortSignal): Promise<Map<string, string[]>> {
  const rows = new Map<string, string[]>()
  if (!existsSync(path)) return rows
  const schema = z.object({file: z.string(), row: z.string(), field: z.string().optional()})
  for await (const item of streamCsv({
    source: path,
    schema,
    columns: {file: {aliases: ['file'], required: true}, row: {aliases: ['row'], required: true}, field: {aliases: ['field']}},
    encoding: 'utf-8',
    delimiter: '\t',
    signal,
  })) {
    if (!item.ok) continue
    const k = `${item.value.file}\u001f${Number(item.value.row)}`
    const list = rows.get(k) ?? []
    if (item.value.field && !list.includes(item.value.field)) list.push(item.value.field)
    rows.set(k, list)
  }
  return rows
}

/** What rapport.json documents: merged person → kept person, entities not read. */
function readReport(path: string): {canonicalOf: Map<string, string>; skipped: Set<string>} {
  const canonicalOf = new Map<string, string>()
  const skipped = new Set<string>()
  if (!existsSync(path)) return {canonicalOf, skipped}
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as {
      merges?: {kept?: unknown; merged?: unknown}[]
      entities?: Record<string, {skipped?: unknown}>
    }
    for (const m of r.merges ?? []) if (typeof m.kept === 'string' && typeof m.merged === 'string') canonicalOf.set(m.merged, m.kept)
    for (const [e, s] of Object.entries(r.entities ?? {})) if (s?.skipped === 'health') skipped.add(e)
  } catch {
    // unreadable: nothing documented (the counts will say so)
  }
  return {canonicalOf, skipped}
}

async function* targetRows(
  dir: string,
  mapping: TargetMapping,
  entity: EntityName,
  fields: string[],
  signal: AbortSignal,
): AsyncGenerator<CanonicalRow> {
  const file = mapping.files.find((f) => f.entity === entity && fields.every((x) => f.columns.some((c) => c.field === x)))
  if (!file) throw new UsageError(t('targetNoFile', {entity, fields: fields.join(', ')}), {actions: [t('targetNoFileAction')]})
  const path = join(dir, file.file)
  if (!existsSync(path)) throw new UsageError(t('fileMissing', {file: file.file, dir}), {actions: [t('targetFileMissingAction')]})
  const compiled = compileTargetColumns(mapping, file)
  const byField = new Map<string, (typeof compiled)[number]>()
  file.columns.forEach((c, i) => {
    if (c.field && fields.includes(c.field)) byField.set(c.field, compiled[i]!)
  })
  const shape: Record<string, z.ZodType> = {}
  const columns: Record<string, {aliases: string[]; required: boolean}> = {}
  for (const [f, c] of byField) {
    shape[f] = z.string().optional()
    columns[f] = {aliases: [c.header], required: true}
  }
  for await (const item of streamCsv({
    source: path,
    schema: z.object(shape),
    columns,
    encoding: 'utf-8',
    delimiter: mapping.delimiter,
    signal,
  })) {
    if (!item.ok) continue
    const row: CanonicalRow = {}
    for (const [f, c] of byField) row[f] = c.parse((item.value as Record<string, string | undefined>)[f]) as CanonicalRow[string]
    yield row
  }
}

/** Rows (records) of a target file, whatever they hold. */
async function countRows(
  path: string,
  format: Pick<ReadCsvOptions<unknown>, 'encoding' | 'delimiter'>,
  signal: AbortSignal,
): Promise<number> {
  let n = 0
  for await (const batch of streamCsvBatches({source: path, schema: anyRow, ...format, signal, raw: false})) n += batch.length
  return n
}

interface SourceSide {
  accounts: EntityAccount[]
  /** Per household, from the rows not left behind. */
  expected: Map<string, HouseholdFigures>
  totals: HouseholdFigures
  left: LeftBehindRow[]
  /** Rows named by rejets.tsv that the export does not have. */
  unknownRejects: string[]
}

async function readSource(
  dir: string,
  sm: SourceMapping,
  tm: TargetMapping,
  rejects: Map<string, string[]>,
  documented: ReturnType<typeof readReport>,
  signal: AbortSignal,
): Promise<SourceSide> {
  const expected = new Map<string, HouseholdFigures>()
  const totals = zero()
  const left: LeftBehindRow[] = []
  const accounts: EntityAccount[] = []
  const seenRejects = new Set<string>()
  // Accepted invoices and payments: the household an allocation touches (the engine's rule).
  const invoiceHousehold = new Map<string, string>()
  const paymentHousehold = new Map<string, string>()
  const householdOf = {invoice: (id: string) => invoiceHousehold.get(id), payment: (id: string) => paymentHousehold.get(id)}
  const links = new Set<string>()
  const canon = (id: string) => documented.canonicalOf.get(id) ?? id
  const figures = (h: string) => {
    let f = expected.get(h)
    if (!f) expected.set(h, (f = zero()))
    return f
  }

  for (const entity of ENTITY_ORDER) {
    const m = sm.entities[entity]
    if (!m || !existsSync(join(dir, m.file))) continue
    const account: EntityAccount = {entity, file: m.file, in: 0, out: null, rejected: 0, merged: 0}
    accounts.push(account)
    const mapped = tm.files.some((f) => f.entity === entity)
    if (!mapped) account.notMigrated = 'not-mapped'
    // Health rows left out by migrate are counted, never parsed.
    if (documented.skipped.has(entity)) {
      account.notMigrated = 'health'
      account.in = await countRows(join(dir, m.file), {encoding: sm.encoding, delimiter: sm.delimiter}, signal)
      continue
    }
    const gen = streamCsvBatches({
      source: join(dir, m.file),
      schema: sourceSchema(sm, entity),
      fastParse: fastSourceParser(sm, entity),
      columns: columnSpec(sm, entity),
      encoding: sm.encoding,
      delimiter: sm.delimiter,
      signal,
      raw: false,
    })
    for await (const batch of gen)
      for (const item of batch) {
        account.in++
        const v = item.ok ? item.value : undefined
        if (v) {
          // The export's own figures: every row that can be read.
          if (entity === 'membership') totals.members++
          if (entity === 'invoice') {
            totals.invoices++
            totals.invoiced += v.amount as number
          }
          if (entity === 'allocation') totals.paid += v.amount as number
        }
        const k = `${m.file}\u001f${item.row}`
        const fields = rejects.get(k)
        if (fields) {
          seenRejects.add(k)
          account.rejected++
          left.push({file: m.file, entity, row: item.row, ...describeLeftRow(entity, v, householdOf), fields})
          continue
        }
        // A row not listed as rejected that cannot be read is not accounted for: the counts show it.
        if (!v) continue
        switch (entity) {
          case 'household':
            figures(v.id as string)
            break
          case 'person':
            if (documented.canonicalOf.has(v.id as string)) {
              account.merged++
              continue
            }
            break
          case 'membership': {
            const link = `${v.householdId}\u001f${canon(v.personId as string)}`
            if (links.has(link)) {
              account.merged++
              continue
            }
            links.add(link)
            figures(v.householdId as string).members++
            break
          }
          case 'invoice': {
            invoiceHousehold.set(v.id as string, v.householdId as string)
            const f = figures(v.householdId as string)
            f.invoices++
            f.invoiced += v.amount as number
            break
          }
          case 'payment':
            paymentHousehold.set(v.id as string, v.householdId as string)
            break
          case 'allocation': {
            const h = invoiceHousehold.get(v.invoiceId as string)
            if (h !== undefined) figures(h).paid += v.amount as number
            break
          }
        }
      }
  }
  totals.unpaid = totals.invoiced - totals.paid
  for (const f of expected.values()) f.unpaid = f.invoiced - f.paid
  const unknownRejects = [...rejects.keys()].filter((k) => !seenRejects.has(k)).map((k) => k.replace('\u001f', ':'))
  return {accounts, expected, totals, left, unknownRejects}
}

async function readTarget(dir: string, tm: TargetMapping, accounts: EntityAccount[], signal: AbortSignal) {
  for (const a of accounts) {
    if (a.notMigrated) continue
    const file = tm.files.find((f) => f.entity === a.entity)!
    const path = join(dir, file.file)
    a.out = existsSync(path) ? await countRows(path, {encoding: 'utf-8', delimiter: tm.delimiter}, signal) : 0
  }
  const tgt = new Map<string, HouseholdFigures>()
  for await (const h of targetRows(dir, tm, 'household', ['id'], signal)) tgt.set(String(h.id), zero())
  for await (const m of targetRows(dir, tm, 'membership', ['householdId', 'personId'], signal)) {
    const f = tgt.get(String(m.householdId))
    if (f) f.members++
  }
  const invoices = new Map<string, string>()
  for await (const i of targetRows(dir, tm, 'invoice', ['id', 'householdId', 'amount'], signal)) {
    const f = tgt.get(String(i.householdId))
    if (!f) continue
    invoices.set(String(i.id), String(i.householdId))
    f.invoices++
    f.invoiced += Number(i.amount)
  }
  for await (const a of targetRows(dir, tm, 'allocation', ['invoiceId', 'amount'], signal)) {
    const hh = invoices.get(String(a.invoiceId))
    if (hh !== undefined) tgt.get(hh)!.paid += Number(a.amount)
  }
  const totals = zero()
  for (const f of tgt.values()) {
    f.unpaid = f.invoiced - f.paid
    for (const k of MEASURES) totals[k] += f[k]
  }
  return {households: tgt, totals}
}

export async function reconcile(
  ctx: FileContext,
  opts: {source: string; target: string; sourceMapping?: string; mapping?: string},
): Promise<ReconcileResult> {
  for (const d of [opts.source, opts.target])
    if (!existsSync(d)) throw new UsageError(t('dirMissing', {dir: d}), {actions: [t('dirMissingAction')]})
  const sm = loadSourceMapping(opts.sourceMapping ?? sourceMappingPath(ctx.templatesDir))
  const tm = loadTargetMapping(opts.mapping ?? targetMappingPath(ctx.templatesDir))
  const signal = ctx.signal
  const rejectsPath = join(opts.target, 'rejets.tsv')
  const rejects = await readRejects(rejectsPath, signal)
  const src = await readSource(opts.source, sm, tm, rejects, readReport(join(opts.target, 'rapport.json')), signal)
  const tgt = await readTarget(opts.target, tm, src.accounts, signal)

  const differences: Difference[] = []
  for (const a of src.accounts) {
    if (a.out === null) continue
    const expectedOut = a.in - a.rejected - a.merged
    if (expectedOut !== a.out) differences.push({entity: a.entity, measure: 'rows', source: expectedOut, target: a.out})
  }
  for (const k of src.unknownRejects) differences.push({measure: 'rejects', source: 'missing', target: k})
  for (const [id, s] of src.expected) {
    const tf = tgt.households.get(id)
    if (!tf) {
      differences.push({householdId: id, measure: 'household', source: 'present', target: 'missing'})
      continue
    }
    for (const k of MEASURES) if (s[k] !== tf[k]) differences.push({householdId: id, measure: k, source: s[k], target: tf[k]})
  }
  for (const id of tgt.households.keys())
    if (!src.expected.has(id)) differences.push({householdId: id, measure: 'household', source: 'missing', target: 'present'})

  const households = new Set<string>()
  for (const l of src.left) if (l.entity === 'household' && l.householdId !== undefined) households.add(l.householdId)
  const result: ReconcileResult = {
    source: opts.source,
    target: opts.target,
    households: {source: src.expected.size + households.size, target: tgt.households.size},
    totals: {source: src.totals, target: tgt.totals},
    entities: src.accounts,
    leftBehind: {rejectsFile: existsSync(rejectsPath) ? rejectsPath : null, totals: leftBehindTotals(src.left), rows: src.left},
    differences,
  }
  if (differences.length > 0) {
    throw new AlpiError('RECONCILE_MISMATCH', t('reconcileMismatch', {count: differences.length}), EXIT.failure, {
      actions: [t('reconcileAction')],
      data: result,
    })
  }
  if (src.left.length > 0) {
    const lb = result.leftBehind.totals
    throw new InputRejected(
      t('reconcileLeftBehind', {
        rows: lb.rows,
        file: rejectsPath,
        households: lb.households,
        invoiced: formatEuros(lb.invoiced),
        paid: formatEuros(lb.paid),
      }),
      {actions: [t('reconcileLeftBehindAction', {file: rejectsPath})], data: result},
    )
  }
  return result
}
