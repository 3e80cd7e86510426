import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {z} from 'zod'
import {BugError} from '../core/errors.js'
import {reasonText, type MessageKey} from './messages/index.js'
import {implausibleSize} from '../csv/inventory.js'

/**
 * Windows 11 readiness of one PC: every requirement gives pass, fail or unknown, with its
 * reason. An unknown fact (empty inventory cell, a processor our list does not cover, a
 * firmware in legacy mode whose UEFI capability we cannot see, a memory or disk size outside
 * the plausible range, i.e. a unit mistake: model.ts PLAUSIBLE_MB) stays "unknown": never a guess.
 */
export type CheckStatus = 'pass' | 'fail' | 'unknown'
export type Requirement = 'cpu' | 'tpm' | 'uefi' | 'secure_boot' | 'ram' | 'disk'
export interface ReadinessCheck {
  requirement: Requirement
  status: CheckStatus
  /** The reason in the language of the run (a result's view); the store keeps `code` and `params`. */
  reason: string
  code: MessageKey
  params: Record<string, string | number>
}

function check(
  requirement: Requirement,
  status: CheckStatus,
  code: MessageKey,
  params: Record<string, string | number> = {},
): ReadinessCheck {
  return {requirement, status, reason: reasonText({code, params}), code, params}
}

export type Verdict = 'upgrade_in_place' | 'replace' | 'unknown'
export interface ReadinessVerdict {
  verdict: Verdict
  checks: ReadinessCheck[]
  /** the checks that are not "pass", in requirement order */
  reasons: ReadinessCheck[]
}

export interface PcFacts {
  cpu: string | null
  tpm: string | null
  firmware: string | null
  secure_boot: number | null
  ram_mb: number | null
  disk_mb: number | null
}

/** 4 GB; inventories report 4 GB of RAM minus what the integrated graphics take (e.g. 3.9 GB). */
export const MIN_RAM_MB = 3900
/** 64 GB (decimal, as disks are sold) = 61 035 MiB. */
export const MIN_DISK_MB = 61_035

const CpuListSchema = z.object({
  about: z.string(),
  supported: z.array(z.object({id: z.string(), label: z.string(), pattern: z.string()})),
  unsupported: z.array(z.object({id: z.string(), label: z.string(), pattern: z.string()})),
})
export interface CpuList {
  supported: {id: string; label: string; re: RegExp}[]
  unsupported: {id: string; label: string; re: RegExp}[]
}

const cache = new Map<string, CpuList>()

/** The supported-processor data file, templates/win7/win11-cpus.json. */
export function loadCpuList(templatesDir: string): CpuList {
  const path = join(templatesDir, 'win7', 'win11-cpus.json')
  const hit = cache.get(path)
  if (hit) return hit
  const parsed = CpuListSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')))
  if (!parsed.success) throw new BugError(`${path} is not a valid processor list: ${parsed.error.issues[0]?.message}`)
  const compile = (e: {id: string; label: string; pattern: string}) => ({id: e.id, label: e.label, re: new RegExp(e.pattern, 'i')})
  const list = {supported: parsed.data.supported.map(compile), unsupported: parsed.data.unsupported.map(compile)}
  cache.set(path, list)
  return list
}

function checkCpu(cpu: string | null, list: CpuList): ReadinessCheck {
  if (!cpu) return check('cpu', 'unknown', 'r.cpuMissing')
  const ok = list.supported.find((e) => e.re.test(cpu))
  if (ok) return check('cpu', 'pass', 'r.cpuOk', {label: ok.label})
  const ko = list.unsupported.find((e) => e.re.test(cpu))
  if (ko) return check('cpu', 'fail', 'r.cpuKo', {label: ko.label, cpu})
  return check('cpu', 'unknown', 'r.cpuUnlisted', {cpu})
}

export function assessPc(pc: PcFacts, list: CpuList): ReadinessVerdict {
  const checks: ReadinessCheck[] = [checkCpu(pc.cpu, list)]
  checks.push(
    pc.tpm === null
      ? check('tpm', 'unknown', 'r.tpmMissing')
      : pc.tpm === '2.0'
        ? check('tpm', 'pass', 'r.tpmOk')
        : pc.tpm === 'none'
          ? check('tpm', 'fail', 'r.tpmNone')
          : check('tpm', 'fail', 'r.tpmOld', {version: pc.tpm}),
  )
  checks.push(
    pc.firmware === null
      ? check('uefi', 'unknown', 'r.uefiMissing')
      : pc.firmware === 'uefi'
        ? check('uefi', 'pass', 'r.uefiOk')
        : check('uefi', 'unknown', 'r.uefiLegacy'),
  )
  checks.push(
    pc.secure_boot === null
      ? check('secure_boot', 'unknown', 'r.sbMissing')
      : pc.secure_boot === 1
        ? check('secure_boot', 'pass', 'r.sbOn')
        : check('secure_boot', 'unknown', 'r.sbOff'),
  )
  checks.push(
    pc.ram_mb === null
      ? check('ram', 'unknown', 'r.ramMissing')
      : implausibleSize('ram', pc.ram_mb)
        ? check('ram', 'unknown', 'r.ramImplausible', {mb: pc.ram_mb})
        : pc.ram_mb >= MIN_RAM_MB
          ? check('ram', 'pass', 'r.ramOk', {mb: pc.ram_mb})
          : check('ram', 'fail', 'r.ramLow', {mb: pc.ram_mb}),
  )
  checks.push(
    pc.disk_mb === null
      ? check('disk', 'unknown', 'r.diskMissing')
      : implausibleSize('disk', pc.disk_mb)
        ? check('disk', 'unknown', 'r.diskImplausible', {mb: pc.disk_mb})
        : pc.disk_mb >= MIN_DISK_MB
          ? check('disk', 'pass', 'r.diskOk', {mb: pc.disk_mb})
          : check('disk', 'fail', 'r.diskLow', {mb: pc.disk_mb}),
  )
  const reasons = checks.filter((c) => c.status !== 'pass')
  const verdict: Verdict = checks.some((c) => c.status === 'fail') ? 'replace' : reasons.length > 0 ? 'unknown' : 'upgrade_in_place'
  return {verdict, checks, reasons}
}
