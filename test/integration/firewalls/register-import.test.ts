/**
 * The register service (importSchools, showSchool) on a real SQLite file and a real
 * PostgreSQL database: layouts told by the header, the directory's scope, ALPI's addressing
 * plan (allocation in UAI order, kept across re-imports and pool changes), provenance, the
 * merge rule (what a file lacks is kept, an emptied optional cell is cleared), a full pool.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {importSchools, showSchool} from '../../../src/firewalls/register.js'
import {loadSchools} from '../../../src/firewalls/schools.js'
import type {Store} from '../../../src/store/db.js'
import {authorityCsv, directoryCsv, landesSchools, outOfScopeRows, uaiOf} from '../../fixtures/firewalls/directory.js'
import {DIALECTS, storeFor, tempDir, testContext} from '../../helpers/context.js'

describe.each(DIALECTS)('firewalls register import on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  let dir: ReturnType<typeof tempDir>
  const write = (name: string, text: string) => {
    const file = join(dir.path, name)
    writeFileSync(file, text)
    return file
  }
  beforeAll(async () => {
    ;({store, cleanup} = await storeFor(dialect))
    dir = tempDir('alpi-fw-register-')
  })
  afterAll(async () => {
    await cleanup?.()
    dir?.cleanup()
  })

  it('the directory: only the Landes public écoles, LANs allocated in UAI order whatever the file order, provenance stored', async () => {
    const schools = landesSchools(6)
    const file = write('annuaire.csv', directoryCsv([...schools].reverse().concat(outOfScopeRows())))
    const ctx = testContext(store)
    const r = await importSchools(ctx, {file})
    expect(r).toMatchObject({layout: 'directory', rows: 12, inserted: 6, outOfScope: 6, rejected: 0})
    const stored = await loadSchools(ctx)
    expect(stored.map((s) => [s.uai, s.lanCidr, s.lanGateway, s.dhcpStart, s.dhcpEnd])).toEqual(
      schools.map((s, i) => [s.uai, `10.40.${i}.0/24`, `10.40.${i}.1`, `10.40.${i}.100`, `10.40.${i}.199`]),
    )
    expect(stored[0]).toMatchObject({
      communeName: schools[0]!.commune,
      communeInsee: schools[0]!.insee,
      address: schools[0]!.street,
      postalCode: schools[0]!.postal,
      authorityKind: 'commune',
      wanMode: 'dhcp',
    })
    expect(stored[0]!.provenance).toMatchObject({
      name: {by: 'given', source: 'directory'},
      lanCidr: {by: 'allocated'},
      lanGateway: {by: 'derived'},
      wanMode: {by: 'default'},
      authorityName: {by: 'derived'},
    })
    const audit = await store.db.selectFrom('audit_log').selectAll().where('entity', '=', 'fw_school').execute()
    expect(JSON.stringify(audit)).not.toContain(schools[0]!.street)
  })

  it('a re-import after a pool change moves no LAN; a new school gets a LAN from the new pool that overlaps none', async () => {
    const schools = landesSchools(7)
    const file = write('annuaire2.csv', directoryCsv(schools))
    const ctx = testContext(store, {
      config: {firewalls: {addressing: {pool: ['10.40.0.0/22', '10.41.0.0/16'], lanPrefix: 25, dhcpFirst: 50, dhcpLast: 120}}},
    })
    const r = await importSchools(ctx, {file})
    expect(r).toMatchObject({inserted: 1, updated: 0, unchanged: 6})
    const stored = await loadSchools(ctx)
    expect(stored.slice(0, 6).map((s) => s.lanCidr)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `10.40.${i}.0/24`))
    // 10.40.0.0/22 holds four /24s already: the first free /25 is in the next pool.
    expect(stored[6]).toMatchObject({lanCidr: '10.41.0.0/25', lanGateway: '10.41.0.1', dhcpStart: '10.41.0.50', dhcpEnd: '10.41.0.120'})
    const shown = await showSchool(ctx, stored[6]!.uai)
    expect(shown.fields.find((f) => f.field === 'lanCidr')).toMatchObject({
      how: 'allocated',
      detail: expect.stringContaining('10.40.0.0/22, 10.41.0.0/16'),
    })
  })

  it("an authority list: missing columns keep ALPI's values, given ones replace them, an emptied optional cell clears; unknown kinds are asked for", async () => {
    const [a, b] = landesSchools(2)
    const ctx = testContext(store)
    const full = write(
      'registre.csv',
      [
        'UAI;Nom;Commune;Réseau LAN;Numéro de série;VPN',
        `${a!.uai};${a!.name};${a!.commune};;SN-A;landes`,
        `${b!.uai};${b!.name};${b!.commune};192.168.50.0/26;SN-B;landes`,
      ].join('\n') + '\n',
    )
    expect(await importSchools(ctx, {file: full})).toMatchObject({layout: 'list', updated: 2})
    let [sa, sb] = await loadSchools(ctx, [a!.uai, b!.uai])
    expect(sa).toMatchObject({lanCidr: '10.40.0.0/24', boxSerial: 'SN-A', vpn: 'landes'})
    // A /26 is too small for hosts 100-199: the DHCP range is its upper half.
    expect(sb).toMatchObject({
      lanCidr: '192.168.50.0/26',
      lanGateway: '192.168.50.1',
      dhcpStart: '192.168.50.32',
      dhcpEnd: '192.168.50.62',
      boxSerial: 'SN-B',
    })

    const short = write(
      'cc.csv',
      authorityCsv([
        {uai: a!.uai, name: a!.name, commune: a!.commune, insee: a!.insee, authority: 'Communauté d’agglomération du Marsan-Exemple'},
        {uai: b!.uai, name: b!.name, commune: b!.commune, authority: 'Syndicat mixte des Écoles-Exemple'},
      ]),
    )
    expect(await importSchools(ctx, {file: short}).catch((e) => e)).toMatchObject({
      code: 'INPUT_REJECTED',
      data: {updated: 1, rejected: 1, rejects: [{row: 3, field: 'Autorité compétente'}]},
    })
    ;[sa, sb] = await loadSchools(ctx, [a!.uai, b!.uai])
    expect(sa).toMatchObject({
      authorityKind: 'epci',
      authorityName: 'Communauté d’agglomération du Marsan-Exemple',
      boxSerial: 'SN-A',
      vpn: 'landes',
      lanCidr: '10.40.0.0/24',
    })
    expect(sb).toMatchObject({authorityKind: 'commune', boxSerial: 'SN-B'})

    const cleared = write(
      'registre2.csv',
      [
        'UAI;Nom;Commune;Numéro de série;Type autorité;Autorité',
        `${b!.uai};${b!.name};${b!.commune};;epci;Syndicat mixte des Écoles-Exemple`,
      ].join('\n') + '\n',
    )
    expect(await importSchools(ctx, {file: cleared})).toMatchObject({updated: 1})
    ;[sb] = await loadSchools(ctx, [b!.uai])
    expect(sb).toMatchObject({
      boxSerial: undefined,
      vpn: 'landes',
      authorityKind: 'epci',
      authorityName: 'Syndicat mixte des Écoles-Exemple',
      lanCidr: '192.168.50.0/26',
    })
    expect(sb!.provenance.authorityKind).toEqual({by: 'given', source: 'list'})
  })

  it("a layout's missing columns are a usage error naming the accepted headers; nothing is written", async () => {
    const file = write('sans-commune.csv', "UAI;Nom de l'école;Autorité compétente\n" + `${uaiOf('040', 9700)};École X;Commune de X\n`)
    const err = await importSchools(testContext(store), {file}).catch((e) => e)
    expect(err).toMatchObject({code: 'USAGE', exitCode: 2})
    expect(err.message).toMatch(/communeInsee \(.*"code insee".*\) or communeName \(.*"commune"/)
    expect(await store.db.selectFrom('fw_schools').select('uai').where('uai', '=', uaiOf('040', 9700)).execute()).toEqual([])
  })

  it('a full pool aborts the import with its own error and writes nothing', async () => {
    const file = write('pool.csv', directoryCsv(landesSchools(3, 200)))
    const ctx = testContext(store, {config: {firewalls: {addressing: {pool: '10.99.0.0/23'}}}})
    const before = (await loadSchools(ctx)).length
    const err = await importSchools(ctx, {file}).catch((e) => e)
    expect(err).toMatchObject({code: 'ADDRESSING_POOL_FULL', exitCode: 1, data: {needed: 1}})
    expect(err.actions[0]).toContain('firewalls.addressing.pool')
    expect((await loadSchools(ctx)).length).toBe(before)
  })
})
