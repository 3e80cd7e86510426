import {readFileSync} from 'node:fs'
import {z} from 'zod'
import {audit, type ServiceContext} from '../core/context.js'
import {RemoteHostError, UsageError} from '../core/errors.js'
import {newId, nowIso} from '../core/ids.js'
import {runTool} from '../remote/exec.js'
import {serialProblem} from './models.js'
import {BATTERY_SCRIPT, parseBatteries, parseDmidecode, parseLsblk, parseSmartctl, type ProbeSnapshot} from './probe-parse.js'
import {eventId, today} from './records.js'

/** Runs one program with arguments (locally through runTool, remotely over SSH). */
export interface CommandRunner {
  source: string
  run(argv: string[]): Promise<{code: number; stdout: string; stderr: string}>
}

const PKG: Record<string, string> = {dmidecode: 'dmidecode', lsblk: 'util-linux', smartctl: 'smartmontools', sh: 'dash'}

export function localRunner(signal?: AbortSignal): CommandRunner {
  return {
    source: 'local',
    async run(argv) {
      const r = await runTool(argv[0]!, argv.slice(1), {pkg: PKG[argv[0]!], allowFailure: true, timeoutMs: 60_000, signal})
      return {code: r.exitCode, stdout: r.stdout, stderr: r.stderr}
    },
  }
}

export const LSBLK_ARGS = ['-J', '-b', '-d', '-o', 'NAME,PATH,TYPE,SIZE,MODEL,SERIAL,TRAN,ROTA,RM']

/**
 * Collect the facts: dmidecode (system, CPU, memory), lsblk (disks), smartctl -j -a per
 * internal disk (removable ones, like the USB key alpi booted from, are listed but not
 * queried), batteries from /sys/class/power_supply.
 */
export async function collectSnapshot(runner: CommandRunner, opts: {powerSupplyDir?: string} = {}): Promise<ProbeSnapshot> {
  const dmi = await runner.run(['dmidecode', '-t', '1', '-t', '4', '-t', '17'])
  if (dmi.code !== 0) throw new RemoteHostError(`dmidecode failed on ${runner.source} (exit ${dmi.code}): ${dmi.stderr.trim().split('\n').at(-1) ?? ''}`, {code: 'PROBE_FAILED', actions: ['Run the probe as root (dmidecode reads the firmware tables).']})
  const system = parseDmidecode(dmi.stdout)
  const ls = await runner.run(['lsblk', ...LSBLK_ARGS])
  if (ls.code !== 0) throw new RemoteHostError(`lsblk failed on ${runner.source} (exit ${ls.code})`, {code: 'PROBE_FAILED', actions: ['Check that util-linux is installed.']})
  const disks = parseLsblk(ls.stdout)
  for (const d of disks) {
    if (d.removable) continue
    const s = await runner.run(['smartctl', '-j', '-a', d.path])
    // smartctl's exit status is a bit mask: JSON is printed even with bits set
    try {
      const smart = parseSmartctl(s.stdout)
      d.smart = smart
      if (!d.serial && smart.serial) d.serial = smart.serial
    } catch {
      d.smart = null
    }
  }
  const bat = await runner.run(['sh', '-c', BATTERY_SCRIPT, 'sh', opts.powerSupplyDir ?? '/sys/class/power_supply'])
  return {version: 1, collectedAt: nowIso(), source: runner.source, system, disks, batteries: parseBatteries(bat.stdout)}
}

const SnapshotFileSchema = z.object({
  version: z.literal(1),
  collectedAt: z.string(),
  source: z.string(),
  system: z.object({serial: z.string().nullable(), maker: z.string().nullable(), model: z.string().nullable()}).passthrough(),
  disks: z.array(z.object({path: z.string(), serial: z.string().nullable()}).passthrough()),
  batteries: z.array(z.object({name: z.string(), healthPct: z.number().nullable()}).passthrough()),
})

function checkSnapshot(raw: unknown, where: string): ProbeSnapshot {
  const candidate = (raw as {result?: {snapshot?: unknown}})?.result?.snapshot ?? (raw as {snapshot?: unknown})?.snapshot ?? raw
  const parsed = SnapshotFileSchema.safeParse(candidate)
  if (!parsed.success) throw new UsageError(`${where} is not a probe snapshot: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`, {actions: ['Pass the output of `alpi laptops probe --json` (one per line for several).']})
  return parsed.data as unknown as ProbeSnapshot
}

/**
 * Snapshots saved earlier: one JSON document (`alpi laptops probe --json --no-save > x.json`,
 * the envelope or its result), or JSON lines, one snapshot per line (a batch from the bench).
 */
export function readSnapshotFile(path: string): ProbeSnapshot[] {
  const text = readFileSync(path, 'utf8')
  try {
    return [checkSnapshot(JSON.parse(text), path)]
  } catch (error) {
    if (error instanceof UsageError) throw error
  }
  const out: ProbeSnapshot[] = []
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue
    let raw: unknown
    try {
      raw = JSON.parse(line)
    } catch (error) {
      throw new UsageError(`${path} line ${i + 1} is not JSON: ${(error as Error).message}`, {actions: ['Pass one JSON snapshot, or JSON lines (one snapshot per line).']})
    }
    out.push(checkSnapshot(raw, `${path} line ${i + 1}`))
  }
  return out
}

/** Many snapshots at once (one transaction, one audit entry); each needs a usable DMI serial. */
export async function saveSnapshots(ctx: ServiceContext, snapshots: ProbeSnapshot[]): Promise<{stored: number; created: number}> {
  for (const s of snapshots) {
    const problem = serialProblem(s.system.serial)
    if (problem) throw new UsageError(`A snapshot has no usable serial (${problem})`, {actions: ['Store that one alone with --serial SERIAL.']})
  }
  return ctx.store.transaction(async (trx) => {
    const at = nowIso()
    let created = 0
    for (let i = 0; i < snapshots.length; i += 500) {
      const chunk = snapshots.slice(i, i + 500)
      const existing = new Set((await trx.selectFrom('laptops').select('serial').where('serial', 'in', chunk.map((s) => s.system.serial!)).execute()).map((r) => r.serial))
      for (const s of chunk) {
        const serial = s.system.serial!
        if (existing.has(serial)) {
          await trx.updateTable('laptops').set({snapshot: JSON.stringify(s), probed_at: s.collectedAt, updated_at: at}).where('serial', '=', serial).execute()
        } else {
          created++
          await trx.insertInto('laptops').values({serial, maker: s.system.maker, model: s.system.model, asset_tag: null, lot: null, notes: null, state: 'received', grade: null, verdict: null, verdict_reasons: null, site_code: null, beneficiary_ref: null, image_name: null, image_sha256: null, wipe_certificate_id: null, snapshot: JSON.stringify(s), probed_at: s.collectedAt, state_changed_at: at, created_at: at, updated_at: at}).execute()
          await trx.insertInto('laptop_events').values({id: eventId(), serial, at, day: today(), from_state: null, to_state: 'received', actor: ctx.actor, detail: JSON.stringify({by: 'probe'})}).execute()
        }
      }
    }
    await audit(ctx, trx, {entity: 'laptop', action: 'probe', summary: `${snapshots.length} hardware snapshot(s) stored from a file, ${created} new laptop(s)`, data: {stored: snapshots.length, created}})
    return {stored: snapshots.length, created}
  })
}

export interface ProbeResult {
  serial: string
  created: boolean
  snapshot: ProbeSnapshot
  /** with --from FILE of several snapshots */
  batch?: {stored: number; created: number}
}

/**
 * Store a snapshot on the laptop's record (by the DMI serial, or the label's serial given
 * when the firmware has a placeholder). A laptop not yet recorded is created as received.
 */
export async function saveSnapshot(ctx: ServiceContext, snapshot: ProbeSnapshot, opts: {serial?: string} = {}): Promise<ProbeResult> {
  let serial = opts.serial?.trim() || snapshot.system.serial || ''
  const problem = serialProblem(serial)
  if (problem) {
    throw new UsageError(`No usable serial from the firmware (${snapshot.system.serialProblem ?? problem})`, {
      actions: ['Read the serial on the label under the laptop and pass it: --serial SERIAL'],
      data: {dmiSerial: snapshot.system.serial},
    })
  }
  serial = serial.trim()
  return ctx.store.transaction(async (trx) => {
    const existing = await trx.selectFrom('laptops').select(['serial', 'maker', 'model']).where('serial', '=', serial).executeTakeFirst()
    const at = nowIso()
    if (existing) {
      await trx.updateTable('laptops').set({snapshot: JSON.stringify(snapshot), probed_at: snapshot.collectedAt, maker: existing.maker ?? snapshot.system.maker, model: existing.model ?? snapshot.system.model, updated_at: at}).where('serial', '=', serial).execute()
    } else {
      await trx.insertInto('laptops').values({serial, maker: snapshot.system.maker, model: snapshot.system.model, asset_tag: null, lot: null, notes: null, state: 'received', grade: null, verdict: null, verdict_reasons: null, site_code: null, beneficiary_ref: null, image_name: null, image_sha256: null, wipe_certificate_id: null, snapshot: JSON.stringify(snapshot), probed_at: snapshot.collectedAt, state_changed_at: at, created_at: at, updated_at: at}).execute()
      await trx.insertInto('laptop_events').values({id: eventId(), serial, at, day: today(), from_state: null, to_state: 'received', actor: ctx.actor, detail: JSON.stringify({by: 'probe'})}).execute()
    }
    await audit(ctx, trx, {entity: 'laptop', entityId: serial, action: 'probe', summary: `hardware snapshot stored (${snapshot.source})${existing ? '' : ', laptop recorded as received'}`, data: {source: snapshot.source, disks: snapshot.disks.length, batteries: snapshot.batteries.length}})
    return {serial, created: !existing, snapshot}
  })
}

export interface ProbeOptions {
  ssh?: {host: string; port?: number; username: string; privateKeyPath?: string; knownHostsFiles?: string[]}
  /** A saved snapshot instead of probing */
  from?: string
  serial?: string
  save?: boolean
  /** Prepend to PATH for the tools (a live USB with tools under /opt/alpi/bin, say). */
  toolsPath?: string
  powerSupplyDir?: string
}

/** `laptops probe`: this machine, a machine over SSH, or a saved snapshot. */
export async function probe(ctx: ServiceContext, opts: ProbeOptions): Promise<ProbeResult> {
  let snapshot: ProbeSnapshot
  if (opts.from) {
    const all = readSnapshotFile(opts.from)
    if (all.length === 0) throw new UsageError(`${opts.from} holds no snapshot`, {actions: ['Pass the output of `alpi laptops probe --json`.']})
    if (all.length > 1) {
      if (opts.serial) throw new UsageError('--serial applies to one snapshot, the file holds several', {actions: ['Remove --serial.']})
      const batch = opts.save === false ? {stored: 0, created: 0} : await saveSnapshots(ctx, all)
      return {serial: '', created: false, snapshot: all[0]!, batch}
    }
    snapshot = all[0]!
  } else if (opts.ssh) {
    const {connectSsh} = await import('../remote/ssh.js')
    const session = await connectSsh({host: opts.ssh.host, port: opts.ssh.port, username: opts.ssh.username, privateKeyPath: opts.ssh.privateKeyPath}, {store: ctx.store, knownHostsFiles: opts.ssh.knownHostsFiles, signal: ctx.signal})
    try {
      const prefix = opts.toolsPath ? ['env', `PATH=${opts.toolsPath}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`] : []
      const runner: CommandRunner = {source: `ssh://${opts.ssh.username}@${opts.ssh.host}`, run: (argv) => session.exec([...prefix, ...argv], {allowFailure: true, timeoutMs: 60_000})}
      snapshot = await collectSnapshot(runner, {powerSupplyDir: opts.powerSupplyDir})
    } finally {
      await session.close()
    }
  } else {
    const base = localRunner(ctx.signal)
    const runner: CommandRunner = opts.toolsPath ? {source: 'local', run: (argv) => base.run(['env', `PATH=${opts.toolsPath}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`, ...argv])} : base
    snapshot = await collectSnapshot(runner, {powerSupplyDir: opts.powerSupplyDir})
  }
  if (opts.save === false) {
    return {serial: opts.serial ?? snapshot.system.serial ?? '', created: false, snapshot}
  }
  return saveSnapshot(ctx, snapshot, {serial: opts.serial})
}
