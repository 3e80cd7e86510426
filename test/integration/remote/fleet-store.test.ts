import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {summaryText} from '../../../src/audit/journal.js'
import {Cancelled, PartialFailure, RemoteHostError, RuleViolation} from '../../../src/core/errors.js'
import {isRetryable, runFleet, throwIfFailed} from '../../../src/remote/fleet.js'
import type {Store} from '../../../src/store/db.js'
import {DIALECTS, storeFor, testContext} from '../../helpers/context.js'

// The runner's logic over a real store (SQLite and PostgreSQL). Tasks are plain functions
// here; the SSH fleet over real namespaces is in fleet-ssh.test.ts.
describe.each(DIALECTS)('runFleet on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    const s = await storeFor(dialect)
    store = s.store
    cleanup = s.cleanup
  })
  afterAll(async () => cleanup?.())

  const targets = Array.from({length: 6}, (_, i) => ({id: `t${i + 1}`}))
  const down = () => new RemoteHostError('no route', {code: 'REMOTE_UNREACHABLE'})

  it('retries transient errors with back-off, records per-target state, and resumes only the failed ones', async () => {
    const calls = new Map<string, number>()
    const ctx = testContext(store)
    const job = `job-resume-${dialect}`
    const report = await runFleet(ctx, {
      job,
      targets,
      retries: 2,
      backoffMs: 5,
      concurrency: 3,
      task: async (t, {attempt}) => {
        calls.set(t.id, (calls.get(t.id) ?? 0) + 1)
        if (t.id === 't3') throw down()
        if (t.id === 't4' && attempt === 1) throw down() // flaky: ok on the second attempt
        return {id: t.id, n: 1}
      },
    })
    expect(report).toMatchObject({job, total: 6, ok: 5, failed: 1, skipped: 0})
    expect(report.results.map((r) => r.target)).toEqual(['t1', 't2', 't3', 't4', 't5', 't6'])
    expect(report.results[2]).toMatchObject({status: 'failed', attempts: 3, error: {code: 'REMOTE_UNREACHABLE'}})
    expect(report.results[3]).toMatchObject({status: 'ok', attempts: 2, result: {id: 't4', n: 1}})
    expect(calls.get('t3')).toBe(3)
    const rows = await store.db.selectFrom('fleet_results').selectAll().where('job', '=', job).orderBy('target').execute()
    expect(rows.map((r) => [r.target, r.status, Number(r.attempts)])).toEqual([
      ['t1', 'ok', 1],
      ['t2', 'ok', 1],
      ['t3', 'failed', 3],
      ['t4', 'ok', 2],
      ['t5', 'ok', 1],
      ['t6', 'ok', 1],
    ])
    expect(JSON.parse(rows[2]!.error!)).toMatchObject({code: 'REMOTE_UNREACHABLE', message: 'no route'})
    expect(rows[0]!.started_at).toBeTruthy()
    expect(rows[0]!.finished_at).toBeTruthy()

    const err = (() => {
      try {
        throwIfFailed(report)
      } catch (e) {
        return e as PartialFailure
      }
    })()
    expect(err).toBeInstanceOf(PartialFailure)
    expect(err!.exitCode).toBe(4)
    expect(err!.data).toBe(report)
    expect(err!.actions[0]).toMatch(/Re-run the same command: only the failed targets are retried/)

    // Re-run: only t3 runs again (now up); the others are skipped with their stored result.
    calls.clear()
    const again = await runFleet(ctx, {
      job,
      targets,
      backoffMs: 5,
      task: async (t) => {
        calls.set(t.id, (calls.get(t.id) ?? 0) + 1)
        return {id: t.id, n: 2}
      },
    })
    expect([...calls.keys()]).toEqual(['t3'])
    expect(again).toMatchObject({ok: 1, failed: 0, skipped: 5})
    expect(again.results[0]).toMatchObject({status: 'skipped', result: {id: 't1', n: 1}})
    expect(again.results[2]).toMatchObject({status: 'ok', attempts: 1, result: {id: 't3', n: 2}})
    const t3 = await store.db
      .selectFrom('fleet_results')
      .selectAll()
      .where('job', '=', job)
      .where('target', '=', 't3')
      .executeTakeFirstOrThrow()
    expect([t3.status, Number(t3.attempts), t3.error]).toEqual(['ok', 4, null])
    expect(() => throwIfFailed(again)).not.toThrow()

    // One audit entry per run, counts only.
    const audits = await store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'fleet')
      .where('entity_id', '=', job)
      .orderBy('seq')
      .execute()
    // the journal keeps a code and counts; the text is made when shown, in either language
    expect(audits.map((a) => JSON.parse(a.summary))).toEqual([
      {code: 'fleetRun', params: {total: 6, ok: 5, failed: 1, skipped: 0}},
      {code: 'fleetRun', params: {total: 6, ok: 1, failed: 0, skipped: 5}},
    ])
    expect(audits.map((a) => [summaryText(a.summary, 'en'), a.result])).toEqual([
      ['6 targets: 5 ok, 1 failed, 0 skipped', 'partial'],
      ['6 targets: 1 ok, 0 failed, 5 skipped', 'ok'],
    ])
    expect(summaryText(audits[0]!.summary, 'fr')).toBe('6 cibles : 5 réussies, 1 en échec, 0 passée')
  })

  it('does not retry errors that are not transient (a rule, a bug, an auth refusal)', async () => {
    let calls = 0
    const report = await runFleet(testContext(store), {
      job: `job-fatal-${dialect}`,
      targets: targets.slice(0, 3),
      retries: 5,
      backoffMs: 1,
      task: async (t) => {
        calls++
        if (t.id === 't1') throw new RuleViolation('BOX_NOT_READY', 'box not ready')
        if (t.id === 't2') throw new RemoteHostError('denied', {code: 'REMOTE_AUTH'})
        throw new TypeError('boom')
      },
    })
    expect(calls).toBe(3)
    expect(report.results.map((r) => r.error?.code)).toEqual(['BOX_NOT_READY', 'REMOTE_AUTH', 'BUG'])
    expect(isRetryable(new RemoteHostError('x', {code: 'REMOTE_DISCONNECTED'}))).toBe(true)
    expect(isRetryable(new RemoteHostError('x', {code: 'REMOTE_COMMAND_FAILED'}))).toBe(false)
  })

  it('never runs more targets at once than the concurrency, and writes timestamped lines to stderr only', async () => {
    let running = 0
    let peak = 0
    // The first tasks wait until 4 run at once (no timing involved): a runner without a
    // limit would start all 12 and show a peak above 4.
    let release!: () => void
    const fourRunning = new Promise<void>((r) => (release = r))
    const ctx = testContext(store)
    const report = await runFleet(ctx, {
      job: `job-conc-${dialect}`,
      targets: Array.from({length: 12}, (_, i) => ({id: `c${i}`, title: `box ${i}`})),
      concurrency: 4,
      task: async (_t, {log}) => {
        running++
        peak = Math.max(peak, running)
        log('pushing config')
        if (running === 4) release()
        await fourRunning
        await new Promise((r) => setTimeout(r, 5))
        running--
        return null
      },
    })
    expect(report.ok).toBe(12)
    expect(peak).toBe(4)
    expect(report.results[0]!.title).toBe('box 0')
    const lines = ctx.out.lines.filter((l) => l.includes('c3:'))
    expect(lines.some((l) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \[job-conc-\w+\] c3: pushing config$/.test(l))).toBe(true)
    expect(lines.some((l) => l.endsWith('c3: ok (attempt 1)'))).toBe(true)
  })

  it('Given Ctrl-C, stops launching targets, records what finished and throws Cancelled; a re-run resumes', async () => {
    const ac = new AbortController()
    const ctx = testContext(store, {signal: ac.signal})
    const job = `job-abort-${dialect}`
    const started: string[] = []
    const err = await runFleet(ctx, {
      job,
      targets,
      concurrency: 2,
      task: async (t, {signal}) => {
        started.push(t.id)
        if (t.id === 't2') {
          setTimeout(() => ac.abort(new Cancelled('Interrupted')), 10)
          await new Promise((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
        }
        await new Promise((r) => setTimeout(r, 5))
        return t.id
      },
    }).catch((e) => e)
    expect(err).toBeInstanceOf(Cancelled)
    expect(started.length).toBeLessThan(6)
    const rows = await store.db.selectFrom('fleet_results').selectAll().where('job', '=', job).execute()
    expect(rows.find((r) => r.target === 't2')?.status).toBe('failed')
    const resumed = await runFleet(testContext(store), {job, targets, task: async (t) => t.id})
    expect(resumed.ok + resumed.skipped).toBe(6)
    expect(resumed.results.find((r) => r.target === 't2')?.status).toBe('ok')
  })

  it('refuses a target listed twice', async () => {
    await expect(runFleet(testContext(store), {job: 'dup', targets: [{id: 'a'}, {id: 'a'}], task: async () => 1})).rejects.toMatchObject({
      code: 'FLEET_DUPLICATE_TARGET',
    })
  })

  it('Given a task that succeeded but whose result cannot be stored, reports it failed without running it again', async () => {
    let calls = 0
    const report = await runFleet(testContext(store), {
      job: `unsavable-${dialect}`,
      targets: [{id: 'a'}, {id: 'b'}],
      retries: 2,
      backoffMs: 1,
      task: async (t) => {
        calls++
        return t.id === 'a' ? {big: BigInt(1)} : {ok: true} // a BigInt cannot be stored as JSON
      },
    })
    expect(calls).toBe(2)
    expect(report).toMatchObject({total: 2, ok: 1, failed: 1})
    expect(report.results[0]).toMatchObject({target: 'a', status: 'failed', attempts: 1, error: {code: 'RESULT_NOT_SAVED'}})
    expect(() => throwIfFailed(report)).toThrow(PartialFailure)
  })
})
