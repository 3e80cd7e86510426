import type {Kysely} from 'kysely'
import type {Dialect} from '../dialect.js'

/** Tables of the firewalls campaign (see src/firewalls/tables.ts). Frozen once landed: add a new migration for changes. */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('fw_schools')
    .addColumn('uai', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('commune_insee', 'text', (c) => c.notNull())
    .addColumn('authority_kind', 'text', (c) => c.notNull())
    .addColumn('authority_name', 'text', (c) => c.notNull())
    .addColumn('wan_mode', 'text', (c) => c.notNull())
    .addColumn('wan_address', 'text')
    .addColumn('wan_gateway', 'text')
    .addColumn('lan_cidr', 'text', (c) => c.notNull())
    .addColumn('lan_gateway', 'text', (c) => c.notNull())
    .addColumn('dhcp_start', 'text', (c) => c.notNull())
    .addColumn('dhcp_end', 'text', (c) => c.notNull())
    .addColumn('vpn', 'text')
    .addColumn('box_serial', 'text')
    .addColumn('mgmt_host', 'text')
    .addColumn('mgmt_port', 'integer', (c) => c.notNull().defaultTo(22))
    .addColumn('mgmt_user', 'text')
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('overrides', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('deployed_hash', 'text')
    .addColumn('deployed_at', 'text')
    .addColumn('deployed_list_version', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('fw_schools_authority').on('fw_schools').columns(['authority_kind', 'authority_name']).execute()

  await db.schema
    .createTable('fw_deployed_files')
    .addColumn('uai', 'text', (c) => c.notNull().references('fw_schools.uai').onDelete('cascade'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('deployed_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fw_deployed_files_pk', ['uai', 'path'])
    .execute()

  await db.schema
    .createTable('fw_deployments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('uai', 'text', (c) => c.notNull().references('fw_schools.uai').onDelete('cascade'))
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('config_hash', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('detail', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('fw_deployments_uai_at').on('fw_deployments').columns(['uai', 'at']).execute()

  await db.schema
    .createTable('fw_verifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('uai', 'text', (c) => c.notNull().references('fw_schools.uai').onDelete('cascade'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('side', 'text', (c) => c.notNull())
    .addColumn('passed', 'integer', (c) => c.notNull())
    .addColumn('checks', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('fw_verifications_uai_at').on('fw_verifications').columns(['uai', 'at']).execute()

  await db.schema
    .createTable('fw_list_versions')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('loaded_at', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('domains', 'integer', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('fw_list_categories')
    .addColumn('version', 'text', (c) => c.notNull().references('fw_list_versions.version').onDelete('cascade'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('domains_count', 'integer', (c) => c.notNull())
    .addColumn('domains', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('fw_list_categories_pk', ['version', 'category'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['fw_list_categories', 'fw_list_versions', 'fw_verifications', 'fw_deployments', 'fw_deployed_files', 'fw_schools'])
    await db.schema.dropTable(t).execute()
}
