import {sql, type Kysely} from 'kysely'
import type {ServiceContext} from '../context/service-context.js'
import {UsageError} from '../core/errors.js'
import type {Database} from '../store/schema.js'
import {LAPTOP_STATES, type LaptopState} from './states.js'
import {ws} from './messages/index.js'

/** Filters of `laptops list`; each one narrows the list (AND). */
export interface LaptopFilter {
  states?: string[]
  site?: string
  /** case-insensitive substring of the model */
  model?: string
  grade?: string
  lot?: string
  /** received (recorded) at or after this ISO instant */
  since?: string
  /** state changed at or after this ISO instant */
  changedSince?: string
  /** case-insensitive substring of the serial or the asset tag */
  search?: string
  limit?: number
}

export type LaptopListItem = {
  serial: string
  asset_tag: string | null
  maker: string | null
  model: string | null
  lot: string | null
  state: LaptopState
  grade: string | null
  verdict: string | null
  site_code: string | null
  image_name: string | null
  wipe_certificate_id: string | null
  state_changed_at: string
  created_at: string
}

export const LIST_COLUMNS = [
  'serial',
  'asset_tag',
  'maker',
  'model',
  'lot',
  'state',
  'grade',
  'verdict',
  'site_code',
  'image_name',
  'wipe_certificate_id',
  'state_changed_at',
  'created_at',
] as const

function likePattern(s: string): string {
  return `%${s.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`
}

/** The query of a filter (also used by tests to compare with a direct read of the store). */
export function filteredLaptops(db: Kysely<Database>, f: LaptopFilter) {
  let q = db.selectFrom('laptops').select([...LIST_COLUMNS])
  if (f.states && f.states.length > 0) {
    for (const s of f.states) {
      if (!(LAPTOP_STATES as readonly string[]).includes(s))
        throw new UsageError(ws('listBadState', {state: s}), {actions: [ws('listBadStateAction', {states: LAPTOP_STATES.join(', ')})]})
    }
    q = q.where('state', 'in', f.states as LaptopState[])
  }
  if (f.site) q = q.where('site_code', '=', f.site)
  if (f.grade) q = q.where('grade', '=', f.grade.toUpperCase())
  if (f.lot) q = q.where('lot', '=', f.lot)
  if (f.since) q = q.where('created_at', '>=', f.since)
  if (f.changedSince) q = q.where('state_changed_at', '>=', f.changedSince)
  if (f.model) {
    const p = likePattern(f.model)
    q = q.where(sql<boolean>`lower(model) like ${p} escape '\\'`)
  }
  if (f.search) {
    const p = likePattern(f.search)
    q = q.where(sql<boolean>`(lower(serial) like ${p} escape '\\' or lower(coalesce(asset_tag, '')) like ${p} escape '\\')`)
  }
  return q.orderBy('serial')
}

/** `laptops list`: the laptops a filter selects, by serial. */
export async function listLaptops(ctx: ServiceContext, f: LaptopFilter): Promise<LaptopListItem[]> {
  let q = filteredLaptops(ctx.store.db, f)
  if (f.limit) q = q.limit(f.limit)
  return (await q.execute()) as LaptopListItem[]
}

export type BeneficiaryListItem = {
  ref: string
  /** only when the caller may show names (a terminal, or a 0600 file) */
  name?: string
  commune: string
  site_code: string
  training_ref: string | null
  training_start: string | null
  /** the laptop they hold now (handed over, not returned) */
  laptop: string | null
}

/** `laptops beneficiaries list`: references (and names only when `withNames`), by reference. */
export async function listBeneficiaries(ctx: ServiceContext, opts: {site?: string; withNames: boolean}): Promise<BeneficiaryListItem[]> {
  const db = ctx.store.db
  let q = db
    .selectFrom('laptop_beneficiaries')
    .select(['ref', 'name', 'commune', 'site_code', 'training_ref', 'training_start'])
    .orderBy('ref')
  if (opts.site) q = q.where('site_code', '=', opts.site)
  const held = new Map(
    (
      await db
        .selectFrom('laptops')
        .select(['serial', 'beneficiary_ref'])
        .where('state', '=', 'handed_over')
        .where('beneficiary_ref', 'is not', null)
        .execute()
    ).map((r) => [r.beneficiary_ref!, r.serial]),
  )
  return (await q.execute()).map(({name, ...b}) => ({...b, ...(opts.withNames ? {name} : {}), laptop: held.get(b.ref) ?? null}))
}
