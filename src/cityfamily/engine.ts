import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {email as emailSchema, normaliseInseeCode, normalisePhone, normalisePostalCode} from '../csv/fields.js'
import {streamCsvBatches, type CsvMeta} from '../csv/read.js'
import type {CsvReject} from '../csv/rejects.js'
import type {ServiceContext} from '../context/service-context.js'
import {UsageError} from '../core/errors.js'
import {columnSpec, fastSourceParser, sourceSchema, type SourceMapping} from './mapping.js'
import {ENTITY_ORDER, entityDef, rowKey, type CanonicalRow, type EntityName, type FieldDef} from './model.js'
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

/**
 * The pass: check the required files are there, then read every file in entity order
 * (households before the rows that refer to them), and sum up.
 */
export async function runPass(opts: PassOptions): Promise<PassResult> {
  checkRequiredFiles(opts.dir, opts.mapping)
  const pass = new Pass(opts)
  for (const entity of ENTITY_ORDER) {
    if (opts.signal?.aborted) throw opts.signal.reason
    await pass.readEntity(entity)
  }
  return pass.result()
}

/** Households, persons and memberships must be there: without them there is nothing to migrate. */
function checkRequiredFiles(dir: string, mapping: SourceMapping): void {
  for (const e of REQUIRED_FILES) {
    const m = mapping.entities[e]
    if (!m) throw new UsageError(t('mappingNoFile', {entity: e}), {actions: [t('mappingNoFileAction')]})
    if (!existsSync(join(dir, m.file)))
      throw new UsageError(t('fileMissing', {file: m.file, dir}), {
        actions: [t('fileMissingAction', {files: REQUIRED_FILES.map((x) => mapping.entities[x]?.file).join(', ')})],
      })
  }
}

type EntityMapping = NonNullable<SourceMapping['entities'][EntityName]>
type RejectRow = (field: string, message: string, value?: string) => void
/** What the pass does with a row that passed the common checks: keep it (out), hold it back, or reject it. */
type RowHandler = (row: number, value: CanonicalRow, reject: RejectRow) => Promise<void> | undefined | void

/** One file being read: its mapping, its stats, the keys seen, and the problems of the current row. */
interface EntityFile {
  entity: EntityName
  mapping: EntityMapping
  stats: EntityStats
  /** Fields of the key joined with '+' (how a duplicate key is reported). */
  keyName: string
  /** Keys seen in this file (duplicate rows); an id-keyed referenced entity shares its id set. */
  keys: Set<string>
  /** Fields normalised on the way: names, free text, contact fields. */
  textFields: [string, FieldDef][]
  /** Fields that must name a row read before (field, the entity it refers to). */
  refFields: (readonly [string, EntityName])[]
  keyOf: (v: CanonicalRow) => string
  problems: {field: string; message: string; value?: string}[]
  reject: RejectRow
}

/**
 * The state of one pass: what was read so far (ids, households, open invoice and payment
 * amounts, persons held back for matching) and what it produces (stats, rejects, rows left
 * behind, merges, totals). Rows are handled synchronously; a promise comes back only when
 * the sink flushes.
 */
class Pass {
  private readonly mapping: SourceMapping
  private readonly stats: PassResult['stats'] = {}
  private readonly rejects: Reject[] = []
  private readonly formats: PassResult['formats'] = {}
  private readonly before: Totals = {invoiced: 0, paid: 0, unpaid: 0}
  private readonly after: Totals = {invoiced: 0, paid: 0, unpaid: 0}
  /** Ids known so far (accepted rows), per entity; what other entities may refer to. */
  private readonly ids: Partial<Record<EntityName, Set<string>>> = {}
  private readonly households = new Map<string, HouseholdBalance>()
  private readonly invoiceInfo = new Map<string, {household: string; remaining: number}>()
  private readonly paymentRemaining = new Map<string, number>()
  private readonly paymentHousehold = new Map<string, string>()
  private readonly leftBehind: LeftRow[] = []
  private readonly householdOf = {
    invoice: (id: string) => this.invoiceInfo.get(id)?.household,
    payment: (id: string) => this.paymentHousehold.get(id),
  }
  private readonly personLinked = new Set<string>()
  private canonicalOf = new Map<string, string>()
  private persons: {row: number; value: CanonicalRow}[] = []
  private readonly merges: Merge[] = []

  constructor(private readonly opts: PassOptions) {
    this.mapping = opts.mapping
  }

  /** Read one entity's file, with what that entity needs beyond the common checks. */
  async readEntity(entity: EntityName): Promise<void> {
    switch (entity) {
      case 'household':
        return this.readRows(entity, (_row, v) => {
          this.households.set(v.id as string, {householdId: v.id as string, invoices: 0, invoiced: 0, paid: 0, unpaid: 0})
          return this.out(entity, v)
        })
      case 'person':
        return this.readPersons()
      case 'membership':
        await this.readMemberships()
        return this.writeLinkedPersons()
      case 'health':
      case 'authorisation':
      case 'registration':
        return this.readRows(entity, (_row, v) => {
          return this.out(entity, {...v, personId: this.canonicalOf.get(v.personId as string) ?? v.personId})
        })
      case 'invoice':
        return this.readRows(entity, (_row, v) => this.takeInvoice(v))
      case 'payment':
        return this.readRows(entity, (_row, v) => {
          this.paymentRemaining.set(v.id as string, v.amount as number)
          this.paymentHousehold.set(v.id as string, v.householdId as string)
          return this.out(entity, v)
        })
      case 'allocation':
        return this.readRows(entity, (_row, v, reject) => this.takeAllocation(v, reject))
      case 'document':
        return this.readRows(entity, (_row, v, reject) => {
          if (v.householdId === undefined && v.personId === undefined) return reject('householdId', msg.noTarget)
          return this.out(entity, v.personId === undefined ? v : {...v, personId: this.canonicalOf.get(v.personId as string) ?? v.personId})
        })
      default:
        return this.readRows(entity, (_row, v) => this.out(entity, v))
    }
  }

  /** Sum up: unpaid totals, balances per household, rejects and rows left behind in entity then row order. */
  result(): PassResult {
    const {before, after, rejects, leftBehind} = this
    // "Before" totals: every invoice and allocation row of the source that could be parsed.
    before.unpaid = before.invoiced - before.paid
    after.unpaid = after.invoiced - after.paid
    const balances = [...this.households.values()].map((h) => ({...h, unpaid: h.invoiced - h.paid}))
    rejects.sort((a, b) => ENTITY_ORDER.indexOf(a.entity) - ENTITY_ORDER.indexOf(b.entity) || a.row - b.row)
    leftBehind.sort((a, b) => ENTITY_ORDER.indexOf(a.entity) - ENTITY_ORDER.indexOf(b.entity) || a.row - b.row)
    return {stats: this.stats, rejects, leftBehind, merges: this.merges, before, after, balances, formats: this.formats}
  }

  /** A row goes to the output (counted, then handed to the sink). */
  private out(entity: EntityName, row: CanonicalRow): Promise<void> | undefined {
    this.stats[entity]!.out++
    return this.opts.sink?.write(entity, row)
  }

  /** Persons are held back: duplicates are matched once all are read. */
  private async readPersons(): Promise<void> {
    await this.readRows('person', (row, v) => {
      this.persons.push({row, value: v})
    })
    this.canonicalOf = matchPersons(this.persons, this.opts.threshold, this.merges)
    this.stats.person!.merged = this.merges.length
  }

  /** Memberships name the canonical person; the same person twice in a household is one membership. */
  private async readMemberships(): Promise<void> {
    const seen = new Set<string>()
    await this.readRows('membership', (_row, v) => {
      const canon = this.canonicalOf.get(v.personId as string) ?? (v.personId as string)
      const k = `${v.householdId}\u001f${canon}`
      this.personLinked.add(v.personId as string)
      if (seen.has(k)) {
        this.stats.membership!.merged++
        return
      }
      seen.add(k)
      return this.out('membership', {...v, personId: canon})
    })
  }

  /**
   * Now the persons: a cluster is kept when one of its records is linked to a household;
   * the kept record takes the values its duplicates have and it lacks. A cluster linked to
   * no household is rejected whole: its merges are not merges.
   */
  private async writeLinkedPersons(): Promise<void> {
    const {canonicalOf, merges} = this
    const linkedCanon = new Set<string>()
    for (const p of this.personLinked) linkedCanon.add(canonicalOf.get(p) ?? p)
    const byId = new Map<string, CanonicalRow>()
    for (const p of this.persons) byId.set(p.value.id as string, p.value)
    // Kept id → the ids merged into it, in the order of `merges`.
    const mergedInto = new Map<string, string[]>()
    for (const m of merges) {
      const list = mergedInto.get(m.kept)
      if (list) list.push(m.merged)
      else mergedInto.set(m.kept, [m.merged])
    }
    for (const p of this.persons) {
      const id = p.value.id as string
      const canon = canonicalOf.get(id) ?? id
      if (!linkedCanon.has(canon)) {
        this.rejectUnlinkedPerson(p.row, id)
        continue
      }
      if (canon !== id) continue
      const merged = {...p.value}
      for (const mergedId of mergedInto.get(id) ?? []) {
        const d = byId.get(mergedId)!
        for (const [f, x] of Object.entries(d)) if (merged[f] === undefined && x !== undefined) merged[f] = x
      }
      const wait = this.out('person', merged)
      if (wait) await wait
    }
    for (let i = merges.length - 1; i >= 0; i--) if (!linkedCanon.has(merges[i]!.kept)) merges.splice(i, 1)
    this.stats.person!.merged = merges.length
    this.persons = []
  }

  /** A person no membership links to a household: rejected, and no longer a valid reference. */
  private rejectUnlinkedPerson(row: number, id: string): void {
    const personFile = this.mapping.entities.person!.file
    this.stats.person!.rejected++
    this.leftBehind.push({file: personFile, entity: 'person', row, key: id})
    this.rejects.push({
      file: personFile,
      entity: 'person',
      row,
      field: this.mapping.entities.person!.columns.id?.header ?? 'id',
      value: id,
      message: msg.noHousehold,
    })
    this.ids.person?.delete(id)
  }

  /** An invoice opens an amount to pay on its household. */
  private takeInvoice(v: CanonicalRow): Promise<void> | undefined {
    const hh = this.households.get(v.householdId as string)!
    this.invoiceInfo.set(v.id as string, {household: hh.householdId, remaining: v.amount as number})
    hh.invoices++
    hh.invoiced += v.amount as number
    this.after.invoiced += v.amount as number
    return this.out('invoice', v)
  }

  /** An allocation pays part of an invoice from a payment; never more than either has left. */
  private takeAllocation(v: CanonicalRow, reject: RejectRow): Promise<void> | undefined | void {
    const inv = this.invoiceInfo.get(v.invoiceId as string)!
    const left = this.paymentRemaining.get(v.paymentId as string)!
    const amount = v.amount as number
    if (amount > inv.remaining || amount > left) return reject('amount', msg.allocationTooBig, String(amount / 100))
    inv.remaining -= amount
    this.paymentRemaining.set(v.paymentId as string, left - amount)
    this.households.get(inv.household)!.paid += amount
    this.after.paid += amount
    return this.out('allocation', v)
  }

  /**
   * Read one file row by row: rows the CSV reader rejects are recorded; the others are
   * normalised, checked (duplicate key, references to rows read before), then given to
   * `handle`, which may reject them too. A missing optional file, or health data without
   * --include-health, is skipped (and says so in its stats).
   */
  private async readRows(entity: EntityName, handle: RowHandler): Promise<void> {
    const m = this.mapping.entities[entity]
    const st: EntityStats = {file: m?.file ?? null, in: 0, out: 0, rejected: 0, merged: 0, cleared: {}}
    this.stats[entity] = st
    if (!m || !existsSync(join(this.opts.dir, m.file))) {
      st.skipped = 'missing'
      return
    }
    if (entityDef(entity).health && !this.opts.includeHealth) {
      st.skipped = 'health'
      return
    }
    const f = this.openEntityFile(entity, m, st)
    for await (const batch of this.streamFile(entity, m))
      for (const item of batch) {
        st.in++
        if (!item.ok) {
          this.keepParseReject(f, item)
          continue
        }
        const v = item.value
        const {key, added} = this.checkRow(f, v)
        if (f.problems.length === 0) {
          const wait = handle(item.row, v, f.reject)
          if (wait) await wait
        }
        if (f.problems.length > 0) this.keepRowReject(f, item.row, v, key, added)
      }
  }

  /** What reading an entity's file needs from its definition: key, fields to normalise, references. */
  private openEntityFile(entity: EntityName, m: EntityMapping, st: EntityStats): EntityFile {
    const def = entityDef(entity)
    const idKeyed = def.key.length === 1 && def.key[0] === 'id'
    const keys: Set<string> = idKeyed && REFERENCED.has(entity) ? (this.ids[entity] ??= new Set()) : new Set()
    const textFields = Object.entries(def.fields).filter(([, fd]) =>
      ['name', 'text', 'phone', 'email', 'postal', 'insee'].includes(fd.kind),
    )
    const refFields = Object.entries(def.fields).flatMap(([f, fd]) => (fd.ref ? [[f, fd.ref] as const] : []))
    const keyField = def.key.length === 1 ? def.key[0]! : undefined
    // Same string as rowKey(entity, v), without an array per row for one-field keys.
    const keyOf = keyField === undefined ? (v: CanonicalRow) => rowKey(entity, v) : (v: CanonicalRow) => String(v[keyField] ?? '')
    const problems: EntityFile['problems'] = []
    const reject = (field: string, message: string, value?: string) => {
      problems.push({field, message, value})
    }
    return {entity, mapping: m, stats: st, keyName: def.key.join('+'), keys, textFields, refFields, keyOf, problems, reject}
  }

  /** The file through the CSV pipeline, by batches; its detected format is kept and reported. */
  private streamFile(entity: EntityName, m: EntityMapping) {
    const {mapping, opts} = this
    return streamCsvBatches({
      source: join(opts.dir, m.file),
      schema: sourceSchema(mapping, entity),
      fastParse: fastSourceParser(mapping, entity),
      columns: columnSpec(mapping, entity),
      encoding: mapping.encoding,
      delimiter: mapping.delimiter,
      signal: opts.signal,
      raw: false,
      onHeader: (meta) => {
        this.formats[entity] = {encoding: meta.encoding, delimiter: meta.delimiter, bom: meta.bom}
        opts.onFile?.(entity, meta)
      },
    })
  }

  /** A row the CSV reader rejected (shape, type, encoding): left behind, one reject per problem. */
  private keepParseReject(f: EntityFile, item: {row: number; rejects: CsvReject[]}): void {
    const {entity, mapping: m} = f
    f.stats.rejected++
    this.leftBehind.push({file: m.file, entity, row: item.row})
    for (const r of item.rejects)
      this.rejects.push({file: m.file, entity, row: r.row, field: r.column ?? r.field, value: r.value, message: r.message})
  }

  /**
   * The checks every parsed row goes through: count its amount in the "before" totals,
   * normalise it, then its key must be new in the file and its references known. The key
   * is added now (one hash lookup) and taken back by keepRowReject if the row is rejected.
   */
  private checkRow(f: EntityFile, v: CanonicalRow): {key: string; added: boolean} {
    if (f.entity === 'invoice') this.before.invoiced += v.amount as number
    if (f.entity === 'allocation') this.before.paid += v.amount as number
    normaliseRow(f, v)
    f.problems.length = 0
    const key = f.keyOf(v)
    const known = f.keys.size
    f.keys.add(key)
    const added = f.keys.size !== known
    if (!added) f.reject(f.keyName, msg.duplicateKey, key.replace(/\u001f/g, '+'))
    else {
      for (const [field, target] of f.refFields) {
        const ref = v[field]
        if (typeof ref === 'string' && !this.ids[target]?.has(ref)) f.reject(field, msg.unknownRef(target, ref), ref)
      }
    }
    return {key, added}
  }

  /** A row refused by the checks or its handler: its key freed, left behind, one reject per problem (named by column). */
  private keepRowReject(f: EntityFile, row: number, v: CanonicalRow, key: string, added: boolean): void {
    const {entity, mapping: m} = f
    if (added) f.keys.delete(key)
    f.stats.rejected++
    this.leftBehind.push({file: m.file, entity, row, ...describeLeftRow(entity, v, this.householdOf)})
    const col = (name: string) => m.columns[name]?.header ?? name
    for (const p of f.problems) this.rejects.push({file: m.file, entity, row, field: col(p.field), value: p.value, message: p.message})
  }
}

/** Normalise a row in place: names trimmed (accents kept), contact fields to one format or cleared (and counted). */
function normaliseRow(f: EntityFile, v: CanonicalRow): void {
  for (const [field, fd] of f.textFields) {
    const x = v[field]
    if (typeof x !== 'string') continue
    if (fd.kind === 'name') v[field] = cleanName(x)
    else if (fd.kind === 'phone' || fd.kind === 'email' || fd.kind === 'postal' || fd.kind === 'insee') {
      const n = normaliseContact(fd.kind, x)
      if (n === undefined) f.stats.cleared[field] = (f.stats.cleared[field] ?? 0) + 1
      v[field] = n
    } else if (fd.kind === 'text') v[field] = x.replace(/[\r\n]+/g, ' ').trim()
  }
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
