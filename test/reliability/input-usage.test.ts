import {existsSync, readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {openStore} from '../../src/store/db.js'
import {runAlpi} from '../helpers/cli.js'
import {tempDir} from '../helpers/context.js'
import {stagedFleet} from '../fixtures/win7/pipeline.js'

/**
 * Issue 10 item 17: a bad flag value is a usage error (exit 2) whose message names the flag,
 * for every command that takes an integer, a date, a duration or one line of free text: `--count abc`, `--days -1`,
 * `--limit 0` were exit 1, `--from 2026-02-30` was moved to March, `--older-than 99999999y`
 * crashed with BUG. Through the built binary; nothing is created (not even the store).
 */

type Case = [command: string, argv: string[], flag: string]

const INTEGERS: Case[] = [
  ['laptops allocate', ['laptops', 'allocate', '--site', 'S', '--count', 'abc'], '--count'],
  ['laptops allocate', ['laptops', 'allocate', '--site', 'S', '--count', '0'], '--count'],
  ['laptops allocate', ['laptops', 'allocate', '--site', 'S', '--count', '1.5'], '--count'],
  ['laptops status', ['laptops', 'status', '--days', '-1'], '--days'],
  ['laptops status', ['laptops', 'status', '--days', '99999999999999999999'], '--days'],
  ['laptops status', ['laptops', 'status', '--days', '36501'], '--days'],
  ['laptops wipe', ['laptops', 'wipe', '--device', '/dev/null', '--jobs', '0'], '--jobs'],
  ['laptops wipe', ['laptops', 'wipe', '--device', '/dev/null', '--jobs', 'x'], '--jobs'],
  [
    'laptops multicast send',
    ['laptops', 'multicast', 'send', '--image', 'g', '--interface', 'lo', '--min-receivers', '0'],
    '--min-receivers',
  ],
  [
    'laptops multicast send',
    ['laptops', 'multicast', 'send', '--image', 'g', '--interface', 'lo', '--min-receivers', '2', '--max-wait', 'soon'],
    '--max-wait',
  ],
  [
    'laptops multicast send',
    ['laptops', 'multicast', 'send', '--image', 'g', '--interface', 'lo', '--min-receivers', '2', '--portbase', '80'],
    '--portbase',
  ],
  [
    'laptops multicast receive',
    ['laptops', 'multicast', 'receive', '--image', 'g', '--device', '/dev/null', '--interface', 'lo', '--portbase', '70000'],
    '--portbase',
  ],
  [
    'laptops multicast receive',
    ['laptops', 'multicast', 'receive', '--image', 'g', '--device', '/dev/null', '--interface', 'lo', '--start-timeout', '-5'],
    '--start-timeout',
  ],
  ['audit list', ['audit', 'list', '--limit', '0'], '--limit'],
  ['win7 schedule', ['win7', 'schedule', '--from', '2026-04-07', '--per-day', '0'], '--per-day'],
  ['win7 status', ['win7', 'status', '--stuck-days', '-1'], '--stuck-days'],
  ['hosts trust', ['hosts', 'trust', 'box.example', '--port', '70000'], '--port'],
  ['hosts trust', ['hosts', 'trust', 'box.example', '--timeout', '0'], '--timeout'],
  ['hosts forget', ['hosts', 'forget', 'box.example', '--port', 'ssh'], '--port'],
  ['firewalls deploy', ['firewalls', 'deploy', '--concurrency', '0'], '--concurrency'],
  ['firewalls deploy', ['firewalls', 'deploy', '--retries', '11'], '--retries'],
  ['firewalls lists update', ['firewalls', 'lists', 'update', '--from', 'x', '--concurrency', 'abc'], '--concurrency'],
  ['firewalls verify', ['firewalls', 'verify', '--concurrency', '201'], '--concurrency'],
  ['cityfamily sample', ['cityfamily', 'sample', '--out', 'x', '--families', '0'], '--families'],
  ['cityfamily sample', ['cityfamily', 'sample', '--out', 'x', '--seed', '-1'], '--seed'],
]

const DATES: Case[] = [
  ['win7 schedule', ['win7', 'schedule', '--from', '2026-02-30', '--per-day', '3'], '--from'],
  ['win7 schedule', ['win7', 'schedule', '--from', '07/04/2026', '--per-day', '3'], '--from'],
  ['win7 order', ['win7', 'order', '--member', 'm', '--date', '2026-02-29'], '--date'],
  ['win7 order', ['win7', 'order', '--member', 'm', '--date', '2026-13-01'], '--date'],
  ['audit list', ['audit', 'list', '--since', '2026-04-31'], '--since'],
  ['audit list', ['audit', 'list', '--since', 'yesterday'], '--since'],
]

const TEXTS: Case[] = [
  ['laptops return', ['laptops', 'return', 'PF1', '--reason', 'écran\ncassé'], '--reason'],
  ['laptops return', ['laptops', 'return', 'PF1', '--reason', 'x'.repeat(501)], '--reason'],
  ['win7 receive', ['win7', 'receive', 'NEW-1', '--replaces', 'OLD-1', '--maker', 'Dell\u0007'], '--maker'],
  ['win7 receive', ['win7', 'receive', 'NEW-1', '--replaces', 'OLD-1', '--model', 'Opti\tPlex'], '--model'],
]

const DURATIONS: Case[] = [
  ['laptops beneficiaries purge', ['laptops', 'beneficiaries', 'purge', '--older-than', '99999999y', '--yes'], '--older-than'],
  ['laptops beneficiaries purge', ['laptops', 'beneficiaries', 'purge', '--older-than', '0', '--yes'], '--older-than'],
  ['laptops beneficiaries purge', ['laptops', 'beneficiaries', 'purge', '--older-than', '3 years', '--yes'], '--older-than'],
  ['audit list', ['audit', 'list', '--since', '9999999d'], '--since'],
]

describe('bad flag values are usage errors (exit 2) naming the flag', {timeout: 300_000}, () => {
  const dir = tempDir('alpi-rel-usage-')
  afterAll(() => dir.cleanup())

  it.each([...INTEGERS, ...DATES, ...DURATIONS, ...TEXTS])(
    '%s %j: exit 2 naming %s, --json envelope USAGE, nothing created',
    async (_cmd, argv, flag) => {
      const db = join(dir.path, 'never.sqlite')
      const r = await runAlpi([...argv, '--json'], {env: {ALPI_DB: db}, cwd: dir.path})
      expect(r.code, r.stderr).toBe(2)
      const e = r.json()
      expect(e).toMatchObject({status: 2, name: 'UsageError', code: 'USAGE'})
      expect(e.message.startsWith(`${flag}:`), e.message).toBe(true)
      expect(e.message).not.toMatch(/Parsing --|See more help/)
      expect(e.actions.join(' ')).toContain('--help')
      expect(r.stderr).not.toMatch(/\bat .+:\d+:\d+/)
      expect(existsSync(db)).toBe(false)
    },
  )

  it('the human view: one line naming the flag on stderr, nothing on stdout, in French with --lang fr', async () => {
    const env = {ALPI_DB: join(dir.path, 'never.sqlite')}
    const en = await runAlpi(['win7', 'schedule', '--from', '2026-02-30', '--per-day', '3'], {env, cwd: dir.path})
    expect(en.code).toBe(2)
    expect(en.stdout).toBe('')
    expect(en.stderr).toMatch(/^Error \[USAGE\]: --from: 2026-02-30 is not a day of the calendar\n/)
    const fr = await runAlpi(['laptops', 'allocate', '--site', 'S', '--count', 'abc', '--lang', 'fr'], {env, cwd: dir.path})
    expect(fr.code).toBe(2)
    expect(fr.stderr).toMatch(/^Erreur \[USAGE\]: --count : « abc » n'est pas un nombre entier\n/)
  })

  it("oclif's own refusals (an unknown option value) are exit 2 too", async () => {
    const r = await runAlpi(['laptops', 'status', '--lang', 'de', '--json'], {
      env: {ALPI_DB: join(dir.path, 'never.sqlite')},
      cwd: dir.path,
    })
    expect(r.code).toBe(2)
    expect(r.json()).toMatchObject({status: 2, code: 'USAGE'})
  })

  it('good values still pass: a leap day, a 3-year duration, a date-time with its zone', async () => {
    const db = join(dir.path, 'good.sqlite')
    const purge = await runAlpi(['laptops', 'beneficiaries', 'purge', '--older-than', '3y', '--yes', '--json'], {
      env: {ALPI_DB: db},
      cwd: dir.path,
    })
    expect(purge.code, purge.stderr).toBe(0)
    expect(purge.json().result.olderThanDays).toBe(1095)
    const audit = await runAlpi(['audit', 'list', '--since', '2028-02-29T08:00:00+01:00', '--json'], {env: {ALPI_DB: db}, cwd: dir.path})
    expect(audit.code, audit.stderr).toBe(0)
  })
})

describe('win7 schedule --out-dir that does not exist yet', {timeout: 120_000}, () => {
  const dir = tempDir('alpi-rel-outdir-')
  afterAll(() => dir.cleanup())

  it('Given a missing nested folder, When scheduling, Then it is created (0755, the planning holds no personal data) and holds the ICS and CSV', async () => {
    const db = join(dir.path, 'alpi.sqlite')
    const store = await openStore({url: db})
    try {
      await stagedFleet(
        store,
        dir.path,
        [{entity: 'Mairie de Pissos', commune: 'Pissos', prefix: 'PIS'}],
        ['win7Tower', 'win7Laptop'],
        'OD',
      )
    } finally {
      await store.close()
    }
    const out = join(dir.path, 'planning', 'avril')
    const r = await runAlpi(['win7', 'schedule', '--from', '2026-04-07', '--per-day', '2', '--out-dir', out, '--json'], {
      env: {ALPI_DB: db},
      cwd: dir.path,
    })
    expect(r.code, r.stderr).toBe(0)
    expect(readdirSync(out).sort()).toEqual(['planning-installations.csv', 'planning-installations.ics'])
    expect(statSync(out).mode & 0o777).toBe(0o755)
  })
})
