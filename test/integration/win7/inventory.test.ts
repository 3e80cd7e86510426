import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {InputRejected} from '../../../src/core/errors.js'
import type {Store} from '../../../src/store/db.js'
import {importInventory, memberCodeOf} from '../../../src/win7/inventory.js'
import {assessFleet} from '../../../src/win7/assess.js'
import {DIALECTS, storeFor, tempDir, testContext} from '../../helpers/context.js'
import {fleet, glpiCsv, glpiCsvWindows1252, MEMBERS, ocsCsv} from '../../fixtures/win7/generate.js'
import {setLanguage} from '../../../src/core/i18n.js'

// messages are matched in English
setLanguage('en')

describe.each(DIALECTS)('win7 inventory import and assess on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  const dir = tempDir('alpi-win7-inv-')
  beforeAll(async () => {
    const s = await storeFor(dialect)
    store = s.store
    cleanup = s.cleanup
  })
  afterAll(async () => {
    await cleanup?.()
    dir.cleanup()
  })

  it('imports a GLPI export with French headers, then a re-import changes nothing', async () => {
    const pcs = fleet(MEMBERS, ['win7Tower', 'win7Laptop', 'win10Ready', 'win81Unknown'])
    const file = join(dir.path, 'glpi.csv')
    writeFileSync(file, glpiCsv(pcs))
    const ctx = testContext(store)
    const r = await importInventory(ctx, {file: file})
    expect(r).toMatchObject({rows: 8, inserted: 8, updated: 0, rejected: 0, delimiter: ';'})
    const again = await importInventory(ctx, {file: file})
    expect(again).toMatchObject({inserted: 0, updated: 0, unchanged: 8})
    const members = await store.db.selectFrom('win7_members').selectAll().orderBy('code').execute()
    expect(members.map((m) => m.code)).toEqual(['mairie-d-aire-adour', 'mairie-de-pissos'])
    expect(members[0]!.name).toBe("Mairie d'Aire & <Adour>")
    const pc = await store.db.selectFrom('win7_pcs').selectAll().where('serial', '=', 'FX000002').executeTakeFirstOrThrow()
    expect(pc).toMatchObject({
      member_code: 'mairie-d-aire-adour',
      form_factor: 'laptop',
      ram_mb: 4096,
      disk_mb: 320 * 1024,
      tpm: '1.2',
      firmware: 'bios',
      secure_boot: 0,
      state: 'inventoried',
      os_name: 'Microsoft Windows 7 Professionnel',
    })
    const site = await store.db.selectFrom('win7_sites').selectAll().where('id', '=', pc.site_id!).executeTakeFirstOrThrow()
    expect(site.commune).toBe("Aire-sur-l'Adour")
  })

  it('assesses the fleet: verdicts, pipeline states and a summary per member', async () => {
    const ctx = testContext(store)
    const r = await assessFleet(ctx)
    expect(r.assessed).toBe(8)
    const byMember = Object.fromEntries(r.members.map((m) => [m.member, m]))
    expect(byMember['mairie-de-pissos']).toMatchObject({total: 4, replace: 2, upgrade_in_place: 1, unknown: 1})
    expect(byMember['mairie-de-pissos']!.fail).toMatchObject({cpu: 2, tpm: 2, ram: 1})
    const states = await store.db.selectFrom('win7_pcs').select(['serial', 'state', 'verdict']).orderBy('serial').execute()
    expect(states.slice(0, 4).map((s) => s.state)).toEqual(['to_replace', 'to_replace', 'upgrade_in_place', 'assessed'])
    const audit = await store.db.selectFrom('audit_log').selectAll().where('action', '=', 'assess').execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.data).not.toMatch(/agent\d/)
  })

  it('a re-import after assessment updates facts but keeps the pipeline state', async () => {
    const pcs = fleet(MEMBERS, ['win7Tower', 'win7Laptop', 'win10Ready', 'win81Unknown'])
    pcs[3]!.cpu = 'Intel(R) Core(TM) i5-9500 CPU @ 3.00GHz'
    const file = join(dir.path, 'glpi2.csv')
    writeFileSync(file, glpiCsv(pcs))
    const r = await importInventory(testContext(store), {file: file})
    expect(r).toMatchObject({updated: 1, unchanged: 7})
    const pc = await store.db.selectFrom('win7_pcs').selectAll().where('serial', '=', 'FX000004').executeTakeFirstOrThrow()
    expect(pc.state).toBe('assessed')
    expect(pc.cpu).toContain('i5-9500')
  })

  it('reads an OCS export through aliases and a Windows-1252 GLPI export', async () => {
    const pcs = fleet([{entity: 'Syndicat des Eaux Étang', commune: 'Léon', prefix: 'SYN'}], ['win7Tower', 'win10Ready'], 'OC')
    const ocs = join(dir.path, 'ocs.csv')
    writeFileSync(ocs, ocsCsv(pcs))
    const r = await importInventory(testContext(store), {file: ocs})
    expect(r).toMatchObject({rows: 2, inserted: 2, delimiter: ','})
    const pc = await store.db.selectFrom('win7_pcs').selectAll().where('serial', '=', pcs[0]!.serial).executeTakeFirstOrThrow()
    expect(pc).toMatchObject({member_code: memberCodeOf('Syndicat des Eaux Étang'), ram_mb: 2048, cpu: pcs[0]!.cpu, tpm: null})

    const cp = fleet([{entity: 'Mairie de Saint-Étienne-d’Orthe', commune: 'Saint-Étienne', prefix: 'STE'}], ['win7Tower'], 'WN')
    const w = join(dir.path, 'glpi-1252.csv')
    writeFileSync(w, glpiCsvWindows1252(cp.map((p) => ({...p, entity: 'Entité racine > Mairie de Saint-Étienne'}))))
    const r2 = await importInventory(testContext(store), {file: w})
    expect(r2).toMatchObject({rows: 1, inserted: 1, encoding: 'windows-1252'})
    expect(
      await store.db.selectFrom('win7_members').select('name').where('code', '=', 'mairie-de-saint-etienne').executeTakeFirst(),
    ).toEqual({name: 'Mairie de Saint-Étienne'})
  })

  it('a size out of the plausible range (a unitless "256" of disk, "8" of memory) is kept, warned with its row, and assessed "unknown"', async () => {
    const pcs = fleet([{entity: 'Mairie des Unités', commune: 'Unités', prefix: 'UNI'}], ['win10Ready', 'win10Ready', 'win10Ready'], 'UN')
    pcs[1]!.disk = '256'
    pcs[2]!.memory = '8'
    const file = join(dir.path, 'units.csv')
    writeFileSync(file, glpiCsv(pcs))
    const ctx = testContext(store)
    const r = await importInventory(ctx, {file: file})
    expect(r).toMatchObject({rows: 3, inserted: 3, rejected: 0})
    expect(r.rowWarnings).toEqual([
      {row: 3, message: expect.stringMatching(/^disk size read as 256 MiB/)},
      {row: 4, message: expect.stringMatching(/^memory read as 8 MiB/)},
    ])
    expect(ctx.out.warnings).toEqual([
      expect.stringMatching(/units\.csv row 3: disk size read as 256 MiB/),
      expect.stringMatching(/units\.csv row 4: memory read as 8 MiB/),
    ])
    const pc = await store.db
      .selectFrom('win7_pcs')
      .select(['disk_mb', 'ram_mb'])
      .where('serial', '=', pcs[1]!.serial)
      .executeTakeFirstOrThrow()
    expect(pc).toEqual({disk_mb: 256, ram_mb: 8192})
    const a = await assessFleet(testContext(store), {member: memberCodeOf('Mairie des Unités')})
    expect(a.pcs.map((p) => [p.verdict, p.reasons.map((x) => `${x.requirement}:${x.status}`).join(',')])).toEqual([
      ['upgrade_in_place', ''],
      ['unknown', 'disk:unknown'],
      ['unknown', 'ram:unknown'],
    ])
  })

  it('rejects bad rows with their line numbers and keeps the good ones', async () => {
    const pcs = fleet(
      [{entity: 'Mairie de Rejet', commune: 'Rejet', prefix: 'REJ'}],
      ['win7Tower', 'win7Tower', 'win7Tower', 'win7Tower', 'win7Tower'],
      'RJ',
    )
    pcs[0]!.serial = 'Default string'
    pcs[1]!.memory = 'beaucoup'
    pcs[2]!.tpm = 'peut-être'
    pcs[4]!.serial = pcs[3]!.serial
    const file = join(dir.path, 'bad.csv')
    writeFileSync(file, glpiCsv(pcs))
    const rejectsPath = join(dir.path, 'bad.rejects.csv')
    let err: unknown
    try {
      await importInventory(testContext(store), {file: file, rejectsPath})
    } catch (error) {
      err = error
    }
    expect(err).toBeInstanceOf(InputRejected)
    const data = (err as InputRejected).data as {rejected: number; inserted: number; rejects: {row: number; field: string}[]}
    expect(data.inserted).toBe(1)
    expect(data.rejected).toBe(4)
    // fields are named as in the file's header, for the technician who fixes it
    expect(data.rejects.map((r) => r.row)).toEqual([2, 3, 4, 6])
    expect(data.rejects.slice(0, 3).map((r) => r.field)).toEqual(['Numéro de série', 'Composants - Mémoire', 'TPM'])
  })
})
