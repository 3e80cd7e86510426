import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BenchStation, type StationOptions} from '../../../src/laptops/bench/station.js'
import {getJob} from '../../../src/laptops/bench/jobs.js'
import {getLaptop} from '../../../src/laptops/records.js'
import {DIALECTS, storeFor, tempDir, testContext} from '../../helpers/context.js'
import {snapshotWithDisk} from './flow.js'

// Given two bench stations on one store (a real SQLite file, a real PostgreSQL database) and
// probe snapshots in a folder, when both scan laptops, then an unknown laptop is recorded by
// its probe, the checklist and grade take one input each, a laptop held by one station is
// refused to the other in one line, and a failed check puts the laptop on hold (no wipe). The
// background wipe and reimage on loop devices are in test/e2e/laptops/bench-station.test.ts.
describe.each(DIALECTS)('bench station engine on %s', (dialect) => {
  let env: Awaited<ReturnType<typeof storeFor>>
  const dir = tempDir('alpi-bench-engine-')
  beforeAll(async () => {
    env = await storeFor(dialect)
    mkdirSync(join(dir.path, 'releves'))
    for (const s of ['EN-1', 'EN-2']) writeFileSync(join(dir.path, 'releves', `${s}.json`), JSON.stringify(snapshotWithDisk(`DISK-${s}`)))
  })
  afterAll(async () => {
    await env.cleanup()
    dir.cleanup()
  })

  function station(name: string) {
    const said: string[] = []
    const handled: Record<string, number> = {}
    // no bay holds these laptops' disks: the station must say so, never touch another device
    const opts: StationOptions = {
      station: name,
      image: 'golden',
      bays: [],
      probe: {kind: 'dir', dir: join(dir.path, 'releves')},
      outDir: dir.path,
      labels: {zpl: false, dir: dir.path},
    }
    const s = new BenchStation(testContext(env.store), opts, {
      say: (t) => said.push(t),
      changed: () => undefined,
      handled: (serial, n) => (handled[serial] = n),
    })
    return {s, said, handled}
  }

  it('identifies, probes, checks and grades; one station at a time per laptop; a failed check is on hold', async () => {
    const a = station('poste-a')
    const b = station('poste-b')
    await a.s.open()
    await b.s.open()
    await a.s.line('EN-1')
    expect((await getLaptop(env.store.db, 'EN-1')).state).toBe('received')
    expect(a.s.prompt()).toBe('EN-1 - 1/7 keyboard: Enter = OK, N = fails')
    // the other station scans the same laptop: refused in one line, it waits for the next scan
    await b.s.line('EN-1')
    expect(b.said).toEqual([expect.stringMatching(/^\[BENCH_CLAIMED\] Laptop EN-1 is being handled at station poste-a → /)])
    expect(b.s.prompt()).toBe('Scan a laptop (serial or asset tag)')
    for (const k of ['\r', '\r', '\r', '\r', '\r', '\r', '\r']) await a.s.key(k)
    expect(a.s.isKey('b')).toBe(true)
    await a.s.key('b')
    await a.s.idle()
    expect(a.handled).toEqual({'EN-1': 9})
    expect(await getLaptop(env.store.db, 'EN-1')).toMatchObject({state: 'diagnosed', grade: 'B', verdict: 'ready'})
    expect(await getJob(testContext(env.store), 'EN-1')).toMatchObject({
      station: 'poste-a',
      status: 'attention',
      error: 'its disk is in no free bay: put it in a bay, then scan the laptop again',
    })

    // a laptop that needs the technician may be taken up at another station: checked and graded
    // before, it goes straight to the wipe (still no bay at either station here)
    await b.s.line('EN-1')
    await b.s.idle()
    expect(await getJob(testContext(env.store), 'EN-1')).toMatchObject({station: 'poste-b', step: 'wipe', status: 'attention'})
    await a.s.line('EN-1')
    await a.s.idle()
    expect(a.s.prompt()).toBe('Scan a laptop (serial or asset tag)')
    expect(await getJob(testContext(env.store), 'EN-1')).toMatchObject({station: 'poste-a', step: 'wipe', status: 'attention'})
    // CANCEL gives a laptop up at once: the other station may take it
    await a.s.line('EN-2')
    await a.s.line('ANNULER')
    expect(a.said.at(-1)).toBe('Cancelled: scan the next laptop.')

    // poste-b takes another laptop; the webcam fails: on hold, nothing written
    await b.s.line('EN-2')
    for (const k of ['\r', '\r', 'n']) await b.s.key(k)
    await b.s.line('GRADE-A')
    expect(await getLaptop(env.store.db, 'EN-2')).toMatchObject({state: 'on_hold', grade: 'A', verdict: 'needs_part'})
    expect(b.s.panel().find((r) => r.serial === 'EN-2')).toMatchObject({
      status: 'attention',
      note: 'failed: webcam - on hold, needs a repair',
    })
    expect(JSON.parse((await getJob(testContext(env.store), 'EN-2')).checks!)).toEqual({
      keyboard: true,
      screen: true,
      webcam: false,
      wifi: true,
      sound: true,
      battery: true,
      ports: true,
    })
    await a.s.close()
    await b.s.close()
  })

  it('an unknown code without a probe snapshot is one line, and the station waits', async () => {
    const c = station('poste-c')
    await c.s.open()
    await c.s.line('NOPE-404')
    expect(c.said).toEqual([
      'NOPE-404: unknown laptop and no probe snapshot for it: boot it on the workshop key (alpi laptops probe), then scan it again.',
    ])
    expect(c.s.prompt()).toBe('Scan a laptop (serial or asset tag)')
    await c.s.close()
  })
})
