import type {Kysely} from 'kysely'
import type {ServiceContext} from '../context/service-context.js'
import {language} from '../core/i18n.js'
import {nowIso} from '../core/ids.js'
import {importCsv, type ImportFileOptions, type ImportResult} from '../csv/import.js'
import type {Database} from '../store/schema.js'
import {upsertRows} from '../store/upsert.js'
import {implausibleSize, INVENTORY_COLUMNS, InventoryRowSchema, type InventoryRow} from '../csv/inventory.js'
import {lastSegment, slug, splitPath} from './model.js'
import {t} from './messages/index.js'

/** Member code of a GLPI entity path ("Entité racine > Mairie de Pissos" → "mairie-de-pissos"). */
export function memberCodeOf(entity: string): string {
  return slug(lastSegment(entity))
}

/** Site of a GLPI location ("Pissos > Mairie > Accueil"): its id within the member, and its commune (first segment). */
export function siteOf(memberCode: string, location: string): {id: string; name: string; commune: string | null} {
  const parts = splitPath(location)
  return {id: `${memberCode}:${slug(parts.join(' '))}`, name: parts.join(' > '), commune: parts.length > 1 ? parts[0]! : null}
}

const FACTS = [
  'name',
  'member_code',
  'site_id',
  'maker',
  'model',
  'form_factor',
  'os_name',
  'os_version',
  'cpu',
  'ram_mb',
  'disk_mb',
  'tpm',
  'firmware',
  'secure_boot',
  'user_login',
] as const

/**
 * Import the fleet from a GLPI computer export (French headers) or an OCS export (aliases),
 * any legacy Windows. Upserts members, sites and PCs by serial: a re-import updates the
 * inventory facts and never touches a PC's pipeline state.
 */
export async function importInventory(ctx: ServiceContext, opts: ImportFileOptions): Promise<ImportResult> {
  return importCsv(ctx, {
    source: opts.file,
    rejectsPath: opts.rejectsPath,
    repairEncoding: opts.repairEncoding,
    dryRun: opts.dryRun,
    schema: InventoryRowSchema,
    columns: INVENTORY_COLUMNS,
    entity: 'win7_pc',
    key: (v: InventoryRow) => v.serial,
    upsert: (trx: Kysely<Database>, rows: InventoryRow[]) => upsertInventory(trx, rows),
    warnRow: sizeDoubts,
  })
}

/**
 * A memory or disk size outside the plausible range (model.ts PLAUSIBLE_MB) is kept as read
 * but said, with its row: it is a unit mistake far more often than a fact, and the readiness
 * check that depends on it will say "unknown" until the inventory is fixed.
 */
export function sizeDoubts(row: InventoryRow): string[] {
  const doubts: string[] = []
  for (const what of ['ram', 'disk'] as const) {
    const mb = row[what]
    const side = mb === undefined ? null : implausibleSize(what, mb)
    if (side === null || mb === undefined) continue
    doubts.push(
      t(what === 'ram' ? 'import.ramImplausible' : 'import.diskImplausible', {
        mb,
        gb: new Intl.NumberFormat(language(), {maximumFractionDigits: 2}).format(mb / 1024),
        side: t(side === 'low' ? 'import.below' : 'import.above'),
      }),
    )
  }
  return doubts
}

export async function upsertInventory(trx: Kysely<Database>, rows: readonly InventoryRow[]) {
  const now = nowIso()
  const members = new Map<string, string>()
  const sites = new Map<string, {id: string; member_code: string; name: string; commune: string | null}>()
  for (const r of rows) {
    const code = memberCodeOf(r.entity)
    if (!members.has(code)) members.set(code, lastSegment(r.entity))
    if (r.location) {
      const s = siteOf(code, r.location)
      if (!sites.has(s.id)) sites.set(s.id, {...s, member_code: code})
    }
  }
  for (const [code, name] of members) {
    await trx
      .insertInto('win7_members')
      .values({
        code,
        name,
        commune: null,
        naming_rule: null,
        domain: null,
        ou: null,
        join_account: null,
        software: null,
        usmt_store: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute()
  }
  for (const s of sites.values()) {
    await trx
      .insertInto('win7_sites')
      .values({id: s.id, member_code: s.member_code, name: s.name, commune: s.commune, created_at: now})
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  }
  const existing = new Set<string>()
  const serials = rows.map((r) => r.serial)
  for (let i = 0; i < serials.length; i += 500) {
    const found = await trx
      .selectFrom('win7_pcs')
      .select('serial')
      .where('serial', 'in', serials.slice(i, i + 500))
      .execute()
    for (const f of found) existing.add(f.serial)
  }
  const pcRows = rows.map((r) => {
    const code = memberCodeOf(r.entity)
    const facts = {
      serial: r.serial,
      name: r.name ?? null,
      member_code: code,
      site_id: r.location ? siteOf(code, r.location).id : null,
      maker: r.maker ?? null,
      model: r.model ?? null,
      form_factor: r.type ?? null,
      os_name: r.os_name ?? null,
      os_version: r.os_version ?? null,
      cpu: r.cpu ?? null,
      ram_mb: r.ram ?? null,
      disk_mb: r.disk ?? null,
      tpm: r.tpm ?? null,
      firmware: r.firmware ?? null,
      secure_boot: r.secure_boot ?? null,
      user_login: r.user ?? null,
      updated_at: now,
    }
    // New PCs enter the pipeline; known ones keep their state (absent properties are left alone).
    return existing.has(r.serial) ? facts : {...facts, role: 'old', state: 'inventoried', state_since: now, created_at: now}
  })
  return upsertRows<Record<string, unknown>>(trx, 'win7_pcs', ['serial'], pcRows, {compare: [...FACTS]})
}
