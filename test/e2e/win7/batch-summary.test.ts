import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'
import {fleet, glpiCsv, lafiCatalogCsv} from '../../fixtures/win7/generate.js'

// Given generated GLPI exports and a LAFI catalogue (no real PCs), when an import keeps some
// rows and rejects others, or reads an implausible size, then stdout holds the summary of a
// clean run, stderr the error (and the rejects path) or the warning with its row, and --json
// the same in its envelope.
describe('alpi win7 imports (the binary): summaries on exit 3, units said with their row', () => {
  const dir = tempDir('alpi-win7-summary-')
  const db = join(dir.path, 'alpi.sqlite')
  const alpi = (args: string[], env: Record<string, string> = {}) =>
    runAlpi([...args, '--db', db], {cwd: dir.path, env: {LANG: 'C', ...env}})
  afterAll(() => dir.cleanup())

  it('inventory import: a unitless "256" of disk is a warning with its row, exit 0, and assess says "unknown" for that disk', async () => {
    const pcs = fleet([{entity: 'Mairie de Labrit', commune: 'Labrit', prefix: 'LAB'}], ['win10Ready', 'win10Ready'], 'LB')
    pcs[1]!.disk = '256'
    writeFileSync(join(dir.path, 'glpi.csv'), glpiCsv(pcs))
    const r = await alpi(['win7', 'inventory', 'import', 'glpi.csv'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe('glpi.csv: 2 rows read, 2 new, 0 updated, 0 unchanged, 0 rejected\n')
    expect(r.stderr).toMatch(/^Warning: glpi\.csv row 3: disk size read as 256 MiB \(0\.25 GiB\), below the plausible 16 GB to 64 TB/m)

    const j = await alpi(['win7', 'inventory', 'import', 'glpi.csv', '--json'])
    expect(j.code).toBe(0)
    const env = j.json()
    expect(env.result).toMatchObject({
      rows: 2,
      unchanged: 2,
      rowWarnings: [{row: 3, message: expect.stringMatching(/^disk size read as 256 MiB/)}],
    })
    expect(env.warnings).toEqual([expect.stringMatching(/glpi\.csv row 3: disk size/)])

    const fr = await alpi(['win7', 'inventory', 'import', 'glpi.csv', '--lang', 'fr'])
    expect(fr.stderr).toMatch(
      /^Attention : glpi\.csv ligne 3 : taille de disque lue comme 256 Mio \(0,25 Gio\), en dessous de la plage plausible de 16 Go à 64 To/m,
    )

    const a = await alpi(['win7', 'assess', '--json'])
    expect(a.code).toBe(0)
    const [ok, doubtful] = a.json().result.pcs
    expect(ok).toMatchObject({serial: 'LB000001', verdict: 'upgrade_in_place'})
    expect(doubtful).toMatchObject({
      serial: 'LB000002',
      verdict: 'unknown',
      reasons: [{requirement: 'disk', status: 'unknown', reason: expect.stringMatching(/outside the plausible 16 GB to 64 TB/)}],
    })
  })

  it('inventory import with a rejected row: the summary on stdout, the error and the rejects path on stderr, exit 3', async () => {
    const pcs = fleet([{entity: 'Mairie de Labrit', commune: 'Labrit', prefix: 'LAB'}], ['win7Tower', 'win7Tower'], 'LR')
    pcs[0]!.tpm = 'peut-être'
    writeFileSync(join(dir.path, 'bad.csv'), glpiCsv(pcs))
    const r = await alpi(['win7', 'inventory', 'import', 'bad.csv'])
    expect(r.code).toBe(3)
    expect(r.stdout).toBe('bad.csv: 2 rows read, 1 new, 0 updated, 0 unchanged, 1 rejected\n')
    expect(r.stderr).toContain(`Error [INPUT_REJECTED]: 1 row(s) rejected out of 2; see ${join(dir.path, 'bad.rejects.csv')}`)
    const j = await alpi(['win7', 'inventory', 'import', 'bad.csv', '--json', '--dry-run'])
    expect(j.code).toBe(3)
    expect(j.json()).toMatchObject({
      status: 3,
      code: 'INPUT_REJECTED',
      data: {rows: 2, rejected: 1, dryRun: true, rejects: [{row: 2, field: 'TPM'}]},
    })
    const dry = await alpi(['win7', 'inventory', 'import', 'bad.csv', '--dry-run'])
    expect(dry.stdout).toBe('bad.csv: 2 rows read, 0 new, 0 updated, 0 unchanged, 1 rejected (dry run: nothing written)\n')
  })

  it('catalog import with a rejected row: the summary on stdout, exit 3', async () => {
    writeFileSync(join(dir.path, 'lafi.csv'), lafiCatalogCsv([['ECR-27', 'Écran', 'Écran 27 pouces', 'gratuit', 'Disponible']]))
    const r = await alpi(['win7', 'catalog', 'import', 'lafi.csv'])
    expect(r.code).toBe(3)
    expect(r.stdout).toBe('lafi.csv: 8 rows read, 7 new, 0 updated, 0 unchanged, 1 rejected\n')
    expect(r.stderr).toContain(join(dir.path, 'lafi.rejects.csv'))
    const j = await alpi(['win7', 'catalog', 'import', 'lafi.csv', '--json'])
    expect(j.json()).toMatchObject({status: 3, data: {rows: 8, unchanged: 7, rejected: 1, rejects: [{row: 9}]}})
  })
})
