import {describe, expect, it} from 'vitest'
import {assessPc, loadCpuList, type PcFacts} from '../../../src/win7/readiness.js'
import {TEMPLATES_DIR} from '../../helpers/context.js'

const list = loadCpuList(TEMPLATES_DIR)
/** A PC that meets every requirement; each case changes one fact. */
const READY: PcFacts = {
  cpu: 'Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz',
  tpm: '2.0',
  firmware: 'uefi',
  secure_boot: 1,
  ram_mb: 8192,
  disk_mb: 244_198,
}

describe('Windows 11 readiness (one requirement changed per case)', () => {
  it('a PC meeting every requirement can be upgraded in place, with no reason listed', () => {
    const v = assessPc(READY, list)
    expect(v.verdict).toBe('upgrade_in_place')
    expect(v.reasons).toEqual([])
    expect(v.checks.map((c) => c.requirement)).toEqual(['cpu', 'tpm', 'uefi', 'secure_boot', 'ram', 'disk'])
  })

  it.each([
    ['Intel Core i5-3470 (3rd gen)', {cpu: 'Intel(R) Core(TM) i5-3470 CPU @ 3.20GHz'}, 'cpu', 'fail', /not supported/],
    ['Intel Core i7-7700 (7th gen)', {cpu: 'Intel(R) Core(TM) i7-7700 CPU @ 3.60GHz'}, 'cpu', 'fail', /2nd-7th gen/],
    ['Intel Core 2 Duo', {cpu: 'Intel(R) Core(TM)2 Duo CPU E8400 @ 3.00GHz'}, 'cpu', 'fail', /Core 2/],
    ['AMD Ryzen 5 1600 (Zen 1)', {cpu: 'AMD Ryzen 5 1600 Six-Core Processor'}, 'cpu', 'fail', /Zen/],
    ['AMD A8 (pre-Zen)', {cpu: 'AMD A8-6500 APU with Radeon(tm) HD Graphics'}, 'cpu', 'fail', /before Zen/],
    ['Pentium G4560 (Kaby Lake)', {cpu: 'Intel(R) Pentium(R) CPU G4560 @ 3.50GHz'}, 'cpu', 'fail', /Pentium/],
    ['a processor the list does not cover', {cpu: 'VIA Nano X2 U4025'}, 'cpu', 'unknown', /not in the list/],
    ['no processor in the inventory', {cpu: null}, 'cpu', 'unknown', /not in the inventory/],
    ['TPM 1.2', {tpm: '1.2'}, 'tpm', 'fail', /TPM 1\.2/],
    ['no TPM', {tpm: 'none'}, 'tpm', 'fail', /no TPM/],
    ['TPM unknown', {tpm: null}, 'tpm', 'unknown', /not in the inventory/],
    ['legacy BIOS mode', {firmware: 'bios'}, 'uefi', 'unknown', /legacy BIOS/],
    ['firmware unknown', {firmware: null}, 'uefi', 'unknown', /not in the inventory/],
    ['Secure Boot off', {secure_boot: 0}, 'secure_boot', 'unknown', /Secure Boot off/],
    ['Secure Boot unknown', {secure_boot: null}, 'secure_boot', 'unknown', /not in the inventory/],
    ['2 GB of memory', {ram_mb: 2048}, 'ram', 'fail', /2 GB of memory \(4 GB required\)/],
    ['memory unknown', {ram_mb: null}, 'ram', 'unknown', /memory not in/],
    ['a 32 GB disk', {disk_mb: 30_000}, 'disk', 'fail', /64 GB required/],
    ['disk unknown', {disk_mb: null}, 'disk', 'unknown', /disk size not in/],
    // a size out of the plausible range is a unit mistake: unknown, never a "fail" (or a "pass")
    [
      'a unitless "256" read as 256 MiB of disk',
      {disk_mb: 256},
      'disk',
      'unknown',
      /disk size of 256 MiB \(0\.3 GB\) is outside the plausible 16 GB to 64 TB/,
    ],
    ['a disk of 80 TB', {disk_mb: 80e6}, 'disk', 'unknown', /outside the plausible 16 GB to 64 TB/],
    [
      '8 MiB of memory (8 GB written without its unit)',
      {ram_mb: 8},
      'ram',
      'unknown',
      /memory of 8 MiB .* outside the plausible 256 MB to 2 TB/,
    ],
    ['4 TiB of memory', {ram_mb: 4 * 1024 * 1024}, 'ram', 'unknown', /outside the plausible 256 MB to 2 TB/],
  ] as const)('%s → %s %s', (_label, change, requirement, status, reason) => {
    const v = assessPc({...READY, ...change}, list)
    expect(v.reasons).toHaveLength(1)
    expect(v.reasons[0]).toMatchObject({requirement, status})
    expect(v.reasons[0]!.reason).toMatch(reason)
    expect(v.verdict).toBe(status === 'fail' ? 'replace' : 'unknown')
  })

  it.each([
    'Intel(R) Core(TM) i3-8100 CPU @ 3.60GHz',
    'Intel(R) Core(TM) i5-10210U CPU @ 1.60GHz',
    'Intel(R) Core(TM) i7-1165G7 @ 2.80GHz',
    '12th Gen Intel(R) Core(TM) i5-1235U',
    'Intel(R) Core(TM) Ultra 5 125U',
    'Intel(R) Pentium(R) Gold G5400 CPU @ 3.70GHz',
    'Intel(R) Celeron(R) N4020 CPU @ 1.10GHz',
    'AMD Ryzen 5 2600 Six-Core Processor',
    'AMD Ryzen 5 PRO 4650G with Radeon Graphics',
    'AMD Ryzen 7 5700U with Radeon Graphics',
    'AMD Athlon Silver 3050U with Radeon Graphics',
  ])('supported processor: %s', (cpu) => {
    expect(assessPc({...READY, cpu}, list).checks[0]!.status).toBe('pass')
  })

  it('lists every failing and unknown reason of a typical Windows 7 PC (fail wins over unknown)', () => {
    const v = assessPc(
      {cpu: 'Intel(R) Core(TM) i3-2120 CPU @ 3.30GHz', tpm: 'none', firmware: 'bios', secure_boot: null, ram_mb: 2048, disk_mb: 238_475},
      list,
    )
    expect(v.verdict).toBe('replace')
    expect(v.reasons.map((r) => `${r.requirement}:${r.status}`)).toEqual([
      'cpu:fail',
      'tpm:fail',
      'uefi:unknown',
      'secure_boot:unknown',
      'ram:fail',
    ])
  })

  it('a PC with nothing known gets "unknown", never a guess', () => {
    const v = assessPc({cpu: null, tpm: null, firmware: null, secure_boot: null, ram_mb: null, disk_mb: null}, list)
    expect(v.verdict).toBe('unknown')
    expect(v.reasons.every((r) => r.status === 'unknown')).toBe(true)
    expect(v.reasons).toHaveLength(6)
  })
})
