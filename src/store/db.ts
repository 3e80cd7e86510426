import {AsyncLocalStorage} from 'node:async_hooks'
import {
  accessSync,
  closeSync,
  constants as fsConstants,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, resolve} from 'node:path'
import type {MigrationProvider, Migration} from 'kysely'
import {Kysely, Migrator, PostgresDialect, SqliteDialect, sql} from './kysely.js'
import {BugError, Cancelled, StoreError, UsageError, toAlpiError} from '../core/errors.js'
import {sleep} from '../core/ids.js'
import {redactSecrets, registerSecret} from '../core/redact.js'
import type {Dialect} from './dialect.js'
import {MIGRATIONS} from './migrations/index.js'
import type {Database} from './schema.js'
import {t} from './messages/index.js'
import type {Message, Text} from '../core/i18n.js'

export type {Dialect} from './dialect.js'

export interface TransactionOptions {
  /**
   * Aborted (Ctrl-C): the transaction stops waiting for the lock, or at its next checkpoint,
   * and rolls back. Only for transactions that may be undone: one that records what was
   * already done outside (a wipe, a deployment) passes none, so that it is never lost.
   */
  signal?: AbortSignal
}

export interface Store {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  /** Where the store is: a file path, or the URL without its password. */
  readonly location: string
  /** Opened for reading only: no write, no lock, no migration (read-only commands). */
  readonly readOnly: boolean
  /**
   * Run fn in one write transaction. Writers take the store's one write lock first (SQLite:
   * BEGIN IMMEDIATE; PostgreSQL: an advisory lock), waiting their turn with a message; the
   * signal, if given, is honoured up to the commit: an abort rolls everything back.
   */
  transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>, opts?: TransactionOptions): Promise<T>
  close(): Promise<void>
  /** The raw better-sqlite3 handle (SQLite only), for online backups. */
  readonly sqlite?: import('better-sqlite3').Database
}

export interface OpenStoreOptions {
  /** A file path or a postgres:// URL. */
  url: string
  /**
   * Read only (read-only commands): the SQLite file is opened read-only (it works on a
   * read-only mount), never created, never migrated, never locked; a store at an older schema
   * is an error telling to migrate. PostgreSQL sessions are read-only too.
   */
  readOnly?: boolean
  /** Apply pending migrations on open (default true; never when readOnly). */
  migrate?: boolean
  /** Create a missing SQLite file (default true unless readOnly). */
  create?: boolean
  /** Check the schema version on open (default true): a newer store is refused. */
  checkSchema?: boolean
  /** How long a writer waits for another one before giving up (default 10 min, ALPI_STORE_WAIT). */
  lockWaitMs?: number
  /** Told once when a writer starts waiting for another (a message for stderr). */
  onWait?: (message: string) => void
}

/** The default wait for the write lock: ALPI_STORE_WAIT seconds, else 10 minutes. */
export function defaultLockWaitMs(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.ALPI_STORE_WAIT?.trim()
  const seconds = given ? Number(given) : Number.NaN
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 600_000
}

/** Set while a store transaction runs in this async context (with its cancel signal). */
const inTransaction = new AsyncLocalStorage<{signal?: AbortSignal}>()

/**
 * Inside a store transaction: let pending events run (a Ctrl-C is only seen by the process
 * between macrotasks, and better-sqlite3 answers synchronously, so a long transaction would
 * otherwise never see it), then stop with Cancelled if the transaction's signal was aborted.
 * Long writers (upsertRows) call it between chunks; every transaction calls it before COMMIT.
 */
export async function checkpoint(): Promise<void> {
  const tx = inTransaction.getStore()
  if (!tx) return
  await new Promise((r) => setImmediate(r))
  if (tx.signal?.aborted) throw new Cancelled(cancelMessage(tx.signal))
}

function cancelMessage(signal: AbortSignal): Message {
  const reason = signal.reason as {text?: Text; message?: string} | undefined
  return t.m('cancelledNothingKept', {reason: reason?.text ?? reason?.message ?? t.m('interrupted')})
}

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

/** The URL without its password, for messages and logs (see redactSecrets: whatever it contains). */
export function redactUrl(url: string): string {
  return redactSecrets(url)
}

/**
 * A postgres:// URL whose user or password holds characters that a URL must encode (`/`, `@`,
 * `#`, `?`, a space...), typed unencoded: encoded, so that it connects instead of being read
 * as another host. The userinfo ends at the URL's last `@` (so no `@` after the host).
 */
export function normalizePgUrl(url: string): string {
  const m = /^(postgres(?:ql)?:\/\/)(.*)$/is.exec(url)
  if (!m) return url
  let rest = m[2]!
  // A password given as a query parameter goes first (it may hold an `@` or a `/` too).
  let param: string | undefined
  const q = /([?&])password=([^&]*)/i.exec(rest)
  if (q) {
    param = safeDecode(q[2]!)
    rest = (rest.slice(0, q.index) + q[1] + rest.slice(q.index + q[0].length)).replace(/\?&/, '?').replace(/[?&]$/, '')
  }
  const at = rest.lastIndexOf('@')
  if (at !== -1) {
    const userinfo = rest.slice(0, at)
    const colon = userinfo.indexOf(':')
    const enc = (v: string) => encodeURIComponent(safeDecode(v))
    rest = (colon === -1 ? enc(userinfo) : `${enc(userinfo.slice(0, colon))}:${enc(userinfo.slice(colon + 1))}`) + rest.slice(at)
  }
  if (param !== undefined) rest += `${rest.includes('?') ? '&' : '?'}password=${encodeURIComponent(param)}`
  return `${m[1]}${rest}`
}

function safeDecode(v: string): string {
  try {
    return decodeURIComponent(v)
  } catch {
    return v
  }
}

/** Split a postgres:// URL into one without the password, and the password (for PGPASSWORD). */
export function splitPassword(url: string): {url: string; password?: string} {
  try {
    const u = new URL(normalizePgUrl(url))
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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the database as it was when written, not as schema.ts says now
export function migrator(db: Kysely<any>, dialect: Dialect): Migrator {
  return new Migrator({
    db,
    provider: new MapProvider(dialect),
    migrationTableName: 'alpi_migrations',
    migrationLockTableName: 'alpi_migrations_lock',
  })
}

export interface SchemaState {
  /** Migrations recorded in the store, in order, with when they ran. */
  applied: {name: string; executedAt: string | null}[]
  /** Migrations this alpi knows and the store lacks. */
  pending: string[]
  /** Migrations recorded in the store that this alpi does not know: a newer alpi wrote it. */
  unknown: string[]
}

/** Read which migrations the store has, with plain SELECTs: no lock, no write. */
export async function readSchemaState(store: Store): Promise<SchemaState> {
  const known = Object.keys(MIGRATIONS)
  let rows: {name: string; timestamp: unknown}[] = []
  const exists =
    store.dialect === 'sqlite'
      ? (
          await sql<{n: number}>`select count(*) as n from sqlite_master where type = 'table' and name = 'alpi_migrations'`.execute(
            store.db,
          )
        ).rows[0]!.n > 0
      : (await sql<{t: string | null}>`select to_regclass('alpi_migrations')::text as t`.execute(store.db)).rows[0]!.t !== null
  if (exists)
    rows = (await sql<{name: string; timestamp: unknown}>`select name, timestamp from alpi_migrations order by name`.execute(store.db)).rows
  const names = new Set(rows.map((r) => r.name))
  return {
    applied: rows.map((r) => ({name: r.name, executedAt: r.timestamp ? new Date(r.timestamp as string).toISOString() : null})),
    pending: known.filter((n) => !names.has(n)),
    unknown: rows.map((r) => r.name).filter((n) => !(n in MIGRATIONS)),
  }
}

/** A newer alpi's store is refused, by readers and writers alike: nothing is changed. */
function refuseNewer(state: SchemaState): void {
  if (state.unknown.length === 0) return
  throw new StoreError(t('tooNew', {schema: state.applied.length, known: Object.keys(MIGRATIONS).length}), {
    code: 'STORE_TOO_NEW',
    actions: [t('tooNewAction')],
    data: {schema: state.applied.length, known: Object.keys(MIGRATIONS).length, unknownMigrations: state.unknown},
  })
}

/**
 * Apply pending migrations under the writer's lock (SQLite: the BEGIN IMMEDIATE transaction,
 * as Kysely takes no migration lock there; PostgreSQL: Kysely's own lock and transactional
 * DDL), so two processes opening a fresh store do not
 * race and a failed migration leaves nothing.
 */
export async function migrateStoreSchema(store: Store): Promise<string[]> {
  if (store.readOnly) throw new BugError('migrateStoreSchema on a store opened read-only')
  if (store.dialect === 'sqlite') return store.transaction((trx) => migrateToLatest(trx, 'sqlite'))
  return migrateToLatest(store.db, store.dialect)
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the database as it was when written, not as schema.ts says now
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const {error, results} = await migrator(db, dialect).migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')
    throw new StoreError(t('migrationFailed', {name: failed?.migrationName ?? '', detail: (error as Error).message ?? String(error)}), {
      code: 'MIGRATION_FAILED',
      actions: [t('migrationFailedAction')],
      cause: error,
    })
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')

/** What is at a path given as a store, read without changing it (no chmod, no open for write). */
function inspectSqliteFile(file: string): 'missing' | 'empty' | 'sqlite' | 'other' {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    throw error
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) return 'other'
    if (st.size === 0) return 'empty'
    const head = Buffer.alloc(16)
    const n = readSync(fd, head, 0, 16, 0)
    return n === 16 && head.equals(SQLITE_MAGIC) ? 'sqlite' : 'other'
  } finally {
    closeSync(fd)
  }
}

function folderWritable(file: string): boolean {
  try {
    accessSync(dirname(file), fsConstants.W_OK)
    return true
  } catch {
    return false
  }
}

const SQLITE_BUSY_MS = 5000

/**
 * Open the SQLite file read-only. On a read-only medium a WAL store closed cleanly has no
 * -wal/-shm files and SQLite cannot create them, so it refuses to read it: the file is then
 * read into memory (with its header set back to rollback mode, which only this private copy
 * sees). A -wal file left with its -shm can be read in place; one without it cannot.
 */
function openSqliteReadOnly(
  BetterSqlite3: typeof import('better-sqlite3'),
  addon: {nativeBinding?: string},
  file: string,
): import('better-sqlite3').Database {
  const raw = new BetterSqlite3(file, {...addon, readonly: true, fileMustExist: true, timeout: SQLITE_BUSY_MS})
  try {
    raw.prepare('select count(*) from sqlite_master').get()
    return raw
  } catch (error) {
    raw.close()
    const code = (error as {code?: string}).code ?? ''
    if (!code.startsWith('SQLITE_CANTOPEN') || folderWritable(file)) throw error
  }
  const wal = `${file}-wal`
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new StoreError(t('readOnlyMediaWal', {path: file}), {code: 'STORE_READONLY', actions: [t('readOnlyMediaWalAction')]})
  }
  const image = readFileSync(file)
  if (image.length >= 20 && image[18] === 2 && image[19] === 2) {
    image[18] = 1
    image[19] = 1
  }
  return new BetterSqlite3(image, {...addon, readonly: true})
}

/**
 * better-sqlite3, loaded with require (it is CommonJS, which import() would first scan for its
 * exports), and the path of its compiled addon: without it the library looks for the addon
 * through the `bindings` package, which reads a stack trace and tries a dozen paths at each start.
 */
function betterSqlite3(): {BetterSqlite3: typeof import('better-sqlite3'); addon: {nativeBinding?: string}} {
  const load = createRequire(import.meta.url)
  const BetterSqlite3 = load('better-sqlite3') as typeof import('better-sqlite3')
  try {
    return {BetterSqlite3, addon: {nativeBinding: load.resolve('better-sqlite3/build/Release/better_sqlite3.node')}}
  } catch {
    return {BetterSqlite3, addon: {}}
  }
}

async function openSqlite(path: string, opts: OpenStoreOptions): Promise<Store> {
  const {BetterSqlite3, addon} = betterSqlite3()
  const file = resolve(path)
  const readOnly = opts.readOnly === true
  const create = opts.create ?? !readOnly
  const kind = inspectSqliteFile(file)
  if (kind === 'missing') {
    if (!create)
      throw new StoreError(t('notFound', {path: file}), {code: 'STORE_NOT_FOUND', actions: [t('notFoundAction1'), t('notFoundAction2')]})
    // A new store is private (0600) from its first byte; an existing one keeps its mode
    // (a team may share one through its group: see the README).
    mkdirSync(dirname(file), {recursive: true, mode: 0o700})
    try {
      closeSync(openSync(file, 'wx', 0o600))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error // another alpi created it meanwhile
    }
  } else if (kind === 'other') {
    throw new StoreError(t('notSqlite', {path: file}), {code: 'STORE_NOT_SQLITE', actions: [t('notSqliteAction')]})
  } else if (kind === 'empty' && (readOnly || !create)) {
    throw new StoreError(t('emptyFile', {path: file}), {code: 'STORE_EMPTY', actions: [t('emptyFileAction', {path: file})]})
  }
  let raw: import('better-sqlite3').Database
  try {
    if (readOnly) raw = openSqliteReadOnly(BetterSqlite3, addon, file)
    else {
      raw = new BetterSqlite3(file, {...addon, fileMustExist: true, timeout: SQLITE_BUSY_MS})
      // Another program's database is refused before anything changes it (WAL would convert it).
      if (hasForeignTables(raw)) {
        raw.close()
        throw new StoreError(t('foreignDb', {path: file}), {code: 'STORE_NOT_SQLITE', actions: [t('notSqliteAction')]})
      }
      raw.pragma('journal_mode = WAL')
      raw.pragma('synchronous = NORMAL')
    }
    raw.pragma('foreign_keys = ON')
    raw.pragma(`busy_timeout = ${SQLITE_BUSY_MS}`)
  } catch (error) {
    if (error instanceof StoreError) throw error
    const mapped = toAlpiError(error)
    if (mapped instanceof StoreError) throw mapped
    throw new StoreError(t('cannotOpen', {path: file, detail: (error as Error).message}), {actions: [t('cannotOpenAction')], cause: error})
  }
  const db = new Kysely<Database>({dialect: new SqliteDialect({database: raw})})
  const lockWaitMs = opts.lockWaitMs ?? defaultLockWaitMs()
  return {
    db: guardedDb(db),
    dialect: 'sqlite',
    location: file,
    readOnly,
    sqlite: raw,
    async transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>, topts: TransactionOptions = {}): Promise<T> {
      if (inTransaction.getStore()) throw new BugError('Nested store transactions are not supported')
      const signal = topts.signal
      // One connection (better-sqlite3 is synchronous): Kysely queues concurrent callers.
      // BEGIN IMMEDIATE takes the write lock up front so another process waits instead of
      // failing half-way through; the wait is a loop of short tries, so that Ctrl-C is seen.
      return db.connection().execute((conn) =>
        inTransaction.run({signal}, async () => {
          await waitForLock(
            async () => {
              raw.pragma('busy_timeout = 200')
              try {
                await sql`BEGIN IMMEDIATE`.execute(conn)
                return true
              } catch (error) {
                if (String((error as {code?: string}).code ?? '').startsWith('SQLITE_BUSY')) return false
                throw error
              } finally {
                raw.pragma(`busy_timeout = ${SQLITE_BUSY_MS}`)
              }
            },
            {lockWaitMs, signal, onWait: opts.onWait},
          )
          try {
            const result = await fn(conn)
            await checkpoint()
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

/** Try to take the write lock until it works, the wait is over, or the signal aborts. */
async function waitForLock(
  attempt: () => Promise<boolean>,
  o: {lockWaitMs: number; signal?: AbortSignal; onWait?: (m: string) => void},
): Promise<void> {
  const deadline = Date.now() + o.lockWaitMs
  const wait = o.lockWaitMs >= 60_000 ? `${Math.round(o.lockWaitMs / 60_000)} min` : `${Math.ceil(o.lockWaitMs / 1000)} s`
  let told = false
  for (;;) {
    if (o.signal?.aborted) throw new Cancelled(cancelMessage(o.signal))
    if (await attempt()) return
    if (!told) {
      told = true
      // Ctrl-C is offered only where it may stop the wait (a transaction given a signal)
      o.onWait?.(o.signal ? t('waiting', {wait}) : t('waitingNoCancel', {wait}))
    }
    if (Date.now() >= deadline) {
      throw new StoreError(t('lockTimeout', {wait}), {code: 'STORE_BUSY', actions: [t('lockTimeoutAction')]})
    }
    await sleep(100)
  }
}

async function openPostgres(given: string, opts: OpenStoreOptions): Promise<Store> {
  const pg = await import('pg')
  const url = normalizePgUrl(given)
  registerSecret(splitPassword(url).password)
  // COUNT(*) and BIGINT come back as strings by default: make them numbers.
  pg.default.types.setTypeParser(20, (v: string) => Number.parseInt(v, 10))
  const readOnly = opts.readOnly === true
  const pool = new pg.default.Pool({connectionString: url, max: 5, connectionTimeoutMillis: 10_000})
  // A reader's sessions cannot write, whatever a service would try.
  if (readOnly) pool.on('connect', (client) => void client.query('set default_transaction_read_only = on').catch(() => undefined))
  const db = new Kysely<Database>({dialect: new PostgresDialect({pool})})
  try {
    await sql`select 1`.execute(db)
  } catch (error) {
    await db.destroy().catch(() => undefined)
    const mapped = toAlpiError(error)
    throw new StoreError(t('pgConnect', {url: redactUrl(given), detail: redactSecrets((error as Error).message)}), {
      code: mapped instanceof StoreError ? mapped.code : 'STORE',
      actions: [t('pgConnectAction')],
      cause: error,
    })
  }
  const lockWaitMs = opts.lockWaitMs ?? defaultLockWaitMs()
  return {
    db: guardedDb(db),
    dialect: 'postgres',
    location: redactUrl(given),
    readOnly,
    async transaction<T>(fn: (trx: Kysely<Database>) => Promise<T>, topts: TransactionOptions = {}): Promise<T> {
      if (inTransaction.getStore()) throw new BugError('Nested store transactions are not supported')
      const signal = topts.signal
      // Writers take one advisory lock first, as SQLite's BEGIN IMMEDIATE does: two imports
      // of the same keys then run one after the other instead of racing to a unique violation.
      return db.transaction().execute((trx) =>
        inTransaction.run({signal}, async () => {
          await waitForLock(
            async () => (await sql<{ok: boolean}>`select pg_try_advisory_xact_lock(${WRITER_LOCK}) as ok`.execute(trx)).rows[0]!.ok,
            {lockWaitMs, signal, onWait: opts.onWait},
          )
          const result = await fn(trx)
          await checkpoint()
          return result
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

/**
 * Open the store. The schema version is read without any lock; migrations run only when some
 * are pending, and only for writers, under the writer's lock. Readers never lock or write.
 */
export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  if (!opts.url) throw new UsageError(t.m('noStore'), {actions: [t.m('noStoreAction')]})
  const store = isPostgresUrl(opts.url) ? await openPostgres(opts.url, opts) : await openSqlite(opts.url, opts)
  try {
    if (opts.checkSchema === false) return store
    const state = await readSchemaState(store)
    refuseNewer(state)
    if (state.pending.length === 0) return store
    if (store.readOnly) {
      if (state.applied.length === 0) {
        if (store.dialect === 'sqlite' && (await isForeignSqlite(store)))
          throw new StoreError(t('foreignDb', {path: store.location}), {code: 'STORE_NOT_SQLITE', actions: [t('notSqliteAction')]})
        throw new StoreError(t('notMigrated', {path: store.location}), {
          code: 'STORE_EMPTY',
          actions: [t('emptyFileAction', {path: store.location})],
        })
      }
      throw new StoreError(t('outdated', {schema: state.applied.length, known: Object.keys(MIGRATIONS).length}), {
        code: 'STORE_OUTDATED',
        actions: [t('outdatedAction')],
      })
    }
    if (opts.migrate === false) return store
    if (store.dialect === 'sqlite' && state.applied.length === 0 && (await isForeignSqlite(store))) {
      throw new StoreError(t('foreignDb', {path: store.location}), {code: 'STORE_NOT_SQLITE', actions: [t('notSqliteAction')]})
    }
    await migrateStoreSchema(store)
    return store
  } catch (error) {
    await store.close()
    throw error
  }
}

/** Tables but no alpi_migrations: another program's SQLite file (read with plain SELECTs). */
function hasForeignTables(raw: import('better-sqlite3').Database): boolean {
  const count = (q: string) => (raw.prepare(q).get() as {n: number}).n
  if (count("select count(*) as n from sqlite_master where type = 'table' and name = 'alpi_migrations'") > 0) return false
  return count("select count(*) as n from sqlite_master where type = 'table' and name not like 'sqlite_%'") > 0
}

/** An SQLite database with tables but none of alpi's: another program's file. */
async function isForeignSqlite(store: Store): Promise<boolean> {
  const r = await sql<{
    n: number
  }>`select count(*) as n from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'alpi_migrations%'`.execute(
    store.db,
  )
  return r.rows[0]!.n > 0
}
