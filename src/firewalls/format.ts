import {formatTable} from '../cli/table.js'
import {t} from './messages/index.js'
import type {PlanResult, PlannedFile, SchoolPlan} from './plan.js'

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
