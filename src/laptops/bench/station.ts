import {existsSync} from 'node:fs'
import {join} from 'node:path'
import type {ServiceContext} from '../../context/service-context.js'
import {AlpiError, toAlpiError} from '../../core/errors.js'
import type {Output} from '../../core/output.js'
import {laptopsConfig} from '../config.js'
import {disksToWrite} from '../devices.js'
import {gradeLaptop} from '../grade.js'
import {labelsFor, labelsPdf, labelZpl, sendZpl} from '../labels.js'
import {bt, msg, partName, stateName, storedCode} from '../messages/index.js'
import {COSMETIC_GRADES, type CosmeticGrade} from '../model.js'
import {probe, type ProbeOptions} from '../probe.js'
import {moveAndAudit, type Laptop} from '../records.js'
import {reimage} from '../reimage.js'
import {wipe} from '../wipe.js'
import {writeFileAtomic} from '../../core/fs.js'
import {
  beat,
  claimLaptop,
  markInterrupted,
  openJobs,
  releaseLaptop,
  updateJob,
  type BenchJob,
  type JobStatus,
  type JobStep,
} from './jobs.js'

/**
 * The bench station's engine, free of any terminal: a technician (or a barcode scanner acting
 * as a keyboard) feeds it keys and lines; it identifies the laptop, probes it with the probe
 * service, runs the functional checklist and the cosmetic grade, then starts the wipe and the
 * reimage (the existing services) in the background on the dock bay that holds the laptop's
 * disk, and is ready for the next laptop at once. Every job is a row of laptop_bench_jobs:
 * a station reopened after a crash resumes them from the laptop's lifecycle state (diagnosed:
 * wipe again from the start; wiped: reimage again; ready: done), which is always safe.
 */
export const CHECKS = ['keyboard', 'screen', 'webcam', 'wifi', 'sound', 'battery', 'ports'] as const
export type CheckName = (typeof CHECKS)[number]

const PASS_KEYS = new Set(['\r', '\n', ' ', 'o', 'O', 'y', 'Y', 'p', 'P'])
const FAIL_KEYS = new Set(['n', 'N', 'f', 'F', 'x', 'X'])

export type ProbeSource =
  {kind: 'local'} | {kind: 'ssh'; ssh: NonNullable<ProbeOptions['ssh']>} | {kind: 'dir'; dir: string} | {kind: 'stored'}

export interface StationOptions {
  station: string
  image: string
  /** the devices this station may write to (its dock bays): nothing else is ever touched */
  bays: string[]
  probe: ProbeSource
  /** wipe certificates */
  outDir: string
  /** labels: PDFs in this folder, or ZPL to the configured printer */
  labels: {zpl: boolean; dir: string}
}

/** What the panel shows for one laptop. */
export interface PanelRow {
  serial: string
  bay: string | null
  step: JobStep
  status: JobStatus
  progress: number
  etaSeconds: number | null
  note: string | null
}

/** The laptop in front of the technician. */
interface Current {
  laptop: Laptop
  phase: 'checklist' | 'grade'
  checks: Partial<Record<CheckName, boolean>>
  inputs: number
  t0: number
}

export interface StationEvents {
  /** a line for the technician (errors in one line) */
  say(text: string, kind: 'info' | 'error' | 'ok'): void
  /** something on the panel changed */
  changed(): void
  /** a laptop left the technician's hands (background started, on hold, ...): inputs it took */
  handled?(serial: string, inputs: number, ms: number): void
  /** a job finished or stopped */
  finished?(serial: string, status: JobStatus): void
}

export class BenchStation {
  private current: Current | undefined
  private readonly rows = new Map<string, PanelRow>()
  private readonly busyBays = new Set<string>()
  private readonly running = new Set<Promise<void>>()
  private readonly abort = new AbortController()
  private heart: NodeJS.Timeout | undefined

  constructor(
    private readonly ctx: ServiceContext,
    private readonly opts: StationOptions,
    private readonly events: StationEvents,
  ) {}

  /** Open: jobs left running by a previous process are shown as interrupted and resumed. */
  async open(): Promise<BenchJob[]> {
    await markInterrupted(this.ctx, this.opts.station)
    const jobs = await openJobs(this.ctx, this.opts.station)
    for (const j of jobs)
      this.rows.set(j.serial, {
        serial: j.serial,
        bay: j.bay,
        step: j.step as JobStep,
        status: j.status as JobStatus,
        progress: j.progress,
        etaSeconds: j.eta_seconds,
        note: j.error,
      })
    this.heart = setInterval(() => void beat(this.ctx, this.opts.station).catch(() => undefined), 5000)
    this.heart.unref()
    for (const j of jobs) if (j.status === 'interrupted') this.resume(j.serial)
    this.events.changed()
    return jobs
  }

  panel(): PanelRow[] {
    return [...this.rows.values()]
  }

  /** The prompt: what the station waits for. */
  prompt(): string {
    const c = this.current
    if (!c) return bt('benchPromptScan')
    if (c.phase === 'grade') return bt('benchPromptGrade', {serial: c.laptop.serial})
    const next = CHECKS.find((k) => c.checks[k] === undefined)!
    return bt('benchPromptCheck', {serial: c.laptop.serial, check: bt(`check_${next}`), n: CHECKS.indexOf(next) + 1, total: CHECKS.length})
  }

  /** Single keys are taken at once during the checklist and the grade; anything else is a line (a scan). */
  isKey(ch: string): boolean {
    const c = this.current
    if (!c) return false
    if (c.phase === 'checklist') return PASS_KEYS.has(ch) || FAIL_KEYS.has(ch)
    return /^[abcABC]$/.test(ch)
  }

  async key(ch: string): Promise<void> {
    const c = this.current
    if (!c) return
    c.inputs++
    if (c.phase === 'checklist') {
      const next = CHECKS.find((k) => c.checks[k] === undefined)!
      c.checks[next] = PASS_KEYS.has(ch)
      if (CHECKS.every((k) => c.checks[k] !== undefined)) c.phase = 'grade'
      this.events.changed()
      return
    }
    await this.grade(ch)
  }

  /** A scanned or typed line: a serial, an asset tag, or a command card (GRADE-B, ALL-OK, CANCEL). */
  async line(raw: string): Promise<void> {
    const text = raw.trim()
    if (text === '') return
    const upper = text.toUpperCase()
    const c = this.current
    if (c) c.inputs++
    try {
      if (upper === 'CANCEL' || upper === 'ANNULER') {
        if (c) {
          await releaseLaptop(this.ctx, c.laptop.serial, this.opts.station)
          this.rows.delete(c.laptop.serial)
        }
        this.current = undefined
        this.events.say(bt('benchCancelled'), 'info')
        return
      }
      const grade = /^(?:GRADE|NOTE)[- ]?([ABC])$/.exec(upper)
      if (c && grade) {
        if (c.phase === 'checklist') for (const k of CHECKS) c.checks[k] ??= true
        return await this.grade(grade[1]!)
      }
      if (c && (upper === 'ALL-OK' || upper === 'TOUT-OK')) {
        for (const k of CHECKS) c.checks[k] ??= true
        c.phase = 'grade'
        return
      }
      if (c) {
        this.events.say(bt('benchFinishFirst', {serial: c.laptop.serial}), 'error')
        return
      }
      await this.identify(text)
    } catch (error) {
      this.sayError(error)
    } finally {
      this.events.changed()
    }
  }

  private sayError(error: unknown): void {
    const e = toAlpiError(error)
    this.events.say(`[${e.code}] ${e.message}${e.actions[0] ? ` → ${e.actions[0]}` : ''}`, 'error')
  }

  /** Identify the scanned laptop (serial or asset tag), claim it, probe it, then its checklist. */
  private async identify(code: string): Promise<void> {
    const t0 = Date.now()
    const found = await this.ctx.store.db
      .selectFrom('laptops')
      .selectAll()
      .where((eb) => eb.or([eb('serial', '=', code), eb('asset_tag', '=', code)]))
      .executeTakeFirst()
    const serial = found?.serial ?? code
    await this.startLaptop(serial, found, t0)
  }

  /** The station runs on the laptop itself: probe it here, its serial from the DMI, no scan. */
  async here(): Promise<void> {
    try {
      const r = await probe(this.quiet(), {})
      const laptop = await this.ctx.store.db.selectFrom('laptops').selectAll().where('serial', '=', r.serial).executeTakeFirst()
      await this.startLaptop(r.serial, laptop, Date.now(), true)
    } catch (error) {
      this.sayError(error)
    } finally {
      this.events.changed()
    }
  }

  /** Begin with one laptop (scanned, or identified by the DMI when the station runs on it). */
  async startLaptop(serial: string, found: Laptop | undefined, t0 = Date.now(), probed = false): Promise<void> {
    let laptop = found
    // an unknown laptop is recorded by its probe (intake) before it can be claimed
    if (!laptop && !probed) laptop = await this.probeLaptop(serial)
    if (!laptop) {
      this.events.say(bt('benchUnknown', {serial}), 'error')
      return
    }
    const job = await claimLaptop(this.ctx, serial, this.opts.station)
    if (job.status === 'running') {
      this.events.say(bt('benchAlreadyRunning', {serial}), 'info')
      return
    }
    if (found && !probed && ['received', 'diagnosed', 'on_hold', 'returned'].includes(laptop.state))
      laptop = (await this.probeLaptop(serial)) ?? laptop
    if (['wiped', 'imaged'].includes(laptop.state) || (laptop.state === 'diagnosed' && job.step !== 'checklist')) {
      // checked and graded before: straight to the background work
      this.resume(serial)
      return
    }
    if (laptop.state !== 'received' && laptop.state !== 'diagnosed' && laptop.state !== 'on_hold' && laptop.state !== 'returned') {
      await updateJob(this.ctx, serial, this.opts.station, {step: 'done', status: 'done'})
      this.events.say(bt('benchNothingToDo', {serial, state: stateName(laptop.state)}), 'info')
      return
    }
    this.current = {laptop, phase: 'checklist', checks: {}, inputs: probed ? 0 : 1, t0}
    this.setRow(serial, {step: 'checklist', status: 'waiting', note: null})
  }

  private async probeLaptop(serial: string): Promise<Laptop | undefined> {
    const src = this.opts.probe
    const options: ProbeOptions | undefined =
      src.kind === 'local'
        ? {}
        : src.kind === 'ssh'
          ? {ssh: src.ssh, serial}
          : src.kind === 'dir' && existsSync(join(src.dir, `${serial}.json`))
            ? {from: join(src.dir, `${serial}.json`), serial}
            : undefined
    if (options) await probe(this.quiet(), {...options, serial: src.kind === 'local' ? undefined : serial})
    return this.ctx.store.db.selectFrom('laptops').selectAll().where('serial', '=', serial).executeTakeFirst()
  }

  private async grade(letter: string): Promise<void> {
    const c = this.current!
    const cosmetic = letter.toUpperCase() as CosmeticGrade
    if (!COSMETIC_GRADES.includes(cosmetic)) return
    const serial = c.laptop.serial
    this.current = undefined
    try {
      const failed = CHECKS.filter((k) => c.checks[k] === false)
      const r = await gradeLaptop(this.quiet(), {serial, cosmetic})
      // checked and graded "ready": a rescan (its disk now in a bay) goes straight to the wipe
      const passed = failed.length === 0 && r.verdict === 'ready'
      await updateJob(this.ctx, serial, this.opts.station, {checks: JSON.stringify(c.checks), step: passed ? 'wipe' : 'checklist'})
      this.events.handled?.(serial, c.inputs, Date.now() - c.t0)
      if (failed.length > 0 && r.state !== 'scrapped') {
        const note = bt('benchChecksFailed', {checks: failed.map((k) => bt(`check_${k}`)).join(', ')})
        await moveAndAudit(
          this.ctx,
          serial,
          'on_hold',
          'bench-check',
          {verdict: 'needs_part', verdict_reasons: JSON.stringify(failed.map((part) => ({part, reason: storedCode('benchFailed')})))},
          {failed},
        )
        return this.attention(serial, note)
      }
      if (r.verdict !== 'ready')
        return this.attention(serial, `${r.verdict}: ${[...new Set(r.findings.map((f) => partName(f.part)))].join(', ')}`)
      this.resume(serial)
    } catch (error) {
      this.sayError(error)
    }
  }

  private async attention(serial: string, note: string): Promise<void> {
    await updateJob(this.ctx, serial, this.opts.station, {status: 'attention', error: note})
    this.setRow(serial, {status: 'attention', note})
    this.events.say(`${serial}: ${note}`, 'error')
  }

  private setRow(serial: string, patch: Partial<PanelRow>): void {
    const row = this.rows.get(serial) ?? {
      serial,
      bay: null,
      step: 'checklist',
      status: 'waiting',
      progress: 0,
      etaSeconds: null,
      note: null,
    }
    this.rows.set(serial, {...row, ...patch})
    this.events.changed()
  }

  /** The background work of one laptop, from where its lifecycle stands. */
  private resume(serial: string): void {
    const work = this.background(serial).finally(() => this.running.delete(work))
    this.running.add(work)
  }

  private async background(serial: string): Promise<void> {
    let bay: string | undefined
    try {
      const laptop = await this.ctx.store.db.selectFrom('laptops').selectAll().where('serial', '=', serial).executeTakeFirstOrThrow()
      if (laptop.state === 'ready' || (laptop.state === 'imaged' && laptop.verdict !== 'ready')) return await this.finish(serial)
      bay = await this.findBay(serial)
      if (!bay) return await this.attention(serial, bt('benchNoBay'))
      this.busyBays.add(bay)
      const state = laptop.state
      if (state === 'diagnosed') {
        await this.step(serial, bay, 'wipe', (ctx) =>
          wipe(ctx, {device: bay!, serial, outDir: this.opts.outDir, confirm: async () => undefined}),
        )
      }
      if (state === 'diagnosed' || state === 'wiped' || state === 'imaged') {
        await this.step(serial, bay, 'reimage', (ctx) =>
          reimage(ctx, {image: this.opts.image, devices: [bay!], confirm: async () => undefined}),
        )
      }
      await this.finish(serial)
    } catch (error) {
      const e = toAlpiError(error)
      if (this.abort.signal.aborted) {
        await updateJob(this.ctx, serial, this.opts.station, {status: 'interrupted'}).catch(() => undefined)
        this.setRow(serial, {status: 'interrupted'})
        return
      }
      await this.attention(serial, `[${e.code}] ${e.message}`).catch(() => undefined)
      this.events.finished?.(serial, 'attention')
    } finally {
      if (bay) this.busyBays.delete(bay)
    }
  }

  /** The first free bay whose disk is one of this laptop's internal disks (by serial): one lsblk for all. */
  private async findBay(serial: string): Promise<string | undefined> {
    const free = this.opts.bays.filter((b) => !this.busyBays.has(b))
    if (free.length === 0) return undefined
    try {
      return (
        await disksToWrite(
          this.ctx.store.db,
          free.map((device) => ({device})),
          msg('opWipe'),
        )
      ).find((d) => d.owner?.serial === serial)?.dev.path
    } catch {
      // one bay refused (empty, in use): ask them one by one, the refused ones are not this laptop's
    }
    for (const bay of free) {
      try {
        const [d] = await disksToWrite(this.ctx.store.db, [{device: bay}], msg('opWipe'))
        if (d?.owner?.serial === serial) return bay
      } catch {
        // a bay in use or empty is not this laptop's
      }
    }
    return undefined
  }

  private async step(serial: string, bay: string, step: 'wipe' | 'reimage', run: (ctx: ServiceContext) => Promise<unknown>): Promise<void> {
    await updateJob(this.ctx, serial, this.opts.station, {
      step,
      status: 'running',
      bay,
      image: this.opts.image,
      progress: 0,
      eta_seconds: null,
      error: null,
    })
    this.setRow(serial, {step, status: 'running', bay, progress: 0, etaSeconds: null, note: null})
    const t0 = Date.now()
    let saved = 0
    const onProgress = (pct: number) => {
      const elapsed = (Date.now() - t0) / 1000
      const eta = pct > 0 ? Math.round((elapsed * (100 - pct)) / pct) : null
      this.setRow(serial, {progress: pct, etaSeconds: eta})
      if (Date.now() - saved > 1000) {
        saved = Date.now()
        void updateJob(this.ctx, serial, this.opts.station, {progress: pct, eta_seconds: eta}).catch(() => undefined)
      }
    }
    await run({...this.ctx, out: progressOutput(this.ctx.out, onProgress), signal: this.abort.signal})
  }

  private async finish(serial: string): Promise<void> {
    await updateJob(this.ctx, serial, this.opts.station, {step: 'done', status: 'done', progress: 100, eta_seconds: 0, error: null})
    let note = bt('benchLabelToStick')
    try {
      await this.printLabel(serial)
    } catch (error) {
      const e = toAlpiError(error)
      note = `[${e.code}] ${e.message}`
    }
    this.setRow(serial, {step: 'done', status: 'done', progress: 100, etaSeconds: 0, note})
    this.events.say(bt('benchReady', {serial}), 'ok')
    this.events.finished?.(serial, 'done')
  }

  private async printLabel(serial: string): Promise<void> {
    const settings = laptopsConfig.read(this.ctx.config).labels
    const labels = await labelsFor(this.ctx, [serial])
    if (this.opts.labels.zpl && settings.printer) return sendZpl(this.ctx, labelZpl(labels[0]!, settings), settings.printer, settings)
    writeFileAtomic(join(this.opts.labels.dir, `label-${serial.replace(/[^\w.-]/g, '_')}.pdf`), await labelsPdf(labels, settings))
  }

  /** A context whose messages stay off the screen (the panel shows what matters). */
  private quiet(): ServiceContext {
    return {...this.ctx, out: progressOutput(this.ctx.out, () => undefined)}
  }

  /** Background jobs still running. */
  get busy(): number {
    return this.running.size
  }

  /** Wait until every background job ended (tests, benchmark). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running])
  }

  /** Close: the running disks stop at their next block; their jobs stay "interrupted" for the next opening. */
  async close(): Promise<void> {
    this.abort.abort(new AlpiError('CANCELLED', 'station closed'))
    await this.idle()
    if (this.heart) clearInterval(this.heart)
  }
}

/**
 * An Output for one background step: the services' progress lines (core/progress.ts draws
 * "label [###...]  42%" with live()) become a percentage for the panel; their other messages
 * are dropped (the panel and the job row say what matters); warnings are kept.
 */
function progressOutput(base: Output, onProgress: (pct: number) => void): Output {
  return {
    json: false,
    verbose: false,
    interactiveDisplay: true,
    color: base.color,
    warnings: base.warnings,
    info: () => undefined,
    warn: (m) => base.warnings.push(m),
    debug: () => undefined,
    live: (text) => {
      const m = text === null ? null : /\]\s+(\d+)%/.exec(text)
      if (m) onProgress(Number(m[1]))
    },
    stream: base.stream,
  }
}
