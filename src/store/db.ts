import {AsyncLocalStorage} from 'node:async_hooks'
import {chmodSync, closeSync, existsSync, mkdirSync, openSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {Kysely, Migrator, sql, type MigrationProvider, type Migration, type Transaction} from 'kysely'
import {BugError, StoreError, UsageError} from '../core/errors.js'
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
  /** Create a missing SQLite file (default true). Read-only uses pass false: a typo is an error. */
  create?: boolean
}

/** Set while a store transaction runs in this async context. */
const inTransaction = new AsyncLocalStorage<boolean>()

/**
 * Guard against using `store.db` inside `store.transaction`: on SQLite it would wait
 * forever for the one connection, on PostgreSQL it would silently run outside.
 */
function guardedDb(db: Kysely<Database>): Kysely<Database> {
  return new Proxy(db, {
    get(target, prop) {
      if (inTransaction.getStore() && prop !== 'destroy') {
        throw new BugError('store.db used inside store.transaction: use the transaction handle (trx) instead')
      }
      const v = Reflect.get(target, prop)
      return typeof v === 'function' ? v.bind(target) : v
    },
  })
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url)
}

/** The URL without its password (user:pass@ and ?password=), for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]*):[^@/]*@/, '$1:***@').replace(/([?&]password=)[^&]*/i, '$1***')
}

/** Split a postgres:// URL into one without the password, and the password (for PGPASSWORD). */
export function splitPassword(url: string): {url: string; password?: string} {
  try {
    const u = new URL(url)
    const password = u.password ? decodeURIComponent(u.password) : (u.searchParams.get('password') ?? undefined)
    u.password = ''
    u.searchParams.delete('password')
    return {url: u.toString(), password}
  } catch {
    return {url}
  }
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

/**
 * Apply pending migrations. SQLite: inside one BEGIN IMMEDIATE transaction (Kysely takes no
 * migration lock there), so two processes opening a fresh file do not race and a failed
 * migration leaves nothing. PostgreSQL: Kysely's own lock and transactional DDL.
 */
export async function migrateStoreSchema(store: Store): Promise<string[]> {
  if (store.dialect === 'sqlite') return store.transaction((trx) => migrateToLatest(trx, 'sqlite'))
  return migrateToLatest(store.db, store.dialect)
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

async function openSqlite(path: string, create: boolean): Promise<Store> {
  const {default: BetterSqlite3} = await import('better-sqlite3')
  const {SqliteDialect} = await import('kysely')
  const file = resolve(path)
  if (!existsSync(file)) {
    if (!create) {
      throw new StoreError(`No store at ${file}`, {
        code: 'STORE_NOT_FOUND',
        actions: ['Check --db / ALPI_DB (alpi config path shows the default).', 'A new store is created by the first command that records something (e.g. alpi laptops import FILE), or by alpi db migrate.'],
      })
    }
    mkdirSync(dirname(file), {recursive: true, mode: 0o700})
    closeSync(openSync(file, 'wx', 0o600))
  }
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
  return {
    db: guardedDb(db),
    dialect: 'sqlite',
    location: file,
    sqlite: raw,
    async transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
      if (inTransaction.getStore()) throw new BugError('Nested store transactions are not supported')
      // One connection (better-sqlite3 is synchronous): Kysely queues concurrent callers.
      // BEGIN IMMEDIATE takes the write lock up front so another process waits (busy
      // timeout) instead of failing half-way through.
      return db.connection().execute((conn) =>
        inTransaction.run(true, async () => {
          await sql`BEGIN IMMEDIATE`.execute(conn)
          try {
            const result = await fn(conn)
            await sql`COMMIT`.execute(conn)
            return result
          } catch (error) {
            await sql`ROLLBACK`.execute(conn).catch(() => undefined)
            throw error
          }
        }),
      )
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
    db: guardedDb(db),
    dialect: 'postgres',
    location: redactUrl(url),
    async transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
      if (inTransaction.getStore()) throw new BugError('Nested store transactions are not supported')
      // Writers take one advisory lock first, as SQLite's BEGIN IMMEDIATE does: two imports
      // of the same keys then run one after the other instead of racing to a unique violation.
      return db.transaction().execute((trx) =>
        inTransaction.run(true, async () => {
          await sql`select pg_advisory_xact_lock(${WRITER_LOCK})`.execute(trx)
          return fn(trx)
        }),
      )
    },
    async close() {
      await db.destroy()
    },
  }
}

/** The advisory lock every PostgreSQL write transaction takes (the audit chain uses it too). */
export const WRITER_LOCK = 7412019

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  if (!opts.url) throw new UsageError('No store given', {actions: ['Pass --db PATH or a postgres:// URL, or set ALPI_DB.']})
  const store = isPostgresUrl(opts.url) ? await openPostgres(opts.url) : await openSqlite(opts.url, opts.create !== false)
  if (opts.migrate !== false) {
    try {
      await migrateStoreSchema(store)
    } catch (error) {
      await store.close()
      throw error
    }
  }
  return store
}
