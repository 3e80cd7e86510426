import {AlpiError} from '../core/errors.js'
import {formatTable} from '../cli/table.js'
import type {InspectResult} from './inspect.js'
import type {MigrateSummary, ValidateResult} from './migrate.js'
import type {ReconcileResult} from './reconcile.js'
import {formatEuros, t} from './messages/index.js'

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
    if (error instanceof AlpiError && error.data && (error.code === 'INPUT_REJECTED' || error.code === 'RECONCILE_MISMATCH'))
      show(error.data as T)
    throw error
  }
  show(result)
  return result
}

export function migrateView(r: MigrateSummary): string {
  const lines = [
    formatTable(
      Object.entries(r.entities).map(([entity, s]) => ({
        entity,
        in: s!.skipped ? t('notRead') : s!.in,
        out: s!.out,
        rejected: s!.rejected,
        merged: s!.merged,
      })),
      [
        {key: 'entity', header: t('h.entity')},
        {key: 'in', header: t('h.in')},
        {key: 'out', header: t('h.out')},
        {key: 'rejected', header: t('h.rejected')},
        {key: 'merged', header: t('h.merged')},
      ],
    ),
    t('migrateTotals', {
      invoiced: formatEuros(r.totals.after.invoiced),
      paid: formatEuros(r.totals.after.paid),
      unpaid: formatEuros(r.totals.after.unpaid),
      merges: r.merges.length,
    }),
  ]
  if (r.leftBehind.rows > 0)
    lines.push(
      t('leftBehindLine', {
        rows: r.leftBehind.rows,
        households: r.leftBehind.households,
        invoiced: formatEuros(r.leftBehind.invoiced),
        paid: formatEuros(r.leftBehind.paid),
      }),
    )
  if (r.target) lines.push(t('migrateWritten', {out: r.target}))
  return lines.join('\n')
}

export function validateView(r: ValidateResult): string {
  return formatTable(
    Object.entries(r.entities).map(([entity, s]) => ({
      entity,
      file: s!.file ?? '',
      rows: s!.skipped ? t('notRead') : s!.in,
      rejected: s!.rejected,
    })),
    [
      {key: 'entity', header: t('h.entity')},
      {key: 'file', header: t('h.file')},
      {key: 'rows', header: t('h.rows')},
      {key: 'rejected', header: t('h.rejected')},
    ],
  )
}

const euros = (n: number | undefined) => (n === undefined ? '' : formatEuros(n))
/** Rows listed on a terminal; --json and rejets.tsv have them all. */
export const LISTED_ROWS = 10_000

export function reconcileView(r: ReconcileResult): string {
  const out = [
    formatTable(
      r.entities.map((a) => ({
        entity: a.entity,
        in: a.in,
        out: a.notMigrated ? (a.notMigrated === 'health' ? t('notMigratedHealth') : t('notMappedEntity')) : (a.out ?? ''),
        rejected: a.rejected,
        merged: a.merged,
      })),
      [
        {key: 'entity', header: t('h.entity')},
        {key: 'in', header: t('h.export')},
        {key: 'out', header: t('h.output')},
        {key: 'rejected', header: t('h.leftBehind')},
        {key: 'merged', header: t('h.merged')},
      ],
    ),
  ]
  const lb = r.leftBehind
  if (lb.rows.length > 0) {
    out.push('', t('reconcileTable'))
    out.push(
      formatTable(
        lb.rows.slice(0, LISTED_ROWS).map((l) => ({
          file: l.file,
          row: l.row,
          key: l.key ?? '',
          household: l.householdId ?? '',
          invoiced: euros(l.invoiced),
          paid: euros(l.paid),
          fields: l.fields.join(', '),
        })),
        [
          {key: 'file', header: t('h.file')},
          {key: 'row', header: t('h.row')},
          {key: 'key', header: t('h.key')},
          {key: 'household', header: t('h.household')},
          {key: 'invoiced', header: t('h.invoiced')},
          {key: 'paid', header: t('h.paid')},
          {key: 'fields', header: t('h.fields')},
        ],
      ),
    )
    if (lb.rows.length > LISTED_ROWS) out.push(t('moreRows', {count: lb.rows.length - LISTED_ROWS, file: lb.rejectsFile ?? 'rejets.tsv'}))
    out.push(
      t('leftBehindLine', {
        rows: lb.totals.rows,
        households: lb.totals.households,
        invoiced: formatEuros(lb.totals.invoiced),
        paid: formatEuros(lb.totals.paid),
      }),
    )
  }
  if (r.differences.length > 0) {
    out.push(
      '',
      formatTable(
        r.differences
          .slice(0, LISTED_ROWS)
          .map((d) => ({what: d.householdId ?? d.entity ?? '', measure: d.measure, source: d.source, target: d.target})),
        [
          {key: 'what', header: t('h.what')},
          {key: 'measure', header: t('h.measure')},
          {key: 'source', header: t('h.expected')},
          {key: 'target', header: t('h.output')},
        ],
      ),
    )
    if (r.differences.length > LISTED_ROWS) out.push(t('moreDifferences', {count: r.differences.length - LISTED_ROWS}))
  }
  return out.join('\n')
}

/** The last line of a reconcile with no difference. */
export function reconcileOkLine(r: ReconcileResult): string {
  return t('reconcileOk', {source: r.households.source, target: r.households.target, unpaid: formatEuros(r.totals.target.unpaid)})
}

/** `cityfamily inspect`: one line per file, then per file the columns worth a look, then the files the mapping does not know. */
export function inspectView(r: InspectResult): string {
  const out = [
    formatTable(
      r.files.map((f) => ({
        file: f.file,
        present: f.present ? t('yes') : t('missing'),
        encoding: f.encoding ?? '',
        delimiter: f.delimiter === '\t' ? t('tab') : (f.delimiter ?? ''),
        rows: f.rows,
        ragged: f.raggedRows,
        suspicious: f.columns.reduce((a, c) => a + c.suspicious, 0),
        missing: f.missingColumns.join(', '),
      })),
      [
        {key: 'file', header: t('h.file')},
        {key: 'present', header: t('h.present')},
        {key: 'encoding', header: t('h.encoding')},
        {key: 'delimiter', header: t('h.sep')},
        {key: 'rows', header: t('h.rows')},
        {key: 'ragged', header: t('h.ragged')},
        {key: 'suspicious', header: t('h.suspicious')},
        {key: 'missing', header: t('h.missingColumns')},
      ],
    ),
  ]
  for (const f of r.files) {
    const odd = f.columns.filter((c) => c.suspicious > 0 || c.field === null || c.fillRate < 0.5)
    if (odd.length === 0) continue
    out.push(`\n${f.file}`)
    out.push(
      formatTable(
        odd.map((c) => ({
          header: c.header,
          field: c.field ?? t('notMappedColumn'),
          fill: `${Math.round(c.fillRate * 100)}%`,
          suspicious: c.suspicious,
          examples: c.examples.map((e) => t('exampleLine', {row: e.row, message: e.message})).join('; '),
        })),
        [
          {key: 'header', header: t('h.column')},
          {key: 'field', header: t('h.field')},
          {key: 'fill', header: t('h.filled')},
          {key: 'suspicious', header: t('h.suspicious')},
          {key: 'examples', header: t('h.examples')},
        ],
      ),
    )
  }
  if (r.unknownFiles.length > 0) out.push('\n' + t('notMapped', {list: r.unknownFiles.join(', ')}))
  return out.join('\n')
}
