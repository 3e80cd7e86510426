import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {recordDeployment} from '../../../src/firewalls/deployed.js'
import {schoolSchema} from '../../../src/firewalls/model.js'
import {planCommand, planSchools} from '../../../src/firewalls/plan.js'
import {upsertSchools} from '../../../src/firewalls/schools.js'
import type {Store} from '../../../src/store/db.js'
import {schoolInput, validUai} from '../../fixtures/firewalls/schools.js'
import {DIALECTS, storeFor, testContext} from '../../helpers/context.js'

describe.each(DIALECTS)('firewalls plan on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({store, cleanup} = await storeFor(dialect))
    const schools = [
      schoolInput(1, {mgmtHost: '192.0.2.1', vpn: 'landes', overrides: {blockDomains: ['casino.test']}}),
      schoolInput(2, {
        mgmtHost: '192.0.2.2',
        vpn: 'landes',
        lanCidr: '10.40.1.0/23',
        lanGateway: '10.40.1.1',
        dhcpStart: '10.40.0.100',
        dhcpEnd: '10.40.0.199',
      }), // overlaps school 1 on the same VPN
      schoolInput(3, {
        mgmtHost: '192.0.2.3',
        lanCidr: '10.40.1.0/24',
        lanGateway: '10.40.1.1',
        dhcpStart: '10.40.1.100',
        dhcpEnd: '10.40.1.199',
      }), // same LAN as 1 but no shared VPN: fine
      schoolInput(4, {}), // no management address
      schoolInput(5, {mgmtHost: '192.0.2.5', overrides: {vars: {lan_if: 'eth1; reboot'}}}), // bad profile variable
    ].map((s) => schoolSchema().parse(s))
    await store.transaction((trx) => upsertSchools(trx, schools))
  })
  afterAll(async () => cleanup?.())

  it('flags overlapping LANs on a shared VPN, a missing box address and bad variables', async () => {
    const r = await planCommand(testContext(store), {})
    const byUai = Object.fromEntries(r.schools.map((s) => [s.uai, s]))
    expect(byUai[validUai(1)]!.status).toBe('invalid')
    expect(byUai[validUai(1)]!.problems[0]).toContain(`overlaps ${validUai(2)}`)
    expect(byUai[validUai(2)]!.status).toBe('invalid')
    expect(byUai[validUai(3)]!.status).toBe('new')
    // No box address yet is not a problem of the plan (the register starts from lists without boxes); deploy needs one.
    expect(byUai[validUai(4)]!).toMatchObject({status: 'new', problems: [], notes: [expect.stringContaining('no management address')]})
    expect(byUai[validUai(5)]!.problems[0]).toContain('lan_if must be an interface name')
    expect(r.counts).toEqual({total: 5, changed: 2, unchanged: 0, invalid: 3})
  })

  it('diffs against the last confirmed deploy, unchanged after confirming the same config', async () => {
    const ctx = testContext(store)
    const [p3] = await planSchools(ctx, {uais: [validUai(3)]})
    await recordDeployment(ctx, {config: p3!.config!, job: 'test', outcome: 'confirmed'})
    let r = await planCommand(ctx, {uais: [validUai(3)], withDiff: true})
    expect(r.schools[0]).toMatchObject({status: 'unchanged', deployedHash: p3!.config!.hash})
    expect(r.schools[0]!.files.every((f) => f.change === 'same')).toBe(true)

    await store.db
      .updateTable('fw_schools')
      .set({overrides: JSON.stringify({blockDomains: ['newly-blocked.test']})})
      .where('uai', '=', validUai(3))
      .execute()
    r = await planCommand(ctx, {uais: [validUai(3)], withDiff: true})
    expect(r.schools[0]!.status).toBe('changed')
    const filter = r.schools[0]!.files.find((f) => f.name === 'alpi-filter.conf')!
    expect(filter.change).toBe('changed')
    expect(filter.diff).toContain('+address=/newly-blocked.test/0.0.0.0')
    expect(r.schools[0]!.files.find((f) => f.name === 'alpi.nft')!.change).toBe('same')
  })
})
