import type {Selectable} from 'kysely'
import type {ServiceContext} from '../../context/service-context.js'
import {RuleViolation} from '../../core/errors.js'
import {nowIso} from '../../core/ids.js'
import {bt} from '../messages/index.js'
import type {LaptopBenchJobsTable} from '../tables.js'

/**
 * The bench station's jobs in the store (table laptop_bench_jobs, migration 0008): one row per
 * laptop at a bench. The row is the claim: a laptop belongs to one station at a time; another
 * station may take it only when the holder has not beaten its heart for STALE_MS (it crashed or
 * lost its network), with a compare-and-set on the old heartbeat so two stations never both win.
 */
export type BenchJob = Selectable<LaptopBenchJobsTable>
export type JobStep = 'checklist' | 'wipe' | 'reimage' | 'done'
export type JobStatus = 'waiting' | 'running' | 'interrupted' | 'attention' | 'done'

/** A station that has not written for this long is considered gone. */
export const STALE_MS = 30_000

/** Claim a laptop for this station (or take it back after a restart). Refused: another live station holds it. */
export async function claimLaptop(ctx: ServiceContext, serial: string, station: string, now = Date.now()): Promise<BenchJob> {
  const at = nowIso()
  await ctx.store.db
    .insertInto('laptop_bench_jobs')
    .values({
      serial,
      station,
      bay: null,
      image: null,
      step: 'checklist',
      status: 'waiting',
      progress: 0,
      eta_seconds: null,
      checks: null,
      error: null,
      started_at: at,
      updated_at: at,
      heartbeat_ms: now,
    })
    .onConflict((oc) => oc.column('serial').doNothing())
    .execute()
  const job = await getJob(ctx, serial)
  if (job.station === station) return job
  const beat = Number(job.heartbeat_ms)
  // a laptop that needs the technician (on hold, no bay) may be taken up at any station
  const free = job.status === 'done' || job.status === 'attention'
  if (!free && now - beat < STALE_MS) {
    throw new RuleViolation('BENCH_CLAIMED', bt('benchClaimed', {serial, station: job.station}), {
      actions: [bt('benchClaimedAction', {station: job.station})],
      data: {serial, station: job.station},
    })
  }
  // the holder is gone (or finished): take the laptop over, if nobody else did meanwhile
  const taken = await ctx.store.db
    .updateTable('laptop_bench_jobs')
    .set({
      station,
      heartbeat_ms: now,
      updated_at: at,
      ...(job.status === 'done'
        ? {step: 'checklist', status: 'waiting', progress: 0, eta_seconds: null, error: null, checks: null, started_at: at}
        : {}),
    })
    .where('serial', '=', serial)
    .where('station', '=', job.station)
    .where('heartbeat_ms', '=', job.heartbeat_ms)
    .executeTakeFirst()
  if (Number(taken.numUpdatedRows) !== 1) return claimLaptop(ctx, serial, station, now)
  return getJob(ctx, serial)
}

export async function getJob(ctx: ServiceContext, serial: string): Promise<BenchJob> {
  return ctx.store.db.selectFrom('laptop_bench_jobs').selectAll().where('serial', '=', serial).executeTakeFirstOrThrow()
}

/** Update this station's job; a job another station took over is left alone (returns false). */
export async function updateJob(
  ctx: ServiceContext,
  serial: string,
  station: string,
  patch: Partial<Omit<BenchJob, 'serial' | 'station'>>,
): Promise<boolean> {
  const r = await ctx.store.db
    .updateTable('laptop_bench_jobs')
    .set({...patch, updated_at: nowIso(), heartbeat_ms: Date.now()})
    .where('serial', '=', serial)
    .where('station', '=', station)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/**
 * Give a laptop up (CANCEL at the station): the row stays (its step and checks are kept for
 * whoever takes it next) but belongs to no station, so any station may claim it at once.
 */
export async function releaseLaptop(ctx: ServiceContext, serial: string, station: string): Promise<void> {
  await ctx.store.db
    .updateTable('laptop_bench_jobs')
    .set({station: '', heartbeat_ms: 0, updated_at: nowIso()})
    .where('serial', '=', serial)
    .where('station', '=', station)
    .where('status', '!=', 'running')
    .execute()
}

/** This station's jobs still open (not done), oldest first. */
export async function openJobs(ctx: ServiceContext, station: string): Promise<BenchJob[]> {
  return ctx.store.db
    .selectFrom('laptop_bench_jobs')
    .selectAll()
    .where('station', '=', station)
    .where('status', '!=', 'done')
    .orderBy('started_at')
    .orderBy('serial')
    .execute()
}

/** The heartbeat of every running job of this station, in one statement. */
export async function beat(ctx: ServiceContext, station: string): Promise<void> {
  await ctx.store.db
    .updateTable('laptop_bench_jobs')
    .set({heartbeat_ms: Date.now()})
    .where('station', '=', station)
    .where('status', '!=', 'done')
    .execute()
}

/**
 * At a station's start: its jobs left "running" belong to a process that is gone (this station
 * runs once per name): they are interrupted, and resumed from the laptop's state.
 */
export async function markInterrupted(ctx: ServiceContext, station: string): Promise<number> {
  const r = await ctx.store.db
    .updateTable('laptop_bench_jobs')
    .set({status: 'interrupted', updated_at: nowIso()})
    .where('station', '=', station)
    .where('status', '=', 'running')
    .executeTakeFirst()
  return Number(r.numUpdatedRows)
}
