/**
 * The debian-dnsmasq profile on a real box namespace (dnsmasq + nftables), driven directly
 * with `ip netns exec` (no SSH here: the deploy tests cover the SSH path). Given a school
 * rendered for the bed, when the box script validates, applies and is confirmed, then from
 * the pupil's seat blocked names get 0.0.0.0, allowed ones resolve and a direct question to
 * the internet's resolver is answered by the box (redirect).
 */
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {schoolSchema} from '../../../src/firewalls/model.js'
import {renderSchoolConfig, type RenderedConfig} from '../../../src/firewalls/profile.js'
import type {SchoolRecord} from '../../../src/firewalls/schools.js'
import {TEMPLATES_DIR} from '../../helpers/context.js'
import {createSchoolBed, type SchoolBed, type SchoolBox} from '../../helpers/schoolbox.js'
import {validUai} from '../../fixtures/firewalls/schools.js'

function schoolFor(box: SchoolBox, n: number, overrides: Record<string, unknown>): SchoolRecord {
  const s = schoolSchema().parse({
    uai: validUai(n),
    name: `École ${n}`,
    communeInsee: '40192',
    authorityKind: 'commune',
    authorityName: 'Commune test',
    wanMode: 'dhcp',
    lanCidr: box.lanCidr,
    lanGateway: box.lanGateway,
    dhcpStart: box.dhcpStart,
    dhcpEnd: box.dhcpEnd,
    mgmtHost: box.sshd.ip,
    overrides: box.overrides(overrides),
  })
  return {
    ...s,
    communeInsee: s.communeInsee ?? '',
    provenance: {},
    deployedHash: null,
    deployedAt: null,
    deployedListVersion: null,
    updatedAt: '',
  }
}

function stage(cfg: RenderedConfig) {
  mkdirSync(cfg.staging, {recursive: true})
  for (const f of cfg.files) writeFileSync(join(cfg.staging, f.name), f.content, {mode: Number.parseInt(f.mode, 8)})
  writeFileSync(join(cfg.staging, 'config.sha256'), cfg.hash + '\n')
}

describe('debian-dnsmasq profile in a box namespace', () => {
  let bed: SchoolBed
  let box: SchoolBox
  beforeAll(async () => {
    bed = await createSchoolBed({boxes: 1, rollbackSeconds: 5})
    box = bed.boxes[0]!
  })
  afterAll(async () => bed?.cleanup())

  const run = (argv: string[]) => bed.lab.exec(box.ns, argv, {allowFailure: true})

  it('blocks, allows, redirects after apply + confirm', async () => {
    const cfg = renderSchoolConfig(
      TEMPLATES_DIR,
      schoolFor(box, 1, {blockDomains: ['casino.test', 'adult.test'], allowDomains: ['allowed.test']}),
    )
    stage(cfg)
    const v = await run(cfg.commands.validate)
    expect(v.stderr + v.stdout).toContain('validated')
    const a = await run(cfg.commands.apply)
    expect(a.code, a.stderr).toBe(0)
    const c = await run(cfg.commands.check)
    expect(c.code, c.stdout + c.stderr).toBe(0)
    expect(c.stdout).toContain('dnsmasq=up')
    expect(c.stdout).toContain('log_rotate_days=365')
    for (const f of cfg.files) expect(c.stdout).toContain(`file ${f.name} ${f.sha256}`)
    expect((await run(cfg.commands.confirm)).stdout).toContain(`confirmed ${cfg.hash}`)

    expect(await bed.digFromPupil(box, 'casino.test', box.lanGateway)).toEqual({status: 'NOERROR', answers: ['0.0.0.0']})
    expect(await bed.digFromPupil(box, 'allowed.test', box.lanGateway)).toEqual({status: 'NOERROR', answers: ['192.0.2.10']})
    expect((await bed.digFromPupil(box, 'dns.google', box.lanGateway)).answers).toEqual(['0.0.0.0'])
    // Asking the internet's resolver directly: the box answers instead (blocked name still blocked).
    expect((await bed.digFromPupil(box, 'casino.test', box.internetDns!)).answers).toEqual(['0.0.0.0'])
    expect((await bed.digFromPupil(box, 'allowed.test', box.internetDns!)).answers).toEqual(['192.0.2.10'])
  })

  it('whitelist mode: only allowed names resolve', async () => {
    const cfg = renderSchoolConfig(TEMPLATES_DIR, schoolFor(box, 1, {whitelist: true, allowDomains: ['allowed.test']}))
    stage(cfg)
    expect((await run(cfg.commands.validate)).code).toBe(0)
    expect((await run(cfg.commands.apply)).code).toBe(0)
    expect((await run(cfg.commands.confirm)).code).toBe(0)
    expect((await bed.digFromPupil(box, 'allowed.test', box.lanGateway)).answers).toEqual(['192.0.2.10'])
    expect((await bed.digFromPupil(box, 'school-site.test', box.lanGateway)).answers).toEqual(['0.0.0.0'])
  })

  it('without confirm, the box restores the previous config by itself', async () => {
    const before = renderSchoolConfig(TEMPLATES_DIR, schoolFor(box, 1, {whitelist: true, allowDomains: ['allowed.test']}))
    const cfg = renderSchoolConfig(TEMPLATES_DIR, schoolFor(box, 1, {blockDomains: ['allowed.test']}))
    stage(cfg)
    expect((await run(cfg.commands.apply)).code).toBe(0)
    expect((await bed.digFromPupil(box, 'allowed.test', box.lanGateway)).answers).toEqual(['0.0.0.0'])
    // rollback_seconds = 5: wait for the box's own timer
    let state = ''
    for (let i = 0; i < 40 && !/rolled_back/.test(state); i++) {
      await new Promise((r) => setTimeout(r, 500))
      state = (await run(cfg.commands.state)).stdout
    }
    expect(state).toContain(`rolled_back ${cfg.hash} timer`)
    const c = await run(cfg.commands.check)
    for (const f of before.files) expect(c.stdout).toContain(`file ${f.name} ${f.sha256}`)
    expect((await bed.digFromPupil(box, 'allowed.test', box.lanGateway)).answers).toEqual(['192.0.2.10'])
    // confirming too late is refused
    expect((await run(cfg.commands.confirm)).code).toBe(5)
  })

  it('refuses a staged config that does not validate', async () => {
    const cfg = renderSchoolConfig(TEMPLATES_DIR, schoolFor(box, 1, {}))
    stage(cfg)
    writeFileSync(join(cfg.staging, 'alpi.nft'), 'table inet alpi_filter { chain x { bogus } }\n')
    expect((await run(cfg.commands.validate)).code).toBe(2)
  })
})
