import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {email as emailSchema, normaliseInseeCode, normalisePhone, normalisePostalCode} from '../csv/fields.js'
import {streamCsvBatches, type CsvMeta} from '../csv/read.js'
import type {ServiceContext} from '../context/service-context.js'
import {UsageError} from '../core/errors.js'
import {columnSpec, fastSourceParser, sourceSchema, type SourceMapping} from './mapping.js'
import {ENTITY_ORDER, entityDef, rowKey, type CanonicalRow, type EntityName} from './model.js'
import {cleanName, matchKey, nameScore} from './names.js'
import {t} from './messages/index.js'

/**
 * The one pass over an Abelium export shared by validate, migrate and reconcile:
 * parse each file through the CSV pipeline, normalise, check keys and references across
 * files, match duplicate persons, and hand accepted canonical rows to a sink in file order.
 * Big files are streamed; only ids, persons and per-household sums are kept in memory.
 */
export interface Reject {
  file: string
  entity: EntityName
  row: number
  field: string
  value?: string
  message: string
}

/**
 * A row of the export that did not reach the output (one per row, whatever its number of
 * problems): what it carries, for the report and for reconcile. No personal value: ids only.
 */
export interface LeftRow {
  file: string
  entity: EntityName
  row: number
  /** The row's key (ids joined with '+'), when the row could be parsed. */
  key?: string
  /** The household it touches: its own, or an allocation's invoice's (else its payment's). */
  householdId?: string
  /** Amount of an invoice row left behind (cents). */
  invoiced?: number
  /** Amount of an allocation row left behind (cents): paid that is not carried over. */
  paid?: number
}

export interface LeftBehindTotals {
  rows: number
  households: number
  invoiced: number
  paid: number
}

/** What a row carries (its key, household, amounts); the same rule for migrate and reconcile. */
export function describeLeftRow(
  entity: EntityName,
  v: CanonicalRow | undefined,
  householdOf: {invoice: (id: string) => string | undefined; payment: (id: string) => string | undefined},
): Pick<LeftRow, 'key' | 'householdId' | 'invoiced' | 'paid'> {
  if (v === undefined) return {}
  const d: Pick<LeftRow, 'key' | 'householdId' | 'invoiced' | 'paid'> = {key: rowKey(entity, v).replace(/\u001f/g, '+')}
  if (entity === 'household' && typeof v.id === 'string') d.householdId = v.id
  else if (typeof v.householdId === 'string') d.householdId = v.householdId
  else if (entity === 'allocation') d.householdId = householdOf.invoice(String(v.invoiceId)) ?? householdOf.payment(String(v.paymentId))
  if (entity === 'invoice' && typeof v.amount === 'number') d.invoiced = v.amount
  if (entity === 'allocation' && typeof v.amount === 'number') d.paid = v.amount
  return d
}

export function leftBehindTotals(rows: readonly LeftRow[]): LeftBehindTotals {
  const households = new Set<string>()
  let invoiced = 0,
    paid = 0
  for (const r of rows) {
    if (r.householdId !== undefined) households.add(r.householdId)
    invoiced += r.invoiced ?? 0
    paid += r.paid ?? 0
  }
  return {rows: rows.length, households: households.size, invoiced, paid}
}

export interface Merge {
  kept: string
  merged: string
  /** Lines of the two person records in the export. */
  keptRow: number
  mergedRow: number
  score: number
  birthDate: string
  keptName: string
  mergedName: string
}

export interface EntityStats {
  file: string | null
  /** Data records read (accepted + rejected). */
  in: number
  out: number
  rejected: number
  merged: number
  /** Contact values (phone, email, postal, INSEE) that could not be normalised and were cleared. */
  cleared: Record<string, number>
  skipped?: 'missing' | 'health'
}

export interface Totals {
  invoiced: number
  paid: number
  unpaid: number
}

export interface HouseholdBalance {
  householdId: string
  invoices: number
  invoiced: number
  paid: number
  unpaid: number
}

export interface Sink {
  /** A promise only when the row must be waited for (a flush); rows go in order. */
  write(entity: EntityName, row: CanonicalRow): Promise<void> | undefined
}

export interface PassOptions {
  dir: string
  mapping: SourceMapping
  includeHealth: boolean
  threshold: number
  signal?: AbortSignal
  sink?: Sink
  /** Called with each file's detected format. */
  onFile?: (entity: EntityName, meta: CsvMeta) => void
}

export interface PassResult {
  stats: Partial<Record<EntityName, EntityStats>>
  rejects: Reject[]
  /** One entry per row of the export that is not in the output (sorted like the rejects). */
  leftBehind: LeftRow[]
  merges: Merge[]
  before: Totals
  after: Totals
  /** Per household, in source order (for the balance file and reconcile). */
  balances: HouseholdBalance[]
  formats: Partial<Record<EntityName, {encoding: string; delimiter: string; bom: boolean}>>
}

const REQUIRED_FILES: EntityName[] = ['household', 'person', 'membership']
/** Entities other rows refer to: only their ids are kept in memory. */
const REFERENCED = new Set<EntityName>(
  ENTITY_ORDER.flatMap((e) => Object.values(entityDef(e).fields).flatMap((f) => (f.ref ? [f.ref] : []))),
)

/** Why a row is rejected (rejets.tsv, written in the language of the run). */
export const msg = {
  unknownRef: (entity: string, id: string) => t('unknownRef', {entity, id}),
  get duplicateKey() {
    return t('duplicateKey')
  },
  get noHousehold() {
    return t('noHousehold')
  },
  get allocationTooBig() {
    return t('allocationTooBig')
  },
  get noTarget() {
    return t('noTarget')
  },
}

const EMAIL = emailSchema()

function normaliseContact(kind: string, v: string): string | undefined {
  switch (kind) {
    case 'phone':
      return normalisePhone(v)
    case 'email': {
      const r = EMAIL.safeParse(v)
      return r.success ? r.data : undefined
    }
    case 'postal':
      return normalisePostalCode(v)
    case 'insee':
      return normaliseInseeCode(v)
    default:
      return v
  }
}

export async function runPass(opts: PassOptions): Promise<PassResult> {
  const {mapping} = opts
  const stats: PassResult['stats'] = {}
  const rejects: Reject[] = []
  const formats: PassResult['formats'] = {}
  const before: Totals = {invoiced: 0, paid: 0, unpaid: 0}
  const after: Totals = {invoiced: 0, paid: 0, unpaid: 0}

  for (const e of REQUIRED_FILES) {
    const m = mapping.entities[e]
    if (!m) throw new UsageError(t('mappingNoFile', {entity: e}), {actions: [t('mappingNoFileAction')]})
    if (!existsSync(join(opts.dir, m.file)))
      throw new UsageError(t('fileMissing', {file: m.file, dir: opts.dir}), {
        actions: [t('fileMissingAction', {files: REQUIRED_FILES.map((x) => mapping.entities[x]?.file).join(', ')})],
      })
  }

  // Ids known so far (accepted rows), per entity; what other entities may refer to.
  const ids: Partial<Record<EntityName, Set<string>>> = {}
  const households = new Map<string, HouseholdBalance>()
  const invoiceInfo = new Map<string, {household: string; remaining: number}>()
  const paymentRemaining = new Map<string, number>()
  const paymentHousehold = new Map<string, string>()
  const leftBehind: LeftRow[] = []
  const householdOf = {invoice: (id: string) => invoiceInfo.get(id)?.household, payment: (id: string) => paymentHousehold.get(id)}
  const personLinked = new Set<string>()
  let canonicalOf = new Map<string, string>()
  let persons: {row: number; value: CanonicalRow}[] = []
  const merges: Merge[] = []

  const sink = opts.sink
  // Rows are handled synchronously; a promise comes back only when a writer flushes.
  const out = (entity: EntityName, row: CanonicalRow): Promise<void> | undefined => {
    stats[entity]!.out++
    return sink?.write(entity, row)
  }

  async function readEntity(
    entity: EntityName,
    handle: (
      row: number,
      value: CanonicalRow,
      reject: (field: string, message: string, value?: string) => void,
    ) => Promise<void> | undefined | void,
  ) {
    const m = mapping.entities[entity]
    const st: EntityStats = {file: m?.file ?? null, in: 0, out: 0, rejected: 0, merged: 0, cleared: {}}
    stats[entity] = st
    if (!m || !existsSync(join(opts.dir, m.file))) {
      st.skipped = 'missing'
      return
    }
    if (entityDef(entity).health && !opts.includeHealth) {
      st.skipped = 'health'
      return
    }
    const def = entityDef(entity)
    // Keys seen in this file (duplicate rows); an id-keyed referenced entity shares its id set.
    const idKeyed = def.key.length === 1 && def.key[0] === 'id'
    const keys: Set<string> = idKeyed && REFERENCED.has(entity) ? (ids[entity] ??= new Set()) : new Set()
    const textFields = Object.entries(def.fields).filter(([, fd]) =>
      ['name', 'text', 'phone', 'email', 'postal', 'insee'].includes(fd.kind),
    )
    const refFields = Object.entries(def.fields).flatMap(([f, fd]) => (fd.ref ? [[f, fd.ref] as const] : []))
    const keyField = def.key.length === 1 ? def.key[0]! : undefined
    // Same string as rowKey(entity, v), without an array per row for one-field keys.
    const keyOf = keyField === undefined ? (v: CanonicalRow) => rowKey(entity, v) : (v: CanonicalRow) => String(v[keyField] ?? '')
    const problems: {field: string; message: string; value?: string}[] = []
    const reject = (field: string, message: string, value?: string) => {
      problems.push({field, message, value})
    }
    const gen = streamCsvBatches({
      source: join(opts.dir, m.file),
      schema: sourceSchema(mapping, entity),
      fastParse: fastSourceParser(mapping, entity),
      columns: columnSpec(mapping, entity),
      encoding: mapping.encoding,
      delimiter: mapping.delimiter,
      signal: opts.signal,
      raw: false,
      onHeader: (meta) => {
        formats[entity] = {encoding: meta.encoding, delimiter: meta.delimiter, bom: meta.bom}
        opts.onFile?.(entity, meta)
      },
    })
    for await (const batch of gen)
      for (const item of batch) {
        st.in++
        if (!item.ok) {
          st.rejected++
          leftBehind.push({file: m.file, entity, row: item.row})
          for (const r of item.rejects)
            rejects.push({file: m.file, entity, row: r.row, field: r.column ?? r.field, value: r.value, message: r.message})
          continue
        }
        const v = item.value
        if (entity === 'invoice') before.invoiced += v.amount as number
        if (entity === 'allocation') before.paid += v.amount as number
        // Normalise: names trimmed (accents kept), contact fields to one format or cleared.
        for (const [field, fd] of textFields) {
          const x = v[field]
          if (typeof x !== 'string') continue
          if (fd.kind === 'name') v[field] = cleanName(x)
          else if (fd.kind === 'phone' || fd.kind === 'email' || fd.kind === 'postal' || fd.kind === 'insee') {
            const n = normaliseContact(fd.kind, x)
            if (n === undefined) st.cleared[field] = (st.cleared[field] ?? 0) + 1
            v[field] = n
          } else if (fd.kind === 'text') v[field] = x.replace(/[\r\n]+/g, ' ').trim()
        }
        problems.length = 0
        const key = keyOf(v)
        // One hash lookup: added now, taken back below if the row is rejected.
        const known = keys.size
        keys.add(key)
        const added = keys.size !== known
        if (!added) reject(def.key.join('+'), msg.duplicateKey, key.replace(/\u001f/g, '+'))
        else {
          for (const [field, target] of refFields) {
            const ref = v[field]
            if (typeof ref === 'string' && !ids[target]?.has(ref)) reject(field, msg.unknownRef(target, ref), ref)
          }
        }
        if (problems.length === 0) {
          const wait = handle(item.row, v, reject)
          if (wait) await wait
        }
        if (problems.length > 0) {
          if (added) keys.delete(key)
          st.rejected++
          leftBehind.push({file: m.file, entity, row: item.row, ...describeLeftRow(entity, v, householdOf)})
          const col = (f: string) => m.columns[f]?.header ?? f
          for (const p of problems)
            rejects.push({file: m.file, entity, row: item.row, field: col(p.field), value: p.value, message: p.message})
          continue
        }
      }
  }

  for (const entity of ENTITY_ORDER) {
    if (opts.signal?.aborted) throw opts.signal.reason
    switch (entity) {
      case 'household':
        await readEntity(entity, (_row, v) => {
          households.set(v.id as string, {householdId: v.id as string, invoices: 0, invoiced: 0, paid: 0, unpaid: 0})
          return out(entity, v)
        })
        break
      case 'person':
        // Persons are held back: duplicates are matched once all are read.
        await readEntity(entity, (row, v) => {
          persons.push({row, value: v})
        })
        canonicalOf = matchPersons(persons, opts.threshold, merges)
        stats.person!.merged = merges.length
        break
      case 'membership': {
        const seen = new Set<string>()
        await readEntity(entity, (_row, v) => {
          const canon = canonicalOf.get(v.personId as string) ?? (v.personId as string)
          const k = `${v.householdId}\u001f${canon}`
          personLinked.add(v.personId as string)
          if (seen.has(k)) {
            stats.membership!.merged++
            return
          }
          seen.add(k)
          return out(entity, {...v, personId: canon})
        })
        // Now the persons: a cluster is kept when one of its records is linked to a household.
        const linkedCanon = new Set<string>()
        for (const p of personLinked) linkedCanon.add(canonicalOf.get(p) ?? p)
        const byId = new Map<string, CanonicalRow>()
        for (const p of persons) byId.set(p.value.id as string, p.value)
        // Kept id → the ids merged into it, in the order of `merges`.
        const mergedInto = new Map<string, string[]>()
        for (const m of merges) {
          const list = mergedInto.get(m.kept)
          if (list) list.push(m.merged)
          else mergedInto.set(m.kept, [m.merged])
        }
        const personFile = mapping.entities.person!.file
        for (const p of persons) {
          const id = p.value.id as string
          const canon = canonicalOf.get(id) ?? id
          if (!linkedCanon.has(canon)) {
            stats.person!.rejected++
            leftBehind.push({file: personFile, entity: 'person', row: p.row, key: id})
            rejects.push({
              file: personFile,
              entity: 'person',
              row: p.row,
              field: mapping.entities.person!.columns.id?.header ?? 'id',
              value: id,
              message: msg.noHousehold,
            })
            ids.person?.delete(id)
            continue
          }
          if (canon !== id) continue
          // The kept record takes the values its duplicates have and it lacks.
          const merged = {...p.value}
          for (const mergedId of mergedInto.get(id) ?? []) {
            const d = byId.get(mergedId)!
            for (const [f, x] of Object.entries(d)) if (merged[f] === undefined && x !== undefined) merged[f] = x
          }
          const wait = out('person', merged)
          if (wait) await wait
        }
        // A cluster linked to no household is rejected whole: its merges are not merges.
        for (let i = merges.length - 1; i >= 0; i--) if (!linkedCanon.has(merges[i]!.kept)) merges.splice(i, 1)
        stats.person!.merged = merges.length
        persons = []
        break
      }
      case 'health':
      case 'authorisation':
      case 'registration':
        await readEntity(entity, (_row, v) => {
          return out(entity, {...v, personId: canonicalOf.get(v.personId as string) ?? v.personId})
        })
        break
      case 'invoice':
        await readEntity(entity, (_row, v) => {
          const hh = households.get(v.householdId as string)!
          invoiceInfo.set(v.id as string, {household: hh.householdId, remaining: v.amount as number})
          hh.invoices++
          hh.invoiced += v.amount as number
          after.invoiced += v.amount as number
          return out(entity, v)
        })
        break
      case 'payment':
        await readEntity(entity, (_row, v) => {
          paymentRemaining.set(v.id as string, v.amount as number)
          paymentHousehold.set(v.id as string, v.householdId as string)
          return out(entity, v)
        })
        break
      case 'allocation':
        await readEntity(entity, (_row, v, reject) => {
          const inv = invoiceInfo.get(v.invoiceId as string)!
          const left = paymentRemaining.get(v.paymentId as string)!
          const amount = v.amount as number
          if (amount > inv.remaining || amount > left) return reject('amount', msg.allocationTooBig, String(amount / 100))
          inv.remaining -= amount
          paymentRemaining.set(v.paymentId as string, left - amount)
          households.get(inv.household)!.paid += amount
          after.paid += amount
          return out(entity, v)
        })
        break
      case 'document':
        await readEntity(entity, (_row, v, reject) => {
          if (v.householdId === undefined && v.personId === undefined) return reject('householdId', msg.noTarget)
          return out(entity, v.personId === undefined ? v : {...v, personId: canonicalOf.get(v.personId as string) ?? v.personId})
        })
        break
      default:
        await readEntity(entity, (_row, v) => out(entity, v))
    }
  }

  // "Before" totals: every invoice and allocation row of the source that could be parsed.
  before.unpaid = before.invoiced - before.paid
  after.unpaid = after.invoiced - after.paid
  const balances = [...households.values()].map((h) => ({...h, unpaid: h.invoiced - h.paid}))
  rejects.sort((a, b) => ENTITY_ORDER.indexOf(a.entity) - ENTITY_ORDER.indexOf(b.entity) || a.row - b.row)
  leftBehind.sort((a, b) => ENTITY_ORDER.indexOf(a.entity) - ENTITY_ORDER.indexOf(b.entity) || a.row - b.row)
  return {stats, rejects, leftBehind, merges, before, after, balances, formats}
}

/**
 * Duplicate persons: blocking on the exact birth date (two different birth dates are never
 * merged; no birth date, no merge), then last and first names compared folded; a known
 * different sex never merges. Clusters keep their first record in file order.
 */
export function matchPersons(persons: {row: number; value: CanonicalRow}[], threshold: number, merges: Merge[]): Map<string, string> {
  const blocks = new Map<string, number[]>()
  persons.forEach((p, i) => {
    const b = p.value.birthDate
    if (typeof b !== 'string') return
    const list = blocks.get(b)
    if (list) list.push(i)
    else blocks.set(b, [i])
  })
  const parent = persons.map((_, i) => i)
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!
      i = parent[i]!
    }
    return i
  }
  const keys = persons.map((p) => ({last: matchKey(p.value.lastName as string), first: matchKey(p.value.firstName as string)}))
  const best = new Map<number, number>()
  for (const list of blocks.values()) {
    if (list.length < 2) continue
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const i = list[x]!,
          j = list[y]!
        const si = persons[i]!.value.sex,
          sj = persons[j]!.value.sex
        if (si !== undefined && sj !== undefined && si !== sj) continue
        const score = nameScore(keys[i]!, keys[j]!)
        if (score < threshold) continue
        const ri = find(i),
          rj = find(j)
        if (ri === rj) continue
        // The root is the earliest record (file order).
        if (ri < rj) parent[rj] = ri
        else parent[ri] = rj
        best.set(Math.max(i, j), score)
      }
    }
  }
  const canonicalOf = new Map<string, string>()
  persons.forEach((p, i) => {
    const root = find(i)
    if (root === i) return
    const kept = persons[root]!.value
    const id = p.value.id as string
    canonicalOf.set(id, kept.id as string)
    merges.push({
      kept: kept.id as string,
      merged: id,
      keptRow: persons[root]!.row,
      mergedRow: p.row,
      score: Math.round((best.get(i) ?? nameScore(keys[root]!, keys[i]!)) * 1000) / 1000,
      birthDate: p.value.birthDate as string,
      keptName: `${kept.lastName} ${kept.firstName}`,
      mergedName: `${p.value.lastName} ${p.value.firstName}`,
    })
  })
  return canonicalOf
}

/** What the file-to-file services need (no store: sample, inspect, validate, reconcile, anonymize). */
export type FileContext = Pick<ServiceContext, 'templatesDir' | 'signal' | 'out'>
