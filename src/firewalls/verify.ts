import {audit, type ServiceContext} from '../context/service-context.js'
import {PartialFailure, UsageError} from '../core/errors.js'
import {newId, nowIso} from '../core/ids.js'
import {runTool} from '../tools/exec.js'
import {sshOptionsFrom, verifyConfig, type SshOptions} from './config.js'
import {deployedCategories} from './deployed.js'
import {latestListVersion, readListVersion, requiredCategories} from './lists.js'
import {t, type MessageKey} from './messages/index.js'
import {loadProfile, parseCheck, renderSchoolConfig} from './profile.js'
import {loadSchools, normaliseUaiArg, type SchoolRecord} from './schools.js'

/**
 * `firewalls verify`: prove the filtering works and is kept. Management side (over SSH):
 * services up, files identical to the last deploy, log rotation of a year, list age. From
 * the LAN (a laptop plugged into the school's network; box-agnostic, plain DNS questions):
 * blocked categories blocked, an allowed name resolves, an outside resolver is refused or
 * redirected, known DoH names blocked. Results stored per school with their date.
 */
export interface Check {
  /** A stable identifier ('services', 'blocked: category adult'...); `checkLabel` says it in words. */
  name: string
  passed: boolean
  /** What was seen, in the language of the run: a result's view. The store keeps `code` and `params` (older rows: an English `detail`). */
  detail: string
  code?: MessageKey
  params?: Record<string, string | number>
  /** The list category this check tested from the LAN (WHITELIST_PROBE for whitelist mode). */
  category?: string
  /** The list version its sample names were taken from. */
  listVersion?: string
}

/** The `category` of the check that tests whitelist mode (not a category name: those start with a-z0-9). */
export const WHITELIST_PROBE = '*whitelist'

export interface Verification {
  uai: string
  side: 'management' | 'lan'
  at: string
  passed: boolean
  checks: Check[]
}

/** A check whose detail is a catalog message: its text now, its code and parameters for the store. */
function check(
  name: string,
  passed: boolean,
  code: MessageKey,
  params: Record<string, string | number> = {},
  extra: Pick<Check, 'category' | 'listVersion'> = {},
): Check {
  return {name, passed, detail: t(code, params), code, params, ...extra}
}

/** A check's name in words, in the current language (the names are identifiers, kept as they are in the store and --json). */
export function checkLabel(c: Pick<Check, 'name' | 'category'>): string {
  if (c.category === WHITELIST_PROBE) return t('check.blockedWhitelist')
  if (c.category) return t('check.blockedCategory', {category: c.category})
  const fixed: Record<string, MessageKey> = {
    deployed: 'check.deployed',
    services: 'check.services',
    config: 'check.config',
    'log-retention': 'check.log-retention',
    'list-categories': 'check.list-categories',
    'list-age': 'check.list-age',
    blocked: 'check.blocked',
    'blocked: categories': 'check.blockedCategories',
    'blocked: school block list': 'check.blockedOwn',
    'allowed resolves': 'check.allowed',
    'outside resolver refused or redirected': 'check.outside',
  }
  if (fixed[c.name]) return t(fixed[c.name]!)
  if (c.name.startsWith(DOH_CHECK)) return t('check.doh', {domain: c.name.slice(DOH_CHECK.length)})
  return c.name
}

const DOH_CHECK = 'DoH blocked: '

/** A stored check's detail in the reader's language (rows stored before codes hold English text). */
export function checkDetail(c: Pick<Check, 'detail' | 'code' | 'params'>): string {
  return c.code ? t(c.code, c.params) : c.detail
}
export async function recordVerification(ctx: ServiceContext, v: Verification): Promise<void> {
  // The store keeps codes and parameters, never the text of one language.
  const stored = v.checks.map(({detail: _detail, ...c}) => c)
  await ctx.store.transaction(async (trx) => {
    await trx
      .insertInto('fw_verifications')
      .values({id: newId(), uai: v.uai, at: v.at, side: v.side, passed: v.passed ? 1 : 0, checks: JSON.stringify(stored), actor: ctx.actor})
      .execute()
    await audit(ctx, trx, {
      entity: 'fw_school',
      entityId: v.uai,
      action: `verify-${v.side}`,
      summary: {code: 'fwVerified', params: {side: v.side, passed: v.checks.filter((c) => c.passed).length, total: v.checks.length}},
      result: v.passed ? 'ok' : 'failed',
    })
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
    checks.push(check('deployed', false, 'neverDeployed'))
    return {uai: school.uai, side: 'management', at, passed: false, checks}
  }
  const rendered = renderSchoolConfig(ctx.templatesDir, school)
  const deployed = await ctx.store.db.selectFrom('fw_deployed_files').select(['path', 'sha256']).where('uai', '=', school.uai).execute()
  const {connectSsh} = await import('../remote/ssh.js')
  const session = await connectSsh(
    {
      host: school.mgmtHost!,
      port: school.mgmtPort,
      username: school.mgmtUser ?? ssh.user ?? 'root',
      privateKeyPath: ssh.identity,
      agent: ssh.identity ? undefined : true,
      connectTimeoutMs: ssh.connectTimeoutMs,
    },
    {store: ctx.store, knownHostsFiles: ssh.knownHostsFiles, signal: ctx.signal},
  )
  let out: {code: number; stdout: string; stderr: string}
  try {
    out = await session.exec(rendered.commands.check, {allowFailure: true, timeoutMs: 30_000})
  } finally {
    await session.close().catch(() => undefined)
  }
  const parsed = parseCheck(out.stdout)
  const down = Object.entries(parsed.values)
    .filter(([, v]) => ['down', 'missing', 'absent'].includes(v))
    .map(([k, v]) => `${k}=${v}`)
  const values = Object.entries(parsed.values)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')
  checks.push(
    out.code === 0
      ? check('services', true, 'text', {text: values})
      : check('services', false, 'servicesUnhealthy', {detail: down.join(' ') || out.stderr.trim().slice(0, 200)}),
  )
  const nameOf = new Map(rendered.files.map((f) => [f.path, f.name]))
  const differing = deployed.filter((d) => parsed.files[nameOf.get(d.path) ?? ''] !== d.sha256).map((d) => nameOf.get(d.path) ?? d.path)
  const configOk = deployed.length > 0 && differing.length === 0
  checks.push(
    differing.length === 0
      ? check('config', configOk, 'filesMatch', {hash: school.deployedHash.slice(0, 12)})
      : check('config', false, 'filesChangedOnBox', {files: differing.join(', ')}),
  )
  const days = Number(parsed.values.log_rotate_days ?? '0')
  // A year of rotation says nothing when no query log is written at all (the box reports query_log=absent).
  const logAbsent = parsed.values.query_log === 'absent'
  checks.push(
    check('log-retention', days >= 365 && !logAbsent, logAbsent ? 'logKeptNoLog' : days >= 365 ? 'logKept' : 'logKeptShort', {days}),
  )
  if (school.overrides.whitelist) {
    checks.push(check('list-age', true, 'whitelistNoList'))
  } else {
    checks.push(...(await listChecks(ctx, school, at, cfg.listMaxAgeDays)))
  }
  return {uai: school.uai, side: 'management', at, passed: checks.every((c) => c.passed), checks}
}

/**
 * The list side of a box, from the store: every category the policy requires is on the box
 * (as its last confirmed deploy recorded), and the oldest of them is recent enough. A merged
 * list version keeps categories read long ago: its own date says nothing about them.
 */
async function listChecks(ctx: ServiceContext, school: SchoolRecord, at: string, maxAgeDays: number): Promise<Check[]> {
  const required = requiredCategories(ctx, school)
  const onBox = await deployedCategories(ctx, school)
  const absent = required.filter((c) => !onBox.includes(c))
  const version = school.deployedListVersion && school.deployedListVersion !== 'none' ? school.deployedListVersion : undefined
  const checks: Check[] = [
    absent.length === 0
      ? check('list-categories', true, required.length > 0 ? 'everyCategoryOnBox' : 'noneRequired', {categories: required.join(' ')})
      : check('list-categories', false, version ? 'categoriesNotOnBox' : 'categoriesNotOnBoxNoList', {
          categories: absent.join(', '),
          version: version ?? '',
        }),
  ]
  if (required.length === 0) {
    checks.push(check('list-age', true, 'noCategoryRequired'))
    return checks
  }
  if (!version) {
    checks.push(check('list-age', false, 'noListDeployed'))
    return checks
  }
  const info = await readListVersion(ctx, version)
  const dated = required
    .filter((c) => info?.categories[c])
    .map((c) => ({c, loadedAt: info!.categories[c]!.loadedAt}))
    .sort((a, b) => a.loadedAt.localeCompare(b.loadedAt))
  const oldest = dated[0]
  const age = oldest ? daysBetween(oldest.loadedAt, at) : Infinity
  checks.push(
    oldest
      ? check('list-age', age <= maxAgeDays, 'listAge', {version, category: oldest.c, days: Math.floor(age), max: maxAgeDays})
      : check('list-age', false, 'listAgeNone', {version, max: maxAgeDays}),
  )
  return checks
}

export interface DigAnswer {
  status: string
  answers: string[]
}

export async function dig(server: string, name: string, signal?: AbortSignal): Promise<DigAnswer> {
  const r = await runTool('dig', ['+time=2', '+tries=1', '+noall', '+answer', '+comments', `@${server}`, name, 'A'], {
    pkg: 'dnsutils',
    allowFailure: true,
    timeoutMs: 15_000,
    signal,
  })
  if (r.exitCode !== 0) return {status: r.exitCode === 9 ? 'TIMEOUT' : 'UNREACHABLE', answers: []}
  const status = /status: (\w+)/.exec(r.stdout)?.[1] ?? 'UNKNOWN'
  const answers = r.stdout
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith(';'))
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p[3] === 'A')
    .map((p) => p.at(-1)!)
  return {status, answers}
}

const BLOCK_ANSWERS = new Set(['0.0.0.0', '::'])

/**
 * What a DNS answer proves. Only the box's block answer proves a name is blocked: NXDOMAIN
 * or an empty answer is what an unfiltered resolver also says for a name that does not exist
 * (UT1 lists hold many), so it proves nothing either way.
 */
export type AnswerKind = 'blocked' | 'resolves' | 'no-answer' | 'unreachable'

export function classifyAnswer(a: DigAnswer, blockAddress: string): AnswerKind {
  if (a.status === 'TIMEOUT' || a.status === 'UNREACHABLE') return 'unreachable'
  if (a.status !== 'NOERROR' || a.answers.length === 0) return 'no-answer'
  return a.answers.every((x) => x === blockAddress || BLOCK_ANSWERS.has(x)) ? 'blocked' : 'resolves'
}

/**
 * Up to `n` names spread evenly over a category's domains (one per line, sorted), skipping
 * the school's allowed names. Works on the stored text: a category of millions of names is
 * never split into an array.
 */
export function pickSamples(domains: string, n: number, skip: ReadonlySet<string> = new Set()): string[] {
  const out = new Set<string>()
  if (domains === '') return []
  for (let i = 0; i < n; i++) {
    let pos = Math.floor(((i + 0.5) * domains.length) / n)
    // From the line holding pos, the first name not skipped nor already taken (wrapping once).
    for (let tries = 0; tries < 1000; tries++) {
      const start = domains.lastIndexOf('\n', pos - 1) + 1
      const endAt = domains.indexOf('\n', start)
      const name = domains.slice(start, endAt === -1 ? undefined : endAt)
      if (name && !skip.has(name) && !out.has(name)) {
        out.add(name)
        break
      }
      pos = endAt === -1 ? 0 : endAt + 1
    }
  }
  return [...out]
}

export interface FromLanOptions {
  uai: string
  /** The DNS server a pupil's device gets (default: the box's LAN address). */
  dns?: string
  outsideDns?: string
  allowedDomain?: string
}

/** Ask the names, all at once; the check passes when every one gets the block answer. */
async function blockedCheck(
  dns: string,
  names: string[],
  blockAddress: string,
  signal: AbortSignal | undefined,
  base: Pick<Check, 'name' | 'category' | 'listVersion'>,
): Promise<Check> {
  const answers = await Promise.all(names.map((n) => dig(dns, n, signal)))
  const bad = names
    .map((n, i) => ({n, a: answers[i]!, kind: classifyAnswer(answers[i]!, blockAddress)}))
    .filter((x) => x.kind !== 'blocked')
  const extra = {category: base.category, listVersion: base.listVersion}
  if (bad.length === 0) return check(base.name, true, 'namesBlocked', {count: names.length, names: names.join(' ')}, extra)
  // The kind of each answer stays a code in the parameters: `answers` reads it in the reader's language.
  return check(
    base.name,
    false,
    'namesNotBlocked',
    {
      bad: bad.length,
      count: names.length,
      details: bad.map((x) => `${x.n} → ${[x.a.status, ...x.a.answers].join(' ')} (${t(`answer.${x.kind}`)})`).join('; '),
    },
    extra,
  )
}

/**
 * Checks from a laptop on the school LAN: plain DNS questions, whatever the box is. Every
 * category the school's policy requires is tested with sample names taken from the list
 * version the school should have (the latest: what a deploy renders), whatever is deployed.
 */
export async function verifyFromLan(ctx: ServiceContext, opts: FromLanOptions): Promise<Verification> {
  const [school] = await loadSchools(ctx, [opts.uai])
  const cfg = verifyConfig(ctx)
  const at = nowIso()
  const profile = loadProfile(ctx.templatesDir, school!.profile)
  const blockAddress = school!.overrides.blockAddress ?? profile.defaults.blockAddress
  const kind = (a: DigAnswer) => classifyAnswer(a, blockAddress)
  const dns = opts.dns ?? school!.lanGateway
  const checks: Check[] = []
  const allowed = new Set(school!.overrides.allowDomains ?? [])

  if (school!.overrides.whitelist) {
    checks.push(
      await blockedCheck(dns, ['alpi-whitelist-probe.example.com'], blockAddress, ctx.signal, {
        name: 'blocked: whitelist',
        category: WHITELIST_PROBE,
      }),
    )
  } else {
    const required = requiredCategories(ctx, school!)
    const version = await latestListVersion(ctx)
    const rows =
      version && required.length > 0
        ? new Map(
            (
              await ctx.store.db
                .selectFrom('fw_list_categories')
                .select(['category', 'domains'])
                .where('version', '=', version)
                .where('category', 'in', required)
                .execute()
            ).map((r) => [r.category, r.domains]),
          )
        : new Map<string, string>()
    if (!version && required.length > 0) checks.push(check('blocked: categories', false, 'noListLoaded', {categories: required.join(', ')}))
    for (const c of version ? required : []) {
      const base = {name: `blocked: category ${c}`, category: c, listVersion: version}
      const domains = rows.get(c)
      if (domains === undefined) {
        checks.push(check(base.name, false, 'categoryMissing', {version: version!, categories: c}, base))
        continue
      }
      const names = pickSamples(domains, cfg.verifySamples, allowed)
      if (names.length === 0) checks.push(check(base.name, false, 'noNameToTest', {category: c, version: version!}, base))
      else checks.push(await blockedCheck(dns, names, blockAddress, ctx.signal, base))
    }
    const own = [...new Set(school!.overrides.blockDomains ?? [])].filter((d) => !allowed.has(d)).sort()
    if (own.length > 0)
      checks.push(
        await blockedCheck(dns, pickSamples(own.join('\n'), cfg.verifySamples), blockAddress, ctx.signal, {
          name: 'blocked: school block list',
        }),
      )
    if (required.length === 0 && own.length === 0) checks.push(check('blocked', false, 'nothingToTest'))
  }
  const allowedName = opts.allowedDomain ?? school!.overrides.allowDomains?.[0] ?? cfg.allowedDomain
  const ok = await dig(dns, allowedName, ctx.signal)
  checks.push(
    check('allowed resolves', kind(ok) === 'resolves', 'text', {text: `${allowedName} → ${ok.status} ${ok.answers.join(',')}`.trim()}),
  )
  // A name known to exist (a DoH resolver): unfiltered, the outside resolver gives its real
  // address; a name from a list may no longer exist and prove nothing.
  const outside = opts.outsideDns ?? cfg.outsideDns
  const probe = profile.doh.domains.find((d) => !allowed.has(d)) ?? profile.doh.domains[0]!
  const direct = await dig(outside, probe, ctx.signal)
  const bypassRefused = direct.status === 'REFUSED' || ['unreachable', 'blocked'].includes(kind(direct))
  checks.push(
    check('outside resolver refused or redirected', bypassRefused, 'text', {
      text: `${probe} @${outside} → ${direct.status} ${direct.answers.join(',')}`.trim(),
    }),
  )
  for (const d of profile.doh.domains.slice(0, 3)) {
    const a = await dig(dns, d, ctx.signal)
    checks.push(check(`${DOH_CHECK}${d}`, kind(a) === 'blocked', 'text', {text: `${a.status} ${a.answers.join(',')}`.trim()}))
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
    if (!opts.uais || opts.uais.length !== 1) throw new UsageError(t('fromLanOneSchool'), {actions: [t('fromLanOneSchoolAction')]})
    const v = await verifyFromLan(ctx, {
      uai: normaliseUaiArg(opts.uais[0]!),
      dns: opts.dns,
      outsideDns: opts.outsideDns,
      allowedDomain: opts.allowedDomain,
    })
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
        const v = await verifyManagement(
          ctx,
          schools.find((s) => s.uai === target.id)!,
          ssh,
        )
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
  const result: VerifyReport = {
    side: opts.fromLan ? 'lan' : 'management',
    total: verifications.length + errors.length,
    passed,
    failed: verifications.length - passed + errors.length,
    verifications,
    errors,
  }
  if (result.failed > 0) {
    throw new PartialFailure(t('verifyPartial', {failed: result.failed, total: result.total}), {
      actions: [t('verifyPartialAction')],
      data: result,
    })
  }
  return result
}
