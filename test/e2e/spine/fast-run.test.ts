import {chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi, type CliRun} from '../../helpers/cli.js'
import {REPO_ROOT, TEMPLATES_DIR, tempDir} from '../../helpers/context.js'

/**
 * How bin/run.js starts alpi's own commands (issue 15, start-up): from the command bundles of
 * dist/run/fast, through oclif with a configuration that holds the one command
 * (src/cli/fast-run.ts), compiled from a per-command V8 code cache. The other way, oclif's full
 * configuration over the ES build, is what ALPI_NO_FAST_PATH=1 takes (and what help, topics and
 * unknown commands always take). Both must give the same exit code, stdout and stderr.
 */
const dir = tempDir('alpi-fast-run-')
const db = join(dir.path, 'alpi.sqlite')
afterAll(() => dir.cleanup())

const routes = () => JSON.parse(readFileSync(join(REPO_ROOT, 'dist', 'run', 'routes.json'), 'utf8')) as {build: string}
/** Where this build keeps its compiled code under a cache home, on this runtime. */
const compiledDir = (cacheHome: string) => join(cacheHome, 'alpi', 'compiled', `${routes().build}-${process.version}-${process.arch}`)

/** What a person or a script sees of a run: the exit code, stdout and stderr. */
const outcome = (r: CliRun) => ({code: r.code, stdout: r.stdout, stderr: r.stderr})

const serial = () =>
  readFileSync(join(TEMPLATES_DIR, 'samples', 'laptops.csv'), 'utf8')
    .split('\n')[1]!
    .split(';')[0]!
    .replace(/^\uFEFF/, '')

beforeAll(async () => {
  // Given a small store: the README's sample laptops and schools
  for (const args of [
    ['laptops', 'import', join(TEMPLATES_DIR, 'samples', 'laptops.csv')],
    ['firewalls', 'schools', 'import', join(TEMPLATES_DIR, 'samples', 'ecoles-autorite.csv')],
  ]) {
    const r = await runAlpi([...args, '--db', db])
    expect(r.code, r.stderr).toBe(0)
  }
})

describe('a command started from its bundle answers as oclif with its whole configuration does', () => {
  it.each([
    [['laptops', 'status']],
    [['laptops', 'status', '--json']],
    [['laptops', 'status', '--lang', 'fr', '--days', '3']],
    [['laptops:status']],
    [['laptops', 'show', '@serial']],
    [['laptops', 'show', '@serial', '--json']],
    [['laptops', 'show', 'NO-SUCH-SERIAL']],
    [['laptops', 'show', 'NO-SUCH-SERIAL', '--json']],
    [['laptops', 'show']],
    [['laptops', 'status', '--bogus']],
    [['laptops', 'status', '--weeks', 'many']],
    [['laptops', 'status', '--weeks', 'many', '--json']],
    [['laptops', 'status', 'extra']],
    [['laptops', 'list', '--state', 'received', '--csv']],
    [['firewalls', 'schools', 'list', '--json']],
    [['audit', 'verify']],
    [['db', 'status', '--lang', 'fr']],
    [['win7', 'status']],
    [['config', 'get', 'technician']],
  ])('alpi %j', async (raw) => {
    const args = [...raw.map((a) => (a === '@serial' ? serial() : a)), '--db', db]
    // When the same line runs both ways
    const fast = await runAlpi(args)
    const full = await runAlpi(args, {env: {ALPI_NO_FAST_PATH: '1'}})
    // Then exit code, stdout and stderr are the same
    expect(outcome(fast)).toEqual(outcome(full))
    expect(fast.stdout + fast.stderr).not.toBe('')
  })
})

describe('the compiled code of each command is kept between starts', () => {
  it('writes it after a run that ends well, private to the user, and uses it at the next start', async () => {
    const cache = join(dir.path, 'cache-ok')
    const env = {XDG_CACHE_HOME: cache}
    // When laptops status runs for the first time
    const first = await runAlpi(['laptops', 'status', '--db', db], {env})
    expect(first.code, first.stderr).toBe(0)
    // Then its compiled code is kept, 0600, in folders only the user can read
    const file = join(compiledDir(cache), 'laptops.status.v8')
    expect(statSync(file).size).toBeGreaterThan(10_000)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    for (const d of [join(cache, 'alpi'), join(cache, 'alpi', 'compiled'), compiledDir(cache)]) expect(statSync(d).mode & 0o777).toBe(0o700)
    // And the next start uses it as it is (V8 accepted it: it is not written again)
    const before = statSync(file)
    const second = await runAlpi(['laptops', 'status', '--db', db], {env})
    expect(second.code, second.stderr).toBe(0)
    expect(second.stdout).toBe(first.stdout)
    expect(statSync(file).ino).toBe(before.ino)
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs)
  })

  it('keeps nothing for a run that failed', async () => {
    const cache = join(dir.path, 'cache-failed')
    const r = await runAlpi(['laptops', 'show', 'NO-SUCH-SERIAL', '--db', db], {env: {XDG_CACHE_HOME: cache}})
    expect(r.code).toBe(1)
    expect(existsSync(join(compiledDir(cache), 'laptops.show.v8'))).toBe(false)
  })

  it('compiles afresh over a damaged cache, and writes a good one back', async () => {
    const cache = join(dir.path, 'cache-damaged')
    const env = {XDG_CACHE_HOME: cache}
    const good = await runAlpi(['audit', 'verify', '--db', db], {env})
    expect(good.code, good.stderr).toBe(0)
    const file = join(compiledDir(cache), 'audit.verify.v8')
    const size = statSync(file).size
    // Given the cache file overwritten with garbage of the same size
    writeFileSync(file, Buffer.alloc(size, 0x5a))
    const garbage = statSync(file).ino
    // When the command starts again
    const again = await runAlpi(['audit', 'verify', '--db', db], {env})
    // Then it answers as before, and the cache is a real one again
    expect(outcome(again)).toEqual(outcome(good))
    expect(statSync(file).ino).not.toBe(garbage)
    expect(readFileSync(file).equals(Buffer.alloc(size, 0x5a))).toBe(false)
  })

  it('runs as well when the cache cannot be written', async () => {
    // A file where the cache's folder should be, and a read-only cache home
    const blocked = join(dir.path, 'cache-is-a-file')
    writeFileSync(blocked, 'not a folder')
    const readOnly = join(dir.path, 'cache-read-only')
    mkdirSync(readOnly, {mode: 0o500})
    chmodSync(readOnly, 0o500)
    const reference = await runAlpi(['win7', 'status', '--db', db], {env: {ALPI_NO_FAST_PATH: '1'}})
    for (const home of [blocked, readOnly]) {
      const r = await runAlpi(['win7', 'status', '--db', db], {env: {XDG_CACHE_HOME: home}})
      expect(outcome(r)).toEqual(outcome(reference))
    }
    if (process.getuid?.() !== 0) expect(readdirSync(readOnly)).toEqual([])
  })

  it("forgets the caches of the builds it replaced on this runtime, and keeps other runtimes' caches", async () => {
    const cache = join(dir.path, 'cache-upgrade')
    const compiled = join(cache, 'alpi', 'compiled')
    const oldBuild = join(compiled, `0123456789abcdef-${process.version}-${process.arch}`)
    const otherRuntime = join(compiled, `0123456789abcdef-v99.0.0-${process.arch}`)
    for (const d of [oldBuild, otherRuntime]) {
      mkdirSync(d, {recursive: true})
      writeFileSync(join(d, 'laptops.status.v8'), 'old')
    }
    const r = await runAlpi(['laptops', 'status', '--db', db], {env: {XDG_CACHE_HOME: cache}})
    expect(r.code, r.stderr).toBe(0)
    expect(readdirSync(compiled).sort()).toEqual(
      [`${routes().build}-${process.version}-${process.arch}`, `0123456789abcdef-v99.0.0-${process.arch}`].sort(),
    )
  })
})
