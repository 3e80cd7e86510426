import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {sql} from 'kysely'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {verifyAudit, writeAudit} from '../../../src/core/audit.js'
import {backupStore, storeStatus} from '../../../src/store/admin.js'
import {openStore, type Store} from '../../../src/store/db.js'
import {MIGRATIONS} from '../../../src/store/migrations/index.js'
import {DIALECTS, storeFor, tempDir} from '../../helpers/context.js'

describe.each(DIALECTS)('store on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  let url: string

  beforeAll(async () => {
    const s = await storeFor(dialect)
    store = s.store
    cleanup = s.cleanup
    url = 'url' in s ? (s as {url: string}).url : store.location
  })
  afterAll(async () => cleanup())

  it('Given a new store, when opened, then every migration is applied once', async () => {
    const status = await storeStatus({url})
    expect(status.pending).toBe(0)
    expect(status.migrations.map((m) => m.name)).toEqual(Object.keys(MIGRATIONS))
    // reopening applies nothing again
    const again = await openStore({url})
    await again.close()
    expect((await storeStatus({url})).pending).toBe(0)
  })

  it('Given a transaction that fails half-way, then nothing of it is kept', async () => {
    await expect(
      store.transaction(async (trx) => {
        await writeAudit(trx, store.dialect, {actor: 't', command: 'test', entity: 'thing', action: 'create', summary: 'first half'})
        throw new Error('crash mid-batch')
      }),
    ).rejects.toThrow('crash mid-batch')
    const n = await store.db.selectFrom('audit_log').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(0)
  })

  it('Given chained audit entries, when one is edited or deleted, then verify reports it', async () => {
    for (let i = 0; i < 5; i++) {
      await store.transaction((trx) => writeAudit(trx, store.dialect, {actor: 'tech', command: 'test', entity: 'laptop', entityId: `S${i}`, action: 'update', summary: `change ${i}`, data: {i}}))
    }
    expect(await verifyAudit(store.db)).toMatchObject({ok: true, entries: 5})

    await store.db.updateTable('audit_log').set({summary: 'rewritten'}).where('seq', '=', 2).execute()
    const edited = await verifyAudit(store.db)
    expect(edited.ok).toBe(false)
    expect(edited.problems).toContainEqual(expect.objectContaining({seq: 2, problem: 'hash_mismatch'}))

    await store.db.deleteFrom('audit_log').where('seq', '=', 4).execute()
    const deleted = await verifyAudit(store.db)
    expect(deleted.problems).toContainEqual(expect.objectContaining({seq: 5, problem: 'gap'}))
    expect(deleted.problems).toContainEqual(expect.objectContaining({seq: 5, problem: 'broken_link'}))
  })

  it('Given concurrent writers, then the audit chain stays linear', async () => {
    await store.db.deleteFrom('audit_log').execute()
    await Promise.all(
      Array.from({length: 20}, (_, i) => store.transaction((trx) => writeAudit(trx, store.dialect, {actor: 'tech', command: 'test', entity: 'x', action: 'a', summary: `w${i}`}))),
    )
    expect(await verifyAudit(store.db)).toMatchObject({ok: true, entries: 20})
  })
})

describe('SQLite specifics', () => {
  it('Given a new SQLite store, then the file is 0600 in WAL mode with foreign keys on', async () => {
    const dir = tempDir()
    const file = join(dir.path, 'sub', 'alpi.sqlite')
    const store = await openStore({url: file})
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600)
      expect(store.sqlite!.pragma('journal_mode', {simple: true})).toBe('wal')
      expect(store.sqlite!.pragma('foreign_keys', {simple: true})).toBe(1)
    } finally {
      await store.close()
      dir.cleanup()
    }
  })

  it('Given another process writing, when backed up, then the copy is consistent and never overwrites', async () => {
    const dir = tempDir()
    const file = join(dir.path, 'alpi.sqlite')
    const writer = await openStore({url: file})
    try {
      const writes = (async () => {
        for (let i = 0; i < 200; i++) await writer.transaction((trx) => writeAudit(trx, 'sqlite', {actor: 'a', command: 'c', entity: 'e', action: 'x', summary: String(i)}))
      })()
      const out = join(dir.path, 'copy.sqlite')
      const r = await backupStore({url: file, output: out})
      await writes
      expect(r.bytes).toBeGreaterThan(0)
      expect(statSync(out).mode & 0o777).toBe(0o600)
      const copy = await openStore({url: out, migrate: false})
      expect((await verifyAudit(copy.db)).ok).toBe(true)
      await copy.close()
      await expect(backupStore({url: file, output: out})).rejects.toMatchObject({code: 'USAGE'})
      expect(existsSync(out)).toBe(true)
    } finally {
      await writer.close()
      dir.cleanup()
    }
  })
})
