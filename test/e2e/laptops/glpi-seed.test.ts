import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {fleet, glpiCsv, PROFILES} from '../../fixtures/win7/generate.js'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'

/** A GLPI computers export (the win7 import's format and parser) seeds the laptops intake, through the binary. */
describe('laptops import --glpi (binary)', () => {
  const dir = tempDir('alpi-e2e-glpi-seed-')
  afterAll(() => dir.cleanup())

  it('records each computer as received with its maker, model, GLPI name as asset tag and the lot given; a re-run changes nothing', async () => {
    const profiles = Object.keys(PROFILES) as (keyof typeof PROFILES)[]
    const pcs = fleet([{entity: 'Crédit Landais', commune: 'Mont-de-Marsan', prefix: 'CL'}], profiles, 'GX')
    const file = join(dir.path, 'export-glpi.csv')
    writeFileSync(
      file,
      glpiCsv(pcs) + '"CL-BAD";"Entité racine > Crédit Landais";"";"";"";"";"Default string";"";"";"";"";"";"";"";"";"";""\r\n',
    )
    const db = join(dir.path, 'alpi.sqlite')
    const r = await runAlpi(['laptops', 'import', file, '--glpi', '--lot', 'LOT-CL-1', '--db', db, '--json'], {cwd: dir.path})
    expect(r.code, r.stderr).toBe(3)
    expect(r.json().data).toMatchObject({inserted: pcs.length, rejected: 1})
    expect(r.json().data.rejects[0].row).toBe(pcs.length + 2)
    const list = (await runAlpi(['laptops', 'list', '--lot', 'LOT-CL-1', '--db', db, '--json'], {cwd: dir.path})).json().result
    expect(list.map((l: {serial: string}) => l.serial)).toEqual(pcs.map((p) => p.serial).sort())
    const first = list.find((l: {serial: string}) => l.serial === pcs[0]!.serial)
    expect(first).toMatchObject({asset_tag: pcs[0]!.name, maker: pcs[0]!.maker, model: pcs[0]!.model, state: 'received'})
    const again = await runAlpi(['laptops', 'import', file, '--glpi', '--lot', 'LOT-CL-1', '--db', db, '--json'], {cwd: dir.path})
    expect(again.json().data).toMatchObject({inserted: 0, unchanged: pcs.length})
  }, 60_000)
})
