/**
 * Issue 10.1 on both stores: a partial `lists update` merges into the latest version (the
 * other categories kept with their own load date), identical content is "unchanged" only
 * against the latest version, and a deploy never drops a category a school's box has
 * (refused before anything is sent, unless the register dropped it and --allow-drop names it).
 */
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {refuseDroppedCategories} from '../../../src/firewalls/deploy.js'
import {recordDeployment} from '../../../src/firewalls/deployed.js'
import {latestListVersion, listFilterFor, readListVersion, updateLists} from '../../../src/firewalls/lists.js'
import {schoolSchema} from '../../../src/firewalls/model.js'
import {planSchools} from '../../../src/firewalls/plan.js'
import {loadSchools, upsertSchools} from '../../../src/firewalls/schools.js'
import type {Store} from '../../../src/store/db.js'
import {schoolInput, validUai} from '../../fixtures/firewalls/schools.js'
import {writeUt1} from '../../fixtures/firewalls/ut1.js'
import {DIALECTS, storeFor, tempDir, testContext} from '../../helpers/context.js'

describe.each(DIALECTS)('lists merge and category drops on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  const dir = tempDir('alpi-ut1-merge-')
  const uai = validUai(41)
  const full = writeUt1(join(dir.path, 'full'))
  const malwareOnly = writeUt1(join(dir.path, 'malware'), {malware: ['malware.test', 'trojan.test']})
  const malwareNew = writeUt1(join(dir.path, 'malware2'), {malware: ['malware.test', 'trojan.test', 'worm.test']})

  beforeAll(async () => {
    ;({store, cleanup} = await storeFor(dialect))
    const s = schoolSchema().parse(schoolInput(41, {mgmtHost: '192.0.2.41', overrides: {categories: ['adult', 'gambling', 'malware']}}))
    await store.transaction((trx) => upsertSchools(trx, [s]))
  })
  afterAll(async () => {
    await cleanup?.()
    dir.cleanup()
  })

  it('a partial update keeps every other category of the latest version, with its own load date', async () => {
    const ctx = testContext(store)
    process.env.ALPI_NOW = '2026-10-01T08:00:00.000Z'
    const first = await updateLists(ctx, {from: full, categories: ['adult', 'gambling', 'phishing']})
    expect(first).toMatchObject({status: 'new', categories: {adult: 3, gambling: 2, phishing: 1}, kept: {}})
    process.env.ALPI_NOW = '2026-11-20T08:00:00.000Z'
    const second = await updateLists(ctx, {from: malwareOnly, categories: ['malware']})
    delete process.env.ALPI_NOW
    expect(second).toMatchObject({status: 'new', previous: first.version, categories: {malware: 2}})
    expect(Object.keys(second.kept).sort()).toEqual(['adult', 'gambling', 'phishing'])
    expect(second.kept.adult).toEqual({domains: 3, loadedAt: '2026-10-01T08:00:00.000Z', from: first.version})
    expect(await latestListVersion(ctx)).toBe(second.version)

    const info = await readListVersion(ctx, second.version)
    expect(Object.keys(info!.categories).sort()).toEqual(['adult', 'gambling', 'malware', 'phishing'])
    expect(info!.categories.malware).toMatchObject({domains: 2, from: second.version, loadedAt: '2026-11-20T08:00:00.000Z'})
    const rows = await store.db
      .selectFrom('fw_list_categories')
      .select(['category', 'domains'])
      .where('version', '=', second.version)
      .orderBy('category')
      .execute()
    expect(rows.find((r) => r.category === 'adult')!.domains).toBe('adult.test\nwww.adult.test\nx-rated.test')

    const [school] = await loadSchools(ctx, [uai])
    const filter = await listFilterFor(ctx, school!)
    expect(filter).toMatchObject({listVersion: second.version, categories: ['adult', 'gambling', 'malware'], missingCategories: []})
    expect(filter.listDomains).toEqual(expect.arrayContaining(['adult.test', 'casino.test', 'trojan.test']))
  })

  it('"unchanged" only against the latest version; the same content coming back makes a new version', async () => {
    const ctx = testContext(store)
    const latest = (await latestListVersion(ctx))!
    expect(await updateLists(ctx, {from: malwareOnly, categories: ['malware']})).toMatchObject({status: 'unchanged', version: latest})
    const newer = await updateLists(ctx, {from: malwareNew, categories: ['malware']})
    expect(newer.status).toBe('new')
    // Back to the earlier malware list (same content as `latest`): a new version, and the latest.
    const back = await updateLists(ctx, {from: malwareOnly, categories: ['malware']})
    expect(back.status).toBe('new')
    expect(back.version).not.toBe(newer.version)
    expect(await latestListVersion(ctx)).toBe(back.version)
    expect(Object.keys((await readListVersion(ctx, back.version))!.categories).sort()).toEqual(['adult', 'gambling', 'malware', 'phishing'])
  })

  it('a deploy that would drop a required category is refused; a policy drop only with --allow-drop', async () => {
    const ctx = testContext(store)
    const [p] = await planSchools(ctx, {uais: [uai]})
    expect(p!.plan.categories).toMatchObject({blocked: ['adult', 'gambling', 'malware'], droppedByList: [], droppedByPolicy: []})
    await recordDeployment(ctx, {config: p!.config!, job: 'test', outcome: 'confirmed', listVersion: p!.config!.listVersion})

    // A list version holding malware only (as alpi before the fix wrote it) becomes the latest.
    await store.db
      .insertInto('fw_list_versions')
      .values({
        version: 'ut1-20991231-legacy',
        loaded_at: '2099-12-31T00:00:00.000Z',
        source: 'x',
        categories: JSON.stringify({malware: 1}),
        domains: 1,
        actor: 't',
      })
      .execute()
    await store.db
      .insertInto('fw_list_categories')
      .values({version: 'ut1-20991231-legacy', category: 'malware', domains_count: 1, domains: 'malware.test'})
      .execute()
    const [bad] = await planSchools(ctx, {uais: [uai]})
    expect(bad!.plan.status).toBe('invalid')
    expect(bad!.plan.categories).toMatchObject({droppedByList: ['adult', 'gambling'], missing: ['adult', 'gambling']})
    expect(() => refuseDroppedCategories(bad!.plan)).toThrow(
      expect.objectContaining({code: 'FILTER_CATEGORY_DROPPED', exitCode: 1, actions: [expect.stringContaining('--category adult')]}),
    )
    // The next full update merges the missing categories back in: nothing is dropped any more.
    await updateLists(ctx, {from: full, categories: ['adult', 'gambling']})
    await store.db.deleteFrom('fw_list_categories').where('version', '=', 'ut1-20991231-legacy').execute()
    await store.db.deleteFrom('fw_list_versions').where('version', '=', 'ut1-20991231-legacy').execute()
    const [fixed] = await planSchools(ctx, {uais: [uai]})
    expect(fixed!.plan.categories).toMatchObject({droppedByList: [], droppedByPolicy: []})

    // The register no longer lists gambling: refused unless named.
    await store.db
      .updateTable('fw_schools')
      .set({overrides: JSON.stringify({categories: ['adult', 'malware']})})
      .where('uai', '=', uai)
      .execute()
    const [policy] = await planSchools(ctx, {uais: [uai]})
    expect(policy!.plan.categories).toMatchObject({droppedByPolicy: ['gambling']})
    expect(() => refuseDroppedCategories(policy!.plan)).toThrow(
      expect.objectContaining({code: 'FILTER_CATEGORY_DROPPED', actions: [expect.stringContaining('--allow-drop gambling')]}),
    )
    const [allowed] = await planSchools(ctx, {uais: [uai], allowDrop: ['gambling']})
    expect(allowed!.plan.categories).toMatchObject({droppedByPolicy: []})
    expect(allowed!.plan.status).toBe('changed')
  })
})
