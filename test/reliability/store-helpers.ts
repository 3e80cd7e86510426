import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import {REPO_ROOT, tempDir} from '../helpers/context.js'
import {freshPgDatabase} from '../helpers/pg.js'
import {WRITER_LOCK} from '../../src/store/db.js'

/** Shared by the store-*.test.ts reliability tests: real stores, the real binary, real signals. */

export type StoreDialect = 'sqlite' | 'postgres'

/** A store location of either kind (an SQLite path not created yet, or a fresh PostgreSQL database). */
export async function storeLocation(dialect: StoreDialect): Promise<{url: string; dir: string; cleanup: () => Promise<void>}> {
  const dir = tempDir('alpi-rel-store-')
  if (dialect === 'sqlite') return {url: join(dir.path, 'alpi.sqlite'), dir: dir.path, cleanup: async () => dir.cleanup()}
  const db = await freshPgDatabase()
  return {
    url: db.url,
    dir: dir.path,
    cleanup: async () => {
      await db.drop()
      dir.cleanup()
    },
  }
}

/** A generated laptops intake file of n rows (serials PF<prefix><n>X, no personal data). */
export function laptopsCsv(path: string, n: number, prefix = 'A'): string {
  const lines = ['serial,maker,model,lot']
  for (let i = 0; i < n; i++) lines.push(`PF${prefix}${String(i).padStart(6, '0')}X,Lenovo,ThinkPad L380,L${i % 50}`)
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

/** The environment runAlpi gives the binary (isolated config and XDG folders). */
export function alpiEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const isolated = join(tmpdir(), 'alpi-e2e-xdg')
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    ALPI_CONFIG: join(REPO_ROOT, '.alpi-test-no-config.json'),
    XDG_DATA_HOME: join(isolated, 'data'),
    XDG_CONFIG_HOME: join(isolated, 'config'),
    ...extra,
  }
  delete env.CI
  delete env.NODE_ENV
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k]
  return env as NodeJS.ProcessEnv
}

export interface Running {
  child: ChildProcessWithoutNullStreams
  stdout: () => string
  stderr: () => string
  /** Resolves when stderr matches. */
  waitStderr: (re: RegExp, timeoutMs?: number) => Promise<void>
  done: Promise<{code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string}>
}

/** Start the real binary and keep a hand on it (signals, streamed stderr). */
export function startAlpi(args: string[], env: Record<string, string | undefined> = {}): Running {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'run.js'), ...args], {
    cwd: REPO_ROOT,
    env: alpiEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  child.stdin.end()
  let out = ''
  let err = ''
  const waiters: {re: RegExp; resolve: () => void}[] = []
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => {
    err += d
    for (const w of [...waiters])
      if (w.re.test(err)) {
        waiters.splice(waiters.indexOf(w), 1)
        w.resolve()
      }
  })
  const done = new Promise<{code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string}>((res) =>
    child.on('close', (code, signal) => res({code, signal, stdout: out, stderr: err})),
  )
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitStderr: (re, timeoutMs = 120_000) =>
      new Promise<void>((res, rej) => {
        if (re.test(err)) return res()
        const timer = setTimeout(() => rej(new Error(`stderr never matched ${re}: ${err}`)), timeoutMs)
        waiters.push({re, resolve: () => (clearTimeout(timer), res())})
        void done.then(() => setTimeout(() => rej(new Error(`exited before stderr matched ${re}: ${err}`)), 50))
      }),
    done,
  }
}

/** One value from the store, read outside alpi (better-sqlite3 or pg). */
export async function scalar(dialect: StoreDialect, url: string, query: string): Promise<unknown> {
  if (dialect === 'sqlite') {
    const db = new Database(url, {readonly: true, fileMustExist: true})
    try {
      return Object.values(db.prepare(query).get() as Record<string, unknown>)[0]
    } finally {
      db.close()
    }
  }
  const c = new pg.Client({connectionString: url})
  await c.connect()
  try {
    return Object.values((await c.query(query)).rows[0] as Record<string, unknown>)[0]
  } finally {
    await c.end()
  }
}

/** Run SQL against the store outside alpi (to tamper, or to set up a case). */
export async function execSql(dialect: StoreDialect, url: string, statements: string): Promise<void> {
  if (dialect === 'sqlite') {
    const db = new Database(url, {fileMustExist: true})
    try {
      db.exec(statements)
    } finally {
      db.close()
    }
    return
  }
  const c = new pg.Client({connectionString: url})
  await c.connect()
  try {
    await c.query(statements)
  } finally {
    await c.end()
  }
}

/**
 * Hold the store's writer lock from outside alpi, as another writer would (SQLite: BEGIN
 * IMMEDIATE on the file; PostgreSQL: the writers' advisory lock in an open transaction), until
 * the returned release is called; `uncommitted` runs inside that transaction and is rolled back. Deterministic where a long import would race the clock.
 */
export async function holdWriterLock(dialect: StoreDialect, url: string, uncommitted?: string): Promise<() => Promise<void>> {
  if (dialect === 'sqlite') {
    const db = new Database(url, {fileMustExist: true})
    db.exec('BEGIN IMMEDIATE')
    if (uncommitted) db.exec(uncommitted)
    return async () => {
      db.exec('ROLLBACK')
      db.close()
    }
  }
  const c = new pg.Client({connectionString: url})
  await c.connect()
  await c.query('BEGIN')
  await c.query('select pg_advisory_xact_lock($1)', [WRITER_LOCK])
  if (uncommitted) await c.query(uncommitted)
  return async () => {
    await c.query('ROLLBACK')
    await c.end()
  }
}
