import type {Kysely, Selectable} from 'kysely'
import {audit, type ServiceContext} from '../core/context.js'
import {NotFound} from '../core/errors.js'
import {newId, nowIso} from '../core/ids.js'
import type {Database} from '../store/schema.js'
import {assertTransition, type LaptopState} from './lifecycle.js'
import {msg} from './messages.js'
import type {ProbeSnapshot} from './probe-parse.js'
import type {LaptopsTable} from './tables.js'

export type Laptop = Selectable<LaptopsTable>

/**
 * The laptops whose probe snapshot lists a disk with one of these serials (one read of the
 * snapshots for a whole batch; a snapshot is parsed only when its text holds a wanted serial).
 */
export async function laptopsForDisks(db: Kysely<Database>, diskSerials: string[]): Promise<Map<string, Laptop>> {
  const wanted = new Set(diskSerials)
  const found = new Map<string, Laptop>()
  if (wanted.size === 0) return found
  let q = db.selectFrom('laptops').selectAll().where('snapshot', 'is not', null)
  // one serial: let the store narrow the rows (JSON text, so LIKE, then the parsed value decides)
  if (wanted.size === 1) q = q.where('snapshot', 'like', `%${diskSerials[0]!.replace(/[%_\\]/g, '')}%`)
  for (const l of await q.execute()) {
    if (!diskSerials.some((s) => l.snapshot!.includes(s))) continue
    for (const d of (JSON.parse(l.snapshot!) as ProbeSnapshot).disks ?? []) if (d.serial && wanted.has(d.serial) && !found.has(d.serial)) found.set(d.serial, l)
  }
  return found
}

/** The laptop by serial, or NotFound naming the import command. */
export async function getLaptop(db: Kysely<Database>, serial: string): Promise<Laptop> {
  const row = await db.selectFrom('laptops').selectAll().where('serial', '=', serial).executeTakeFirst()
  if (!row) {
    throw new NotFound(msg('noLaptop', {serial}), {actions: [msg('noLaptopAction')], data: {serial}})
  }
  return row
}

/**
 * Move a laptop to another state through the transition table, in the caller's transaction:
 * the row, an event (for per-day counts) and nothing else (the caller writes the audit).
 */
export async function moveLaptop(
  ctx: ServiceContext,
  trx: Kysely<Database>,
  laptop: Pick<Laptop, 'serial' | 'state'>,
  to: LaptopState,
  patch: Partial<Omit<LaptopsTable, 'serial' | 'state'>> = {},
  detail?: Record<string, unknown>,
): Promise<void> {
  assertTransition(laptop.serial, laptop.state, to)
  const at = nowIso()
  await trx
    .updateTable('laptops')
    .set({...patch, state: to, state_changed_at: at, updated_at: at})
    .where('serial', '=', laptop.serial)
    .execute()
  await trx
    .insertInto('laptop_events')
    .values({id: eventId(), serial: laptop.serial, at, day: at.slice(0, 10), from_state: laptop.state, to_state: to, actor: ctx.actor, detail: detail ? JSON.stringify(detail) : null})
    .execute()
}

/** Move one laptop and write the audit entry, in one transaction. */
export async function moveAndAudit(
  ctx: ServiceContext,
  serial: string,
  to: LaptopState,
  action: string,
  patch: Partial<Omit<LaptopsTable, 'serial' | 'state'>> = {},
  detail?: Record<string, unknown>,
): Promise<Laptop> {
  return ctx.store.transaction(async (trx) => {
    const laptop = await getLaptop(trx, serial)
    await moveLaptop(ctx, trx, laptop, to, patch, detail)
    await audit(ctx, trx, {entity: 'laptop', entityId: serial, action, summary: `laptop ${laptop.state} -> ${to}`, data: detail})
    return getLaptop(trx, serial)
  })
}

let lastEventTick = 0n

/**
 * Event ids sort in insertion order (a fixed clock, ALPI_NOW, gives many events the same
 * `at`): a monotonic microsecond tick, then random characters so two processes never collide.
 */
export function eventId(): string {
  const now = BigInt(Date.now()) * 1000n
  lastEventTick = now > lastEventTick ? now : lastEventTick + 1n
  return `${lastEventTick.toString().padStart(18, '0')}-${newId().slice(0, 8)}`
}

/** Today's date (YYYY-MM-DD) from the clock (ALPI_NOW honoured). */
export function today(): string {
  return nowIso().slice(0, 10)
}

export interface LaptopDetail {
  laptop: Omit<Laptop, 'snapshot' | 'verdict_reasons'> & {verdictReasons: unknown}
  snapshot: unknown
  events: {at: string; from: string | null; to: string; actor: string}[]
  wipeCertificates: {id: string; method: string; level: string; verified: boolean; ended_at: string}[]
  handovers: {id: string; site: string; handed_at: string; returned_at: string | null}[]
}

/** `laptops show SERIAL`: the record, its history, certificates and handovers (no beneficiary name). */
export async function showLaptop(ctx: ServiceContext, serial: string): Promise<LaptopDetail> {
  const db = ctx.store.db
  const l = await getLaptop(db, serial)
  const {snapshot, verdict_reasons, ...rest} = l
  const events = await db.selectFrom('laptop_events').select(['at', 'from_state', 'to_state', 'actor']).where('serial', '=', serial).orderBy('at').orderBy('id').execute()
  const certs = await db.selectFrom('laptop_wipe_certificates').select(['id', 'method', 'level', 'verified', 'ended_at']).where('serial', '=', serial).orderBy('ended_at').execute()
  const hands = await db.selectFrom('laptop_handovers').select(['id', 'site_code', 'handed_at', 'returned_at']).where('serial', '=', serial).orderBy('handed_at').execute()
  return {
    laptop: {...rest, verdictReasons: verdict_reasons ? JSON.parse(verdict_reasons) : null},
    snapshot: snapshot ? JSON.parse(snapshot) : null,
    events: events.map((e) => ({at: e.at, from: e.from_state, to: e.to_state, actor: e.actor})),
    wipeCertificates: certs.map((c) => ({...c, verified: c.verified === 1})),
    handovers: hands.map((h) => ({id: h.id, site: h.site_code, handed_at: h.handed_at, returned_at: h.returned_at})),
  }
}
