import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../helpers/cli.js'
import {DIALECTS} from '../helpers/context.js'
import {holdWriterLock, laptopsCsv, scalar, startAlpi, storeLocation} from './store-helpers.js'

/**
 * Item 12: readers are never blocked by a writer (read-only commands check the schema with a
 * SELECT and take no lock), and writers wait their turn with a message on stderr instead of
 * failing after 10 s; past the wait (ALPI_STORE_WAIT) they stop with a clear STORE_BUSY.
 * Real processes on a real SQLite file and a real PostgreSQL database.
 */
describe.each(DIALECTS)('readers and writers during a large import on %s (binary)', (dialect) => {
  let url: string
  let dir: string
  let cleanup: () => Promise<void>
  const rows = dialect === 'sqlite' ? 60_000 : 30_000

  beforeAll(async () => {
    ;({url, dir, cleanup} = await storeLocation(dialect))
    const first = await runAlpi(['laptops', 'import', laptopsCsv(join(dir, 'first.csv'), 5, 'F'), '--db', url])
    expect(first.code, first.stderr).toBe(0)
  })
  afterAll(async () => cleanup())

  it('Given a writer in the middle of its transaction, when read-only commands run meanwhile, then each succeeds (no STORE_BUSY) and sees the last committed state', async () => {
    // The writer is held open by the test (its uncommitted change renames every laptop's model), so the
    // readers certainly run while it writes, however fast or slow the machine is.
    const release = await holdWriterLock(dialect, url, "update laptops set model = 'UNCOMMITTED'")
    try {
      const readers = [
        ['laptops', 'status', '--db', url, '--json'],
        ['audit', 'verify', '--db', url, '--json'],
        ['db', 'status', '--db', url, '--json'],
        ['laptops', 'show', 'PFF000000X', '--db', url, '--json'],
      ]
      const results = await Promise.all(readers.map((args) => runAlpi(args, {env: {ALPI_STORE_WAIT: '1'}})))
      for (const r of results) {
        expect(r.code, r.stdout + r.stderr).toBe(0)
        expect(r.stdout + r.stderr).not.toContain('STORE_BUSY')
        expect(r.stderr).not.toContain('Waiting')
      }
      expect(results[0]!.json().result.total).toBe(5)
      expect(JSON.stringify(results[3]!.json().result)).not.toContain('UNCOMMITTED')
    } finally {
      await release()
    }
  }, 300_000)

  it('Given a large import in its transaction, when read-only commands run meanwhile, then they succeed and the import commits', async () => {
    const big = laptopsCsv(join(dir, 'big.csv'), rows, 'B')
    const writer = startAlpi(['laptops', 'import', big, '--db', url, '--verbose'])
    await writer.waitStderr(new RegExp(`${rows} accepted`))
    const results = await Promise.all(
      [
        ['laptops', 'status', '--db', url, '--json'],
        ['audit', 'verify', '--db', url, '--json'],
      ].map((args) => runAlpi(args)),
    )
    for (const r of results) expect(r.code, r.stdout + r.stderr).toBe(0)
    // before or after the commit, never in between
    expect([5, 5 + rows]).toContain(results[0]!.json().result.total)
    const w = await writer.done
    expect(w.code, w.stderr).toBe(0)
    expect(Number(await scalar(dialect, url, 'select count(*) as n from laptops'))).toBe(5 + rows)
  }, 300_000)

  it('Given a writer holding the store, when a second writer starts, then it says it waits on stderr and goes in after the first', async () => {
    const release = await holdWriterLock(dialect, url)
    const second = startAlpi(['laptops', 'import', laptopsCsv(join(dir, 'small.csv'), 3, 'D'), '--db', url, '--json'])
    try {
      await second.waitStderr(/Waiting for another alpi writing to the store \(up to 10 min, Ctrl-C to stop\)/)
    } finally {
      await release()
    }
    const s2 = await second.done
    expect(s2.code, s2.stderr).toBe(0)
    expect(JSON.parse(s2.stdout).result).toMatchObject({inserted: 3})
    const verify = await runAlpi(['audit', 'verify', '--db', url, '--json'])
    expect(verify.code).toBe(0)
    const last = await runAlpi(['audit', 'list', '--db', url, '--limit', '1', '--json'])
    expect(last.json().result[0].summary).toContain('small.csv')
  }, 300_000)

  it('Given a writer holding the store longer than ALPI_STORE_WAIT, then the waiting writer stops with a clear STORE_BUSY and changes nothing', async () => {
    // The other writer is held open by the test itself, so the 1 s wait can never race the end
    // of a real import on a loaded machine (it did in CI).
    const before = Number(await scalar(dialect, url, 'select count(*) as n from laptops'))
    const release = await holdWriterLock(dialect, url)
    let second
    try {
      second = await runAlpi(['laptops', 'import', laptopsCsv(join(dir, 'small2.csv'), 3, 'G'), '--db', url, '--json'], {
        env: {ALPI_STORE_WAIT: '1'},
      })
    } finally {
      await release()
    }
    expect(second.code, second.stderr).toBe(1)
    expect(second.json()).toMatchObject({code: 'STORE_BUSY', name: 'StoreError'})
    expect(second.json().message).toMatch(/held the store for writing for more than 1 s: gave up waiting, nothing was changed/)
    expect(second.json().actions.join(' ')).toContain('ALPI_STORE_WAIT')
    expect(second.stderr).toContain('Waiting for another alpi')
    expect(Number(await scalar(dialect, url, 'select count(*) as n from laptops'))).toBe(before)
    expect(Number(await scalar(dialect, url, "select count(*) as n from laptops where serial like 'PFG%'"))).toBe(0)
    // once the lock is free, the same import goes in
    const again = await runAlpi(['laptops', 'import', join(dir, 'small2.csv'), '--db', url, '--json'], {env: {ALPI_STORE_WAIT: '1'}})
    expect(again.code, again.stderr).toBe(0)
    expect(Number(await scalar(dialect, url, "select count(*) as n from laptops where serial like 'PFG%'"))).toBe(3)
  }, 300_000)
})
