import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../helpers/cli.js'
import {DIALECTS} from '../helpers/context.js'
import {laptopsCsv, scalar, startAlpi, storeLocation} from './store-helpers.js'

/**
 * Item 15 (Ctrl-C between validation and commit) and kill -9 at random points of a large
 * import, through the built binary on a real SQLite file and a real PostgreSQL database.
 * A Ctrl-C is honoured up to the commit: everything rolls back, exit 130 (Cancelled). A
 * kill -9 leaves either the whole batch (with its audit entry) or nothing of it.
 */
describe.each(DIALECTS)('an interrupted large import on %s (binary, real signals)', (dialect) => {
  let url: string
  let dir: string
  let cleanup: () => Promise<void>
  const count = async (table: string) => Number(await scalar(dialect, url, `select count(*) as n from ${table}`))

  beforeAll(async () => {
    const s = await storeLocation(dialect)
    ;({url, dir, cleanup} = s)
    // Given a store with a first batch already recorded
    const first = await runAlpi(['laptops', 'import', laptopsCsv(join(dir, 'first.csv'), 10, 'F'), '--db', url])
    expect(first.code, first.stderr).toBe(0)
  })
  afterAll(async () => cleanup())

  it('Given a large import past its validation, when Ctrl-C (SIGINT) arrives, then it rolls back and exits 130; the journal verifies', async () => {
    const big = laptopsCsv(join(dir, 'big.csv'), 30_000, 'S')
    const run = startAlpi(['laptops', 'import', big, '--db', url, '--verbose'])
    // The verbose line "N rows, N accepted" is printed once every row is validated, just
    // before the transaction: the signal lands between validation and commit.
    await run.waitStderr(/30000 accepted/)
    await new Promise((r) => setTimeout(r, 300))
    run.child.kill('SIGINT')
    const r = await run.done
    expect(r.code, r.stderr).toBe(130)
    expect(r.stderr).toContain('[CANCELLED]')
    expect(r.stderr).toContain('nothing of the change was kept')
    expect(r.stdout).toBe('')
    expect(await count('laptops')).toBe(10)
    expect(await count('audit_log')).toBe(1)
    const verify = await runAlpi(['audit', 'verify', '--db', url, '--json'])
    expect(verify.code, verify.stdout).toBe(0)
    expect(verify.json().result).toMatchObject({ok: true, entries: 1})

    // --json: the same cancellation as an envelope on stdout, exit 130
    const again = startAlpi(['laptops', 'import', big, '--db', url, '--verbose', '--json'])
    await again.waitStderr(/30000 accepted/)
    again.child.kill('SIGINT')
    const j = await again.done
    expect(j.code, j.stderr).toBe(130)
    expect(JSON.parse(j.stdout)).toMatchObject({status: 130, code: 'CANCELLED'})
    expect(await count('laptops')).toBe(10)
  }, 180_000)

  it('Given kill -9 at a random point of a large import, repeated 10 times, then each time the store is whole: all of a batch or none, and the journal verifies', async () => {
    const n = 15_000
    let expectedLaptops = await count('laptops')
    let expectedEntries = await count('audit_log')
    const outcomes: string[] = []
    // How long a whole import of that size takes on this machine now (it got faster with each
    // release and depends on the load): the kills are spread over that span, not over a fixed one
    // that a fast run would finish inside.
    const started = Date.now()
    const calibration = await runAlpi(['laptops', 'import', laptopsCsv(join(dir, 'kill-calibration.csv'), n, 'KC'), '--db', url])
    expect(calibration.code, calibration.stderr).toBe(0)
    const span = Date.now() - started
    expectedLaptops += n
    expectedEntries += 1
    for (let i = 0; i < 10; i++) {
      const file = laptopsCsv(join(dir, `kill-${i}.csv`), n, `K${i}`)
      const run = startAlpi(['laptops', 'import', file, '--db', url])
      // anywhere from the start-up through validation, the transaction and the commit
      const delay = 100 + Math.floor(Math.random() * span)
      const timer = setTimeout(() => run.child.kill('SIGKILL'), delay)
      const r = await run.done
      clearTimeout(timer)
      const laptops = await count('laptops')
      const entries = await count('audit_log')
      if (dialect === 'sqlite') expect(await scalar(dialect, url, 'pragma integrity_check')).toBe('ok')
      // no half batch: the rows and their audit entry went in together, or not at all
      if (laptops === expectedLaptops) expect(entries, `kill ${i} after ${delay} ms`).toBe(expectedEntries)
      else {
        expect(laptops, `kill ${i} after ${delay} ms`).toBe(expectedLaptops + n)
        expect(entries).toBe(expectedEntries + 1)
      }
      outcomes.push(`${delay}ms:${r.signal ?? r.code}:${laptops === expectedLaptops ? 'none' : 'all'}`)
      expectedLaptops = laptops
      expectedEntries = entries
      const verify = await runAlpi(['audit', 'verify', '--db', url, '--json'])
      expect(verify.code, `${outcomes.join(' ')}\n${verify.stdout}`).toBe(0)
      expect(verify.json().result.entries).toBe(entries)
    }
    // at least one kill landed before the commit (the point of the test)
    expect(
      outcomes.some((o) => o.includes('SIGKILL') && o.endsWith('none')),
      outcomes.join(' '),
    ).toBe(true)
  }, 600_000)
})
