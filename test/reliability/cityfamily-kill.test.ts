import {readdirSync, statSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../helpers/cli.js'
import {tempDir} from '../helpers/context.js'
import {snapshotFolder, startAlpi} from '../helpers/output-folder.js'

// Issue 10 items 2, 4 and 5: kill -9 at random points of a large cityfamily migrate, repeated.
// Each time the output folder is either the previous output or the new complete one (never a
// mix, never a short file), no temporary with personal data sits in it, and the next run
// removes what the killed runs left beside it.
const tmp = tempDir('alpi-cf-kill-')
const db = join(tmp.path, 'alpi.sqlite')
const env = {ALPI_NOW: '2026-01-15T10:00:00Z'}
const run = (args: string[]) => runAlpi([...args, '--db', db], {env, timeoutMs: 300_000})
const BIG = join(tmp.path, 'big')
const OUT = join(tmp.path, 'cf')
const KILLS = 10

// The two complete outputs: without health data (A) and with it (B, which has cf_sante.csv).
const variants = {A: [] as string[], B: ['--include-health']}
const complete: Record<string, Record<string, string>> = {}
let fullRunMs = 0

beforeAll(async () => {
  expect((await run(['cityfamily', 'sample', '--families', '4000', '--seed', '7', '--out', BIG])).code).toBe(0)
  const t0 = Date.now()
  expect((await run(['cityfamily', 'migrate', BIG, '--out', OUT, ...variants.B])).code).toBe(3)
  fullRunMs = Date.now() - t0
  complete.B = snapshotFolder(OUT)!
  expect((await run(['cityfamily', 'migrate', BIG, '--out', OUT, ...variants.A])).code).toBe(3)
  complete.A = snapshotFolder(OUT)!
  expect(Object.keys(complete.B)).toContain('cf_sante.csv')
  expect(Object.keys(complete.A)).not.toContain('cf_sante.csv')
}, 600_000)
afterAll(() => tmp.cleanup())

const leftovers = () => readdirSync(tmp.path).filter((n) => n.startsWith('.cf.alpi-'))

describe('cityfamily migrate killed with SIGKILL (real kill -9, repeated)', () => {
  it('Given a run killed while its writers hold temporaries, Then they are inside its private folder, not in the output folder, and the next run removes them', async () => {
    const before = snapshotFolder(OUT)
    const p = startAlpi(['cityfamily', 'migrate', BIG, '--out', OUT, ...variants.B, '--db', db], env)
    // Wait until a writer's temporary (.cf_*.csv.PID.*.tmp, personal data) exists, then kill -9.
    let staged: string | undefined
    for (let i = 0; i < 600 && !staged; i++) {
      await new Promise((r) => setTimeout(r, 50))
      staged = leftovers().find((n) => readdirSync(join(tmp.path, n)).some((f) => /^\.cf_.*\.tmp$/.test(f)))
    }
    p.child.kill('SIGKILL')
    expect((await p.done).signal).toBe('SIGKILL')
    expect(staged, 'the run never staged its files').toBeDefined()
    expect(statSync(join(tmp.path, staged!)).mode & 0o777).toBe(0o700)
    expect(snapshotFolder(OUT)).toEqual(before)
    // The next run that writes this output removes what the killed one left, then writes whole.
    expect((await run(['cityfamily', 'migrate', BIG, '--out', OUT, ...variants.A])).code).toBe(3)
    expect(leftovers()).toEqual([])
    expect(snapshotFolder(OUT)).toEqual(complete.A)
  }, 600_000)

  it(`Given a complete output, When ${KILLS} runs are killed at random points, Then the folder is each time the old output or the new complete one`, async () => {
    let current: 'A' | 'B' = 'A'
    const seen = {old: 0, new: 0}
    for (let i = 0; i < KILLS; i++) {
      const next: 'A' | 'B' = current === 'A' ? 'B' : 'A'
      const delay = Math.floor(200 + Math.random() * fullRunMs * 1.1)
      const p = startAlpi(['cityfamily', 'migrate', BIG, '--out', OUT, ...variants[next], '--db', db], env)
      await new Promise((r) => setTimeout(r, delay))
      p.child.kill('SIGKILL')
      await p.done
      const now = snapshotFolder(OUT)
      const state =
        JSON.stringify(now) === JSON.stringify(complete[current])
          ? 'old'
          : JSON.stringify(now) === JSON.stringify(complete[next])
            ? 'new'
            : 'neither'
      expect(state, `kill ${i} after ${delay} ms (full run ${fullRunMs} ms): ${JSON.stringify(Object.keys(now ?? {}))}`).not.toBe('neither')
      seen[state as 'old' | 'new']++
      if (state === 'new') current = next
      // Nothing half-written in the folder: no writer's temporary (personal data) under it.
      expect(Object.keys(now!).filter((n) => n.startsWith('.'))).toEqual([])
      // What a killed run leaves beside it is private (0700) until the next run removes it.
      for (const n of leftovers()) expect(statSync(join(tmp.path, n)).mode & 0o777).toBe(0o700)
    }
    expect(seen.old + seen.new).toBe(KILLS)

    // The next run removes the leftovers of the killed runs and writes its output whole.
    const next: 'A' | 'B' = current === 'A' ? 'B' : 'A'
    expect((await run(['cityfamily', 'migrate', BIG, '--out', OUT, ...variants[next]])).code).toBe(3)
    expect(leftovers()).toEqual([])
    expect(snapshotFolder(OUT)).toEqual(complete[next])
  }, 600_000)
})
