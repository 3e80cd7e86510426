import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {claimLaptop, getJob, markInterrupted, openJobs, STALE_MS, updateJob} from '../../../src/laptops/bench/jobs.js'
import {DIALECTS, storeFor, testContext} from '../../helpers/context.js'
import {seedLaptops} from './seed.js'

// Given laptops in one store (a real SQLite file, a real PostgreSQL database) shared by
// several bench stations, when the stations claim them, then a laptop belongs to one live
// station at a time, a silent station's laptop can be taken over by exactly one other, and a
// station's jobs left running by a dead process come back as interrupted.
describe.each(DIALECTS)('bench station jobs on %s', (dialect) => {
  let env: Awaited<ReturnType<typeof storeFor>>
  let serials: string[]
  beforeAll(async () => {
    env = await storeFor(dialect)
    serials = await seedLaptops(testContext(env.store), 3, 'diagnosed', {prefix: 'BJ', wiped: false})
  })
  afterAll(() => env.cleanup())

  it('one station at a time; a stale claim is taken over by exactly one of two racing stations', async () => {
    const ctx = testContext(env.store)
    const [a] = serials
    const now = Date.now()
    expect(await claimLaptop(ctx, a!, 'poste-1', now)).toMatchObject({serial: a, station: 'poste-1', status: 'waiting', step: 'checklist'})
    // the same station again (a rescan, a restart) keeps it
    expect((await claimLaptop(ctx, a!, 'poste-1', now + 1000)).station).toBe('poste-1')
    await expect(claimLaptop(ctx, a!, 'poste-2', now + 1000)).rejects.toMatchObject({code: 'BENCH_CLAIMED', data: {station: 'poste-1'}})
    // poste-1 went silent: two stations race for the laptop, one wins, the other is refused
    const later = Number((await getJob(ctx, a!)).heartbeat_ms) + STALE_MS + 1
    const race = await Promise.allSettled([
      claimLaptop(testContext(env.store), a!, 'poste-2', later),
      claimLaptop(testContext(env.store), a!, 'poste-3', later),
    ])
    const won = race.filter((r) => r.status === 'fulfilled')
    expect(won).toHaveLength(1)
    // the loser either saw the fresh claim of the winner, or lost the compare-and-set and then saw it
    const lost = race.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined
    expect(lost?.reason).toMatchObject({code: 'BENCH_CLAIMED'})
    const holder = (await getJob(ctx, a!)).station
    expect(['poste-2', 'poste-3']).toContain(holder)
    // the former holder can no longer write to the job
    expect(await updateJob(ctx, a!, 'poste-1', {progress: 50})).toBe(false)
  })

  it("a station reopened after a crash finds its running jobs interrupted, not the others' ", async () => {
    const ctx = testContext(env.store)
    const [, b, c] = serials
    await claimLaptop(ctx, b!, 'poste-9')
    await claimLaptop(ctx, c!, 'poste-8')
    await updateJob(ctx, b!, 'poste-9', {step: 'wipe', status: 'running', bay: '/dev/sdb', progress: 40})
    await updateJob(ctx, c!, 'poste-8', {step: 'reimage', status: 'running', bay: '/dev/sdc'})
    expect(await markInterrupted(ctx, 'poste-9')).toBe(1)
    expect((await openJobs(ctx, 'poste-9')).map((j) => [j.serial, j.step, j.status, j.progress, j.bay])).toEqual([
      [b, 'wipe', 'interrupted', 40, '/dev/sdb'],
    ])
    expect((await getJob(ctx, c!)).status).toBe('running')
    // a finished job is no longer "open"
    await updateJob(ctx, b!, 'poste-9', {step: 'done', status: 'done'})
    expect(await openJobs(ctx, 'poste-9')).toEqual([])
  })
})
