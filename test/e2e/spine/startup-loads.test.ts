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

/** The packages (node_modules/<name>) a run of alpi loaded, and every path or URL. */
async function loads(args: string[]): Promise<{packages: Set<string>; files: string[]}> {
  const trace = join(dir.path, `trace-${args.join('-')}.txt`)
  const run = await runAlpi([...args, '--db', db], {
    env: {NODE_OPTIONS: `--import ${join(REPO_ROOT, 'test', 'helpers', 'module-trace.mjs')}`, ALPI_TRACE_MODULES: trace},
  })
  expect(run.code, run.stderr).toBe(0)
  const files = readFileSync(trace, 'utf8').split('\n').filter(Boolean)
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

  it.each([[['laptops', 'status']], [['audit', 'verify']], [['win7', 'status']], [['db', 'status']], [['laptops', 'show', '@serial']]])(
    'alpi %j loads no heavy library it does not use',
    async (args) => {
      // When the command runs on the store
      const {packages, files} = await loads(args.map((a) => (a === '@serial' ? serial() : a)))
      // Then the trace saw the store's libraries (the preload works for ES modules and CommonJS)...
      expect(packages).toContain('better-sqlite3')
      expect(files.some((f) => f.includes('/dist/commands/'))).toBe(true)
      // ...Kysely once, from its CommonJS build (src/store/kysely.ts), not also as ES modules...
      expect(files.some((f) => f.includes('node_modules/kysely/dist/cjs/'))).toBe(true)
      expect(files.filter((f) => f.includes('node_modules/kysely/dist/esm/'))).toEqual([])
      // ...and none of the heavy libraries
      expect([...packages].filter((p) => HEAVY.some((h) => p === h || p.startsWith(`${h}/`)))).toEqual([])
    },
  )

  it('alpi laptops wipe --help is answered from the manifest, without loading the command', async () => {
    const {packages, files} = await loads(['laptops', 'wipe', '--help'])
    expect(packages).toContain('@oclif/core')
    // Only the help class (French or English help) and the hooks package.json names, never the command or a service.
    const ours = files.filter((f) => f.includes('/dist/src/') || f.includes('/dist/commands/')).map((f) => f.slice(f.indexOf('/dist/') + 6))
    expect(ours.filter((f) => !/^src\/(cli\/(help|hooks)\.js|cli\/messages\/help(-flags)?\.fr\.js|core\/i18n\.js)$/.test(f))).toEqual([])
    expect(ours).toContain('src/cli/help.js')
    expect(packages).not.toContain('kysely')
  })
})
