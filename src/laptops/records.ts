import type {Kysely, Selectable} from 'kysely'
import {sql} from '../store/kysely.js'
import {audit, type ServiceContext} from '../context/service-context.js'
import {NotFound, RuleViolation} from '../core/errors.js'
import {newId, nowIso} from '../core/ids.js'
import type {Database} from '../store/schema.js'
import {assertTransition, type LaptopState} from './states.js'
import {msg} from './messages/index.js'
import type {ProbeSnapshot} from './probe-parse.js'
import type {LaptopsTable} from './tables.js'

export type Laptop = Selectable<LaptopsTable>

/** The serials of a snapshot's internal disks (the USB key alpi booted from is not one). */
export function internalDiskSerials(snapshot: string | null): string[] {
  if (!snapshot) return []
  return ((JSON.parse(snapshot) as ProbeSnapshot).disks ?? []).filter((d) => !d.removable && d.serial).map((d) => d.serial!)
}

/**
 * The laptop each disk serial belongs to: the laptops whose probe snapshot lists it as an
 * internal disk (one read of the snapshots for a whole batch). A serial claimed by two
 * laptops (a disk moved from one to another) is refused: writing to it must not move the
 * wrong laptop on.
 */
export async function laptopsForDisks(db: Kysely<Database>, diskSerials: string[]): Promise<Map<string, Laptop>> {
  const wanted = new Set(diskSerials)
  const owners = new Map<string, Laptop[]>()
  if (wanted.size === 0) return new Map()
  // snapshots are compact JSON: a disk's serial appears as "serial":"<serial>"
  const needles = [...wanted].map((s) => `"serial":${JSON.stringify(s)}`)
  let q = db.selectFrom('laptops').selectAll().where('snapshot', 'is not', null)
  if (needles.length === 1)
    q = q.where(sql<boolean>`snapshot like ${'%' + needles[0]!.replace(/[\\%_]/g, (c) => '\\' + c) + '%'} escape '\\'`)
  for (const l of await q.execute()) {
    if (!needles.some((n) => l.snapshot!.includes(n))) continue
    for (const serial of internalDiskSerials(l.snapshot)) if (wanted.has(serial)) owners.set(serial, [...(owners.get(serial) ?? []), l])
  }
  const found = new Map<string, Laptop>()
  for (const [serial, laptops] of owners) {
    if (laptops.length > 1) {
      const list = laptops.map((l) => l.serial).sort()
      throw new RuleViolation('DEVICE_AMBIGUOUS', msg('diskAmbiguous', {serial, laptops: list.join(', ')}), {
        actions: [msg('diskAmbiguousAction')],
        data: {diskSerial: serial, laptops: list},
      })
    }
    found.set(serial, laptops[0]!)
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
    .values({
      id: eventId(),
      serial: laptop.serial,
      at,
      day: at.slice(0, 10),
      from_state: laptop.state,
      to_state: to,
      actor: ctx.actor,
      detail: detail ? JSON.stringify(detail) : null,
    })
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
    await audit(ctx, trx, {
      entity: 'laptop',
      entityId: serial,
      action,
      summary: {code: 'laptopMoved', params: {from: laptop.state, to}},
      data: detail,
    })
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

export interface LaptopDetail {
  laptop: Omit<Laptop, 'snapshot' | 'verdict_reasons'> & {verdictReasons: unknown}
  snapshot: unknown
  events: {at: string; from: string | null; to: string; actor: string; reason: string | null}[]
  wipeCertificates: {id: string; method: string; level: string; verified: boolean; ended_at: string}[]
  handovers: {id: string; site: string; handed_at: string; returned_at: string | null; cancelled_at: string | null}[]
}

/** `laptops show SERIAL`: the record, its history, certificates and handovers (no beneficiary name). */
export async function showLaptop(ctx: ServiceContext, serial: string): Promise<LaptopDetail> {
  const db = ctx.store.db
  const l = await getLaptop(db, serial)
  const {snapshot, verdict_reasons, ...rest} = l
  const events = await db
    .selectFrom('laptop_events')
    .select(['at', 'from_state', 'to_state', 'actor', 'detail'])
    .where('serial', '=', serial)
    .orderBy('at')
    .orderBy('id')
    .execute()
  const certs = await db
    .selectFrom('laptop_wipe_certificates')
    .select(['id', 'method', 'level', 'verified', 'ended_at'])
    .where('serial', '=', serial)
    .orderBy('ended_at')
    .execute()
  const hands = await db
    .selectFrom('laptop_handovers')
    .select(['id', 'site_code', 'handed_at', 'returned_at', 'cancelled_at'])
    .where('serial', '=', serial)
    .orderBy('handed_at')
    .execute()
  return {
    laptop: {...rest, verdictReasons: verdict_reasons ? JSON.parse(verdict_reasons) : null},
    snapshot: snapshot ? JSON.parse(snapshot) : null,
    events: events.map((e) => ({at: e.at, from: e.from_state, to: e.to_state, actor: e.actor, reason: eventReason(e.detail)})),
    wipeCertificates: certs.map((c) => ({...c, verified: c.verified === 1})),
    handovers: hands.map((h) => ({
      id: h.id,
      site: h.site_code,
      handed_at: h.handed_at,
      returned_at: h.returned_at,
      cancelled_at: h.cancelled_at,
    })),
  }
}

/** The reason a correction or a return gave, from an event's detail. */
function eventReason(detail: string | null): string | null {
  if (!detail) return null
  const r = (JSON.parse(detail) as {reason?: unknown}).reason
  return typeof r === 'string' ? r : null
}
