import {createHash} from 'node:crypto'
import type {ServiceContext} from '../context/service-context.js'
import {AlpiError, PartialFailure, RemoteHostError, RuleViolation, UsageError} from '../core/errors.js'
import {sleep} from '../core/ids.js'
import type {SshSession, SshTarget} from '../remote/ssh.js'
import {firewallsConfig, sshOptionsFrom, type SshOptions} from './config.js'
import {recordDeployment} from './deployed.js'
import {t} from './messages/index.js'
import {planSchools, type PlannedSchool, type SchoolPlan} from './plan.js'
import {parseCheck, type RenderedConfig} from './profile.js'
import type {SchoolRecord} from './schools.js'

/**
 * `firewalls deploy`: the safe push. Per school: upload to the profile's staging folder,
 * validate on the box, apply with the box's own rollback timer, then from a FRESH
 * connection check health and file hashes, and only then confirm. A config that cuts the
 * management link never gets confirmed: the box restores the previous one by itself.
 */
export interface SchoolDeployResult {
  uai: string
  outcome: 'confirmed' | 'unchanged'
  hash: string
  files: number
}

const FAIL = {
  validation: 'BOX_VALIDATION_FAILED',
  apply: 'BOX_APPLY_FAILED',
  pending: 'BOX_APPLY_PENDING',
  health: 'BOX_HEALTH_FAILED',
  rolledBack: 'BOX_ROLLED_BACK',
  unreachable: 'BOX_UNREACHABLE_AFTER_APPLY',
} as const

function sshTarget(school: SchoolRecord, ssh: SshOptions): SshTarget {
  if (!school.mgmtHost)
    throw new RuleViolation('NO_MANAGEMENT_ADDRESS', t('noMgmtAddress', {uai: school.uai}), {actions: [t('noMgmtAddressAction')]})
  return {
    host: school.mgmtHost,
    port: school.mgmtPort,
    username: school.mgmtUser ?? ssh.user ?? 'root',
    privateKeyPath: ssh.identity,
    agent: ssh.identity ? undefined : (ssh.agent ?? true),
    connectTimeoutMs: ssh.connectTimeoutMs,
  }
}

/** Parse `alpi-box check` output: `file NAME SHA` lines and `key=value` lines. */
function lastLine(s: string): string {
  return s.trim().split('\n').at(-1)?.slice(0, 300) ?? ''
}

/** A deploy never takes a category off a box unnoticed: refused before anything is sent. */
export function refuseDroppedCategories(plan: SchoolPlan): void {
  const c = plan.categories
  if (!c) return
  if (c.droppedByList.length > 0) {
    throw new RuleViolation(
      'FILTER_CATEGORY_DROPPED',
      t('categoryDroppedByList', {uai: plan.uai, version: c.listVersion ?? t('none'), categories: c.droppedByList.join(', ')}),
      {actions: [t('categoryDroppedByListAction', {first: c.droppedByList[0]!})], data: {uai: plan.uai, categories: c}},
    )
  }
  if (c.droppedByPolicy.length > 0) {
    throw new RuleViolation(
      'FILTER_CATEGORY_DROPPED',
      t('categoryDroppedByPolicy', {uai: plan.uai, categories: c.droppedByPolicy.join(', ')}),
      {
        actions: [t('categoryDroppedByPolicyAction', {flags: c.droppedByPolicy.map((x) => `--allow-drop ${x}`).join(' ')})],
        data: {uai: plan.uai, categories: c},
      },
    )
  }
}

/** Deploy one school's rendered config to its box. Throws an AlpiError naming what failed. */
export async function deploySchool(
  ctx: ServiceContext,
  planned: PlannedSchool,
  ssh: SshOptions,
  job: string,
  log: (line: string) => void = () => undefined,
): Promise<SchoolDeployResult> {
  const {school, config} = planned
  refuseDroppedCategories(planned.plan)
  if (!config || planned.plan.status === 'invalid') {
    throw new RuleViolation('PLAN_INVALID', t('cannotDeploy', {uai: school.uai, problems: planned.plan.problems.join('; ')}), {
      actions: [t('cannotDeployAction', {uai: school.uai})],
    })
  }
  const {connectSsh} = await import('../remote/ssh.js')
  const target = sshTarget(school, ssh)
  const env = {store: ctx.store, knownHostsFiles: ssh.knownHostsFiles, signal: ctx.signal, log}
  const fail = async (code: string, message: string, actions: string[], detail: Record<string, unknown> = {}): Promise<never> => {
    await recordDeployment(ctx, {
      config,
      job,
      outcome: code === FAIL.rolledBack || code === FAIL.health ? 'rolled_back' : 'failed',
      errorCode: code,
      detail,
    })
    throw new RemoteHostError(t('schoolFailed', {uai: school.uai, message}), {
      code,
      actions,
      data: {uai: school.uai, hash: config.hash, ...detail},
    })
  }
  const rollbackMs = Number(config.vars.rollback_seconds ?? '120') * 1000
  const rolledBackWhat = () => {
    const params = {hash: config.hash.slice(0, 12), files: config.files.map((f) => f.name).join(', ')}
    return school.deployedHash
      ? t('rolledBackPrevious', {...params, previous: school.deployedHash.slice(0, 12)})
      : t('rolledBackOriginal', params)
  }

  // 1. First connection: stage, validate, apply (the box starts its rollback timer first).
  let applyStarted = 0
  const first = await connectSsh(target, env)
  try {
    const run = async (name: keyof RenderedConfig['commands'], timeoutMs = 60_000) =>
      first.exec(config.commands[name], {allowFailure: true, timeoutMs})
    const prep = await run('prepare')
    if (prep.code !== 0)
      await fail(FAIL.validation, t('prepareFailed', {staging: config.staging, detail: lastLine(prep.stderr)}), [t('prepareFailedAction')])
    for (const f of config.files)
      await first.upload(Buffer.from(f.content), `${config.staging}/${f.name}`, {mode: Number.parseInt(f.mode, 8)})
    await first.upload(Buffer.from(config.hash + '\n'), `${config.staging}/config.sha256`, {mode: 0o644})
    const v = await run('validate')
    if (v.code !== 0)
      await fail(
        FAIL.validation,
        t('boxRefused', {detail: lastLine(v.stderr) || lastLine(v.stdout)}),
        [t('boxRefusedAction', {uai: school.uai})],
        {stderr: v.stderr.slice(-2000)},
      )
    applyStarted = Date.now()
    try {
      const a = await run('apply', Math.min(60_000, rollbackMs))
      if (a.code === 3) await fail(FAIL.pending, t('applyPending'), [t('applyPendingAction', {seconds: Math.ceil(rollbackMs / 1000)})])
      if (a.code !== 0)
        await fail(FAIL.apply, t('applyFailed', {detail: lastLine(a.stderr)}), [t('applyFailedAction')], {stderr: a.stderr.slice(-2000)})
      log(t('applied', {uai: school.uai, seconds: Math.ceil(rollbackMs / 1000)}))
    } catch (error) {
      // The link may have been cut by the new config itself: find out from a fresh connection.
      if (!(error instanceof RemoteHostError) || !['REMOTE_DISCONNECTED', 'REMOTE_TIMEOUT'].includes(error.code)) throw error
      log(t('connectionLost', {uai: school.uai, code: error.code}))
    }
  } finally {
    await first.close().catch(() => undefined)
  }

  // 2. Fresh connection: health and hashes, then confirm in time.
  let fresh: SshSession | undefined
  try {
    fresh = await connectSsh({...target, connectTimeoutMs: Math.max(3000, Math.min(20_000, rollbackMs / 2))}, env)
  } catch (error) {
    if (!(error instanceof AlpiError) || error.code.startsWith('HOST_KEY')) throw error
    log(t('noFreshConnection', {uai: school.uai, code: error.code}))
  }
  if (!fresh) {
    await sleep(Math.max(0, applyStarted + rollbackMs + 3000 - Date.now()), ctx.signal)
    let state = ''
    try {
      const again = await connectSsh(target, env)
      try {
        state = (await again.exec(config.commands.state, {allowFailure: true, timeoutMs: 30_000})).stdout
      } finally {
        await again.close().catch(() => undefined)
      }
    } catch {
      /* still unreachable */
    }
    if (state.includes(`rolled_back ${config.hash}`)) {
      await fail(
        FAIL.rolledBack,
        t('rolledBackCut', {what: rolledBackWhat(), seconds: rollbackMs / 1000}),
        [t('rolledBackCutAction', {uai: school.uai})],
        {state: state.trim(), rolledBack: config.hash, restored: school.deployedHash},
      )
    }
    await fail(FAIL.unreachable, t('unreachableAfterApply'), [t('unreachableAfterApplyAction')], {state: state.trim()})
  }
  try {
    const c = await fresh!.exec(config.commands.check, {allowFailure: true, timeoutMs: 30_000})
    const parsed = parseCheck(c.stdout)
    const mismatched = config.files.filter((f) => parsed.files[f.name] !== f.sha256).map((f) => f.name)
    if (c.code !== 0 || mismatched.length > 0) {
      await fresh!.exec(config.commands.rollback, {allowFailure: true, timeoutMs: 60_000})
      await fail(
        FAIL.health,
        t('healthFailed', {
          detail: mismatched.length ? t('filesDiffer', {files: mismatched.join(', ')}) : lastLine(c.stdout + '\n' + c.stderr),
        }),
        [t('healthFailedAction')],
        {check: c.stdout.slice(-2000)},
      )
    }
    const k = await fresh!.exec(config.commands.confirm, {allowFailure: true, timeoutMs: 30_000})
    if (k.code !== 0 || !k.stdout.includes(config.hash)) {
      await fail(
        FAIL.rolledBack,
        t('confirmLate', {what: rolledBackWhat(), seconds: rollbackMs / 1000}),
        [t('confirmLateAction', {seconds: rollbackMs / 1000})],
        {rolledBack: config.hash, restored: school.deployedHash},
      )
    }
  } finally {
    await fresh!.close().catch(() => undefined)
  }
  await recordDeployment(ctx, {config, job, outcome: 'confirmed', listVersion: config.listVersion})
  return {uai: school.uai, outcome: 'confirmed', hash: config.hash, files: config.files.length}
}

export interface DeployOptions {
  uais?: string[]
  all?: boolean
  concurrency?: number
  dryRun?: boolean
  /** With dryRun: the file diffs too. */
  diff?: boolean
  force?: boolean
  /** Extra attempts for a box that cannot be reached (default: the fleet runner's). */
  retries?: number
  /** Categories the register no longer requires that this deploy may take off the boxes. */
  allowDrop?: string[]
  ssh?: SshOptions
}

export function deployJobId(plans: SchoolPlan[]): string {
  const h = createHash('sha256')
    .update(
      plans
        .map((p) => `${p.uai}:${p.hash}`)
        .sort()
        .join('\n'),
    )
    .digest('hex')
  return `firewalls-deploy-${h.slice(0, 16)}`
}

export function selectionFrom(opts: DeployOptions): string[] | undefined {
  if (!opts.all && (!opts.uais || opts.uais.length === 0))
    throw new UsageError(t('sayWhichSchools'), {actions: [t('sayWhichSchoolsAction')]})
  if (opts.all && opts.uais && opts.uais.length > 0) throw new UsageError(t('allAndSchool'), {actions: [t('allAndSchoolAction')]})
  return opts.all ? undefined : opts.uais
}

export interface DeployReport {
  dryRun: boolean
  job?: string
  total: number
  ok: number
  failed: number
  skipped: number
  results: {
    uai: string
    status: 'ok' | 'failed' | 'skipped' | 'planned'
    outcome?: string
    hash?: string | null
    error?: {code: string; message: string; actions?: string[]}
  }[]
  /** With --dry-run: the plan (diffs included). */
  plan?: SchoolPlan[]
}

/** `firewalls deploy`: one fleet job over the selected schools (resumable), one result per school. */
export async function deploySchools(ctx: ServiceContext, opts: DeployOptions): Promise<DeployReport> {
  const uais = selectionFrom(opts)
  const planned = await planSchools(ctx, {uais, withDiff: opts.dryRun && opts.diff, allowDrop: opts.allowDrop})
  if (opts.dryRun) {
    const plan = planned.map((p) => p.plan)
    return {
      dryRun: true,
      total: plan.length,
      ok: 0,
      failed: 0,
      skipped: 0,
      plan,
      results: plan.map((p) => ({uai: p.uai, status: 'planned', outcome: p.status, hash: p.hash})),
    }
  }
  const ssh = sshOptionsFrom(ctx, opts.ssh)
  const {runFleet} = await import('../remote/fleet.js')
  const job = deployJobId(planned.map((p) => p.plan))
  const byUai = new Map(planned.map((p) => [p.school.uai, p]))
  const cfg = firewallsConfig.read(ctx.config)
  const report = await runFleet(ctx, {
    job,
    title: t('deployTitle', {count: planned.length}),
    targets: planned.map((p) => ({id: p.school.uai, title: p.school.uai})),
    concurrency: opts.concurrency ?? cfg.concurrency,
    retries: opts.retries,
    // --force pushes again even to schools this job already did.
    fresh: opts.force,
    task: async (target, tc): Promise<SchoolDeployResult> => {
      const p = byUai.get(target.id)!
      if (p.plan.status === 'unchanged' && !opts.force)
        return {uai: p.school.uai, outcome: 'unchanged', hash: p.plan.hash!, files: p.plan.files.length}
      return deploySchool({...ctx, signal: tc.signal}, p, ssh, job, tc.log)
    },
  })
  const out: DeployReport = {
    dryRun: false,
    job,
    total: report.total,
    ok: report.ok,
    failed: report.failed,
    skipped: report.skipped,
    results: report.results.map((r) => ({
      uai: r.target,
      status: r.status,
      outcome: r.result?.outcome,
      hash: r.result?.hash ?? byUai.get(r.target)?.plan.hash ?? null,
      ...(r.error ? {error: {code: r.error.code, message: r.error.message, actions: r.error.actions ?? []}} : {}),
    })),
  }
  if (report.failed > 0) {
    throw new PartialFailure(
      t('deployPartial', {
        failed: report.failed,
        total: report.total,
        uais: out.results
          .filter((r) => r.status === 'failed')
          .map((r) => r.uai)
          .join(', '),
      }),
      {
        // Each failed school keeps its own action (trust a host key, fix an override...): re-running is not always the fix.
        actions: [...new Set(out.results.flatMap((r) => (r.error?.actions?.length ? [`${r.uai}: ${r.error.actions[0]}`] : [])))].concat(
          t('failedActions'),
          t('rerunAction'),
        ),
        data: out,
      },
    )
  }
  return out
}
