import {createHash} from 'node:crypto'
import type {Kysely} from 'kysely'
import {sql} from '../store/kysely.js'
import type {Dialect} from '../store/dialect.js'
import {WRITER_LOCK} from '../store/db.js'
import type {AuditLogTable, Database} from '../store/schema.js'
import {coreMessages, t, type AuditSummaryCode} from '../core/messages/index.js'
import type {Lang} from '../core/i18n.js'
import {nowIso} from '../core/ids.js'

/**
 * The audit journal: who, when, command, entity, summary, result. Written in the same
 * transaction as the change it records. Entries are hash-chained: each hash covers the
 * entry's fields and the previous hash, so an edited or deleted entry breaks the chain.
 * Never put personal data or secrets in `summary` or `data`: use ids and counts.
 *
 * What an entry says it did: a code of the summaries' catalog (core/messages AUDIT_SUMMARIES) and
 * its params (ids, counts, states, methods), stored as JSON; its text is made when it is shown, in
 * the language of the reader. A sentence cannot be passed: stored data keeps codes.
 */
export interface AuditSummary {
  code: AuditSummaryCode
  params?: Record<string, string | number>
}

export interface AuditEntry {
  actor: string
  command: string
  entity: string
  entityId?: string | null
  action: string
  summary: AuditSummary
  result?: 'ok' | 'failed' | 'partial' | 'rejected' | string
  data?: Record<string, unknown>
}

/**
 * The summary kept in an entry: a code and its params (written by this alpi), or the English
 * sentence an older alpi wrote (kept and shown as written: rewriting it would break the chain).
 */
export function storedSummary(stored: string): AuditSummary | string {
  if (!stored.startsWith('{"code":')) return stored
  try {
    const v = JSON.parse(stored) as {code?: unknown; params?: unknown}
    if (typeof v.code !== 'string' || (v.params !== undefined && (typeof v.params !== 'object' || v.params === null))) return stored
    return {code: v.code as AuditSummaryCode, params: (v.params ?? {}) as AuditSummary['params']}
  } catch {
    return stored
  }
}

/** An entry's summary as a person reads it, in the current language (or `lang`); an old sentence as written. */
export function summaryText(stored: string, lang?: Lang): string {
  const s = storedSummary(stored)
  return typeof s === 'string' ? s : coreMessages.summaries(s.code, s.params, lang)
}

export const GENESIS = '0'.repeat(64)

type HashedFields = Omit<AuditLogTable, 'hash'>

export function entryHash(e: HashedFields): string {
  const canonical = JSON.stringify([
    e.seq,
    e.at,
    e.actor,
    e.command,
    e.entity,
    e.entity_id,
    e.action,
    e.summary,
    e.result,
    e.data,
    e.prev_hash,
  ])
  return createHash('sha256').update(canonical).digest('hex')
}

/** Append one entry. Call inside the transaction of the change (store.transaction). */
export async function writeAudit(trx: Kysely<Database>, dialect: Dialect, entry: AuditEntry): Promise<AuditLogTable> {
  // PostgreSQL: serialise writers of the chain for this transaction. SQLite: the
  // transaction already holds the write lock (BEGIN IMMEDIATE).
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${WRITER_LOCK})`.execute(trx)
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst()
  const row: HashedFields = {
    seq: (last?.seq ?? 0) + 1,
    at: nowIso(),
    actor: entry.actor,
    command: entry.command,
    entity: entry.entity,
    entity_id: entry.entityId ?? null,
    action: entry.action,
    summary: JSON.stringify({code: entry.summary.code, params: entry.summary.params ?? {}}),
    result: entry.result ?? 'ok',
    data: entry.data === undefined ? null : JSON.stringify(entry.data),
    prev_hash: last?.hash ?? GENESIS,
  }
  const full: AuditLogTable = {...row, hash: entryHash(row)}
  await trx.insertInto('audit_log').values(full).execute()
  await trx
    .insertInto('audit_head')
    .values({id: 1, seq: full.seq, hash: full.hash})
    .onConflict((oc) => oc.column('id').doUpdateSet({seq: full.seq, hash: full.hash}))
    .execute()
  return full
}

export type AuditProblemKind =
  'hash_mismatch' | 'broken_link' | 'gap' | 'head_mismatch' | 'journal_missing' | 'journal_empty' | 'journal_younger' | 'anchor_missing'

export interface AuditVerifyResult {
  ok: boolean
  entries: number
  /** The last entry's seq (0 when empty). */
  headSeq: number
  /** The last entry's hash: record it elsewhere (with backups, or `alpi audit anchor`) to anchor the chain. */
  headHash: string
  /** Anchors checked (--expect-head, --anchor): found at which entry, or null. */
  anchors: {hash: string; seq: number | null; foundAt: number | null}[]
  problems: {seq: number; problem: AuditProblemKind; detail: string}[]
}

export interface VerifyAuditOptions {
  /** Heads recorded outside the store (the hash, and its entry when known): each must be in the chain. */
  anchors?: {hash: string; seq?: number}[]
}

/** Business rows older than the first entry by more than this mean the journal was restarted. */
export const JOURNAL_YOUNGER_TOLERANCE_MS = 3_600_000

const JOURNAL_TABLES = ['audit_log', 'audit_head']
const NOT_BUSINESS = new Set([...JOURNAL_TABLES, 'alpi_migrations', 'alpi_migrations_lock'])

/**
 * Walk the whole chain; report edited entries (hash), deleted ones (gap, broken link, head),
 * a journal dropped, emptied or restarted while the store holds business rows, and recorded
 * heads (anchors) that are not in the chain (the journal was truncated or rewritten).
 */
export async function verifyAudit(db: Kysely<Database>, opts: VerifyAuditOptions = {}): Promise<AuditVerifyResult> {
  const problems: AuditVerifyResult['problems'] = []
  const tables = await db.introspection.getTables()
  const missing = JOURNAL_TABLES.filter((name) => !tables.some((tb) => tb.name === name))
  const anchors = (opts.anchors ?? []).map((a) => ({hash: a.hash.toLowerCase(), seq: a.seq ?? null, foundAt: null as number | null}))
  if (missing.length > 0) {
    problems.push({seq: 0, problem: 'journal_missing', detail: t('journalMissing', {tables: missing.join(', ')})})
    return {ok: false, entries: 0, headSeq: 0, headHash: GENESIS, anchors, problems}
  }
  let prevHash = GENESIS
  let expectedSeq = 1
  let entries = 0
  let firstAt: string | null = null
  const pageSize = 5000
  let after = 0
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute()
    if (page.length === 0) break
    for (const e of page) {
      entries++
      firstAt ??= e.at
      if (e.seq !== expectedSeq) problems.push({seq: e.seq, problem: 'gap', detail: t('gap', {from: expectedSeq, to: e.seq - 1})})
      if (e.prev_hash !== prevHash) problems.push({seq: e.seq, problem: 'broken_link', detail: t('brokenLink')})
      const {hash, ...fields} = e
      if (entryHash(fields) !== hash) problems.push({seq: e.seq, problem: 'hash_mismatch', detail: t('hashMismatch')})
      for (const a of anchors) if (a.foundAt === null && a.hash === hash && (a.seq === null || a.seq === e.seq)) a.foundAt = e.seq
      prevHash = hash
      expectedSeq = e.seq + 1
    }
    after = page.at(-1)!.seq
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst()
  const lastSeq = expectedSeq - 1
  if (head ? head.seq !== lastSeq || head.hash !== prevHash : entries > 0) {
    problems.push({
      seq: head?.seq ?? lastSeq,
      problem: 'head_mismatch',
      detail: head ? t('headCut', {head: head.seq, last: lastSeq}) : t('headMissing'),
    })
  }
  problems.push(...(await journalVersusData(db, tables, entries, firstAt)))
  for (const a of anchors) {
    if (a.foundAt === null)
      problems.push({
        seq: a.seq ?? 0,
        problem: 'anchor_missing',
        detail: a.seq === null ? t('anchorMissing', {hash: a.hash}) : t('anchorMissingAt', {hash: a.hash, seq: a.seq}),
      })
  }
  return {ok: problems.length === 0, entries, headSeq: lastSeq, headHash: prevHash, anchors, problems}
}

/**
 * Every change to business data writes an entry in the same transaction, so a store with
 * business rows and no entry, or with rows created well before its first entry, lost the
 * beginning of its journal (deleted, then restarted by the next command).
 */
async function journalVersusData(
  db: Kysely<Database>,
  tables: {name: string; columns: {name: string}[]}[],
  entries: number,
  firstAt: string | null,
): Promise<AuditVerifyResult['problems']> {
  const business = tables.filter((tb) => !NOT_BUSINESS.has(tb.name) && !tb.name.startsWith('sqlite_'))
  let withRows: string | null = null
  let oldest: {table: string; at: string} | null = null
  for (const tb of business) {
    const any = await sql<{x: number}>`select 1 as x from ${sql.table(tb.name)} limit 1`.execute(db)
    if (any.rows.length === 0) continue
    withRows ??= tb.name
    if (!tb.columns.some((c) => c.name === 'created_at')) continue
    const r = await sql<{m: string | null}>`select min(created_at) as m from ${sql.table(tb.name)}`.execute(db)
    const m = r.rows[0]?.m ?? null
    if (m && (!oldest || m < oldest.at)) oldest = {table: tb.name, at: m}
  }
  if (withRows && entries === 0) return [{seq: 0, problem: 'journal_empty', detail: t('journalEmpty', {table: withRows})}]
  if (oldest && firstAt && Date.parse(oldest.at) < Date.parse(firstAt) - JOURNAL_YOUNGER_TOLERANCE_MS) {
    return [{seq: 1, problem: 'journal_younger', detail: t('journalYounger', {table: oldest.table, created: oldest.at, first: firstAt})}]
  }
  return []
}
