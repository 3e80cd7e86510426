import type {ImportResult} from '../csv/index.js'
import {t} from './messages.js'

export function importSummary(r: ImportResult, what: 'whatLaptops' | 'whatSites' | 'whatBeneficiaries'): string {
  return t('importSummary', {file: r.file, rows: r.rows, inserted: r.inserted, what: t(what), updated: r.updated, unchanged: r.unchanged, rejected: r.rejected, dry: r.dryRun ? t('dryRun') : ''})
}
