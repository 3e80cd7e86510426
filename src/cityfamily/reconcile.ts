import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {z} from 'zod'
import {streamCsv} from '../csv/read.js'
import type {FileContext} from './engine.js'
import {InputRejected, UsageError} from '../core/errors.js'
import {columnSpec, compileTargetColumns, loadSourceMapping, loadTargetMapping, sourceMappingPath, sourceSchema, targetMappingPath, type SourceMapping, type TargetMapping} from './mapping.js'
import type {CanonicalRow, EntityName} from './model.js'
import {t} from './messages.js'

/**
 * Source against target, per household: members, invoices, invoiced, paid (allocated) and
 * unpaid. Computed independently of migrate on each side (source through the Abelium
 * mapping, target through the CityFamily mapping), so a bug in migrate shows up here.
 * Rows the source itself cannot parse are validate's business, not counted here.
 */
export interface HouseholdFigures {
  members: number
  invoices: number
  invoiced: number
  paid: number
  unpaid: number
}

export interface Difference {
  householdId: string
  measure: keyof HouseholdFigures | 'household'
  source: number | string
  target: number | string
}

export interface ReconcileResult {
  source: string
  target: string
  households: {source: number; target: number}
  totals: {source: HouseholdFigures; target: HouseholdFigures}
  differences: Difference[]
}

const MEASURES: (keyof HouseholdFigures)[] = ['members', 'invoices', 'invoiced', 'paid', 'unpaid']
const zero = (): HouseholdFigures => ({members: 0, invoices: 0, invoiced: 0, paid: 0, unpaid: 0})

async function* sourceRows(dir: string, mapping: SourceMapping, entity: EntityName, signal: AbortSignal) {
  const m = mapping.entities[entity]
  if (!m || !existsSync(join(dir, m.file))) return
  for await (const item of streamCsv({source: join(dir, m.file), schema: sourceSchema(mapping, entity), columns: columnSpec(mapping, entity), encoding: mapping.encoding, delimiter: mapping.delimiter, signal})) {
    if (item.ok) yield item.value
  }
}

async function* targetRows(dir: string, mapping: TargetMapping, entity: EntityName, fields: string[], signal: AbortSignal): AsyncGenerator<CanonicalRow> {
  const file = mapping.files.find((f) => f.entity === entity && fields.every((x) => f.columns.some((c) => c.field === x)))
  if (!file) throw new UsageError(`The CityFamily mapping has no ${entity} file with ${fields.join(', ')}`, {actions: ['Reconcile needs households, memberships, invoices and allocations in the target mapping.']})
  const path = join(dir, file.file)
  if (!existsSync(path)) throw new UsageError(`${file.file} is missing from ${dir}`, {actions: ['Give the folder written by `alpi cityfamily migrate`.']})
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
  for await (const item of streamCsv({source: path, schema: z.object(shape), columns, encoding: 'utf-8', delimiter: mapping.delimiter, signal})) {
    if (!item.ok) continue
    const row: CanonicalRow = {}
    for (const [f, c] of byField) row[f] = c.parse((item.value as Record<string, string | undefined>)[f]) as CanonicalRow[string]
    yield row
  }
}

export async function reconcile(ctx: FileContext, opts: {source: string; target: string; sourceMapping?: string; mapping?: string}): Promise<ReconcileResult> {
  for (const d of [opts.source, opts.target]) if (!existsSync(d)) throw new UsageError(t('dirMissing', {dir: d}), {actions: [t('dirMissingAction')]})
  const sm = loadSourceMapping(opts.sourceMapping ?? sourceMappingPath(ctx.templatesDir))
  const tm = loadTargetMapping(opts.mapping ?? targetMappingPath(ctx.templatesDir))
  const signal = ctx.signal

  // Source side.
  const src = new Map<string, HouseholdFigures>()
  for await (const h of sourceRows(opts.source, sm, 'household', signal)) if (!src.has(h.id as string)) src.set(h.id as string, zero())
  const persons = new Set<string>()
  for await (const p of sourceRows(opts.source, sm, 'person', signal)) persons.add(p.id as string)
  const seenLinks = new Set<string>()
  for await (const m of sourceRows(opts.source, sm, 'membership', signal)) {
    const k = `${m.householdId}\u001f${m.personId}`
    if (seenLinks.has(k) || !persons.has(m.personId as string)) continue
    seenLinks.add(k)
    const f = src.get(m.householdId as string)
    if (f) f.members++
  }
  const srcInvoices = new Map<string, string>()
  for await (const i of sourceRows(opts.source, sm, 'invoice', signal)) {
    const f = src.get(i.householdId as string)
    if (!f || srcInvoices.has(i.id as string)) continue
    srcInvoices.set(i.id as string, i.householdId as string)
    f.invoices++
    f.invoiced += i.amount as number
  }
  const payments = new Set<string>()
  for await (const p of sourceRows(opts.source, sm, 'payment', signal)) if (src.has(p.householdId as string)) payments.add(p.id as string)
  for await (const a of sourceRows(opts.source, sm, 'allocation', signal)) {
    const hh = srcInvoices.get(a.invoiceId as string)
    if (hh === undefined || !payments.has(a.paymentId as string)) continue
    src.get(hh)!.paid += a.amount as number
  }

  // Target side.
  const tgt = new Map<string, HouseholdFigures>()
  for await (const h of targetRows(opts.target, tm, 'household', ['id'], signal)) tgt.set(String(h.id), zero())
  for await (const m of targetRows(opts.target, tm, 'membership', ['householdId', 'personId'], signal)) {
    const f = tgt.get(String(m.householdId))
    if (f) f.members++
  }
  const tgtInvoices = new Map<string, string>()
  for await (const i of targetRows(opts.target, tm, 'invoice', ['id', 'householdId', 'amount'], signal)) {
    const f = tgt.get(String(i.householdId))
    if (!f) continue
    tgtInvoices.set(String(i.id), String(i.householdId))
    f.invoices++
    f.invoiced += Number(i.amount)
  }
  for await (const a of targetRows(opts.target, tm, 'allocation', ['invoiceId', 'amount'], signal)) {
    const hh = tgtInvoices.get(String(a.invoiceId))
    if (hh !== undefined) tgt.get(hh)!.paid += Number(a.amount)
  }

  const differences: Difference[] = []
  const totals = {source: zero(), target: zero()}
  for (const [side, map] of [['source', src], ['target', tgt]] as const) {
    for (const f of map.values()) {
      f.unpaid = f.invoiced - f.paid
      for (const k of MEASURES) totals[side][k] += f[k]
    }
  }
  for (const [id, s] of src) {
    const t = tgt.get(id)
    if (!t) {
      differences.push({householdId: id, measure: 'household', source: 'present', target: 'missing'})
      continue
    }
    for (const k of MEASURES) if (s[k] !== t[k]) differences.push({householdId: id, measure: k, source: s[k], target: t[k]})
  }
  for (const id of tgt.keys()) if (!src.has(id)) differences.push({householdId: id, measure: 'household', source: 'missing', target: 'present'})

  const result: ReconcileResult = {source: opts.source, target: opts.target, households: {source: src.size, target: tgt.size}, totals, differences}
  if (differences.length > 0) {
    throw new InputRejected(t('reconcileMismatch', {count: differences.length}), {actions: [t('reconcileAction')], data: result})
  }
  return result
}
