import type {ServiceContext} from '../context/service-context.js'
import {nowIso} from '../core/ids.js'
import {FR, frDate, frTypographyHtml} from '../core/french.js'
import {renderTemplate} from '../core/templates.js'
import {requiredCategories} from './lists.js'
import {loadProfile} from './profile.js'
import {loadSchools, normaliseUaiArg, type SchoolRecord} from './schools.js'
import {verifyConfig} from './config.js'
import {WHITELIST_PROBE, type Check} from './verify.js'

/**
 * The pages people get: the compliance report per competent authority (for a manager to
 * send to an elected official) and the install worksheet of one school. French documents.
 */
export interface ComplianceSchool {
  uai: string
  name: string
  communeInsee: string
  equipped: boolean
  deployedAt: string | null
  lastVerifiedAt: string | null
  lastVerificationPassed: boolean | null
  /** Last passing verification (any side) and its date. */
  lastPassedAt: string | null
  /** Last passing verification from the LAN that tested every category the policy requires. */
  lastTestedAt: string | null
  status: 'not-equipped' | 'ok' | 'failing' | 'overdue'
  /** Why a school is not "ok" although equipped and not failing. */
  reason: OverdueReason | null
  /** Required categories the last LAN verification did not test. */
  untested: string[]
}

/**
 * never-tested: no passing verification from the LAN (the management side tests no name);
 * categories-not-tested: the last one did not test every category the policy requires now;
 * stale: the last complete one is older than verifyEveryDays.
 */
export type OverdueReason = 'never-tested' | 'categories-not-tested' | 'stale'

interface StoredVerification {
  at: string
  side: string
  passed: boolean
  /** Categories (or WHITELIST_PROBE) whose check passed. */
  tested: Set<string>
}

function readVerification(v: {at: string; side: string; passed: number; checks: string}): StoredVerification {
  let checks: Check[] = []
  try {
    const parsed = JSON.parse(v.checks) as unknown
    if (Array.isArray(parsed)) checks = parsed as Check[]
  } catch {
    /* unreadable checks test nothing */
  }
  return {
    at: v.at,
    side: v.side,
    passed: v.passed === 1,
    tested: new Set(checks.filter((c) => c && c.passed === true && typeof c.category === 'string').map((c) => c.category!)),
  }
}

export interface ComplianceAuthority {
  kind: string
  name: string
  schools: number
  equipped: number
  verifiedPassing: number
  failing: number
  overdue: number
  details: ComplianceSchool[]
}

export interface ComplianceReport {
  generatedAt: string
  verifyEveryDays: number
  totals: {schools: number; equipped: number; verifiedPassing: number; failing: number; overdue: number}
  authorities: ComplianceAuthority[]
}

/**
 * Per competent authority. A school is "ok" (verified) only when its last verification from
 * the LAN passed within verifyEveryDays and tested every list category its policy requires
 * (sample names per category, see verifyFromLan); a failing last verification of either
 * side makes it "failing"; a passing management verification alone proves services and
 * files, not filtering, so it never makes a school verified.
 */
export async function complianceReport(ctx: ServiceContext): Promise<ComplianceReport> {
  const schools = await loadSchools(ctx)
  const {verifyEveryDays} = verifyConfig(ctx)
  const now = nowIso()
  const verifs = await ctx.store.db
    .selectFrom('fw_verifications')
    .select(['uai', 'at', 'side', 'passed', 'checks'])
    .orderBy('at')
    .orderBy('id')
    .execute()
  const lastOf = new Map<string, StoredVerification>()
  const lastLanOf = new Map<string, StoredVerification>()
  const lastPassOf = new Map<string, string>()
  for (const row of verifs) {
    const v = readVerification(row)
    lastOf.set(row.uai, v)
    if (v.side === 'lan') lastLanOf.set(row.uai, v)
    if (v.passed) lastPassOf.set(row.uai, v.at)
  }
  const byAuthority = new Map<string, ComplianceAuthority>()
  for (const s of schools) {
    const key = `${s.authorityKind}\0${s.authorityName}`
    const a = byAuthority.get(key) ?? {
      kind: s.authorityKind,
      name: s.authorityName,
      schools: 0,
      equipped: 0,
      verifiedPassing: 0,
      failing: 0,
      overdue: 0,
      details: [],
    }
    byAuthority.set(key, a)
    const last = lastOf.get(s.uai)
    const lan = lastLanOf.get(s.uai)
    const equipped = Boolean(s.deployedHash)
    const required = s.overrides.whitelist ? [WHITELIST_PROBE] : requiredCategories(ctx, s)
    const untested = lan?.passed ? required.filter((c) => !lan.tested.has(c)) : required
    const complete = lan?.passed === true && untested.length === 0
    const fresh = complete && (Date.parse(now) - Date.parse(lan.at)) / 86_400_000 <= verifyEveryDays
    const failing = (last !== undefined && !last.passed) || (lan !== undefined && !lan.passed)
    const status: ComplianceSchool['status'] = !equipped ? 'not-equipped' : failing ? 'failing' : fresh ? 'ok' : 'overdue'
    const reason: OverdueReason | null = status !== 'overdue' ? null : !lan ? 'never-tested' : !complete ? 'categories-not-tested' : 'stale'
    a.schools++
    if (equipped) a.equipped++
    if (status === 'ok') a.verifiedPassing++
    if (status === 'failing') a.failing++
    if (status === 'overdue') a.overdue++
    a.details.push({
      uai: s.uai,
      name: s.name,
      communeInsee: s.communeInsee,
      equipped,
      deployedAt: s.deployedAt,
      lastVerifiedAt: last?.at ?? null,
      lastVerificationPassed: last ? last.passed : null,
      lastPassedAt: lastPassOf.get(s.uai) ?? null,
      lastTestedAt: complete ? lan.at : null,
      status,
      reason,
      untested: status === 'overdue' && reason === 'categories-not-tested' ? untested.filter((c) => c !== WHITELIST_PROBE) : [],
    })
  }
  const authorities = [...byAuthority.values()].sort((x, y) => x.name.localeCompare(y.name, 'fr'))
  const sum = (k: 'schools' | 'equipped' | 'verifiedPassing' | 'failing' | 'overdue') => authorities.reduce((n, a) => n + a[k], 0)
  return {
    generatedAt: now,
    verifyEveryDays,
    totals: {
      schools: sum('schools'),
      equipped: sum('equipped'),
      verifiedPassing: sum('verifiedPassing'),
      failing: sum('failing'),
      overdue: sum('overdue'),
    },
    authorities,
  }
}

export function complianceHtml(ctx: ServiceContext, report: ComplianceReport): string {
  return frTypographyHtml(
    renderTemplate(ctx.templatesDir, 'firewalls/compliance.html.eta', {report, date: frDate(report.generatedAt), fr: FR}),
  )
}

/** One row per school for the CSV view. */
export function complianceRows(report: ComplianceReport) {
  return report.authorities.flatMap((a) =>
    a.details.map((d) => ({authorityKind: a.kind, authority: a.name, ...d, untested: d.untested.join(' ')})),
  )
}

export const COMPLIANCE_CSV_COLUMNS = [
  {key: 'authorityKind', header: 'type_autorite'},
  {key: 'authority', header: 'autorite'},
  {key: 'uai', header: 'uai'},
  {key: 'name', header: 'ecole'},
  {key: 'communeInsee', header: 'insee'},
  {key: 'equipped', header: 'equipee'},
  {key: 'deployedAt', header: 'deploiement'},
  {key: 'lastVerifiedAt', header: 'derniere_verification'},
  {key: 'lastVerificationPassed', header: 'resultat'},
  {key: 'lastPassedAt', header: 'derniere_verification_reussie'},
  {key: 'status', header: 'statut'},
  {key: 'lastTestedAt', header: 'dernier_test_poste_eleve'},
  {key: 'reason', header: 'motif'},
  {key: 'untested', header: 'categories_non_testees'},
]

export interface Worksheet {
  school: SchoolRecord
  profile: {name: string; description: string}
  categories: string[]
  whitelist: boolean
  generatedAt: string
}

export async function worksheet(ctx: ServiceContext, uai: string): Promise<{data: Worksheet; html: string}> {
  const [school] = await loadSchools(ctx, [normaliseUaiArg(uai)])
  const profile = loadProfile(ctx.templatesDir, school!.profile)
  const data: Worksheet = {
    school: school!,
    profile: {name: profile.name, description: profile.description},
    categories: school!.overrides.categories ?? profile.defaults.categories,
    whitelist: school!.overrides.whitelist ?? false,
    generatedAt: nowIso(),
  }
  const html = frTypographyHtml(
    renderTemplate(ctx.templatesDir, 'firewalls/worksheet.html.eta', {...data, date: frDate(data.generatedAt), fr: FR}),
  )
  return {data, html}
}
