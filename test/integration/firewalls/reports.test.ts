import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {schoolSchema} from '../../../src/firewalls/model.js'
import {complianceHtml, complianceReport, complianceRows, worksheet} from '../../../src/firewalls/reports.js'
import {upsertSchools} from '../../../src/firewalls/schools.js'
import {WHITELIST_PROBE} from '../../../src/firewalls/verify.js'
import type {Store} from '../../../src/store/db.js'
import {schoolInput, validUai} from '../../fixtures/firewalls/schools.js'
import {DIALECTS, storeFor, testContext} from '../../helpers/context.js'

describe.each(DIALECTS)('compliance and worksheet on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({store, cleanup} = await storeFor(dialect))
    const schools = [
      schoolInput(1, {
        authorityKind: 'commune',
        authorityName: 'Commune A',
        boxSerial: 'SN-1',
        overrides: {whitelist: true, allowDomains: ['education.gouv.fr']},
      }),
      schoolInput(2, {authorityKind: 'commune', authorityName: 'Commune A', name: 'École <script>alert(1)</script>'}),
      schoolInput(3, {authorityKind: 'epci', authorityName: 'Communauté B', overrides: {categories: ['adult', 'gambling']}}),
      schoolInput(4, {authorityKind: 'epci', authorityName: 'Communauté B'}),
      schoolInput(5, {authorityKind: 'epci', authorityName: 'Communauté B', overrides: {categories: ['adult', 'gambling']}}),
      schoolInput(6, {authorityKind: 'epci', authorityName: 'Communauté B', overrides: {categories: ['adult', 'gambling']}}),
    ].map((s) => schoolSchema().parse(s))
    await store.transaction((trx) => upsertSchools(trx, schools))
    // 1: whitelist, tested from the LAN recently (whitelist probe): ok. 2: last LAN check failed.
    // 3: complete LAN test 200 days ago: overdue (stale). 4: not equipped. 5: a recent LAN pass
    // that tested adult only, policy adult+gambling: overdue (categories-not-tested). 6: only a
    // management pass: overdue (never-tested).
    for (const n of [1, 2, 3, 5, 6])
      await store.db
        .updateTable('fw_schools')
        .set({deployed_hash: 'h' + n, deployed_at: '2026-01-10T10:00:00.000Z'})
        .where('uai', '=', validUai(n))
        .execute()
    const check = (category: string, passed = true) => ({
      name: `blocked: category ${category}`,
      passed,
      detail: '',
      category,
      listVersion: 'ut1-x',
    })
    const v = (n: number, at: string, passed: number, checks: unknown[] = [], side = 'lan') =>
      store.db
        .insertInto('fw_verifications')
        .values({id: `v${n}-${at}`, uai: validUai(n), at, side, passed, checks: JSON.stringify(checks), actor: 't'})
        .execute()
    const all = ['adult', 'gambling'].map((c) => check(c))
    await v(1, '2026-11-20T10:00:00.000Z', 1, [{name: 'blocked: whitelist', passed: true, detail: '', category: WHITELIST_PROBE}])
    await v(2, '2026-11-01T10:00:00.000Z', 1, all)
    await v(2, '2026-11-21T10:00:00.000Z', 0, [check('adult', false), check('gambling')])
    await v(3, '2026-05-01T10:00:00.000Z', 1, all)
    await v(5, '2026-11-25T10:00:00.000Z', 1, [check('adult')])
    await v(6, '2026-11-26T10:00:00.000Z', 1, [{name: 'services', passed: true, detail: ''}], 'management')
  })
  afterAll(async () => cleanup?.())

  it('counts per competent authority; only a complete LAN test makes a school verified', async () => {
    process.env.ALPI_NOW = '2026-11-28T12:00:00.000Z'
    try {
      const r = await complianceReport(testContext(store))
      expect(r.authorities.map((a) => [a.name, a.schools, a.equipped, a.verifiedPassing, a.failing, a.overdue])).toEqual([
        ['Communauté B', 4, 3, 0, 0, 3],
        ['Commune A', 2, 2, 1, 1, 0],
      ])
      const row = (n: number) => complianceRows(r).find((x) => x.uai === validUai(n))!
      expect(row(1)).toMatchObject({status: 'ok', reason: null, lastTestedAt: '2026-11-20T10:00:00.000Z'})
      expect(row(2)).toMatchObject({status: 'failing'})
      expect(row(3)).toMatchObject({status: 'overdue', reason: 'stale'})
      expect(row(5)).toMatchObject({status: 'overdue', reason: 'categories-not-tested', untested: 'gambling', lastTestedAt: null})
      expect(row(6)).toMatchObject({status: 'overdue', reason: 'never-tested', lastPassedAt: '2026-11-26T10:00:00.000Z'})
      expect(complianceRows(r).find((x) => x.uai === validUai(4))!.status).toBe('not-equipped')
      const html = complianceHtml(testContext(store), r)
      expect(html).toContain('<html lang="fr">')
      expect(html).toContain('À revérifier')
      expect(html).toContain('catégories non testées\u00A0: gambling')
      expect(html).toContain('jamais testée depuis un poste élève')
      // French dates ("20 novembre 2026"), never ISO or slashed
      expect(html).toMatch(
        /Rapport établi le \d{1,2}(?:er)? (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre) \d{4}/,
      )
      expect(html).toContain('20 novembre 2026 (réussie)')
      expect(html).not.toMatch(/<td>\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4}/)
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
