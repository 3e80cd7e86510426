import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {saveSnapshot} from '../../../src/laptops/probe.js'
import type {ProbeSnapshot} from '../../../src/laptops/probe-parse.js'
import {laptopsForDisks} from '../../../src/laptops/records.js'
import {DIALECTS, storeFor, testContext} from '../../helpers/context.js'
import {snapshotWithDisk} from './flow.js'

/** A laptop probed from the alpi USB key: its snapshot lists the key, as a removable disk. */
function withKey(internal: string, key: string): ProbeSnapshot {
  const s = snapshotWithDisk(internal)
  return {
    ...s,
    disks: [
      ...s.disks,
      {
        path: '/dev/sdb',
        type: 'disk',
        model: 'USB KEY',
        serial: key,
        sizeBytes: 32e9,
        transport: 'usb',
        rotational: false,
        removable: true,
        smart: null,
      },
    ],
  }
}

// Which laptop a disk in a bay belongs to decides which laptop a wipe or a reimage moves on.
describe.each(DIALECTS)("finding a disk's laptop from its serial (%s)", (dialect) => {
  let s: Awaited<ReturnType<typeof storeFor>>
  beforeAll(async () => {
    s = await storeFor(dialect)
    const ctx = testContext(s.store)
    await saveSnapshot(ctx, withKey('WD_ABC%1', 'ALPI-KEY-1'), {serial: 'LAP-1'})
    await saveSnapshot(ctx, withKey('WDXABC%1', 'ALPI-KEY-1'), {serial: 'LAP-2'})
    await saveSnapshot(ctx, snapshotWithDisk('MOVED-DISK'), {serial: 'LAP-3'})
    await saveSnapshot(ctx, snapshotWithDisk('MOVED-DISK'), {serial: 'LAP-4'})
    await saveSnapshot(ctx, snapshotWithDisk('S"Q\\1'), {serial: 'LAP-5'})
  })
  afterAll(async () => {
    await s?.cleanup()
  })

  it('matches the exact serial, LIKE wildcards and quotes included, alone or in a batch', async () => {
    const db = s.store.db
    expect([...(await laptopsForDisks(db, ['WD_ABC%1'])).entries()].map(([d, l]) => [d, l.serial])).toEqual([['WD_ABC%1', 'LAP-1']])
    expect([...(await laptopsForDisks(db, ['WDXABC%1'])).entries()].map(([d, l]) => [d, l.serial])).toEqual([['WDXABC%1', 'LAP-2']])
    expect((await laptopsForDisks(db, ['WD_ABC'])).size).toBe(0)
    expect((await laptopsForDisks(db, ['S"Q\\1'])).get('S"Q\\1')?.serial).toBe('LAP-5')
    const both = await laptopsForDisks(db, ['WD_ABC%1', 'S"Q\\1', 'NOPE'])
    expect([...both.entries()].map(([d, l]) => [d, l.serial]).sort()).toEqual([
      ['S"Q\\1', 'LAP-5'],
      ['WD_ABC%1', 'LAP-1'],
    ])
  })

  it('never takes the USB key the laptops were probed from for their disk', async () => {
    expect((await laptopsForDisks(s.store.db, ['ALPI-KEY-1'])).size).toBe(0)
  })

  it('refuses a disk that two laptops list as theirs (a disk moved from one to the other)', async () => {
    await expect(laptopsForDisks(s.store.db, ['MOVED-DISK'])).rejects.toMatchObject({
      code: 'DEVICE_AMBIGUOUS',
      data: {laptops: ['LAP-3', 'LAP-4']},
    })
  })
})
