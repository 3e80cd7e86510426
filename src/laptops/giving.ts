import {rmSync} from 'node:fs'
import {resolve} from 'node:path'
import type {Kysely, Selectable} from 'kysely'
import {audit, type ServiceContext} from '../context/service-context.js'
import {z} from 'zod'
import {frDate, frDateTime, frEuros} from '../core/french.js'
import {ensureDir, fileNamePart, safeJoin} from '../core/fs.js'
import {AlpiError, Cancelled, InputRejected, NotFound, RuleViolation, UsageError} from '../core/errors.js'
import {importCsv, type ImportResult} from '../csv/import.js'
import {text} from '../csv/fields.js'
import {newId, nowIso, today} from '../core/ids.js'
import {progress} from '../core/progress.js'
import type {Database} from '../store/schema.js'
import {assertTransition} from './states.js'
import {localDateTime, msg, stateName, t as line, ws} from './messages/index.js'
import {writePdf, type PdfBlock} from './pdf.js'
import {eventId, getLaptop, moveLaptop, type Laptop} from './records.js'
import type {LaptopBeneficiariesTable, LaptopSitesTable} from './tables.js'

export type SiteRow = Selectable<LaptopSitesTable>

export async function getSite(db: Kysely<Database>, code: string): Promise<SiteRow> {
  const site = await db.selectFrom('laptop_sites').selectAll().where('code', '=', code).executeTakeFirst()
  if (!site) throw new NotFound(msg('noSite', {site: code}), {actions: [msg('noSiteAction')], data: {site: code}})
  return site
}

/** The convention must be signed and not expired on `day`. */
export function assertConventionActive(site: SiteRow, day: string): void {
  if (site.convention_signed > day) {
    throw new RuleViolation(
      'CONVENTION_NOT_STARTED',
      msg('conventionNotStarted', {convention: site.convention_ref, site: site.code, date: site.convention_signed}),
      {
        actions: [msg('conventionNotStartedAction')],
        data: {site: site.code, signed: site.convention_signed},
      },
    )
  }
  if (site.convention_end < day) {
    throw new RuleViolation(
      'CONVENTION_EXPIRED',
      msg('conventionExpired', {convention: site.convention_ref, site: site.code, date: site.convention_end}),
      {
        actions: [msg('conventionExpiredAction')],
        data: {site: site.code, end: site.convention_end},
      },
    )
  }
}

/** Laptops counted against a site's quota: allocated or handed over (returns free a place). */
async function usedQuota(db: Kysely<Database>, site: string): Promise<number> {
  const r = await db
    .selectFrom('laptops')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('site_code', '=', site)
    .where('state', 'in', ['allocated', 'handed_over'])
    .executeTakeFirst()
  return Number(r?.n ?? 0)
}

export interface SiteListItem extends SiteRow {
  used: number
  remaining: number
  active: boolean
}

export async function listSites(ctx: ServiceContext): Promise<SiteListItem[]> {
  const sites = await ctx.store.db.selectFrom('laptop_sites').selectAll().orderBy('code').execute()
  const day = today()
  const out: SiteListItem[] = []
  for (const s of sites) {
    const used = await usedQuota(ctx.store.db, s.code)
    out.push({...s, used, remaining: Math.max(0, s.quota - used), active: s.convention_signed <= day && s.convention_end >= day})
  }
  return out
}

export interface AllocateResult {
  site: string
  allocated: string[]
  quota: number
  used: number
  remaining: number
}

/**
 * Allocate N ready laptops to a site, all or nothing: refused with an expired convention or
 * beyond the quota. Picks cosmetic grade A first, then B, C, then the oldest ready. With
 * `serials`, exactly those laptops (each must be ready), all or nothing.
 */
export async function allocate(ctx: ServiceContext, opts: {site: string; count?: number; serials?: string[]}): Promise<AllocateResult> {
  const chosen = opts.serials && opts.serials.length > 0
  if (!chosen && (opts.count === undefined || !Number.isInteger(opts.count) || opts.count < 1)) {
    throw new UsageError(opts.count === undefined ? ws('allocateChoose') : msg('countInvalid'), {
      actions: [opts.count === undefined ? ws('allocateChooseAction') : msg('countInvalidAction')],
    })
  }
  return ctx.store.transaction(async (trx) => {
    let picked: Pick<Laptop, 'serial' | 'state'>[]
    if (chosen) picked = await chosenReady(trx, opts.serials!, opts.site)
    else {
      picked = await trx
        .selectFrom('laptops')
        .select(['serial', 'state'])
        .where('state', '=', 'ready')
        .orderBy((eb) => eb.fn.coalesce('grade', eb.val('Z')))
        .orderBy('state_changed_at')
        .orderBy('serial')
        .limit(opts.count!)
        .execute()
    }
    return allocateIn(ctx, trx, opts.site, picked, chosen ? picked.length : opts.count!)
  })
}

/** The laptops named by serial, each ready and named once; otherwise one refusal listing them all. */
async function chosenReady(trx: Kysely<Database>, serials: string[], site: string): Promise<Pick<Laptop, 'serial' | 'state'>[]> {
  const rows = new Map<string, Pick<Laptop, 'serial' | 'state'>>()
  for (let i = 0; i < serials.length; i += 500) {
    for (const l of await trx
      .selectFrom('laptops')
      .select(['serial', 'state'])
      .where('serial', 'in', serials.slice(i, i + 500))
      .execute())
      rows.set(l.serial, l)
  }
  const refused: {serial: string; code: string; message: string}[] = []
  const seen = new Set<string>()
  for (const serial of serials) {
    const l = rows.get(serial)
    if (seen.has(serial)) refused.push({serial, code: 'DUPLICATE_ROW', message: ws('allocateTwice', {serial})})
    else if (!l) refused.push({serial, code: 'NOT_FOUND', message: msg('noLaptop', {serial})})
    else if (l.state !== 'ready') refused.push({serial, code: 'NOT_READY', message: refusalText(serial, l.state)})
    seen.add(serial)
  }
  if (refused.length > 0) {
    throw new RuleViolation(
      'ALLOCATION_REFUSED',
      `${ws('allocateSerialsRefused', {n: refused.length, site})}:\n${refused.map((r) => `  ${r.message}`).join('\n')}`,
      {
        actions: [ws('allocateSerialsRefusedAction')],
        data: {site, refused},
      },
    )
  }
  return serials.map((s) => rows.get(s)!)
}

/** Why a laptop in `state` cannot be allocated: the lifecycle's refusal (it names the path). */
function refusalText(serial: string, state: Laptop['state']): string {
  try {
    assertTransition(serial, state, 'allocated')
  } catch (error) {
    if (error instanceof AlpiError) return error.message
    throw error
  }
  return ws('allocateNotReady', {serial, state: stateName(state)})
}

/** The rules of an allocation (convention, quota, enough laptops), then the move and its audit. */
async function allocateIn(
  ctx: ServiceContext,
  trx: Kysely<Database>,
  siteCode: string,
  picked: Pick<Laptop, 'serial' | 'state'>[],
  asked: number,
): Promise<AllocateResult> {
  const site = await getSite(trx, siteCode)
  assertConventionActive(site, today())
  const used = await usedQuota(trx, site.code)
  if (used + asked > site.quota) {
    const left = site.quota - used
    throw new RuleViolation(
      'QUOTA_EXCEEDED',
      msg('quotaExceeded', {site: site.code, left, convention: site.convention_ref, quota: site.quota, used, asked}),
      {
        actions: [left > 0 ? msg('quotaExceededAction', {left}) : msg('quotaReachedAction')],
        data: {site: site.code, quota: site.quota, used, asked},
      },
    )
  }
  if (picked.length < asked) {
    throw new RuleViolation('NOT_ENOUGH_READY', msg('notEnoughReady', {ready: picked.length, asked, site: site.code}), {
      actions: [msg('notEnoughReadyAction')],
      data: {ready: picked.length, asked},
    })
  }
  await moveMany(ctx, trx, picked, 'allocated', {site_code: site.code}, {site: site.code})
  await audit(ctx, trx, {
    entity: 'laptop_site',
    entityId: site.code,
    action: 'allocate',
    summary: {code: 'laptopsAllocated', params: {n: picked.length, site: site.code}},
    data: {count: picked.length, serials: picked.map((r) => r.serial)},
  })
  return {
    site: site.code,
    allocated: picked.map((r) => r.serial),
    quota: site.quota,
    used: used + picked.length,
    remaining: site.quota - used - picked.length,
  }
}

export interface AllocateFileResult extends ImportResult {
  allocation: AllocateResult | null
}

/**
 * Allocate the laptops a file lists (one serial a row), like an import: an unknown serial, a
 * laptop that is not ready or listed twice goes to the rejects file with its row number
 * (exit 3); the others are allocated in one transaction, within the convention and the quota
 * (beyond it, nothing is allocated).
 */
export async function allocateFromFile(
  ctx: ServiceContext,
  opts: {site: string; file: string; rejectsPath?: string; dryRun?: boolean; repairEncoding?: boolean},
): Promise<AllocateFileResult> {
  const states = new Map((await ctx.store.db.selectFrom('laptops').select(['serial', 'state']).execute()).map((l) => [l.serial, l.state]))
  await getSite(ctx.store.db, opts.site)
  const schema = z.object({serial: text()}).superRefine((v, issue) => {
    const state = states.get(v.serial)
    if (state === undefined)
      issue.addIssue({code: 'custom', path: ['serial'], message: `NOT_FOUND: ${msg('noLaptop', {serial: v.serial})}`})
    else if (state !== 'ready') issue.addIssue({code: 'custom', path: ['serial'], message: `NOT_READY: ${refusalText(v.serial, state)}`})
  })
  let allocation: AllocateResult | null = null
  try {
    const r = await importCsv(ctx, {
      source: opts.file,
      schema,
      rejectsPath: opts.rejectsPath,
      repairEncoding: opts.repairEncoding,
      dryRun: opts.dryRun,
      entity: 'laptop_site',
      key: (v) => v.serial,
      columns: {serial: {aliases: ['numero de serie', 'serial number', 'sn', 'ordinateur'], required: true}},
      upsert: async (trx, rows) => {
        if (rows.length === 0) return {inserted: 0, updated: 0, unchanged: 0}
        const fresh = await chosenReady(
          trx,
          rows.map((row) => row.serial),
          opts.site,
        )
        allocation = await allocateIn(ctx, trx, opts.site, fresh, fresh.length)
        return {inserted: 0, updated: rows.length, unchanged: 0}
      },
    })
    return {...r, allocation}
  } catch (error) {
    if (error instanceof InputRejected) (error.data as AllocateFileResult).allocation = allocation
    throw error
  }
}

/** Batch transition (one UPDATE per chunk, events in bulk): 2000 laptops in one go. */
export async function moveMany(
  ctx: ServiceContext,
  trx: Kysely<Database>,
  laptops: Pick<Laptop, 'serial' | 'state'>[],
  to: Laptop['state'],
  patch: Record<string, unknown>,
  detail?: Record<string, unknown>,
): Promise<void> {
  for (const l of laptops) assertTransition(l.serial, l.state, to)
  const at = nowIso()
  for (let i = 0; i < laptops.length; i += 500) {
    const chunk = laptops.slice(i, i + 500)
    await trx
      .updateTable('laptops')
      .set({...patch, state: to, state_changed_at: at, updated_at: at})
      .where(
        'serial',
        'in',
        chunk.map((l) => l.serial),
      )
      .execute()
  }
  const events = laptops.map((l) => ({
    id: eventId(),
    serial: l.serial,
    at,
    day: at.slice(0, 10),
    from_state: l.state,
    to_state: to,
    actor: ctx.actor,
    detail: detail ? JSON.stringify(detail) : null,
  }))
  for (let i = 0; i < events.length; i += 100)
    await trx
      .insertInto('laptop_events')
      .values(events.slice(i, i + 100))
      .execute()
}

export interface HandoverResult {
  serial: string
  site: string
  beneficiary: string
  handoverId: string
  receipt: string
  handedAt: string
}

type Beneficiary = Selectable<LaptopBeneficiariesTable>

/**
 * The rules of a handover, in one place for one laptop and for a batch: the laptop is
 * allocated and was wiped, the beneficiary has a started training path, belongs to the
 * laptop's site, does not already hold a laptop, and the site's convention is in force.
 */
export function assertHandover(
  laptop: Pick<Laptop, 'serial' | 'state' | 'wipe_certificate_id' | 'site_code'>,
  b: Beneficiary,
  site: SiteRow | undefined,
  day: string,
  held: string | undefined,
): SiteRow {
  assertTransition(laptop.serial, laptop.state, 'handed_over')
  if (!laptop.wipe_certificate_id) {
    throw new RuleViolation('NOT_WIPED', msg('notWiped', {serial: laptop.serial}), {
      actions: [msg('notWipedAction', {serial: laptop.serial})],
    })
  }
  if (!b.training_ref || !b.training_start || b.training_start > day) {
    throw new RuleViolation('NO_ACTIVE_TRAINING', msg('noActiveTraining', {ref: b.ref}), {
      actions: [msg('noActiveTrainingAction')],
      data: {beneficiary: b.ref},
    })
  }
  if (b.site_code !== laptop.site_code) {
    throw new RuleViolation(
      'WRONG_SITE',
      msg('wrongSite', {serial: laptop.serial, laptopSite: String(laptop.site_code), ref: b.ref, site: b.site_code}),
      {
        actions: [msg('wrongSiteAction', {site: b.site_code})],
      },
    )
  }
  if (held) {
    throw new RuleViolation('ALREADY_EQUIPPED', msg('alreadyEquipped', {ref: b.ref, held}), {
      actions: [msg('alreadyEquippedAction', {held})],
      data: {beneficiary: b.ref, laptop: held},
    })
  }
  if (!site) throw new NotFound(msg('noSite', {site: b.site_code}), {actions: [msg('noSiteImportAction')]})
  assertConventionActive(site, day)
  return site
}

function noBeneficiary(ref: string): NotFound {
  return new NotFound(msg('noBeneficiary', {ref}), {actions: [msg('noBeneficiaryAction')]})
}

/** The beneficiary, their site and the laptop they hold now (handed over, not returned), as `db` sees them. */
async function beneficiaryFacts(
  db: Kysely<Database>,
  ref: string,
): Promise<{beneficiary: Beneficiary; site: SiteRow | undefined; held: string | undefined}> {
  const beneficiary = await db.selectFrom('laptop_beneficiaries').selectAll().where('ref', '=', ref).executeTakeFirst()
  if (!beneficiary) throw noBeneficiary(ref)
  const site = await db.selectFrom('laptop_sites').selectAll().where('code', '=', beneficiary.site_code).executeTakeFirst()
  const held = await db
    .selectFrom('laptops')
    .select('serial')
    .where('state', '=', 'handed_over')
    .where('beneficiary_ref', '=', ref)
    .executeTakeFirst()
  return {beneficiary, site, held: held?.serial}
}

function receiptPath(dir: string, serial: string, handedAt: string, id: string): string {
  return safeJoin(dir, `attestation-remise-${fileNamePart(serial)}-${handedAt.slice(0, 10)}-${id.slice(0, 8)}.pdf`)
}

async function writeReceipt(
  ctx: ServiceContext,
  path: string,
  p: {laptop: Laptop; site: SiteRow; beneficiary: Beneficiary; handedAt: string; organisation?: string},
): Promise<void> {
  const organisation = p.organisation ?? "ALPI - Agence Landaise Pour l'Informatique"
  await writePdf(
    path,
    {title: `Attestation de remise ${p.laptop.serial}`, author: p.organisation ?? 'ALPI', date: new Date(p.handedAt)},
    receiptBlocks({...p, organisation, technician: ctx.actor}),
  )
}

/** The records of one handover, in the caller's transaction (the laptop is read again there). */
async function recordHandover(ctx: ServiceContext, trx: Kysely<Database>, h: HandoverResult): Promise<void> {
  const fresh = await getLaptop(trx, h.serial)
  // the rules again, on what the transaction sees (another technician may have acted meanwhile)
  const f = await beneficiaryFacts(trx, h.beneficiary)
  assertHandover(fresh, f.beneficiary, f.site, today(), f.held)
  await moveLaptop(ctx, trx, fresh, 'handed_over', {beneficiary_ref: h.beneficiary}, {handover: h.handoverId})
  await trx
    .insertInto('laptop_handovers')
    .values({
      id: h.handoverId,
      serial: h.serial,
      site_code: h.site,
      beneficiary_ref: h.beneficiary,
      handed_at: h.handedAt,
      receipt_path: h.receipt,
      returned_at: null,
    })
    .execute()
  await audit(ctx, trx, {
    entity: 'laptop',
    entityId: h.serial,
    action: 'handover',
    summary: {code: 'laptopHandedOver', params: {site: h.site}},
    data: {handover: h.handoverId, site: h.site},
  })
}

/**
 * Hand an allocated laptop to a beneficiary of the same site (rules: assertHandover). Writes
 * the "attestation de remise" PDF first, then the records; the PDF is removed if they fail.
 */
export async function handover(
  ctx: ServiceContext,
  opts: {serial: string; beneficiary: string; outDir: string; organisation?: string},
): Promise<HandoverResult> {
  const db = ctx.store.db
  const laptop = await getLaptop(db, opts.serial)
  assertTransition(laptop.serial, laptop.state, 'handed_over')
  const {beneficiary: b, site: siteRow, held} = await beneficiaryFacts(db, opts.beneficiary)
  const site = assertHandover(laptop, b, siteRow, today(), held)
  const handedAt = nowIso()
  const dir = ensureDir(opts.outDir, {private: true})
  const h: HandoverResult = {serial: laptop.serial, site: site.code, beneficiary: b.ref, handoverId: newId(), receipt: '', handedAt}
  h.receipt = receiptPath(dir, laptop.serial, handedAt, h.handoverId)
  await writeReceipt(ctx, h.receipt, {laptop, site, beneficiary: b, handedAt, organisation: opts.organisation})
  try {
    await ctx.store.transaction((trx) => recordHandover(ctx, trx, h))
  } catch (error) {
    rmSync(h.receipt, {force: true})
    throw error
  }
  return h
}

export interface HandoverBatchResult extends ImportResult {
  handovers: HandoverResult[]
}

/**
 * A distribution day at a site, from a CSV (laptop serial; beneficiary reference): every row
 * is checked with the rules of one handover (and a laptop or a person twice in the file is
 * rejected), like an import: rejected rows are listed with their row numbers in the rejects
 * file (exit 3) and the others are handed over. The receipts are written before the
 * transaction (the store is not locked while they are drawn) and removed if it fails.
 */
export async function handoverBatch(
  ctx: ServiceContext,
  opts: {file: string; outDir: string; organisation?: string; rejectsPath?: string; dryRun?: boolean; repairEncoding?: boolean},
): Promise<HandoverBatchResult> {
  const db = ctx.store.db
  const laptops = new Map(
    (await db.selectFrom('laptops').select(['serial', 'state', 'wipe_certificate_id', 'site_code']).execute()).map((l) => [l.serial, l]),
  )
  const beneficiaries = new Map((await db.selectFrom('laptop_beneficiaries').selectAll().execute()).map((b) => [b.ref, b]))
  const sites = new Map((await db.selectFrom('laptop_sites').selectAll().execute()).map((s) => [s.code, s]))
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
  const day = today()
  const seenBeneficiary = new Map<string, string>()
  const seenSerial = new Set<string>()
  const schema = z.object({serial: text(), beneficiary: text()}).superRefine((v, issue) => {
    const fail = (path: 'serial' | 'beneficiary', e: unknown) => {
      if (!(e instanceof AlpiError)) throw e
      issue.addIssue({code: 'custom', path: [path], message: `${e.code}: ${e.message}`})
    }
    const laptop = laptops.get(v.serial)
    if (!laptop) return fail('serial', new NotFound(msg('noLaptop', {serial: v.serial})))
    const b = beneficiaries.get(v.beneficiary)
    if (!b) return fail('beneficiary', noBeneficiary(v.beneficiary))
    // only rows that pass every check count as given (a refused row gives nothing)
    if (seenSerial.has(v.serial)) return fail('serial', new RuleViolation('DUPLICATE_ROW', msg('laptopTwiceInFile', {serial: v.serial})))
    const twice = seenBeneficiary.get(b.ref)
    if (twice !== undefined)
      return fail('beneficiary', new RuleViolation('ALREADY_EQUIPPED', msg('alreadyEquippedInFile', {ref: b.ref, held: twice})))
    try {
      assertHandover(laptop, b, sites.get(b.site_code), day, held.get(b.ref))
    } catch (error) {
      return fail(error instanceof RuleViolation && error.code === 'LAPTOP_TRANSITION_REFUSED' ? 'serial' : 'beneficiary', error)
    }
    seenSerial.add(v.serial)
    seenBeneficiary.set(b.ref, v.serial)
  })
  const handedAt = nowIso()
  const dir = resolve(opts.outDir)
  const planned: HandoverResult[] = []
  try {
    const r = await importCsv(ctx, {
      source: opts.file,
      schema,
      rejectsPath: opts.rejectsPath,
      repairEncoding: opts.repairEncoding,
      dryRun: opts.dryRun,
      entity: 'laptop_handover',
      key: (v) => v.serial,
      columns: {
        serial: {aliases: ['numero de serie', 'serial number', 'sn', 'ordinateur'], required: true},
        beneficiary: {aliases: ['beneficiaire', 'reference beneficiaire', 'ref beneficiaire', 'ref'], required: true},
      },
      prepare: async (rows) => {
        ensureDir(dir, {private: true})
        const tick = progress(ctx.out, {label: line('progressReceipts'), total: rows.length, unit: 'items'})
        for (const row of rows) {
          if (ctx.signal.aborted) throw new Cancelled(msg('receiptsInterrupted'))
          const laptop = await getLaptop(db, row.serial)
          const b = beneficiaries.get(row.beneficiary)!
          const h: HandoverResult = {
            serial: laptop.serial,
            site: b.site_code,
            beneficiary: b.ref,
            handoverId: newId(),
            receipt: '',
            handedAt,
          }
          h.receipt = receiptPath(dir, laptop.serial, handedAt, h.handoverId)
          planned.push(h)
          await writeReceipt(ctx, h.receipt, {
            laptop,
            site: sites.get(b.site_code)!,
            beneficiary: b,
            handedAt,
            organisation: opts.organisation,
          })
          tick(planned.length)
        }
      },
      upsert: async (trx, rows) => {
        for (const h of planned) await recordHandover(ctx, trx, h)
        return {inserted: rows.length, updated: 0, unchanged: 0}
      },
    })
    return {...r, handovers: planned}
  } catch (error) {
    if (error instanceof InputRejected) {
      // the accepted rows were handed over (the transaction committed): keep their receipts
      ;(error.data as HandoverBatchResult).handovers = planned
      throw error
    }
    for (const h of planned) rmSync(h.receipt, {force: true})
    throw error
  }
}

function receiptBlocks(p: {
  laptop: Laptop
  site: SiteRow
  beneficiary: Beneficiary
  handedAt: string
  organisation: string
  technician: string
}): PdfBlock[] {
  const l = p.laptop
  return [
    {kind: 'title', text: "ATTESTATION DE REMISE D'UN ORDINATEUR PORTABLE RECONDITIONNÉ"},
    {
      kind: 'text',
      text: `${p.organisation}, atelier de reconditionnement de Saint-Paul-lès-Dax, remet ce jour l'ordinateur portable décrit ci-dessous, dans le cadre de la convention ${p.site.convention_ref} signée avec le lieu de médiation numérique « ${p.site.name} ».`,
    },
    {kind: 'heading', text: 'Matériel'},
    {
      kind: 'fields',
      fields: [
        ['Numéro de série', l.serial],
        ['Fabricant', l.maker ?? ''],
        ['Modèle', l.model ?? ''],
        ["Numéro d'inventaire", l.asset_tag ?? ''],
        ['Grade esthétique', l.grade ?? ''],
        ['Image installée', l.image_name ?? ''],
        ["Certificat d'effacement", l.wipe_certificate_id ?? ''],
      ],
    },
    {kind: 'heading', text: 'Bénéficiaire'},
    {
      kind: 'fields',
      fields: [
        ['Nom', p.beneficiary.name],
        ['Commune', p.beneficiary.commune],
        [
          'Parcours de formation',
          `${p.beneficiary.training_ref ?? ''}${p.beneficiary.training_start ? ` (débuté le ${frDate(p.beneficiary.training_start)})` : ''}`,
        ],
      ],
    },
    {kind: 'heading', text: 'Lieu de remise'},
    {
      kind: 'fields',
      fields: [
        ['Lieu de médiation numérique', `${p.site.name} (${p.site.code})`],
        ['Convention', p.site.convention_ref],
        ['Commune', p.site.commune ?? ''],
        ['Date de remise', frDate(p.handedAt)],
        ['Technicien', p.technician],
      ],
    },
    {kind: 'heading', text: 'Conditions'},
    {
      kind: 'text',
      text: `Don gratuit : ce matériel informatique est cédé à titre gratuit, en application de l'article L.3212-2 du code général de la propriété des personnes publiques (CG3P). Sa valeur unitaire est inférieure ou égale à ${frEuros(300_00)}. Il ne peut être revendu.`,
    },
    {
      kind: 'text',
      text: "Le matériel a été reconditionné : toutes ses fonctions ont été testées et toutes les données de l'utilisateur précédent ont été effacées (décret n° 2022-190), selon un effacement vérifié conforme à la norme NIST SP 800-88.",
    },
    {
      kind: 'text',
      text: "Le bénéficiaire reconnaît avoir reçu le matériel en état de fonctionnement et s'engage à suivre le parcours de formation aux usages numériques proposé par le lieu de médiation numérique.",
    },
    {kind: 'signatures', signatures: ['Le bénéficiaire', `Pour ${p.site.name}`, "Pour l'ALPI"]},
    {kind: 'small', text: `Remise ${p.laptop.serial} - ${frDateTime(p.handedAt)} (heure de Paris)`},
  ]
}

export interface ReturnResult {
  serial: string
  from: string
  state: 'returned'
}

/** A laptop comes back (from a beneficiary or a site): back to diagnosis, quota place freed. */
export async function returnLaptop(ctx: ServiceContext, opts: {serial: string; reason?: string}): Promise<ReturnResult> {
  return ctx.store.transaction(async (trx) => {
    const laptop = await getLaptop(trx, opts.serial)
    if (laptop.state === 'returned') {
      throw new RuleViolation(
        'ALREADY_RETURNED',
        ws('alreadyReturned', {serial: laptop.serial, at: localDateTime(laptop.state_changed_at)}),
        {actions: [ws('alreadyReturnedAction', {serial: laptop.serial})], data: {serial: laptop.serial, since: laptop.state_changed_at}},
      )
    }
    await moveLaptop(
      ctx,
      trx,
      laptop,
      'returned',
      {site_code: null, beneficiary_ref: null},
      {reason: opts.reason ?? null, site: laptop.site_code},
    )
    await trx
      .updateTable('laptop_handovers')
      .set({returned_at: nowIso()})
      .where('serial', '=', laptop.serial)
      .where('returned_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .execute()
    await audit(ctx, trx, {
      entity: 'laptop',
      entityId: laptop.serial,
      action: 'return',
      summary: {code: 'laptopReturned', params: {from: laptop.state}},
      data: {site: laptop.site_code},
    })
    return {serial: laptop.serial, from: laptop.state, state: 'returned' as const}
  })
}

export interface PurgeResult {
  olderThanDays: number
  cutoff: string
  purged: number
}

/**
 * Retention: delete beneficiaries whose record (and last handover) is older than N days.
 * Handovers stay (serial, site, date) with the beneficiary reference removed.
 */
export async function purgeBeneficiaries(ctx: ServiceContext, opts: {olderThanDays: number}): Promise<PurgeResult> {
  if (!Number.isInteger(opts.olderThanDays) || opts.olderThanDays < 1)
    throw new UsageError(msg('olderThanInvalid'), {actions: [msg('olderThanInvalidAction')]})
  const cutoff = new Date(Date.parse(nowIso()) - opts.olderThanDays * 86_400_000).toISOString()
  return ctx.store.transaction(async (trx) => {
    const candidates = await trx.selectFrom('laptop_beneficiaries').select('ref').where('updated_at', '<', cutoff).execute()
    const recent = new Set(
      (
        await trx
          .selectFrom('laptop_handovers')
          .select('beneficiary_ref')
          .where('handed_at', '>=', cutoff)
          .where('beneficiary_ref', 'is not', null)
          .execute()
      ).map((r) => r.beneficiary_ref),
    )
    const refs = candidates.map((c) => c.ref).filter((r) => !recent.has(r))
    for (let i = 0; i < refs.length; i += 500) {
      const chunk = refs.slice(i, i + 500)
      await trx.updateTable('laptop_handovers').set({beneficiary_ref: null}).where('beneficiary_ref', 'in', chunk).execute()
      await trx.updateTable('laptops').set({beneficiary_ref: null}).where('beneficiary_ref', 'in', chunk).execute()
      await trx.deleteFrom('laptop_beneficiaries').where('ref', 'in', chunk).execute()
    }
    await audit(ctx, trx, {
      entity: 'laptop_beneficiary',
      action: 'purge',
      summary: {code: 'beneficiariesPurged', params: {n: refs.length, days: opts.olderThanDays}},
      data: {count: refs.length, cutoff},
    })
    return {olderThanDays: opts.olderThanDays, cutoff, purged: refs.length}
  })
}
