import {z} from 'zod'
import {configSection} from '../core/config.js'
import {audit, type ServiceContext} from '../core/context.js'
import {PartialFailure, UsageError} from '../core/errors.js'
import {newId, nowIso} from '../core/ids.js'
import {runTool} from '../remote/exec.js'
import {parseCheck, sshOptionsFrom, type SshOptions} from './deploy.js'
import {loadProfile, renderSchoolConfig} from './profile.js'
import {loadSchools, normaliseUaiArg, type SchoolRecord} from './schools.js'

/**
 * `firewalls verify`: prove the filtering works and is kept. Management side (over SSH):
 * services up, files identical to the last deploy, log rotation of a year, list age. From
 * the LAN (a laptop plugged into the school's network; box-agnostic, plain DNS questions):
 * blocked categories blocked, an allowed name resolves, an outside resolver is refused or
 * redirected, known DoH names blocked. Results stored per school with their date.
 */
export interface Check {
  name: string
  passed: boolean
  detail: string
}

export interface Verification {
  uai: string
  side: 'management' | 'lan'
  at: string
  passed: boolean
  checks: Check[]
}

const VerifyConfigSchema = z
  .object({
    /** A list older than this is a failed check (UT1 changes daily). */
    listMaxAgeDays: z.number().int().min(1).default(35),
    /** Resolver outside the school used to test that DNS cannot bypass the box. */
    outsideDns: z.string().default('9.9.9.9'),
    /** A name that must resolve from every school. */
    allowedDomain: z.string().default('education.gouv.fr'),
    /** Verified less recently than this → "overdue" in the compliance report. */
    verifyEveryDays: z.number().int().min(1).default(90),
  })
  .loose()

export function verifyConfig(ctx: ServiceContext) {
  return configSection(ctx.config, 'firewalls', VerifyConfigSchema)
}

export async function recordVerification(ctx: ServiceContext, v: Verification): Promise<void> {
  await ctx.store.transaction(async (trx) => {
    await trx.insertInto('fw_verifications').values({id: newId(), uai: v.uai, at: v.at, side: v.side, passed: v.passed ? 1 : 0, checks: JSON.stringify(v.checks), actor: ctx.actor}).execute()
    await audit(ctx, trx, {entity: 'fw_school', entityId: v.uai, action: `verify-${v.side}`, summary: `${v.side} verification: ${v.checks.filter((c) => c.passed).length}/${v.checks.length} checks passed`, result: v.passed ? 'ok' : 'failed'})
  })
}

function daysBetween(a: string, b: string): number {
  return (Date.parse(b) - Date.parse(a)) / 86_400_000
}

/** Management-side checks of one school's box (one SSH connection). */
export async function verifyManagement(ctx: ServiceContext, school: SchoolRecord, ssh: SshOptions): Promise<Verification> {
  const at = nowIso()
  const checks: Check[] = []
  const cfg = verifyConfig(ctx)
  if (!school.deployedHash) {
    checks.push({name: 'deployed', passed: false, detail: 'never deployed by alpi'})
    return {uai: school.uai, side: 'management', at, passed: false, checks}
  }
  const rendered = renderSchoolConfig(ctx.templatesDir, school)
  const deployed = await ctx.store.db.selectFrom('fw_deployed_files').select(['path', 'sha256']).where('uai', '=', school.uai).execute()
  const {connectSsh} = await import('../remote/ssh.js')
  const session = await connectSsh({host: school.mgmtHost!, port: school.mgmtPort, username: school.mgmtUser ?? ssh.user ?? 'root', privateKeyPath: ssh.identity, agent: ssh.identity ? undefined : true, connectTimeoutMs: ssh.connectTimeoutMs}, {store: ctx.store, knownHostsFiles: ssh.knownHostsFiles, signal: ctx.signal})
  let out: {code: number; stdout: string; stderr: string}
  try {
    out = await session.exec(rendered.commands.check, {allowFailure: true, timeoutMs: 30_000})
  } finally {
    await session.close().catch(() => undefined)
  }
  const parsed = parseCheck(out.stdout)
  const down = Object.entries(parsed.values).filter(([, v]) => ['down', 'missing', 'absent'].includes(v)).map(([k, v]) => `${k}=${v}`)
  checks.push({name: 'services', passed: out.code === 0, detail: out.code === 0 ? Object.entries(parsed.values).map(([k, v]) => `${k}=${v}`).join(' ') : `unhealthy: ${down.join(' ') || out.stderr.trim().slice(0, 200)}`})
  const nameOf = new Map(rendered.files.map((f) => [f.path, f.name]))
  const differing = deployed.filter((d) => parsed.files[nameOf.get(d.path) ?? ''] !== d.sha256).map((d) => nameOf.get(d.path) ?? d.path)
  checks.push({name: 'config', passed: deployed.length > 0 && differing.length === 0, detail: differing.length === 0 ? `files match deploy ${school.deployedHash.slice(0, 12)}` : `changed on the box since the deploy: ${differing.join(', ')}`})
  const days = Number(parsed.values.log_rotate_days ?? '0')
  checks.push({name: 'log-retention', passed: days >= 365, detail: `query log kept ${days} days${days >= 365 ? '' : ' (less than a year)'}`})
  if (school.overrides.whitelist) {
    checks.push({name: 'list-age', passed: true, detail: 'whitelist mode: no blacklist needed'})
  } else if (!school.deployedListVersion || school.deployedListVersion === 'none') {
    checks.push({name: 'list-age', passed: false, detail: 'no UT1 list deployed (run `alpi firewalls lists update --from DIR --push`)'})
  } else {
    const v = await ctx.store.db.selectFrom('fw_list_versions').select('loaded_at').where('version', '=', school.deployedListVersion).executeTakeFirst()
    const age = v ? daysBetween(v.loaded_at, at) : Infinity
    checks.push({name: 'list-age', passed: age <= cfg.listMaxAgeDays, detail: `list ${school.deployedListVersion}, ${Number.isFinite(age) ? Math.floor(age) : '?'} day(s) old (max ${cfg.listMaxAgeDays})`})
  }
  return {uai: school.uai, side: 'management', at, passed: checks.every((c) => c.passed), checks}
}

export interface DigAnswer {
  status: string
  answers: string[]
}

export async function dig(server: string, name: string, signal?: AbortSignal): Promise<DigAnswer> {
  const r = await runTool('dig', ['+time=2', '+tries=1', '+noall', '+answer', '+comments', `@${server}`, name, 'A'], {pkg: 'dnsutils', allowFailure: true, timeoutMs: 15_000, signal})
  if (r.exitCode !== 0) return {status: r.exitCode === 9 ? 'TIMEOUT' : 'UNREACHABLE', answers: []}
  const status = /status: (\w+)/.exec(r.stdout)?.[1] ?? 'UNKNOWN'
  const answers = r.stdout.split('\n').filter((l) => l.trim() && !l.startsWith(';')).map((l) => l.trim().split(/\s+/))
    .filter((p) => p[3] === 'A').map((p) => p.at(-1)!)
  return {status, answers}
}

const BLOCK_ANSWERS = new Set(['0.0.0.0', '::'])

export interface FromLanOptions {
  uai: string
  /** The DNS server a pupil's device gets (default: the box's LAN address). */
  dns?: string
  outsideDns?: string
  allowedDomain?: string
}

/** Checks from a laptop on the school LAN: plain DNS questions, whatever the box is. */
export async function verifyFromLan(ctx: ServiceContext, opts: FromLanOptions): Promise<Verification> {
  const [school] = await loadSchools(ctx, [opts.uai])
  const cfg = verifyConfig(ctx)
  const at = nowIso()
  const profile = loadProfile(ctx.templatesDir, school!.profile)
  const blockAddress = school!.overrides.blockAddress ?? profile.defaults.blockAddress
  const isBlocked = (a: DigAnswer) => ['NXDOMAIN', 'REFUSED'].includes(a.status) || (a.status === 'NOERROR' && (a.answers.length === 0 || a.answers.every((x) => x === blockAddress || BLOCK_ANSWERS.has(x))))
  const dns = opts.dns ?? school!.lanGateway
  const checks: Check[] = []

  // One test name per blocked category (the first domain of the deployed list), plus the school's own blocks.
  const probes: {label: string; name: string}[] = []
  if (school!.overrides.whitelist) {
    probes.push({label: 'whitelist', name: 'alpi-whitelist-probe.example.com'})
  } else {
    const version = school!.deployedListVersion
    const categories = school!.overrides.categories ?? profile.defaults.categories
    if (version && version !== 'none') {
      const rows = await ctx.store.db.selectFrom('fw_list_categories').select(['category', 'domains']).where('version', '=', version).where('category', 'in', categories).orderBy('category').execute()
      for (const r of rows) if (r.domains) probes.push({label: `category ${r.category}`, name: r.domains.split('\n', 1)[0]!})
    }
    if (probes.length === 0 && !school!.overrides.blockDomains?.length) checks.push({name: 'blocked', passed: false, detail: 'no blocked category or domain to test: no list deployed'})
    const own = school!.overrides.blockDomains?.[0]
    if (own) probes.push({label: 'school block list', name: own})
  }
  for (const p of probes) {
    const a = await dig(dns, p.name, ctx.signal)
    checks.push({name: `blocked: ${p.label}`, passed: isBlocked(a), detail: `${p.name} → ${a.status} ${a.answers.join(',')}`.trim()})
  }
  const allowed = opts.allowedDomain ?? school!.overrides.allowDomains?.[0] ?? cfg.allowedDomain
  const ok = await dig(dns, allowed, ctx.signal)
  checks.push({name: 'allowed resolves', passed: ok.status === 'NOERROR' && ok.answers.length > 0 && !isBlocked(ok), detail: `${allowed} → ${ok.status} ${ok.answers.join(',')}`.trim()})
  const outside = opts.outsideDns ?? cfg.outsideDns
  const probe = probes[0]?.name ?? profile.doh.domains[0]!
  const direct = await dig(outside, probe, ctx.signal)
  const bypassRefused = ['TIMEOUT', 'UNREACHABLE', 'REFUSED'].includes(direct.status) || isBlocked(direct)
  checks.push({name: 'outside resolver refused or redirected', passed: bypassRefused, detail: `${probe} @${outside} → ${direct.status} ${direct.answers.join(',')}`.trim()})
  for (const d of profile.doh.domains.slice(0, 3)) {
    const a = await dig(dns, d, ctx.signal)
    checks.push({name: `DoH blocked: ${d}`, passed: isBlocked(a), detail: `${a.status} ${a.answers.join(',')}`.trim()})
  }
  return {uai: school!.uai, side: 'lan', at, passed: checks.every((c) => c.passed), checks}
}

export interface VerifyOptions {
  uais?: string[]
  fromLan?: boolean
  dns?: string
  outsideDns?: string
  allowedDomain?: string
  concurrency?: number
  ssh?: SshOptions
}

export interface VerifyReport {
  side: 'management' | 'lan'
  total: number
  passed: number
  failed: number
  verifications: Verification[]
  /** Schools that could not be checked at all (unreachable...). */
  errors: {uai: string; code: string; message: string}[]
}

export async function verifySchools(ctx: ServiceContext, opts: VerifyOptions): Promise<VerifyReport> {
  const verifications: Verification[] = []
  const errors: VerifyReport['errors'] = []
  if (opts.fromLan) {
    if (!opts.uais || opts.uais.length !== 1) throw new UsageError('--from-lan checks the school whose LAN this computer is on: give exactly one --school', {actions: ['Pass --school UAI.']})
    const v = await verifyFromLan(ctx, {uai: normaliseUaiArg(opts.uais[0]!), dns: opts.dns, outsideDns: opts.outsideDns, allowedDomain: opts.allowedDomain})
    await recordVerification(ctx, v)
    verifications.push(v)
  } else {
    const schools = await loadSchools(ctx, opts.uais)
    const ssh = sshOptionsFrom(ctx, opts.ssh)
    const {runFleet} = await import('../remote/fleet.js')
    const report = await runFleet(ctx, {
      job: `firewalls-verify-${nowIso()}`,
      fresh: true,
      retries: 0,
      concurrency: opts.concurrency ?? 10,
      targets: schools.map((s) => ({id: s.uai})),
      task: async (target) => {
        const v = await verifyManagement(ctx, schools.find((s) => s.uai === target.id)!, ssh)
        await recordVerification(ctx, v)
        return v
      },
    })
    for (const r of report.results) {
      if (r.result) verifications.push(r.result)
      else if (r.error) errors.push({uai: r.target, code: r.error.code, message: r.error.message})
    }
  }
  const passed = verifications.filter((v) => v.passed).length
  const result: VerifyReport = {side: opts.fromLan ? 'lan' : 'management', total: verifications.length + errors.length, passed, failed: verifications.length - passed + errors.length, verifications, errors}
  if (result.failed > 0) {
    throw new PartialFailure(`${result.failed} of ${result.total} school(s) failed verification`, {actions: ['See the failed checks (--json: data.verifications); fix and re-run `alpi firewalls deploy`, then verify again.'], data: result})
  }
  return result
}
