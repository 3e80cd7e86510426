import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, symlinkSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {TOOLS} from '../../../src/tools/doctor.js'
import {REPO_ROOT, tempDir} from '../../helpers/context.js'

// The offline bundle (`npm run bundle`) as a workshop PC gets it: unpacked into an empty folder
// and run with a PATH that holds no node, no npm and no compiler, inside a network namespace
// with no interface but a down loopback (no network at all).
describe('offline bundle', () => {
  const dir = tempDir('alpi-e2e-bundle-')
  const ns = `alpi-bundle-${process.pid}`
  const path = join(dir.path, 'path')
  let root = ''
  let tarball = ''

  beforeAll(() => {
    // ALPI_TEST_BUNDLE: a tarball `npm run bundle` made from this checkout (CI builds it once,
    // in the Node 20 run, and the Node 24 run tests the same file).
    tarball =
      process.env.ALPI_TEST_BUNDLE ??
      execFileSync('bash', [join(REPO_ROOT, 'bin', 'bundle.sh')], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        env: {...process.env, ALPI_BUNDLE_NO_BUILD: '1'},
      })
        .trim()
        .split('\n')
        .at(-1)!
    const unpacked = join(dir.path, 'opt')
    mkdirSync(unpacked)
    execFileSync('tar', ['xzf', tarball, '-C', unpacked])
    root = join(unpacked, readdirSync(unpacked)[0]!)
    // The launcher needs a POSIX shell and readlink; alpi needs the campaigns' tools. Nothing else.
    mkdirSync(path)
    for (const tool of ['sh', 'readlink', ...TOOLS.map((t) => t.tool)]) {
      const found = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'].map((d) => join(d, tool)).find((p) => existsSync(p))
      if (found) symlinkSync(found, join(path, tool))
    }
    execFileSync('ip', ['netns', 'add', ns])
  }, 900_000)

  afterAll(() => {
    spawnSync('ip', ['netns', 'del', ns])
  })

  /** Run the bundle's alpi with no network, no node and no compiler. */
  function alpi(args: string[]) {
    const env = [
      `PATH=${path}`,
      `HOME=${dir.path}`,
      `XDG_DATA_HOME=${join(dir.path, 'data')}`,
      `XDG_CONFIG_HOME=${join(dir.path, 'config')}`,
      'LANG=C.UTF-8',
    ]
    const r = spawnSync('ip', ['netns', 'exec', ns, '/usr/bin/env', '-i', ...env, join(root, 'bin', 'alpi'), ...args], {
      cwd: dir.path,
      encoding: 'utf8',
    })
    return {code: r.status, stdout: r.stdout, stderr: r.stderr}
  }

  it('is whole (SHA256SUMS), and its PATH and network have nothing to fetch or compile with', () => {
    expect(execFileSync('sha256sum', ['--quiet', '-c', 'SHA256SUMS'], {cwd: root, encoding: 'utf8'})).toBe('')
    for (const tool of ['node', 'npm', 'npx', 'cc', 'gcc', 'make', 'python3']) expect(existsSync(join(path, tool)), tool).toBe(false)
    const links = execFileSync('ip', ['netns', 'exec', ns, 'ip', '-o', 'link'], {encoding: 'utf8'}).trim().split('\n')
    expect(links).toHaveLength(1)
    expect(links[0]).toMatch(/^1: lo: .*state DOWN/)
  })

  it('answers --version and doctor with its own runtime', () => {
    const v = alpi(['--version'])
    expect(v.code).toBe(0)
    expect(v.stdout).toMatch(/^alpi\/\d+\.\d+\.\d+ linux-x64 node-v24\.22\.3\n$/)
    const d = alpi(['doctor', '--json'])
    const report = JSON.parse(d.stdout)
    const checks = (report.result ?? report.data).checks as {check: string; status: string; detail: string}[]
    expect(checks.find((c) => c.check === 'runtime')).toMatchObject({status: 'ok', detail: expect.stringContaining('v24.22.3')})
    expect(checks.find((c) => c.check === 'store')?.detail).toContain('not created yet')
    expect(d.stderr).toBe('')
  })

  it("runs the README's demo on the bundled samples with the embedded store", () => {
    const samples = join(root, 'lib', 'templates', 'samples')
    const db = join(dir.path, 'alpi-demo', 'alpi.sqlite')
    const out = join(dir.path, 'alpi-demo', 'cityfamily')
    const migrate = alpi(['cityfamily', 'migrate', join(samples, 'abelium'), '--out', out, '--db', db])
    expect(migrate.code, migrate.stderr).toBe(0)
    const reconcile = alpi(['cityfamily', 'reconcile', join(samples, 'abelium'), out])
    expect(reconcile.code, reconcile.stderr).toBe(0)
    expect(reconcile.stdout).toMatch(/no difference/i)
    expect(alpi(['laptops', 'import', join(samples, 'laptops.csv'), '--db', db]).code).toBe(0)
    const status = alpi(['laptops', 'status', '--db', db, '--json'])
    expect(status.code).toBe(0)
    expect(JSON.parse(status.stdout).result.total).toBeGreaterThan(0)
    for (const list of ['annuaire-education-landes.csv', 'ecoles-autorite.csv']) {
      const imp = alpi(['firewalls', 'schools', 'import', join(samples, list), '--db', db])
      expect(imp.code, imp.stderr).toBe(0)
    }
    const plan = alpi(['firewalls', 'plan', '--db', db])
    expect(plan.code, plan.stderr).toBe(0)
    expect(plan.stdout).toMatch(/^0409001S\s+new\s/m)
    expect(alpi(['firewalls', 'worksheet', '0409001S', '--output', join(dir.path, 'alpi-demo', 'fiche.html'), '--db', db]).code).toBe(0)
    expect(alpi(['firewalls', 'compliance', '--db', db]).code).toBe(0)
    expect(alpi(['audit', 'verify', '--db', db]).code).toBe(0)
  })

  it('is also a Debian package that puts alpi on PATH', () => {
    const deb = readdirSync(join(REPO_ROOT, 'release')).find((f) => f.endsWith('_amd64.deb'))
    expect(deb).toBeDefined()
    const contents = execFileSync('dpkg-deb', ['--contents', join(REPO_ROOT, 'release', deb!)], {encoding: 'utf8'})
    expect(contents).toMatch(/\.\/usr\/bin\/alpi -> \/opt\/alpi\/bin\/alpi/)
    expect(contents).toMatch(/\.\/opt\/alpi\/runtime\/bin\/node/)
    expect(contents).toMatch(/\.\/opt\/alpi\/lib\/node_modules\/better-sqlite3\/build\/Release\/better_sqlite3\.node/)
  })
})
