import {randomInt} from 'node:crypto'
import {rmSync} from 'node:fs'
import {open} from 'node:fs/promises'
import {hostname} from 'node:os'
import type {Kysely} from 'kysely'
import {audit, type ServiceContext} from '../context/service-context.js'
import {frDateTime, frNumber} from '../core/french.js'
import {ensureDir, fileNamePart, safeJoin, writeFileAtomic} from '../core/fs.js'
import {Cancelled, ExternalToolError, PartialFailure, RuleViolation, UsageError} from '../core/errors.js'
import {newId, nowIso, sleep} from '../core/ids.js'
import {mapPool} from '../core/pool.js'
import {progress} from '../core/progress.js'
import {hasTool, parseToolJson, runTool} from '../tools/exec.js'
import type {Database} from '../store/schema.js'
import {laptopsConfig} from './config.js'
import {disksToWrite, openExclusive, unknownDisk, type BlockDevice, type DiskToWrite} from './devices.js'
import {assertTransition} from './states.js'
import {msg, stateName, t as line} from './messages/index.js'
import {writePdf} from './pdf.js'
import {getLaptop, internalDiskSerials, moveLaptop, type Laptop} from './records.js'
import {
  chooseMethod,
  METHOD_NAMES_FR,
  methodReason,
  parseHdparmSecurity,
  parseNvmeIdCtrl,
  type AtaCaps,
  type MethodChoice,
  type NvmeCaps,
  type WipeMethod,
} from './wipe-method.js'

const CHUNK = 4 << 20
const SAMPLE = 4096
/** What an overwrite writes, and what a wiped block must equal (never written to). */
const ZEROS = Buffer.alloc(CHUNK)

export interface WipeCertificate {
  id: string
  organisation: string
  technician: string
  laptopSerial: string
  /** A disk certified without entering the reconditioning path (`laptops certify`): what it belonged to */
  subject?: CertifySubject
  host: {name: string; serial: string | null; uuid: string | null}
  disk: {device: string; maker: string | null; model: string | null; serial: string | null; sizeBytes: number; transport: string | null}
  method: string
  methodDetail: string
  tool: string
  standard: 'NIST SP 800-88 Rev. 2'
  level: 'Clear' | 'Purge'
  pattern: string | null
  verification: {mode: 'all' | 'sample' | 'firmware'; blocksChecked: number; bytesChecked: number; mismatches: number; passed: boolean}
  start: string
  end: string
  durationSeconds: number
  bytesWritten: number
  errors: number
  result: 'success' | 'failed'
}

export interface WipeOptions {
  device: string
  /** the laptop; without it, found from the disk's serial */
  serial?: string
  method?: 'overwrite'
  /** verify every block ('all') or samples (first/last MiB + random blocks) */
  verify?: 'sample' | 'all'
  samples?: number
  outDir: string
  /** loop devices only: the serial a test device stands for */
  deviceSerial?: string
  /** called once every check passed, before anything is written (severe confirmation) */
  confirm: (what: {device: BlockDevice; laptop: string; method: MethodChoice}) => Promise<void>
}

export interface WipeResult {
  certificate: WipeCertificate
  json: string
  pdf: string
  /** internal disks of the laptop still to wipe (the laptop moves to wiped when none is left) */
  remaining: string[]
}

/** What a disk certified outside the reconditioning path belonged to (a laptop scrapped or on hold, a parts disk, an old win7 PC). */
export interface CertifySubject {
  kind: 'laptop' | 'part' | 'win7_pc'
  ref: string
}

/** One disk checked and ready to be wiped: the device, its laptop, its serial and the method. */
export interface WipeTarget {
  dev: BlockDevice
  laptop: Laptop
  devSerial: string
  method: MethodChoice
}

export interface WipeRequest {
  device: string
  serial?: string
  deviceSerial?: string
  method?: 'overwrite'
}

/**
 * Every check before anything is written, for all the disks at once (one lsblk call, one
 * read of the snapshots). With `serial`, the disk must be one of that laptop's disks (from
 * its probe snapshot); without it, the laptop is found from the disk's own serial. Refused: a
 * laptop not yet diagnosed, a device mounted or used as swap, the disk alpi runs from, a disk
 * of no recorded laptop or of another laptop.
 */
async function prepareWipes(ctx: ServiceContext, requests: WipeRequest[]): Promise<WipeTarget[]> {
  const named = new Map<WipeRequest, Laptop>()
  for (const r of requests) {
    if (r.serial === undefined) continue
    const l = await getLaptop(ctx.store.db, r.serial)
    assertTransition(l.serial, l.state, 'wiped')
    named.set(r, l)
  }
  const disks = await disksToWrite(
    ctx.store.db,
    requests.map((r) => ({device: r.device, deviceSerial: r.deviceSerial, lookup: !named.has(r)})),
    msg('opWipe'),
  )
  const targets: WipeTarget[] = []
  for (const [i, r] of requests.entries()) targets.push(await checkTarget(ctx, r, disks[i]!, named.get(r)))
  return targets
}

async function checkTarget(ctx: ServiceContext, opts: WipeRequest, disk: DiskToWrite, named: Laptop | undefined): Promise<WipeTarget> {
  const {dev, serial: devSerial} = disk
  const laptop = named ?? disk.owner
  if (!laptop) throw unknownDisk(disk, msg('deviceUnknownWipeAction'))
  if (opts.serial === undefined) assertTransition(laptop.serial, laptop.state, 'wiped')
  const expected = internalDiskSerials(laptop.snapshot)
  if (!devSerial || !expected.includes(devSerial)) {
    throw new RuleViolation(
      'DEVICE_SERIAL_MISMATCH',
      msg(devSerial ? 'diskSerialMismatch' : 'diskSerialMismatchNoSerial', {
        device: dev.path,
        serial: devSerial ?? '',
        laptop: laptop.serial,
        expected: expected.join(', ') || msg('noDiskInSnapshot'),
      }),
      {
        actions: [expected.length ? msg('diskSerialMismatchAction') : msg('diskSerialMismatchProbeAction')],
        data: {device: dev.path, deviceSerial: devSerial, expected},
      },
    )
  }
  const caps: {nvme?: NvmeCaps; ata?: AtaCaps} = {}
  if (dev.type !== 'loop' && opts.method !== 'overwrite') {
    if ((dev.transport === 'nvme' || dev.name.startsWith('nvme')) && (await hasTool('nvme'))) {
      const r = await runTool('nvme', ['id-ctrl', dev.path, '-o', 'json'], {pkg: 'nvme-cli', allowFailure: true, signal: ctx.signal})
      if (r.exitCode === 0) caps.nvme = parseNvmeIdCtrl(r.stdout)
    } else if (await hasTool('hdparm')) {
      const r = await runTool('hdparm', ['-I', dev.path], {pkg: 'hdparm', allowFailure: true, signal: ctx.signal})
      if (r.exitCode === 0) caps.ata = parseHdparmSecurity(r.stdout)
    }
  }
  return {dev, laptop, devSerial, method: chooseMethod(dev, caps, opts.method)}
}

/**
 * Check everything, confirm, then sanitise the disk of one laptop and issue the certificate.
 * A failed verification is recorded (certificate marked failed) and thrown as WIPE_NOT_VERIFIED.
 */
export async function wipe(ctx: ServiceContext, opts: WipeOptions): Promise<WipeResult> {
  const [target] = await prepareWipes(ctx, [opts])
  const {dev, method} = target
  ctx.out.info(`${dev.path}: ${method.method} (${method.level}) - ${method.why}`)
  await opts.confirm({device: dev, laptop: target.laptop.serial, method})
  const r = await executeWipe(
    ctx,
    target,
    {...opts, progress: progress(ctx.out, {label: line('progressWipeOne', {device: dev.path}), total: dev.sizeBytes})},
    await hostIdentity(),
  )
  if (r.certificate.result !== 'success') throw notVerified(target, r)
  return r
}

function notVerified(t: WipeTarget, r: WipeResult): RuleViolation {
  const v = r.certificate.verification
  return new RuleViolation(
    'WIPE_NOT_VERIFIED',
    msg('wipeNotVerified', {device: t.dev.path, mismatches: v.mismatches, errors: r.certificate.errors, state: stateName(t.laptop.state)}),
    {
      actions: [msg('wipeNotVerifiedAction')],
      data: {certificate: r.json},
    },
  )
}

export interface WipeOutcome {
  device: string
  laptop: string
  status: 'ok' | 'failed'
  level: string
  certificate: WipeCertificate | null
  json: string | null
  pdf: string | null
  /** the laptop's internal disks still to wipe */
  remaining: string[]
  error?: {code: string; message: string}
}

export interface WipeBatchResult {
  disks: WipeOutcome[]
  ok: number
  failed: number
  bytes: number
  seconds: number
}

/**
 * Several disks at once (a multi-bay dock, or laptops network-booted on the bench): every
 * disk is checked first and the whole batch is refused if one check fails (nothing is
 * written); one confirmation for all; then up to `concurrency` disks are wiped at the same
 * time, each with its own certificate. A failed disk does not stop the others: PartialFailure
 * (exit 4) lists it, its laptop keeps its state and a re-run with that device alone finishes.
 */
export async function wipeBatch(
  ctx: ServiceContext,
  opts: Omit<WipeOptions, 'device' | 'serial' | 'deviceSerial' | 'confirm'> & {
    devices: string[]
    concurrency?: number
    confirm: (targets: WipeTarget[]) => Promise<void>
  },
): Promise<WipeBatchResult> {
  if (opts.devices.length === 0) throw new UsageError(msg('noDevice'), {actions: [msg('noDeviceAction')]})
  if (new Set(opts.devices).size !== opts.devices.length) throw new UsageError(msg('deviceTwice'), {actions: [msg('deviceTwiceAction')]})
  // a laptop's disks may all be in the dock: it moves to wiped with the last one
  const targets = await prepareWipes(
    ctx,
    opts.devices.map((device) => ({device, method: opts.method})),
  )
  await opts.confirm(targets)
  const total = targets.reduce((n, t) => n + t.dev.sizeBytes, 0)
  const tick = progress(ctx.out, {label: line('progressWipeMany', {n: targets.length}), total})
  const done = new Map<WipeTarget, number>()
  const host = await hostIdentity()
  const t0 = Date.now()
  const outcomes = await mapPool(targets, Math.max(1, opts.concurrency ?? 8), async (t): Promise<WipeOutcome> => {
    const base = {device: t.dev.path, laptop: t.laptop.serial, level: t.method.level}
    // interrupted before this disk's turn: not touched
    if (ctx.signal.aborted)
      return {
        ...base,
        status: 'failed',
        certificate: null,
        json: null,
        pdf: null,
        remaining: [],
        error: {code: 'CANCELLED', message: msg('wipeNotStarted')},
      }
    try {
      // one bar for the batch: the disks' own verification bars would fight over the line
      const r = await executeWipe(
        ctx,
        t,
        {
          ...opts,
          quietVerify: true,
          progress: (n) => {
            done.set(t, n)
            let sum = 0
            for (const v of done.values()) sum += v
            tick(Math.min(sum, total - 1))
          },
        },
        host,
      )
      const ok = r.certificate.result === 'success'
      const e = ok ? undefined : notVerified(t, r)
      ctx.out.info(line(ok ? 'wipeDiskOk' : 'wipeDiskNotVerified', {device: t.dev.path, serial: t.laptop.serial, level: t.method.level}))
      return {
        ...base,
        status: ok ? 'ok' : 'failed',
        certificate: r.certificate,
        json: r.json,
        pdf: r.pdf,
        remaining: r.remaining,
        ...(e ? {error: {code: e.code, message: e.message}} : {}),
      }
    } catch (error) {
      const e = error as Error & {code?: string}
      ctx.out.info(line('wipeDiskFailed', {device: t.dev.path, serial: t.laptop.serial, message: e.message}))
      return {
        ...base,
        status: 'failed',
        certificate: null,
        json: null,
        pdf: null,
        remaining: [],
        error: {code: e.code ?? 'WIPE_FAILED', message: e.message},
      }
    }
  })
  const ok = outcomes.filter((o) => o.status === 'ok')
  const result: WipeBatchResult = {
    disks: outcomes,
    ok: ok.length,
    failed: outcomes.length - ok.length,
    bytes: ok.reduce((n, o) => n + (o.certificate?.bytesWritten ?? 0), 0),
    seconds: Math.round((Date.now() - t0) / 100) / 10,
  }
  // Ctrl-C: the disks being wiped stop at their next block, those done keep their certificate
  if (ctx.signal.aborted) throw new Cancelled(msg('wipeBatchCancelled', {ok: result.ok, failed: result.failed}), {data: result})
  tick(total)
  if (result.failed > 0) {
    const failed = outcomes.filter((o) => o.status === 'failed')
    throw new PartialFailure(
      msg('wipePartial', {
        failed: failed.length,
        total: outcomes.length,
        list: failed.map((f) => `${f.device} ${f.laptop} (${f.error?.code})`).join('; '),
      }),
      {
        actions: [msg('wipePartialAction')],
        data: result,
      },
    )
  }
  return result
}

/**
 * Overwrite or firmware erase, verification, certificate files, then the records. With
 * `certify`, the same engine and certificate for a disk outside the reconditioning path: the
 * certificate is recorded against its subject and no laptop moves.
 */
export async function executeWipe(
  ctx: ServiceContext,
  target: Omit<WipeTarget, 'laptop'> & {laptop?: Laptop},
  opts: {
    verify?: 'sample' | 'all'
    samples?: number
    outDir: string
    progress: (done: number) => void
    quietVerify?: boolean
    certify?: CertifySubject
  },
  host: WipeCertificate['host'],
): Promise<WipeResult> {
  const {dev, devSerial, method} = target
  const subjectRef = opts.certify?.ref ?? target.laptop!.serial
  const start = nowIso()
  const t0 = Date.now()
  let bytesWritten = 0
  let errors = 0
  let verification: WipeCertificate['verification']
  if (method.method === 'overwrite') {
    const w = await overwrite(ctx, dev.path, dev.sizeBytes, opts.progress)
    bytesWritten = w.bytes
    errors = w.errors
    verification = await verifyPattern(ctx, dev.path, dev.sizeBytes, opts.verify ?? 'sample', opts.samples ?? 1024, false, opts.quietVerify)
  } else {
    await runFirmwareErase(ctx, method)
    bytesWritten = dev.sizeBytes
    opts.progress(dev.sizeBytes)
    const v = await verifyPattern(ctx, dev.path, dev.sizeBytes, 'sample', 64, true)
    verification = {...v, mode: 'firmware'}
  }
  const end = nowIso()
  const cfg = laptopsConfig.read(ctx.config)
  const certificate: WipeCertificate = {
    id: newId(),
    organisation: cfg.organisation ?? ctx.config.organisation ?? "ALPI - Agence Landaise Pour l'Informatique",
    technician: ctx.actor,
    laptopSerial: subjectRef,
    ...(opts.certify ? {subject: opts.certify} : {}),
    host,
    disk: {device: dev.path, maker: dev.vendor, model: dev.model, serial: devSerial, sizeBytes: dev.sizeBytes, transport: dev.transport},
    method: method.method,
    methodDetail: methodReason(method.reason, {}, 'fr'),
    tool: method.tool === 'alpi' ? 'alpi (écriture de zéros)' : method.tool,
    standard: 'NIST SP 800-88 Rev. 2',
    level: method.level,
    pattern: method.method === 'overwrite' ? '0x00' : null,
    verification,
    start,
    end,
    durationSeconds: Math.round((Date.now() - t0) / 100) / 10,
    bytesWritten,
    errors,
    result: verification.passed && errors === 0 ? 'success' : 'failed',
  }
  // certificates name the technician: 0600 files, in a 0700 folder when alpi creates it
  const dir = ensureDir(opts.outDir, {private: true})
  const base = safeJoin(dir, `certificat-effacement-${fileNamePart(subjectRef)}-${start.slice(0, 10)}-${certificate.id.slice(0, 8)}`)
  writeFileAtomic(`${base}.json`, JSON.stringify(certificate, null, 2) + '\n', {mode: 0o600})
  try {
    await writePdf(
      `${base}.pdf`,
      {title: `Certificat d'effacement ${subjectRef}`, author: certificate.organisation},
      certificateBlocks(certificate),
    )
  } catch (error) {
    // No half certificate: a JSON without its PDF and without a record would certify a wipe the store does not know.
    rmSync(`${base}.json`, {force: true})
    throw error
  }
  let remaining: string[] = []
  // nothing recorded, no certificate left behind (the files would certify a wipe the store does not know)
  await ctx.store
    .transaction(async (trx) => {
      if (opts.certify) return recordCertified(ctx, trx, opts.certify, certificate)
      const laptop = target.laptop!
      await trx
        .insertInto('laptop_wipe_certificates')
        .values({
          id: certificate.id,
          serial: laptop.serial,
          device: dev.path,
          disk_serial: devSerial,
          method: method.method,
          level: method.level,
          verified: verification.passed ? 1 : 0,
          bytes: bytesWritten,
          errors,
          started_at: start,
          ended_at: end,
          data: JSON.stringify(certificate),
        })
        .execute()
      if (certificate.result === 'success') {
        const fresh = await getLaptop(trx, laptop.serial)
        remaining = await disksStillToWipe(trx, fresh)
        if (remaining.length === 0)
          await moveLaptop(
            ctx,
            trx,
            fresh,
            'wiped',
            {wipe_certificate_id: certificate.id, image_name: null, image_sha256: null},
            {certificate: certificate.id, level: method.level},
          )
      }
      await audit(ctx, trx, {
        entity: 'laptop',
        entityId: laptop.serial,
        action: 'wipe',
        result: certificate.result === 'success' ? 'ok' : 'failed',
        summary: {code: verification.passed ? 'laptopWiped' : 'laptopWipeFailed', params: {method: method.method, level: method.level}},
        data: {certificate: certificate.id, bytes: bytesWritten, errors},
      })
    })
    .catch((error: unknown) => {
      rmSync(`${base}.json`, {force: true})
      rmSync(`${base}.pdf`, {force: true})
      throw error
    })
  if (remaining.length > 0) ctx.out.info(line('wipeDisksLeft', {serial: subjectRef, disks: remaining.join(', ')}))
  return {certificate, json: `${base}.json`, pdf: `${base}.pdf`, remaining}
}

/**
 * The laptop's internal disks without a successful certificate since its diagnosis (a
 * laptop already wiped and wiped again has nothing left: its disks were all wiped before).
 */
async function disksStillToWipe(trx: Kysely<Database>, laptop: Laptop): Promise<string[]> {
  if (laptop.state === 'wiped') return []
  const done = await trx
    .selectFrom('laptop_wipe_certificates')
    .select('disk_serial')
    .where('serial', '=', laptop.serial)
    .where('verified', '=', 1)
    .where('errors', '=', 0)
    .where('started_at', '>=', laptop.state_changed_at)
    .execute()
  const wiped = new Set(done.map((d) => d.disk_serial))
  return internalDiskSerials(laptop.snapshot).filter((d) => !wiped.has(d))
}

/** The record of a certified disk: against the laptop (no move), or in disk_certificates; one audit entry. */
async function recordCertified(ctx: ServiceContext, trx: Kysely<Database>, subject: CertifySubject, c: WipeCertificate): Promise<void> {
  const row = {
    id: c.id,
    device: c.disk.device,
    disk_serial: c.disk.serial,
    method: c.method,
    level: c.level,
    verified: c.verification.passed ? 1 : 0,
    bytes: c.bytesWritten,
    errors: c.errors,
    started_at: c.start,
    ended_at: c.end,
    data: JSON.stringify(c),
  }
  if (subject.kind === 'laptop')
    await trx
      .insertInto('laptop_wipe_certificates')
      .values({...row, serial: subject.ref})
      .execute()
  else
    await trx
      .insertInto('disk_certificates')
      .values({...row, subject_kind: subject.kind, subject_ref: subject.ref})
      .execute()
  await audit(ctx, trx, {
    entity: subject.kind === 'laptop' ? 'laptop' : subject.kind === 'part' ? 'disk' : 'win7_pc',
    entityId: subject.ref,
    action: 'certify-wipe',
    result: c.result === 'success' ? 'ok' : 'failed',
    summary: {code: c.verification.passed ? 'diskCertified' : 'diskCertifyFailed', params: {method: c.method, level: c.level}},
    data: {certificate: c.id, kind: subject.kind, bytes: c.bytesWritten, errors: c.errors},
  })
}

/** Zeros over the whole device, 4 MiB writes, then fsync. */
async function overwrite(
  ctx: ServiceContext,
  device: string,
  size: number,
  tick: (done: number) => void,
): Promise<{bytes: number; errors: number}> {
  const fh = await openExclusive(device)
  const buf = ZEROS
  let bytes = 0
  let errors = 0
  try {
    for (let off = 0; off < size; off += CHUNK) {
      if (ctx.signal.aborted) throw new Cancelled(msg('wipeInterrupted'))
      const n = Math.min(CHUNK, size - off)
      try {
        const {bytesWritten} = await fh.write(buf, 0, n, off)
        bytes += bytesWritten
        if (bytesWritten !== n) errors++
      } catch {
        errors++
      }
      tick(bytes)
    }
    // a failing disk often accepts the writes into its cache and reports the error here
    await fh.sync().catch(() => void errors++)
  } finally {
    await fh.close().catch(() => void errors++)
  }
  tick(size)
  return {bytes, errors}
}

/**
 * Read back after dropping the device's buffers (blockdev --flushbufs), so the reads come
 * from the medium, not the page cache. 'sample': first and last MiB + N random 4 KiB blocks.
 */
async function verifyPattern(
  ctx: ServiceContext,
  device: string,
  size: number,
  mode: 'all' | 'sample',
  samples: number,
  readableOnly = false,
  quiet = false,
): Promise<WipeCertificate['verification']> {
  await runTool('blockdev', ['--flushbufs', device], {pkg: 'util-linux', signal: ctx.signal})
  // a disk smaller than what the samples would read is read whole (stronger, and cheaper)
  const whole = mode === 'all' || size <= 2 * (1 << 20) + samples * SAMPLE
  const fh = await open(device, 'r')
  let blocks = 0
  let bytesChecked = 0
  let mismatches = 0
  const big = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, SAMPLE)))
  const check = async (off: number, len: number) => {
    if (ctx.signal.aborted) throw new Cancelled(msg('wipeInterrupted'))
    const buf = big.subarray(0, len)
    // an unreadable block (a failing disk) is a block that does not verify
    const {bytesRead} = await fh.read(buf, 0, len, off).catch(() => ({bytesRead: -1}))
    blocks++
    bytesChecked += Math.max(0, bytesRead)
    if (bytesRead !== len) mismatches++
    else if (!readableOnly && !isZero(buf)) mismatches++
  }
  try {
    if (whole) {
      const tick = mode === 'all' && !quiet ? progress(ctx.out, {label: line('progressVerify', {device}), total: size}) : () => undefined
      for (let off = 0; off < size; off += CHUNK) {
        await check(off, Math.min(CHUNK, size - off))
        tick(off + Math.min(CHUNK, size - off))
      }
    } else {
      const mib = 1 << 20
      await check(0, mib)
      await check(size - mib, mib)
      const nBlocks = Math.floor(size / SAMPLE)
      for (let i = 0; i < samples; i++) await check(randomInt(nBlocks) * SAMPLE, SAMPLE)
    }
  } finally {
    await fh.close()
  }
  return {mode: whole ? 'all' : 'sample', blocksChecked: blocks, bytesChecked, mismatches, passed: mismatches === 0}
}

/** A native comparison with zeros (buffers are at most CHUNK long here). */
function isZero(buf: Buffer): boolean {
  return buf.equals(ZEROS.subarray(0, buf.length))
}

/** NVMe sanitize/format or ATA security erase: run the chosen command lines. */
async function runFirmwareErase(ctx: ServiceContext, m: MethodChoice): Promise<void> {
  const pkg = m.tool === 'hdparm' ? 'hdparm' : 'nvme-cli'
  for (const argv of m.commands) {
    if (argv[1] === 'sanitize-log') {
      // poll until the sanitize operation reports done (SSTAT bits 2:0 = 1 success, 3 failed)
      for (let i = 0; i < 7200; i++) {
        const r = await runTool(argv[0]!, argv.slice(1), {pkg, signal: ctx.signal})
        const log = parseToolJson<Record<string, {sstat?: number; sprog?: number}>>(argv[0]!, r.stdout)
        const entry = Object.values(log)[0] ?? (log as {sstat?: number; sprog?: number})
        const st = Number(entry.sstat ?? 0) & 7
        if (st === 1) return
        if (st === 3) throw new ExternalToolError(msg('sanitizeFailed'), {code: 'SANITIZE_FAILED', actions: [msg('sanitizeFailedAction')]})
        ctx.out.info(line('sanitizeProgress', {pct: Math.round((Number(entry.sprog ?? 0) / 65536) * 100)}))
        await sleep(2000)
      }
      throw new ExternalToolError(msg('sanitizeTimeout'), {code: 'SANITIZE_TIMEOUT', actions: [msg('sanitizeTimeoutAction')]})
    }
    await runTool(argv[0]!, argv.slice(1), {pkg, signal: ctx.signal, timeoutMs: 6 * 3600_000})
  }
}

/** The machine doing the wipe (nwipe puts the system serial and UUID on its certificate). */
export async function hostIdentity(): Promise<WipeCertificate['host']> {
  const get = async (key: string) => {
    try {
      const r = await runTool('dmidecode', ['-s', key], {allowFailure: true, timeoutMs: 10_000})
      const v = r.stdout.trim()
      return r.exitCode === 0 && v && !/^(default string|to be filled|not specified|none|0+(-0+)*$)/i.test(v) ? v : null
    } catch {
      return null
    }
  }
  return {name: hostname(), serial: await get('system-serial-number'), uuid: await get('system-uuid')}
}

function certificateBlocks(c: WipeCertificate) {
  const dt = (iso: string) => `${frDateTime(iso)} (heure de Paris)`
  const verified =
    c.verification.mode === 'all'
      ? 'relecture complète'
      : c.verification.mode === 'sample'
        ? 'relecture par échantillons'
        : 'statut du disque + lectures'
  return [
    {kind: 'title' as const, text: "CERTIFICAT D'EFFACEMENT DES DONNÉES"},
    {
      kind: 'text' as const,
      text: `Effacement réalisé selon la norme NIST SP 800-88 Rev. 2, niveau ${c.level === 'Purge' ? 'Purge (purge)' : 'Clear (effacement)'}, avant la remise en service d'un ordinateur reconditionné (décret n° 2022-190).`,
    },
    {kind: 'heading' as const, text: 'Organisation'},
    {
      kind: 'fields' as const,
      fields: [
        ['Organisation', c.organisation],
        ['Technicien', c.technician],
        [
          c.subject?.kind === 'part'
            ? 'Disque (pièce détachée, numéro de série)'
            : c.subject?.kind === 'win7_pc'
              ? 'Ancien poste (numéro de série)'
              : 'Ordinateur (numéro de série)',
          c.laptopSerial,
        ],
        ["Poste d'effacement", `${c.host.name} (n° de série ${c.host.serial ?? 'inconnu'}, UUID ${c.host.uuid ?? 'inconnu'})`],
      ] as [string, string][],
    },
    {kind: 'heading' as const, text: 'Support effacé'},
    {
      kind: 'fields' as const,
      fields: [
        ['Fabricant', c.disk.maker ?? 'inconnu'],
        ['Modèle', c.disk.model ?? 'inconnu'],
        ['Numéro de série', c.disk.serial ?? 'inconnu'],
        ['Taille', `${frNumber(c.disk.sizeBytes)} octets`],
        ['Bus', c.disk.transport ?? 'inconnu'],
        ['Périphérique', c.disk.device],
      ] as [string, string][],
    },
    {kind: 'heading' as const, text: 'Effacement'},
    {
      kind: 'fields' as const,
      fields: [
        ['Méthode', METHOD_NAMES_FR[c.method as WipeMethod] ?? c.method],
        ['Outil', c.tool],
        ['Niveau NIST', c.level],
        ['Justification de la méthode', c.methodDetail],
        ["Motif d'écrasement", c.pattern === '0x00' ? 'zéros (0x00)' : (c.pattern ?? 'sans objet (commande du disque)')],
        [
          'Vérification',
          `${verified} : ${frNumber(c.verification.blocksChecked)} blocs, ${frNumber(c.verification.bytesChecked)} octets relus, ${frNumber(c.verification.mismatches)} écart(s) - ${c.verification.passed ? 'CONFORME' : 'NON CONFORME'}`,
        ],
        ['Début', dt(c.start)],
        ['Fin', dt(c.end)],
        ['Durée', `${frNumber(c.durationSeconds, 1)} s`],
        ['Octets écrits', frNumber(c.bytesWritten)],
        ['Erreurs', frNumber(c.errors)],
        ['Résultat', c.result === 'success' ? 'EFFACEMENT RÉUSSI' : 'ÉCHEC'],
      ] as [string, string][],
    },
    {kind: 'signatures' as const, signatures: ['Le technicien', "Le responsable de l'atelier"]},
    {kind: 'small' as const, text: `Certificat ${c.id}`},
  ]
}
