import type {ImportResult} from '../csv/index.js'

export function importSummary(r: ImportResult, what: string): string {
  return `${r.file}: ${r.rows} row(s) read, ${r.inserted} new ${what}, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected${r.dryRun ? ' (dry run: nothing written)' : ''}`
}
