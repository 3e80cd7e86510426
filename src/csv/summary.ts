import {render, type Lang, type Text} from '../core/i18n.js'
import type {ImportResult} from './import.js'
import {t} from './messages/index.js'

/**
 * The one summary line of an import, for every campaign (stdout on a clean run and before an
 * exit 3, and the audit entry): "laptops.csv: 8 rows read, 2 new laptops, 0 updated, 1
 * unchanged, 5 rejected". `what` names the new records for their count (a catalog message with
 * plurals, e.g. `(n) => t.m('whatLaptops', {n})`); without it they are just "new".
 */
export function importSummaryLine(
  r: Pick<ImportResult, 'file' | 'rows' | 'inserted' | 'updated' | 'unchanged' | 'rejected'> & {dryRun?: boolean},
  what?: (n: number) => Text,
  lang?: Lang,
): string {
  const n = r.inserted
  return t(
    'summaryLine',
    {
      file: r.file,
      rows: r.rows,
      inserted: n,
      what: what ? render(what(n), lang) : t('summaryNew', {n}, lang),
      updated: r.updated,
      unchanged: r.unchanged,
      rejected: r.rejected,
      dry: r.dryRun ? t('summaryDry', {}, lang) : '',
    },
    lang,
  )
}
