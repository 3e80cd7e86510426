import type {ServiceContext} from '../context/service-context.js'
import {audit} from '../context/service-context.js'
import {NotFound} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {upsertRows} from '../store/upsert.js'
import {ws} from './messages/index.js'
import {writePdf, type PdfBlock} from './pdf.js'
import {frDate} from '../core/french.js'

/**
 * Lots: laptops arrive in intake batches from donors (companies, administrations). A lot is
 * recorded with its donor, date and announced count; the laptops carry its code (`lot` column,
 * set by the intake file). Per-lot status and the donor's end-of-lot report (French PDF:
 * numbers, erasure certificates, communes reached; never a beneficiary's name).
 */
export interface LotInput {
  code: string
  donor: string
  receivedOn: string
  count: number
  notes?: string
}

export async function addLot(ctx: ServiceContext, l: LotInput): Promise<{code: string; inserted: number; updated: number}> {
  return ctx.store.transaction(async (trx) => {
    const at = nowIso()
    const r = await upsertRows(
      trx,
      'laptop_lots',
      ['code'],
      [{code: l.code, donor: l.donor, received_on: l.receivedOn, expected_count: l.count, notes: l.notes ?? null}],
      {onInsert: () => ({created_at: at, updated_at: at}), onUpdate: () => ({updated_at: at})},
    )
    await audit(ctx, trx, {
      entity: 'laptop_lot',
      entityId: l.code,
      action: 'lot',
      summary: {code: 'lotAnnounced', params: {lot: l.code, n: l.count}},
      data: {count: l.count, receivedOn: l.receivedOn},
    })
    return {code: l.code, inserted: r.inserted, updated: r.updated}
  })
}

export interface LotStatus {
  code: string
  donor: string
  received_on: string
  expected: number
  /** laptops recorded with this lot */
  received: number
  in_progress: number
  ready: number
  given: number
  scrapped: number
  lost: number
  certified: number
}

/** Per-lot counts: announced, recorded, in the workshop, ready, given (handed over), scrapped, lost, certified. */
export async function lotStatus(ctx: ServiceContext, code?: string): Promise<LotStatus[]> {
  const db = ctx.store.db
  let lq = db.selectFrom('laptop_lots').selectAll().orderBy('received_on').orderBy('code')
  if (code) lq = lq.where('code', '=', code)
  const lots = await lq.execute()
  if (code && lots.length === 0) throw new NotFound(ws('noLot', {lot: code}), {actions: [ws('noLotAction')], data: {lot: code}})
  const counts = await db
    .selectFrom('laptops')
    .select(['lot', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('lot', 'is not', null)
    .groupBy(['lot', 'state'])
    .execute()
  const certified = await db
    .selectFrom('laptops')
    .innerJoin('laptop_wipe_certificates as c', 'c.serial', 'laptops.serial')
    .select(['laptops.lot', (eb) => eb.fn.count<number>('laptops.serial').distinct().as('n')])
    .where('c.verified', '=', 1)
    .where('c.errors', '=', 0)
    .groupBy('laptops.lot')
    .execute()
  return lots.map((l) => {
    const of = (states: string[]) => counts.filter((c) => c.lot === l.code && states.includes(c.state)).reduce((n, c) => n + Number(c.n), 0)
    const received = counts.filter((c) => c.lot === l.code).reduce((n, c) => n + Number(c.n), 0)
    const given = of(['handed_over'])
    const scrapped = of(['scrapped'])
    const ready = of(['ready', 'allocated'])
    const lost = of(['lost'])
    return {
      code: l.code,
      donor: l.donor,
      received_on: l.received_on,
      expected: l.expected_count,
      received,
      in_progress: received - given - scrapped - ready - lost,
      ready,
      given,
      scrapped,
      lost,
      certified: Number(certified.find((c) => c.lot === l.code)?.n ?? 0),
    }
  })
}

export interface DonorReport {
  lot: LotStatus
  /** where the laptops went: commune → laptops handed over */
  communes: {commune: string; n: number}[]
  certificates: {serial: string; certificate: string; level: string; date: string}[]
  file: string
}

/**
 * The donor's end-of-lot report: the numbers, every erasure certificate (proof of erasure),
 * and the communes where the laptops were given (proof of social use). No beneficiary name,
 * no reference: only communes and counts.
 */
export async function donorReport(ctx: ServiceContext, opts: {lot: string; out: string; organisation?: string}): Promise<DonorReport> {
  const [lot] = await lotStatus(ctx, opts.lot)
  const db = ctx.store.db
  const given = await db
    .selectFrom('laptops as l')
    .innerJoin('laptop_handovers as h', (j) => j.onRef('h.serial', '=', 'l.serial'))
    .leftJoin('laptop_beneficiaries as b', 'b.ref', 'h.beneficiary_ref')
    .leftJoin('laptop_sites as s', 's.code', 'h.site_code')
    .select(['l.serial', 'b.commune as bcommune', 's.commune as scommune'])
    .where('l.lot', '=', opts.lot)
    .where('l.state', '=', 'handed_over')
    .where('h.returned_at', 'is', null)
    .where('h.cancelled_at', 'is', null)
    .execute()
  const byCommune = new Map<string, number>()
  for (const g of given) {
    const c = g.bcommune ?? g.scommune ?? 'Non renseignée'
    byCommune.set(c, (byCommune.get(c) ?? 0) + 1)
  }
  const communes = [...byCommune.entries()]
    .map(([commune, n]) => ({commune, n}))
    .sort((a, b) => b.n - a.n || a.commune.localeCompare(b.commune, 'fr'))
  const certs = await db
    .selectFrom('laptop_wipe_certificates as c')
    .innerJoin('laptops as l', 'l.serial', 'c.serial')
    .select(['c.serial', 'c.id', 'c.level', 'c.ended_at'])
    .where('l.lot', '=', opts.lot)
    .where('c.verified', '=', 1)
    .where('c.errors', '=', 0)
    .orderBy('c.serial')
    .orderBy('c.ended_at')
    .execute()
  const certificates = certs.map((c) => ({serial: c.serial, certificate: c.id, level: c.level, date: c.ended_at}))
  const r: DonorReport = {lot: lot!, communes, certificates, file: opts.out}
  await writePdf(opts.out, {title: `Bilan du lot ${lot!.code}`, author: opts.organisation ?? 'ALPI'}, donorBlocks(r, opts.organisation), {
    mode: 0o644,
  })
  return r
}

function donorBlocks(r: DonorReport, organisation?: string): PdfBlock[] {
  const org = organisation ?? "ALPI - Agence Landaise Pour l'Informatique"
  const l = r.lot
  return [
    {kind: 'title', text: `Bilan du don – lot ${l.code}`},
    {
      kind: 'fields',
      fields: [
        ['Donateur', l.donor],
        ['Reçu le', frDate(l.received_on)],
        ['Organisme', org],
      ],
    },
    {
      kind: 'text',
      // "ALPI - Agence...": the dash never starts a line
      text: `Merci pour ce don. Voici ce que sont devenus les ordinateurs de ce lot, reconditionnés par ${org.replace(/ - /g, '\u00A0- ')} et remis gratuitement à des personnes suivant un parcours de formation aux usages numériques.`,
    },
    {kind: 'heading', text: 'En chiffres'},
    {
      kind: 'fields',
      fields: [
        ['Ordinateurs annoncés', String(l.expected)],
        ['Ordinateurs reçus', String(l.received)],
        ['Remis à des bénéficiaires', String(l.given)],
        ['Prêts ou attribués à un lieu', String(l.ready)],
        ['En cours de reconditionnement', String(l.in_progress)],
        ['Réformés (DEEE)', String(l.scrapped)],
        ['Perdus ou volés', String(l.lost)],
        ['Disques effacés avec certificat', String(l.certified)],
      ],
    },
    {kind: 'heading', text: 'Communes des bénéficiaires'},
    ...(r.communes.length === 0
      ? [{kind: 'text' as const, text: "Aucun ordinateur de ce lot n'a encore été remis."}]
      : [
          {kind: 'fields' as const, fields: r.communes.map((c): [string, string] => [c.commune, `${c.n} ordinateur${c.n > 1 ? 's' : ''}`])},
        ]),
    {kind: 'heading', text: "Preuve d'effacement des données"},
    {
      kind: 'text',
      text: 'Chaque disque a été effacé selon la norme NIST SP 800-88 et vérifié par relecture ; chaque certificat ci-dessous est conservé et peut être fourni sur demande.',
    },
    ...certificateLines(r.certificates),
    {kind: 'space'},
    {kind: 'small', text: 'Ce bilan ne contient aucune donnée personnelle : les bénéficiaires ne sont comptés que par commune.'},
  ]
}

/**
 * One certificate a line, in columns (serial, id, level, date): a line never wraps, since a
 * wrapped id (a UUID breaks at its hyphens) could not be found again; a serial too long for the
 * columns gets its own line.
 */
function certificateLines(certs: DonorReport['certificates']): PdfBlock[] {
  if (certs.length === 0) return [{kind: 'text', text: "Aucun disque de ce lot n'a encore été effacé."}]
  const w = Math.min(24, Math.max('Ordinateur'.length, ...certs.map((c) => c.serial.length)))
  const rest = (id: string, level: string, date: string) => `${id.padEnd(36)}  ${level.padEnd(6)}  ${date}`
  return [
    {kind: 'mono', text: `${'Ordinateur'.padEnd(w)}  ${rest('Certificat', 'Niveau', 'Effacé le')}`},
    ...certs.flatMap((c): PdfBlock[] =>
      c.serial.length > w
        ? [
            {kind: 'mono', text: c.serial},
            {kind: 'mono', text: `${''.padEnd(w)}  ${rest(c.certificate, c.level, frDate(c.date))}`},
          ]
        : [{kind: 'mono', text: `${c.serial.padEnd(w)}  ${rest(c.certificate, c.level, frDate(c.date))}`}],
    ),
  ]
}
