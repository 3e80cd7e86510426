/**
 * deploySchool over real SSH (OpenSSH sshd in the box namespace, pinned host key) to a box
 * running the debian-dnsmasq profile's real dnsmasq and nftables. Checks from the pupil's seat.
 */
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {deploySchool} from '../../../src/firewalls/deploy.js'
import {schoolSchema} from '../../../src/firewalls/model.js'
import {planSchools} from '../../../src/firewalls/plan.js'
import {upsertSchools} from '../../../src/firewalls/schools.js'
import {trustHostKey} from '../../../src/remote/host-keys.js'
import type {Store} from '../../../src/store/db.js'
import {validUai} from '../../fixtures/firewalls/schools.js'
import {sqliteStore, testContext} from '../../helpers/context.js'
import {createSchoolBed, type SchoolBed, type SchoolBox} from '../../helpers/schoolbox.js'

describe('deploy one school box over SSH', () => {
  let bed: SchoolBed
  let box: SchoolBox
  let store: Store
  let cleanupStore: () => Promise<void>
  const uai = validUai(11)
  const marker = `/tmp/alpi-fw-pwned-${process.pid}`

  const setSchool = async (name: string, overrides: Record<string, unknown>) => {
    const s = schoolSchema().parse({
      uai,
      name,
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
      overrides: box.overrides(overrides),
    })
    await store.transaction((trx) => upsertSchools(trx, [s]))
  }
  const deploy = async () => {
    const ctx = testContext(store)
    const [planned] = await planSchools(ctx, {uais: [uai]})
    return deploySchool(ctx, planned!, {identity: box.sshd.clientKeyPath}, 'test-job')
  }

  beforeAll(async () => {
    bed = await createSchoolBed({boxes: 1, rollbackSeconds: 15})
    box = bed.boxes[0]!
    ;({store, cleanup: cleanupStore} = await sqliteStore())
    await trustHostKey(testContext(store), {host: box.sshd.ip, port: box.sshd.port, publicKey: box.sshd.hostKeyPub})
  })
  afterAll(async () => {
    await bed?.cleanup()
    await cleanupStore?.()
  })

  it('deploys, confirms from a fresh connection, and filtering works from the pupil seat', async () => {
    // Shell metacharacters and quotes in the name: data only, never reaches a shell or a box file.
    await setSchool(`École "$(touch ${marker})"; touch ${marker}; \`touch ${marker}\` l'Île`, {
      blockDomains: ['casino.test', 'adult.test'],
      allowDomains: ['allowed.test'],
    })
    const r = await deploy()
    expect(r).toMatchObject({uai, outcome: 'confirmed'})
    expect(existsSync(marker)).toBe(false)
    expect(await bed.digFromPupil(box, 'casino.test', box.lanGateway)).toEqual({status: 'NOERROR', answers: ['0.0.0.0']})
    expect((await bed.digFromPupil(box, 'allowed.test', box.lanGateway)).answers).toEqual(['192.0.2.10'])
    expect((await bed.digFromPupil(box, 'adult.test', box.internetDns!)).answers).toEqual(['0.0.0.0'])
    const row = await store.db.selectFrom('fw_schools').selectAll().where('uai', '=', uai).executeTakeFirstOrThrow()
    expect(row.deployed_hash).toBe(r.hash)
    const files = await store.db.selectFrom('fw_deployed_files').select('path').where('uai', '=', uai).execute()
    expect(files).toHaveLength(5)
  })

  it('a config that cuts the management link is rolled back by the box itself, school reported failed', async () => {
    const before = (await store.db.selectFrom('fw_schools').select('deployed_hash').where('uai', '=', uai).executeTakeFirstOrThrow())
      .deployed_hash
    await setSchool('École test', {blockDomains: ['casino.test', 'allowed.test'], managementCidr: '192.0.2.0/24'})
    const err = await deploy().catch((e) => e)
    expect(err.code).toBe('BOX_ROLLED_BACK')
    expect(err.message).toContain('cut the management link')
    // What was rolled back (the new config, its files) and to what, and why; the action points at the override.
    expect(err.message).toMatch(
      new RegExp(`the new config [0-9a-f]{12} \\(.*alpi-filter\\.conf.*\\) was rolled back to the previous one ${before!.slice(0, 12)}`),
    )
    expect(err.data).toMatchObject({rolledBack: expect.any(String), restored: before})
    expect(err.actions[0]).toContain('managementCidr')
    // The box is reachable again with the previous config (allowed.test resolves again).
    expect((await bed.digFromPupil(box, 'allowed.test', box.lanGateway)).answers).toEqual(['192.0.2.10'])
    const row = await store.db.selectFrom('fw_schools').selectAll().where('uai', '=', uai).executeTakeFirstOrThrow()
    expect(row.deployed_hash).toBe(before)
    const last = await store.db
      .selectFrom('fw_deployments')
      .selectAll()
      .where('uai', '=', uai)
      .orderBy('at', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    expect(last).toMatchObject({outcome: 'rolled_back', error_code: 'BOX_ROLLED_BACK'})
  })

  it('an apply still pending on the box (an earlier run) is reported, not overridden', async () => {
    const pending = join(box.root, 'var/lib/alpi/pending')
    writeFileSync(pending, 'earlier-run\n')
    await setSchool('École test', {blockDomains: ['pending.test']})
    const err = await deploy().catch((e) => e)
    expect(err.code).toBe('BOX_APPLY_PENDING')
    expect(readFileSync(pending, 'utf8')).toBe('earlier-run\n')
    rmSync(pending)
  })

  it('a changed host key is refused before anything is sent', async () => {
    await box.sshd.restart({newHostKey: true})
    await setSchool('École test', {blockDomains: ['casino.test']})
    const err = await deploy().catch((e) => e)
    expect(err.code).toBe('HOST_KEY_CHANGED')
  })
})
