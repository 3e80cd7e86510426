import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../../helpers/cli.js'
import {REPO_ROOT, TEMPLATES_DIR, tempDir} from '../../helpers/context.js'

/**
 * Start-up (issue 15): a command loads what it uses, when it uses it. Heavy libraries are
 * imported lazily by the one module that owns each (the PDF library where a PDF is drawn, ssh2
 * for remote work, pg for a postgres:// store...), so that everyday commands start fast. Timing
 * is bench/cli-startup.mjs's job; this checks the cause, which does not depend on the machine's
 * load: the modules a real process loaded, recorded by a preload (test/helpers/module-trace.mjs).
 */

/** Libraries no store-reading command needs at start-up, with the place that loads them lazily. */
const HEAVY = ['pdfkit', 'ssh2', 'pg', 'pg-pool', 'execa', 'listr2', '@inquirer', 'zod', 'eta', 'csv-parse', 'qrcode', 'log-update']

const dir = tempDir('alpi-startup-loads-')
const db = join(dir.path, 'alpi.sqlite')
afterAll(() => dir.cleanup())

/** A new trace file for each run (the preload appends). */
let traces = 0

/** What each file of the bundle holds (bin/esbuild.mjs writes it): the modules inside, by path. */
const BUNDLE = join(REPO_ROOT, 'dist', 'run')
const holds = (): Record<string, string[]> => JSON.parse(readFileSync(join(BUNDLE, 'modules.json'), 'utf8')) as Record<string, string[]>

/**
 * The packages a run of alpi loaded, from node_modules or from inside the bundle's files, and
 * every module it loaded (a file of the bundle counts as the modules it holds).
 */
async function loads(args: string[], env: Record<string, string> = {}): Promise<{packages: Set<string>; files: string[]}> {
  const trace = join(dir.path, `trace-${(traces += 1)}-${args.join('-').replace(/[^a-z0-9-]/gi, '_')}.txt`)
  const run = await runAlpi([...args, '--db', db], {
    env: {...env, NODE_OPTIONS: `--import ${join(REPO_ROOT, 'test', 'helpers', 'module-trace.mjs')}`, ALPI_TRACE_MODULES: trace},
  })
  expect(run.code, run.stderr).toBe(0)
  const inside = holds()
  const files = readFileSync(trace, 'utf8')
    .split('\n')
    .filter(Boolean)
    .flatMap((f) => {
      const path = f.replace(/^file:\/\//, '')
      return path.startsWith(`${BUNDLE}/`) ? [path, ...(inside[path.slice(BUNDLE.length + 1)] ?? [])] : [path]
    })
  const packages = new Set(
    files.map((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter((p): p is string => p !== undefined),
  )
  return {packages, files}
}

describe('what a command loads at start-up', () => {
  beforeAll(async () => {
    // Given a small store: the README's sample laptops
    const imported = await runAlpi(['laptops', 'import', join(TEMPLATES_DIR, 'samples', 'laptops.csv'), '--db', db])
    expect(imported.code, imported.stderr).toBe(0)
  })

  const serial = () =>
    readFileSync(join(TEMPLATES_DIR, 'samples', 'laptops.csv'), 'utf8')
      .split('\n')[1]!
      .split(';')[0]!
      .replace(/^\uFEFF/, '')

  const EVERYDAY = [
    [['laptops', 'status']],
    [['audit', 'verify']],
    [['win7', 'status']],
    [['db', 'status']],
    [['laptops', 'show', '@serial']],
  ]

  // The module graph: the ES build (ALPI_NO_FAST_PATH), where each module keeps a file the trace
  // can see. The command bundles of dist/run/fast are built from the same modules and imports,
  // with each module initialised when first imported, so a library this graph does not reach is
  // not run there either.
  it.each(EVERYDAY)('the modules alpi %j imports reach no heavy library it does not use', async (args) => {
    // When the command runs on the store
    const {packages, files} = await loads(
      args.map((a) => (a === '@serial' ? serial() : a)),
      {ALPI_NO_FAST_PATH: '1'},
    )
    // Then the trace saw the store's libraries (the preload works for ES modules and CommonJS)...
    expect(packages).toContain('better-sqlite3')
    expect(files.some((f) => f.startsWith('dist/commands/'))).toBe(true)
    // ...Kysely from inside the bundle, never also from node_modules...
    expect(packages).toContain('kysely')
    expect(files.filter((f) => f.includes('/node_modules/kysely/'))).toEqual([])
    // ...and none of the heavy libraries
    expect([...packages].filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)))).toEqual([])
  })

  it.each(EVERYDAY)("alpi %j, started from its command bundle, loads no heavy package and none of oclif's plugins", async (args) => {
    // When the command runs as a technician runs it (bin/run.js, dist/run/fast)
    const {packages, files} = await loads(args.map((a) => (a === '@serial' ? serial() : a)))
    // Then the store's driver came from node_modules (the preload sees require)...
    expect(packages).toContain('better-sqlite3')
    // ...oclif's configuration held the one command: no plugin, no ES chunk of the other build...
    expect([...packages].filter((p) => p.startsWith('@oclif/'))).toEqual([])
    expect(files.filter((f) => f.includes('/dist/run/chunks/') || f.includes('/dist/run/commands/'))).toEqual([])
    // ...and no heavy package was loaded
    expect([...packages].filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)))).toEqual([])
  })

  it('sees the libraries inside the bundle: an import loads the CSV parser', async () => {
    // The control of the cases above: a library the bundle holds counts when its file is loaded.
    const {packages, files} = await loads(['laptops', 'import', join(TEMPLATES_DIR, 'samples', 'laptops.csv')], {ALPI_NO_FAST_PATH: '1'})
    expect(packages).toContain('csv-parse')
    expect(files.filter((f) => f.includes('/node_modules/csv-parse/'))).toEqual([])
  })

  it.each([
    [['laptops', 'wipe', '--help']],
    [['firewalls', 'deploy', '--help', '--lang', 'fr']],
    [['laptops', '--help']],
    [['help', 'audit', 'verify']],
  ])('alpi %j is answered from the help the build wrote, without loading oclif or any command', async (args) => {
    const run = await runAlpi(args)
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toMatch(/USAGE|UTILISATION/)
    // The trace runs with the store flag removed: a help line takes no --db.
    const trace = join(dir.path, `trace-help-${args.join('-')}.txt`)
    const traced = await runAlpi(args, {
      env: {NODE_OPTIONS: `--import ${join(REPO_ROOT, 'test', 'helpers', 'module-trace.mjs')}`, ALPI_TRACE_MODULES: trace},
    })
    expect(traced.stdout).toBe(run.stdout)
    const files = readFileSync(trace, 'utf8').split('\n').filter(Boolean)
    expect(files.filter((f) => f.includes('/node_modules/') || f.includes('/dist/'))).toEqual([])
  })

  it('alpi laptops wipe --help without the prebuilt help goes through oclif, loading the help class and never the command', async () => {
    const {packages, files} = await loads(['laptops', 'wipe', '--help'], {ALPI_NO_FAST_PATH: '1'})
    expect(packages).toContain('@oclif/core')
    // Only the help class (French or English help) and the hooks, never the command or a service.
    const ours = files.filter((f) => f.startsWith('dist/src/') || f.startsWith('dist/commands/')).map((f) => f.slice('dist/'.length))
    expect(ours.filter((f) => !/^src\/(cli\/(help|hooks|main)\.js|cli\/messages\/help(-flags)?\.fr\.js|core\/i18n\.js)$/.test(f))).toEqual(
      [],
    )
    expect(ours).toContain('src/cli/help.js')
    expect(packages).not.toContain('kysely')
  })
})
