import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {setLanguage} from '../../../src/core/i18n.js'
import type {Store} from '../../../src/store/db.js'
import {moveTo} from '../../../src/win7/states.js'
import {DIALECTS, storeFor} from '../../helpers/context.js'

setLanguage('en')

describe.each(DIALECTS)('win7 tables and pipeline on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    const s = await storeFor(dialect)
    store = s.store
    cleanup = s.cleanup
  })
  afterAll(async () => cleanup?.())

  it('stores a member, a site, a PC and moves it along the pipeline', async () => {
    const now = '2026-01-05T08:00:00.000Z'
    await store.db
      .insertInto('win7_members')
      .values({
        code: 'mairie-test',
        name: 'Mairie Test',
        commune: 'Testville',
        naming_rule: null,
        domain: null,
        ou: null,
        join_account: null,
        software: null,
        usmt_store: null,
        created_at: now,
        updated_at: now,
      })
      .execute()
    await store.db
      .insertInto('win7_sites')
      .values({id: 'mairie-test:accueil', member_code: 'mairie-test', name: 'Accueil', commune: 'Testville', created_at: now})
      .execute()
    await store.db
      .insertInto('win7_pcs')
      .values({
        serial: 'SN-A1',
        role: 'old',
        name: 'PC-01',
        member_code: 'mairie-test',
        site_id: 'mairie-test:accueil',
        maker: null,
        model: null,
        form_factor: 'desktop',
        os_name: 'Windows 7',
        os_version: null,
        cpu: null,
        ram_mb: 4096,
        disk_mb: 500_000,
        tpm: null,
        firmware: null,
        secure_boot: null,
        user_login: null,
        state: 'inventoried',
        state_since: now,
        verdict: null,
        verdict_reasons: null,
        replaced_by: null,
        replaces: null,
        retired_kind: null,
        retired_ref: null,
        created_at: now,
        updated_at: now,
      })
      .execute()
    await store.transaction(async (trx) => {
      await moveTo(trx, 'SN-A1', 'to_replace')
      await moveTo(trx, 'SN-A1', 'ordered')
    })
    // a refused move rolls the whole transaction back
    await expect(
      store.transaction(async (trx) => {
        await moveTo(trx, 'SN-A1', 'received')
        await moveTo(trx, 'SN-A1', 'installed')
      }),
    ).rejects.toThrow(/must be "staged" first/)
    const pc = await store.db.selectFrom('win7_pcs').selectAll().where('serial', '=', 'SN-A1').executeTakeFirstOrThrow()
    expect(pc.state).toBe('ordered')
    expect(pc.disk_mb).toBe(500_000)
    await expect(store.transaction((trx) => moveTo(trx, 'NOPE', 'ordered'))).rejects.toThrow(/No PC/)
  })
})
