import {execFileSync} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {closeSync, fsyncSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseBatteries, parseDmidecode, parseSmartctl, type ProbeSnapshot} from '../../../src/laptops/probe-parse.js'
import {runAlpi} from '../../helpers/cli.js'
import {REPO_ROOT, tempDir} from '../../helpers/context.js'
import {createLoop, loopSerialsEnv, type LoopDevice} from '../../helpers/loopdev.js'

/**
 * The programme's batch through the binary: 2000 laptops imported (generated CSV), their
 * probe snapshots stored from a JSON-lines file, graded from a bench sheet, 5 sites and their
 * beneficiaries imported; then every laptop graded ready (1800) is wiped and reimaged on real
 * loop devices, allocated to the 5 sites and handed over with a receipt each (one CSV per
 * distribution day); `laptops status --json` must match the data.
 *
 * The bench: BAYS loop devices stand for the disks of a multi-bay dock. Each round puts the
 * next BAYS laptops' disks in the bays (random bytes written through the device, and the
 * disk serials declared for the loop devices), wipes them in one batch, then reimages them
 * in one batch; the same loop devices are reused for the next round.
 */
const N = 2000
const BAYS = 40
const BAY_BYTES = 2 << 20
const fx = (n: string) => readFileSync(join(REPO_ROOT, 'test/fixtures/laptops/probe', n), 'utf8')
const serial = (i: number) => `ALPI-${String(i).padStart(4, '0')}`
const MODELS = [
  ['LENOVO', 'ThinkPad L380'],
  ['Dell Inc.', 'Latitude 3190'],
  ['HP', 'ProBook 430 G5'],
] as const

// generation rules, and the verdicts they must give under the default thresholds
const cosmeticOf = (i: number) => (i % 3 === 0 ? 'C' : i % 3 === 1 ? 'A' : 'B')
const expectedState = (i: number) =>
  i % 50 === 0 ? 'scrapped' : i % 10 === 0 ? (cosmeticOf(i) === 'C' ? 'scrapped' : 'on_hold') : 'diagnosed'

function snapshotOf(i: number): ProbeSnapshot {
  const system = {...parseDmidecode(fx('dmidecode-thinkpad.txt')), serial: serial(i), maker: MODELS[i % 3]![0], model: MODELS[i % 3]![1]}
  const worn = i % 50 === 0
  const bat = parseBatteries(fx('battery-energy.txt'))
  if (i % 10 === 0) bat[0] = {...bat[0]!, full: 18000000, healthPct: 40}
  return {
    version: 1,
    collectedAt: '2026-11-28T08:00:00.000Z',
    source: 'bench',
    system: worn ? {...system, ramBytes: 2 * 1024 ** 3} : system,
    batteries: worn ? [] : bat,
    disks: [
      {
        path: '/dev/nvme0n1',
        type: 'disk',
        model: 'SAMSUNG MZVLB256HBHQ-000L7',
        serial: `D-${serial(i)}`,
        sizeBytes: 256060514304,
        transport: 'nvme',
        rotational: false,
        removable: false,
        smart: parseSmartctl(fx(worn ? 'smartctl-nvme-worn.json' : 'smartctl-nvme.json')),
      },
    ],
  }
}

const ready = Array.from({length: N}, (_, k) => k + 1)
  .filter((i) => expectedState(i) === 'diagnosed')
  .map(serial)
const counts = () => {
  const states = Array.from({length: N}, (_, k) => expectedState(k + 1))
  return (st: string) => states.filter((x) => x === st).length
}
const PER_SITE = ready.length / 5

describe('laptops: a batch of 2000 through the binary', {timeout: 1_800_000}, () => {
  const dir = tempDir('alpi-e2e-2000-')
  const db = join(dir.path, 'alpi.sqlite')
  const receipts = join(dir.path, 'receipts')
  const certs = join(dir.path, 'certificats')
  const bays: LoopDevice[] = []
  const SITES = ['SMALAH', 'CCLA', 'MONT', 'DAX', 'MIMIZAN']
  const baseEnv = {ALPI_NOW: '2026-11-28T09:00:00Z', ALPI_TECHNICIAN: 'tech-e2e'}
  const alpi = (args: string[], env: Record<string, string> = baseEnv) => runAlpi([...args, '--db', db], {env, timeoutMs: 600_000})
  const allocated: Record<string, string[]> = {}

  beforeAll(async () => {
    for (let i = 0; i < BAYS; i++) bays.push(await createLoop({sizeBytes: BAY_BYTES, fill: 'zero'}))
  })
  afterAll(async () => {
    for (const l of bays) await l.cleanup()
    dir.cleanup()
  })

  it('imports, probes, grades 2000 laptops, the sites and the beneficiaries, with --json results', {timeout: 300_000}, async () => {
    const csv = [
      'N° de série;N° inventaire;Fabricant;Modèle;Lot',
      ...Array.from(
        {length: N},
        (_, k) => `${serial(k + 1)};INV-${k + 1};${MODELS[(k + 1) % 3]![0]};${MODELS[(k + 1) % 3]![1]};LOT-${1 + Math.floor(k / 500)}`,
      ),
    ].join('\n')
    writeFileSync(join(dir.path, 'laptops.csv'), csv)
    const imp = await alpi(['laptops', 'import', join(dir.path, 'laptops.csv'), '--json'])
    expect(imp.code, imp.stderr).toBe(0)
    expect(imp.json().result).toMatchObject({rows: N, inserted: N, rejected: 0})

    writeFileSync(join(dir.path, 'snapshots.jsonl'), Array.from({length: N}, (_, k) => JSON.stringify(snapshotOf(k + 1))).join('\n') + '\n')
    const pr = await alpi(['laptops', 'probe', '--from', join(dir.path, 'snapshots.jsonl'), '--json'])
    expect(pr.code, pr.stderr).toBe(0)
    expect(pr.json().result.batch).toEqual({stored: N, created: 0})

    writeFileSync(
      join(dir.path, 'sheet.csv'),
      ['serial;grade', ...Array.from({length: N}, (_, k) => `${serial(k + 1)};${cosmeticOf(k + 1).toLowerCase()}`)].join('\n'),
    )
    const gr = await alpi(['laptops', 'grade', '--sheet', join(dir.path, 'sheet.csv'), '--json'])
    expect(gr.code, gr.stderr).toBe(0)
    const count = counts()
    expect(gr.json().result.verdicts).toEqual({ready: count('diagnosed'), needs_part: count('on_hold'), scrap: count('scrapped')})
    expect(ready).toHaveLength(1800)

    writeFileSync(
      join(dir.path, 'sites.csv'),
      [
        'code;nom;commune;convention;date signature;date fin;quota',
        ...SITES.map((s, k) => `${s};Lieu ${s};Commune ${k};CONV-${s};01/01/2026;31/12/2027;${400 + k}`),
      ].join('\n'),
    )
    expect((await alpi(['laptops', 'sites', 'import', join(dir.path, 'sites.csv')])).code).toBe(0)
    const people = SITES.flatMap((s) =>
      Array.from({length: PER_SITE}, (_, k) => `B-${s}-${k + 1};Personne ${s} ${k + 1};Commune;PARC-${s};01/10/2026;${s}`),
    )
    writeFileSync(
      join(dir.path, 'ben.csv'),
      ['ref;nom;commune;parcours;debut parcours;site', ...people, 'B-NOTRAIN;Personne Sans Parcours;Commune;;;SMALAH'].join('\n'),
    )
    const ben = await alpi(['laptops', 'beneficiaries', 'import', join(dir.path, 'ben.csv'), '--json'])
    expect(ben.code, ben.stderr).toBe(0)
    expect(ben.json().result.inserted).toBe(ready.length + 1)
  })

  it('wipes and reimages the 1800 ready laptops, BAYS disks at a time on loop devices', {timeout: 1_500_000}, async () => {
    const raw = Buffer.concat([Buffer.alloc(256 << 10, 1), randomBytes(768 << 10)])
    writeFileSync(join(dir.path, 'golden.img'), raw)
    execFileSync('zstd', ['-q', join(dir.path, 'golden.img'), '-o', join(dir.path, 'golden.img.zst')])
    expect((await alpi(['laptops', 'images', 'add', 'mint-test', join(dir.path, 'golden.img.zst')])).code).toBe(0)
    const goldenSha = createHash('sha256').update(raw).digest('hex')

    for (let round = 0; round * BAYS < ready.length; round++) {
      const batch = ready.slice(round * BAYS, (round + 1) * BAYS)
      const used = bays.slice(0, batch.length)
      // the next laptops' disks go into the bays: old data, and their serials
      for (const b of used) {
        const fd = openSync(b.device, 'r+')
        writeSync(fd, randomBytes(BAY_BYTES), 0, BAY_BYTES, 0)
        fsyncSync(fd)
        closeSync(fd)
      }
      const env = {...baseEnv, ALPI_TEST_DEVICE_SERIALS: loopSerialsEnv(used.map((b, k) => [b, `D-${batch[k]}`]))}
      const devices = used.flatMap((b) => ['--device', b.device])
      if (round === 0) {
        // one disk alone, named by its laptop; no terminal and no --confirm: refused, nothing written
        const lone = await alpi(['laptops', 'wipe', '--device', used[0]!.device, '--serial', batch[0]!, '--out', certs], env)
        expect(lone.code, lone.stderr).toBe(2)
        expect(lone.stderr).toContain(`--confirm ${batch[0]}`)
        const one = await alpi(
          ['laptops', 'wipe', '--device', used[0]!.device, '--serial', batch[0]!, '--confirm', batch[0]!, '--out', certs, '--json'],
          env,
        )
        expect(one.code, one.stderr).toBe(0)
        expect(one.json().result.disks[0].certificate).toMatchObject({level: 'Clear', result: 'success', laptopSerial: batch[0]})
        expect(one.stderr).toMatch(/bytes \(100%\)/)
        const many = await alpi(['laptops', 'wipe', ...devices.slice(2), '--out', certs], env)
        expect(many.code).toBe(2)
        expect(many.stderr).toContain(`--confirm ${batch.length - 1}`)
        const wrongCount = await alpi(['laptops', 'wipe', ...devices.slice(2), '--confirm', String(batch.length), '--out', certs], env)
        expect(wrongCount.code).toBe(2)
        for (const b of used.slice(1)) expect(readFileSync(b.device).some((x) => x !== 0)).toBe(true)
      }
      const w = await alpi(
        [
          'laptops',
          'wipe',
          ...(round === 0 ? devices.slice(2) : devices),
          '--confirm',
          String(round === 0 ? batch.length - 1 : batch.length),
          '--out',
          certs,
          '--json',
        ],
        env,
      )
      expect(w.code, w.stderr).toBe(0)
      const wr = w.json().result
      expect(wr.ok).toBe(round === 0 ? batch.length - 1 : batch.length)
      expect(wr.disks.map((d: {laptop: string}) => d.laptop)).toEqual(round === 0 ? batch.slice(1) : batch)
      for (const d of wr.disks)
        expect(d.certificate).toMatchObject({level: 'Clear', result: 'success', verification: {passed: true, mismatches: 0}})
      if (round === 0) {
        // every byte of every bay reads back as zero after the wipe
        for (const b of used) expect(readFileSync(b.file).every((x) => x === 0)).toBe(true)
        const pdf = execFileSync('pdftotext', [wr.disks[0].pdf, '-']).toString().replace(/\s+/g, ' ')
        expect(pdf).toContain("CERTIFICAT D'EFFACEMENT")
        expect(pdf).toContain(`D-${batch[1]}`)
      }
      const ri = await alpi(['laptops', 'reimage', '--image', 'mint-test', ...devices, '--yes', '--json'], env)
      expect(ri.code, ri.stderr).toBe(0)
      const rr = ri.json().result
      expect(rr.devices.map((d: {laptop: string; state: string; readBackSha256: string}) => [d.laptop, d.state, d.readBackSha256])).toEqual(
        batch.map((s) => [s, 'ready', goldenSha]),
      )
    }
    const certFiles = readdirSync(certs)
    expect(certFiles.filter((f) => f.endsWith('.pdf'))).toHaveLength(ready.length)
    expect(certFiles.filter((f) => f.endsWith('.json'))).toHaveLength(ready.length)
  })

  it('allocates the 1800 to the 5 sites within their quotas', {timeout: 300_000}, async () => {
    for (const site of SITES) {
      const a = await alpi(['laptops', 'allocate', '--site', site, '--count', String(PER_SITE), '--json'])
      expect(a.code, a.stderr).toBe(0)
      allocated[site] = a.json().result.allocated
      expect(allocated[site]).toHaveLength(PER_SITE)
    }
    expect(new Set(Object.values(allocated).flat()).size).toBe(ready.length)
    const over = await alpi(['laptops', 'allocate', '--site', 'SMALAH', '--count', '41', '--json'])
    expect(over.code).toBe(1)
    expect(over.json()).toMatchObject({code: 'QUOTA_EXCEEDED'})
    const none = await alpi(['laptops', 'allocate', '--site', 'MIMIZAN', '--count', '1'])
    expect(none.code).toBe(1)
    expect(none.stderr).toMatch(/NOT_ENOUGH_READY/)
  })

  it(
    'hands them over, one CSV per site: refused rows listed with their row numbers, a receipt for every laptop',
    {timeout: 600_000},
    async () => {
      const rowsOf = (site: string) => allocated[site]!.map((s, k) => `${s};B-${site}-${k + 1}`)
      // SMALAH's day: the last laptop goes to a person without a training path, a CCLA laptop
      // slipped into the list, and a formula where a reference should be
      const smalah = rowsOf('SMALAH')
      const last = allocated.SMALAH!.at(-1)!
      smalah[smalah.length - 1] = `${last};B-NOTRAIN`
      const file = join(dir.path, 'remises-SMALAH.csv')
      writeFileSync(
        file,
        [
          'N° de série;Bénéficiaire',
          ...smalah,
          `${allocated.CCLA![0]};B-SMALAH-${PER_SITE}`,
          `${allocated.SMALAH![0]};=HYPERLINK("http://x")`,
        ].join('\n'),
      )
      const h = await alpi(['laptops', 'handover', '--from', file, '--out', receipts, '--json'])
      expect(h.code).toBe(3)
      const d = h.json().data
      expect(d).toMatchObject({rows: PER_SITE + 2, rejected: 3, inserted: PER_SITE - 1})
      expect(d.rejects.map((r: {row: number; message: string}) => [r.row, r.message.split(':')[0]])).toEqual([
        [PER_SITE + 1, 'NO_ACTIVE_TRAINING'],
        [PER_SITE + 2, 'WRONG_SITE'],
        [PER_SITE + 3, 'NOT_FOUND'],
      ])
      expect(readFileSync(d.rejectsFile, 'utf8')).toContain("'=HYPERLINK")
      const fix = join(dir.path, 'remises-SMALAH-2.csv')
      writeFileSync(fix, `serial,beneficiary\n${last},B-SMALAH-${PER_SITE}\n`)
      const h2 = await alpi(['laptops', 'handover', '--from', fix, '--out', receipts, '--json'])
      expect(h2.code, h2.stderr).toBe(0)
      expect(h2.json().result.handovers).toHaveLength(1)

      for (const site of SITES.slice(1)) {
        const f = join(dir.path, `remises-${site}.csv`)
        writeFileSync(f, ['serial;beneficiary', ...rowsOf(site)].join('\n'))
        const r = await alpi(['laptops', 'handover', '--from', f, '--out', receipts, '--json'])
        expect(r.code, r.stderr).toBe(0)
        const res = r.json().result
        expect(res).toMatchObject({rows: PER_SITE, inserted: PER_SITE, rejected: 0})
        const sample = res.handovers[PER_SITE - 1]
        const text = execFileSync('pdftotext', [sample.receipt, '-']).toString().replace(/\s+/g, ' ')
        expect(text).toContain(sample.serial)
        expect(text).toContain(`Personne ${site} ${PER_SITE}`)
        expect(text).toContain('Don gratuit')
        expect(text).toContain(`CONV-${site}`)
      }
      expect(readdirSync(receipts).filter((f) => f.endsWith('.pdf'))).toHaveLength(ready.length)
      const again = await alpi(['laptops', 'handover', allocated.DAX![0]!, '--beneficiary', 'B-DAX-2', '--out', receipts])
      expect(again.code).toBe(1)
      expect(again.stderr).toMatch(/LAPTOP_TRANSITION_REFUSED/)
    },
  )

  it('laptops status --json matches the data', async () => {
    const st = await alpi(['laptops', 'status', '--json'])
    expect(st.code).toBe(0)
    expect(st.stderr).toBe('')
    const r = st.json().result
    const count = counts()
    const n = ready.length
    expect(r.total).toBe(N)
    expect(r.byState).toEqual({
      received: 0,
      diagnosed: 0,
      wiped: 0,
      imaged: 0,
      ready: 0,
      allocated: 0,
      handed_over: n,
      on_hold: count('on_hold'),
      scrapped: count('scrapped'),
      returned: 0,
      lost: 0,
    })
    expect(r.bySite.map((s: {site: string; handed_over: number}) => [s.site, s.handed_over])).toEqual(
      SITES.slice()
        .sort()
        .map((s) => [s, PER_SITE]),
    )
    expect(r.byModel.map((m: {total: number}) => m.total).reduce((a: number, b: number) => a + b, 0)).toBe(N)
    expect(r.perDay).toEqual([
      {
        day: '2026-11-28',
        counts: {
          received: N,
          diagnosed: n,
          on_hold: count('on_hold'),
          scrapped: count('scrapped'),
          wiped: n,
          imaged: n,
          ready: n,
          allocated: n,
          handed_over: n,
        },
      },
    ])
    const human = await alpi(['laptops', 'status'])
    expect(human.stdout).toMatch(new RegExp(`Laptops: ${N}`))
  })
})
