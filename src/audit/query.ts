import type {Kysely} from 'kysely'
import type {Database} from '../store/schema.js'
import {UsageError} from '../core/errors.js'
import {coreMessages} from '../core/messages/index.js'
import {storedSummary, summaryText, type AuditSummary} from './journal.js'

const c = coreMessages.core

export interface AuditListOptions {
  entity?: string
  entityId?: string
  since?: string
  limit?: number
}

export interface AuditListItem {
  seq: number
  at: string
  actor: string
  command: string
  entity: string
  entityId: string | null
  action: string
  /** In the language of the reader (an entry written by an older alpi: its English sentence as written). */
  summary: string
  /** The summary's code and params (null for an entry written by an older alpi, which kept a sentence). */
  code: AuditSummary['code'] | null
  params: AuditSummary['params'] | null
  result: string
}

/** Parse --since: an ISO date/time, or a relative "7d" / "12h". */
export function parseSince(since: string, now = new Date()): string {
  const rel = /^(\d+)([dh])$/.exec(since.trim())
  if (rel) return new Date(now.getTime() - Number(rel[1]) * (rel[2] === 'd' ? 86_400_000 : 3_600_000)).toISOString()
  const d = new Date(since)
  if (Number.isNaN(d.getTime())) throw new UsageError(c.m('sinceNotDate', {since}), {actions: [c.m('sinceAction')]})
  return d.toISOString()
}

export async function listAudit(db: Kysely<Database>, opts: AuditListOptions): Promise<AuditListItem[]> {
  let q = db.selectFrom('audit_log').select(['seq', 'at', 'actor', 'command', 'entity', 'entity_id', 'action', 'summary', 'result'])
  if (opts.entity) q = q.where('entity', '=', opts.entity)
  if (opts.entityId) q = q.where('entity_id', '=', opts.entityId)
  if (opts.since) q = q.where('at', '>=', parseSince(opts.since))
  const rows = await q
    .orderBy('seq', 'desc')
    .limit(opts.limit ?? 100)
    .execute()
  return rows.reverse().map(({entity_id, summary, ...r}) => {
    const s = storedSummary(summary)
    return {
      ...r,
      entityId: entity_id,
      summary: summaryText(summary),
      code: typeof s === 'string' ? null : s.code,
      params: typeof s === 'string' ? null : (s.params ?? {}),
    }
  })
}
