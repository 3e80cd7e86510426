import {constants as fsConstants, existsSync, readFileSync, realpathSync, statSync} from 'node:fs'
import {open, type FileHandle} from 'node:fs/promises'
import {basename} from 'node:path'
import {RuleViolation, UsageError} from '../core/errors.js'
import type {Kysely} from 'kysely'
import {parseToolJson, runTool} from '../tools/exec.js'
import type {Database} from '../store/schema.js'
import {msg, showStored, storedCode, storedMessage, type StoredText} from './messages/index.js'
import {laptopsForDisks, type Laptop} from './records.js'

/**
 * Facts and safety checks about a block device before alpi writes to it: what it is, whether
 * anything of it is mounted or used as swap, whether it holds the system alpi runs from,
 * and its serial (loop devices have none: tests declare one, see expectedLoopSerial).
 */
export interface BlockDevice {
  path: string
  name: string
  type: string
  sizeBytes: number
  model: string | null
  vendor: string | null
  serial: string | null
  transport: string | null
  /** mount points of the device and of its partitions */
  mountpoints: string[]
  partitions: string[]
}

interface LsblkNode {
  name: string
  path?: string
  type: string
  size: number | string
  model?: string | null
  vendor?: string | null
  serial?: string | null
  tran?: string | null
  mountpoints?: (string | null)[]
  mountpoint?: string | null
  children?: LsblkNode[]
}

export const LSBLK_DEVICE_ARGS = ['-J', '-b', '-o', 'NAME,PATH,TYPE,SIZE,MODEL,VENDOR,SERIAL,TRAN,MOUNTPOINTS']

/** Every top-level device of an lsblk -J answer (lsblk sorts them by name, not by argument). */
export function parseLsblkDevices(json: string): BlockDevice[] {
  const data = parseToolJson<{blockdevices: LsblkNode[]}>('lsblk', json)
  const s = (v: string | null | undefined) => (v && v.trim() ? v.trim() : null)
  return data.blockdevices.map((d) => {
    const mounts: string[] = []
    const parts: string[] = []
    const walk = (n: LsblkNode, top: boolean) => {
      for (const m of n.mountpoints ?? [n.mountpoint ?? null]) if (m) mounts.push(m)
      if (!top) parts.push(n.path ?? `/dev/${n.name}`)
      for (const c of n.children ?? []) walk(c, false)
    }
    walk(d, true)
    return {
      path: d.path ?? `/dev/${d.name}`,
      name: d.name,
      type: d.type,
      sizeBytes: Number(d.size),
      model: s(d.model),
      vendor: s(d.vendor),
      serial: s(d.serial),
      transport: s(d.tran),
      mountpoints: mounts,
      partitions: parts,
    }
  })
}

/** The devices, in the order given, with one lsblk call for all (a dock of 40 bays included). */
export async function describeDevices(devices: string[]): Promise<BlockDevice[]> {
  for (const device of devices) {
    if (!existsSync(device) || !statSync(device).isBlockDevice()) {
      throw new UsageError(msg('notBlockDevice', {device}), {actions: [msg('notBlockDeviceAction')]})
    }
  }
  const r = await runTool('lsblk', [...LSBLK_DEVICE_ARGS, ...devices], {pkg: 'util-linux'})
  const found = new Map(parseLsblkDevices(r.stdout).map((d) => [d.path, d]))
  return devices.map((device) => {
    const d = found.get(realpathSync(device))
    if (!d) throw new UsageError(msg('lsblkNotDescribed', {device}), {actions: [msg('lsblkNotDescribedAction')]})
    return d
  })
}

export async function describeDevice(device: string): Promise<BlockDevice> {
  return (await describeDevices([device]))[0]!
}

/** The whole disk that holds "/" (via st_dev → /sys/dev/block, else the mount source). */
export function rootDisk(): string | null {
  const st = statSync('/')
  const major = Math.floor(st.dev / 256) & 0xfff
  const minor = (st.dev & 0xff) | ((st.dev >> 12) & 0xfff00)
  const sys = `/sys/dev/block/${major}:${minor}`
  if (major !== 0 && existsSync(sys)) {
    let p = realpathSync(sys)
    if (existsSync(`${p}/partition`)) p = p.slice(0, p.lastIndexOf('/'))
    return `/dev/${basename(p)}`
  }
  const line = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .find((l) => l.split(' ')[1] === '/')
  const src = line?.split(' ')[0]
  if (src && src.startsWith('/dev/') && existsSync(src)) {
    const real = realpathSync(src)
    const sysPart = `/sys/class/block/${basename(real)}`
    if (existsSync(`${sysPart}/partition`)) return `/dev/${basename(realpathSync(sysPart + '/..'))}`
    return real
  }
  return null
}

/** Sources in /proc/mounts and /proc/swaps that are this device or one of its partitions. */
export function kernelUses(dev: BlockDevice): StoredText[] {
  const mine = new Set([dev.path, ...dev.partitions].map((p) => (existsSync(p) ? realpathSync(p) : p)))
  const uses: StoredText[] = []
  for (const l of readFileSync('/proc/mounts', 'utf8').split('\n')) {
    const [src, mnt] = l.split(' ')
    if (src && src.startsWith('/dev/') && existsSync(src) && mine.has(realpathSync(src)))
      uses.push(storedCode('mountedOn', {mount: String(mnt)}))
  }
  for (const l of readFileSync('/proc/swaps', 'utf8').split('\n').slice(1)) {
    const src = l.split(/\s+/)[0]
    if (src && src.startsWith('/dev/') && existsSync(src) && mine.has(realpathSync(src))) uses.push(storedCode('usedAsSwap'))
  }
  return uses
}

/**
 * Declared serials of test devices: ALPI_TEST_DEVICE_SERIALS='/dev/loop7=SER123,...' or a
 * --device-serial override. ONLY for loop devices: a real disk's serial always comes from
 * the disk itself.
 */
export function declaredLoopSerial(dev: BlockDevice, override?: string, env: NodeJS.ProcessEnv = process.env): string | null {
  if (dev.type !== 'loop') {
    if (override) throw new UsageError(msg('deviceSerialLoopOnly'), {actions: [msg('deviceSerialLoopOnlyAction')]})
    return dev.serial
  }
  if (override) return override
  for (const pair of (env.ALPI_TEST_DEVICE_SERIALS ?? '').split(',')) {
    const [p, s] = pair.split('=')
    if (p && s && p.trim() === dev.path) return s.trim()
  }
  return null
}

/**
 * Refuse a mounted device, swap, the system disk, or a partition. `what` names the operation
 * in the person's language (msg('opWipe'), msg('opReimage')).
 */
export function assertWritable(dev: BlockDevice, root: string | null, what: string): void {
  if (dev.type === 'part') throw new UsageError(msg('isPartition', {device: dev.path, what}), {actions: [msg('isPartitionAction')]})
  const uses = [
    ...new Map(
      [...dev.mountpoints.map((m) => storedCode('mountedOn', {mount: m})), ...kernelUses(dev)].map((u) => [showStored(u, 'en'), u]),
    ).values(),
  ]
  if (root && realpathSync(root) === realpathSync(dev.path)) {
    throw new RuleViolation('DEVICE_IS_SYSTEM', msg('deviceIsSystem', {device: dev.path}), {
      actions: [msg('deviceIsSystemAction')],
      data: {device: dev.path},
    })
  }
  if (uses.length > 0) {
    throw new RuleViolation('DEVICE_IN_USE', msg.m('deviceInUse', {device: dev.path, uses: uses.map(storedMessage)}), {
      actions: [msg.m('deviceInUseAction', {device: dev.path})],
      data: {device: dev.path, uses: uses.map((u) => showStored(u, 'en'))},
    })
  }
}

/**
 * Open a whole disk for writing with O_EXCL: the kernel refuses (EBUSY) while anything has
 * it claimed (mounted, in a RAID or LVM, or opened exclusively elsewhere), however long after
 * the checks the write comes.
 */
export async function openExclusive(device: string): Promise<FileHandle> {
  try {
    return await open(device, fsConstants.O_RDWR | fsConstants.O_EXCL)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EBUSY')
      throw new RuleViolation('DEVICE_IN_USE', msg('deviceInUse', {device, uses: 'EBUSY'}), {
        actions: [msg('deviceInUseAction', {device})],
        data: {device, uses: ['EBUSY']},
      })
    throw error
  }
}

export interface DiskToWrite {
  dev: BlockDevice
  /** the disk's serial (declared for a loop device) */
  serial: string | null
  /** the laptop whose probe snapshot lists this disk as internal (when looked up) */
  owner: Laptop | undefined
}

/**
 * The disks a wipe or a reimage will write to: described with one lsblk call, each refused if
 * it is a partition, in use or the system disk, and each one's laptop found from its serial
 * (one read of the snapshots; a disk two laptops claim is refused). `lookup: false` for a disk
 * whose laptop the technician named.
 */
export async function disksToWrite(
  db: Kysely<Database>,
  requests: {device: string; deviceSerial?: string; lookup?: boolean}[],
  what: string,
): Promise<DiskToWrite[]> {
  const root = rootDisk()
  const devs = await describeDevices(requests.map((r) => r.device))
  const serials = requests.map((r, i) => {
    assertWritable(devs[i]!, root, what)
    return declaredLoopSerial(devs[i]!, r.deviceSerial)
  })
  const owners = await laptopsForDisks(
    db,
    serials.filter((s, i): s is string => Boolean(s) && requests[i]!.lookup !== false),
  )
  return devs.map((dev, i) => ({
    dev,
    serial: serials[i] ?? null,
    owner: serials[i] && requests[i]!.lookup !== false ? owners.get(serials[i]!) : undefined,
  }))
}

/** DEVICE_UNKNOWN: the disk of no recorded laptop (`action` says what to do in that command). */
export function unknownDisk(d: DiskToWrite, action: string): RuleViolation {
  return new RuleViolation(
    'DEVICE_UNKNOWN',
    d.serial ? msg('deviceUnknown', {device: d.dev.path, serial: d.serial}) : msg('deviceUnknownNoSerial', {device: d.dev.path}),
    {actions: [action], data: {device: d.dev.path, deviceSerial: d.serial}},
  )
}
