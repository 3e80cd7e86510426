import {storedCode, type StoredText, type WarningKey} from './messages/index.js'
import {serialProblemCode} from './model.js'
import {parseToolJson} from '../tools/exec.js'

/**
 * Parsers of the hardware facts the probe collects. Pure functions over the tools' outputs
 * (dmidecode text, lsblk -J, smartctl -j -a, the battery lines of BATTERY_SCRIPT).
 */
export interface SystemFacts {
  maker: string | null
  model: string | null
  /** Product name as DMI gives it (Lenovo puts the machine type here, the model in Version) */
  product: string | null
  serial: string | null
  /** Why the DMI serial is not usable ("Default string"...), or null */
  /** Why the firmware's serial is not usable: a code and params (an older snapshot: an English sentence) */
  serialProblem: StoredText | null
  uuid: string | null
  cpu: string | null
  cores: number | null
  threads: number | null
  /** Installed RAM (DMI memory devices; estimated from /proc/meminfo when DMI gives none) */
  ramBytes: number
  /** Where ramBytes comes from (snapshots before the fallback have none) */
  ramSource?: 'dmidecode' | 'meminfo' | null
  /** The kernel's MemTotal in bytes, when /proc/meminfo was read */
  memTotalBytes?: number | null
  /** Where cpu, cores and threads come from */
  cpuSource?: 'dmidecode' | 'cpuinfo' | null
}

export interface DiskSmart {
  protocol: 'ATA' | 'NVMe' | 'other'
  passed: boolean | null
  powerOnHours: number | null
  /** ATA attributes 5, 197, 198 raw values */
  reallocated?: number | null
  pending?: number | null
  offlineUncorrectable?: number | null
  /** NVMe health log */
  criticalWarning?: number | null
  availableSpare?: number | null
  availableSpareThreshold?: number | null
  percentageUsed?: number | null
  mediaErrors?: number | null
}

export interface DiskFacts {
  path: string
  type: string
  model: string | null
  serial: string | null
  sizeBytes: number
  transport: string | null
  rotational: boolean
  removable: boolean
  smart?: DiskSmart | null
}

export interface BatteryFacts {
  name: string
  maker: string | null
  model: string | null
  /** energy_* (µWh) or charge_* (µAh) */
  basis: 'energy' | 'charge' | null
  full: number | null
  design: number | null
  /** full / design in %, one decimal; null when the firmware gives no design capacity */
  healthPct: number | null
  cycleCount: number | null
}

/** A source of the probe that gave nothing or less than expected (the probe goes on without it). */
export interface ProbeWarning {
  /** dmidecode, smartctl, /proc/meminfo, /proc/cpuinfo */
  source: string
  /** What happened and what the snapshot lacks because of it: a WARNINGS code and its params */
  code?: WarningKey
  params?: Record<string, string | number | StoredText>
  /** The same as an English sentence: snapshots written before the codes (read, never written) */
  message?: string
}

export interface ProbeSnapshot {
  version: 1
  collectedAt: string
  source: string
  system: SystemFacts
  disks: DiskFacts[]
  batteries: BatteryFacts[]
  /** Sources that failed (snapshots taken before warnings existed have none) */
  warnings?: ProbeWarning[]
}

const UNSET =
  /^(not specified|not present|to be filled by o\.e\.m\.|default string|none|unknown|n\/a|system (manufacturer|product name|version))$/i

function clean(v: string | undefined): string | null {
  const s = (v ?? '').trim()
  return s === '' || UNSET.test(s) ? null : s
}

/** Split dmidecode text into records: {type, fields}. */
export function dmiRecords(text: string): {type: number; title: string; fields: Record<string, string>}[] {
  const out: {type: number; title: string; fields: Record<string, string>}[] = []
  let cur: {type: number; title: string; fields: Record<string, string>} | undefined
  let expectTitle = false
  for (const line of text.split(/\r?\n/)) {
    const h = /^Handle 0x[0-9A-Fa-f]+, DMI type (\d+),/.exec(line)
    if (h) {
      cur = {type: Number(h[1]), title: '', fields: {}}
      out.push(cur)
      expectTitle = true
      continue
    }
    if (!cur) continue
    if (expectTitle) {
      cur.title = line.trim()
      expectTitle = false
      continue
    }
    const f = /^\t([^\t:][^:]*):\s?(.*)$/.exec(line)
    if (f) cur.fields[f[1]!.trim()] = f[2]!.trim()
  }
  return out
}

export function sizeToBytes(s: string | undefined): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|bytes|kB|KB|MB|GB|TB)$/i.exec((s ?? '').trim())
  if (!m) return 0
  const mult: Record<string, number> = {b: 1, bytes: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4}
  return Math.round(Number(m[1]) * mult[m[2]!.toLowerCase()]!)
}

/**
 * Why dmidecode's output holds no system facts (no DMI tables: a VM or container without
 * SMBIOS, not root), or null when it has a System Information record.
 */
export function dmiProblem(exitCode: number, stdout: string, stderr: string): StoredText | null {
  const last = (s: string) =>
    s
      .trim()
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? ''
  if (exitCode !== 0) return storedCode('exitDetail', {code: exitCode, detail: last(stderr) || last(stdout) || storedCode('noOutput')})
  if (!dmiRecords(stdout).some((r) => r.type === 1))
    return storedCode('dmiNoRecord', {detail: last(stderr) || last(stdout) || storedCode('emptyOutput')})
  return null
}

/** The system facts when dmidecode gave nothing: all unknown, with the reason as the serial problem. */
export function unknownSystem(problem: StoredText): SystemFacts {
  return {
    maker: null,
    model: null,
    product: null,
    serial: null,
    serialProblem: problem,
    uuid: null,
    cpu: null,
    cores: null,
    threads: null,
    ramBytes: 0,
  }
}

export function parseDmidecode(text: string): SystemFacts {
  const recs = dmiRecords(text)
  const sys = recs.find((r) => r.type === 1)?.fields ?? {}
  const cpu = recs.find((r) => r.type === 4)?.fields ?? {}
  const ram = recs.filter((r) => r.type === 17).reduce((n, r) => n + sizeToBytes(r.fields['Size']), 0)
  const rawSerial = (sys['Serial Number'] ?? '').trim()
  const problem = serialProblemCode(rawSerial) ?? null
  const maker = clean(sys['Manufacturer'])
  const product = clean(sys['Product Name'])
  // Lenovo: Product Name is the machine type (20M5S0KJ00), Version the model (ThinkPad L380)
  const version = clean(sys['Version'])
  const model = maker && /lenovo/i.test(maker) && version ? version : product
  const uuid = clean(sys['UUID'])
  const int = (v: string | undefined) => (v && /^\d+$/.test(v.trim()) ? Number(v.trim()) : null)
  return {
    maker,
    model,
    product,
    serial: problem ? null : rawSerial,
    serialProblem: problem,
    uuid: uuid && !/^[0-]+$/.test(uuid) ? uuid.toLowerCase() : null,
    cpu: clean(cpu['Version']),
    cores: int(cpu['Core Count']),
    threads: int(cpu['Thread Count']),
    ramBytes: ram,
  }
}

/** Block devices lsblk calls disks that live in RAM (zram swap, ramdisks): not the laptop's. */
const RAM_BACKED = /^(zram|ram)\d+$/

/** lsblk -J -b -d -o NAME,PATH,TYPE,SIZE,MODEL,SERIAL,TRAN,ROTA,RM: disks only (RAM-backed ones left out). */
export function parseLsblk(json: string): DiskFacts[] {
  const data = parseToolJson<{blockdevices?: Record<string, unknown>[]}>('lsblk', json)
  const bool = (v: unknown) => v === true || v === '1' || v === 1
  return (data.blockdevices ?? [])
    .filter((d) => d['type'] === 'disk' && !RAM_BACKED.test(String(d['name'] ?? '')))
    .map((d) => ({
      path: String(d['path'] ?? `/dev/${d['name']}`),
      type: String(d['type']),
      model: typeof d['model'] === 'string' ? d['model'].trim() || null : null,
      serial: typeof d['serial'] === 'string' ? d['serial'].trim() || null : null,
      sizeBytes: Number(d['size'] ?? 0),
      transport: typeof d['tran'] === 'string' ? d['tran'] : null,
      rotational: bool(d['rota']),
      removable: bool(d['rm']),
    }))
}

/**
 * Why `smartctl -j -a` gave no SMART data for a device (a virtual disk, a USB bridge it cannot
 * pass through), or null when it did. Its exit status is a bit mask: bit 0 is a command line
 * error, bit 1 a device it could not open or identify; the higher bits are about the disk's
 * health and come with the data.
 */
export function smartProblem(exitCode: number, stdout: string, stderr = ''): StoredText | null {
  const lastErr = stderr.trim().split('\n').at(-1)?.trim() ?? ''
  let d: Record<string, any>
  try {
    d = JSON.parse(stdout) as Record<string, any>
  } catch {
    return lastErr ? storedCode('smartNoJsonDetail', {code: exitCode, detail: lastErr}) : storedCode('smartNoJson', {code: exitCode})
  }
  if (exitCode >= 0 && exitCode <= 255 && (exitCode & 3) === 0 && d.device) return null
  const said = ((d.smartctl?.messages ?? []) as {string?: string}[])
    .map((m) => m.string)
    .filter(Boolean)
    .join('; ')
  return said || lastErr || storedCode('exitCode', {code: exitCode})
}

/** smartctl -j -a (ATA through SAT, or NVMe). */
export function parseSmartctl(json: string): DiskSmart & {serial: string | null; model: string | null} {
  const d = JSON.parse(json) as Record<string, any>
  const protocol = d.device?.protocol === 'NVMe' ? 'NVMe' : d.device?.protocol === 'ATA' ? 'ATA' : 'other'
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null)
  const base = {
    protocol,
    serial: typeof d.serial_number === 'string' ? d.serial_number : null,
    model: typeof d.model_name === 'string' ? d.model_name : null,
    passed: typeof d.smart_status?.passed === 'boolean' ? d.smart_status.passed : null,
    powerOnHours: num(d.power_on_time?.hours),
  } as DiskSmart & {serial: string | null; model: string | null}
  if (protocol === 'ATA') {
    const table = (d.ata_smart_attributes?.table ?? []) as {id: number; raw?: {value?: number}}[]
    const raw = (id: number) => num(table.find((a) => a.id === id)?.raw?.value)
    return {...base, reallocated: raw(5), pending: raw(197), offlineUncorrectable: raw(198)}
  }
  if (protocol === 'NVMe') {
    const h = d.nvme_smart_health_information_log ?? {}
    return {
      ...base,
      criticalWarning: num(h.critical_warning),
      availableSpare: num(h.available_spare),
      availableSpareThreshold: num(h.available_spare_threshold),
      percentageUsed: num(h.percentage_used),
      mediaErrors: num(h.media_errors),
    }
  }
  return base
}

/**
 * Reads every battery of /sys/class/power_supply (or the folder given as $1) as
 * "BAT name" then key=value lines. A fixed script: nothing of the user's is pasted in it.
 */
export const BATTERY_SCRIPT = `for d in "$1"/*; do
  [ -r "$d/type" ] || continue
  [ "$(cat "$d/type")" = Battery ] || continue
  echo "BAT \${d##*/}"
  for f in type manufacturer model_name technology energy_full energy_full_design charge_full charge_full_design cycle_count status; do
    [ -r "$d/$f" ] && printf '%s=%s\\n' "$f" "$(cat "$d/$f" 2>/dev/null)"
  done
done
exit 0`

export function parseBatteries(text: string): BatteryFacts[] {
  const out: BatteryFacts[] = []
  let cur: Record<string, string> | undefined
  let name = ''
  const flush = () => {
    if (!cur) return
    const n = (k: string) => (cur![k] !== undefined && /^\d+$/.test(cur![k]!) ? Number(cur![k]) : null)
    const basis = n('energy_full_design')
      ? 'energy'
      : n('charge_full_design')
        ? 'charge'
        : n('energy_full') !== null
          ? 'energy'
          : n('charge_full') !== null
            ? 'charge'
            : null
    const full = basis ? n(`${basis}_full`) : null
    const design = basis ? n(`${basis}_full_design`) : null
    const cycles = n('cycle_count')
    out.push({
      name,
      maker: clean(cur['manufacturer']),
      model: clean(cur['model_name']),
      basis,
      full,
      design,
      healthPct: full !== null && design ? Math.round((full / design) * 1000) / 10 : null,
      // 0 means "not reported" on most firmware
      cycleCount: cycles ? cycles : null,
    })
  }
  for (const line of text.split(/\r?\n/)) {
    const b = /^BAT (.+)$/.exec(line)
    if (b) {
      flush()
      cur = {}
      name = b[1]!.trim()
      continue
    }
    const kv = /^([a-z_]+)=(.*)$/.exec(line)
    if (kv && cur) cur[kv[1]!] = kv[2]!.trim()
  }
  flush()
  return out
}

/** MemTotal of /proc/meminfo in bytes (the RAM the kernel manages: installed RAM minus firmware and kernel reserves). */
export function parseMeminfo(text: string): number | null {
  const m = /^MemTotal:\s+(\d+)\s*kB\s*$/m.exec(text)
  return m ? Number(m[1]) * 1024 : null
}

/**
 * Installed RAM estimated from MemTotal: rounded up to a whole GiB (firmware, integrated
 * graphics and the kernel keep a few hundred MiB, never a whole GiB on a laptop).
 */
export function ramFromMemTotal(memTotalBytes: number): number {
  return Math.ceil(memTotalBytes / 1024 ** 3) * 1024 ** 3
}

/** CPU facts of /proc/cpuinfo: model name, cores (distinct physical id + core id), threads (processor entries). */
export function parseCpuinfo(text: string): {cpu: string | null; cores: number | null; threads: number | null} {
  let cpu: string | null = null
  let threads = 0
  const cores = new Set<string>()
  let physical = ''
  for (const block of text.split(/\n\s*\n/)) {
    const fields: Record<string, string> = {}
    for (const line of block.split('\n')) {
      const m = /^([^:]+?)\s*:\s?(.*)$/.exec(line)
      if (m) fields[m[1]!.trim().toLowerCase()] = m[2]!.trim()
    }
    if (fields['processor'] === undefined) continue
    threads++
    cpu ??= fields['model name'] ? fields['model name'].replace(/\s+/g, ' ') : null
    physical = fields['physical id'] ?? physical
    if (fields['core id'] !== undefined) cores.add(`${physical}/${fields['core id']}`)
  }
  return {cpu, cores: cores.size > 0 ? cores.size : null, threads: threads > 0 ? threads : null}
}
