import {execFileSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import {redactSecrets} from '../../src/core/redact.js'
import {runAlpi} from '../helpers/cli.js'
import {tempDir} from '../helpers/context.js'
import {laptopsCsv} from './store-helpers.js'

/**
 * Item 11: the password of a PostgreSQL URL never reaches a message, whatever it contains
 * (an unencoded `/`, `@`, `:`, `#`, `?`), through every path: alpi's own errors, the pg
 * driver's, --json envelopes, --verbose stacks, warnings, results. A real PostgreSQL role
 * with such a password, the real binary.
 */
// Many runs of the binary per test: generous on a loaded two-core machine.
vi.setConfig({testTimeout: 240_000})
const PASSWORD = 'Pa/ss@w:rd#1?x'
const FRAGMENTS = [PASSWORD, 'Pa/ss', 'ss@w', 'w:rd', 'rd#1', encodeURIComponent(PASSWORD)]

function psql(q: string): string {
  return execFileSync('runuser', ['-u', 'postgres', '--', 'psql', '-v', 'ON_ERROR_STOP=1', '-tAc', q], {stdio: 'pipe'}).toString().trim()
}

function expectNoSecret(text: string): void {
  for (const f of FRAGMENTS) expect(text, `"${f}" leaked`).not.toContain(f)
}

describe('secrets in store URLs (binary, real PostgreSQL)', () => {
  const role = `alpi_sec_${randomBytes(4).toString('hex')}`
  const dbName = `${role}_db`
  const dir = tempDir('alpi-rel-secrets-')
  const host = new URL(process.env.ALPI_TEST_PG_URL ?? 'postgres://x@127.0.0.1:5432/postgres')
  const url = (password: string, db = dbName, port = host.port || '5432') => `postgres://${role}:${password}@${host.hostname}:${port}/${db}`

  beforeAll(() => {
    psql(`create role ${role} login password '${PASSWORD}'`)
    psql(`create database ${dbName} owner ${role}`)
  })
  afterAll(() => {
    psql(`drop database if exists ${dbName} with (force)`)
    psql(`drop role if exists ${role}`)
    dir.cleanup()
  })

  it('Given the password typed unencoded in the URL, then alpi connects, and no output shows the password', async () => {
    const imp = await runAlpi([
      'laptops',
      'import',
      laptopsCsv(join(dir.path, 'lot.csv'), 3, 'P'),
      '--db',
      url(PASSWORD),
      '--json',
      '--verbose',
    ])
    expect(imp.code, imp.stderr).toBe(0)
    expectNoSecret(imp.stdout + imp.stderr)
    const st = await runAlpi(['db', 'status', '--db', url(PASSWORD), '--json'])
    expect(st.code, st.stdout).toBe(0)
    expect(st.json().result.location).toBe(`postgres://${role}:***@${host.hostname}:${host.port || '5432'}/${dbName}`)
    expectNoSecret(st.stdout + st.stderr)
    const cfg = await runAlpi(['config', 'path', '--db', url(PASSWORD), '--json'])
    expectNoSecret(cfg.stdout + cfg.stderr)
    expect(cfg.json().result.db).toContain(`${role}:***@`)
  })

  it.each([
    ['a database that does not exist', () => url(PASSWORD, 'no_such_db')],
    ['a wrong password with / and @', () => url('wr/ong@Pa/ss@w:rd#1?x')],
    ['a port where nothing listens', () => url(PASSWORD, dbName, '1')],
    ['the password as a query parameter', () => `postgres://${role}@${host.hostname}:1/${dbName}?password=${PASSWORD}`],
  ])('Given %s, then the error (human, --json, --verbose) shows no part of the password', async (_case, make) => {
    const u = make()
    for (const extra of [[], ['--json'], ['--verbose'], ['--lang', 'fr', '--verbose']]) {
      const r = await runAlpi(['laptops', 'status', '--db', u, ...extra])
      expect(r.code, r.stdout + r.stderr).toBe(1)
      expectNoSecret(r.stdout + r.stderr)
      expect(r.stdout + r.stderr).not.toContain('wr/ong')
      expect(r.stdout + r.stderr).not.toContain('[BUG]')
    }
    const backup = await runAlpi(['db', 'backup', '--output', join(dir.path, 'never.dump'), '--db', u, '--json'])
    expect(backup.code).toBe(1)
    expectNoSecret(backup.stdout + backup.stderr)
  })

  it('redacts the userinfo of any URL in any text, whatever it holds', () => {
    const cases: [string, string][] = [
      ['at postgres://alpi:Pa/ss@w:rd#1?x@db.alpi.local:5432/alpi failed', 'at postgres://alpi:***@db.alpi.local:5432/alpi failed'],
      ['"postgresql://u:p%40ss@h/db"', '"postgresql://u:***@h/db"'],
      ['postgres://u:secret@h/db?sslmode=require&password=other', 'postgres://u:***@h/db?sslmode=require&password=***'],
      ['two: postgres://a:b1@h1/x,postgres://c:d1@h2/y', 'two: postgres://a:***@h1/x,postgres://c:***@h2/y'],
      ['no password: postgres://alpi@h/db', 'no password: postgres://alpi@h/db'],
      ["libpq: host=h password='s e c' dbname=x", 'libpq: host=h password=*** dbname=x'],
      ['https://user:tok@example.org/path', 'https://user:***@example.org/path'],
    ]
    for (const [input, expected] of cases) expect(redactSecrets(input)).toBe(expected)
  })
})
