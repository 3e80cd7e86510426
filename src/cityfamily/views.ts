import {AlpiError} from '../core/errors.js'
import {formatTable} from '../cli/table.js'
import {formatEuros, type MigrateSummary, type ValidateResult} from './migrate.js'
import type {ReconcileResult} from './reconcile.js'
import {t} from './messages/index.js'

/**
 * Human views of the cityfamily batch commands. A run that ends with rows rejected (exit 3),
 * or a reconcile that finds differences, prints the same view as a clean run from the
 * error's data, before the error itself goes to stderr.
 */
export async function withSummary<T>(run: Promise<T>, show: (result: T) => void): Promise<T> {
  let result: T
  try {
    result = await run
  } catch (error) {
    if (error instanceof AlpiError && error.data && (error.code === 'INPUT_REJECTED' || error.code === 'RECONCILE_MISMATCH')) show(error.data as T)
    throw error
  }
  show(result)
  return result
}

export function migrateView(r: MigrateSummary): string {
  const lines = [
    formatTable(Object.entries(r.entities).map(([entity, s]) => ({entity, in: s!.skipped ? 'not read' : s!.in, out: s!.out, rejected: s!.rejected, merged: s!.merged})), [
      {key: 'entity', header: 'ENTITY'}, {key: 'in', header: 'IN'}, {key: 'out', header: 'OUT'}, {key: 'rejected', header: 'REJECTED'}, {key: 'merged', header: 'MERGED'},
    ]),
    t('migrateTotals', {invoiced: formatEuros(r.totals.after.invoiced), paid: formatEuros(r.totals.after.paid), unpaid: formatEuros(r.totals.after.unpaid), merges: r.merges.length}),
  ]
  if (r.leftBehind.rows > 0) lines.push(t('leftBehindLine', {rows: r.leftBehind.rows, households: r.leftBehind.households, invoiced: formatEuros(r.leftBehind.invoiced), paid: formatEuros(r.leftBehind.paid)}))
  if (r.target) lines.push(t('migrateWritten', {out: r.target}))
  return lines.join('\n')
}

export function validateView(r: ValidateResult): string {
  return formatTable(Object.entries(r.entities).map(([entity, s]) => ({entity, file: s!.file ?? '', rows: s!.skipped ? 'not read' : s!.in, rejected: s!.rejected})), [
    {key: 'entity', header: 'ENTITY'}, {key: 'file', header: 'FILE'}, {key: 'rows', header: 'ROWS'}, {key: 'rejected', header: 'REJECTED'},
  ])
}

const euros = (n: number | undefined) => (n === undefined ? '' : formatEuros(n))
/** Rows listed on a terminal; --json and rejets.tsv have them all. */
export const LISTED_ROWS = 10_000

export function reconcileView(r: ReconcileResult): string {
  const out = [
    formatTable(r.entities.map((a) => ({entity: a.entity, in: a.in, out: a.notMigrated ? (a.notMigrated === 'health' ? 'not migrated (health)' : 'not mapped') : (a.out ?? ''), rejected: a.rejected, merged: a.merged})), [
      {key: 'entity', header: 'ENTITY'}, {key: 'in', header: 'EXPORT'}, {key: 'out', header: 'OUTPUT'}, {key: 'rejected', header: 'LEFT BEHIND'}, {key: 'merged', header: 'MERGED'},
    ]),
  ]
  const lb = r.leftBehind
  if (lb.rows.length > 0) {
    out.push('', t('reconcileTable'))
    out.push(formatTable(lb.rows.slice(0, LISTED_ROWS).map((l) => ({file: l.file, row: l.row, key: l.key ?? '', household: l.householdId ?? '', invoiced: euros(l.invoiced), paid: euros(l.paid), fields: l.fields.join(', ')})), [
      {key: 'file', header: 'FILE'}, {key: 'row', header: 'ROW'}, {key: 'key', header: 'KEY'}, {key: 'household', header: 'HOUSEHOLD'}, {key: 'invoiced', header: 'INVOICED'}, {key: 'paid', header: 'PAID'}, {key: 'fields', header: 'FIELDS'},
    ]))
    if (lb.rows.length > LISTED_ROWS) out.push(t('moreRows', {count: lb.rows.length - LISTED_ROWS, file: lb.rejectsFile ?? 'rejets.tsv'}))
    out.push(t('leftBehindLine', {rows: lb.totals.rows, households: lb.totals.households, invoiced: formatEuros(lb.totals.invoiced), paid: formatEuros(lb.totals.paid)}))
  }
  if (r.differences.length > 0) {
    out.push('', formatTable(r.differences.slice(0, LISTED_ROWS).map((d) => ({what: d.householdId ?? d.entity ?? '', measure: d.measure, source: d.source, target: d.target})), [
      {key: 'what', header: 'HOUSEHOLD/ENTITY'}, {key: 'measure', header: 'MEASURE'}, {key: 'source', header: 'EXPECTED FROM EXPORT'}, {key: 'target', header: 'OUTPUT'},
    ]))
    if (r.differences.length > LISTED_ROWS) out.push(t('moreDifferences', {count: r.differences.length - LISTED_ROWS}))
  }
  return out.join('\n')
}
