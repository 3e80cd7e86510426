import {execFileSync} from 'node:child_process'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {openStore, type Store} from '../../../src/store/db.js'
import {runAlpi} from '../../helpers/cli.js'
import {DIALECTS, tempDir} from '../../helpers/context.js'
import {freshPgDatabase} from '../../helpers/pg.js'
import {LOTS, seedWorkshop} from './workshop-seed.js'

/**
 * A workshop day through the built binary, on 2000 generated laptops in five lots, on SQLite
 * and PostgreSQL: `laptops list` returns what a direct read of the store selects, allocation
 * by serial and by file, each correction refused when it should be and audited when done,
 * a second return, beneficiaries' names never on a pipe.
 */
const NOW = '2026-12-01T10:00:00Z'

describe.each(DIALECTS)('laptops workshop day (binary, %s)', (dialect) => {
  const dir = tempDir('alpi-e2e-workshop-')
  let url: string
  let drop: () => Promise<void> = async () => undefined
  let names: string[] = []
  let all: {
    serial: string
    asset_tag: string | null
    model: string | null
    lot: string | null
    state: string
    grade: string | null
    site_code: string | null
    created_at: string
    state_changed_at: string
  }[] = []
  const alpi = (args: string[], env: Record<string, string> = {}) =>
    runAlpi([...args, '--db', url], {cwd: dir.path, env: {ALPI_NOW: NOW, ...env}})
  const withStore = async <T>(fn: (s: Store) => Promise<T>): Promise<T> => {
    const s = await openStore({url})
    try {
      return await fn(s)
    } finally {
      await s.close()
    }
  }
  const auditOf = (serial: string) =>
    withStore((s) =>
      s.db.selectFrom('audit_log').select(['action', 'summary', 'data']).where('entity_id', '=', serial).orderBy('seq').execute(),
    )

  beforeAll(async () => {
    if (dialect === 'sqlite') url = join(dir.path, 'alpi.sqlite')
    else ({url, drop} = await freshPgDatabase())
    names = (await withStore((s) => seedWorkshop(s.db, 2000))).beneficiaryNames
    all = await withStore((s) =>
      s.db
        .selectFrom('laptops')
        .select(['serial', 'asset_tag', 'model', 'lot', 'state', 'grade', 'site_code', 'created_at', 'state_changed_at'])
        .orderBy('serial')
        .execute(),
    )
  }, 120_000)
  afterAll(async () => {
    await drop()
    dir.cleanup()
  })

  it('list: each filter returns what a direct read of the store selects, as a table, --json and --csv', async () => {
    const cases: [string[], (l: (typeof all)[number]) => boolean][] = [
      [[], () => true],
      [['--state', 'ready'], (l) => l.state === 'ready'],
      [['--state', 'scrapped', '--state', 'on_hold'], (l) => l.state === 'scrapped' || l.state === 'on_hold'],
      [['--site', 'CCLA'], (l) => l.site_code === 'CCLA'],
      [['--model', 'l380'], (l) => (l.model ?? '').toLowerCase().includes('l380')],
      [['--grade', 'a', '--state', 'ready'], (l) => l.grade === 'A' && l.state === 'ready'],
      [['--lot', LOTS[2]], (l) => l.lot === LOTS[2]],
      [['--since', '2026-11-01'], (l) => l.created_at >= '2026-11-01T00:00:00.000Z'],
      [['--changed-since', '2026-11-15T00:00:00+01:00'], (l) => l.state_changed_at >= '2026-11-14T23:00:00.000Z'],
      [['--search', 'pfb0'], (l) => l.serial.toLowerCase().includes('pfb0') || (l.asset_tag ?? '').toLowerCase().includes('pfb0')],
      [['--search', 'INV-0001'], (l) => l.serial.includes('INV-0001') || (l.asset_tag ?? '').includes('INV-0001')],
      [['--search', '%'], () => false],
    ]
    for (const [args, pick] of cases) {
      const r = await alpi(['laptops', 'list', ...args, '--json'])
      expect(r.code, args.join(' ') + r.stderr).toBe(0)
      const expected = all.filter(pick).map((l) => l.serial)
      expect(
        r.json().result.map((x: {serial: string}) => x.serial),
        args.join(' '),
      ).toEqual(expected)
    }
    const csv = await alpi(['laptops', 'list', '--lot', LOTS[0], '--csv'])
    expect(csv.code).toBe(0)
    const lines = csv.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^serial;asset_tag;maker;model;lot;state/)
    expect(lines).toHaveLength(all.filter((l) => l.lot === LOTS[0]).length + 1)
    const human = await alpi(['laptops', 'list', '--state', 'lost'])
    expect(human.code).toBe(0)
    expect(human.stdout.split('\n')[0]).toMatch(/^SERIAL\s+ASSET/)
    expect(human.stderr).toContain('0 laptop(s)')
    const bad = await alpi(['laptops', 'list', '--state', 'stolen', '--json'])
    expect(bad.code).toBe(2)
    expect(bad.json().message).toContain('stolen')
  }, 120_000)

  it('beneficiaries list: references only on a pipe, names only in a 0600 file; sites list with quotas', async () => {
    const piped = await alpi(['laptops', 'beneficiaries', 'list'])
    expect(piped.code).toBe(0)
    const json = await alpi(['laptops', 'beneficiaries', 'list', '--json'])
    for (const name of names.slice(0, 50)) {
      expect(piped.stdout).not.toContain(name)
      expect(json.stdout).not.toContain(name)
    }
    expect(piped.stderr).toMatch(/references only/)
    const out = join(dir.path, 'beneficiaires.csv')
    const file = await alpi(['laptops', 'beneficiaries', 'list', '--output', out, '--json'])
    expect(file.code).toBe(0)
    expect(file.stdout).not.toContain(names[0]!)
    expect(statSync(out).mode & 0o777).toBe(0o600)
    expect(readFileSync(out, 'utf8')).toContain(names[0]!)
    const sites = (await alpi(['laptops', 'sites', 'list', '--json'])).json().result
    const used = (code: string) => all.filter((l) => l.site_code === code && (l.state === 'allocated' || l.state === 'handed_over')).length
    expect(sites.map((s: {code: string; used: number; remaining: number}) => [s.code, s.used, s.remaining])).toEqual(
      ['CCLA', 'MSAP', 'SMALAH'].map((c) => [c, used(c), 900 - used(c)]),
    )
  }, 60_000)

  it('lots: per-lot status as the store counts it; the donor report has numbers, certificates, communes and no personal data', async () => {
    const add = await alpi([
      'laptops',
      'lots',
      'add',
      'LOT-2026-09',
      '--donor',
      'Mairie de Dax',
      '--date',
      '2026-11-20',
      '--count',
      '40',
      '--json',
    ])
    expect(add.code, add.stderr).toBe(0)
    const lots = (await alpi(['laptops', 'lots', 'list', '--json'])).json().result
    const lot = lots.find((l: {code: string}) => l.code === LOTS[1])
    const mine = all.filter((l) => l.lot === LOTS[1])
    expect(lot).toMatchObject({
      received: mine.length,
      given: mine.filter((l) => l.state === 'handed_over').length,
      scrapped: mine.filter((l) => l.state === 'scrapped').length,
    })
    expect(lots.find((l: {code: string}) => l.code === 'LOT-2026-09')).toMatchObject({expected: 40, received: 0, donor: 'Mairie de Dax'})
    const pdf = join(dir.path, `bilan-${LOTS[1]}.pdf`)
    const r = await alpi(['laptops', 'lots', 'report', LOTS[1], '--out', pdf, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString()
    expect(text).toContain(`Bilan du don – lot ${LOTS[1]}`)
    expect(text).toMatch(/Remis à des bénéficiaires :\s+\d+/)
    expect(text).toContain(r.json().result.certificates[0].certificate)
    expect(r.json().result.communes.length).toBeGreaterThan(0)
    for (const c of r.json().result.communes) expect(text).toContain(c.commune)
    const raw = readFileSync(pdf).toString('latin1') + JSON.stringify(r.json())
    expect(names.length).toBeGreaterThan(100)
    for (const name of names) {
      expect(text).not.toContain(name)
      expect(raw).not.toContain(name)
    }
    expect(text).not.toMatch(/BEN-/)
  }, 60_000)

  it('show: verdict reasons, probe facts, certificates and history in local time', async () => {
    const onHold = all.find((l) => l.state === 'on_hold')!.serial
    const r = await alpi(['laptops', 'show', onHold])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Verdict reasons:\n {2}- battery: battery at 41%/)
    expect(r.stdout).toMatch(/CPU +\S+/)
    expect(r.stdout).toMatch(/RAM +[\d.]+ GiB/)
    expect(r.stdout).toMatch(/disk +\/dev\/nvme0n1 TEST DISK 256 GB, serial DISK-/)
    expect(r.stdout).toMatch(/battery +BAT0: [\d.]+% of design capacity/)
    expect(r.stdout).toContain('History (local time, Europe/Paris):')
    const ready = all.find((l) => l.state === 'ready')!
    const fr = await alpi(['laptops', 'show', ready.serial, '--lang', 'fr'])
    expect(fr.stdout).toContain("Certificats d'effacement :")
    // the change at 2026-10-xx 0Z..6Z UTC shows one or two hours later in Paris
    const utc = new Date(ready.state_changed_at)
    const paris = new Intl.DateTimeFormat('fr-FR', {timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit'}).format(utc)
    expect(fr.stdout).toContain(paris)
  })

  it('allocate --serial is all or nothing and names each refusal; --from rejects rows by number', async () => {
    const ready = all.filter((l) => l.state === 'ready').map((l) => l.serial)
    const wiped = all.find((l) => l.state === 'wiped')!.serial
    const refused = await alpi([
      'laptops',
      'allocate',
      '--site',
      'MSAP',
      '--serial',
      ready[0]!,
      '--serial',
      wiped,
      '--serial',
      'NOPE1',
      '--json',
    ])
    expect(refused.code).toBe(1)
    const e = refused.json()
    expect(e.code).toBe('ALLOCATION_REFUSED')
    expect(e.data.refused.map((x: {serial: string; code: string}) => [x.serial, x.code])).toEqual([
      [wiped, 'NOT_READY'],
      ['NOPE1', 'NOT_FOUND'],
    ])
    expect(e.message).toMatch(/must be imaged, then ready/)
    const ok = await alpi(['laptops', 'allocate', '--site', 'MSAP', '--serial', ready[0]!, '--serial', ready[1]!, '--json'])
    expect(ok.code).toBe(0)
    expect(ok.json().result.allocated).toEqual([ready[0], ready[1]])
    const file = join(dir.path, 'choisis.csv')
    writeFileSync(file, `numéro de série\n${ready[2]}\n${wiped}\n${ready[3]}\n${ready[2]}\n`)
    const fromFile = await alpi(['laptops', 'allocate', '--site', 'MSAP', '--from', file, '--json'])
    expect(fromFile.code).toBe(3)
    const data = fromFile.json().data
    expect(data.allocation.allocated).toEqual([ready[2], ready[3]])
    expect(data.rejects.map((x: {row: number}) => x.row)).toEqual([3, 5])
    const none = await alpi(['laptops', 'allocate', '--site', 'MSAP'])
    expect(none.code).toBe(2)
  }, 60_000)

  it('corrections: refused with the way to go, done with a reason in the history and the journal', async () => {
    const pick = (state: string, k = 0) => all.filter((l) => l.state === state)[k + 5]!.serial
    // re-grade a ready laptop as C: the same snapshot now gives "scrap"? No: a healthy one stays ready, grade C
    const ready = pick('ready')
    const rg = await alpi(['laptops', 'correct', 'regrade', ready, '--cosmetic', 'C', '--reason', 'écran rayé vu au contrôle', '--json'])
    expect(rg.code, rg.stderr).toBe(0)
    expect(rg.json().result).toMatchObject({from: 'ready', to: 'ready', verdict: 'ready'})
    const refusedRegrade = await alpi(['laptops', 'correct', 'regrade', pick('received'), '--cosmetic', 'B', '--reason', 'x', '--json'])
    expect(refusedRegrade.json()).toMatchObject({code: 'CORRECTION_REFUSED'})
    expect(refusedRegrade.json().actions[0]).toMatch(/alpi laptops grade/)
    // no reason: usage error, nothing moved
    const noReason = await alpi(['laptops', 'correct', 'rewipe', ready, '--json'])
    expect(noReason.code).toBe(2)
    const rw = await alpi(['laptops', 'correct', 'rewipe', ready, '--reason', 'image sur disque non certifié', '--json'])
    expect(rw.json().result).toMatchObject({from: 'ready', to: 'diagnosed'})
    const rwAgain = await alpi(['laptops', 'correct', 'rewipe', ready, '--reason', 'encore', '--json'])
    expect(rwAgain.json().code).toBe('CORRECTION_REFUSED')
    expect(rwAgain.json().actions[0]).toMatch(/alpi laptops wipe --device DEV --serial /)
    // unallocate
    const allocated = pick('allocated')
    const un = await alpi(['laptops', 'correct', 'unallocate', allocated, '--reason', 'mauvais lieu', '--json'])
    expect(un.json().result).toMatchObject({from: 'allocated', to: 'ready'})
    const handed = pick('handed_over')
    const unHanded = await alpi(['laptops', 'correct', 'unallocate', handed, '--reason', 'x', '--json'])
    expect(unHanded.json().code).toBe('CORRECTION_REFUSED')
    expect(unHanded.json().actions[0]).toMatch(/correct cancel-handover/)
    // an old handover cannot be cancelled: the way is a return
    const late = await alpi(['laptops', 'correct', 'cancel-handover', handed, '--reason', 'erreur', '--json'])
    expect(late.json().code).toBe('CANCEL_WINDOW_PASSED')
    expect(late.json().actions[0]).toMatch(/alpi laptops return/)
    // lost, then found
    const lost = await alpi(['laptops', 'correct', 'lost', handed, '--kind', 'stolen', '--reason', 'vol signalé', '--json'])
    expect(lost.json().result).toMatchObject({from: 'handed_over', to: 'lost', kind: 'stolen'})
    const allocateLost = await alpi(['laptops', 'allocate', '--site', 'MSAP', '--serial', handed, '--json'])
    expect(allocateLost.json().message).toMatch(/is lost: it must be returned, then diagnosed/)
    const found = await alpi(['laptops', 'correct', 'found', handed, '--reason', 'rapporté', '--json'])
    expect(found.json().result).toMatchObject({from: 'lost', to: 'returned'})
    // a second return says it is already returned
    const again = await alpi(['laptops', 'return', handed, '--json'])
    expect(again.json()).toMatchObject({code: 'ALREADY_RETURNED'})
    expect(again.json().actions[0]).toMatch(/alpi laptops grade/)
    // each done correction: one audit entry, the reason in the history
    expect((await auditOf(ready)).map((a) => a.action)).toEqual(['correct-regrade', 'correct-rewipe'])
    expect((await auditOf(handed)).map((a) => a.action)).toEqual(['correct-lost', 'correct-found'])
    expect((await auditOf(allocated)).map((a) => a.action)).toEqual(['correct-unallocate'])
    const show = await alpi(['laptops', 'show', ready, '--json'])
    expect(
      show
        .json()
        .result.events.map((e: {reason: string | null}) => e.reason)
        .filter(Boolean),
    ).toEqual(['écran rayé vu au contrôle', 'image sur disque non certifié'])
  }, 120_000)

  it('cancel a handover made by mistake within the window: allocated again, the handover kept as cancelled', async () => {
    const serial = all.filter((l) => l.state === 'allocated')[20]!
    await withStore((s) =>
      s.db
        .insertInto('laptop_beneficiaries')
        .values({
          ref: 'BEN-CANCEL',
          name: 'Personne Annulation',
          commune: 'Dax',
          training_ref: 'P1',
          training_start: '2026-09-01',
          site_code: serial.site_code!,
          created_at: NOW,
          updated_at: NOW,
        })
        .execute(),
    )
    const h = await alpi(['laptops', 'handover', serial.serial, '--beneficiary', 'BEN-CANCEL', '--out', join(dir.path, 'recus'), '--json'])
    expect(h.code, h.stderr).toBe(0)
    const c = await alpi(['laptops', 'correct', 'cancel-handover', serial.serial, '--reason', 'mauvais ordinateur', '--json'], {
      ALPI_NOW: '2026-12-02T09:00:00Z',
    })
    expect(c.code, c.stderr).toBe(0)
    expect(c.json().result).toMatchObject({from: 'handed_over', to: 'allocated', handover: h.json().result.handoverId})
    const show = (await alpi(['laptops', 'show', serial.serial, '--json'])).json().result
    expect(show.laptop.beneficiary_ref).toBeNull()
    expect(show.handovers.at(-1).cancelled_at).toBe('2026-12-02T09:00:00.000Z')
    // the person may be given another laptop now
    const again = await alpi([
      'laptops',
      'handover',
      serial.serial,
      '--beneficiary',
      'BEN-CANCEL',
      '--out',
      join(dir.path, 'recus'),
      '--json',
    ])
    expect(again.code, again.stderr).toBe(0)
    const late = await alpi(['laptops', 'correct', 'cancel-handover', serial.serial, '--reason', 'erreur', '--json'], {
      ALPI_NOW: '2026-12-04T10:00:01Z',
    })
    expect(late.json().code).toBe('CANCEL_WINDOW_PASSED')
    expect((await auditOf(serial.serial)).map((a) => a.action)).toEqual(['handover', 'correct-cancel-handover', 'handover'])
  }, 60_000)
})
