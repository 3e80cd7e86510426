/** Kysely table types of the win7 campaign (created by src/store/migrations/0005_win7.ts). */

/** A member collectivité (commune, syndicat...). `code` is a slug of its GLPI entity name. */
export interface Win7MembersTable {
  code: string
  name: string
  commune: string | null
  /** Computer name rule, e.g. "{code:4}-{serial:6}" (see src/win7/naming.ts). */
  naming_rule: string | null
  /** AD domain the new PCs join, its OU, and the dedicated join account. */
  domain: string | null
  ou: string | null
  join_account: string | null
  /** JSON array of winget package ids. */
  software: string | null
  /** UNC folder where USMT stores the user's data (ScanState → LoadState). */
  usmt_store: string | null
  created_at: string
  updated_at: string
}

export interface Win7SitesTable {
  /** member code + ':' + slug of the location. */
  id: string
  member_code: string
  name: string
  commune: string | null
  created_at: string
}

/** An old PC (role "old", carries the pipeline state) or its replacement (role "new"). */
export interface Win7PcsTable {
  serial: string
  role: 'old' | 'new'
  name: string | null
  member_code: string
  site_id: string | null
  maker: string | null
  model: string | null
  /** 'laptop' | 'desktop' | null (unknown) */
  form_factor: string | null
  os_name: string | null
  os_version: string | null
  cpu: string | null
  ram_mb: number | null
  disk_mb: number | null
  /** '2.0' | '1.2' | 'none' | null (unknown) */
  tpm: string | null
  /** 'uefi' | 'bios' | null */
  firmware: string | null
  /** 0/1, null unknown */
  secure_boot: number | null
  user_login: string | null
  /** Pipeline state (src/win7/states.ts); new PCs follow their old PC's state. */
  state: string
  state_since: string
  /** 'upgrade_in_place' | 'replace' | 'unknown' | null (not assessed) */
  verdict: string | null
  /** JSON array of ReadinessCheck */
  verdict_reasons: string | null
  /** old PC → its new PC, and back */
  replaced_by: string | null
  replaces: string | null
  /** retire: 'weee' | 'wiped', with the certificate path and its sha256 */
  retired_kind: string | null
  retired_ref: string | null
  created_at: string
  updated_at: string
}

export interface Win7CatalogItemsTable {
  reference: string
  category: string
  label: string
  price_cents: number
  available: number
  availability: string | null
  updated_at: string
}

export interface Win7OrdersTable {
  id: string
  member_code: string
  order_date: string
  lines: number
  total_cents: number
  csv_path: string | null
  created_at: string
  actor: string
}

export interface Win7OrderLinesTable {
  order_id: string
  line_no: number
  /** the old PC this line replaces (null for accessory lines) */
  pc_serial: string | null
  reference: string
  category: string
  label: string
  quantity: number
  unit_price_cents: number
  /** the blocked category this line stands in for, with the policy rule id */
  substitutes: string | null
  policy_rule: string | null
}

export interface Win7StagingsTable {
  serial: string
  dir: string
  files: string
  delete_after_use: string
  rendered_at: string
}

export interface Win7StagingStepsTable {
  serial: string
  step: string
  position: number
  status: 'pending' | 'ok' | 'failed'
  attempts: number
  detail: string | null
  finished_at: string | null
}

export interface Win7VisitsTable {
  id: string
  member_code: string
  commune: string | null
  day: string
  serials: string
  created_at: string
}

export interface Win7Tables {
  win7_members: Win7MembersTable
  win7_sites: Win7SitesTable
  win7_pcs: Win7PcsTable
  win7_catalog_items: Win7CatalogItemsTable
  win7_orders: Win7OrdersTable
  win7_order_lines: Win7OrderLinesTable
  win7_stagings: Win7StagingsTable
  win7_staging_steps: Win7StagingStepsTable
  win7_visits: Win7VisitsTable
}
