import {formatTable} from '../cli/table.js'
import type {DeployReport} from './deploy.js'
import type {ListsUpdateResult} from './lists.js'
import {t} from './messages/index.js'
import type {PlanResult, PlannedFile, SchoolPlan} from './plan.js'
import type {RegisterImportResult, ShownField} from './register.js'
import type {ComplianceReport} from './reports.js'
import type {SchoolRecord} from './schools.js'

/** "3 added", "alpi-filter.conf changed", "2 changed, 1 removed": what a deploy would change in the files. */
export function filesSummary(files: PlannedFile[]): string {
  const parts: string[] = []
  for (const change of ['added', 'changed', 'removed'] as const) {
    const names = files.filter((f) => f.change === change).map((f) => f.name)
    if (names.length === 0) continue
    parts.push(
      names.length <= 2 && change !== 'added'
        ? t(change === 'changed' ? 'files.namesChanged' : 'files.namesRemoved', {names: names.join(', ')})
        : t(`files.${change}`, {count: names.length}),
    )
  }
  return parts.join(', ') || '-'
}

/** A deploy's outcome for one school, in words. */
export function outcomeText(outcome: string): string {
  return outcome === 'confirmed' || outcome === 'unchanged'
    ? t(`outcome.${outcome}`)
    : outcome in PLAN_STATUS
      ? t(`plan.${outcome as keyof typeof PLAN_STATUS}`)
      : outcome
}

const PLAN_STATUS = {new: 1, changed: 1, unchanged: 1, invalid: 1}

/** A competent authority's kind (commune, epci), in words. */
export function kindText(kind: string): string {
  return kind === 'commune' || kind === 'epci' ? t(`kind.${kind}`) : kind
}

function listsSummary(s: SchoolPlan): string {
  const planned = s.listVersion ?? t('none')
  return s.deployedListVersion && s.deployedListVersion !== planned ? `${s.deployedListVersion} -> ${planned}` : planned
}

/**
 * The human view of a plan (stdout): one line per school (what changes: files, filtering
 * lists version, categories, addressing; problems and notes), then the file diffs only with
 * `diffs` (flag --diff): a fleet stays readable.
 */
export function formatPlan(r: PlanResult, opts: {diffs?: boolean} = {}): string {
  const lines = [
    formatTable(
      r.schools.map((s) => ({
        uai: s.uai,
        status: t(`plan.${s.status}`),
        files: filesSummary(s.files),
        lists: listsSummary(s),
        // The categories the planned filter blocks (a whitelist school blocks every name but its allowed ones: 0).
        categories: s.categories ? String(s.categories.blocked.length) : '-',
        lan: s.lanCidr,
        hash: s.hash?.slice(0, 12) ?? '-',
        // Not a problem for the deploy (nothing is dropped), but the box cannot block what the list lacks: a note.
        problems: [
          ...s.problems,
          ...(s.categories?.missing.length
            ? [
                s.categories.listVersion
                  ? t('categoryMissing', {version: s.categories.listVersion, categories: s.categories.missing.join(', ')})
                  : t('noListLoaded', {categories: s.categories.missing.join(', ')}),
              ]
            : []),
          ...s.notes,
        ].join('; '),
      })),
      [
        {key: 'uai', header: t('h.uai')},
        {key: 'status', header: t('h.status')},
        {key: 'hash', header: t('h.config')},
        {key: 'files', header: t('h.files')},
        {key: 'lists', header: t('h.lists')},
        {key: 'categories', header: t('h.categories')},
        {key: 'lan', header: t('h.lan')},
        {key: 'problems', header: t('h.problems')},
      ],
    ),
  ]
  if (opts.diffs) {
    for (const s of r.schools) for (const f of s.files) if (f.diff) lines.push('', `# ${s.uai} ${f.name}`, f.diff.trimEnd())
  }
  return lines.join('\n')
}

/** `firewalls deploy --dry-run`: the plan of the selected schools (the file diffs with `diffs`, flag --diff). */
export function deployPlanView(r: DeployReport, diffs: boolean): string {
  return formatPlan({schools: r.plan!, counts: {total: r.total, changed: 0, unchanged: 0, invalid: 0}}, {diffs})
}

/** `firewalls deploy` (and `lists update --push`): one line per school, a failed one with its own action (e.g. `alpi hosts trust ...`). */
export function deployView(r: DeployReport): string {
  return formatTable(
    r.results.map((x) => ({
      ...x,
      status: t(`run.${x.status}`),
      detail: x.error ? `${x.error.code}: ${x.error.message}` : x.outcome ? outcomeText(x.outcome) : '',
      action: x.error?.actions?.[0] ?? '',
    })),
    [
      {key: 'uai', header: t('h.uai')},
      {key: 'status', header: t('h.status')},
      {key: 'detail', header: t('h.detail')},
      {key: 'action', header: t('h.action')},
    ],
  )
}

/** `firewalls compliance`: one line per competent authority. */
export function complianceView(r: ComplianceReport): string {
  return formatTable(
    r.authorities.map((a) => ({...a, authority: `${kindText(a.kind)}: ${a.name}`})),
    [
      {key: 'authority', header: t('h.authority')},
      {key: 'schools', header: t('h.schools')},
      {key: 'equipped', header: t('h.equipped')},
      {key: 'verifiedPassing', header: t('h.verified')},
      {key: 'failing', header: t('h.failing')},
      {key: 'overdue', header: t('h.overdue')},
    ],
  )
}

/** `firewalls schools list`: the register, one line per school. */
export function schoolsListView(schools: SchoolRecord[]): string {
  if (schools.length === 0) return t('noSchools')
  return formatTable(
    schools.map((s) => ({...s, authority: `${kindText(s.authorityKind)}: ${s.authorityName}`, deployed: s.deployedAt ?? '-'})),
    [
      {key: 'uai', header: t('h.uai')},
      {key: 'name', header: t('h.name')},
      {key: 'communeName', header: t('h.commune')},
      {key: 'authority', header: t('h.authority')},
      {key: 'lanCidr', header: t('h.lan')},
      {key: 'mgmtHost', header: t('h.box')},
      {key: 'profile', header: t('h.profile')},
      {key: 'deployed', header: t('h.deployed')},
    ],
  )
}

/** `firewalls schools show`: each value set, and how it came (given, derived, allocated, default). */
export function schoolShowView(r: {fields: ShownField[]}): string {
  return formatTable(
    r.fields.filter((f) => f.how !== 'unset').map((f) => ({...f, how: t(`how.${f.how as Exclude<typeof f.how, 'unset'>}`)})),
    [
      {key: 'field', header: t('h.field')},
      {key: 'value', header: t('h.value')},
      {key: 'how', header: t('h.how')},
      {key: 'detail', header: t('h.detail')},
    ],
  )
}

/** `firewalls schools import`: the rows left aside (other departments, private schools...), for stderr; none, no line. */
export function outOfScopeLine(r: RegisterImportResult, department: string): string | undefined {
  return r.outOfScope > 0 ? t('outOfScope', {count: r.outOfScope, department}) : undefined
}

/** `firewalls lists update`: the version loaded, then one line per category, read or kept. */
export function listsUpdateView(r: ListsUpdateResult): string {
  const line = t('listsUpdated', {
    version: r.version,
    status: t(`listStatus.${r.status}`),
    read: Object.keys(r.categories).length,
    domains: r.domains,
    kept: Object.keys(r.kept).length,
    previous: r.previous ?? '-',
  })
  const rows = [
    ...Object.entries(r.categories).map(([category, domains]) => ({category, domains, skipped: r.skipped[category] ?? 0, kept: ''})),
    ...Object.entries(r.kept).map(([category, k]) => ({
      category,
      domains: k.domains,
      skipped: '-',
      kept: `${k.from} (${k.loadedAt.slice(0, 10)})`,
    })),
  ].sort((a, b) => a.category.localeCompare(b.category))
  const table = formatTable(rows, [
    {key: 'category', header: t('h.category')},
    {key: 'domains', header: t('h.domains')},
    {key: 'skipped', header: t('h.skipped')},
    {key: 'kept', header: t('h.keptFrom')},
  ])
  return `${line}\n${table}`
}

/** The counts of `lists update --push`. */
export function pushedLine(p: DeployReport): string {
  return t('pushed', {ok: p.ok, skipped: p.skipped, failed: p.failed})
}
