/** Kysely table types of the laptops campaign (created by src/store/migrations/0002_laptops.ts). */
import type {LaptopState} from './states.js'

export interface LaptopSitesTable {
  code: string
  name: string
  commune: string | null
  convention_ref: string
  /** YYYY-MM-DD */
  convention_signed: string
  /** YYYY-MM-DD, last day the convention is valid */
  convention_end: string
  quota: number
  contact: string | null
  created_at: string
  updated_at: string
}

/** Minimal on purpose: name, commune, training path, site. Nothing more. */
export interface LaptopBeneficiariesTable {
  ref: string
  name: string
  commune: string
  training_ref: string | null
  training_start: string | null
  site_code: string
  created_at: string
  updated_at: string
}

export interface LaptopImagesTable {
  name: string
  path: string
  compression: 'none' | 'zstd'
  /** sha256 of the raw (decompressed) content */
  sha256: string
  /** raw size in bytes */
  size: number
  added_at: string
}

export interface LaptopsTable {
  serial: string
  asset_tag: string | null
  maker: string | null
  model: string | null
  lot: string | null
  notes: string | null
  state: LaptopState
  /** cosmetic grade A/B/C */
  grade: string | null
  /** functional verdict: ready / needs_part / scrap */
  verdict: string | null
  verdict_reasons: string | null
  site_code: string | null
  beneficiary_ref: string | null
  image_name: string | null
  image_sha256: string | null
  wipe_certificate_id: string | null
  /** probe snapshot, JSON */
  snapshot: string | null
  probed_at: string | null
  state_changed_at: string
  created_at: string
  updated_at: string
}

export interface LaptopHandoversTable {
  id: string
  serial: string
  site_code: string
  beneficiary_ref: string | null
  handed_at: string
  receipt_path: string | null
  returned_at: string | null
  /** a handover cancelled by mistake (migration 0007) */
  cancelled_at: string | null
}

export interface LaptopWipeCertificatesTable {
  id: string
  serial: string
  device: string
  disk_serial: string | null
  method: string
  level: 'Clear' | 'Purge'
  verified: number
  bytes: number
  errors: number
  started_at: string
  ended_at: string
  /** the full certificate, JSON */
  data: string
}

export interface LaptopEventsTable {
  id: string
  serial: string
  at: string
  /** YYYY-MM-DD of `at`, for per-day counts */
  day: string
  from_state: string | null
  to_state: string
  actor: string
  detail: string | null
}

/** An intake batch from a donor (migration 0007). */
export interface LaptopLotsTable {
  code: string
  donor: string
  /** YYYY-MM-DD */
  received_on: string
  expected_count: number
  notes: string | null
  created_at: string
  updated_at: string
}

/** A certificate of a disk that is not a laptop of the campaign (a parts disk, an old win7 PC). */
export interface DiskCertificatesTable {
  id: string
  subject_kind: 'part' | 'win7_pc'
  subject_ref: string
  device: string
  disk_serial: string | null
  method: string
  level: 'Clear' | 'Purge'
  verified: number
  bytes: number
  errors: number
  started_at: string
  ended_at: string
  data: string
}

/** A certificate handed to a WEEE collector (one pickup = the rows of one collector and day). */
export interface WeeeHandoffsTable {
  certificate_id: string
  subject_kind: 'laptop' | 'part' | 'win7_pc'
  subject_ref: string
  collector: string
  handed_on: string
  created_at: string
}

export interface LaptopsTables {
  laptop_sites: LaptopSitesTable
  laptop_beneficiaries: LaptopBeneficiariesTable
  laptop_images: LaptopImagesTable
  laptops: LaptopsTable
  laptop_handovers: LaptopHandoversTable
  laptop_wipe_certificates: LaptopWipeCertificatesTable
  laptop_events: LaptopEventsTable
  laptop_lots: LaptopLotsTable
  disk_certificates: DiskCertificatesTable
  weee_handoffs: WeeeHandoffsTable
  laptop_bench_jobs: LaptopBenchJobsTable
}

/** A laptop at a bench station (migration 0008, src/laptops/bench/jobs.ts). */
export interface LaptopBenchJobsTable {
  serial: string
  station: string
  bay: string | null
  image: string | null
  /** checklist, wipe, reimage, done */
  step: string
  /** waiting (the technician's turn), running, interrupted, attention, done */
  status: string
  progress: number
  eta_seconds: number | null
  /** JSON: the functional checklist's pass/fail per item */
  checks: string | null
  error: string | null
  started_at: string
  updated_at: string
  heartbeat_ms: number | string
}
