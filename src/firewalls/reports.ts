import type {ServiceContext} from '../core/context.js'
import {nowIso} from '../core/ids.js'
import {renderTemplate} from '../core/templates.js'
import {loadProfile} from './profile.js'
import {loadSchools, normaliseUaiArg, type SchoolRecord} from './schools.js'
import {verifyConfig} from './verify.js'

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
  status: 'not-equipped' | 'ok' | 'failing' | 'overdue'
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

export async function complianceReport(ctx: ServiceContext): Promise<ComplianceReport> {
  const schools = await loadSchools(ctx)
  const {verifyEveryDays} = verifyConfig(ctx)
  const now = nowIso()
  const verifs = await ctx.store.db.selectFrom('fw_verifications').select(['uai', 'at', 'passed']).orderBy('at').execute()
  const lastOf = new Map<string, {at: string; passed: boolean}>()
  const lastPassOf = new Map<string, string>()
  for (const v of verifs) {
    lastOf.set(v.uai, {at: v.at, passed: v.passed === 1})
    if (v.passed === 1) lastPassOf.set(v.uai, v.at)
  }
  const byAuthority = new Map<string, ComplianceAuthority>()
  for (const s of schools) {
    const key = `${s.authorityKind}\0${s.authorityName}`
    const a = byAuthority.get(key) ?? {kind: s.authorityKind, name: s.authorityName, schools: 0, equipped: 0, verifiedPassing: 0, failing: 0, overdue: 0, details: []}
    byAuthority.set(key, a)
    const last = lastOf.get(s.uai)
    const lastPassedAt = lastPassOf.get(s.uai) ?? null
    const equipped = Boolean(s.deployedHash)
    const fresh = lastPassedAt !== null && (Date.parse(now) - Date.parse(lastPassedAt)) / 86_400_000 <= verifyEveryDays
    const status: ComplianceSchool['status'] = !equipped ? 'not-equipped' : last && !last.passed ? 'failing' : fresh ? 'ok' : 'overdue'
    a.schools++
    if (equipped) a.equipped++
    if (status === 'ok') a.verifiedPassing++
    if (status === 'failing') a.failing++
    if (status === 'overdue') a.overdue++
    a.details.push({uai: s.uai, name: s.name, communeInsee: s.communeInsee, equipped, deployedAt: s.deployedAt, lastVerifiedAt: last?.at ?? null, lastVerificationPassed: last ? last.passed : null, lastPassedAt, status})
  }
  const authorities = [...byAuthority.values()].sort((x, y) => x.name.localeCompare(y.name, 'fr'))
  const sum = (k: 'schools' | 'equipped' | 'verifiedPassing' | 'failing' | 'overdue') => authorities.reduce((n, a) => n + a[k], 0)
  return {generatedAt: now, verifyEveryDays, totals: {schools: sum('schools'), equipped: sum('equipped'), verifiedPassing: sum('verifiedPassing'), failing: sum('failing'), overdue: sum('overdue')}, authorities}
}

export function complianceHtml(ctx: ServiceContext, report: ComplianceReport): string {
  return renderTemplate(ctx.templatesDir, 'firewalls/compliance.html.eta', {report, date: report.generatedAt.slice(0, 10).split('-').reverse().join('/')})
}

/** One row per school for the CSV view. */
export function complianceRows(report: ComplianceReport) {
  return report.authorities.flatMap((a) => a.details.map((d) => ({authorityKind: a.kind, authority: a.name, ...d})))
}

export const COMPLIANCE_CSV_COLUMNS = [
  {key: 'authorityKind', header: 'type_autorite'}, {key: 'authority', header: 'autorite'}, {key: 'uai', header: 'uai'}, {key: 'name', header: 'ecole'},
  {key: 'communeInsee', header: 'insee'}, {key: 'equipped', header: 'equipee'}, {key: 'deployedAt', header: 'deploiement'}, {key: 'lastVerifiedAt', header: 'derniere_verification'},
  {key: 'lastVerificationPassed', header: 'resultat'}, {key: 'lastPassedAt', header: 'derniere_verification_reussie'}, {key: 'status', header: 'statut'},
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
  const data: Worksheet = {school: school!, profile: {name: profile.name, description: profile.description}, categories: school!.overrides.categories ?? profile.defaults.categories, whitelist: school!.overrides.whitelist ?? false, generatedAt: nowIso()}
  const html = renderTemplate(ctx.templatesDir, 'firewalls/worksheet.html.eta', {...data, date: data.generatedAt.slice(0, 10).split('-').reverse().join('/')})
  return {data, html}
}
