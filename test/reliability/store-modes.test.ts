import {chmodSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import {afterAll, describe, expect, it, vi} from 'vitest'
import {runAlpi} from '../helpers/cli.js'
import {tempDir} from '../helpers/context.js'
import {laptopsCsv} from './store-helpers.js'

/**
 * Item 10, store part: alpi never chmods a file it did not create. A path given as --db that
 * is not an alpi store is refused before anything touches it; an existing store keeps its mode
 * (a team shares one through its group); a new store is 0600 in a 0700 folder. File modes are
 * an SQLite matter: a PostgreSQL store has none (its access is the server's roles).
 */
// Many runs of the binary per test: generous on a loaded two-core machine.
vi.setConfig({testTimeout: 240_000})
describe('file modes of the SQLite store (binary)', () => {
  const dirs: {cleanup: () => void}[] = []
  afterAll(() => {
    for (const d of dirs) d.cleanup()
  })
  const dir = () => {
    const d = tempDir('alpi-rel-modes-')
    dirs.push(d)
    return d.path
  }
  const mode = (p: string) => statSync(p).mode & 0o777

  it('Given --db naming a text file (~/notes.txt), then every command refuses it before touching it: same mode, same bytes, no -wal/-shm', async () => {
    const home = dir()
    const notes = join(home, 'notes.txt')
    writeFileSync(notes, 'Appeler la mairie de Mimizan lundi.\n')
    chmodSync(notes, 0o644)
    const csv = laptopsCsv(join(home, 'lot.csv'), 2, 'M')
    for (const args of [
      ['laptops', 'import', csv],
      ['laptops', 'status'],
      ['db', 'migrate'],
      ['audit', 'verify'],
      ['db', 'status'],
    ]) {
      const r = await runAlpi([...args, '--db', notes, '--json'])
      expect(r.code, `${args.join(' ')}: ${r.stdout}`).toBe(1)
      expect(r.json()).toMatchObject({name: 'StoreError', code: 'STORE_NOT_SQLITE'})
      expect(r.json().message).toBe(`${notes} is not an SQLite file: it is not an alpi store, and it was left untouched`)
      expect(mode(notes)).toBe(0o644)
      expect(readFileSync(notes, 'utf8')).toBe('Appeler la mairie de Mimizan lundi.\n')
    }
    expect(readdirSync(home).sort()).toEqual(['lot.csv', 'notes.txt'])
  })

  it("Given --db naming another program's SQLite database, then a writer refuses it and adds no table", async () => {
    const d = dir()
    const other = join(d, 'photos.db')
    const db = new Database(other)
    db.exec('create table albums (id integer primary key, title text)')
    db.close()
    chmodSync(other, 0o664)
    const r = await runAlpi(['laptops', 'import', laptopsCsv(join(d, 'lot.csv'), 2, 'O'), '--db', other, '--json'])
    expect(r.code, r.stdout).toBe(1)
    expect(r.json()).toMatchObject({code: 'STORE_NOT_SQLITE'})
    expect(r.json().message).toContain('is an SQLite database of another program (no alpi tables)')
    const check = new Database(other, {readonly: true})
    expect(check.prepare("select name from sqlite_master where type = 'table'").all()).toEqual([{name: 'albums'}])
    check.close()
    expect(mode(other)).toBe(0o664)
  })

  it('Given a store shared by its group (0640, 0660), then reading and writing it keep its mode', async () => {
    const d = dir()
    const store = join(d, 'alpi.sqlite')
    const first = await runAlpi(['laptops', 'import', laptopsCsv(join(d, 'a.csv'), 3, 'G'), '--db', store])
    expect(first.code, first.stderr).toBe(0)
    for (const shared of [0o640, 0o660]) {
      chmodSync(store, shared)
      for (const args of [
        ['laptops', 'import', laptopsCsv(join(d, `b${shared}.csv`), 3, `H${shared}`)],
        ['laptops', 'status'],
        ['audit', 'verify'],
        ['db', 'migrate'],
        ['db', 'status'],
      ]) {
        const r = await runAlpi([...args, '--db', store])
        expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
        expect(mode(store), args.join(' ')).toBe(shared)
      }
    }
  })

  it('Given no store yet, when a command records something, then the new store is 0600 in a new 0700 folder', async () => {
    const d = dir()
    const store = join(d, 'nouveau', 'alpi.sqlite')
    const r = await runAlpi(['laptops', 'import', laptopsCsv(join(d, 'a.csv'), 1, 'N'), '--db', store])
    expect(r.code, r.stderr).toBe(0)
    expect(mode(store)).toBe(0o600)
    expect(mode(join(d, 'nouveau'))).toBe(0o700)
  })
})
