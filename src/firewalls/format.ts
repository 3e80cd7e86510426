import {formatTable} from '../cli/table.js'
import {t} from './messages.js'
import type {PlanResult} from './plan.js'

/** The human view of a plan (stdout): one line per school, then the diffs. */
export function formatPlan(r: PlanResult, opts: {diffs?: boolean} = {}): string {
  const lines = [formatTable(r.schools.map((s) => ({
    uai: s.uai,
    status: s.status,
    files: s.files.filter((f) => f.change !== 'same').map((f) => `${f.name}:${f.change}`).join(' ') || '-',
    hash: s.hash?.slice(0, 12) ?? '-',
    // Not a problem for the deploy (nothing is dropped), but the box cannot block what the list lacks.
    problems: [...s.problems, ...(s.categories?.missing.length ? [t('categoryMissing', {version: s.categories.listVersion ?? 'none', categories: s.categories.missing.join(', ')})] : [])].join('; '),
  })), [{key: 'uai', header: 'UAI'}, {key: 'status', header: 'STATUS'}, {key: 'hash', header: 'CONFIG'}, {key: 'files', header: 'FILES'}, {key: 'problems', header: 'PROBLEMS'}])]
  if (opts.diffs !== false) {
    for (const s of r.schools) for (const f of s.files) if (f.diff) lines.push('', `# ${s.uai} ${f.name}`, f.diff.trimEnd())
  }
  return lines.join('\n')
}
