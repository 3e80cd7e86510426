import type {Kysely} from 'kysely'
import type {Dialect} from '../dialect.js'

/** Tables of the cityfamily campaign (see src/cityfamily/tables.ts). Frozen once landed: add a new migration for changes. */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('cityfamily_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('source_dir', 'text', (c) => c.notNull())
    .addColumn('target_dir', 'text')
    .addColumn('include_health', 'integer', (c) => c.notNull())
    .addColumn('threshold', 'text', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('invoiced_before', 'bigint', (c) => c.notNull())
    .addColumn('unpaid_before', 'bigint', (c) => c.notNull())
    .addColumn('invoiced_after', 'bigint', (c) => c.notNull())
    .addColumn('unpaid_after', 'bigint', (c) => c.notNull())
    .addColumn('merges', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .execute()
}
