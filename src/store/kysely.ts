/**
 * Kysely's values for the whole engine, from one place: the build bundles them with the commands
 * (bin/esbuild.mjs), so a command that opens the store loads one file instead of Kysely's 260
 * modules. Import Kysely's values from here (types may come from 'kysely').
 */
export {Kysely, Migrator, PostgresDialect, SqliteDialect, sql} from 'kysely'
