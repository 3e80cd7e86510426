import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {z} from 'zod'
import {BugError} from '../core/errors.js'
import {implausibleSize} from './model.js'

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
  reason: string
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
  if (!cpu) return {requirement: 'cpu', status: 'unknown', reason: 'processor not in the inventory'}
  const ok = list.supported.find((e) => e.re.test(cpu))
  if (ok) return {requirement: 'cpu', status: 'pass', reason: `supported processor (${ok.label})`}
  const ko = list.unsupported.find((e) => e.re.test(cpu))
  if (ko) return {requirement: 'cpu', status: 'fail', reason: `processor not supported by Windows 11 (${ko.label}): ${cpu}`}
  return {requirement: 'cpu', status: 'unknown', reason: `processor not in the list kept in templates/win7/win11-cpus.json: ${cpu}`}
}

export function assessPc(pc: PcFacts, list: CpuList): ReadinessVerdict {
  const checks: ReadinessCheck[] = [checkCpu(pc.cpu, list)]
  checks.push(
    pc.tpm === null
      ? {requirement: 'tpm', status: 'unknown', reason: 'TPM not in the inventory'}
      : pc.tpm === '2.0'
        ? {requirement: 'tpm', status: 'pass', reason: 'TPM 2.0'}
        : {requirement: 'tpm', status: 'fail', reason: pc.tpm === 'none' ? 'no TPM (2.0 required)' : `TPM ${pc.tpm} (2.0 required)`},
  )
  checks.push(
    pc.firmware === null
      ? {requirement: 'uefi', status: 'unknown', reason: 'firmware mode not in the inventory'}
      : pc.firmware === 'uefi'
        ? {requirement: 'uefi', status: 'pass', reason: 'UEFI firmware'}
        : {requirement: 'uefi', status: 'unknown', reason: 'boots in legacy BIOS mode: UEFI capability unknown (check the firmware setup, then re-import)'},
  )
  checks.push(
    pc.secure_boot === null
      ? {requirement: 'secure_boot', status: 'unknown', reason: 'Secure Boot not in the inventory'}
      : pc.secure_boot === 1
        ? {requirement: 'secure_boot', status: 'pass', reason: 'Secure Boot on'}
        : {requirement: 'secure_boot', status: 'unknown', reason: 'Secure Boot off: capability unknown (enable it in the firmware setup, then re-import)'},
  )
  checks.push(
    pc.ram_mb === null
      ? {requirement: 'ram', status: 'unknown', reason: 'memory not in the inventory'}
      : implausibleSize('ram', pc.ram_mb)
        ? {requirement: 'ram', status: 'unknown', reason: implausibleReason('memory', pc.ram_mb, '256 MB', '2 TB')}
        : pc.ram_mb >= MIN_RAM_MB
        ? {requirement: 'ram', status: 'pass', reason: `${formatGb(pc.ram_mb)} of memory`}
        : {requirement: 'ram', status: 'fail', reason: `${formatGb(pc.ram_mb)} of memory (4 GB required)`},
  )
  checks.push(
    pc.disk_mb === null
      ? {requirement: 'disk', status: 'unknown', reason: 'disk size not in the inventory'}
      : implausibleSize('disk', pc.disk_mb)
        ? {requirement: 'disk', status: 'unknown', reason: implausibleReason('disk size', pc.disk_mb, '16 GB', '64 TB')}
        : pc.disk_mb >= MIN_DISK_MB
        ? {requirement: 'disk', status: 'pass', reason: `${formatGb(pc.disk_mb)} disk`}
        : {requirement: 'disk', status: 'fail', reason: `${formatGb(pc.disk_mb)} disk (64 GB required)`},
  )
  const reasons = checks.filter((c) => c.status !== 'pass')
  const verdict: Verdict = checks.some((c) => c.status === 'fail') ? 'replace' : reasons.length > 0 ? 'unknown' : 'upgrade_in_place'
  return {verdict, checks, reasons}
}

/** A size out of the plausible range is a unit mistake in the inventory: unknown, never a verdict. */
function implausibleReason(what: string, mb: number, min: string, max: string): string {
  return `${what} of ${mb} MiB (${formatGb(mb)}) is outside the plausible ${min} to ${max}: a unit mistake in the inventory? (GLPI and OCS write bare sizes in MiB) Fix it, then re-import`
}

function formatGb(mb: number): string {
  const gb = mb / 1024
  return `${gb >= 10 ? Math.round(gb) : Math.round(gb * 10) / 10} GB`
}
