import type {Kysely, Selectable} from 'kysely'
import {audit, type ServiceContext} from '../core/context.js'
import {NotFound} from '../core/errors.js'
import {newId, nowIso} from '../core/ids.js'
import type {Database} from '../store/schema.js'
import {assertTransition, type LaptopState} from './lifecycle.js'
import type {LaptopsTable} from './tables.js'

export type Laptop = Selectable<LaptopsTable>

/** The laptop by serial, or NotFound naming the import command. */
export async function getLaptop(db: Kysely<Database>, serial: string): Promise<Laptop> {
  const row = await db.selectFrom('laptops').selectAll().where('serial', '=', serial).executeTakeFirst()
  if (!row) {
    throw new NotFound(`No laptop with serial ${serial}`, {
      actions: ['Check the serial (dmidecode -s system-serial-number), or record the laptop with `alpi laptops import FILE`.'],
      data: {serial},
    })
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
    .values({id: newId(), serial: laptop.serial, at, day: at.slice(0, 10), from_state: laptop.state, to_state: to, actor: ctx.actor, detail: detail ? JSON.stringify(detail) : null})
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

/** Today's date (YYYY-MM-DD) from the clock (ALPI_NOW honoured). */
export function today(): string {
  return nowIso().slice(0, 10)
}
