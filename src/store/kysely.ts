import {createRequire} from 'node:module'

/**
 * Kysely, loaded once for the whole engine from its CommonJS build. Every command that opens the
 * store needs it at start-up, and Node loads its 260 modules about 40 % faster through `require`
 * than as ES modules (bench/cli-startup.mjs). Import Kysely's values from here, never from
 * 'kysely' (types may come from 'kysely': both builds have the same declarations); mixing the two
 * builds would load it twice.
 */
const kysely = createRequire(import.meta.url)('kysely') as typeof import('kysely')

export const {Kysely, Migrator, PostgresDialect, SqliteDialect, sql} = kysely
// The classes' instance types under the same names, so that `Kysely<Database>` reads as before.
export type Kysely<DB> = import('kysely').Kysely<DB>
export type Migrator = import('kysely').Migrator
