import {chmodSync, closeSync, existsSync, mkdirSync, openSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {Kysely, Migrator, sql, type MigrationProvider, type Migration, type Transaction} from 'kysely'
import {StoreError, UsageError} from '../core/errors.js'
import type {Dialect} from './dialect.js'
import {MIGRATIONS} from './migrations/index.js'
import type {Database} from './schema.js'

export type {Dialect} from './dialect.js'
export type DB = Kysely<Database>
export type Trx = Transaction<Database> | Kysely<Database>

export interface Store {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  /** Where the store is: a file path, or the URL without its password. */
  readonly location: string
  /** Run fn in one write transaction (SQLite: BEGIN IMMEDIATE, so concurrent writers wait). */
  transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T>
  close(): Promise<void>
  /** The raw better-sqlite3 handle (SQLite only), for online backups. */
  readonly sqlite?: import('better-sqlite3').Database
}

export interface OpenStoreOptions {
  /** A file path or a postgres:// URL. */
  url: string
  /** Apply pending migrations on open (default true). */
  migrate?: boolean
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url)
}

export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@')
}

class MapProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {}
    for (const [name, m] of Object.entries(MIGRATIONS)) {
      out[name] = {up: (db) => m.up(db, this.dialect), down: m.down ? (db) => m.down!(db, this.dialect) : undefined}
    }
    return out
  }
}

export function migrator(db: Kysely<any>, dialect: Dialect): Migrator {
  return new Migrator({db, provider: new MapProvider(dialect), migrationTableName: 'alpi_migrations', migrationLockTableName: 'alpi_migrations_lock'})
}

export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const {error, results} = await migrator(db, dialect).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new StoreError(`Migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`, {
      code: 'MIGRATION_FAILED',
      actions: ['Nothing of the failed migration was kept. Check the database with `alpi db status`, then report the error.'],
      cause: error,
    })
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

async function openSqlite(path: string): Promise<Store> {
  const {default: BetterSqlite3} = await import('better-sqlite3')
  const {SqliteDialect} = await import('kysely')
  const file = resolve(path)
  mkdirSync(dirname(file), {recursive: true, mode: 0o700})
  if (!existsSync(file)) closeSync(openSync(file, 'wx', 0o600))
  chmodSync(file, 0o600)
  let raw: import('better-sqlite3').Database
  try {
    raw = new BetterSqlite3(file, {timeout: 10_000})
    raw.pragma('journal_mode = WAL')
    raw.pragma('foreign_keys = ON')
    raw.pragma('busy_timeout = 10000')
    raw.pragma('synchronous = NORMAL')
  } catch (error) {
    throw new StoreError(`Cannot open the SQLite store ${file}: ${(error as Error).message}`, {
      actions: ['Check that the file is an alpi database and that you may write to its folder.'],
      cause: error,
    })
  }
  const db = new Kysely<Database>({dialect: new SqliteDialect({database: raw})})
  let depth = 0
  return {
    db,
    dialect: 'sqlite',
    location: file,
    sqlite: raw,
    async transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
      if (depth > 0) throw new StoreError('Nested store transactions are not supported', {code: 'BUG'})
      // One connection (better-sqlite3 is synchronous); BEGIN IMMEDIATE takes the write
      // lock up front so another process waits (busy timeout) instead of failing mid-way.
      return db.connection().execute(async (conn) => {
        depth++
        await sql`BEGIN IMMEDIATE`.execute(conn)
        try {
          const result = await fn(conn)
          await sql`COMMIT`.execute(conn)
          return result
        } catch (error) {
          await sql`ROLLBACK`.execute(conn).catch(() => undefined)
          throw error
        } finally {
          depth--
        }
      })
    },
    async close() {
      await db.destroy()
    },
  }
}

async function openPostgres(url: string): Promise<Store> {
  const pg = await import('pg')
  const {PostgresDialect} = await import('kysely')
  // COUNT(*) and BIGINT come back as strings by default: make them numbers.
  pg.default.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10))
  const pool = new pg.default.Pool({connectionString: url, max: 5, connectionTimeoutMillis: 10_000})
  const db = new Kysely<Database>({dialect: new PostgresDialect({pool})})
  try {
    await sql`select 1`.execute(db)
  } catch (error) {
    await db.destroy().catch(() => undefined)
    throw new StoreError(`Cannot connect to PostgreSQL at ${redactUrl(url)}: ${(error as Error).message}`, {
      actions: ['Check that the server runs, the URL (host, port, database) and the credentials.'],
      cause: error,
    })
  }
  return {
    db,
    dialect: 'postgres',
    location: redactUrl(url),
    transaction: (fn) => db.transaction().execute((trx) => fn(trx)),
    async close() {
      await db.destroy()
    },
  }
}

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  if (!opts.url) throw new UsageError('No store given', {actions: ['Pass --db PATH or a postgres:// URL, or set ALPI_DB.']})
  const store = isPostgresUrl(opts.url) ? await openPostgres(opts.url) : await openSqlite(opts.url)
  if (opts.migrate !== false) {
    try {
      await migrateToLatest(store.db, store.dialect)
    } catch (error) {
      await store.close()
      throw error
    }
  }
  return store
}
