/**
 * Fleet deploy: 20 namespace boxes (sshd + the profile's real dnsmasq/nft on a dummy LAN
 * interface), 2 of them down. 18 succeed, exit 4 (PartialFailure), and a re-run of the same
 * command only touches the 2 that failed (the 18 see no new SSH login).
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {deploySchools} from '../../../src/firewalls/deploy.js'
import {schoolSchema} from '../../../src/firewalls/model.js'
import {upsertSchools} from '../../../src/firewalls/schools.js'
import {trustHostKey} from '../../../src/remote/host-keys.js'
import type {Store} from '../../../src/store/db.js'
import {validUai} from '../../fixtures/firewalls/schools.js'
import {sqliteStore, testContext} from '../../helpers/context.js'
import {createSchoolBed, type SchoolBed} from '../../helpers/schoolbox.js'
import {acceptedLogins} from '../../helpers/sshd.js'

describe('deploy --all to 20 boxes with 2 down', () => {
  let bed: SchoolBed
  let store: Store
  let cleanupStore: () => Promise<void>
  beforeAll(async () => {
    bed = await createSchoolBed({boxes: 20, full: 0, rollbackSeconds: 30})
    ;({store, cleanup: cleanupStore} = await sqliteStore())
    const ctx = testContext(store)
    const schools = bed.boxes.map((box, i) =>
      schoolSchema().parse({
        uai: validUai(100 + i),
        name: `École ${i}`,
        communeInsee: '40192',
        authorityKind: 'epci',
        authorityName: 'Communauté test',
        wanMode: 'dhcp',
        lanCidr: box.lanCidr,
        lanGateway: box.lanGateway,
        dhcpStart: box.dhcpStart,
        dhcpEnd: box.dhcpEnd,
        mgmtHost: box.sshd.ip,
        mgmtUser: 'root',
        overrides: box.overrides({blockDomains: ['casino.test']}),
      }),
    )
    await store.transaction((trx) => upsertSchools(trx, schools))
    for (const box of bed.boxes) await trustHostKey(ctx, {host: box.sshd.ip, port: box.sshd.port, publicKey: box.sshd.hostKeyPub})
  }, 300_000)
  afterAll(async () => {
    await bed?.cleanup()
    await cleanupStore?.()
  })

  it('18 succeed, exit 4; the re-run touches only the 2', async () => {
    const down = [bed.boxes[3]!, bed.boxes[15]!]
    for (const box of down) await box.sshd.stop()
    const ctx = testContext(store)
    const opts = {all: true, concurrency: 10, retries: 0, ssh: {identity: bed.boxes[0]!.sshd.clientKeyPath}}
    const err = await deploySchools(ctx, opts).catch((e) => e)
    expect(err.exitCode).toBe(4)
    expect(err.data).toMatchObject({total: 20, ok: 18, failed: 2, skipped: 0})
    expect(
      err.data.results
        .filter((r: {status: string}) => r.status === 'failed')
        .map((r: {uai: string}) => r.uai)
        .sort(),
    ).toEqual([validUai(103), validUai(115)])
    const loginsBefore = bed.boxes.map((b) => acceptedLogins(b.sshd))

    for (const box of down) await box.sshd.restart()
    const again = await deploySchools(testContext(store), opts)
    expect(again).toMatchObject({total: 20, ok: 2, failed: 0, skipped: 18, job: err.data.job})
    const loginsAfter = bed.boxes.map((b) => acceptedLogins(b.sshd))
    bed.boxes.forEach((b, i) => {
      if (down.includes(b)) expect(loginsAfter[i]!, b.label).toBeGreaterThan(loginsBefore[i]!)
      else expect(loginsAfter[i], b.label).toBe(loginsBefore[i])
    })
    const deployed = await store.db.selectFrom('fw_schools').select('deployed_hash').where('deployed_hash', 'is not', null).execute()
    expect(deployed).toHaveLength(20)
  }, 300_000)
})
