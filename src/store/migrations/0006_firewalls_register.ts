import type {Kysely} from 'kysely'
import type {Dialect} from '../dialect.js'

/**
 * The school register as the work starts (issue 14): what the national directory and the
 * authorities' lists say (commune name, address, postal code) and, per field, whether a value
 * was given by a list or derived by ALPI's addressing rule (`provenance`, JSON).
 * Frozen once landed: add a new migration for changes.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('fw_schools').addColumn('commune_name', 'text').execute()
  await db.schema.alterTable('fw_schools').addColumn('address', 'text').execute()
  await db.schema.alterTable('fw_schools').addColumn('postal_code', 'text').execute()
  await db.schema
    .alterTable('fw_schools')
    .addColumn('provenance', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute()
}
