import type {ServiceContext} from '../../../src/context/service-context.js'
import {newId} from '../../../src/core/ids.js'
import type {LaptopState} from '../../../src/laptops/states.js'
import {upsertRows} from '../../../src/store/upsert.js'

const AT = '2026-11-01T00:00:00.000Z'
const stamps = {onInsert: () => ({created_at: AT, updated_at: AT})}

/**
 * Test data (generated, no real people). Laptops are put straight into a state with a
 * wipe certificate row so allocation and handover rules can be tested on their own; the
 * wipe and reimage paths that normally get them there are tested on loop devices elsewhere.
 */
export async function seedSites(ctx: ServiceContext, sites: {code: string; quota: number; signed?: string; end?: string}[]) {
  await ctx.store.transaction((trx) =>
    upsertRows(
      trx,
      'laptop_sites',
      ['code'],
      sites.map((s) => ({
        code: s.code,
        name: `Lieu ${s.code}`,
        commune: 'Mont-de-Marsan',
        convention_ref: `CONV-${s.code}`,
        convention_signed: s.signed ?? '2026-01-01',
        convention_end: s.end ?? '2027-12-31',
        quota: s.quota,
        contact: null,
      })),
      stamps,
    ),
  )
}

export async function seedBeneficiaries(ctx: ServiceContext, rows: {ref: string; site: string; training?: boolean; start?: string}[]) {
  await ctx.store.transaction((trx) =>
    upsertRows(
      trx,
      'laptop_beneficiaries',
      ['ref'],
      rows.map((b) => ({
        ref: b.ref,
        name: `Personne ${b.ref}`,
        commune: 'Dax',
        training_ref: b.training === false ? null : `PARC-${b.ref}`,
        training_start: b.training === false ? null : (b.start ?? '2026-09-01'),
        site_code: b.site,
      })),
      stamps,
    ),
  )
}

export async function seedLaptops(
  ctx: ServiceContext,
  n: number,
  state: LaptopState,
  opts: {prefix?: string; wiped?: boolean; grade?: string} = {},
) {
  const prefix = opts.prefix ?? 'SN'
  const serials = Array.from({length: n}, (_, i) => `${prefix}${String(i + 1).padStart(5, '0')}`)
  await ctx.store.transaction(async (trx) => {
    await upsertRows(
      trx,
      'laptops',
      ['serial'],
      serials.map((serial) => ({serial, maker: 'Lenovo', model: 'ThinkPad L380', lot: 'LOT-T'})),
      {onInsert: () => ({state, state_changed_at: AT, created_at: AT, updated_at: AT, grade: opts.grade ?? 'B'})},
    )
    if (opts.wiped !== false) {
      for (const serial of serials) {
        const id = newId()
        await trx
          .insertInto('laptop_wipe_certificates')
          .values({
            id,
            serial,
            device: '/dev/test',
            disk_serial: `D-${serial}`,
            method: 'overwrite',
            level: 'Clear',
            verified: 1,
            bytes: 1,
            errors: 0,
            started_at: '2026-11-01T00:00:00Z',
            ended_at: '2026-11-01T00:00:01Z',
            data: '{}',
          })
          .execute()
        await trx.updateTable('laptops').set({wipe_certificate_id: id}).where('serial', '=', serial).execute()
      }
    }
  })
  return serials
}
