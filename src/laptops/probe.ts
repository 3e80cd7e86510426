import {readFileSync} from 'node:fs'
import type {Kysely} from 'kysely'
import {z} from 'zod'
import {audit, type ServiceContext} from '../context/service-context.js'
import {ExternalToolError, RemoteHostError, UsageError} from '../core/errors.js'
import type {Lang} from '../core/i18n.js'
import {nowIso, today} from '../core/ids.js'
import type {Database} from '../store/schema.js'
import {runTool} from '../tools/exec.js'
import {msg, showStored, storedCode, storedMessage, type StoredText, type WarningKey} from './messages/index.js'
import {serialProblem, serialProblemCode} from './model.js'
import {
  BATTERY_SCRIPT,
  dmiProblem,
  parseBatteries,
  parseCpuinfo,
  parseDmidecode,
  parseLsblk,
  parseMeminfo,
  parseSmartctl,
  ramFromMemTotal,
  smartProblem,
  unknownSystem,
  type ProbeSnapshot,
  type ProbeWarning,
  type SystemFacts,
} from './probe-parse.js'
import {eventId} from './records.js'

/** Runs one program with arguments (locally through runTool, remotely over SSH). */
export interface CommandRunner {
  source: string
  run(argv: string[]): Promise<{code: number; stdout: string; stderr: string}>
}

const PKG: Record<string, string> = {dmidecode: 'dmidecode', lsblk: 'util-linux', smartctl: 'smartmontools', sh: 'dash', cat: 'coreutils'}

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

export interface CollectOptions {
  powerSupplyDir?: string
  /** Told each warning as it happens, in the person's language (ctx.out.warn). */
  warn?: (message: string) => void
  /** Called once the system facts are known, before the slow part (smartctl per disk): may throw to stop. */
  onSystem?: (system: SystemFacts) => void
}

/** Runs a tool; a tool missing on this machine (runTool's TOOL_MISSING) is a failed run like exit 127 over SSH. */
async function tryRun(runner: CommandRunner, argv: string[]): Promise<{code: number; stdout: string; stderr: string; missing?: string}> {
  try {
    return await runner.run(argv)
  } catch (error) {
    if (error instanceof ExternalToolError && error.code === 'TOOL_MISSING')
      return {code: 127, stdout: '', stderr: error.message, missing: error.message}
    throw error
  }
}

/** Where a probe runs, as the person reads it: this machine, or ssh://user@host. */
const where = (runner: CommandRunner): StoredText => (runner.source === 'local' ? storedCode('here') : runner.source)

const lastLine = (s: string) =>
  s
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1) ?? ''

/**
 * Collect the facts: dmidecode (system, CPU, memory), lsblk (disks), smartctl -j -a per
 * internal disk (removable ones, like the USB key alpi booted from, are listed but not
 * queried), batteries from /sys/class/power_supply. What one source cannot give is left
 * unknown (null) with a warning, and the probe goes on: without DMI tables (a VM, a
 * container, not root) RAM comes from /proc/meminfo and the CPU from /proc/cpuinfo, read
 * through the runner so that it works the same over SSH. Only lsblk is required (no disk
 * list, no grading).
 */
export async function collectSnapshot(runner: CommandRunner, opts: CollectOptions = {}): Promise<ProbeSnapshot> {
  const warnings: ProbeWarning[] = []
  // stored as a code and params in the snapshot, told in the person's language
  const warn = (source: string, key: WarningKey, params: Record<string, string | number | StoredText>) => {
    const warning = {source, code: key, params: {...params, where: where(runner)}}
    warnings.push(warning)
    opts.warn?.(probeWarningText(warning))
  }

  const dmi = await tryRun(runner, ['dmidecode', '-t', '1', '-t', '4', '-t', '17'])
  const dmiFailure = dmiProblem(dmi.code, dmi.stdout, dmi.stderr)
  let system: SystemFacts
  if (dmiFailure) {
    system = unknownSystem(storedCode('dmiNoFacts', {reason: dmiFailure}))
    warn('dmidecode', 'dmiFailed', {reason: dmiFailure})
  } else {
    system = parseDmidecode(dmi.stdout)
    if (system.serialProblem) warn('dmidecode', 'dmiSerial', {reason: system.serialProblem})
  }
  system.ramSource = system.ramBytes > 0 ? 'dmidecode' : null
  system.cpuSource = system.cpu ? 'dmidecode' : null
  if (system.ramBytes === 0) {
    const mem = await tryRun(runner, ['cat', '/proc/meminfo'])
    const total = mem.code === 0 ? parseMeminfo(mem.stdout) : null
    if (total) {
      system.memTotalBytes = total
      system.ramBytes = ramFromMemTotal(total)
      system.ramSource = 'meminfo'
      warn('/proc/meminfo', 'ramFromMeminfo', {kb: total / 1024, gib: system.ramBytes / 1024 ** 3})
    } else {
      warn('/proc/meminfo', 'fallbackFailed', {
        file: '/proc/meminfo',
        what: 'RAM',
        reason: mem.code === 0 ? storedCode('noMemTotal') : storedCode('exitDetail', {code: mem.code, detail: lastLine(mem.stderr)}),
      })
    }
  }
  if (!system.cpu) {
    const cpu = await tryRun(runner, ['cat', '/proc/cpuinfo'])
    const facts = cpu.code === 0 ? parseCpuinfo(cpu.stdout) : null
    if (facts && facts.threads) {
      system.cpu = facts.cpu
      system.cores ??= facts.cores
      system.threads ??= facts.threads
      system.cpuSource = 'cpuinfo'
      warn('/proc/cpuinfo', 'cpuFromCpuinfo', {})
    } else {
      warn('/proc/cpuinfo', 'fallbackFailed', {
        file: '/proc/cpuinfo',
        what: 'CPU',
        reason: cpu.code === 0 ? storedCode('noProcessor') : storedCode('exitDetail', {code: cpu.code, detail: lastLine(cpu.stderr)}),
      })
    }
  }
  opts.onSystem?.(system)

  const ls = await runner.run(['lsblk', ...LSBLK_ARGS])
  if (ls.code !== 0)
    throw new RemoteHostError(msg('lsblkFailed', {where: showStored(where(runner)), code: ls.code, detail: lastLine(ls.stderr)}), {
      code: 'PROBE_FAILED',
      actions: [msg('lsblkFailedAction')],
    })
  const disks = parseLsblk(ls.stdout)
  let smartctlMissing = false
  for (const d of disks) {
    if (d.removable) continue
    if (smartctlMissing) {
      d.smart = null
      continue
    }
    const s = await tryRun(runner, ['smartctl', '-j', '-a', d.path])
    // smartctl's exit status is a bit mask: JSON is printed even with bits set
    // exit 127 without JSON: the shell found no smartctl (over SSH; locally runTool says so)
    const missing = Boolean(s.missing) || (s.code === 127 && !s.stdout.trimStart().startsWith('{'))
    const problem = missing ? null : smartProblem(s.code, s.stdout, s.stderr)
    if (missing) {
      smartctlMissing = true
      d.smart = null
      warn('smartctl', 'toolMissing', {tool: 'smartctl', reason: lastLine(s.stderr) || storedCode('exitCode', {code: 127})})
    } else if (problem) {
      d.smart = null
      warn('smartctl', 'noSmart', {disk: d.path, reason: problem})
    } else {
      const smart = parseSmartctl(s.stdout)
      d.smart = smart
      if (!d.serial && smart.serial) d.serial = smart.serial
    }
  }
  const bat = await runner.run(['sh', '-c', BATTERY_SCRIPT, 'sh', opts.powerSupplyDir ?? '/sys/class/power_supply'])
  return {version: 1, collectedAt: nowIso(), source: runner.source, system, disks, batteries: parseBatteries(bat.stdout), warnings}
}

/**
 * The laptop's serial: the one given (--serial, the label's), or the firmware's. Without
 * either, a UsageError naming --serial (exit 2).
 */
/** A probe warning as a person reads it (an older snapshot's English sentence as it was written). */
export function probeWarningText(warning: ProbeWarning, lang?: Lang): string {
  return warning.code ? showStored({code: warning.code, params: warning.params}, lang) : (warning.message ?? '')
}

export function resolveSerial(system: SystemFacts, given?: string): string {
  if (given !== undefined && given.trim() !== '') {
    const problem = serialProblem(given)
    if (problem)
      throw new UsageError(msg('serialFlagBad', {serial: JSON.stringify(given), reason: problem}), {actions: [msg('serialLabelAction')]})
    return given.trim()
  }
  const problem = serialProblem(system.serial)
  if (problem) {
    throw new UsageError(msg.m('serialNeeded', {reason: storedMessage(system.serialProblem ?? serialProblemCode(system.serial)!)}), {
      actions: [msg('serialLabelAction')],
      data: {dmiSerial: system.serial, flag: '--serial'},
    })
  }
  return system.serial!.trim()
}

const SnapshotFileSchema = z.object({
  version: z.literal(1),
  collectedAt: z.string(),
  source: z.string(),
  system: z.object({serial: z.string().nullable(), maker: z.string().nullable(), model: z.string().nullable()}).passthrough(),
  disks: z.array(z.object({path: z.string(), serial: z.string().nullable()}).passthrough()),
  batteries: z.array(z.object({name: z.string(), healthPct: z.number().nullable()}).passthrough()),
  // a code and params, or the English sentence of a snapshot written before the codes
  warnings: z
    .array(
      z.object({
        source: z.string(),
        code: z.string().optional(),
        params: z.record(z.string(), z.unknown()).optional(),
        message: z.string().optional(),
      }),
    )
    .optional(),
})

function checkSnapshot(raw: unknown, where: string): ProbeSnapshot {
  const candidate = (raw as {result?: {snapshot?: unknown}})?.result?.snapshot ?? (raw as {snapshot?: unknown})?.snapshot ?? raw
  const parsed = SnapshotFileSchema.safeParse(candidate)
  if (!parsed.success)
    throw new UsageError(
      msg('notSnapshot', {where, path: parsed.error.issues[0]?.path.join('.') ?? '', problem: parsed.error.issues[0]?.message ?? ''}),
      {actions: [msg('notSnapshotAction')]},
    )
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
      throw new UsageError(msg('notJson', {file: path, line: i + 1, detail: (error as Error).message}), {actions: [msg('notJsonAction')]})
    }
    out.push(checkSnapshot(raw, msg('fileLine', {file: path, line: i + 1})))
  }
  return out
}

/** Many snapshots at once (one transaction, one audit entry); each needs a usable DMI serial. */
export async function saveSnapshots(ctx: ServiceContext, snapshots: ProbeSnapshot[]): Promise<{stored: number; created: number}> {
  for (const s of snapshots) {
    const problem = serialProblem(s.system.serial)
    if (problem)
      throw new UsageError(
        msg.m('snapshotNoSerial', {reason: storedMessage(s.system.serialProblem ?? serialProblemCode(s.system.serial)!)}),
        {actions: [msg('snapshotNoSerialAction')]},
      )
  }
  return ctx.store.transaction(async (trx) => {
    const at = nowIso()
    let created = 0
    for (let i = 0; i < snapshots.length; i += 500) {
      const chunk = snapshots.slice(i, i + 500)
      const existing = new Set(
        (
          await trx
            .selectFrom('laptops')
            .select('serial')
            .where(
              'serial',
              'in',
              chunk.map((s) => s.system.serial!),
            )
            .execute()
        ).map((r) => r.serial),
      )
      for (const s of chunk) {
        const serial = s.system.serial!
        if (existing.has(serial)) {
          await trx
            .updateTable('laptops')
            .set({snapshot: JSON.stringify(s), probed_at: s.collectedAt, updated_at: at})
            .where('serial', '=', serial)
            .execute()
        } else {
          created++
          await recordProbedLaptop(ctx, trx, serial, s, at)
        }
      }
    }
    await audit(ctx, trx, {
      entity: 'laptop',
      action: 'probe',
      summary: {code: 'snapshotsFromFile', params: {n: snapshots.length, created}},
      data: {stored: snapshots.length, created},
    })
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
  const serial = resolveSerial(snapshot.system, opts.serial)
  return ctx.store.transaction(async (trx) => {
    const existing = await trx.selectFrom('laptops').select(['serial', 'maker', 'model']).where('serial', '=', serial).executeTakeFirst()
    const at = nowIso()
    if (existing) {
      await trx
        .updateTable('laptops')
        .set({
          snapshot: JSON.stringify(snapshot),
          probed_at: snapshot.collectedAt,
          maker: existing.maker ?? snapshot.system.maker,
          model: existing.model ?? snapshot.system.model,
          updated_at: at,
        })
        .where('serial', '=', serial)
        .execute()
    } else {
      await recordProbedLaptop(ctx, trx, serial, snapshot, at)
    }
    await audit(ctx, trx, {
      entity: 'laptop',
      entityId: serial,
      action: 'probe',
      summary: {code: existing ? 'snapshotStored' : 'snapshotStoredNew', params: {source: snapshot.source}},
      data: {
        source: snapshot.source,
        disks: snapshot.disks.length,
        batteries: snapshot.batteries.length,
        warnings: snapshot.warnings?.length ?? 0,
      },
    })
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
  const collect: CollectOptions = {
    powerSupplyDir: opts.powerSupplyDir,
    warn: (message) => ctx.out.warn(message),
    // no serial to store it under: say so before the slow part (smartctl per disk)
    onSystem: opts.save === false ? undefined : (system) => void resolveSerial(system, opts.serial),
  }
  if (opts.from) {
    const all = readSnapshotFile(opts.from)
    if (all.length === 0) throw new UsageError(msg('noSnapshotInFile', {file: opts.from}), {actions: [msg('noSnapshotInFileAction')]})
    if (all.length > 1) {
      if (opts.serial) throw new UsageError(msg('serialOneSnapshot'), {actions: [msg('serialOneSnapshotAction')]})
      const batch = opts.save === false ? {stored: 0, created: 0} : await saveSnapshots(ctx, all)
      return {serial: '', created: false, snapshot: all[0]!, batch}
    }
    snapshot = all[0]!
  } else if (opts.ssh) {
    const {connectSsh} = await import('../remote/ssh.js')
    const session = await connectSsh(
      {host: opts.ssh.host, port: opts.ssh.port, username: opts.ssh.username, privateKeyPath: opts.ssh.privateKeyPath},
      {store: ctx.store, knownHostsFiles: opts.ssh.knownHostsFiles, signal: ctx.signal},
    )
    try {
      const prefix = opts.toolsPath ? ['env', `PATH=${opts.toolsPath}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`] : []
      const runner: CommandRunner = {
        source: `ssh://${opts.ssh.username}@${opts.ssh.host}`,
        run: (argv) => session.exec([...prefix, ...argv], {allowFailure: true, timeoutMs: 60_000}),
      }
      snapshot = await collectSnapshot(runner, collect)
    } finally {
      await session.close()
    }
  } else {
    const base = localRunner(ctx.signal)
    const runner: CommandRunner = opts.toolsPath
      ? {
          source: 'local',
          run: (argv) => base.run(['env', `PATH=${opts.toolsPath}:${process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'}`, ...argv]),
        }
      : base
    snapshot = await collectSnapshot(runner, collect)
  }
  if (opts.save === false) {
    return {serial: opts.serial ?? snapshot.system.serial ?? '', created: false, snapshot}
  }
  return saveSnapshot(ctx, snapshot, {serial: opts.serial})
}

/** A laptop seen first by its probe: recorded as received with its snapshot, and its first event. */
async function recordProbedLaptop(
  ctx: ServiceContext,
  trx: Kysely<Database>,
  serial: string,
  snapshot: ProbeSnapshot,
  at: string,
): Promise<void> {
  await trx
    .insertInto('laptops')
    .values({
      serial,
      maker: snapshot.system.maker,
      model: snapshot.system.model,
      asset_tag: null,
      lot: null,
      notes: null,
      state: 'received',
      grade: null,
      verdict: null,
      verdict_reasons: null,
      site_code: null,
      beneficiary_ref: null,
      image_name: null,
      image_sha256: null,
      wipe_certificate_id: null,
      snapshot: JSON.stringify(snapshot),
      probed_at: snapshot.collectedAt,
      state_changed_at: at,
      created_at: at,
      updated_at: at,
    })
    .execute()
  await trx
    .insertInto('laptop_events')
    .values({
      id: eventId(),
      serial,
      at,
      day: today(),
      from_state: null,
      to_state: 'received',
      actor: ctx.actor,
      detail: JSON.stringify({by: 'probe'}),
    })
    .execute()
}
