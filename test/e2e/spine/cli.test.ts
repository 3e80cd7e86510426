import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Database} from '../../../src/store/schema.js'
import {runAlpi} from '../../helpers/cli.js'
import {REPO_ROOT, tempDir} from '../../helpers/context.js'

// The binary as a process: exit codes, stdout versus stderr, --json envelopes, colour.
describe('alpi binary (spine)', () => {
  const dir = tempDir('alpi-e2e-spine-')
  const db = join(dir.path, 'alpi.sqlite')
  const env = {ALPI_DB: db, ALPI_CONFIG: join(dir.path, 'config.json'), XDG_DATA_HOME: join(dir.path, 'data')}
  beforeAll(async () => {
    expect((await runAlpi(['db', 'migrate'], {env})).code).toBe(0)
  })
  afterAll(() => dir.cleanup())

  it('prints its version and help on stdout with exit 0', async () => {
    const v = await runAlpi(['--version'], {env})
    expect(v.code).toBe(0)
    expect(v.stdout).toMatch(/^alpi\/\d+\.\d+\.\d+/)
    const h = await runAlpi(['--help'], {env})
    expect(h.code).toBe(0)
    for (const topic of ['laptops', 'firewalls', 'cityfamily', 'win7', 'db', 'audit', 'config', 'hosts']) expect(h.stdout).toContain(topic)
  })

  it('answers --version and the root help from build files exactly as oclif does', async () => {
    for (const args of [['--version'], ['--help'], ['help'], []]) {
      const fast = await runAlpi(args, {env})
      const slow = await runAlpi(args, {env: {...env, ALPI_NO_FAST_PATH: '1'}})
      expect(fast.code).toBe(0)
      expect(fast.stdout).toBe(slow.stdout)
    }
  })

  it('names the Node that runs it, not the one that built the help file', async () => {
    const {version} = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'))
    const line = `alpi/${version} ${process.platform}-${process.arch} node-${process.version}`
    expect((await runAlpi(['--version'], {env})).stdout).toBe(`${line}\n`)
    expect((await runAlpi(['--help'], {env})).stdout).toContain(`\n  ${line}\n`)
  })

  it('gives a --json success envelope with nothing else on stdout', async () => {
    const r = await runAlpi(['db', 'status', '--json'], {env})
    expect(r.code).toBe(0)
    const j = r.json()
    expect(j).toMatchObject({status: 0, warnings: []})
    expect(j.result.dialect).toBe('sqlite')
    expect(j.result.pending).toBe(0)
  })

  it('exits 2 on a usage error: message on stderr only, JSON envelope on stdout with --json', async () => {
    const human = await runAlpi(['db', 'backup'], {env})
    expect(human.code).toBe(2)
    expect(human.stdout).toBe('')
    expect(human.stderr).toMatch(/^Error \[USAGE\]: Missing required flag output\n/)
    const json = await runAlpi(['db', 'backup', '--json'], {env})
    expect(json.code).toBe(2)
    expect(json.json()).toMatchObject({status: 2, name: 'UsageError', code: 'USAGE', actions: expect.any(Array)})
    expect(json.stderr).toBe('')
  })

  it('colours errors on request but never with NO_COLOR', async () => {
    const coloured = await runAlpi(['db', 'backup'], {env: {...env, NO_COLOR: undefined, FORCE_COLOR: '1'}})
    expect(coloured.stderr).toContain('\u001B[')
    const plain = await runAlpi(['db', 'backup'], {env: {...env, NO_COLOR: '1', FORCE_COLOR: '1'}})
    expect(plain.stderr).not.toContain('\u001B[')
  })

  it('speaks French with LANG=fr_FR or --lang fr, English otherwise', async () => {
    expect((await runAlpi(['db', 'backup'], {env: {...env, LANG: 'fr_FR.UTF-8', LC_ALL: undefined}})).stderr).toMatch(/^Erreur \[USAGE\]/)
    expect((await runAlpi(['db', 'backup', '--lang', 'fr'], {env: {...env, LANG: 'C.UTF-8', LC_ALL: undefined}})).stderr).toMatch(
      /^Erreur \[USAGE\]/,
    )
    expect((await runAlpi(['db', 'backup'], {env: {...env, LANG: 'C.UTF-8', LC_ALL: undefined}})).stderr).toMatch(/^Error \[USAGE\]/)
  })

  it('keeps settings in the XDG config file and refuses unknown keys', async () => {
    expect((await runAlpi(['config', 'set', 'technician', 'Tech Atelier'], {env})).code).toBe(0)
    const got = await runAlpi(['config', 'get', 'technician', '--json'], {env})
    expect(got.json().result.value).toBe('Tech Atelier')
    const bad = await runAlpi(['config', 'set', 'colour', 'blue'], {env})
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('colour')
  })

  it('detects an audit entry edited in the database (exit 1, AUDIT_TAMPERED)', async () => {
    // Write a few entries directly through the audit writer (the store the binary uses)
    const sqlite = new BetterSqlite3(db)
    const {writeAudit} = await import('../../../src/audit/journal.js')
    const {Kysely, SqliteDialect} = await import('kysely')
    const k = new Kysely<Database>({dialect: new SqliteDialect({database: sqlite})})
    for (let i = 0; i < 3; i++)
      await k.transaction().execute((trx) =>
        writeAudit(trx, 'sqlite', {
          actor: 'tech',
          command: 'test',
          entity: 'laptop',
          entityId: `SN${i}`,
          action: 'update',
          summary: {code: 'laptopMoved', params: {from: 'received', to: `step ${i}`}},
        }),
      )
    await k.destroy()
    const ok = await runAlpi(['audit', 'verify', '--json'], {env})
    expect(ok.code).toBe(0)
    expect(ok.json().result).toMatchObject({ok: true, entries: 3})
    const list = await runAlpi(['audit', 'list', '--entity', 'laptop', '--json'], {env})
    expect(list.json().result).toHaveLength(3)

    const raw = new BetterSqlite3(db)
    raw.prepare("update audit_log set result = 'failed' where seq = 2").run()
    raw.close()
    const bad = await runAlpi(['audit', 'verify'], {env})
    expect(bad.code).toBe(1)
    expect(bad.stdout).toBe('')
    expect(bad.stderr).toContain('AUDIT_TAMPERED')
    expect(bad.stderr).toContain('entry 2')
  })
})
