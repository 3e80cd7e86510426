import {existsSync, mkdirSync, readFileSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import {beforeAll, describe, expect, it} from 'vitest'
import {runDoctor, TOOLS} from '../../../src/tools/doctor.js'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'

// `alpi doctor` as a process. The tools are the machine's real ones; "missing" is made real by
// a PATH that holds links to some of them only (test/setup-machine.sh installs them all but
// nvme-cli and hdparm, which this machine has no disks for).
describe('alpi doctor', () => {
  const dir = tempDir('alpi-e2e-doctor-')
  const db = join(dir.path, 'alpi.sqlite')
  const bin = join(dir.path, 'bin')
  const absent = new Set(['hdparm', 'nvme', 'pg_dump'])
  const env = () => ({ALPI_DB: db, PATH: bin, LANG: 'C.UTF-8', LC_ALL: undefined})

  beforeAll(async () => {
    mkdirSync(bin)
    for (const {tool} of TOOLS) {
      if (absent.has(tool)) continue
      const found = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p))
      expect(found, `${tool} is installed by test/setup-machine.sh`).toBeDefined()
      symlinkSync(found!, join(bin, tool))
    }
    expect((await runAlpi(['db', 'migrate'], {env: {ALPI_DB: db}})).code).toBe(0)
  })

  it('lists every missing tool with its package in one apt-get line, exit 1; pg_dump is only a warning', async () => {
    const r = await runAlpi(['doctor'], {env: env()})
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^tool:hdparm\s+missing\s+not found\s+hdparm$/m)
    expect(r.stdout).toMatch(/^tool:nvme\s+missing\s+not found\s+nvme-cli$/m)
    expect(r.stdout).toMatch(/^tool:pg_dump\s+warning\s+not found\s+postgresql-client$/m)
    expect(r.stdout).toMatch(/^tool:zstd\s+ok\s+.*v\d+\.\d+/m)
    expect(r.stdout).toMatch(/^store\s+ok\s+.*schema (\d+)\/\1, writable$/m)
    expect(r.stderr).toContain('Error [NOT_READY]: This machine is not ready: 2 checks did not pass')
    expect(r.stderr).toContain('apt-get install hdparm nvme-cli')
  })

  it('gives the same report in the --json failure envelope', async () => {
    const r = await runAlpi(['doctor', '--json'], {env: env()})
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('')
    const j = r.json()
    expect(j).toMatchObject({status: 1, code: 'NOT_READY', data: {ok: false, install: ['hdparm', 'nvme-cli']}})
    expect(j.data.checks.find((c: {check: string}) => c.check === 'runtime')).toMatchObject({
      status: 'ok',
      detail: expect.stringContaining(process.version),
    })
  })

  it('passes with exit 0 for a campaign whose tools are all there, and says so in French', async () => {
    const r = await runAlpi(['doctor', '--campaign', 'firewalls', '--lang', 'fr'], {env: env()})
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^VÉRIFICATION\s+ÉTAT\s+CONSTAT/m)
    expect(r.stdout).toMatch(/^tool:dig\s+ok\s+DiG \d/m)
    expect(r.stdout).not.toMatch(/tool:hdparm/)
    expect(r.stdout).toContain('Prêt : toutes les vérifications sont passées.')
    const j = (await runAlpi(['doctor', '--campaign', 'cityfamily', '--json'], {env: env()})).json()
    expect(j).toMatchObject({status: 0, result: {ok: true, install: []}})
  })

  it('does not create a missing store, and says how one gets created', async () => {
    const r = await runAlpi(['doctor', '--campaign', 'cityfamily', '--db', join(dir.path, 'none.sqlite')], {env: env()})
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/none\.sqlite: not created yet/)
  })

  it("never changes another program's SQLite file: doctor and a writer refuse it, its journal mode stays", async () => {
    const foreign = join(dir.path, 'notes.sqlite')
    const raw = new BetterSqlite3(foreign)
    raw.exec('create table notes (id integer primary key, body text)')
    raw.close()
    // Byte 18 of an SQLite header: 1 = rollback journal, 2 = WAL.
    const journal = () => readFileSync(foreign)[18]
    expect(journal()).toBe(1)
    const report = await runDoctor({dbUrl: foreign, campaigns: ['cityfamily']})
    expect(report.checks.find((c) => c.check === 'store')).toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('notes.sqlite'),
    })
    const w = await runAlpi(['laptops', 'import', '-', '--db', foreign], {input: 'serial,maker,model,lot\nPF0FOREIGN1,Lenovo,L380,L1\n'})
    expect(w.code).toBe(1)
    expect(w.stderr).toContain('STORE_NOT_SQLITE')
    expect(journal()).toBe(1)
    expect(existsSync(`${foreign}-wal`)).toBe(false)
  })

  it('fails on a store written by a newer alpi, and on a clock stuck in 2000', async () => {
    const newer = join(dir.path, 'newer.sqlite')
    expect((await runAlpi(['db', 'migrate'], {env: {ALPI_DB: newer}})).code).toBe(0)
    const raw = new BetterSqlite3(newer)
    raw.prepare("insert into alpi_migrations (name, timestamp) values ('9999_future', '2030-01-01T00:00:00.000Z')").run()
    raw.close()
    const report = await runDoctor({dbUrl: newer, campaigns: ['cityfamily'], now: new Date('2000-01-01T08:00:00Z')})
    expect(report.ok).toBe(false)
    expect(report.checks.find((c) => c.check === 'store')).toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('upgrade alpi'),
    })
    expect(report.checks.find((c) => c.check === 'clock')).toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('the clock looks wrong'),
    })
  })
})
