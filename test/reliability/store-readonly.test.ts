import {execFileSync} from 'node:child_process'
import {copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {createHash} from 'node:crypto'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {runAlpi} from '../helpers/cli.js'
import {DIALECTS, tempDir} from '../helpers/context.js'
import {execSql, laptopsCsv, storeLocation} from './store-helpers.js'
import {MIGRATIONS} from '../../src/store/migrations/index.js'

/** The migrations this alpi knows: the schema number is their count. */
const KNOWN = Object.keys(MIGRATIONS).length
const LAST = Object.keys(MIGRATIONS).at(-1)!

/**
 * Item 13: a store on a read-only medium is read by read-only commands (a real read-only bind
 * mount: `mount --bind` then `mount -o remount,bind,ro`), including a WAL store closed cleanly
 * (no -wal/-shm, which SQLite cannot create there); writers fail with a typed error and change
 * nothing; a 0-byte file is never turned into a store by a read-only command; a store of a
 * newer schema says so (both languages) on SQLite and PostgreSQL.
 */
// Many runs of the binary per test: generous on a loaded two-core machine.
vi.setConfig({testTimeout: 240_000})

function digest(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [
        f,
        createHash('sha256')
          .update(readFileSync(join(dir, f)))
          .digest('hex'),
      ]),
  )
}

describe('an SQLite store on a read-only bind mount (binary)', () => {
  const dir = tempDir('alpi-rel-ro-')
  const src = join(dir.path, 'src')
  const mnt = join(dir.path, 'ro')
  const mounted: string[] = []
  const mountRo = (from: string, to: string) => {
    mkdirSync(to, {recursive: true})
    execFileSync('mount', ['--bind', from, to])
    mounted.push(to)
    execFileSync('mount', ['-o', 'remount,bind,ro', to])
  }

  beforeAll(async () => {
    mkdirSync(src)
    const imp = await runAlpi(['laptops', 'import', laptopsCsv(join(dir.path, 'lot.csv'), 20, 'R'), '--db', join(src, 'alpi.sqlite')])
    expect(imp.code, imp.stderr).toBe(0)
    // closed cleanly: a WAL store without its -wal and -shm files
    expect(readdirSync(src)).toEqual(['alpi.sqlite'])
    expect(new Database(join(src, 'alpi.sqlite'), {readonly: true}).pragma('journal_mode', {simple: true})).toBe('wal')
    mountRo(src, mnt)
    expect(() => writeFileSync(join(mnt, 'probe'), 'x')).toThrow(/EROFS/)
  })
  afterAll(() => {
    for (const m of mounted.reverse()) execFileSync('umount', [m])
    dir.cleanup()
  })

  it('Given a WAL store closed cleanly on a read-only mount, then every read-only command reads it and nothing is written', async () => {
    const db = join(mnt, 'alpi.sqlite')
    const before = digest(src)
    const status = await runAlpi(['laptops', 'status', '--db', db, '--json'])
    expect(status.code, status.stdout + status.stderr).toBe(0)
    expect(status.json().result.total).toBe(20)
    const show = await runAlpi(['laptops', 'show', 'PFR000003X', '--db', db, '--json'])
    expect(show.code, show.stdout).toBe(0)
    expect(show.json().result.laptop.serial).toBe('PFR000003X')
    const verify = await runAlpi(['audit', 'verify', '--db', db])
    expect(verify.code, verify.stderr).toBe(0)
    expect(verify.stdout).toContain('Audit journal intact: 1 entries.')
    const dbStatus = await runAlpi(['db', 'status', '--db', db, '--json'])
    expect(dbStatus.code, dbStatus.stdout).toBe(0)
    expect(dbStatus.json().result).toMatchObject({pending: 0, tables: {laptops: 20}})
    const list = await runAlpi(['audit', 'list', '--db', db, '--json'])
    expect(list.code).toBe(0)
    // a backup to a writable place is a consistent store
    const copy = join(dir.path, 'copy.sqlite')
    const backup = await runAlpi(['db', 'backup', '--output', copy, '--db', db])
    expect(backup.code, backup.stderr).toBe(0)
    const copyVerify = await runAlpi(['audit', 'verify', '--db', copy, '--json'])
    expect(copyVerify.code, copyVerify.stdout).toBe(0)
    expect(copyVerify.json().result.entries).toBe(1)
    expect(digest(src)).toEqual(before)
  })

  it('Given the same read-only store, when a command that records something runs, then it fails with a typed error (no BUG, no stack) and nothing changes', async () => {
    const db = join(mnt, 'alpi.sqlite')
    const before = digest(src)
    const imp = await runAlpi(['laptops', 'import', laptopsCsv(join(dir.path, 'more.csv'), 2, 'W'), '--db', db, '--json'])
    expect(imp.code, imp.stdout).toBe(1)
    const e = imp.json()
    expect(e.name).toBe('StoreError')
    expect(e.code).toMatch(/^STORE_READONLY$/)
    expect(imp.stderr).toBe('')
    const human = await runAlpi(['laptops', 'import', join(dir.path, 'more.csv'), '--db', db])
    expect(human.code).toBe(1)
    expect(human.stderr).toMatch(/Error \[STORE_READONLY\]/)
    expect(human.stderr).not.toMatch(/BUG| {4}at /)
    expect(digest(src)).toEqual(before)
  })

  it('Given a snapshot with its -wal and -shm files (not closed cleanly), then read-only commands read it in place, committed WAL content included', async () => {
    const live = join(dir.path, 'live')
    mkdirSync(live)
    copyFileSync(join(src, 'alpi.sqlite'), join(live, 'alpi.sqlite'))
    const writer = new Database(join(live, 'alpi.sqlite'))
    writer.pragma('wal_autocheckpoint = 0')
    writer.prepare("update laptops set notes = 'from the wal' where serial = 'PFR000001X'").run()
    const snap = join(dir.path, 'snap')
    mkdirSync(snap)
    for (const f of ['alpi.sqlite', 'alpi.sqlite-wal', 'alpi.sqlite-shm']) copyFileSync(join(live, f), join(snap, f))
    writer.close()
    expect(statSync(join(snap, 'alpi.sqlite-wal')).size).toBeGreaterThan(0)
    mountRo(snap, join(dir.path, 'snap-ro'))
    const show = await runAlpi(['laptops', 'show', 'PFR000001X', '--db', join(dir.path, 'snap-ro', 'alpi.sqlite'), '--json'])
    expect(show.code, show.stdout + show.stderr).toBe(0)
    expect(show.json().result.laptop.notes).toBe('from the wal')
  })

  it('Given a -wal file left without its -shm on a read-only mount, then a read-only command says it cannot be read safely there (typed, no BUG)', async () => {
    const half = join(dir.path, 'half')
    mkdirSync(half)
    copyFileSync(join(dir.path, 'snap', 'alpi.sqlite'), join(half, 'alpi.sqlite'))
    copyFileSync(join(dir.path, 'snap', 'alpi.sqlite-wal'), join(half, 'alpi.sqlite-wal'))
    mountRo(half, join(dir.path, 'half-ro'))
    const r = await runAlpi(['laptops', 'status', '--db', join(dir.path, 'half-ro', 'alpi.sqlite'), '--json'])
    expect(r.code).toBe(1)
    expect(r.json()).toMatchObject({name: 'StoreError', code: 'STORE_READONLY'})
    expect(r.json().message).toContain('read-only medium and was not closed cleanly')
    expect(r.json().actions[0]).toContain('Copy the store with its -wal file')
  })

  it('Given a 0-byte file (on a read-only mount or not), then a read-only command refuses it and leaves it 0 bytes, with no -wal/-shm', async () => {
    const plain = join(dir.path, 'empty')
    mkdirSync(plain)
    writeFileSync(join(plain, 'empty.sqlite'), '')
    for (const db of [join(plain, 'empty.sqlite')]) {
      for (const cmd of [
        ['laptops', 'status'],
        ['audit', 'verify'],
        ['db', 'status'],
      ]) {
        const r = await runAlpi([...cmd, '--db', db, '--json'])
        expect(r.code, r.stdout).toBe(1)
        expect(r.json()).toMatchObject({code: 'STORE_EMPTY'})
        expect(r.json().message).toContain('is an empty file, not an alpi store')
        expect(statSync(db).size).toBe(0)
      }
    }
    expect(readdirSync(plain)).toEqual(['empty.sqlite'])
    mountRo(plain, join(dir.path, 'empty-ro'))
    const ro = await runAlpi(['laptops', 'status', '--db', join(dir.path, 'empty-ro', 'empty.sqlite'), '--json'])
    expect(ro.json()).toMatchObject({code: 'STORE_EMPTY'})
    // a command that records something may start a store in it (the user asked for that file)
    const w = await runAlpi(['db', 'migrate', '--db', join(plain, 'empty.sqlite')])
    expect(w.code, w.stderr).toBe(0)
    expect(statSync(join(plain, 'empty.sqlite')).size).toBeGreaterThan(0)
  })
})

describe.each(DIALECTS)('a store written by a newer alpi on %s (binary)', (dialect) => {
  let url: string
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    let dir: string
    ;({url, dir, cleanup} = await storeLocation(dialect))
    const imp = await runAlpi(['laptops', 'import', laptopsCsv(join(dir, 'lot.csv'), 4, 'N'), '--db', url])
    expect(imp.code, imp.stderr).toBe(0)
    await execSql(dialect, url, "insert into alpi_migrations (name, timestamp) values ('0099_future', '2027-01-01T00:00:00.000Z')")
  })
  afterAll(async () => cleanup())

  it('Given a store with a migration this alpi does not know, then readers and writers say to upgrade alpi (exit 1, en and fr) and change nothing', async () => {
    for (const args of [
      ['laptops', 'status'],
      ['audit', 'verify'],
      ['laptops', 'import', '-'],
      ['db', 'migrate'],
    ]) {
      const r = await runAlpi([...args, '--db', url, '--json'], {input: 'serial,maker,model,lot\nPFN999999X,Lenovo,L380,L1\n'})
      expect(r.code, `${args.join(' ')}: ${r.stdout}`).toBe(1)
      expect(r.json()).toMatchObject({
        name: 'StoreError',
        code: 'STORE_TOO_NEW',
        data: {schema: KNOWN + 1, known: KNOWN, unknownMigrations: ['0099_future']},
      })
      expect(r.json().message).toBe(
        `This store was written by a newer alpi (schema ${KNOWN + 1}; this alpi knows schema ${KNOWN}): upgrade alpi`,
      )
    }
    const fr = await runAlpi(['laptops', 'status', '--db', url, '--lang', 'fr'])
    expect(fr.code).toBe(1)
    expect(fr.stderr).toContain(
      `Cette base a été écrite par un alpi plus récent (schéma ${KNOWN + 1} ; cet alpi connaît le schéma ${KNOWN}) : mettez alpi à jour`,
    )
    expect(fr.stderr).not.toMatch(/signalez|report the error|BUG/)
    // db status still describes it, and nothing was imported
    const st = await runAlpi(['db', 'status', '--db', url, '--json'])
    expect(st.code, st.stdout).toBe(0)
    expect(st.json().result).toMatchObject({unknown: ['0099_future'], tables: {laptops: 4}})
  })

  it('Given a store at an older schema (a migration pending), then a read-only command says to migrate instead of migrating it', async () => {
    await execSql(dialect, url, `delete from alpi_migrations where name in ('0099_future', '${LAST}')`)
    const r = await runAlpi(['laptops', 'status', '--db', url, '--json'])
    expect(r.code, r.stdout).toBe(1)
    expect(r.json()).toMatchObject({name: 'StoreError', code: 'STORE_OUTDATED'})
    expect(r.json().message).toContain(`this alpi needs schema ${KNOWN}`)
    expect(r.json().actions[0]).toContain('alpi db migrate')
    const st = await runAlpi(['db', 'status', '--db', url, '--json'])
    expect(st.json().result.pending).toBe(1)
  })
})

describe('a PostgreSQL role that may only read (binary)', () => {
  let url: string
  let cleanup: () => Promise<void>
  const reader = `alpi_ro_${Date.now().toString(36)}`
  const psql = (q: string) =>
    execFileSync('runuser', ['-u', 'postgres', '--', 'psql', '-v', 'ON_ERROR_STOP=1', '-tAc', q], {stdio: 'pipe'}).toString()
  beforeAll(async () => {
    let dir: string
    ;({url, dir, cleanup} = await storeLocation('postgres'))
    const imp = await runAlpi(['laptops', 'import', laptopsCsv(join(dir, 'lot.csv'), 4, 'Q'), '--db', url])
    expect(imp.code, imp.stderr).toBe(0)
    const db = new URL(url).pathname.slice(1)
    psql(`create role ${reader} login password 'lecture'`)
    execFileSync(
      'runuser',
      ['-u', 'postgres', '--', 'psql', '-v', 'ON_ERROR_STOP=1', '-d', db, '-c', `grant select on all tables in schema public to ${reader}`],
      {stdio: 'pipe'},
    )
  })
  afterAll(async () => {
    await cleanup()
    psql(`drop role if exists ${reader}`)
  })

  it('Given a role with SELECT rights only, then read-only commands work (no lock, no migration) and a writer gets a typed refusal', async () => {
    const u = new URL(url)
    u.username = reader
    u.password = 'lecture'
    for (const args of [
      ['laptops', 'status'],
      ['audit', 'verify'],
      ['db', 'status'],
      ['audit', 'list'],
    ]) {
      const r = await runAlpi([...args, '--db', u.toString(), '--json'])
      expect(r.code, `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe(0)
    }
    const w = await runAlpi(['laptops', 'import', '-', '--db', u.toString(), '--json'], {
      input: 'serial,maker,model,lot\nPFQ999999X,Lenovo,L380,L1\n',
    })
    expect(w.code, w.stdout).toBe(1)
    expect(w.json()).toMatchObject({name: 'StoreError', code: 'STORE_ACCESS'})
  })
})
