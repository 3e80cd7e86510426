import type {Kysely} from 'kysely'
import type {Dialect} from '../dialect.js'

/** Tables of the laptops campaign (see src/laptops/tables.ts). Frozen once landed: add a new migration for changes. */
export async function up(_db: Kysely<any>, _dialect: Dialect): Promise<void> {}
