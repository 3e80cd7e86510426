import type {Kysely} from 'kysely'
import type {Dialect} from '../dialect.js'

/**
 * The workshop's day (issue 12): a handover cancelled by mistake keeps its row with
 * `cancelled_at`; lots (intake batches) with their donor; certificates of disks that leave
 * without entering the reconditioning path (parts disks, old win7 PCs); the WEEE hand-offs.
 * Frozen once landed.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('laptop_handovers').addColumn('cancelled_at', 'text').execute()

  await db.schema
    .createTable('laptop_lots')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('donor', 'text', (c) => c.notNull())
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('expected_count', 'integer', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  // A certificate of a disk that is no laptop of the campaign: a parts disk, an old win7 PC
  await db.schema
    .createTable('disk_certificates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_ref', 'text', (c) => c.notNull())
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
  await db.schema.createIndex('disk_certificates_subject').on('disk_certificates').columns(['subject_kind', 'subject_ref']).execute()

  // One row per certificate handed to a WEEE collector (the pickup's list)
  await db.schema
    .createTable('weee_handoffs')
    .addColumn('certificate_id', 'text', (c) => c.primaryKey())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_ref', 'text', (c) => c.notNull())
    .addColumn('collector', 'text', (c) => c.notNull())
    .addColumn('handed_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['weee_handoffs', 'disk_certificates', 'laptop_lots']) await db.schema.dropTable(t).execute()
  await db.schema.alterTable('laptop_handovers').dropColumn('cancelled_at').execute()
}
