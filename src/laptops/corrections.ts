import type {Kysely} from 'kysely'
import {audit, type ServiceContext} from '../context/service-context.js'
import {NotFound, RuleViolation, UsageError} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import type {Database} from '../store/schema.js'
import {laptopsConfig} from './config.js'
import {judge, type Finding, type Verdict} from './grade.js'
import {ACTION_COMMAND, LIFECYCLE, type CorrectionAction, type LaptopState} from './states.js'
import {msg, stateName, ws} from './messages/index.js'
import {COSMETIC_GRADES, type CosmeticGrade} from './model.js'
import type {ProbeSnapshot} from './probe-parse.js'
import {getLaptop, moveLaptop, type Laptop} from './records.js'
import type {LaptopsTable} from './tables.js'

/**
 * Corrections: a mistake or new evidence moves a laptop back, through the lifecycle's
 * correction transitions (src/laptops/lifecycle.ts), always with a reason, an event and an
 * audit entry in one transaction. A refusal names what to run instead.
 */
export type Correction = 'regrade' | 'rewipe' | 'unallocate' | 'cancel-handover' | 'lost' | 'found'

export interface CorrectionResult {
  serial: string
  correction: Correction
  from: LaptopState
  to: LaptopState
  reason: string
  /** regrade: the new verdict and its findings */
  verdict?: Verdict
  findings?: Finding[]
  /** cancel-handover: the handover cancelled */
  handover?: string
  kind?: 'lost' | 'stolen'
}

function requireReason(reason: string | undefined): string {
  const r = reason?.trim()
  if (!r) throw new UsageError(ws('reasonRequired'), {actions: [ws('reasonRequiredAction')]})
  return r
}

const ACTION_OF: Record<Correction, CorrectionAction> = {
  regrade: 'regrade',
  rewipe: 'rewipe',
  unallocate: 'unallocate',
  'cancel-handover': 'cancel_handover',
  lost: 'lost',
  found: 'found',
}

/** The states a correction applies to (a diagnosed laptop is re-graded by the grade's own moves). */
export function correctionFrom(correction: Correction): LaptopState[] {
  const from = new Set(LIFECYCLE.moves.filter((t) => t.action === ACTION_OF[correction]).map((t) => t.from))
  if (correction === 'regrade') from.add('diagnosed')
  return [...from]
}

/** What to run instead when a correction does not apply to the laptop's state. */
function instead(correction: Correction, l: Laptop): string {
  if (correction === 'rewipe' && (l.state === 'diagnosed' || l.state === 'wiped'))
    return ws('insteadWipe', {command: ACTION_COMMAND.wipe.replace('SERIAL', l.serial)})
  if (correction === 'unallocate' && l.state === 'handed_over') return ws('notUnallocatableHanded', {serial: l.serial})
  if (correction === 'regrade' && (l.state === 'received' || l.state === 'on_hold' || l.state === 'returned'))
    return ws('insteadGrade', {serial: l.serial})
  if (correction === 'regrade' && (l.state === 'wiped' || l.state === 'imaged')) return ws('insteadRegradeLater', {serial: l.serial})
  if (correction === 'cancel-handover' && l.state === 'returned') return ws('insteadGrade', {serial: l.serial})
  return msg('transitionNeverCheck', {serial: l.serial})
}

/** One correction in one transaction: the laptop read afresh, the rule, the move, the audit. */
async function correct(
  ctx: ServiceContext,
  serial: string,
  correction: Correction,
  reason: string | undefined,
  plan: (
    trx: Kysely<Database>,
    laptop: Laptop,
  ) => Promise<{to: LaptopState; patch?: Partial<Omit<LaptopsTable, 'serial' | 'state'>>; extra?: Partial<CorrectionResult>}>,
): Promise<CorrectionResult> {
  const why = requireReason(reason)
  return ctx.store.transaction(async (trx) => {
    const laptop = await getLaptop(trx, serial)
    const from = correctionFrom(correction)
    if (!from.includes(laptop.state)) {
      throw new RuleViolation(
        'CORRECTION_REFUSED',
        ws('correctionFrom', {
          serial: laptop.serial,
          state: stateName(laptop.state),
          correction,
          states: from.map((st) => stateName(st)).join(', '),
        }),
        {
          actions: [instead(correction, laptop)],
          data: {serial: laptop.serial, state: laptop.state, correction, appliesTo: from},
        },
      )
    }
    const {to, patch, extra} = await plan(trx, laptop)
    const detail = {
      correction,
      reason: why,
      ...(extra?.kind ? {kind: extra.kind} : {}),
      ...(extra?.handover ? {handover: extra.handover} : {}),
    }
    await moveLaptop(ctx, trx, laptop, to, patch, detail)
    // the reason is free text a technician typed: it goes to the event (shown by `show`), and
    // the journal says which correction, from and to (no personal data by construction)
    await audit(ctx, trx, {
      entity: 'laptop',
      entityId: laptop.serial,
      action: `correct-${correction}`,
      summary: {code: 'laptopCorrected', params: {correction, from: laptop.state, to}},
      data: {...detail, from: laptop.state, to},
    })
    return {serial: laptop.serial, correction, from: laptop.state, to, reason: why, ...extra}
  })
}

/** New evidence on a diagnosed or ready laptop: the verdict again from its snapshot and the cosmetic grade given. */
export function regrade(ctx: ServiceContext, opts: {serial: string; cosmetic: string; reason?: string}): Promise<CorrectionResult> {
  const cosmetic = opts.cosmetic.toUpperCase() as CosmeticGrade
  if (!COSMETIC_GRADES.includes(cosmetic))
    throw new UsageError(msg('cosmeticInvalid', {grade: opts.cosmetic}), {actions: [msg('cosmeticInvalidAction')]})
  return correct(ctx, opts.serial, 'regrade', opts.reason, async (_trx, l) => {
    if (!l.snapshot)
      throw new RuleViolation('NO_SNAPSHOT', msg('noSnapshot', {serial: l.serial}), {
        actions: [msg('noSnapshotAction', {serial: l.serial})],
      })
    const v = judge(JSON.parse(l.snapshot) as ProbeSnapshot, cosmetic, laptopsConfig.read(ctx.config).grading)
    // a ready laptop still judged ready stays ready (wiped and imaged): only its grade changes
    const to: LaptopState = v.verdict === 'scrap' ? 'scrapped' : v.verdict === 'needs_part' ? 'on_hold' : l.state
    return {
      to,
      patch: {grade: cosmetic, verdict: v.verdict, verdict_reasons: JSON.stringify(v.findings)},
      extra: {verdict: v.verdict, findings: v.findings},
    }
  })
}

/** An imaged or ready laptop to wipe again: back to diagnosed, its image and certificate no longer count. */
export function rewipe(ctx: ServiceContext, opts: {serial: string; reason?: string}): Promise<CorrectionResult> {
  return correct(ctx, opts.serial, 'rewipe', opts.reason, async () => ({
    to: 'diagnosed',
    patch: {image_name: null, image_sha256: null, wipe_certificate_id: null},
  }))
}

/** An allocation made by mistake: the laptop is ready again, its site's quota place freed. */
export function unallocate(ctx: ServiceContext, opts: {serial: string; reason?: string}): Promise<CorrectionResult> {
  return correct(ctx, opts.serial, 'unallocate', opts.reason, async () => ({to: 'ready', patch: {site_code: null}}))
}

/**
 * A handover made by mistake (wrong laptop, wrong person), within the configured window
 * (laptops.handoverCancelHours, default 48): the laptop is allocated again to its site, the
 * handover stays with `cancelled_at`. Later, the laptop comes back through `return`.
 */
export function cancelHandover(ctx: ServiceContext, opts: {serial: string; reason?: string}): Promise<CorrectionResult> {
  const window = laptopsConfig.read(ctx.config).handoverCancelHours
  return correct(ctx, opts.serial, 'cancel-handover', opts.reason, async (trx, l) => {
    const h = await trx
      .selectFrom('laptop_handovers')
      .select(['id', 'handed_at'])
      .where('serial', '=', l.serial)
      .where('returned_at', 'is', null)
      .where('cancelled_at', 'is', null)
      .orderBy('handed_at', 'desc')
      .executeTakeFirst()
    if (!h) throw new NotFound(ws('cancelNoHandover', {serial: l.serial}), {data: {serial: l.serial}})
    const hours = Math.floor((Date.parse(nowIso()) - Date.parse(h.handed_at)) / 3_600_000)
    if (hours >= window) {
      throw new RuleViolation('CANCEL_WINDOW_PASSED', ws('cancelTooLate', {serial: l.serial, hours, window}), {
        actions: [ws('cancelTooLateAction', {serial: l.serial})],
        data: {serial: l.serial, handover: h.id, hours, window},
      })
    }
    await trx.updateTable('laptop_handovers').set({cancelled_at: nowIso()}).where('id', '=', h.id).execute()
    return {to: 'allocated', patch: {beneficiary_ref: null}, extra: {handover: h.id}}
  })
}

/** A laptop lost or stolen (from any state but scrapped): out of the stock and of its site's quota. */
export function markLost(ctx: ServiceContext, opts: {serial: string; kind: string; reason?: string}): Promise<CorrectionResult> {
  if (opts.kind !== 'lost' && opts.kind !== 'stolen') throw new UsageError(ws('lostKind'))
  const kind = opts.kind
  return correct(ctx, opts.serial, 'lost', opts.reason, async (trx, l) => {
    if (l.state === 'handed_over')
      await trx
        .updateTable('laptop_handovers')
        .set({returned_at: nowIso()})
        .where('serial', '=', l.serial)
        .where('returned_at', 'is', null)
        .where('cancelled_at', 'is', null)
        .execute()
    return {to: 'lost', patch: {site_code: null, beneficiary_ref: null}, extra: {kind}}
  })
}

/** A lost laptop found again: it is returned, to be graded (and wiped) again. */
export function markFound(ctx: ServiceContext, opts: {serial: string; reason?: string}): Promise<CorrectionResult> {
  return correct(ctx, opts.serial, 'found', opts.reason, async () => ({to: 'returned'}))
}
