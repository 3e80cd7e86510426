import {audit, type ServiceContext} from '../context/service-context.js'
import {AlpiError, Cancelled, PartialFailure, toAlpiError} from '../core/errors.js'
import {nowIso, sleep} from '../core/ids.js'
import {mapPool} from '../core/pool.js'
import type {FleetResultsTable} from '../store/schema.js'
import {t as tr} from './messages/index.js'

/**
 * The one fleet runner: N targets, a concurrency limit, retries with exponential back-off
 * (only for transient errors by default: unreachable, disconnected, timed out), per-target
 * state in fleet_results so that a re-run of the same `job` skips the targets already ok
 * and retries the others. Display: listr2 on a terminal (stderr), plain timestamped lines
 * on stderr otherwise; never anything on stdout. It does not throw on failed targets: the
 * caller decides (throwIfFailed → PartialFailure, exit 4). It throws Cancelled on abort
 * (what finished is recorded; a re-run resumes).
 */

export interface FleetTarget {
  /** Stable id (host name, serial...): the resume key within a job. */
  id: string
  title?: string
}

export interface FleetTaskContext {
  /** Aborted on Ctrl-C: stop and clean up. */
  signal: AbortSignal
  /** A progress line for this target (listr2 output or a plain stderr line). No secrets. */
  log: (line: string) => void
  /** 1 for the first attempt of this run. */
  attempt: number
}

export interface FleetOptions<T extends FleetTarget, R> {
  /** Stable id of the job (same job → resume). E.g. `firewalls push 2026-11-28 config-v3`. */
  job: string
  targets: readonly T[]
  task: (target: T, tc: FleetTaskContext) => Promise<R>
  /** Parallel targets (default 8). */
  concurrency?: number
  /** Extra attempts after the first for retryable errors (default 2). */
  retries?: number
  /** First back-off delay; doubled each retry, capped at 30 s (default 1000 ms). */
  backoffMs?: number
  /** Which errors are worth a retry (default: isRetryable). */
  retryOn?: (error: unknown) => boolean
  /** Run every target again, ignoring results stored for this job. */
  fresh?: boolean
  /** Heading of the display (default: the job). */
  title?: string
}

export type FleetStatus = 'ok' | 'failed' | 'skipped'

export interface FleetTargetResult<R = unknown> {
  target: string
  title?: string
  status: FleetStatus
  /** Attempts made in this run (for skipped targets: attempts stored from earlier runs). */
  attempts: number
  result?: R
  error?: {code: string; message: string; actions?: string[]}
}

export interface FleetReport<R = unknown> {
  job: string
  total: number
  /** Targets that succeeded in this run. */
  ok: number
  failed: number
  /** Targets already ok in an earlier run of the same job (their stored result is given). */
  skipped: number
  results: FleetTargetResult<R>[]
}

const RETRYABLE_CODES = new Set([
  'REMOTE_UNREACHABLE',
  'REMOTE_DISCONNECTED',
  'REMOTE_TIMEOUT',
  'TOOL_TIMEOUT',
  'ETIMEDOUT',
  'ECONNRESET',
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
])

/** Transient errors: a host down, a lost connection, a timeout. Not auth, host keys, bugs, rules. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof Cancelled) return false
  const code = (error as {code?: unknown})?.code
  return typeof code === 'string' && RETRYABLE_CODES.has(code)
}

/** Exit 4 with the report as data when any target failed. */
export function throwIfFailed(report: FleetReport, message?: string): void {
  if (report.failed === 0) return
  const failedIds = report.results.filter((r) => r.status === 'failed').map((r) => r.target)
  throw new PartialFailure(
    message ??
      tr.m('fleetFailed', {
        failed: report.failed,
        total: report.total,
        list: failedIds.slice(0, 10).join(', ') + (failedIds.length > 10 ? ', ...' : ''),
      }),
    {
      actions: [tr.m('fleetRerunAction'), tr.m('fleetReportAction')],
      data: report,
    },
  )
}

function errorJson(error: unknown): {code: string; message: string; actions?: string[]} {
  const e = toAlpiError(error)
  return {code: e.code, message: e.message, ...(e.actions.length > 0 ? {actions: e.actions} : {})}
}

function cancelledFrom(signal: AbortSignal): AlpiError {
  return signal.reason instanceof AlpiError ? signal.reason : new Cancelled(tr.m('fleetCancelled'))
}

export async function runFleet<T extends FleetTarget, R>(ctx: ServiceContext, opts: FleetOptions<T, R>): Promise<FleetReport<R>> {
  const concurrency = Math.max(1, opts.concurrency ?? 8)
  assertDistinctTargets(opts.targets)
  const stored = opts.fresh ? [] : await ctx.store.db.selectFrom('fleet_results').selectAll().where('job', '=', opts.job).execute()
  const storedBy = new Map(stored.map((r) => [r.target, r]))
  const {results, todo} = skipTargetsAlreadyOk<T, R>(opts.targets, storedBy)

  const plain = !ctx.out.interactiveDisplay
  const heading = opts.title ?? opts.job
  const line = (target: string, text: string) => {
    if (plain) ctx.out.info(`${new Date().toISOString()} [${heading}] ${target}: ${text}`)
  }
  if (plain)
    ctx.out.info(
      `${new Date().toISOString()} [${heading}] ${tr('fleetStart', {n: opts.targets.length, todo: todo.length, ok: results.size, concurrency})}`,
    )

  const runTarget = targetRunner(ctx, opts, resultRecorder(ctx, opts, storedBy))
  let cancelled: AlpiError | undefined
  if (todo.length > 0) {
    if (plain) cancelled = await runPlain(todo, concurrency, runTarget, results, line)
    else await runWithListr(ctx, heading, todo, concurrency, runTarget, results, (e) => (cancelled ??= e))
  }

  const report = fleetReport(opts, results)
  await auditFleetRun(ctx, opts.job, report, cancelled)
  if (plain)
    ctx.out.info(
      `${new Date().toISOString()} [${heading}] ${tr('fleetDone', {ok: report.ok, failed: report.failed, skipped: report.skipped})}`,
    )
  if (cancelled) throw cancelled
  return report
}

function assertDistinctTargets(targets: readonly FleetTarget[]): void {
  const ids = new Set<string>()
  for (const t of targets) {
    if (ids.has(t.id))
      throw new AlpiError('FLEET_DUPLICATE_TARGET', tr.m('fleetDuplicate', {id: t.id}), 2, {actions: [tr.m('fleetDuplicateAction')]})
    ids.add(t.id)
  }
}

type StoredResult = FleetResultsTable

/** Targets already ok in an earlier run of the job are reported skipped (their stored result given); the rest run. */
function skipTargetsAlreadyOk<T extends FleetTarget, R>(
  targets: readonly T[],
  storedBy: Map<string, StoredResult>,
): {results: Map<string, FleetTargetResult<R>>; todo: T[]} {
  const results = new Map<string, FleetTargetResult<R>>()
  const todo: T[] = []
  for (const t of targets) {
    const row = storedBy.get(t.id)
    if (row && row.status === 'ok') {
      results.set(t.id, {
        target: t.id,
        ...(t.title ? {title: t.title} : {}),
        status: 'skipped',
        attempts: Number(row.attempts),
        result: row.result ? (JSON.parse(row.result) as R) : undefined,
      })
    } else todo.push(t)
  }
  return {results, todo}
}

interface ResultPatch {
  status: 'running' | 'ok' | 'failed'
  attempts: number
  result?: string | null
  error?: string | null
  started_at?: string
  finished_at?: string | null
}

/** Upsert one target's row of fleet_results (attempts add up across runs of the job unless fresh). */
function resultRecorder(ctx: ServiceContext, opts: {job: string; fresh?: boolean}, storedBy: Map<string, StoredResult>) {
  return async (target: string, patch: ResultPatch) => {
    const prev = storedBy.get(target)
    const row = {
      job: opts.job,
      target,
      status: patch.status,
      attempts: (opts.fresh ? 0 : Number(prev?.attempts ?? 0)) + patch.attempts,
      result: patch.result ?? null,
      error: patch.error ?? null,
      started_at: patch.started_at ?? null,
      finished_at: patch.finished_at ?? null,
    }
    await ctx.store.db
      .insertInto('fleet_results')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['job', 'target']).doUpdateSet({
          status: row.status,
          attempts: row.attempts,
          result: row.result,
          error: row.error,
          started_at: row.started_at,
          finished_at: row.finished_at,
        }),
      )
      .execute()
  }
}

type TargetRunner<T, R> = (t: T, show: (text: string) => void) => Promise<FleetTargetResult<R>>

/** One target, all its attempts; never throws except on cancellation. */
function targetRunner<T extends FleetTarget, R>(
  ctx: ServiceContext,
  opts: FleetOptions<T, R>,
  save: (target: string, patch: ResultPatch) => Promise<void>,
): TargetRunner<T, R> {
  const retries = Math.max(0, opts.retries ?? 2)
  const backoffMs = opts.backoffMs ?? 1000
  const retryOn = opts.retryOn ?? isRetryable
  return async (t, show) => {
    const startedAt = nowIso()
    const failedWith = (attempts: number, error: unknown, message: string): FleetTargetResult<R> => {
      const e = errorJson(error)
      return {
        target: t.id,
        ...(t.title ? {title: t.title} : {}),
        status: 'failed',
        attempts,
        error: {...e, code: 'RESULT_NOT_SAVED', message: `${message}: ${e.message}`},
      }
    }
    let attempt = 0
    for (;;) {
      if (ctx.signal.aborted) throw cancelledFrom(ctx.signal)
      attempt++
      try {
        await save(t.id, {status: 'running', attempts: attempt - 1, started_at: startedAt})
      } catch (error) {
        return failedWith(attempt - 1, error, 'not started: the store could not record it')
      }
      let result: R
      try {
        result = await opts.task(t, {signal: ctx.signal, attempt, log: show})
      } catch (error) {
        if (ctx.signal.aborted) {
          await save(t.id, {
            status: 'failed',
            attempts: attempt,
            error: JSON.stringify(errorJson(cancelledFrom(ctx.signal))),
            started_at: startedAt,
            finished_at: nowIso(),
          })
          throw cancelledFrom(ctx.signal)
        }
        const err = errorJson(error)
        if (attempt <= retries && retryOn(error)) {
          const delay = Math.min(30_000, backoffMs * 2 ** (attempt - 1))
          show(`attempt ${attempt} failed (${err.code}: ${err.message}); retrying in ${delay} ms`)
          await save(t.id, {status: 'running', attempts: attempt, error: JSON.stringify(err), started_at: startedAt})
          await sleep(delay, ctx.signal)
          continue
        }
        await save(t.id, {
          status: 'failed',
          attempts: attempt,
          error: JSON.stringify(err),
          started_at: startedAt,
          finished_at: nowIso(),
        }).catch(() => undefined)
        return {target: t.id, ...(t.title ? {title: t.title} : {}), status: 'failed', attempts: attempt, error: err}
      }
      // The task succeeded: never retry it (its side effects happened). If its result
      // cannot be stored, the target is reported failed, so that nobody takes it as done.
      try {
        await save(t.id, {
          status: 'ok',
          attempts: attempt,
          result: JSON.stringify(result ?? null),
          started_at: startedAt,
          finished_at: nowIso(),
        })
      } catch (error) {
        return failedWith(attempt, error, 'done on the target, but the result could not be stored (check the target before re-running)')
      }
      return {target: t.id, ...(t.title ? {title: t.title} : {}), status: 'ok', attempts: attempt, result}
    }
  }
}

/** Without a terminal: the worker pool, one timestamped line per start and end. Returns the cancellation, if any. */
async function runPlain<T extends FleetTarget, R>(
  todo: readonly T[],
  concurrency: number,
  runTarget: TargetRunner<T, R>,
  results: Map<string, FleetTargetResult<R>>,
  line: (target: string, text: string) => void,
): Promise<AlpiError | undefined> {
  try {
    await mapPool(todo, concurrency, async (t) => {
      line(t.id, 'started')
      const r = await runTarget(t, (text) => line(t.id, text))
      results.set(t.id, r)
      line(
        t.id,
        r.status === 'ok' ? `ok (attempt ${r.attempts})` : `FAILED after ${r.attempts} attempt(s): ${r.error!.code}: ${r.error!.message}`,
      )
    })
    return undefined
  } catch (error) {
    return toAlpiError(error)
  }
}

function fleetReport<R>(opts: {job: string; targets: readonly FleetTarget[]}, results: Map<string, FleetTargetResult<R>>): FleetReport<R> {
  const ordered = opts.targets.map((t) => results.get(t.id)).filter((r): r is FleetTargetResult<R> => r !== undefined)
  return {
    job: opts.job,
    total: opts.targets.length,
    ok: ordered.filter((r) => r.status === 'ok').length,
    // Anything not ok or skipped counts as failed, even a target missing from the results.
    failed: opts.targets.length - ordered.filter((r) => r.status === 'ok' || r.status === 'skipped').length,
    skipped: ordered.filter((r) => r.status === 'skipped').length,
    results: ordered,
  }
}

async function auditFleetRun(ctx: ServiceContext, job: string, report: FleetReport, cancelled: AlpiError | undefined): Promise<void> {
  const outcome = cancelled ? 'cancelled' : report.failed === 0 ? 'ok' : report.ok + report.skipped === 0 ? 'failed' : 'partial'
  await ctx.store.transaction(async (trx) => {
    await audit(ctx, trx, {
      entity: 'fleet',
      entityId: job,
      action: 'run',
      summary: {
        code: cancelled ? 'fleetRunCancelled' : 'fleetRun',
        params: {total: report.total, ok: report.ok, failed: report.failed, skipped: report.skipped},
      },
      result: outcome,
      data: {
        total: report.total,
        ok: report.ok,
        failed: report.failed,
        skipped: report.skipped,
        failedTargets: report.results.filter((r) => r.status === 'failed').map((r) => r.target),
      },
    })
  })
}

async function runWithListr<T extends FleetTarget, R>(
  ctx: ServiceContext,
  title: string,
  todo: readonly T[],
  concurrency: number,
  runTarget: (t: T, show: (text: string) => void) => Promise<FleetTargetResult<R>>,
  results: Map<string, FleetTargetResult<R>>,
  onCancel: (e: AlpiError) => void,
): Promise<void> {
  const {Listr, ListrLogger, ProcessOutput} = await import('listr2')
  const processOutput = new ProcessOutput(process.stderr, process.stderr)
  const logger = new ListrLogger({processOutput, useIcons: true})
  const list = new Listr(
    [
      {
        title,
        task: (_c, parent) =>
          parent.newListr(
            todo.map((t) => ({
              title: t.title ?? t.id,
              task: async (_ctx: unknown, task: {title: string; output: string}) => {
                try {
                  const r = await runTarget(t, (text) => (task.output = text))
                  results.set(t.id, r)
                  if (r.status === 'failed') throw new Error(`${t.title ?? t.id}: ${r.error!.code}: ${r.error!.message}`)
                  task.title = `${t.title ?? t.id}${r.attempts > 1 ? ` (attempt ${r.attempts})` : ''}`
                } catch (error) {
                  if (error instanceof AlpiError) onCancel(error)
                  throw error
                }
              },
            })),
            {concurrent: concurrency, exitOnError: false},
          ),
      },
    ],
    {
      exitOnError: false,
      collectErrors: 'minimal',
      registerSignalListeners: false,
      renderer: 'default',
      fallbackRendererCondition: false,
      silentRendererCondition: false,
      rendererOptions: {logger, collapseSubtasks: false},
    },
  )
  await list.run().catch(() => undefined)
}
