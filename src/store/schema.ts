import type {CityfamilyTables} from '../cityfamily/tables.js'
import type {FirewallsTables} from '../firewalls/tables.js'
import type {LaptopsTables} from '../laptops/tables.js'
import type {Win7Tables} from '../win7/tables.js'

/**
 * Portable column conventions (same migrations on SQLite and PostgreSQL):
 * text ids or natural keys (no autoincrement), ISO-8601 text timestamps and dates,
 * integer 0/1 booleans, money as integer cents, JSON as text.
 */
export interface AuditLogTable {
  seq: number
  at: string
  actor: string
  command: string
  entity: string
  entity_id: string | null
  action: string
  summary: string
  result: string
  data: string | null
  prev_hash: string
  hash: string
}

export interface AuditHeadTable {
  id: number
  seq: number
  hash: string
}

export interface HostKeysTable {
  host: string
  port: number
  key_type: string
  fingerprint: string
  public_key: string | null
  added_at: string
  added_by: string
}

export interface FleetResultsTable {
  job: string
  target: string
  status: 'running' | 'ok' | 'failed'
  attempts: number
  result: string | null
  error: string | null
  started_at: string | null
  finished_at: string | null
}

export interface CoreTables {
  audit_log: AuditLogTable
  audit_head: AuditHeadTable
  host_keys: HostKeysTable
  fleet_results: FleetResultsTable
}

export interface Database extends CoreTables, LaptopsTables, FirewallsTables, CityfamilyTables, Win7Tables {}
