import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import ICAL from 'ical.js'
import {afterAll, describe, expect, it} from 'vitest'
import {openStore} from '../../../src/store/db.js'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'
import {fleet, glpiCsv, lafiCatalogCsv} from '../../fixtures/win7/generate.js'

const PASSWORD = 'E2e-J0in&<pw>'
const MEMBER = 'mairie-de-geloux'

/** The binary, from a GLPI export to a schedule: exit codes, stdout vs stderr, --json envelopes. */
describe('alpi win7 (the binary): GLPI export → assess → order → receive → stage → schedule → status', () => {
  const dir = tempDir('alpi-win7-e2e-')
  const db = join(dir.path, 'alpi.sqlite')
  const alpi = (args: string[], env: Record<string, string | undefined> = {}) =>
    runAlpi([...args, '--db', db], {
      cwd: dir.path,
      env: {ALPI_JOIN_PASSWORD: undefined, LANG: 'C', LC_ALL: undefined, LC_MESSAGES: undefined, ...env},
    })
  afterAll(() => dir.cleanup())

  it('runs the whole pipeline', async () => {
    const pcs = fleet([{entity: 'Mairie de Geloux', commune: 'Geloux', prefix: 'GEL'}], ['win7Tower', 'win7Laptop', 'win10Ready'], 'EE')
    writeFileSync(join(dir.path, 'glpi.csv'), glpiCsv(pcs))
    writeFileSync(join(dir.path, 'lafi.csv'), lafiCatalogCsv())

    // import: human summary on stdout, then the same as a --json envelope
    let r = await alpi(['win7', 'inventory', 'import', 'glpi.csv'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/3 rows read, 3 new/)
    r = await alpi(['win7', 'inventory', 'import', 'glpi.csv', '--json'])
    expect(r.code).toBe(0)
    expect(r.json()).toMatchObject({status: 0, result: {rows: 3, inserted: 0, unchanged: 3}})

    // a bad row: exit 3, the rejects file, the others kept
    const bad = fleet([{entity: 'Mairie de Geloux', commune: 'Geloux', prefix: 'GEL'}], ['win7Tower', 'win7Tower'], 'BD')
    bad[0]!.memory = '=cmd|calc'
    writeFileSync(join(dir.path, 'bad.csv'), glpiCsv(bad))
    r = await alpi(['win7', 'inventory', 'import', 'bad.csv', '--json'])
    expect(r.code).toBe(3)
    expect(r.json()).toMatchObject({status: 3, code: 'INPUT_REJECTED', data: {rejected: 1, inserted: 1}})
    expect(existsSync(r.json().data.rejectsFile)).toBe(true)

    r = await alpi(['win7', 'assess', '--json'])
    expect(r.code).toBe(0)
    const assess = r.json().result
    expect(assess.members).toEqual([expect.objectContaining({member: MEMBER, total: 4, replace: 3, upgrade_in_place: 1})])
    expect(r.stderr).toMatch(/4 PCs assessed/)

    r = await alpi(['win7', 'catalog', 'import', 'lafi.csv'])
    expect(r.code).toBe(0)

    // order in the 2020 shortage: the laptop comes back as a tower + a screen
    r = await alpi(['win7', 'order', '--member', MEMBER, '--date', '2020-05-04', '--out', 'commande.csv', '--json'])
    expect(r.code).toBe(0)
    const order = r.json().result
    expect(
      order.lines.filter((l: {substitutes: string | null}) => l.substitutes === 'laptop').map((l: {category: string}) => l.category),
    ).toEqual(['tower', 'screen'])
    expect(readFileSync(join(dir.path, 'commande.csv'), 'utf8')).toContain('penurie-2020')
    expect(r.stderr).toMatch(/blocked by penurie-2020/)

    // a skipped step is refused and says what to do first (exit 1, message on stderr, nothing on stdout)
    r = await alpi(['win7', 'installed', 'EE000001'])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/WIN7_TRANSITION_REFUSED.*must be "staged" first/)
    expect(r.stderr).toMatch(/win7 receive|win7 stage/)

    r = await alpi(['win7', 'receive', 'NEWEE01', '--replaces', 'EE000001', '--json'])
    expect(r.json()).toMatchObject({status: 0, result: {serial: 'NEWEE01', replaces: 'EE000001'}})

    r = await alpi(['win7', 'member', 'set', MEMBER, '--domain', 'geloux.local', '--naming-rule', 'GEL-{serial:6}'])
    expect(r.code).toBe(0)
    // staging without a password: usage error naming the flag
    r = await alpi(['win7', 'stage', 'NEWEE01'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--join-password-file/)
    r = await alpi(['win7', 'stage', 'NEWEE01', '--out', 'pkg', '--json', '--verbose'], {ALPI_JOIN_PASSWORD: PASSWORD})
    expect(r.code).toBe(0)
    const pkg = r.json().result
    expect(pkg.computerName).toBe('GEL-EWEE01')
    expect(readFileSync(pkg.files.autounattend, 'utf8')).toContain('E2e-J0in&amp;&lt;pw&gt;')
    expect(r.stdout + r.stderr).not.toContain(PASSWORD)
    expect(r.stderr).toMatch(/Delete after use/)

    r = await alpi(['win7', 'schedule', '--from', '2026-04-03', '--per-day', '2', '--out-dir', '.', '--json'])
    expect(r.code).toBe(0)
    const sched = r.json().result
    expect(sched.visits).toHaveLength(1)
    const cal = new ICAL.Component(ICAL.parse(readFileSync(sched.ics, 'utf8')))
    expect(cal.getAllSubcomponents('vevent')).toHaveLength(1)

    r = await alpi(['win7', 'status', '--json'])
    expect(r.code).toBe(0)
    expect(r.json().result.total).toEqual({total: 4, staged: 1, ordered: 2, upgrade_in_place: 1})
    r = await alpi(['win7', 'status', '--member', MEMBER])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/MEMBER\s+.*STAGED/)
    expect(r.stdout).toMatch(/SITE/)
    expect(r.stdout).toMatch(/No PC stuck for more than 14 days/)
    r = await alpi(['win7', 'status', '--lang', 'fr'])
    expect(r.stdout).toMatch(/Aucun PC bloqué depuis plus de 14 jours/)
    r = await alpi(['win7', 'installed', 'EE000002', '--lang', 'fr'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/Le PC EE000002 est « commandé » : il ne peut pas passer à « installé »/)

    // installed on site, then the old PC leaves as WEEE; both retire modes at once is a usage error
    r = await alpi(['win7', 'installed', 'NEWEE01', '--json'])
    expect(r.json()).toMatchObject({status: 0, result: {serial: 'EE000001', state: 'installed'}})
    r = await alpi(['win7', 'retire', 'EE000001', '--disposal', 'WEEE', '--wiped-certificate', 'x.json'])
    expect(r.code).toBe(2)
    r = await alpi(['win7', 'retire', 'EE000001', '--disposal', 'WEEE', '--json'])
    expect(r.json()).toMatchObject({status: 0, result: {serial: 'EE000001', state: 'disposed', kind: 'weee'}})

    // the join password is in no audit entry
    const store = await openStore({url: db})
    try {
      const audit = await store.db.selectFrom('audit_log').selectAll().execute()
      expect(audit.length).toBeGreaterThan(8)
      expect(JSON.stringify(audit)).not.toContain(PASSWORD)
      expect(JSON.stringify(audit)).not.toContain('E2e-J0in')
    } finally {
      await store.close()
    }
  }, 300_000)

  it('a flag error is a usage error (exit 2) with a --json envelope', async () => {
    const r = await alpi(['win7', 'schedule', '--from', '2026-04-03', '--json'])
    expect(r.code).toBe(2)
    expect(r.json()).toMatchObject({status: 2, code: 'USAGE'})
  })
})
