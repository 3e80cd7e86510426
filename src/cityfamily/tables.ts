/** Kysely table types of the cityfamily campaign (created by src/store/migrations/0004_cityfamily.ts). */

/**
 * One row per migrate run: where from, where to, counts and totals. No personal data: the
 * canonical model lives in files and memory, never in the store.
 */
export interface CityfamilyRunsTable {
  id: string
  kind: 'migrate'
  at: string
  source_dir: string
  target_dir: string | null
  include_health: number
  threshold: string
  /** JSON: entity → {in, out, rejected, merged} */
  counts: string
  /** cents */
  invoiced_before: number
  unpaid_before: number
  invoiced_after: number
  unpaid_after: number
  merges: number
  rejected: number
}

export interface CityfamilyTables {
  cityfamily_runs: CityfamilyRunsTable
}
