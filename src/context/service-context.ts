import type {Kysely} from 'kysely'
import type {Store} from '../store/db.js'
import type {Database} from '../store/schema.js'
import {writeAudit, type AuditEntry} from '../audit/journal.js'
import type {AlpiConfig} from '../core/config.js'
import type {Output} from '../core/output.js'

/** What every service gets: never flags, never oclif. */
export interface ServiceContext {
  store: Store
  /** Technician from config, ALPI_TECHNICIAN or the OS user. */
  actor: string
  /** The command line's verb, e.g. "laptops import". Goes into the audit journal. */
  command: string
  out: Output
  config: AlpiConfig
  /** Folder of templates/ (found from the installed package root). */
  templatesDir: string
  /** Aborted on Ctrl-C: long work stops cleanly. */
  signal: AbortSignal
  /** May we ask questions? (TTY, no --no-input, no CI) and was --yes given? */
  interactive: boolean
  yes: boolean
}

/** Write an audit entry inside the caller's transaction (actor and command from ctx). */
export function audit(ctx: ServiceContext, trx: Kysely<Database>, entry: Omit<AuditEntry, 'actor' | 'command'>) {
  return writeAudit(trx, ctx.store.dialect, {...entry, actor: ctx.actor, command: ctx.command})
}
