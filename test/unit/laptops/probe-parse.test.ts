import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {GradingSchema} from '../../../src/laptops/config.js'
import {judge} from '../../../src/laptops/grade.js'
import {parseBatteries, parseDmidecode, parseLsblk, parseSmartctl, type ProbeSnapshot} from '../../../src/laptops/probe-parse.js'
import {showStored} from '../../../src/laptops/messages/index.js'
import {REPO_ROOT} from '../../helpers/context.js'

// Fixtures written by hand in the tools' documented formats (see the fixtures' README).
const fx = (name: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/laptops/probe', name), 'utf8')

describe('probe parsers', () => {
  it('dmidecode of a ThinkPad: maker, model from Version, serial, UUID, CPU, RAM of the filled slots', () => {
    expect(parseDmidecode(fx('dmidecode-thinkpad.txt'))).toEqual({
      maker: 'LENOVO',
      model: 'ThinkPad L380',
      product: '20M5S0KJ00',
      serial: 'PF1ABCDE',
      serialProblem: null,
      uuid: '6f1c2a4e-3b1d-11b2-a85c-c8d6b3e1f0a2',
      cpu: 'Intel(R) Core(TM) i5-8250U CPU @ 1.60GHz',
      cores: 4,
      threads: 8,
      ramBytes: 8 * 1024 ** 3,
    })
  })

  it('dmidecode of QEMU: "Default string" is no serial, the all-zero UUID is none', () => {
    const s = parseDmidecode(fx('dmidecode-qemu.txt'))
    expect(s.serial).toBeNull()
    expect(showStored(s.serialProblem!, 'en')).toMatch(/placeholder/)
    expect(s.uuid).toBeNull()
    expect(s.ramBytes).toBe(2048 * 1024 ** 2)
  })

  it('lsblk -J keeps disks only, with removable and serial', () => {
    expect(parseLsblk(fx('lsblk-ata.json')).map((d) => [d.path, d.serial, d.removable, d.transport])).toEqual([
      ['/dev/sda', 'S3TWNX0K812345', false, 'sata'],
      ['/dev/sdb', '4C530001230517109381', true, 'usb'],
    ])
    expect(parseLsblk(fx('lsblk-nvme.json')).map((d) => d.path)).toEqual(['/dev/nvme0n1'])
  })

  it('smartctl ATA: attributes 5, 197, 198 raw values and power-on hours', () => {
    expect(parseSmartctl(fx('smartctl-ata.json'))).toEqual({
      protocol: 'ATA',
      serial: 'S3TWNX0K812345',
      model: 'SAMSUNG MZ7LN256HAJQ-000L7',
      passed: true,
      powerOnHours: 17342,
      reallocated: 0,
      pending: 8,
      offlineUncorrectable: 0,
    })
  })

  it('smartctl NVMe: health log', () => {
    expect(parseSmartctl(fx('smartctl-nvme.json'))).toMatchObject({
      protocol: 'NVMe',
      passed: true,
      criticalWarning: 0,
      availableSpare: 100,
      availableSpareThreshold: 10,
      percentageUsed: 3,
      mediaErrors: 0,
      powerOnHours: 8123,
    })
  })

  it('batteries: energy_* and charge_* bases, cycle count 0 means unknown, none', () => {
    expect(parseBatteries(fx('battery-energy.txt'))).toEqual([
      {name: 'BAT0', maker: 'SMP', model: '01AV446', basis: 'energy', full: 31120000, design: 45000000, healthPct: 69.2, cycleCount: 412},
    ])
    expect(parseBatteries(fx('battery-charge.txt'))[0]).toMatchObject({basis: 'charge', healthPct: 82.3, cycleCount: null})
    expect(parseBatteries(fx('battery-none.txt'))).toEqual([])
  })
})

function snapshot(opts: {smart: string; lsblk?: string; battery?: string; dmi?: string}): ProbeSnapshot {
  const disks = parseLsblk(fx(opts.lsblk ?? 'lsblk-ata.json'))
  for (const d of disks) if (!d.removable) d.smart = parseSmartctl(fx(opts.smart))
  return {
    version: 1,
    collectedAt: '2026-11-28T10:00:00.000Z',
    source: 'test',
    system: parseDmidecode(fx(opts.dmi ?? 'dmidecode-thinkpad.txt')),
    disks,
    batteries: parseBatteries(fx(opts.battery ?? 'battery-energy.txt')),
  }
}

describe('grading verdict', () => {
  const th = GradingSchema.parse(undefined)

  it('healthy NVMe laptop with a 69% battery is ready', () => {
    const v = judge(snapshot({smart: 'smartctl-nvme.json', lsblk: 'lsblk-nvme.json'}), 'A', th)
    expect(v).toMatchObject({verdict: 'ready', findings: [], batteryHealthPct: 69.2, ramGiB: 8})
  })

  it('ATA disk with pending sectors needs a disk; the threshold comes from config', () => {
    const v = judge(snapshot({smart: 'smartctl-ata.json'}), 'B', th)
    expect(v.verdict).toBe('needs_part')
    expect(v.findings.map((f) => [f.part, showStored(f.reason, 'en')])).toEqual([
      ['disk', expect.stringMatching(/8 pending sectors \(SMART 197\)/)],
    ])
    expect(judge(snapshot({smart: 'smartctl-ata.json'}), 'B', {...th, maxPending: 10}).verdict).toBe('ready')
  })

  it('no battery needs one; a worn battery needs one; with a C body that is scrap', () => {
    // the store keeps a code and its params, never the sentence
    expect(judge(snapshot({smart: 'smartctl-nvme.json', lsblk: 'lsblk-nvme.json', battery: 'battery-none.txt'}), 'A', th).findings).toEqual(
      [{part: 'battery', reason: {code: 'gradeNoBattery', params: {}}}],
    )
    const worn = judge(snapshot({smart: 'smartctl-nvme.json', lsblk: 'lsblk-nvme.json'}), 'B', {...th, batteryMinHealthPct: 70})
    expect(worn.verdict).toBe('needs_part')
    expect(judge(snapshot({smart: 'smartctl-nvme.json', lsblk: 'lsblk-nvme.json'}), 'C', {...th, batteryMinHealthPct: 70}).verdict).toBe(
      'scrap',
    )
  })

  it('worn NVMe + 2 GiB RAM + no battery: three parts, scrap', () => {
    const v = judge(
      snapshot({smart: 'smartctl-nvme-worn.json', lsblk: 'lsblk-nvme.json', battery: 'battery-none.txt', dmi: 'dmidecode-qemu.txt'}),
      'A',
      th,
    )
    expect(v.verdict).toBe('scrap')
    expect(v.findings.map((f) => showStored(f.reason, 'en'))).toEqual([
      'no battery found',
      expect.stringMatching(/SMART overall health FAILED/),
      expect.stringMatching(/critical warning 0x1/),
      expect.stringMatching(/available spare 4% below its threshold 10%/),
      expect.stringMatching(/97% of its rated endurance/),
      expect.stringMatching(/12 media errors/),
      '2 GiB of RAM (minimum 4 GiB)',
    ])
    // and in French, with French typography
    expect(v.findings.map((f) => showStored(f.reason, 'fr'))).toEqual([
      'aucune batterie trouvée',
      expect.stringMatching(/ : état de santé SMART EN ÉCHEC$/),
      expect.stringMatching(/ : avertissement critique NVMe 0x1$/),
      expect.stringMatching(/ : réserve disponible de 4 % sous son seuil de 10 %$/),
      expect.stringMatching(/ : 97 % de son endurance nominale consommée$/),
      expect.stringMatching(/ : 12 erreurs de support$/),
      '2 Gio de RAM (minimum 4 Gio)',
    ])
  })
})
