import {describe, expect, it} from 'vitest'
import {overridesSchema, schoolSchema} from '../../../src/firewalls/model.js'
import {cidrsOverlap, normaliseDomain, parseCidr} from '../../../src/firewalls/net.js'
import {validUai} from '../../fixtures/firewalls/schools.js'

const base = {
  uai: validUai(1),
  name: 'École des Pins',
  communeInsee: '40192',
  authorityKind: 'Commune',
  authorityName: 'Commune de Test',
  wanMode: 'DHCP',
  lanCidr: '10.40.1.0/24',
  lanGateway: '10.40.1.1',
  dhcpStart: '10.40.1.100',
  dhcpEnd: '10.40.1.199',
}

describe('schoolSchema()', () => {
  it('accepts a minimal school and fills defaults', () => {
    const s = schoolSchema().parse(base)
    expect(s).toMatchObject({authorityKind: 'commune', wanMode: 'dhcp', mgmtPort: 22, profile: 'debian-dnsmasq', overrides: {}})
  })
  it('refuses a gateway or DHCP range outside the LAN, and a gateway inside the range', () => {
    const r = schoolSchema().safeParse({...base, lanGateway: '10.40.2.1', dhcpEnd: '10.40.1.255'})
    expect(r.success).toBe(false)
    const paths = r.error!.issues.map((i) => i.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['lanGateway', 'dhcpEnd']))
    const r2 = schoolSchema().safeParse({...base, lanGateway: '10.40.1.150'})
    expect(r2.error!.issues[0]!.message).toContain('inside the DHCP range')
  })
  it('needs address and gateway for a static WAN', () => {
    const r = schoolSchema().safeParse({...base, wanMode: 'static'})
    expect(r.error!.issues.map((i) => i.path.join('.'))).toEqual(['wanAddress', 'wanGateway'])
    expect(schoolSchema().safeParse({...base, wanMode: 'static', wanAddress: '192.0.2.10/29', wanGateway: '192.0.2.9'}).success).toBe(true)
  })
  it('parses the overrides JSON and refuses values that could inject config lines', () => {
    const ok = schoolSchema().parse({...base, overrides: '{"blockDomains":["Casino.Example"],"whitelist":true}'})
    expect(ok.overrides).toEqual({blockDomains: ['casino.example'], whitelist: true})
    for (const evil of [
      '{"blockDomains":["a.test\\naddress=/#/1.2.3.4"]}',
      '{"blockDomains":["$(reboot).test"]}',
      '{"unknownKey":1}',
      '{"upstreamDns":["1.1.1.1; rm -rf /"]}',
      'not json',
    ]) {
      expect(schoolSchema().safeParse({...base, overrides: evil}).success, evil).toBe(false)
    }
  })
  it('refuses control characters in names', () => {
    expect(schoolSchema().safeParse({...base, name: 'École\nserver=1.2.3.4'}).success).toBe(false)
    // quotes and shell metacharacters are allowed in a name: they are data, never shell
    expect(schoolSchema().safeParse({...base, name: `L'école "du $(bourg)"; rm -rf /`}).success).toBe(true)
  })
  it('refuses a bad UAI with the reason', () => {
    const r = schoolSchema().safeParse({...base, uai: '0740003A'})
    expect(r.error!.issues[0]!.message).toContain('needs B')
  })
})

describe('net helpers', () => {
  it('detects overlapping networks', () => {
    expect(cidrsOverlap(parseCidr('10.0.0.0/16')!, parseCidr('10.0.5.0/24')!)).toBe(true)
    expect(cidrsOverlap(parseCidr('10.0.0.0/24')!, parseCidr('10.0.1.0/24')!)).toBe(false)
  })
  it('normalises domains and refuses everything else', () => {
    expect(normaliseDomain('WWW.Example.FR.')).toBe('www.example.fr')
    for (const bad of ['a b.fr', '1.2.3.4', 'x/y.fr', '', '-a.fr', 'a..fr', "a'.fr"]) expect(normaliseDomain(bad), bad).toBeUndefined()
  })
  it('rejects unknown override keys', () => {
    expect(overridesSchema().safeParse({vars: {root: '/srv/box1'}}).success).toBe(true)
    expect(overridesSchema().safeParse({vars: {'Bad-Name': 'x'}}).success).toBe(false)
  })
})
