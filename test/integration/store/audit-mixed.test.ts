import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {entryHash, GENESIS, verifyAudit, writeAudit} from '../../../src/audit/journal.js'
import {listAudit} from '../../../src/audit/query.js'
import {setLanguage} from '../../../src/core/i18n.js'
import type {Store} from '../../../src/store/db.js'
import {DIALECTS, storeFor} from '../../helpers/context.js'

// A store written by an older alpi (English sentences in `summary`) then by this one (codes):
// the chain verifies across both, the old entries are shown as written, the new ones in the
// reader's language. On SQLite and PostgreSQL.
describe.each(DIALECTS)('a journal of old and new entries on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    const s = await storeFor(dialect)
    store = s.store
    cleanup = s.cleanup
  })
  afterAll(async () => {
    setLanguage(undefined)
    await cleanup?.()
  })

  it('verifies, and lists the old sentence as written and the new codes in French or English', async () => {
    // Given two entries as the old writer stored them (the sentence itself in `summary`)
    let prev = GENESIS
    for (const [seq, summary] of [
      [1, '3 laptop(s) allocated to site SMALAH'],
      [2, 'laptop handed over at site SMALAH'],
    ] as const) {
      const row = {
        seq,
        at: new Date().toISOString(),
        actor: 'tech',
        command: 'laptops allocate',
        entity: 'laptop_site',
        entity_id: 'SMALAH',
        action: 'allocate',
        summary,
        result: 'ok',
        data: null,
        prev_hash: prev,
      }
      prev = entryHash(row)
      await store.db
        .insertInto('audit_log')
        .values({...row, hash: prev})
        .execute()
    }
    await store.db.insertInto('audit_head').values({id: 1, seq: 2, hash: prev}).execute()
    // When this alpi adds entries after them
    await store.transaction((trx) =>
      writeAudit(trx, store.dialect, {
        actor: 'tech',
        command: 'laptops allocate',
        entity: 'laptop_site',
        entityId: 'SMALAH',
        action: 'allocate',
        summary: {code: 'laptopsAllocated', params: {n: 1, site: 'SMALAH'}},
      }),
    )
    await store.transaction((trx) =>
      writeAudit(trx, store.dialect, {
        actor: 'tech',
        command: 'laptops return',
        entity: 'laptop',
        entityId: 'SN1',
        action: 'return',
        summary: {code: 'laptopReturned', params: {from: 'handed_over'}},
      }),
    )
    // Then the chain verifies, old and new
    expect(await verifyAudit(store.db)).toMatchObject({ok: true, entries: 4, problems: []})
    setLanguage('fr')
    const fr = await listAudit(store.db, {})
    expect(fr.map((e) => e.summary)).toEqual([
      '3 laptop(s) allocated to site SMALAH',
      'laptop handed over at site SMALAH',
      '1 ordinateur attribué au site SMALAH',
      'ordinateur retourné (état précédent : handed_over)',
    ])
    expect(fr.map((e) => e.code)).toEqual([null, null, 'laptopsAllocated', 'laptopReturned'])
    setLanguage('en')
    const en = await listAudit(store.db, {})
    expect(en.slice(2).map((e) => e.summary)).toEqual(['1 laptop allocated to site SMALAH', 'laptop returned from handed_over'])
    expect(en[2]!.params).toEqual({n: 1, site: 'SMALAH'})
  })
})
