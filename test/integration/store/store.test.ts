import {execFileSync, spawn} from 'node:child_process'
import {existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {sql} from 'kysely'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {verifyAudit, writeAudit} from '../../../src/audit/journal.js'
import {backupStore, storeStatus} from '../../../src/store/admin.js'
import {checkpoint, openStore, type Store} from '../../../src/store/db.js'
import {MIGRATIONS} from '../../../src/store/migrations/index.js'
import {DIALECTS, REPO_ROOT, postgresStore, sqliteStore, storeFor, tempDir} from '../../helpers/context.js'

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
        await writeAudit(trx, store.dialect, {
          actor: 't',
          command: 'test',
          entity: 'thing',
          action: 'create',
          summary: {code: 'laptopMoved', params: {from: 'received', to: 'first half'}},
        })
        throw new Error('crash mid-batch')
      }),
    ).rejects.toThrow('crash mid-batch')
    const n = await store.db
      .selectFrom('audit_log')
      .select(sql<number>`count(*)`.as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(n.n)).toBe(0)
  })

  it('Given chained audit entries, when one is edited or deleted, then verify reports it', async () => {
    for (let i = 0; i < 5; i++) {
      await store.transaction((trx) =>
        writeAudit(trx, store.dialect, {
          actor: 'tech',
          command: 'test',
          entity: 'laptop',
          entityId: `S${i}`,
          action: 'update',
          summary: {code: 'laptopMoved', params: {from: 'received', to: `change ${i}`}},
          data: {i},
        }),
      )
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

  it('Given the store opened read-only, then reads work and the database itself refuses a write', async () => {
    await store.transaction((trx) =>
      writeAudit(trx, store.dialect, {
        actor: 'a',
        command: 'c',
        entity: 'e',
        action: 'x',
        summary: {code: 'laptopMoved', params: {from: 'received', to: 'before the reader'}},
      }),
    )
    const reader = await openStore({url, readOnly: true})
    try {
      expect(reader.readOnly).toBe(true)
      const seen = await reader.db.selectFrom('audit_log').select('summary').orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow()
      expect(seen.summary).toContain('before the reader')
      await expect(reader.db.deleteFrom('audit_log').execute()).rejects.toThrow(/read.?only/i)
    } finally {
      await reader.close()
    }
    expect((await verifyAudit(store.db)).entries).toBeGreaterThan(0)
  })

  it('Given a transaction whose signal is aborted half-way through a batch, then it stops at the next checkpoint and keeps nothing', async () => {
    const before = await verifyAudit(store.db)
    const ctl = new AbortController()
    await expect(
      store.transaction(
        async (trx) => {
          await writeAudit(trx, store.dialect, {
            actor: 't',
            command: 'test',
            entity: 'thing',
            action: 'create',
            summary: {code: 'laptopMoved', params: {from: 'received', to: 'first half'}},
          })
          ctl.abort()
          await checkpoint()
          throw new Error('not reached')
        },
        {signal: ctl.signal},
      ),
    ).rejects.toMatchObject({code: 'CANCELLED', exitCode: 130})
    // aborted after the last checkpoint: still rolled back before COMMIT
    const late = new AbortController()
    await expect(
      store.transaction(
        async (trx) => {
          await writeAudit(trx, store.dialect, {
            actor: 't',
            command: 'test',
            entity: 'thing',
            action: 'create',
            summary: {code: 'laptopMoved', params: {from: 'received', to: 'second'}},
          })
          late.abort()
        },
        {signal: late.signal},
      ),
    ).rejects.toMatchObject({code: 'CANCELLED'})
    expect((await verifyAudit(store.db)).entries).toBe(before.entries)
  })

  it('Given concurrent writers, then the audit chain stays linear', async () => {
    await store.db.deleteFrom('audit_log').execute()
    await Promise.all(
      Array.from({length: 20}, (_, i) =>
        store.transaction((trx) =>
          writeAudit(trx, store.dialect, {
            actor: 'tech',
            command: 'test',
            entity: 'x',
            action: 'a',
            summary: {code: 'laptopMoved', params: {from: 'received', to: `w${i}`}},
          }),
        ),
      ),
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
        for (let i = 0; i < 200; i++)
          await writer.transaction((trx) =>
            writeAudit(trx, 'sqlite', {
              actor: 'a',
              command: 'c',
              entity: 'e',
              action: 'x',
              summary: {code: 'laptopMoved', params: {from: 'received', to: String(i)}},
            }),
          )
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

describe('store concurrency and safety', () => {
  it.each(DIALECTS)('Given transactions started one after another on %s, then each waits its turn instead of failing', async (dialect) => {
    const s = await storeFor(dialect)
    try {
      const started = Array.from(
        {length: 4},
        (_, i) =>
          new Promise<string>((res, rej) =>
            setTimeout(() => {
              s.store
                .transaction(async (trx) => {
                  await new Promise((r) => setTimeout(r, 20))
                  await writeAudit(trx, s.store.dialect, {
                    actor: 'a',
                    command: 'c',
                    entity: 'e',
                    action: 'x',
                    summary: {code: 'laptopMoved', params: {from: 'received', to: String(i)}},
                  })
                  return 'ok'
                })
                .then(res, rej)
            }, i * 5),
          ),
      )
      expect(await Promise.all(started)).toEqual(['ok', 'ok', 'ok', 'ok'])
      expect(await verifyAudit(s.store.db)).toMatchObject({ok: true, entries: 4})
    } finally {
      await s.cleanup()
    }
  })

  it.each(DIALECTS)(
    'Given store.db used inside a transaction on %s, then it is refused instead of hanging or escaping',
    async (dialect) => {
      const s = await storeFor(dialect)
      try {
        await expect(s.store.transaction(async () => s.store.db.selectFrom('audit_log').selectAll().execute())).rejects.toMatchObject({
          code: 'BUG',
        })
      } finally {
        await s.cleanup()
      }
    },
  )

  it('Given entries cut from the end of the journal, then verify reports it', async () => {
    const s = await sqliteStore()
    try {
      for (let i = 0; i < 4; i++)
        await s.store.transaction((trx) =>
          writeAudit(trx, 'sqlite', {
            actor: 'a',
            command: 'c',
            entity: 'e',
            action: 'x',
            summary: {code: 'laptopMoved', params: {from: 'received', to: String(i)}},
          }),
        )
      await s.store.db.deleteFrom('audit_log').where('seq', '>', 2).execute()
      const r = await verifyAudit(s.store.db)
      expect(r.ok).toBe(false)
      expect(r.problems).toContainEqual(expect.objectContaining({problem: 'head_mismatch'}))
    } finally {
      await s.cleanup()
    }
  })

  it('Given four processes opening a fresh SQLite file at once, then the migrations are applied once without error', async () => {
    const dir = tempDir()
    const file = join(dir.path, 'race.sqlite')
    // All children load first, then open the file at the same instant.
    const startAt = Date.now() + 6000
    const script = `import {openStore} from ${JSON.stringify(join(REPO_ROOT, 'src/store/db.ts'))}; await new Promise((r) => setTimeout(r, ${startAt} - Date.now())); const s = await openStore({url: ${JSON.stringify(file)}}); await s.close()`
    try {
      const runs = await Promise.all(
        [0, 1, 2, 3].map(
          () =>
            new Promise<{code: number | null; stderr: string}>((res) => {
              const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {cwd: REPO_ROOT})
              let stderr = ''
              child.stderr.on('data', (d) => (stderr += d))
              child.on('close', (code) => res({code, stderr}))
            }),
        ),
      )
      for (const r of runs) expect(r, r.stderr).toMatchObject({code: 0})
      expect((await storeStatus({url: file})).pending).toBe(0)
    } finally {
      dir.cleanup()
    }
  })

  it('Given a missing store file, then read-only uses refuse it instead of creating an empty one', async () => {
    const dir = tempDir()
    try {
      await expect(storeStatus({url: join(dir.path, 'typo.sqlite')})).rejects.toMatchObject({code: 'STORE_NOT_FOUND'})
      await expect(backupStore({url: join(dir.path, 'typo.sqlite'), output: join(dir.path, 'b.sqlite')})).rejects.toMatchObject({
        code: 'STORE_NOT_FOUND',
      })
      expect(existsSync(join(dir.path, 'typo.sqlite'))).toBe(false)
    } finally {
      dir.cleanup()
    }
  })

  it('Given a PostgreSQL store with a password in its URL, when backed up with pg_dump, then the copy is 0600 and the password is in no error', async () => {
    const s = await postgresStore()
    const dir = tempDir()
    try {
      await s.store.transaction((trx) =>
        writeAudit(trx, 'postgres', {
          actor: 'a',
          command: 'c',
          entity: 'e',
          action: 'x',
          summary: {code: 'laptopMoved', params: {from: 'received', to: 'one'}},
        }),
      )
      const out = join(dir.path, 'pg.dump')
      const r = await backupStore({url: s.url, output: out})
      expect(r.bytes).toBeGreaterThan(0)
      expect(statSync(out).mode & 0o777).toBe(0o600)
      const restoredList = execFileSync('pg_restore', ['--list', out]).toString()
      expect(restoredList).toContain('audit_log')
      // a failing dump (wrong database) leaves no file and shows no password
      const bad = s.url.replace(/\/[^/]*$/, '/no_such_db')
      const err = await backupStore({url: bad, output: join(dir.path, 'bad.dump')}).catch((e) => e)
      expect(JSON.stringify({message: err.message, data: err.data})).not.toContain(':alpi_test@')
      expect(readdirSync(dir.path)).toEqual(['pg.dump'])
    } finally {
      dir.cleanup()
      await s.cleanup()
    }
  })
})
