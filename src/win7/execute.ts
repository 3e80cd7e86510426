import {audit, type ServiceContext} from '../context/service-context.js'
import {PartialFailure, RemoteHostError, RuleViolation, UsageError} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import type {FleetReport} from '../remote/fleet.js'
import type {SshTarget} from '../remote/ssh.js'
import {parseSshTarget} from '../remote/target.js'
import {t, type StoredMessage} from './messages/index.js'
import {assertTransition, moveTo} from './states.js'
import {memberProfile} from './profile.js'
import {loadStagingSubject, stagingSteps, usmtCommands, type StagingStep} from './staging.js'

export interface ExecuteStagingOptions {
  serial: string
  ssh: SshTarget
  /** Per-step timeout (default 30 min: winget and LoadState are slow). */
  stepTimeoutMs?: number
  /**
   * How a step becomes a remote command. Default: PowerShell with -EncodedCommand (no
   * quoting problem whatever the remote default shell, cmd.exe or PowerShell). Tests pass
   * POSIX stand-ins here: a Windows PC cannot run on the test bed.
   */
  remoteCommand?: (step: StagingStep) => string[]
}

export interface StepOutcome {
  step: string
  title: string
  status: 'ok' | 'failed' | 'skipped'
  attempts: number
  error?: {code: string; message: string}
}

export interface ExecuteStagingResult {
  serial: string
  replaces: string
  job: string
  staged: boolean
  steps: StepOutcome[]
  report: FleetReport<{code: number}>
}

/** PowerShell -EncodedCommand argument: base64 of the UTF-16LE script. */
export function powershellCommand(step: StagingStep): string[] {
  const script = `$ErrorActionPreference = 'Stop'\n${step.powershell}\n`
  return [
    'powershell.exe',
    '-NoProfile',
    '-NonInteractive',
    '-ExecutionPolicy',
    'Bypass',
    '-EncodedCommand',
    Buffer.from(script, 'utf16le').toString('base64'),
  ]
}

function tail(s: string, n = 400): string {
  const x = s.trim()
  return x.length > n ? '…' + x.slice(-n) : x
}

/**
 * Run a new PC's staging steps over SSH (Windows OpenSSH server), in order, through the
 * fleet runner: each step is a target of the job "win7 stage SERIAL", so a re-run skips the
 * steps already ok and resumes at the failed one. A failed step blocks the steps after it.
 * Each step's result is recorded in win7_staging_steps; when every step is ok the old PC
 * becomes "staged". Throws PartialFailure (exit 4) when a step failed, its data the result.
 */
export async function executeStaging(ctx: ServiceContext, opts: ExecuteStagingOptions): Promise<ExecuteStagingResult> {
  const {pc, old, member} = await loadStagingSubject(ctx.store.db, opts.serial)
  assertTransition(old.serial, old.state, 'staged')
  const profile = memberProfile(ctx.config, member)
  const steps = stagingSteps(profile, usmtCommands(profile, old))
  const toArgv = opts.remoteCommand ?? powershellCommand
  const job = `win7 stage ${pc.serial}`

  const {connectSsh} = await import('../remote/ssh.js')
  const {runFleet, throwIfFailed} = await import('../remote/fleet.js')
  const session = await connectSsh(opts.ssh, {store: ctx.store, signal: ctx.signal, log: (l) => ctx.out.debug(l)})
  let report: FleetReport<{code: number}>
  // Why a step failed, as a catalog message: the store keeps it as code + params, never as text.
  const why = new Map<string, StoredMessage>()
  try {
    let blockedBy: string | null = null
    report = await runFleet(ctx, {
      job,
      title: job,
      targets: steps.map((s) => ({id: s.id, title: s.title})),
      concurrency: 1,
      retries: 0,
      task: async (target) => {
        if (blockedBy) {
          why.set(target.id, {code: 'stepBlocked', params: {step: blockedBy}})
          throw new RuleViolation('WIN7_STEP_BLOCKED', t('stepBlocked', {step: blockedBy}), {
            actions: [t('stepBlockedAction', {step: blockedBy})],
          })
        }
        const step = steps.find((s) => s.id === target.id)!
        const r = await session
          .exec(toArgv(step), {allowFailure: true, timeoutMs: opts.stepTimeoutMs ?? 30 * 60_000})
          .catch((error: unknown) => {
            blockedBy = step.id
            throw error
          })
        if (r.code !== 0) {
          blockedBy = step.id
          const failed: StoredMessage = r.stderr.trim()
            ? {code: 'stepFailedOutput', params: {step: step.id, code: r.code, output: tail(r.stderr)}}
            : {code: 'stepFailed', params: {step: step.id, code: r.code}}
          why.set(step.id, failed)
          throw new RemoteHostError(t(failed.code, failed.params), {code: 'WIN7_STEP_FAILED', actions: [t('stepFailedAction')]})
        }
        return {code: r.code}
      },
    })
  } finally {
    await session.close()
  }

  const byId = new Map(report.results.map((r) => [r.target, r]))
  const outcomes: StepOutcome[] = steps.map((s) => {
    const r = byId.get(s.id)!
    return {
      step: s.id,
      title: s.title,
      status: r.status,
      attempts: r.attempts,
      ...(r.error ? {error: {code: r.error.code, message: r.error.message}} : {}),
    }
  })
  const allOk = report.failed === 0
  await ctx.store.transaction(async (trx) => {
    const now = nowIso()
    for (const [i, o] of outcomes.entries()) {
      const status = o.status === 'failed' ? 'failed' : 'ok'
      const row = {
        serial: pc.serial,
        step: o.step,
        position: i + 1,
        status: status as 'ok' | 'failed',
        attempts: o.attempts,
        detail: o.error ? JSON.stringify({error: o.error.code, ...(why.has(o.step) ? {message: why.get(o.step)} : {})}) : null,
        finished_at: now,
      }
      if (o.status === 'skipped') {
        // already ok in an earlier run: keep its row as it was
        await trx
          .insertInto('win7_staging_steps')
          .values(row)
          .onConflict((oc) => oc.columns(['serial', 'step']).doNothing())
          .execute()
      } else {
        await trx
          .insertInto('win7_staging_steps')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['serial', 'step']).doUpdateSet({
              status: row.status,
              attempts: row.attempts,
              detail: row.detail,
              finished_at: row.finished_at,
              position: row.position,
            }),
          )
          .execute()
      }
    }
    if (allOk) await moveTo(trx, old.serial, 'staged')
    await audit(ctx, trx, {
      entity: 'win7_pc',
      entityId: pc.serial,
      action: 'stage-execute',
      summary: {code: 'win7StagingExecuted', params: {serial: pc.serial, ok: report.ok, skipped: report.skipped, failed: report.failed}},
      result: allOk ? 'ok' : report.ok + report.skipped > 0 ? 'partial' : 'failed',
      data: {
        job,
        ok: report.ok,
        skipped: report.skipped,
        failed: report.failed,
        failedSteps: outcomes.filter((o) => o.status === 'failed').map((o) => o.step),
      },
    })
  })
  for (const o of outcomes)
    ctx.out.info(
      t('stage.step', {
        step: o.step,
        status: o.status === 'failed' ? t('step.failedWith', {message: o.error?.message ?? ''}) : t(`step.${o.status}`),
      }),
    )
  const result: ExecuteStagingResult = {serial: pc.serial, replaces: old.serial, job, staged: allOk, steps: outcomes, report}
  try {
    throwIfFailed(report, t('stagingFailed', {failed: report.failed, total: report.total, serial: pc.serial}))
  } catch (error) {
    // exit 4 carries the whole result (the steps as for a clean run; the fleet report in data.report)
    if (error instanceof PartialFailure) throw new PartialFailure(error.message, {actions: error.actions, data: result})
    throw error
  }
  return result
}

/** "user@host" or "user@host:port" → an SSH target. */
export function parseSshSpec(spec: string, extra: {privateKeyPath?: string; agent?: boolean} = {}): SshTarget {
  const target = parseSshTarget(spec)
  if (!target) {
    throw new UsageError(t('sshSpec', {spec}), {actions: [t('sshSpecAction')]})
  }
  return {...target, ...extra}
}
