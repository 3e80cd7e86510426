/**
 * Lists, deploy and verification end to end on a namespace box: UT1 lists loaded, deployed
 * with the safe apply, verified from the management side (SSH) and from the pupil's seat
 * (the alpi binary run inside the pupil namespace, as a laptop plugged into the school LAN).
 */
import {spawnSync} from 'node:child_process'
import {appendFileSync, rmSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {deploySchools} from '../../../src/firewalls/deploy.js'
import {updateLists} from '../../../src/firewalls/lists.js'
import {schoolSchema} from '../../../src/firewalls/model.js'
import {upsertSchools} from '../../../src/firewalls/schools.js'
import {verifySchools} from '../../../src/firewalls/verify.js'
import {trustHostKey} from '../../../src/remote/host-keys.js'
import type {Store} from '../../../src/store/db.js'
import {validUai} from '../../fixtures/firewalls/schools.js'
import {writeUt1} from '../../fixtures/firewalls/ut1.js'
import {REPO_ROOT, sqliteStore, tempDir, testContext} from '../../helpers/context.js'
import {createSchoolBed, type SchoolBed, type SchoolBox} from '../../helpers/schoolbox.js'

describe('lists update, deploy, verify on a namespace box', () => {
  let bed: SchoolBed
  let box: SchoolBox
  let store: Store
  let dbDir: string
  let cleanupStore: () => Promise<void>
  const lists = tempDir('alpi-ut1-')
  const uai = validUai(21)

  beforeAll(async () => {
    bed = await createSchoolBed({boxes: 1, rollbackSeconds: 20})
    box = bed.boxes[0]!
    ;({store, dir: dbDir, cleanup: cleanupStore} = await sqliteStore())
    const ctx = testContext(store)
    await trustHostKey(ctx, {host: box.sshd.ip, port: box.sshd.port, publicKey: box.sshd.hostKeyPub})
    const s = schoolSchema().parse({
      uai,
      name: 'École verify',
      communeInsee: '40192',
      authorityKind: 'commune',
      authorityName: 'Commune test',
      wanMode: 'dhcp',
      lanCidr: box.lanCidr,
      lanGateway: box.lanGateway,
      dhcpStart: box.dhcpStart,
      dhcpEnd: box.dhcpEnd,
      mgmtHost: box.sshd.ip,
      mgmtUser: 'root',
      overrides: box.overrides({categories: ['adult', 'gambling'], allowDomains: ['allowed.test']}),
    })
    await store.transaction((trx) => upsertSchools(trx, [s]))
    writeUt1(lists.path)
  })
  afterAll(async () => {
    await bed?.cleanup()
    await cleanupStore?.()
    lists.cleanup()
  })

  it('loads the categories the register uses, skipping junk lines; a second load is unchanged', async () => {
    const r = await updateLists(testContext(store), {from: lists.path})
    expect(r).toMatchObject({status: 'new', categories: {adult: 3, gambling: 2}, skipped: {adult: 2, gambling: 1}, missing: []})
    expect((await updateLists(testContext(store), {from: lists.path})).status).toBe('unchanged')
  })

  it('deploys the list; management verify passes, then catches a file changed on the box', async () => {
    const d = await deploySchools(testContext(store), {uais: [uai], ssh: {identity: box.sshd.clientKeyPath}})
    expect(d.ok).toBe(1)
    expect((await bed.digFromPupil(box, 'poker.test', box.lanGateway)).answers).toEqual(['0.0.0.0'])
    const v = await verifySchools(testContext(store), {uais: [uai], ssh: {identity: box.sshd.clientKeyPath}})
    expect(v.verifications[0]!.checks.map((c) => [c.name, c.passed])).toEqual([
      ['services', true],
      ['config', true],
      ['log-retention', true],
      ['list-categories', true],
      ['list-age', true],
    ])

    appendFileSync(join(box.root, 'etc/dnsmasq.d/alpi.conf'), 'server=/evil.test/192.0.2.1\n')
    const err = await verifySchools(testContext(store), {uais: [uai], ssh: {identity: box.sshd.clientKeyPath}}).catch((e) => e)
    expect(err.exitCode).toBe(4)
    expect(err.data.verifications[0].checks.find((c: {name: string}) => c.name === 'config')).toMatchObject({
      passed: false,
      detail: expect.stringContaining('alpi.conf'),
    })
    const stored = await store.db.selectFrom('fw_verifications').selectAll().where('uai', '=', uai).orderBy('at').execute()
    expect(stored.map((s) => [s.side, s.passed])).toEqual([
      ['management', 1],
      ['management', 0],
    ])

    // A year of log rotation proves nothing when no query log is written.
    rmSync(join(box.root, 'var/log/alpi/dnsmasq-queries.log'))
    const noLog = await verifySchools(testContext(store), {uais: [uai], ssh: {identity: box.sshd.clientKeyPath}}).catch((e) => e)
    expect(noLog.data.verifications[0].checks.find((c: {name: string}) => c.name === 'log-retention')).toMatchObject({
      passed: false,
      detail: expect.stringContaining('no query log on the box'),
    })
  })

  it('from the pupil seat (the binary in the pupil namespace): categories blocked, allowed resolves, bypass redirected, DoH blocked', async () => {
    // Put the box back as deployed (force re-push).
    await deploySchools(testContext(store), {uais: [uai], force: true, ssh: {identity: box.sshd.clientKeyPath}})
    const run = spawnSync(
      'ip',
      [
        'netns',
        'exec',
        box.pupil!,
        process.execPath,
        join(REPO_ROOT, 'bin', 'run.js'),
        'firewalls',
        'verify',
        '--from-lan',
        '--school',
        uai,
        '--outside-dns',
        box.internetDns!,
        '--db',
        join(dbDir, 'alpi.sqlite'),
        '--json',
      ],
      {encoding: 'utf8', env: {...process.env, NO_COLOR: '1', ALPI_CONFIG: join(dbDir, 'none.json')}, timeout: 120_000},
    )
    expect(run.status, run.stderr + run.stdout).toBe(0)
    const j = JSON.parse(run.stdout)
    const checks = Object.fromEntries(j.result.verifications[0].checks.map((c: {name: string; passed: boolean}) => [c.name, c.passed]))
    expect(checks).toEqual({
      'blocked: category adult': true,
      'blocked: category gambling': true,
      'allowed resolves': true,
      'outside resolver refused or redirected': true,
      'DoH blocked: dns.google': true,
      'DoH blocked: dns.google.com': true,
      'DoH blocked: cloudflare-dns.com': true,
    })
    const last = await store.db
      .selectFrom('fw_verifications')
      .selectAll()
      .where('uai', '=', uai)
      .where('side', '=', 'lan')
      .executeTakeFirstOrThrow()
    expect(last.passed).toBe(1)
  })
})
