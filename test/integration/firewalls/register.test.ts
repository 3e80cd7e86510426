import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {schoolSchema} from '../../../src/firewalls/model.js'
import {loadSchools, upsertSchools} from '../../../src/firewalls/schools.js'
import type {Store} from '../../../src/store/db.js'
import {schoolInput, validUai} from '../../fixtures/firewalls/schools.js'
import {DIALECTS, storeFor, testContext} from '../../helpers/context.js'

describe.each(DIALECTS)('school register on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({store, cleanup} = await storeFor(dialect))
  })
  afterAll(async () => cleanup?.())

  it('inserts, then a re-run is all unchanged, then one change is one update', async () => {
    const schools = [1, 2, 3].map((n) => schoolSchema().parse(schoolInput(n, {overrides: {blockDomains: ['casino.test']}})))
    expect(await store.transaction((trx) => upsertSchools(trx, schools))).toEqual({inserted: 3, updated: 0, unchanged: 0})
    expect(await store.transaction((trx) => upsertSchools(trx, schools))).toEqual({inserted: 0, updated: 0, unchanged: 3})
    const changed = [...schools.slice(0, 2), {...schools[2]!, name: 'Renamed'}]
    expect(await store.transaction((trx) => upsertSchools(trx, changed))).toEqual({inserted: 0, updated: 1, unchanged: 2})
    const ctx = testContext(store)
    const loaded = await loadSchools(ctx, [validUai(3).toLowerCase()])
    expect(loaded[0]).toMatchObject({uai: validUai(3), name: 'Renamed', overrides: {blockDomains: ['casino.test']}, deployedHash: null})
  })

  it('names the missing UAI', async () => {
    await expect(loadSchools(testContext(store), [validUai(77)])).rejects.toMatchObject({code: 'NOT_FOUND'})
    await expect(loadSchools(testContext(store), ['0740003A'])).rejects.toMatchObject({code: 'USAGE'})
  })
})
