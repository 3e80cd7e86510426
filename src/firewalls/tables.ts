/** Kysely table types of the firewalls campaign (created by src/store/migrations/0003_firewalls.ts). */

/** The school register: one row per school (natural key: UAI). */
export interface FwSchoolsTable {
  uai: string
  name: string
  commune_insee: string
  authority_kind: string
  authority_name: string
  wan_mode: string
  wan_address: string | null
  wan_gateway: string | null
  lan_cidr: string
  lan_gateway: string
  dhcp_start: string
  dhcp_end: string
  vpn: string | null
  box_serial: string | null
  mgmt_host: string | null
  mgmt_port: number
  mgmt_user: string | null
  profile: string
  /** OverridesSchema as JSON text. */
  overrides: string
  /** From the national directory or an authority list (0006_firewalls_register). */
  commune_name: string | null
  address: string | null
  postal_code: string | null
  /** Per field, how its value came: JSON {field: {by: given|derived|allocated|default, source?}} (see src/firewalls/register.ts). */
  provenance: string
  /** sha256 over the files last confirmed on the box; null = never deployed. */
  deployed_hash: string | null
  deployed_at: string | null
  deployed_list_version: string | null
  created_at: string
  updated_at: string
}

/** The files last confirmed on each box (what `plan` diffs against). */
export interface FwDeployedFilesTable {
  uai: string
  path: string
  sha256: string
  content: string
  mode: string
  deployed_at: string
}

/** Every deploy attempt, one row per school and run. */
export interface FwDeploymentsTable {
  id: string
  uai: string
  job: string
  at: string
  config_hash: string
  /** 'confirmed' | 'rolled_back' | 'failed' */
  outcome: string
  error_code: string | null
  /** JSON; a confirmed deploy records `{listVersion, categories}` (the list categories now on the box). */
  detail: string | null
  actor: string
}

/** Verification results, per school and date (management side or from the LAN). */
export interface FwVerificationsTable {
  id: string
  uai: string
  at: string
  side: string
  passed: number
  checks: string
  actor: string
}

/**
 * Filtering list versions (UT1 format). Each update merges into the latest version: the
 * categories read replace theirs, the others are copied unchanged (see lists.ts).
 */
export interface FwListVersionsTable {
  version: string
  loaded_at: string
  source: string
  /** JSON: per category `{domains, loadedAt, from}` (when and in which version its names were read); older rows hold a bare count. */
  categories: string
  /** Domains in the whole version (read and kept). */
  domains: number
  actor: string
}

/** One category of a list version: its validated domains, one per line (sorted). */
export interface FwListCategoriesTable {
  version: string
  category: string
  domains_count: number
  domains: string
}

export interface FirewallsTables {
  fw_schools: FwSchoolsTable
  fw_deployed_files: FwDeployedFilesTable
  fw_deployments: FwDeploymentsTable
  fw_verifications: FwVerificationsTable
  fw_list_versions: FwListVersionsTable
  fw_list_categories: FwListCategoriesTable
}
