import type {Kysely} from 'kysely'
import type {Dialect} from '../dialect.js'

/** Tables of the win7 campaign (see src/win7/tables.ts). Frozen once landed: add a new migration for changes. */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('win7_members')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('commune', 'text')
    .addColumn('naming_rule', 'text')
    .addColumn('domain', 'text')
    .addColumn('ou', 'text')
    .addColumn('join_account', 'text')
    .addColumn('software', 'text')
    .addColumn('usmt_store', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('win7_sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_code', 'text', (c) => c.notNull().references('win7_members.code'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('commune', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('win7_pcs')
    .addColumn('serial', 'text', (c) => c.primaryKey())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('member_code', 'text', (c) => c.notNull().references('win7_members.code'))
    .addColumn('site_id', 'text', (c) => c.references('win7_sites.id'))
    .addColumn('maker', 'text')
    .addColumn('model', 'text')
    .addColumn('form_factor', 'text')
    .addColumn('os_name', 'text')
    .addColumn('os_version', 'text')
    .addColumn('cpu', 'text')
    .addColumn('ram_mb', 'integer')
    .addColumn('disk_mb', 'integer')
    .addColumn('tpm', 'text')
    .addColumn('firmware', 'text')
    .addColumn('secure_boot', 'integer')
    .addColumn('user_login', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_since', 'text', (c) => c.notNull())
    .addColumn('verdict', 'text')
    .addColumn('verdict_reasons', 'text')
    .addColumn('replaced_by', 'text')
    .addColumn('replaces', 'text')
    .addColumn('retired_kind', 'text')
    .addColumn('retired_ref', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('win7_pcs_member_state').on('win7_pcs').columns(['member_code', 'state']).execute()
  await db.schema.createIndex('win7_pcs_site').on('win7_pcs').column('site_id').execute()

  await db.schema
    .createTable('win7_catalog_items')
    .addColumn('reference', 'text', (c) => c.primaryKey())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('price_cents', 'integer', (c) => c.notNull())
    .addColumn('available', 'integer', (c) => c.notNull())
    .addColumn('availability', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('win7_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_code', 'text', (c) => c.notNull().references('win7_members.code'))
    .addColumn('order_date', 'text', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('total_cents', 'integer', (c) => c.notNull())
    .addColumn('csv_path', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('win7_order_lines')
    .addColumn('order_id', 'text', (c) => c.notNull().references('win7_orders.id'))
    .addColumn('line_no', 'integer', (c) => c.notNull())
    .addColumn('pc_serial', 'text')
    .addColumn('reference', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_cents', 'integer', (c) => c.notNull())
    .addColumn('substitutes', 'text')
    .addColumn('policy_rule', 'text')
    .addPrimaryKeyConstraint('win7_order_lines_pk', ['order_id', 'line_no'])
    .execute()

  await db.schema
    .createTable('win7_stagings')
    .addColumn('serial', 'text', (c) => c.primaryKey())
    .addColumn('dir', 'text', (c) => c.notNull())
    .addColumn('files', 'text', (c) => c.notNull())
    .addColumn('delete_after_use', 'text', (c) => c.notNull())
    .addColumn('rendered_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('win7_staging_steps')
    .addColumn('serial', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('detail', 'text')
    .addColumn('finished_at', 'text')
    .addPrimaryKeyConstraint('win7_staging_steps_pk', ['serial', 'step'])
    .execute()

  await db.schema
    .createTable('win7_visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('member_code', 'text', (c) => c.notNull().references('win7_members.code'))
    .addColumn('commune', 'text')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('serials', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'win7_visits',
    'win7_staging_steps',
    'win7_stagings',
    'win7_order_lines',
    'win7_orders',
    'win7_catalog_items',
    'win7_pcs',
    'win7_sites',
    'win7_members',
  ]) {
    await db.schema.dropTable(t).execute()
  }
}
