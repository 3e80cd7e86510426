import {execFileSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseBatteries, parseDmidecode, parseSmartctl, type ProbeSnapshot} from '../../../src/laptops/probe-parse.js'
import {runAlpi} from '../../helpers/cli.js'
import {REPO_ROOT, tempDir} from '../../helpers/context.js'
import {createLoop, loopSerialsEnv, type LoopDevice} from '../../helpers/loopdev.js'

/**
 * The programme's batch through the binary: 2000 laptops imported (generated CSV), their
 * probe snapshots stored from a JSON-lines file, graded from a bench sheet, 5 sites and their
 * beneficiaries imported; then laptops wiped and reimaged on real loop devices, allocated to
 * the 5 sites, handed over with receipts; `laptops status --json` must match the data.
 *
 * Limit: wiping and imaging need one real block device per laptop; five loop devices stand
 * for five laptops' disks, so 5 of the 2000 go all the way to a handover here (the 2000-wide
 * allocation and handover rules are covered on the store in test/integration/laptops).
 */
const N = 2000
const fx = (n: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/laptops/probe', n), 'utf8')
const serial = (i: number) => `ALPI-${String(i).padStart(4, '0')}`
const MODELS = [['LENOVO', 'ThinkPad L380'], ['Dell Inc.', 'Latitude 3190'], ['HP', 'ProBook 430 G5']] as const

// generation rules, and the verdicts they must give under the default thresholds
const cosmeticOf = (i: number) => (i % 3 === 0 ? 'C' : i % 3 === 1 ? 'A' : 'B')
const expectedState = (i: number) => (i % 50 === 0 ? 'scrapped' : i % 10 === 0 ? (cosmeticOf(i) === 'C' ? 'scrapped' : 'on_hold') : 'diagnosed')

function snapshotOf(i: number): ProbeSnapshot {
  const system = {...parseDmidecode(fx('dmidecode-thinkpad.txt')), serial: serial(i), maker: MODELS[i % 3]![0], model: MODELS[i % 3]![1]}
  const worn = i % 50 === 0
  const bat = parseBatteries(fx('battery-energy.txt'))
  if (i % 10 === 0) bat[0] = {...bat[0]!, full: 18000000, healthPct: 40}
  return {version: 1, collectedAt: '2026-11-28T08:00:00.000Z', source: 'bench', system: worn ? {...system, ramBytes: 2 * 1024 ** 3} : system, batteries: worn ? [] : bat,
    disks: [{path: '/dev/nvme0n1', type: 'disk', model: 'SAMSUNG MZVLB256HBHQ-000L7', serial: `D-${serial(i)}`, sizeBytes: 256060514304, transport: 'nvme', rotational: false, removable: false, smart: parseSmartctl(fx(worn ? 'smartctl-nvme-worn.json' : 'smartctl-nvme.json'))}]}
}

describe('laptops: a batch of 2000 through the binary', {timeout: 900_000}, () => {
  const dir = tempDir('alpi-e2e-2000-')
  const db = join(dir.path, 'alpi.sqlite')
  const loops: LoopDevice[] = []
  const SITES = ['SMALAH', 'CCLA', 'MONT', 'DAX', 'MIMIZAN']
  let env: Record<string, string>
  const alpi = (args: string[]) => runAlpi([...args, '--db', db], {env, timeoutMs: 300_000})

  beforeAll(async () => {
    for (let i = 0; i < 5; i++) loops.push(await createLoop({sizeBytes: 12 << 20, fill: 'random'}))
    env = {ALPI_NOW: '2026-11-28T09:00:00Z', ALPI_TECHNICIAN: 'tech-e2e', ALPI_TEST_DEVICE_SERIALS: loopSerialsEnv(loops.map((l, k) => [l, `D-${serial(k + 1)}`]))}
  })
  afterAll(async () => {
    for (const l of loops) await l.cleanup()
    dir.cleanup()
  })

  it('imports, probes, grades 2000 laptops and the sites, with --json results', {timeout: 300_000}, async () => {
    const csv = ['N° de série;N° inventaire;Fabricant;Modèle;Lot', ...Array.from({length: N}, (_, k) => `${serial(k + 1)};INV-${k + 1};${MODELS[(k + 1) % 3]![0]};${MODELS[(k + 1) % 3]![1]};LOT-${1 + Math.floor(k / 500)}`)].join('\n')
    writeFileSync(join(dir.path, 'laptops.csv'), csv)
    const imp = await alpi(['laptops', 'import', join(dir.path, 'laptops.csv'), '--json'])
    expect(imp.code, imp.stderr).toBe(0)
    expect(imp.json().result).toMatchObject({rows: N, inserted: N, rejected: 0})

    writeFileSync(join(dir.path, 'snapshots.jsonl'), Array.from({length: N}, (_, k) => JSON.stringify(snapshotOf(k + 1))).join('\n') + '\n')
    const pr = await alpi(['laptops', 'probe', '--from', join(dir.path, 'snapshots.jsonl'), '--json'])
    expect(pr.code, pr.stderr).toBe(0)
    expect(pr.json().result.batch).toEqual({stored: N, created: 0})

    writeFileSync(join(dir.path, 'sheet.csv'), ['serial;grade', ...Array.from({length: N}, (_, k) => `${serial(k + 1)};${cosmeticOf(k + 1).toLowerCase()}`)].join('\n'))
    const gr = await alpi(['laptops', 'grade', '--sheet', join(dir.path, 'sheet.csv'), '--json'])
    expect(gr.code, gr.stderr).toBe(0)
    const states = Array.from({length: N}, (_, k) => expectedState(k + 1))
    const count = (s: string) => states.filter((x) => x === s).length
    expect(gr.json().result.verdicts).toEqual({ready: count('diagnosed'), needs_part: count('on_hold'), scrap: count('scrapped')})

    writeFileSync(join(dir.path, 'sites.csv'), ['code;nom;commune;convention;date signature;date fin;quota', ...SITES.map((s, k) => `${s};Lieu ${s};Commune ${k};CONV-${s};01/01/2026;31/12/2027;${400 + k}`)].join('\n'))
    expect((await alpi(['laptops', 'sites', 'import', join(dir.path, 'sites.csv')])).code).toBe(0)
    writeFileSync(join(dir.path, 'ben.csv'), ['ref;nom;commune;parcours;debut parcours;site', ...SITES.map((s) => `B-${s};Personne ${s};Commune;PARC-${s};01/10/2026;${s}`)].join('\n'))
    expect((await alpi(['laptops', 'beneficiaries', 'import', join(dir.path, 'ben.csv')])).code).toBe(0)
  })

  it('wipes and reimages five laptops on loop devices, allocates one per site, hands them over with receipts', {timeout: 900_000}, async () => {
    for (let k = 0; k < 5; k++) {
      const noConfirm = k === 0 ? await alpi(['laptops', 'wipe', '--device', loops[k]!.device, '--serial', serial(k + 1), '--out', dir.path]) : undefined
      if (noConfirm) {
        expect(noConfirm.code).toBe(2)
        expect(noConfirm.stderr).toMatch(new RegExp(`--confirm ${serial(1)}`))
      }
      const w = await alpi(['laptops', 'wipe', '--device', loops[k]!.device, '--serial', serial(k + 1), '--confirm', serial(k + 1), '--out', dir.path, '--json'])
      expect(w.code, w.stderr).toBe(0)
      expect(w.json().result.certificate).toMatchObject({level: 'Clear', result: 'success', laptopSerial: serial(k + 1)})
      expect(w.stderr).toMatch(/bytes \(100%\)/)
    }
    const raw = Buffer.concat([Buffer.alloc(1 << 20, 1), randomBytes(3 << 20)])
    writeFileSync(join(dir.path, 'golden.img'), raw)
    execFileSync('zstd', ['-q', join(dir.path, 'golden.img'), '-o', join(dir.path, 'golden.img.zst')])
    expect((await alpi(['laptops', 'images', 'add', 'mint-test', join(dir.path, 'golden.img.zst')])).code).toBe(0)
    const ri = await alpi(['laptops', 'reimage', '--image', 'mint-test', ...loops.flatMap((l) => ['--device', l.device]), '--yes', '--json'])
    expect(ri.code, ri.stderr).toBe(0)
    expect(ri.json().result.devices.map((d: {state: string}) => d.state)).toEqual(['ready', 'ready', 'ready', 'ready', 'ready'])

    const tooMany = await alpi(['laptops', 'allocate', '--site', 'SMALAH', '--count', '6'])
    expect(tooMany.code).toBe(1)
    expect(tooMany.stderr).toMatch(/NOT_ENOUGH_READY/)
    for (const site of SITES) {
      const a = await alpi(['laptops', 'allocate', '--site', site, '--count', '1', '--json'])
      expect(a.code, a.stderr).toBe(0)
      const [s] = a.json().result.allocated
      const h = await alpi(['laptops', 'handover', s, '--beneficiary', `B-${site}`, '--out', join(dir.path, 'receipts'), '--json'])
      expect(h.code, h.stderr).toBe(0)
      const text = execFileSync('pdftotext', [h.json().result.receipt, '-']).toString().replace(/\s+/g, ' ')
      expect(text).toContain(s)
      expect(text).toContain(`Personne ${site}`)
      expect(text).toContain('Don gratuit')
    }
  })

  it('laptops status --json matches the data', async () => {
    const st = await alpi(['laptops', 'status', '--json'])
    expect(st.code).toBe(0)
    expect(st.stderr).toBe('')
    const r = st.json().result
    const states = Array.from({length: N}, (_, k) => expectedState(k + 1))
    const count = (s: string) => states.filter((x) => x === s).length
    expect(r.total).toBe(N)
    expect(r.byState).toEqual({received: 0, diagnosed: count('diagnosed') - 5, wiped: 0, imaged: 0, ready: 0, allocated: 0, handed_over: 5, on_hold: count('on_hold'), scrapped: count('scrapped'), returned: 0})
    expect(r.bySite.map((s: {site: string; handed_over: number}) => [s.site, s.handed_over])).toEqual(SITES.slice().sort().map((s) => [s, 1]))
    expect(r.byModel.map((m: {total: number}) => m.total).reduce((a: number, b: number) => a + b, 0)).toBe(N)
    expect(r.perDay).toEqual([{day: '2026-11-28', counts: {received: N, diagnosed: count('diagnosed'), on_hold: count('on_hold'), scrapped: count('scrapped'), wiped: 5, imaged: 5, ready: 5, allocated: 5, handed_over: 5}}])
    const human = await alpi(['laptops', 'status'])
    expect(human.stdout).toMatch(new RegExp(`Laptops: ${N}`))
  })
})
