import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import type {ServiceContext} from '../../src/context/service-context.js'
import {memoryOutput} from '../../src/core/output.js'
import {openStore, type Store} from '../../src/store/db.js'
import {freshPgDatabase} from './pg.js'

export const REPO_ROOT = resolve(new URL('../..', import.meta.url).pathname)
export const TEMPLATES_DIR = join(REPO_ROOT, 'templates')

export function tempDir(prefix = 'alpi-test-'): {path: string; cleanup: () => void} {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return {path, cleanup: () => rmSync(path, {recursive: true, force: true})}
}

/** A real SQLite file in a temporary folder, migrated. */
export async function sqliteStore(): Promise<{store: Store; dir: string; cleanup: () => Promise<void>}> {
  const dir = tempDir()
  const store = await openStore({url: join(dir.path, 'alpi.sqlite')})
  return {
    store,
    dir: dir.path,
    cleanup: async () => {
      await store.close()
      dir.cleanup()
    },
  }
}

/** A real PostgreSQL database (fresh), migrated. */
export async function postgresStore(): Promise<{store: Store; url: string; cleanup: () => Promise<void>}> {
  const pg = await freshPgDatabase()
  const store = await openStore({url: pg.url})
  return {
    store,
    url: pg.url,
    cleanup: async () => {
      await store.close()
      await pg.drop()
    },
  }
}

/** Both dialects, for suites that must pass on each (describe.each(DIALECTS)). */
export const DIALECTS = ['sqlite', 'postgres'] as const
export async function storeFor(dialect: (typeof DIALECTS)[number]) {
  return dialect === 'sqlite' ? sqliteStore() : postgresStore()
}

/** A service context over a real store, with output captured in memory. */
export function testContext(
  store: Store,
  overrides: Partial<ServiceContext> = {},
): ServiceContext & {out: ReturnType<typeof memoryOutput>} {
  return {
    store,
    actor: 'test-technician',
    command: 'test',
    out: memoryOutput(),
    config: {},
    templatesDir: TEMPLATES_DIR,
    signal: new AbortController().signal,
    interactive: false,
    yes: false,
    ...overrides,
  } as ServiceContext & {out: ReturnType<typeof memoryOutput>}
}
