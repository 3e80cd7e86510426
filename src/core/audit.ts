import {createHash} from 'node:crypto'
import {sql, type Kysely} from 'kysely'
import type {Dialect} from '../store/dialect.js'
import {WRITER_LOCK} from '../store/db.js'
import type {AuditLogTable, Database} from '../store/schema.js'
import {nowIso} from './ids.js'

/**
 * The audit journal: who, when, command, entity, summary, result. Written in the same
 * transaction as the change it records. Entries are hash-chained: each hash covers the
 * entry's fields and the previous hash, so an edited or deleted entry breaks the chain.
 * Never put personal data or secrets in `summary` or `data`: use ids and counts.
 */
export interface AuditEntry {
  actor: string
  command: string
  entity: string
  entityId?: string | null
  action: string
  summary: string
  result?: 'ok' | 'failed' | 'partial' | 'rejected' | string
  data?: Record<string, unknown>
}

export const GENESIS = '0'.repeat(64)

type HashedFields = Omit<AuditLogTable, 'hash'>

export function entryHash(e: HashedFields): string {
  const canonical = JSON.stringify([e.seq, e.at, e.actor, e.command, e.entity, e.entity_id, e.action, e.summary, e.result, e.data, e.prev_hash])
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
    summary: entry.summary,
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

export interface AuditVerifyResult {
  ok: boolean
  entries: number
  /** The last entry's hash: record it elsewhere (with backups) to anchor the chain. */
  headHash: string
  problems: {seq: number; problem: 'hash_mismatch' | 'broken_link' | 'gap' | 'head_mismatch'; detail: string}[]
}

/** Walk the whole chain; report edited entries (hash), deleted ones (gap, broken link). */
export async function verifyAudit(db: Kysely<Database>): Promise<AuditVerifyResult> {
  const problems: AuditVerifyResult['problems'] = []
  let prevHash = GENESIS
  let expectedSeq = 1
  let entries = 0
  const pageSize = 5000
  let after = 0
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute()
    if (page.length === 0) break
    for (const e of page) {
      entries++
      if (e.seq !== expectedSeq) problems.push({seq: e.seq, problem: 'gap', detail: `entries ${expectedSeq}..${e.seq - 1} are missing`})
      if (e.prev_hash !== prevHash) problems.push({seq: e.seq, problem: 'broken_link', detail: 'previous hash does not match the entry before it'})
      const {hash, ...fields} = e
      if (entryHash(fields) !== hash) problems.push({seq: e.seq, problem: 'hash_mismatch', detail: 'the entry was changed after it was written'})
      prevHash = hash
      expectedSeq = e.seq + 1
    }
    after = page.at(-1)!.seq
  }
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst()
  const lastSeq = expectedSeq - 1
  if (head ? head.seq !== lastSeq || head.hash !== prevHash : entries > 0) {
    problems.push({seq: head?.seq ?? lastSeq, problem: 'head_mismatch', detail: head ? `the journal should end at entry ${head.seq}, it ends at ${lastSeq}: entries were removed from its end` : 'the chain head is missing'})
  }
  return {ok: problems.length === 0, entries, headHash: prevHash, problems}
}
