import type {Kysely} from 'kysely'
import type {LaptopState} from '../../../src/laptops/states.js'
import type {Database} from '../../../src/store/schema.js'
import {snapshotWithDisk} from '../../integration/laptops/flow.js'

/**
 * A generated workshop (no real people, no real serials): `n` laptops over five lots from
 * three donors, four models, grades, asset tags, received over eight weeks, in every state of
 * the lifecycle; three sites, beneficiaries (with names, to check they never leak), wipe
 * certificates for the wiped and later, events for the weekly counts. Written straight into
 * the store: the paths that normally get laptops there are tested on loop devices elsewhere.
 */
export const MODELS = [
  ['Lenovo', 'ThinkPad L380'],
  ['Lenovo', 'ThinkPad T480'],
  ['Dell', 'Latitude 5490'],
  ['HP', 'EliteBook 840 G5'],
] as const
export const LOTS = ['LOT-2026-01', 'LOT-2026-02', 'LOT-2026-03', 'LOT-2026-04', 'LOT-2026-05'] as const
export const SITES = ['SMALAH', 'CCLA', 'MSAP'] as const
const STATES: LaptopState[] = [
  'received',
  'diagnosed',
  'wiped',
  'imaged',
  'ready',
  'ready',
  'ready',
  'allocated',
  'handed_over',
  'handed_over',
  'on_hold',
  'scrapped',
  'returned',
]
const WIPED = new Set<LaptopState>(['wiped', 'imaged', 'ready', 'allocated', 'handed_over'])

export function serialOf(i: number): string {
  return `PF${String.fromCharCode(65 + (i % 26))}${String(i).padStart(5, '0')}`
}

function day(offset: number): string {
  return new Date(Date.parse('2026-10-01T08:00:00Z') + offset * 86_400_000 + (offset % 7) * 3_600_000).toISOString()
}

export async function seedWorkshop(db: Kysely<Database>, n = 2000): Promise<{serials: string[]; beneficiaryNames: string[]}> {
  const at = '2026-09-01T00:00:00.000Z'
  await db
    .insertInto('laptop_sites')
    .values(
      SITES.map((code, i) => ({
        code,
        name: `Lieu ${code}`,
        commune: ['Mont-de-Marsan', 'Dax', 'Saint-Sever'][i]!,
        convention_ref: `CONV-${code}`,
        convention_signed: '2026-01-01',
        convention_end: '2027-12-31',
        quota: 900,
        contact: null,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute()
  const donors = ['Crédit Landais', 'Conseil départemental des Landes', 'Hôpital de Dax']
  await db
    .insertInto('laptop_lots')
    .values(
      LOTS.map((code, i) => ({
        code,
        donor: donors[i % 3]!,
        received_on: day(i * 10).slice(0, 10),
        expected_count: Math.ceil(n / LOTS.length),
        notes: null,
        created_at: at,
        updated_at: at,
      })),
    )
    .execute()
  const laptops = []
  const certs = []
  const events = []
  const handovers = []
  const beneficiaries = []
  const names: string[] = []
  for (let i = 0; i < n; i++) {
    const serial = serialOf(i)
    const state = STATES[i % STATES.length]!
    const [maker, model] = MODELS[i % MODELS.length]!
    const received = day(i % 56)
    const changed = day((i % 56) + (i % 5))
    const site = state === 'allocated' || state === 'handed_over' ? SITES[i % SITES.length]! : null
    const certId = WIPED.has(state) || (state === 'returned' && i % 2 === 0) ? `cert-${serial}` : null
    let beneficiary: string | null = null
    if (state === 'handed_over') {
      beneficiary = `BEN-${serial}`
      const name = `Prénom${i} Nom${String.fromCharCode(65 + (i % 26))}${i}`
      names.push(name)
      beneficiaries.push({
        ref: beneficiary,
        name,
        commune: ['Dax', 'Tartas', 'Mimizan', "Aire-sur-l'Adour"][i % 4]!,
        training_ref: `PARC-${i}`,
        training_start: '2026-09-01',
        site_code: site!,
        created_at: at,
        updated_at: at,
      })
      handovers.push({
        id: `h-${serial}`,
        serial,
        site_code: site!,
        beneficiary_ref: beneficiary,
        handed_at: changed,
        receipt_path: null,
        returned_at: null,
        cancelled_at: null,
      })
    }
    const probed = state !== 'received'
    laptops.push({
      serial,
      asset_tag: i % 3 === 0 ? `INV-${String(i).padStart(6, '0')}` : null,
      maker,
      model,
      lot: LOTS[i % LOTS.length]!,
      notes: null,
      state,
      grade: probed ? ['A', 'B', 'C'][i % 3]! : null,
      verdict: state === 'on_hold' ? 'needs_part' : state === 'scrapped' ? 'scrap' : probed ? 'ready' : null,
      verdict_reasons:
        state === 'on_hold'
          ? JSON.stringify([{part: 'battery', reason: 'battery at 41% of its design capacity (minimum 60%)'}])
          : probed
            ? '[]'
            : null,
      site_code: site,
      beneficiary_ref: beneficiary,
      image_name: ['imaged', 'ready', 'allocated', 'handed_over'].includes(state) ? 'golden-2026' : null,
      image_sha256: null,
      wipe_certificate_id: certId,
      snapshot: probed ? JSON.stringify(snapshotWithDisk(`DISK-${serial}`)) : null,
      probed_at: probed ? received : null,
      state_changed_at: changed,
      created_at: received,
      updated_at: changed,
    })
    if (certId)
      certs.push({
        id: certId,
        serial,
        device: '/dev/test',
        disk_serial: `DISK-${serial}`,
        method: 'overwrite',
        level: 'Clear' as const,
        verified: 1,
        bytes: 256e9,
        errors: 0,
        started_at: received,
        ended_at: received,
        data: '{}',
      })
    events.push({
      id: `e0-${serial}`,
      serial,
      at: received,
      day: received.slice(0, 10),
      from_state: null,
      to_state: 'received',
      actor: 'seed',
      detail: null,
    })
    if (state !== 'received')
      events.push({
        id: `e1-${serial}`,
        serial,
        at: changed,
        day: changed.slice(0, 10),
        from_state: 'received',
        to_state: state,
        actor: 'seed',
        detail: null,
      })
  }
  for (let i = 0; i < laptops.length; i += 200)
    await db
      .insertInto('laptops')
      .values(laptops.slice(i, i + 200))
      .execute()
  for (let i = 0; i < certs.length; i += 300)
    await db
      .insertInto('laptop_wipe_certificates')
      .values(certs.slice(i, i + 300))
      .execute()
  for (let i = 0; i < beneficiaries.length; i += 300)
    await db
      .insertInto('laptop_beneficiaries')
      .values(beneficiaries.slice(i, i + 300))
      .execute()
  for (let i = 0; i < handovers.length; i += 300)
    await db
      .insertInto('laptop_handovers')
      .values(handovers.slice(i, i + 300))
      .execute()
  for (let i = 0; i < events.length; i += 300)
    await db
      .insertInto('laptop_events')
      .values(events.slice(i, i + 300))
      .execute()
  return {serials: laptops.map((l) => l.serial), beneficiaryNames: names}
}
