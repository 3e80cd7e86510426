/**
 * The firewalls commands as a process (bin/run.js over the build):
 * exit codes, stdout (results) vs stderr (messages), --json envelopes.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {CSV_HEADER, csvLine, validUai} from '../../fixtures/firewalls/schools.js'
import {writeUt1} from '../../fixtures/firewalls/ut1.js'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'

describe('alpi firewalls (process)', () => {
  let dir: ReturnType<typeof tempDir>
  let db: string
  beforeAll(() => {
    dir = tempDir('alpi-fw-e2e-')
    db = join(dir.path, 'alpi.sqlite')
  })
  afterAll(() => dir?.cleanup())

  it('schools import: rejects → exit 3 with the JSON error envelope, accepted rows kept', async () => {
    const file = join(dir.path, 'ecoles.csv')
    writeFileSync(
      file,
      [
        CSV_HEADER,
        csvLine(1, {mgmtHost: '192.0.2.1', overrides: '{"blockDomains":["casino.test"]}'}),
        csvLine(2, {uai: '0740003A'}),
        csvLine(3, {mgmtHost: '192.0.2.3', name: `École "$(id)"; rm -rf /`}),
      ].join('\n') + '\n',
    )
    const r = await runAlpi(['firewalls', 'schools', 'import', file, '--db', db, '--json'])
    expect(r.code, r.stderr).toBe(3)
    const j = r.json()
    expect(j).toMatchObject({status: 3, code: 'INPUT_REJECTED', data: {rows: 3, inserted: 2, rejected: 1}})
    expect(j.data.rejects[0]).toMatchObject({row: 3, field: 'UAI'})
    const human = await runAlpi(['firewalls', 'schools', 'import', file, '--db', db])
    expect(human.code).toBe(3)
    // the summary of a clean run on stdout, the error and the rejects path on stderr
    expect(human.stdout).toBe(`${file}: 3 rows read, 0 new, 0 updated, 2 unchanged, 1 rejected\n`)
    expect(human.stderr).toContain('INPUT_REJECTED')
    expect(human.stderr).toContain(join(dir.path, 'ecoles.rejects.csv'))
  })

  it('schools list: table on stdout, JSON envelope with --json', async () => {
    const r = await runAlpi(['firewalls', 'schools', 'list', '--db', db])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(validUai(1))
    const j = (await runAlpi(['firewalls', 'schools', 'list', '--db', db, '--json'])).json()
    expect(j.status).toBe(0)
    expect(j.result.map((s: {uai: string}) => s.uai)).toEqual([validUai(1), validUai(3)])
  })

  it('plan: both schools new, one line each by default, diffs on stdout with --diff, JSON result', async () => {
    const r = await runAlpi(['firewalls', 'plan', '--db', db])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`${validUai(1)}\\s+new`))
    expect(r.stdout).not.toContain('+address=/casino.test/0.0.0.0')
    expect(r.stdout.trim().split('\n')).toHaveLength(3)
    const diff = await runAlpi(['firewalls', 'plan', '--diff', '--db', db])
    expect(diff.stdout).toContain('+address=/casino.test/0.0.0.0')
    expect(r.stderr).toContain('2 schools planned')
    const j = (await runAlpi(['firewalls', 'plan', '--db', db, '--school', validUai(1).toLowerCase(), '--json'])).json()
    expect(j.result.counts).toEqual({total: 1, changed: 1, unchanged: 0, invalid: 0})
  })

  it('plan: an unknown school → exit 1 NOT_FOUND; a bad UAI → exit 2', async () => {
    expect((await runAlpi(['firewalls', 'plan', '--db', db, '--school', validUai(9), '--json'])).json()).toMatchObject({
      status: 1,
      code: 'NOT_FOUND',
    })
    expect((await runAlpi(['firewalls', 'plan', '--db', db, '--school', '0740003A'])).code).toBe(2)
  })

  it('deploy --dry-run shows the diff and sends nothing; deploy without a selection is a usage error', async () => {
    const r = await runAlpi(['firewalls', 'deploy', '--school', validUai(3), '--dry-run', '--db', db])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`${validUai(3)}\\s+new`))
    expect(r.stdout).not.toContain('+++ planned')
    expect(r.stderr).toMatch(/Dry run|Essai à blanc/)
    const withDiff = await runAlpi(['firewalls', 'deploy', '--school', validUai(3), '--dry-run', '--diff', '--db', db])
    expect(withDiff.stdout).toContain('+++ planned')
    const j = (await runAlpi(['firewalls', 'deploy', '--all', '--dry-run', '--db', db, '--json'])).json()
    expect(j.result).toMatchObject({dryRun: true, total: 2})
    expect((await runAlpi(['firewalls', 'deploy', '--db', db])).code).toBe(2)
    // without --yes and without a terminal, a real deploy refuses to prompt
    const noYes = await runAlpi(['firewalls', 'deploy', '--all', '--db', db, '--json'])
    expect(noYes.json()).toMatchObject({status: 2, code: 'USAGE'})
  })

  it('lists update: loads a UT1 folder (JSON result), a second run is unchanged; a missing folder is a usage error', async () => {
    const ut1 = writeUt1(join(dir.path, 'ut1'))
    const j = (await runAlpi(['firewalls', 'lists', 'update', '--from', ut1, '--db', db, '--json'])).json()
    expect(j).toMatchObject({status: 0, result: {status: 'new', categories: {adult: 3, gambling: 2, phishing: 1}}})
    // The plan line counts the categories the filter now blocks (--json: categories.blocked); the required ones the version lacks are a note.
    const plan = await runAlpi(['firewalls', 'plan', '--school', validUai(1), '--db', db])
    expect(plan.code, plan.stderr).toBe(0)
    expect(plan.stdout).toMatch(
      new RegExp(
        `^${validUai(1)}\\s+new\\s+[0-9a-f]{12}\\s+5 added\\s+${j.result.version}\\s+3\\s+\\S+/\\d+\\s+list version ${j.result.version} has no category agressif, dangerous_material`,
        'm',
      ),
    )
    const planned = (await runAlpi(['firewalls', 'plan', '--school', validUai(1), '--db', db, '--json'])).json().result.schools[0]
    expect(planned).toMatchObject({
      listVersion: j.result.version,
      categories: {listVersion: j.result.version, blocked: ['adult', 'gambling', 'phishing'], droppedByList: [], droppedByPolicy: []},
    })
    const again = await runAlpi(['firewalls', 'lists', 'update', '--from', ut1, '--db', db])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('(unchanged)')
    expect((await runAlpi(['firewalls', 'lists', 'update', '--from', join(dir.path, 'nope'), '--db', db])).code).toBe(2)
  })

  it('compliance: table, French HTML, CSV; worksheet HTML to a file', async () => {
    const table = await runAlpi(['firewalls', 'compliance', '--db', db])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toMatch(/commune: Commune test \d\s+1\s+0/)
    const html = await runAlpi(['firewalls', 'compliance', '--html', '--db', db])
    expect(html.stdout).toContain('Filtrage internet des écoles')
    const csv = await runAlpi(['firewalls', 'compliance', '--csv', '--db', db])
    expect(csv.stdout.split('\n')[0]).toBe(
      'type_autorite;autorite;uai;ecole;insee;equipee;deploiement;derniere_verification;resultat;derniere_verification_reussie;statut;dernier_test_poste_eleve;motif;categories_non_testees',
    )
    expect(csv.stdout).toContain('not-equipped')
    const out = join(dir.path, 'fiche.html')
    const ws = await runAlpi(['firewalls', 'worksheet', validUai(1), '--output', out, '--db', db])
    expect(ws.code, ws.stderr).toBe(0)
    expect(ws.stdout).toBe('')
    expect(ws.stderr).toContain(out)
  })

  it('verify --from-lan needs exactly one school (usage error, exit 2)', async () => {
    expect((await runAlpi(['firewalls', 'verify', '--from-lan', '--db', db, '--json'])).json()).toMatchObject({status: 2, code: 'USAGE'})
  })
})
