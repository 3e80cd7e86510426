import type {Kysely} from 'kysely'
import type {Dialect} from '../dialect.js'

/**
 * Tables of the laptops campaign (see src/laptops/tables.ts). Frozen once landed: add a new
 * migration for changes. Portable columns only: text keys, ISO text dates, JSON as text,
 * byte counts as bigint.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('laptop_sites')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('commune', 'text')
    .addColumn('convention_ref', 'text', (c) => c.notNull())
    .addColumn('convention_signed', 'text', (c) => c.notNull())
    .addColumn('convention_end', 'text', (c) => c.notNull())
    .addColumn('quota', 'integer', (c) => c.notNull())
    .addColumn('contact', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('laptop_beneficiaries')
    .addColumn('ref', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('commune', 'text', (c) => c.notNull())
    .addColumn('training_ref', 'text')
    .addColumn('training_start', 'text')
    .addColumn('site_code', 'text', (c) => c.notNull().references('laptop_sites.code'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('laptop_images')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('compression', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('added_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('laptops')
    .addColumn('serial', 'text', (c) => c.primaryKey())
    .addColumn('asset_tag', 'text')
    .addColumn('maker', 'text')
    .addColumn('model', 'text')
    .addColumn('lot', 'text')
    .addColumn('notes', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('grade', 'text')
    .addColumn('verdict', 'text')
    .addColumn('verdict_reasons', 'text')
    .addColumn('site_code', 'text', (c) => c.references('laptop_sites.code'))
    .addColumn('beneficiary_ref', 'text')
    .addColumn('image_name', 'text')
    .addColumn('image_sha256', 'text')
    .addColumn('wipe_certificate_id', 'text')
    .addColumn('snapshot', 'text')
    .addColumn('probed_at', 'text')
    .addColumn('state_changed_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('laptops_state').on('laptops').columns(['state', 'site_code']).execute()
  await db.schema.createIndex('laptops_asset_tag').on('laptops').column('asset_tag').execute()

  await db.schema
    .createTable('laptop_handovers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('serial', 'text', (c) => c.notNull().references('laptops.serial'))
    .addColumn('site_code', 'text', (c) => c.notNull())
    // Nulled by `beneficiaries purge` (retention); the handover itself stays.
    .addColumn('beneficiary_ref', 'text')
    .addColumn('handed_at', 'text', (c) => c.notNull())
    .addColumn('receipt_path', 'text')
    .addColumn('returned_at', 'text')
    .execute()
  await db.schema.createIndex('laptop_handovers_serial').on('laptop_handovers').column('serial').execute()

  await db.schema
    .createTable('laptop_wipe_certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('serial', 'text', (c) => c.notNull().references('laptops.serial'))
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('disk_serial', 'text')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('verified', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .addColumn('errors', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('laptop_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('serial', 'text', (c) => c.notNull().references('laptops.serial'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .execute()
  await db.schema.createIndex('laptop_events_serial').on('laptop_events').columns(['serial', 'at']).execute()
  await db.schema.createIndex('laptop_events_day').on('laptop_events').columns(['day', 'to_state']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'laptop_events',
    'laptop_wipe_certificates',
    'laptop_handovers',
    'laptops',
    'laptop_images',
    'laptop_beneficiaries',
    'laptop_sites',
  ]) {
    await db.schema.dropTable(t).execute()
  }
}
