import {randomBytes} from 'node:crypto'
import {closeSync, existsSync, fsyncSync, linkSync, openSync, rmSync, statSync} from 'node:fs'
import {dirname, basename, join, resolve} from 'node:path'
import {sql} from './kysely.js'
import {UsageError} from '../core/errors.js'
import {syncDir} from '../core/fs.js'
import {runTool} from '../tools/exec.js'
import {migrateStoreSchema, openStore, readSchemaState, splitPassword, type OpenStoreOptions, type Store} from './db.js'
import {MIGRATIONS} from './migrations/index.js'
import {t} from './messages/index.js'

export interface MigrateResult {
  location: string
  dialect: string
  applied: string[]
}

export async function migrateStore(opts: {url: string} & Omit<OpenStoreOptions, 'url' | 'readOnly' | 'migrate'>): Promise<MigrateResult> {
  const store = await openStore({...opts, migrate: false})
  try {
    const applied = await migrateStoreSchema(store)
    return {location: store.location, dialect: store.dialect, applied}
  } finally {
    await store.close()
  }
}

export interface StoreStatus {
  location: string
  dialect: string
  sizeBytes: number | null
  migrations: {name: string; applied: boolean; executedAt: string | null}[]
  pending: number
  /** Migrations of a newer alpi recorded in the store (then this alpi refuses to use it). */
  unknown: string[]
  tables: Record<string, number>
}

export async function storeStatus(opts: {url: string}): Promise<StoreStatus> {
  // Read-only and without the schema check: status also describes a store it cannot use.
  const store = await openStore({url: opts.url, readOnly: true, checkSchema: false})
  try {
    const state = await readSchemaState(store)
    const executedAt = new Map(state.applied.map((m) => [m.name, m.executedAt]))
    const tables: Record<string, number> = {}
    if (state.applied.length > 0) {
      for (const t of await store.db.introspection.getTables()) {
        if (t.name.startsWith('alpi_migrations')) continue
        const row = await sql<{n: number}>`select count(*) as n from ${sql.table(t.name)}`.execute(store.db)
        tables[t.name] = Number(row.rows[0]?.n ?? 0)
      }
    }
    return {
      location: store.location,
      dialect: store.dialect,
      sizeBytes: store.dialect === 'sqlite' && existsSync(store.location) ? statSync(store.location).size : null,
      migrations: [...Object.keys(MIGRATIONS), ...state.unknown].map((name) => ({
        name,
        applied: executedAt.has(name),
        executedAt: executedAt.get(name) ?? null,
      })),
      pending: state.pending.length,
      unknown: state.unknown,
      tables,
    }
  } finally {
    await store.close()
  }
}

export interface BackupResult {
  location: string
  dialect: string
  output: string
  bytes: number
}

/** A consistent copy while others keep using the store: SQLite online backup, or pg_dump. */
export async function backupStore(opts: {url: string; output: string; signal?: AbortSignal}): Promise<BackupResult> {
  const output = resolve(opts.output)
  if (existsSync(output)) throw new UsageError(t.m('backupExists', {path: output}), {actions: [t.m('backupExistsAction')]})
  const store: Store = await openStore({url: opts.url, readOnly: true, checkSchema: false})
  // Written under a temporary name created 0600, then linked to the final name (which
  // fails if it appeared meanwhile): a failed backup never leaves a file that looks whole.
  const partial = join(dirname(output), `.${basename(output)}.partial-${randomBytes(4).toString('hex')}`)
  closeSync(openSync(partial, 'wx', 0o600))
  try {
    if (store.dialect === 'sqlite') {
      await store.sqlite!.backup(partial)
    } else {
      const {url, password} = splitPassword(opts.url)
      await runTool('pg_dump', ['--format=custom', '--no-owner', `--file=${partial}`, `--dbname=${url}`], {
        pkg: 'postgresql-client',
        timeoutMs: 3_600_000,
        signal: opts.signal,
        env: password === undefined ? undefined : {PGPASSWORD: password},
      })
    }
    // on disk before it gets its name (a power cut must not leave a named, empty copy)
    const fd = openSync(partial, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    linkSync(partial, output)
    syncDir(dirname(output))
    return {location: store.location, dialect: store.dialect, output, bytes: statSync(output).size}
  } finally {
    rmSync(partial, {force: true})
    await store.close()
  }
}
