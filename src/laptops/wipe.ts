import {randomInt} from 'node:crypto'
import {writeFileSync, mkdirSync} from 'node:fs'
import {open} from 'node:fs/promises'
import {hostname} from 'node:os'
import {join, resolve} from 'node:path'
import {audit, type ServiceContext} from '../core/context.js'
import {Cancelled, ExternalToolError, RuleViolation} from '../core/errors.js'
import {newId, nowIso} from '../core/ids.js'
import {hasTool, runTool} from '../remote/exec.js'
import {laptopsConfig} from './config.js'
import {assertWritable, declaredLoopSerial, describeDevice, rootDisk, type BlockDevice} from './devices.js'
import {assertTransition} from './lifecycle.js'
import {frDateText, writePdf} from './pdf.js'
import type {ProbeSnapshot} from './probe-parse.js'
import {getLaptop, moveLaptop} from './records.js'
import {chooseMethod, parseHdparmSecurity, parseNvmeIdCtrl, type AtaCaps, type MethodChoice, type NvmeCaps} from './wipe-method.js'

const CHUNK = 4 << 20
const SAMPLE = 4096

export interface WipeCertificate {
  id: string
  organisation: string
  technician: string
  laptopSerial: string
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
  serial: string
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
}

function diskSerialsOf(snapshot: string | null): string[] {
  if (!snapshot) return []
  return ((JSON.parse(snapshot) as ProbeSnapshot).disks ?? []).map((d) => d.serial).filter((s): s is string => Boolean(s))
}

/**
 * Check everything, confirm, then sanitise the disk of one laptop and issue the certificate.
 * Refused: a device mounted or used as swap, the disk alpi runs from, a disk whose serial is
 * not one of the laptop's disks (from its probe snapshot), a laptop not yet diagnosed.
 */
export async function wipe(ctx: ServiceContext, opts: WipeOptions): Promise<WipeResult> {
  const laptop = await getLaptop(ctx.store.db, opts.serial)
  assertTransition(laptop.serial, laptop.state, 'wiped')
  const dev = await describeDevice(opts.device)
  assertWritable(dev, rootDisk(), 'the wipe')
  const devSerial = declaredLoopSerial(dev, opts.deviceSerial)
  const expected = diskSerialsOf(laptop.snapshot)
  if (!devSerial || !expected.includes(devSerial)) {
    throw new RuleViolation('DEVICE_SERIAL_MISMATCH', `${dev.path} has serial ${devSerial ?? '(none)'}, not a disk of laptop ${laptop.serial} (${expected.join(', ') || 'no disk in its snapshot'})`, {
      actions: expected.length ? ['Check that the disk in the dock is the one of this laptop, or probe the laptop again.'] : [`Probe the laptop first: alpi laptops probe (on it), then grade it.`],
      data: {device: dev.path, deviceSerial: devSerial, expected},
    })
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
  const method = chooseMethod(dev, caps, opts.method)
  ctx.out.info(`${dev.path}: ${method.method} (${method.level}) - ${method.why}`)
  await opts.confirm({device: dev, laptop: laptop.serial, method})

  const start = nowIso()
  const t0 = Date.now()
  let bytesWritten = 0
  let errors = 0
  let verification: WipeCertificate['verification']
  if (method.method === 'overwrite') {
    const w = await overwrite(ctx, dev.path, dev.sizeBytes)
    bytesWritten = w.bytes
    errors = w.errors
    verification = await verifyPattern(ctx, dev.path, dev.sizeBytes, opts.verify ?? 'sample', opts.samples ?? 1024)
  } else {
    await runFirmwareErase(ctx, method)
    bytesWritten = dev.sizeBytes
    const v = await verifyPattern(ctx, dev.path, dev.sizeBytes, 'sample', 64, true)
    verification = {...v, mode: 'firmware'}
  }
  const end = nowIso()
  const host = await hostIdentity()
  const cfg = laptopsConfig(ctx.config)
  const certificate: WipeCertificate = {
    id: newId(),
    organisation: cfg.organisation ?? ctx.config.organisation ?? 'ALPI - Agence Landaise Pour l\'Informatique',
    technician: ctx.actor,
    laptopSerial: laptop.serial,
    host,
    disk: {device: dev.path, maker: dev.vendor, model: dev.model, serial: devSerial, sizeBytes: dev.sizeBytes, transport: dev.transport},
    method: method.method,
    methodDetail: method.why,
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
  const dir = resolve(opts.outDir)
  mkdirSync(dir, {recursive: true})
  const base = join(dir, `certificat-effacement-${laptop.serial.replace(/[^A-Za-z0-9._-]/g, '_')}-${start.slice(0, 10)}-${certificate.id.slice(0, 8)}`)
  writeFileSync(`${base}.json`, JSON.stringify(certificate, null, 2) + '\n', {mode: 0o640})
  await writePdf(`${base}.pdf`, {title: `Certificat d'effacement ${laptop.serial}`, author: certificate.organisation}, certificateBlocks(certificate))
  await ctx.store.transaction(async (trx) => {
    await trx.insertInto('laptop_wipe_certificates').values({id: certificate.id, serial: laptop.serial, device: dev.path, disk_serial: devSerial, method: method.method, level: method.level, verified: verification.passed ? 1 : 0, bytes: bytesWritten, errors, started_at: start, ended_at: end, data: JSON.stringify(certificate)}).execute()
    if (certificate.result === 'success') {
      const fresh = await getLaptop(trx, laptop.serial)
      await moveLaptop(ctx, trx, fresh, 'wiped', {wipe_certificate_id: certificate.id, image_name: null, image_sha256: null}, {certificate: certificate.id, level: method.level})
    }
    await audit(ctx, trx, {entity: 'laptop', entityId: laptop.serial, action: 'wipe', result: certificate.result === 'success' ? 'ok' : 'failed', summary: `disk ${method.method} (${method.level}), verification ${verification.passed ? 'passed' : 'FAILED'}`, data: {certificate: certificate.id, bytes: bytesWritten, errors}})
  })
  if (certificate.result !== 'success') {
    throw new RuleViolation('WIPE_NOT_VERIFIED', `The wipe of ${dev.path} was not verified (${verification.mismatches} block(s) differ, ${errors} write error(s)): the laptop stays ${laptop.state}`, {
      actions: ['Run the wipe again; if it fails again the disk is faulty: replace it (laptops grade) or destroy it.'],
      data: {certificate: `${base}.json`},
    })
  }
  return {certificate, json: `${base}.json`, pdf: `${base}.pdf`}
}

function progress(ctx: ServiceContext, label: string, total: number) {
  let last = 0
  return (done: number) => {
    const now = Date.now()
    if (done < total && now - last < 1000) return
    last = now
    ctx.out.info(`${label}: ${done} / ${total} bytes (${total ? Math.floor((done / total) * 100) : 100}%)`)
  }
}

/** Zeros over the whole device, 4 MiB writes, then fsync. */
async function overwrite(ctx: ServiceContext, device: string, size: number): Promise<{bytes: number; errors: number}> {
  const fh = await open(device, 'r+')
  const buf = Buffer.alloc(CHUNK)
  const tick = progress(ctx, `wipe ${device}`, size)
  let bytes = 0
  let errors = 0
  try {
    for (let off = 0; off < size; off += CHUNK) {
      if (ctx.signal.aborted) throw new Cancelled('Wipe interrupted: the disk is partly overwritten, run the wipe again')
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
    await fh.sync()
  } finally {
    await fh.close()
  }
  tick(size)
  return {bytes, errors}
}

/**
 * Read back after dropping the device's buffers (blockdev --flushbufs), so the reads come
 * from the medium, not the page cache. 'sample': first and last MiB + N random 4 KiB blocks.
 */
async function verifyPattern(ctx: ServiceContext, device: string, size: number, mode: 'all' | 'sample', samples: number, readableOnly = false): Promise<WipeCertificate['verification']> {
  await runTool('blockdev', ['--flushbufs', device], {pkg: 'util-linux', signal: ctx.signal})
  const fh = await open(device, 'r')
  let blocks = 0
  let bytesChecked = 0
  let mismatches = 0
  const check = async (off: number, len: number) => {
    const buf = Buffer.alloc(len)
    const {bytesRead} = await fh.read(buf, 0, len, off)
    blocks++
    bytesChecked += bytesRead
    if (bytesRead !== len) mismatches++
    else if (!readableOnly && !isZero(buf)) mismatches++
  }
  try {
    if (mode === 'all') {
      const tick = progress(ctx, `verify ${device}`, size)
      for (let off = 0; off < size; off += CHUNK) {
        await check(off, Math.min(CHUNK, size - off))
        tick(off + Math.min(CHUNK, size - off))
      }
    } else {
      const mib = Math.min(1 << 20, size)
      await check(0, mib)
      await check(size - mib, mib)
      const nBlocks = Math.floor(size / SAMPLE)
      for (let i = 0; i < samples && nBlocks > 0; i++) await check(randomInt(nBlocks) * SAMPLE, SAMPLE)
    }
  } finally {
    await fh.close()
  }
  return {mode, blocksChecked: blocks, bytesChecked, mismatches, passed: mismatches === 0}
}

function isZero(buf: Buffer): boolean {
  for (let i = 0; i < buf.length; i += 8) if (buf.readBigUInt64LE(Math.min(i, buf.length - 8)) !== 0n) return false
  return true
}

/** NVMe sanitize/format or ATA security erase: run the chosen command lines. */
async function runFirmwareErase(ctx: ServiceContext, m: MethodChoice): Promise<void> {
  const pkg = m.tool === 'hdparm' ? 'hdparm' : 'nvme-cli'
  for (const argv of m.commands) {
    if (argv[1] === 'sanitize-log') {
      // poll until the sanitize operation reports done (SSTAT bits 2:0 = 1 success, 3 failed)
      for (let i = 0; i < 7200; i++) {
        const r = await runTool(argv[0]!, argv.slice(1), {pkg, signal: ctx.signal})
        const log = JSON.parse(r.stdout) as Record<string, {sstat?: number; sprog?: number}>
        const entry = Object.values(log)[0] ?? (log as {sstat?: number; sprog?: number})
        const st = Number(entry.sstat ?? 0) & 7
        if (st === 1) return
        if (st === 3) throw new ExternalToolError('The NVMe sanitize operation failed', {code: 'SANITIZE_FAILED', actions: ['Retry; if it fails again replace or destroy the disk.']})
        ctx.out.info(`sanitize: ${Math.round((Number(entry.sprog ?? 0) / 65536) * 100)}%`)
        await new Promise((r2) => setTimeout(r2, 2000))
      }
      throw new ExternalToolError('The NVMe sanitize did not finish in 4 hours', {code: 'SANITIZE_TIMEOUT'})
    }
    await runTool(argv[0]!, argv.slice(1), {pkg, signal: ctx.signal, timeoutMs: 6 * 3600_000})
  }
}

/** The machine doing the wipe (nwipe puts the system serial and UUID on its certificate). */
async function hostIdentity(): Promise<WipeCertificate['host']> {
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
  const dt = (iso: string) => `${frDateText(iso)} ${iso.slice(11, 19)} UTC`
  return [
    {kind: 'title' as const, text: 'CERTIFICAT D\'EFFACEMENT DES DONNÉES'},
    {kind: 'text' as const, text: `Effacement réalisé selon la norme NIST SP 800-88 Rev. 2, niveau ${c.level === 'Purge' ? 'Purge (purge)' : 'Clear (effacement)'}, avant la remise en service d'un ordinateur reconditionné (décret n° 2022-190).`},
    {kind: 'heading' as const, text: 'Organisation'},
    {kind: 'fields' as const, fields: [['Organisation', c.organisation], ['Technicien', c.technician], ['Ordinateur (numéro de série)', c.laptopSerial], ['Poste d\'effacement', `${c.host.name} (n° de série ${c.host.serial ?? 'inconnu'}, UUID ${c.host.uuid ?? 'inconnu'})`]] as [string, string][]},
    {kind: 'heading' as const, text: 'Support effacé'},
    {kind: 'fields' as const, fields: [['Fabricant', c.disk.maker ?? 'inconnu'], ['Modèle', c.disk.model ?? 'inconnu'], ['Numéro de série', c.disk.serial ?? 'inconnu'], ['Taille', `${c.disk.sizeBytes} octets`], ['Bus', c.disk.transport ?? 'inconnu'], ['Périphérique', c.disk.device]] as [string, string][]},
    {kind: 'heading' as const, text: 'Effacement'},
    {kind: 'fields' as const, fields: [
      ['Méthode', `${c.method} (${c.tool})`], ['Niveau NIST', c.level], ['Motif', c.methodDetail], ['Motif écrit', c.pattern ?? 'sans objet (commande du disque)'],
      ['Vérification', `${c.verification.mode === 'all' ? 'relecture complète' : c.verification.mode === 'sample' ? 'relecture par échantillons' : 'statut du disque + lectures'} : ${c.verification.blocksChecked} blocs, ${c.verification.bytesChecked} octets relus, ${c.verification.mismatches} écart(s) - ${c.verification.passed ? 'CONFORME' : 'NON CONFORME'}`],
      ['Début', dt(c.start)], ['Fin', dt(c.end)], ['Durée', `${c.durationSeconds} s`], ['Octets écrits', String(c.bytesWritten)], ['Erreurs', String(c.errors)],
      ['Résultat', c.result === 'success' ? 'EFFACEMENT RÉUSSI' : 'ÉCHEC'],
    ] as [string, string][]},
    {kind: 'signatures' as const, signatures: ['Le technicien', 'Le responsable de l\'atelier']},
    {kind: 'small' as const, text: `Certificat ${c.id}`},
  ]
}
