import {audit, type ServiceContext} from '../core/context.js'
import {AlpiError, Cancelled, PartialFailure, toAlpiError} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
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

const RETRYABLE_CODES = new Set(['REMOTE_UNREACHABLE', 'REMOTE_DISCONNECTED', 'REMOTE_TIMEOUT', 'TOOL_TIMEOUT', 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'])

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
  throw new PartialFailure(message ?? tr.m('fleetFailed', {failed: report.failed, total: report.total, list: failedIds.slice(0, 10).join(', ') + (failedIds.length > 10 ? ', ...' : '')}), {
    actions: [tr.m('fleetRerunAction'), tr.m('fleetReportAction')],
    data: report,
  })
}

function errorJson(error: unknown): {code: string; message: string; actions?: string[]} {
  const e = toAlpiError(error)
  return {code: e.code, message: e.message, ...(e.actions.length > 0 ? {actions: e.actions} : {})}
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, {once: true})
  })
}

function cancelledFrom(signal: AbortSignal): AlpiError {
  return signal.reason instanceof AlpiError ? signal.reason : new Cancelled(tr.m('fleetCancelled'))
}

export async function runFleet<T extends FleetTarget, R>(ctx: ServiceContext, opts: FleetOptions<T, R>): Promise<FleetReport<R>> {
  const concurrency = Math.max(1, opts.concurrency ?? 8)
  const retries = Math.max(0, opts.retries ?? 2)
  const backoffMs = opts.backoffMs ?? 1000
  const retryOn = opts.retryOn ?? isRetryable
  const db = ctx.store.db
  const ids = new Set<string>()
  for (const t of opts.targets) {
    if (ids.has(t.id)) throw new AlpiError('FLEET_DUPLICATE_TARGET', tr.m('fleetDuplicate', {id: t.id}), 2, {actions: [tr.m('fleetDuplicateAction')]})
    ids.add(t.id)
  }

  const stored = opts.fresh ? [] : await db.selectFrom('fleet_results').selectAll().where('job', '=', opts.job).execute()
  const storedBy = new Map(stored.map((r) => [r.target, r]))
  const results = new Map<string, FleetTargetResult<R>>()
  const todo: T[] = []
  for (const t of opts.targets) {
    const row = storedBy.get(t.id)
    if (row && row.status === 'ok') {
      results.set(t.id, {target: t.id, ...(t.title ? {title: t.title} : {}), status: 'skipped', attempts: Number(row.attempts), result: row.result ? (JSON.parse(row.result) as R) : undefined})
    } else todo.push(t)
  }

  const plain = !ctx.out.interactiveDisplay
  const line = (target: string, text: string) => {
    if (plain) ctx.out.info(`${new Date().toISOString()} [${opts.title ?? opts.job}] ${target}: ${text}`)
  }
  if (plain) ctx.out.info(`${new Date().toISOString()} [${opts.title ?? opts.job}] ${tr('fleetStart', {n: opts.targets.length, todo: todo.length, ok: results.size, concurrency})}`)

  const save = async (target: string, patch: {status: 'running' | 'ok' | 'failed'; attempts: number; result?: string | null; error?: string | null; started_at?: string; finished_at?: string | null}) => {
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
    await db
      .insertInto('fleet_results')
      .values(row)
      .onConflict((oc) => oc.columns(['job', 'target']).doUpdateSet({status: row.status, attempts: row.attempts, result: row.result, error: row.error, started_at: row.started_at, finished_at: row.finished_at}))
      .execute()
  }

  /** One target, all its attempts; never throws except on cancellation. */
  const runTarget = async (t: T, show: (text: string) => void): Promise<FleetTargetResult<R>> => {
    const startedAt = nowIso()
    const failedWith = (attempts: number, error: unknown, message: string): FleetTargetResult<R> => {
      const e = errorJson(error)
      return {target: t.id, ...(t.title ? {title: t.title} : {}), status: 'failed', attempts, error: {...e, code: 'RESULT_NOT_SAVED', message: `${message}: ${e.message}`}}
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
          await save(t.id, {status: 'failed', attempts: attempt, error: JSON.stringify(errorJson(cancelledFrom(ctx.signal))), started_at: startedAt, finished_at: nowIso()})
          throw cancelledFrom(ctx.signal)
        }
        const err = errorJson(error)
        if (attempt <= retries && retryOn(error)) {
          const delay = Math.min(30_000, backoffMs * 2 ** (attempt - 1))
          show(`attempt ${attempt} failed (${err.code}: ${err.message}); retrying in ${delay} ms`)
          await save(t.id, {status: 'running', attempts: attempt, error: JSON.stringify(err), started_at: startedAt})
          await sleep(delay, ctx.signal).catch(() => undefined)
          continue
        }
        await save(t.id, {status: 'failed', attempts: attempt, error: JSON.stringify(err), started_at: startedAt, finished_at: nowIso()}).catch(() => undefined)
        return {target: t.id, ...(t.title ? {title: t.title} : {}), status: 'failed', attempts: attempt, error: err}
      }
      // The task succeeded: never retry it (its side effects happened). If its result
      // cannot be stored, the target is reported failed, so that nobody takes it as done.
      try {
        await save(t.id, {status: 'ok', attempts: attempt, result: JSON.stringify(result ?? null), started_at: startedAt, finished_at: nowIso()})
      } catch (error) {
        return failedWith(attempt, error, 'done on the target, but the result could not be stored (check the target before re-running)')
      }
      return {target: t.id, ...(t.title ? {title: t.title} : {}), status: 'ok', attempts: attempt, result}
    }
  }

  let cancelled: AlpiError | undefined
  if (todo.length > 0) {
    if (plain) {
      let next = 0
      const worker = async () => {
        while (next < todo.length && !cancelled) {
          const t = todo[next++]!
          line(t.id, 'started')
          try {
            const r = await runTarget(t, (text) => line(t.id, text))
            results.set(t.id, r)
            line(t.id, r.status === 'ok' ? `ok (attempt ${r.attempts})` : `FAILED after ${r.attempts} attempt(s): ${r.error!.code}: ${r.error!.message}`)
          } catch (error) {
            cancelled ??= toAlpiError(error)
          }
        }
      }
      await Promise.all(Array.from({length: Math.min(concurrency, todo.length)}, worker))
    } else {
      await runWithListr(ctx, opts.title ?? opts.job, todo, concurrency, runTarget, results, (e) => (cancelled ??= e))
    }
  }

  const ordered = opts.targets.map((t) => results.get(t.id)).filter((r): r is FleetTargetResult<R> => r !== undefined)
  const report: FleetReport<R> = {
    job: opts.job,
    total: opts.targets.length,
    ok: ordered.filter((r) => r.status === 'ok').length,
    // Anything not ok or skipped counts as failed, even a target missing from the results.
    failed: opts.targets.length - ordered.filter((r) => r.status === 'ok' || r.status === 'skipped').length,
    skipped: ordered.filter((r) => r.status === 'skipped').length,
    results: ordered,
  }
  const outcome = cancelled ? 'cancelled' : report.failed === 0 ? 'ok' : report.ok + report.skipped === 0 ? 'failed' : 'partial'
  await ctx.store.transaction(async (trx) => {
    await audit(ctx, trx, {
      entity: 'fleet',
      entityId: opts.job,
      action: 'run',
      summary: `${report.total} targets: ${report.ok} ok, ${report.failed} failed, ${report.skipped} skipped${cancelled ? ', cancelled' : ''}`,
      result: outcome,
      data: {total: report.total, ok: report.ok, failed: report.failed, skipped: report.skipped, failedTargets: ordered.filter((r) => r.status === 'failed').map((r) => r.target)},
    })
  })
  if (plain) ctx.out.info(`${new Date().toISOString()} [${opts.title ?? opts.job}] ${tr('fleetDone', {ok: report.ok, failed: report.failed, skipped: report.skipped})}`)
  if (cancelled) throw cancelled
  return report
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
