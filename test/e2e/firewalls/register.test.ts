/**
 * The school register as the work starts, through the built binary: the national directory
 * ("Annuaire de l'éducation" layout, generated) and an authority's list (Windows-1252, then
 * UTF-8 with BOM) import with exit 0 or 3 as their rows deserve, ALPI's addressing plan is
 * derived and stable across re-imports, an explicit LAN is kept, overlapping LANs on one VPN
 * are flagged by `plan`, and `plan` stays one line per school on 50 schools.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {authorityCsv, badUai, directoryCsv, landesSchools, outOfScopeRows, uaiOf} from '../../fixtures/firewalls/directory.js'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'

type Field = {field: string; value: string; how: string; detail: string}
const fieldsOf = (j: {result: {fields: Field[]}}) => Object.fromEntries(j.result.fields.map((f) => [f.field, f]))

describe('alpi firewalls schools: the register from the lists that exist (process)', () => {
  let dir: ReturnType<typeof tempDir>
  let db: string
  const schools = landesSchools(10)
  const [s1, s2, s3, s4] = schools
  const bad = [badUai(9801), badUai(9802)]
  let directory: string
  beforeAll(() => {
    dir = tempDir('alpi-fw-e2e-register-')
    db = join(dir.path, 'alpi.sqlite')
    directory = join(dir.path, 'fr-en-annuaire-education.csv')
    const badRows = bad.map((b, i) => ({...landesSchools(1, 40 + i)[0]!, uai: b.uai}))
    writeFileSync(directory, directoryCsv([...schools, ...outOfScopeRows(), ...badRows]))
  })
  afterAll(() => dir?.cleanup())

  it('national directory: Landes public écoles kept, the rest left aside, bad UAIs rejected with their check letter (exit 3)', async () => {
    const r = await runAlpi(['firewalls', 'schools', 'import', directory, '--db', db, '--json'])
    expect(r.code, r.stderr).toBe(3)
    const j = r.json()
    expect(j).toMatchObject({
      code: 'INPUT_REJECTED',
      data: {layout: 'directory', rows: 18, inserted: 10, rejected: 2, outOfScope: 6, encoding: 'utf-8'},
    })
    expect(j.data.rejects.map((x: {field: string; message: string}) => [x.field, x.message])).toEqual(
      bad.map((b) => ['Identifiant_de_l_etablissement', expect.stringContaining(`needs ${b.expected}`)]),
    )
    // No warning about the directory's 60 other columns.
    expect(r.stderr).not.toMatch(/ignored|ignorées/)
    const human = await runAlpi(['firewalls', 'schools', 'import', directory, '--db', db])
    expect(human.code).toBe(3)
    // The summary on stdout on exit 3 too; the rows left aside and the error on stderr.
    expect(human.stdout).toBe(`${directory}: 18 rows read, 0 new, 0 updated, 10 unchanged, 2 rejected\n`)
    expect(human.stderr).toMatch(/6 rows of the national directory left aside|6 lignes de l’annuaire national écartées/)
    expect(human.stderr).toContain('INPUT_REJECTED')
  })

  it('derived values: LAN allocated from the pool, box .1, DHCP .100-.199, WAN from the profile, authority = the commune', async () => {
    const j = (await runAlpi(['firewalls', 'schools', 'show', s4!.uai, '--db', db, '--json'])).json()
    const f = fieldsOf(j)
    expect(f.lanCidr).toMatchObject({value: '10.40.3.0/24', how: 'allocated'})
    expect(f.lanGateway).toMatchObject({value: '10.40.3.1', how: 'derived'})
    expect(f.dhcpStart).toMatchObject({value: '10.40.3.100', how: 'derived'})
    expect(f.dhcpEnd).toMatchObject({value: '10.40.3.199', how: 'derived'})
    expect(f.wanMode).toMatchObject({value: 'dhcp', how: 'default'})
    expect(f.authorityName).toMatchObject({value: `Commune d'${s4!.commune}`, how: 'derived'}) // Escalans-Vieux: d' before a vowel
    expect(f.authorityKind).toMatchObject({value: 'commune', how: 'derived'})
    expect(f.communeInsee).toMatchObject({value: s4!.insee, how: 'given'})
    const human = await runAlpi(['firewalls', 'schools', 'show', s4!.uai, '--db', db])
    expect(human.stdout).toMatch(/lanCidr\s+10\.40\.3\.0\/24\s+allocated/)
    expect((await runAlpi(['firewalls', 'schools', 'show', uaiOf('040', 1234), '--db', db, '--json'])).json()).toMatchObject({
      status: 1,
      code: 'NOT_FOUND',
    })
  })

  it('authority list in Windows-1252: natural headers, explicit LAN kept, kind derived or asked for, bad UAI rejected (exit 3)', async () => {
    const b = badUai(9803)
    const rows = [
      {
        uai: s1!.uai,
        name: s1!.name,
        commune: s1!.commune,
        insee: s1!.insee,
        authority: 'Communauté de communes du Pays d’Exemple',
        lan: '172.16.1.0/24',
      },
      {uai: s2!.uai, name: s2!.name, commune: s2!.commune, insee: s2!.insee, authority: 'SIVOS des Trois Écoles'},
      {uai: s3!.uai, name: s3!.name, commune: s3!.commune, insee: s3!.insee, authority: 'Landes Numérique Exemple'},
      {uai: b.uai, name: 'École élémentaire publique Ailleurs', commune: 'Bergeyre', insee: '40902'},
      {uai: uaiOf('040', 9900), name: 'École maternelle publique Nouvelle', commune: 'Castelpin'},
    ]
    const file = join(dir.path, 'ecoles-cc-1252.csv')
    writeFileSync(file, iconv.encode(authorityCsv(rows), 'windows-1252'))
    const r = await runAlpi(['firewalls', 'schools', 'import', file, '--db', db, '--json'])
    expect(r.code, r.stderr).toBe(3)
    const j = r.json()
    expect(j.data).toMatchObject({layout: 'list', encoding: 'windows-1252', rows: 5, inserted: 1, updated: 2, rejected: 2})
    const byRow = Object.fromEntries(j.data.rejects.map((x: {row: number; message: string; field: string}) => [x.row, x]))
    expect(byRow[4]).toMatchObject({field: 'Autorité compétente', message: expect.stringMatching(/Type autorité/)})
    expect(byRow[5].message).toContain(`needs ${b.expected}`)

    const one = fieldsOf((await runAlpi(['firewalls', 'schools', 'show', s1!.uai, '--db', db, '--json'])).json())
    expect(one.lanCidr).toMatchObject({value: '172.16.1.0/24', how: 'given'})
    expect(one.lanGateway).toMatchObject({value: '172.16.1.1', how: 'derived'})
    expect(one.authorityName).toMatchObject({value: 'Communauté de communes du Pays d’Exemple', how: 'given'})
    expect(one.authorityKind).toMatchObject({value: 'epci', how: 'derived'})
    expect(fieldsOf((await runAlpi(['firewalls', 'schools', 'show', s2!.uai, '--db', db, '--json'])).json()).authorityKind).toMatchObject({
      value: 'epci',
    })
    // A new school known by its commune's name only: its INSEE code stays unknown, its LAN is the next free one.
    const fresh = fieldsOf((await runAlpi(['firewalls', 'schools', 'show', uaiOf('040', 9900), '--db', db, '--json'])).json())
    expect(fresh.communeInsee).toMatchObject({how: 'unset'})
    expect(fresh.lanCidr).toMatchObject({value: '10.40.10.0/24', how: 'allocated'})
    expect(fresh.authorityName).toMatchObject({value: 'Commune de Castelpin', how: 'derived'})
  })

  it('the same list in UTF-8 with a BOM, the bad rows fixed: exit 0; re-imports change nothing and keep what ALPI derived and the explicit LAN', async () => {
    const before = await Promise.all(
      [s1, s2, s4].map(async (s) => (await runAlpi(['firewalls', 'schools', 'show', s!.uai, '--db', db, '--json'])).json().result.fields),
    )
    const rows = [
      {
        uai: s1!.uai,
        name: s1!.name,
        commune: s1!.commune,
        insee: s1!.insee,
        authority: 'Communauté de communes du Pays d’Exemple',
        lan: '172.16.1.0/24',
      },
      {uai: s2!.uai, name: s2!.name, commune: s2!.commune, insee: s2!.insee, authority: 'SIVOS des Trois Écoles'},
      {uai: s3!.uai, name: s3!.name, commune: s3!.commune, insee: s3!.insee, authority: 'CC Landes Numérique Exemple'},
    ]
    const file = join(dir.path, 'ecoles-cc-bom.csv')
    writeFileSync(file, '\ufeff' + authorityCsv(rows))
    const r = await runAlpi(['firewalls', 'schools', 'import', file, '--db', db, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json().result).toMatchObject({layout: 'list', encoding: 'utf-8', rows: 3, inserted: 0, updated: 1, unchanged: 2, rejected: 0})
    // The directory again (still with its two bad rows): nothing changes, the list's LAN and authority stay.
    const again = await runAlpi(['firewalls', 'schools', 'import', directory, '--db', db, '--json'])
    expect(again.code).toBe(3)
    expect(again.json().data).toMatchObject({inserted: 0, updated: 0, unchanged: 10, rejected: 2})
    const after = await Promise.all(
      [s1, s2, s4].map(async (s) => (await runAlpi(['firewalls', 'schools', 'show', s!.uai, '--db', db, '--json'])).json().result.fields),
    )
    expect(after).toEqual(before)
    expect(fieldsOf((await runAlpi(['firewalls', 'schools', 'show', s3!.uai, '--db', db, '--json'])).json()).authorityKind).toMatchObject({
      value: 'epci',
      how: 'derived',
    })
  })

  it('two schools on one VPN with overlapping LANs: `plan` flags both (exit 1), one line each', async () => {
    const file = join(dir.path, 'vpn.csv')
    writeFileSync(
      file,
      [
        'UAI;Nom de l’école;Commune;Réseau LAN;VPN',
        `${s1!.uai};${s1!.name};${s1!.commune};10.60.0.0/23;landes`,
        `${s2!.uai};${s2!.name};${s2!.commune};10.60.1.0/24;landes`,
      ].join('\n') + '\n',
    )
    const imp = await runAlpi(['firewalls', 'schools', 'import', file, '--db', db])
    expect(imp.code, imp.stderr).toBe(0)
    const plan = await runAlpi(['firewalls', 'plan', '--db', db])
    expect(plan.code).toBe(1)
    const line = (uai: string) => plan.stdout.split('\n').filter((l) => l.startsWith(uai))
    expect(line(s1!.uai)).toEqual([expect.stringMatching(new RegExp(`invalid.*overlaps ${s2!.uai}'s 10\\.60\\.1\\.0/24 on VPN landes`))])
    expect(line(s2!.uai)).toEqual([expect.stringMatching(/invalid.*overlaps/)])
    expect(line(s4!.uai)).toEqual([expect.stringMatching(/new .*5 added.*10\.40\.3\.0\/24.*no management address/)])
    expect(plan.stderr).toContain('PLAN_INVALID')
  })
})

describe('alpi firewalls plan on 50 schools (process)', () => {
  let dir: ReturnType<typeof tempDir>
  let db: string
  beforeAll(async () => {
    dir = tempDir('alpi-fw-e2e-plan50-')
    db = join(dir.path, 'alpi.sqlite')
    const file = join(dir.path, 'annuaire.csv')
    writeFileSync(file, directoryCsv(landesSchools(50)))
    const r = await runAlpi(['firewalls', 'schools', 'import', file, '--db', db])
    expect(r.code, r.stderr).toBe(0)
  })
  afterAll(() => dir?.cleanup())

  it('one summary line per school by default; the diffs only with --diff', async () => {
    const plan = await runAlpi(['firewalls', 'plan', '--db', db])
    expect(plan.code, plan.stderr).toBe(0)
    const lines = plan.stdout.trimEnd().split('\n')
    expect(lines.length).toBeLessThanOrEqual(51)
    expect(
      lines
        .slice(1)
        .every((l) =>
          /^0409\d{3}[A-Z]\s+new\s+[0-9a-f]{12}\s+5 added\s+none\s+0\s+10\.40\.\d+\.0\/24\s+no list version loaded: the school's categories \(adult, agressif/.test(
            l,
          ),
        ),
    ).toBe(true)
    expect(plan.stderr).toContain('50 schools planned')
    const diff = await runAlpi(['firewalls', 'plan', '--diff', '--db', db])
    expect(diff.stdout.split('\n').length).toBeGreaterThan(50 * 20)
    const dry = await runAlpi(['firewalls', 'deploy', '--all', '--dry-run', '--db', db])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout.trimEnd().split('\n').length).toBeLessThanOrEqual(51)
  })
})

describe('the bundled register sample (templates/samples): import, plan, worksheet and compliance without any box', () => {
  let dir: ReturnType<typeof tempDir>
  beforeAll(() => {
    dir = tempDir('alpi-fw-e2e-sample-')
  })
  afterAll(() => dir?.cleanup())

  it('runs end to end with exit 0 at each step', async () => {
    const db = join(dir.path, 'alpi.sqlite')
    const steps = [
      ['firewalls', 'schools', 'import', 'templates/samples/annuaire-education-landes.csv'],
      ['firewalls', 'schools', 'import', 'templates/samples/ecoles-autorite.csv'],
      ['firewalls', 'plan'],
      ['firewalls', 'worksheet', '0409001S', '--output', join(dir.path, 'fiche-0409001S.html')],
      ['firewalls', 'compliance'],
    ]
    const out: string[] = []
    for (const s of steps) {
      const r = await runAlpi([...s, '--db', db])
      expect(r.code, `${s.join(' ')}: ${r.stderr}`).toBe(0)
      out.push(r.stdout)
    }
    expect(out[0]).toContain('30 rows read, 24 new')
    expect(out[1]).toContain('6 updated')
    expect(out[4]).toMatch(/epci: Communauté de communes Cœur des Landes-Exemple\s+6\s+0/)
    const sheet = readFileSync(join(dir.path, 'fiche-0409001S.html'), 'utf8')
    expect(sheet).toContain('Bergeyre (40902)')
    expect(sheet).toContain('2 place de la Mairie, 40110 Bergeyre')
    expect(sheet).toContain('172.16.40.0/24')
    // The directory's names already say "École ...": the sheet does not say it twice.
    expect(sheet).toContain('<p><strong>École primaire publique Jules Ferry</strong> — UAI')
    expect(sheet).not.toMatch(/École\s*<strong>École/)
  })
})
