/**
 * Issue 10.1, "a check that says verified must mean it", through the built binary against a
 * real box (sshd + dnsmasq + nftables in a network namespace) and a pupil seat behind it, on
 * SQLite and PostgreSQL:
 * - `lists update --from bl.tar.gz --category malware` merges: adult and gambling stay on the box;
 * - a list version without a required category (as alpi wrote it before the fix) is never
 *   deployed, and `verify --from-lan` fails on it;
 * - a box that lost a category behind alpi's back: `verify --from-lan` names the name that
 *   resolves from the pupil seat and `compliance` says failing, never verified;
 * - the register dropping a category: deploy refuses until --allow-drop names it.
 * `verify --from-lan` runs as on a technician's laptop plugged into the school LAN: the binary
 * inside the pupil namespace. For PostgreSQL that laptop reaches the agency's server through a
 * forwarder (a Unix socket on the shared filesystem to the server's TCP port), as over a VPN.
 */
import {spawn} from 'node:child_process'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createConnection, createServer, type Server} from 'node:net'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {trustHostKey} from '../../src/remote/host-keys.js'
import {openStore} from '../../src/store/db.js'
import {CSV_HEADER, csvLine, validUai} from '../fixtures/firewalls/schools.js'
import {writeUt1} from '../fixtures/firewalls/ut1.js'
import {runAlpi, type CliRun} from '../helpers/cli.js'
import {DIALECTS, REPO_ROOT, tempDir, testContext} from '../helpers/context.js'
import {freshPgDatabase} from '../helpers/pg.js'
import {createSchoolBed, type SchoolBed, type SchoolBox} from '../helpers/schoolbox.js'

/** Each step runs the binary several times against a real box: minutes on a loaded two-core machine. */
const LONG = 300_000
const BOX_OK = {status: 'NOERROR', answers: ['0.0.0.0']}

/** Run the binary inside a namespace (the pupil's seat), without blocking this process. */
function runAlpiIn(ns: string, args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const childEnv: Record<string, string | undefined> = {...process.env, NO_COLOR: '1', ...env}
    delete childEnv.CI
    delete childEnv.NODE_ENV
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, join(REPO_ROOT, 'bin', 'run.js'), ...args], {
      env: childEnv as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolvePromise({code, stdout, stderr, json: () => JSON.parse(stdout)})
    })
  })
}

/** blacklists.tar.gz as UT1 publishes it: blacklists/<category>/domains. */
async function tarball(dir: string, name: string, categories: Record<string, string[]>, only?: string[]): Promise<string> {
  const root = join(dir, name)
  writeUt1(join(root, 'blacklists'), categories)
  if (only) {
    const {rmSync, readdirSync} = await import('node:fs')
    for (const c of readdirSync(join(root, 'blacklists'))) if (!only.includes(c)) rmSync(join(root, 'blacklists', c), {recursive: true})
  }
  const file = join(dir, `${name}.tar.gz`)
  const r = await new Promise<number | null>((res) => spawn('tar', ['-czf', file, '-C', root, 'blacklists']).on('close', res))
  expect(r).toBe(0)
  return file
}

const checksOf = (r: CliRun) =>
  Object.fromEntries(
    (r.json().result ?? r.json().data).verifications[0].checks.map((c: {name: string; passed: boolean}) => [c.name, c.passed]),
  )

describe.each(DIALECTS)('firewalls categories through the binary on %s (real box, pupil seat)', (dialect) => {
  let bed: SchoolBed
  let box: SchoolBox
  let dir: ReturnType<typeof tempDir>
  let db: string
  /** The store as the laptop on the school LAN reaches it. */
  let pupilDb: string
  let dropPg: (() => Promise<void>) | undefined
  let forwarder: Server | undefined
  const uai = validUai(61)
  let full: string
  let malwareOnly: string
  const env = () => ({
    ALPI_CONFIG: join(dir.path, 'none.json'),
    XDG_DATA_HOME: join(dir.path, 'xdg-data'),
    XDG_CONFIG_HOME: join(dir.path, 'xdg-config'),
  })
  const alpi = (args: string[]) => runAlpi([...args, '--db', db], {env: env()})
  const fromPupil = (args: string[]) => runAlpiIn(box.pupil!, [...args, '--db', pupilDb], env())
  const importRegister = async (categories: string[]) => {
    const file = join(dir.path, 'ecoles.csv')
    writeFileSync(
      file,
      [
        CSV_HEADER,
        csvLine(61, {
          lan: box.lanCidr.replace(/\.0\/24$/, ''),
          mgmtHost: box.sshd.ip,
          overrides: JSON.stringify(box.overrides({categories, allowDomains: ['allowed.test']})),
        }),
      ].join('\n') + '\n',
    )
    const r = await alpi(['firewalls', 'schools', 'import', file])
    expect(r.code, r.stderr).toBe(0)
  }
  const deploy = (extra: string[] = []) =>
    alpi(['firewalls', 'deploy', '--school', uai, '--yes', '--retries', '0', '--identity', box.sshd.clientKeyPath, '--json', ...extra])
  const verifyFromPupil = (json = true) =>
    fromPupil(['firewalls', 'verify', '--from-lan', '--school', uai, '--outside-dns', box.internetDns!, ...(json ? ['--json'] : [])])
  const complianceOf = async () => {
    const r = await alpi(['firewalls', 'compliance', '--json'])
    expect(r.code, r.stderr).toBe(0)
    return r
      .json()
      .result.authorities.flatMap((a: {details: unknown[]}) => a.details)
      .find((d: {uai: string}) => d.uai === uai)
  }

  beforeAll(async () => {
    bed = await createSchoolBed({boxes: 1, rollbackSeconds: 20})
    box = bed.boxes[0]!
    dir = tempDir('alpi-rel-fw-cat-')
    if (dialect === 'sqlite') {
      db = join(dir.path, 'alpi.sqlite')
      pupilDb = db
    } else {
      const pg = await freshPgDatabase()
      dropPg = pg.drop
      db = pg.url
      const url = new URL(pg.url)
      const sock = join(dir.path, 'pg.sock')
      forwarder = createServer((c) => {
        const up = createConnection(Number(url.port || 5432), url.hostname)
        c.pipe(up).pipe(c)
        up.on('error', () => c.destroy())
        c.on('error', () => up.destroy())
      }).listen(sock)
      const port = 15432
      bed.lab.spawn(box.pupil!, [
        process.execPath,
        '-e',
        `const n=require('node:net');n.createServer((c)=>{const u=n.connect(${JSON.stringify(sock)});c.pipe(u).pipe(c);u.on('error',()=>c.destroy());c.on('error',()=>u.destroy())}).listen(${port},'127.0.0.1')`,
      ])
      const pupilUrl = new URL(pg.url)
      pupilUrl.hostname = '127.0.0.1'
      pupilUrl.port = String(port)
      pupilDb = pupilUrl.toString()
      for (let i = 0; i < 50; i++) {
        const r = await bed.lab.exec(
          box.pupil!,
          [
            process.execPath,
            '-e',
            `require('node:net').connect(${port},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`,
          ],
          {allowFailure: true},
        )
        if (r.code === 0) break
        await new Promise((res) => setTimeout(res, 100))
      }
    }
    await importRegister(['adult', 'gambling', 'malware'])
    const store = await openStore({url: db})
    await trustHostKey(testContext(store), {host: box.sshd.ip, port: box.sshd.port, publicKey: box.sshd.hostKeyPub})
    await store.close()
    mkdirSync(join(dir.path, 'lists'))
    full = await tarball(join(dir.path, 'lists'), 'full', {malware: ['malware.test', 'trojan.test']})
    malwareOnly = await tarball(join(dir.path, 'lists'), 'malware', {malware: ['malware.test', 'trojan.test', 'worm.test']}, ['malware'])
  })
  afterAll(async () => {
    await bed?.cleanup()
    forwarder?.close()
    await dropPg?.()
    dir?.cleanup()
  })

  it(
    '`lists update --category malware` keeps adult and gambling: after deploy they stay blocked, verify tests each category, compliance says verified',
    async () => {
      const first = await alpi(['firewalls', 'lists', 'update', '--from', full, '--json'])
      expect(first.code, first.stderr).toBe(0)
      expect(first.json().result).toMatchObject({status: 'new', categories: {adult: 3, gambling: 2, malware: 2}})
      const d1 = await deploy()
      expect(d1.code, d1.stderr).toBe(0)
      expect(await bed.digFromPupil(box, 'adult.test', box.lanGateway)).toEqual(BOX_OK)

      const partial = await alpi(['firewalls', 'lists', 'update', '--from', malwareOnly, '--category', 'malware'])
      expect(partial.code, partial.stderr).toBe(0)
      expect(partial.stdout).toMatch(/1 category read, 3 domains; 2 kept from ut1-/)
      expect(partial.stdout).toMatch(/adult\s+3\s+-\s+ut1-/)
      const d2 = await deploy()
      expect(d2.code, d2.stderr).toBe(0)
      expect(d2.json().result.results[0]).toMatchObject({status: 'ok', outcome: 'confirmed'})
      for (const name of ['adult.test', 'casino.test', 'worm.test'])
        expect(await bed.digFromPupil(box, name, box.lanGateway), name).toEqual(BOX_OK)
      expect((await bed.digFromPupil(box, 'allowed.test', box.lanGateway)).answers).toEqual(['192.0.2.10'])

      const v = await verifyFromPupil()
      expect(v.code, v.stderr + v.stdout).toBe(0)
      const checks = v.json().result.verifications[0].checks as {
        name: string
        passed: boolean
        category?: string
        listVersion?: string
        detail: string
      }[]
      const latest = (await alpi(['firewalls', 'lists', 'update', '--from', malwareOnly, '--category', 'malware', '--json'])).json().result
        .version
      expect(checks.filter((c) => c.category).map((c) => [c.category, c.passed, c.listVersion])).toEqual([
        ['adult', true, latest],
        ['gambling', true, latest],
        ['malware', true, latest],
      ])
      expect(checks.find((c) => c.category === 'adult')!.detail).toContain('adult.test')
      expect(await complianceOf()).toMatchObject({status: 'ok', reason: null})
    },
    LONG,
  )

  it(
    'a list version without adult and gambling (as alpi wrote it before the fix) is never deployed, and verify fails on it',
    async () => {
      // What the old `lists update --category malware` left as the latest version.
      const store = await openStore({url: db})
      await store.db
        .insertInto('fw_list_versions')
        .values({
          version: 'ut1-20991231-malwareonly',
          loaded_at: '2099-12-31T00:00:00.000Z',
          source: 'bl.tar.gz',
          categories: JSON.stringify({malware: 2}),
          domains: 2,
          actor: 'old-alpi',
        })
        .execute()
      await store.db
        .insertInto('fw_list_categories')
        .values({version: 'ut1-20991231-malwareonly', category: 'malware', domains_count: 2, domains: 'malware.test\ntrojan.test'})
        .execute()
      await store.close()

      const refused = await deploy()
      expect(refused.code, refused.stderr).toBe(4)
      expect(refused.json()).toMatchObject({
        status: 4,
        code: 'PARTIAL_FAILURE',
        data: {
          failed: 1,
          results: [{uai, status: 'failed', error: {code: 'FILTER_CATEGORY_DROPPED', message: expect.stringContaining('adult, gambling')}}],
        },
      })
      expect(await bed.digFromPupil(box, 'adult.test', box.lanGateway)).toEqual(BOX_OK)
      const plan = await alpi(['firewalls', 'plan', '--school', uai])
      expect(plan.code).toBe(1)
      expect(plan.stdout).toContain('would drop adult, gambling')

      const v = await verifyFromPupil()
      expect(v.code, v.stderr).toBe(4)
      expect(checksOf(v)).toMatchObject({
        'blocked: category adult': false,
        'blocked: category gambling': false,
        'blocked: category malware': true,
      })
      expect(v.stdout).toContain('has no category adult')
      expect(await complianceOf()).toMatchObject({status: 'failing'})

      // The action the refusal gives: load the categories again (merged into the latest version).
      const reload = await alpi(['firewalls', 'lists', 'update', '--from', full, '--category', 'adult', '--category', 'gambling', '--json'])
      expect(reload.json().result).toMatchObject({status: 'new', previous: 'ut1-20991231-malwareonly', kept: {malware: {domains: 2}}})
      expect((await verifyFromPupil()).code).toBe(0)
      expect(await complianceOf()).toMatchObject({status: 'ok'})
    },
    LONG,
  )

  it(
    "a box that lost adult behind alpi's back: verify from the pupil seat names the name that resolves, compliance says failing",
    async () => {
      const filter = join(box.root, 'etc/dnsmasq.d/alpi-filter.conf')
      writeFileSync(
        filter,
        readFileSync(filter, 'utf8')
          .split('\n')
          .filter((l) => !l.includes('adult.test'))
          .join('\n'),
      )
      const pidFile = join(box.root, 'run/dnsmasq.pid')
      const pid = readFileSync(pidFile, 'utf8').trim()
      await bed.lab.exec(box.label, [
        'sh',
        '-c',
        `kill ${pid}; while kill -0 ${pid} 2>/dev/null; do sleep 0.1; done; dnsmasq --conf-file=/dev/null --conf-dir=${join(box.root, 'etc/dnsmasq.d')},*.conf --pid-file=${pidFile}`,
      ])
      expect((await bed.digFromPupil(box, 'adult.test', box.lanGateway)).answers).toEqual(['192.0.2.67'])

      const v = await verifyFromPupil()
      expect(v.code, v.stderr).toBe(4)
      expect(checksOf(v)).toMatchObject({
        'blocked: category adult': false,
        'blocked: category gambling': true,
        'blocked: category malware': true,
      })
      const human = await verifyFromPupil(false)
      expect(human.code).toBe(4)
      expect(human.stdout).toMatch(
        /FAIL blocked: category adult: \d of \d names not blocked: .*adult\.test → NOERROR 192\.0\.2\.67 \(resolves\)/,
      )
      expect(await complianceOf()).toMatchObject({status: 'failing', lastVerificationPassed: false})
      const m = await alpi(['firewalls', 'verify', '--school', uai, '--identity', box.sshd.clientKeyPath, '--json'])
      expect(m.code).toBe(4)
      expect(checksOf(m)).toMatchObject({config: false})
    },
    LONG,
  )

  it(
    'the register no longer lists gambling: deploy refuses until --allow-drop gambling; then verify tests what the policy requires',
    async () => {
      await importRegister(['adult', 'malware'])
      const refused = await deploy()
      expect(refused.code).toBe(4)
      const err = refused.json().data.results[0].error
      expect(err).toMatchObject({code: 'FILTER_CATEGORY_DROPPED', message: expect.stringContaining('no longer lists gambling')})
      const human = await alpi([
        'firewalls',
        'deploy',
        '--school',
        uai,
        '--yes',
        '--retries',
        '0',
        '--identity',
        box.sshd.clientKeyPath,
        '--lang',
        'fr',
      ])
      expect(human.code).toBe(4)
      expect(human.stdout).toContain('ne mentionne plus gambling')

      const ok = await deploy(['--allow-drop', 'gambling'])
      expect(ok.code, ok.stderr).toBe(0)
      expect(await bed.digFromPupil(box, 'adult.test', box.lanGateway)).toEqual(BOX_OK)
      expect((await bed.digFromPupil(box, 'casino.test', box.lanGateway)).answers).toEqual(['192.0.2.66'])
      const v = await verifyFromPupil()
      expect(v.code, v.stdout).toBe(0)
      expect(Object.keys(checksOf(v)).filter((n) => n.startsWith('blocked: category'))).toEqual([
        'blocked: category adult',
        'blocked: category malware',
      ])
      expect(await complianceOf()).toMatchObject({status: 'ok'})
    },
    LONG,
  )
})
