import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {SchoolSchema} from '../../../src/firewalls/model.js'
import {complianceHtml, complianceReport, complianceRows, worksheet} from '../../../src/firewalls/reports.js'
import {upsertSchools} from '../../../src/firewalls/schools.js'
import type {Store} from '../../../src/store/db.js'
import {schoolInput, validUai} from '../../fixtures/firewalls/schools.js'
import {DIALECTS, storeFor, testContext} from '../../helpers/context.js'

describe.each(DIALECTS)('compliance and worksheet on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({store, cleanup} = await storeFor(dialect))
    const schools = [
      schoolInput(1, {authorityKind: 'commune', authorityName: 'Commune A', boxSerial: 'SN-1', overrides: {whitelist: true, allowDomains: ['education.gouv.fr']}}),
      schoolInput(2, {authorityKind: 'commune', authorityName: 'Commune A', name: 'École <script>alert(1)</script>'}),
      schoolInput(3, {authorityKind: 'epci', authorityName: 'Communauté B'}),
      schoolInput(4, {authorityKind: 'epci', authorityName: 'Communauté B'}),
    ].map((s) => SchoolSchema.parse(s))
    await store.transaction((trx) => upsertSchools(trx, schools))
    // 1: equipped, verified recently and passing; 2: equipped, last check failed;
    // 3: equipped, verified 200 days ago (overdue); 4: not equipped.
    for (const n of [1, 2, 3]) await store.db.updateTable('fw_schools').set({deployed_hash: 'h' + n, deployed_at: '2026-01-10T10:00:00.000Z'}).where('uai', '=', validUai(n)).execute()
    const v = (n: number, at: string, passed: number) => store.db.insertInto('fw_verifications').values({id: `v${n}-${at}`, uai: validUai(n), at, side: 'lan', passed, checks: '[]', actor: 't'}).execute()
    await v(1, '2026-11-20T10:00:00.000Z', 1)
    await v(2, '2026-11-01T10:00:00.000Z', 1)
    await v(2, '2026-11-21T10:00:00.000Z', 0)
    await v(3, '2026-05-01T10:00:00.000Z', 1)
  })
  afterAll(async () => cleanup?.())

  it('counts per competent authority, with overdue and failing schools', async () => {
    process.env.ALPI_NOW = '2026-11-28T12:00:00.000Z'
    try {
      const r = await complianceReport(testContext(store))
      expect(r.authorities.map((a) => [a.name, a.schools, a.equipped, a.verifiedPassing, a.failing, a.overdue])).toEqual([
        ['Communauté B', 2, 1, 0, 0, 1],
        ['Commune A', 2, 2, 1, 1, 0],
      ])
      expect(complianceRows(r).find((x) => x.uai === validUai(4))!.status).toBe('not-equipped')
      const html = complianceHtml(testContext(store), r)
      expect(html).toContain('<html lang="fr">')
      expect(html).toContain('À revérifier')
      expect(html).toContain('&lt;script&gt;')
      expect(html).not.toContain('<script>')
    } finally {
      delete process.env.ALPI_NOW
    }
  })

  it('worksheet: French install sheet with the network plan', async () => {
    const {html, data} = await worksheet(testContext(store), validUai(1).toLowerCase())
    expect(data.whitelist).toBe(true)
    expect(html).toContain('Fiche d’installation')
    expect(html).toContain('10.40.1.0/24')
    expect(html).toContain('de 10.40.1.100 à 10.40.1.199')
    expect(html).toContain('liste blanche')
    expect(html).toContain('SN-1')
  })
})
