import type {Kysely} from 'kysely'
import type {ServiceContext} from '../context/service-context.js'
import {NotFound, UsageError} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import type {Database} from '../store/schema.js'
import {overridesSchema, type Overrides, type School} from './model.js'
import type {FwSchoolsTable} from './tables.js'
import {t} from './messages/index.js'
import {checkUai} from './uai.js'

/** The register's columns that an import sets (deployment columns are never touched by it). */
const IMPORTED = [
  'name',
  'commune_insee',
  'commune_name',
  'address',
  'postal_code',
  'authority_kind',
  'authority_name',
  'wan_mode',
  'wan_address',
  'wan_gateway',
  'lan_cidr',
  'lan_gateway',
  'dhcp_start',
  'dhcp_end',
  'vpn',
  'box_serial',
  'mgmt_host',
  'mgmt_port',
  'mgmt_user',
  'profile',
  'overrides',
  'provenance',
] as const
export type ImportedRow = Pick<FwSchoolsTable, 'uai' | (typeof IMPORTED)[number]>

/** How each value of a school came to be (see src/firewalls/register.ts). */
export type Provenance = Record<string, {by: 'given' | 'derived' | 'allocated' | 'default'; source?: string}>

export function schoolToRow(s: School, provenance: Provenance = {}): ImportedRow {
  return {
    uai: s.uai,
    name: s.name,
    // '' = unknown: a list gave only the commune's name (the column predates that case and is NOT NULL).
    commune_insee: s.communeInsee ?? '',
    commune_name: s.communeName ?? null,
    address: s.address ?? null,
    postal_code: s.postalCode ?? null,
    authority_kind: s.authorityKind,
    authority_name: s.authorityName,
    wan_mode: s.wanMode,
    wan_address: s.wanAddress ?? null,
    wan_gateway: s.wanGateway ?? null,
    lan_cidr: s.lanCidr,
    lan_gateway: s.lanGateway,
    dhcp_start: s.dhcpStart,
    dhcp_end: s.dhcpEnd,
    vpn: s.vpn ?? null,
    box_serial: s.boxSerial ?? null,
    mgmt_host: s.mgmtHost ?? null,
    mgmt_port: s.mgmtPort,
    mgmt_user: s.mgmtUser ?? null,
    profile: s.profile,
    overrides: JSON.stringify(s.overrides ?? {}),
    provenance: JSON.stringify(Object.fromEntries(Object.entries(provenance).sort(([a], [b]) => a.localeCompare(b)))),
  }
}

export interface SchoolRecord extends Omit<School, 'communeInsee'> {
  /** '' when unknown (a list gave only the commune's name). */
  communeInsee: string
  overrides: Overrides
  provenance: Provenance
  deployedHash: string | null
  deployedAt: string | null
  deployedListVersion: string | null
  updatedAt: string
}

/**
 * The overrides JSON of a register row, checked again (the store may have been edited by hand);
 * none, the common case, needs no schema (building it costs a listing about 10 ms of zod).
 */
function storedOverrides(text: string | null): Overrides {
  const value = JSON.parse(text || '{}') as unknown
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return {}
  return overridesSchema().parse(value)
}

export function rowToSchool(r: FwSchoolsTable): SchoolRecord {
  return {
    uai: r.uai,
    name: r.name,
    communeInsee: r.commune_insee,
    communeName: r.commune_name ?? undefined,
    address: r.address ?? undefined,
    postalCode: r.postal_code ?? undefined,
    authorityKind: r.authority_kind as School['authorityKind'],
    authorityName: r.authority_name,
    wanMode: r.wan_mode as School['wanMode'],
    wanAddress: r.wan_address ?? undefined,
    wanGateway: r.wan_gateway ?? undefined,
    lanCidr: r.lan_cidr,
    lanGateway: r.lan_gateway,
    dhcpStart: r.dhcp_start,
    dhcpEnd: r.dhcp_end,
    vpn: r.vpn ?? undefined,
    boxSerial: r.box_serial ?? undefined,
    mgmtHost: r.mgmt_host ?? undefined,
    mgmtPort: r.mgmt_port,
    mgmtUser: r.mgmt_user ?? undefined,
    profile: r.profile,
    // Stored overrides were validated on the way in; parse again so a hand-edited row cannot inject.
    overrides: storedOverrides(r.overrides),
    provenance: JSON.parse(r.provenance || '{}') as Provenance,
    deployedHash: r.deployed_hash,
    deployedAt: r.deployed_at,
    deployedListVersion: r.deployed_list_version,
    updatedAt: r.updated_at,
  }
}

/** Insert new schools, update changed ones, leave identical ones alone (a re-run reports all unchanged). */
export async function upsertSchools(
  trx: Kysely<Database>,
  schools: School[],
): Promise<{inserted: number; updated: number; unchanged: number}> {
  return upsertSchoolRows(
    trx,
    schools.map((s) => schoolToRow(s)),
  )
}

export async function upsertSchoolRows(
  trx: Kysely<Database>,
  rows: ImportedRow[],
): Promise<{inserted: number; updated: number; unchanged: number}> {
  const counts = {inserted: 0, updated: 0, unchanged: 0}
  const now = nowIso()
  for (let i = 0; i < rows.length; i += 200) {
    const batch = rows.slice(i, i + 200)
    const existing = await trx
      .selectFrom('fw_schools')
      .selectAll()
      .where(
        'uai',
        'in',
        batch.map((b) => b.uai),
      )
      .execute()
    const byUai = new Map(existing.map((e) => [e.uai, e]))
    for (const row of batch) {
      const old = byUai.get(row.uai)
      if (!old) {
        await trx
          .insertInto('fw_schools')
          .values({...row, deployed_hash: null, deployed_at: null, deployed_list_version: null, created_at: now, updated_at: now})
          .execute()
        counts.inserted++
      } else if (IMPORTED.some((k) => String(old[k] ?? '') !== String(row[k] ?? ''))) {
        const {uai, ...rest} = row
        await trx
          .updateTable('fw_schools')
          .set({...rest, updated_at: now})
          .where('uai', '=', uai)
          .execute()
        counts.updated++
      } else counts.unchanged++
    }
  }
  return counts
}

export function normaliseUaiArg(raw: string): string {
  const r = checkUai(raw)
  if (!r.ok) throw new UsageError(t('uaiInvalid', {raw, reason: r.reason}), {actions: [t('uaiInvalidAction')]})
  return r.uai
}

/** The schools named (all when none), ordered by UAI; an unknown UAI is an error. */
export async function loadSchools(ctx: ServiceContext, uais?: string[]): Promise<SchoolRecord[]> {
  let q = ctx.store.db.selectFrom('fw_schools').selectAll().orderBy('uai')
  const wanted = uais && uais.length > 0 ? [...new Set(uais.map(normaliseUaiArg))] : undefined
  if (wanted) q = q.where('uai', 'in', wanted)
  const rows = await q.execute()
  if (wanted) {
    const found = new Set(rows.map((r) => r.uai))
    const missing = wanted.filter((u) => !found.has(u))
    if (missing.length > 0)
      throw new NotFound(t('schoolUnknown', {uais: missing.join(', ')}), {actions: [t('schoolUnknownAction')], data: {missing}})
  }
  return rows.map(rowToSchool)
}
