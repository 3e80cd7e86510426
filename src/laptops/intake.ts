import type {ServiceContext} from '../context/service-context.js'
import {nowIso} from '../core/ids.js'
import {importCsv, type ImportFileOptions, type ImportResult} from '../csv/index.js'
import {
  BENEFICIARY_COLUMNS,
  beneficiarySchema,
  LAPTOP_COLUMNS,
  LaptopIntakeSchema,
  SITE_COLUMNS,
  SiteSchema,
  type Beneficiary,
  type LaptopIntake,
  type Site,
} from './model.js'
import {eventId} from './records.js'
import {upsertRows} from '../store/upsert.js'
import {INVENTORY_COLUMNS, InventoryRowSchema} from '../csv/inventory.js'

const timestamps = (at: string) => ({onInsert: () => ({created_at: at, updated_at: at}), onUpdate: () => ({updated_at: at})})

/**
 * A GLPI computers export (the format `win7 inventory import` reads, with its parser and
 * header aliases) as laptop intake rows: serial, maker, model, the GLPI name as asset tag, and
 * the lot given on the command line (GLPI has no lot).
 */
function glpiIntake(lot: string | undefined) {
  return InventoryRowSchema.transform((r): LaptopIntake => ({
    serial: r.serial,
    asset_tag: r.name?.slice(0, 64),
    maker: r.maker?.slice(0, 100),
    model: r.model?.slice(0, 100),
    lot,
    notes: undefined,
  }))
}

/**
 * Batch intake by serial: placeholder serials are rejected; state, snapshot, grade are never
 * touched. `glpi`: the file is a GLPI computers export (see glpiIntake); `lot` sets the lot of
 * every row of a GLPI export.
 */
export async function importLaptops(ctx: ServiceContext, opts: ImportFileOptions & {glpi?: boolean; lot?: string}): Promise<ImportResult> {
  return importCsv<LaptopIntake>(ctx, {
    source: opts.file,
    schema: opts.glpi ? glpiIntake(opts.lot) : LaptopIntakeSchema,
    columns: opts.glpi ? INVENTORY_COLUMNS : LAPTOP_COLUMNS,
    entity: 'laptop',
    key: (v) => v.serial.toUpperCase(),
    rejectsPath: opts.rejectsPath,
    repairEncoding: opts.repairEncoding,
    dryRun: opts.dryRun,
    upsert: async (trx, rows) => {
      const at = nowIso()
      const insertedKeys: string[] = []
      const r = await upsertRows(trx, 'laptops', ['serial'], rows, {
        compare: ['asset_tag', 'maker', 'model', 'lot', 'notes'],
        onInsert: (row) => {
          insertedKeys.push(row.serial)
          return {state: 'received', state_changed_at: at, created_at: at, updated_at: at}
        },
        onUpdate: () => ({updated_at: at}),
      })
      // a "received" event per new laptop, for the per-day counts
      const events = insertedKeys.map((serial) => ({
        id: eventId(),
        serial,
        at,
        day: at.slice(0, 10),
        from_state: null,
        to_state: 'received',
        actor: ctx.actor,
        detail: null,
      }))
      for (let i = 0; i < events.length; i += 100)
        await trx
          .insertInto('laptop_events')
          .values(events.slice(i, i + 100))
          .execute()
      return {inserted: r.inserted, updated: r.updated, unchanged: r.unchanged}
    },
  })
}

export async function importSites(ctx: ServiceContext, opts: ImportFileOptions): Promise<ImportResult> {
  return importCsv<Site>(ctx, {
    source: opts.file,
    schema: SiteSchema,
    columns: SITE_COLUMNS,
    entity: 'laptop_site',
    key: (v) => v.code,
    rejectsPath: opts.rejectsPath,
    repairEncoding: opts.repairEncoding,
    dryRun: opts.dryRun,
    upsert: (trx, rows) =>
      upsertRows(trx, 'laptop_sites', ['code'], rows, {
        ...timestamps(nowIso()),
        compare: ['name', 'commune', 'convention_ref', 'convention_signed', 'convention_end', 'quota', 'contact'],
      }),
  })
}

/** Beneficiaries of known sites only (an unknown site code is a rejected row). */
export async function importBeneficiaries(ctx: ServiceContext, opts: ImportFileOptions): Promise<ImportResult> {
  const sites = new Set((await ctx.store.db.selectFrom('laptop_sites').select('code').execute()).map((s) => s.code))
  return importCsv<Beneficiary>(ctx, {
    source: opts.file,
    schema: beneficiarySchema(sites),
    columns: BENEFICIARY_COLUMNS,
    entity: 'laptop_beneficiary',
    key: (v) => v.ref,
    rejectsPath: opts.rejectsPath,
    repairEncoding: opts.repairEncoding,
    dryRun: opts.dryRun,
    upsert: (trx, rows) =>
      upsertRows(trx, 'laptop_beneficiaries', ['ref'], rows, {
        ...timestamps(nowIso()),
        compare: ['name', 'commune', 'training_ref', 'training_start', 'site_code'],
      }),
  })
}
