import {formatTable} from '../cli/table.js'
import {t} from './messages/index.js'
import type {PlanResult, PlannedFile, SchoolPlan} from './plan.js'

/** "3 added", "alpi-filter.conf changed", "2 changed, 1 removed": what a deploy would change in the files. */
export function filesSummary(files: PlannedFile[]): string {
  const parts: string[] = []
  for (const change of ['added', 'changed', 'removed'] as const) {
    const names = files.filter((f) => f.change === change).map((f) => f.name)
    if (names.length === 0) continue
    parts.push(names.length <= 2 && change !== 'added' ? `${names.join(', ')} ${change}` : `${names.length} ${change}`)
  }
  return parts.join(', ') || '-'
}

function listsSummary(s: SchoolPlan): string {
  const planned = s.listVersion ?? 'none'
  return s.deployedListVersion && s.deployedListVersion !== planned ? `${s.deployedListVersion} -> ${planned}` : planned
}

/**
 * The human view of a plan (stdout): one line per school (what changes: files, filtering
 * lists version, categories, addressing; problems and notes), then the file diffs only with
 * `diffs` (flag --diff): a fleet stays readable.
 */
export function formatPlan(r: PlanResult, opts: {diffs?: boolean} = {}): string {
  const lines = [formatTable(r.schools.map((s) => ({
    uai: s.uai,
    status: s.status,
    files: filesSummary(s.files),
    lists: listsSummary(s),
    // The categories the planned filter blocks (a whitelist school blocks every name but its allowed ones: 0).
    categories: s.categories ? String(s.categories.blocked.length) : '-',
    lan: s.lanCidr,
    hash: s.hash?.slice(0, 12) ?? '-',
    // Not a problem for the deploy (nothing is dropped), but the box cannot block what the list lacks: a note.
    problems: [...s.problems, ...(s.categories?.missing.length ? [t('categoryMissing', {version: s.categories.listVersion ?? 'none', categories: s.categories.missing.join(', ')})] : []), ...s.notes].join('; '),
  })), [{key: 'uai', header: 'UAI'}, {key: 'status', header: 'STATUS'}, {key: 'hash', header: 'CONFIG'}, {key: 'files', header: 'FILES'}, {key: 'lists', header: 'LISTS'}, {key: 'categories', header: 'CATEGORIES'}, {key: 'lan', header: 'LAN'}, {key: 'problems', header: 'PROBLEMS / NOTES'}])]
  if (opts.diffs) {
    for (const s of r.schools) for (const f of s.files) if (f.diff) lines.push('', `# ${s.uai} ${f.name}`, f.diff.trimEnd())
  }
  return lines.join('\n')
}
