import type {Kysely} from 'kysely'
import {z} from 'zod'
import {audit, type ServiceContext} from '../context/service-context.js'
import {text} from '../csv/fields.js'
import {importCsv, type ImportResult} from '../csv/index.js'
import type {Database} from '../store/schema.js'
import {AlpiError, InputRejected, NotFound, RuleViolation, UsageError} from '../core/errors.js'
import type {GradingThresholds} from './config.js'
import {laptopsConfig} from './config.js'
import {assertTransition, type LaptopState} from './states.js'
import {msg, storedCode, type StoredText} from './messages/index.js'
import {COSMETIC_GRADES, type CosmeticGrade} from './model.js'
import type {ProbeSnapshot} from './probe-parse.js'
import {getLaptop, moveLaptop} from './records.js'

export type Verdict = 'ready' | 'needs_part' | 'scrap'

/** The journal's summary of a grading, per verdict. */
const GRADED = {ready: 'laptopGradedReady', needs_part: 'laptopGradedNeedsPart', scrap: 'laptopGradedScrap'} as const

/** A reason of a verdict, kept in the store as a code and its params (told with showStored). */
export interface Finding {
  part: 'battery' | 'disk' | 'ram' | 'body'
  reason: StoredText
}

export interface GradeVerdict {
  verdict: Verdict
  findings: Finding[]
  batteryHealthPct: number | null
  ramGiB: number
}

/**
 * Functional verdict from the probe snapshot (battery wear, SMART early warnings, NVMe
 * health, RAM, disk size) and the cosmetic grade (A/B/C, which only describes the look).
 */
export function judge(snapshot: ProbeSnapshot, cosmetic: CosmeticGrade, th: GradingThresholds): GradeVerdict {
  const findings: Finding[] = []
  const bat = snapshot.batteries[0]
  if (!bat) {
    if (th.batteryRequired) findings.push({part: 'battery', reason: storedCode('gradeNoBattery')})
  } else if (bat.healthPct === null) {
    findings.push({part: 'battery', reason: storedCode('gradeNoDesign', {battery: bat.name})})
  } else if (bat.healthPct < th.batteryMinHealthPct) {
    findings.push({part: 'battery', reason: storedCode('gradeBatteryWorn', {pct: bat.healthPct, min: th.batteryMinHealthPct})})
  }
  const internal = snapshot.disks.filter((d) => !d.removable)
  if (internal.length === 0) findings.push({part: 'disk', reason: storedCode('gradeNoDisk')})
  for (const d of internal) {
    const s = d.smart
    const name = `${d.path} (${d.model ?? 'disk'})`
    if (d.sizeBytes < th.minDiskGB * 1e9)
      findings.push({
        part: 'disk',
        reason: storedCode('gradeDiskSmall', {disk: name, gb: Math.round(d.sizeBytes / 1e9), min: th.minDiskGB}),
      })
    if (!s) {
      findings.push({part: 'disk', reason: storedCode('gradeNoSmart', {disk: name})})
      continue
    }
    if (s.passed === false) findings.push({part: 'disk', reason: storedCode('gradeSmartFailed', {disk: name})})
    if (s.protocol === 'ATA') {
      if ((s.reallocated ?? 0) > th.maxReallocated)
        findings.push({part: 'disk', reason: storedCode('gradeReallocated', {disk: name, n: s.reallocated ?? 0})})
      if ((s.pending ?? 0) > th.maxPending)
        findings.push({part: 'disk', reason: storedCode('gradePending', {disk: name, n: s.pending ?? 0})})
      if ((s.offlineUncorrectable ?? 0) > th.maxOfflineUncorrectable)
        findings.push({part: 'disk', reason: storedCode('gradeOfflineUncorrectable', {disk: name, n: s.offlineUncorrectable ?? 0})})
    }
    if (s.protocol === 'NVMe') {
      if ((s.criticalWarning ?? 0) !== 0)
        findings.push({
          part: 'disk',
          reason: storedCode('gradeNvmeCritical', {disk: name, code: `0x${(s.criticalWarning ?? 0).toString(16)}`}),
        })
      if (
        s.availableSpare !== null &&
        s.availableSpare !== undefined &&
        s.availableSpareThreshold !== null &&
        s.availableSpareThreshold !== undefined &&
        s.availableSpare < s.availableSpareThreshold
      )
        findings.push({
          part: 'disk',
          reason: storedCode('gradeNvmeSpare', {disk: name, spare: s.availableSpare, threshold: s.availableSpareThreshold}),
        })
      if ((s.percentageUsed ?? 0) >= th.nvmeMaxPercentageUsed)
        findings.push({part: 'disk', reason: storedCode('gradeNvmeWorn', {disk: name, pct: s.percentageUsed ?? 0})})
      if ((s.mediaErrors ?? 0) > th.nvmeMaxMediaErrors)
        findings.push({part: 'disk', reason: storedCode('gradeNvmeMediaErrors', {disk: name, n: s.mediaErrors ?? 0})})
    }
  }
  const ramGiB = Math.round((snapshot.system.ramBytes / 1024 ** 3) * 10) / 10
  if (ramGiB < th.minRamGiB) findings.push({part: 'ram', reason: storedCode('gradeRamLow', {gib: ramGiB, min: th.minRamGiB})})
  const parts = new Set(findings.map((f) => f.part))
  let verdict: Verdict = findings.length === 0 ? 'ready' : 'needs_part'
  if (parts.size >= th.scrapWhenPartsAtLeast) verdict = 'scrap'
  // a C body with a part to change is not worth the part
  if (cosmetic === 'C' && verdict === 'needs_part') {
    verdict = 'scrap'
    findings.push({part: 'body', reason: storedCode('gradeBodyC')})
  }
  return {verdict, findings, batteryHealthPct: bat?.healthPct ?? null, ramGiB}
}

const STATE_FOR: Record<Verdict, LaptopState> = {ready: 'diagnosed', needs_part: 'on_hold', scrap: 'scrapped'}

export interface GradeResult extends GradeVerdict {
  serial: string
  cosmetic: CosmeticGrade
  from: LaptopState
  state: LaptopState
}

/** `laptops grade SERIAL`: verdict from the stored snapshot, state moved accordingly. */
export async function gradeLaptop(ctx: ServiceContext, opts: {serial: string; cosmetic: string}): Promise<GradeResult> {
  const cosmetic = opts.cosmetic.toUpperCase() as CosmeticGrade
  if (!COSMETIC_GRADES.includes(cosmetic))
    throw new UsageError(msg('cosmeticInvalid', {grade: opts.cosmetic}), {actions: [msg('cosmeticInvalidAction')]})
  const th = laptopsConfig.read(ctx.config).grading
  return ctx.store.transaction((trx) => gradeIn(ctx, trx, opts.serial, cosmetic, th))
}

export interface GradeSheetResult extends ImportResult {
  /** Laptops graded per verdict (the rejected rows are not counted). */
  verdicts: Record<Verdict, number>
}

/**
 * A bench sheet (serial; cosmetic grade A/B/C), like an import: every row is checked with the
 * rules of one grade (the laptop is recorded, probed, and its lifecycle allows the verdict's
 * state); a refused row goes to the rejects file with its row number and reason, the others
 * are graded in one transaction, then InputRejected (exit 3) whose data holds the verdicts too.
 */
export async function gradeSheet(
  ctx: ServiceContext,
  opts: {file: string; rejectsPath?: string; repairEncoding?: boolean; dryRun?: boolean},
): Promise<GradeSheetResult> {
  const th = laptopsConfig.read(ctx.config).grading
  const laptops = new Map(
    (await ctx.store.db.selectFrom('laptops').select(['serial', 'state', 'snapshot']).execute()).map((l) => [l.serial, l]),
  )
  const verdicts: Record<Verdict, number> = {ready: 0, needs_part: 0, scrap: 0}
  const schema = z
    .object({
      serial: text(),
      cosmetic: text()
        .transform((s) => s.toUpperCase())
        .pipe(z.enum(COSMETIC_GRADES, {error: () => msg('cosmeticChoices')})),
    })
    .superRefine((v, issue) => {
      const refuse = (e: AlpiError) => issue.addIssue({code: 'custom', path: ['serial'], message: `${e.code}: ${e.message}`})
      const laptop = laptops.get(v.serial)
      if (!laptop) return refuse(new NotFound(msg('noLaptop', {serial: v.serial})))
      if (!laptop.snapshot) return refuse(new RuleViolation('NO_SNAPSHOT', msg('noSnapshot', {serial: v.serial})))
      const verdict = judge(JSON.parse(laptop.snapshot) as ProbeSnapshot, v.cosmetic, th).verdict
      try {
        assertTransition(laptop.serial, laptop.state, STATE_FOR[verdict])
      } catch (error) {
        if (!(error instanceof AlpiError)) throw error
        refuse(error)
      }
    })
  try {
    const r = await importCsv(ctx, {
      source: opts.file,
      schema,
      rejectsPath: opts.rejectsPath,
      repairEncoding: opts.repairEncoding,
      dryRun: opts.dryRun,
      entity: 'laptop',
      key: (v) => v.serial,
      columns: {
        serial: {aliases: ['numero de serie', 'serial number', 'sn'], required: true},
        cosmetic: {aliases: ['grade', 'esthetique', 'grade esthetique', 'cosmetic grade'], required: true},
      },
      upsert: async (trx, rows) => {
        // the rules again inside the transaction (gradeIn reads each laptop afresh)
        for (const row of rows) verdicts[(await gradeIn(ctx, trx, row.serial, row.cosmetic, th, false)).verdict]++
        return {inserted: 0, updated: rows.length, unchanged: 0}
      },
    })
    return {...r, verdicts}
  } catch (error) {
    // rows were rejected, the others graded (committed): the error's data is the whole result
    if (error instanceof InputRejected) (error.data as GradeSheetResult).verdicts = verdicts
    throw error
  }
}

async function gradeIn(
  ctx: ServiceContext,
  trx: Kysely<Database>,
  serial: string,
  cosmetic: CosmeticGrade,
  th: GradingThresholds,
  withAudit = true,
): Promise<GradeResult> {
  {
    const laptop = await getLaptop(trx, serial)
    if (!laptop.snapshot) {
      throw new RuleViolation('NO_SNAPSHOT', msg('noSnapshot', {serial: laptop.serial}), {
        actions: [msg('noSnapshotAction', {serial: laptop.serial})],
      })
    }
    const v = judge(JSON.parse(laptop.snapshot) as ProbeSnapshot, cosmetic, th)
    const to = STATE_FOR[v.verdict]
    await moveLaptop(
      ctx,
      trx,
      laptop,
      to,
      {grade: cosmetic, verdict: v.verdict, verdict_reasons: JSON.stringify(v.findings)},
      {verdict: v.verdict, parts: [...new Set(v.findings.map((f) => f.part))]},
    )
    if (withAudit)
      await audit(ctx, trx, {
        entity: 'laptop',
        entityId: laptop.serial,
        action: 'grade',
        summary: {code: GRADED[v.verdict], params: {cosmetic}},
        data: {verdict: v.verdict, cosmetic, findings: v.findings.length},
      })
    return {serial: laptop.serial, cosmetic, from: laptop.state, state: to, ...v}
  }
}
