import ipaddr from 'ipaddr.js'
import {describe, expect, it} from 'vitest'
import {cidrContains, cidrsOverlap, formatIpv4, isHostOf, parseCidr, parseIpv4} from '../../../src/firewalls/net.js'

// The school networks' CIDR maths is hand-written (uint32 arithmetic: the addressing plan adds to
// addresses, which ipaddr.js does not do). docs/decisions.md keeps it only if it is as correct as
// the library: these tests hold it against ipaddr.js on the same inputs.

/** A small deterministic generator: the same inputs on every run, so a failure can be replayed. */
function generator(seed: number) {
  let s = seed >>> 0
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s % n
  }
}

const {IPv4} = ipaddr
const lib = (text: string) =>
  IPv4.parse(text)
    .toByteArray()
    .reduce((acc, o) => acc * 256 + o, 0)

describe('IPv4 parsing against ipaddr.js', () => {
  it('Given dotted quads and near misses, When parsed, Then alpi accepts exactly the four-part decimals ipaddr.js accepts', () => {
    const texts = [
      '0.0.0.0',
      '255.255.255.255',
      '10.40.1.1',
      '192.168.0.254',
      '256.1.1.1',
      '1.2.3',
      '1.2.3.4.5',
      '01.2.3.4',
      '1.2.3.04',
      '0x0a.1.2.3',
      '10.1',
      '-1.2.3.4',
      ' 1.2.3.4',
      '1.2.3.4 ',
      '1..3.4',
      '',
      '1.2.3.4\n',
      '١.٢.٣.٤',
    ]
    for (const text of texts) {
      const valid = IPv4.isValidFourPartDecimal(text)
      expect(parseIpv4(text) !== undefined, text).toBe(valid)
      if (valid) expect(parseIpv4(text), text).toBe(lib(text))
    }
  })

  it('Given random addresses, When formatted and parsed back, Then both agree with ipaddr.js', () => {
    const next = generator(11)
    for (let i = 0; i < 2000; i++) {
      const octets = [next(256), next(256), next(256), next(256)]
      const text = octets.join('.')
      expect(formatIpv4(parseIpv4(text)!)).toBe(new IPv4(octets).toString())
    }
  })
})

describe('CIDR maths against ipaddr.js', () => {
  const next = generator(7)
  const randomCidr = () => `${[next(256), next(256), next(256), next(256)].join('.')}/${next(33)}`
  // Networks close to each other (10.0.0.0/14), so that about half of the pairs overlap.
  const nearbyCidr = () => `10.${next(4)}.${next(256)}.${next(256)}/${14 + next(19)}`

  it('Given random networks and addresses, When membership, host-ness and the network address are computed, Then they match the library', () => {
    for (let i = 0; i < 3000; i++) {
      const text = randomCidr()
      const c = parseCidr(text)!
      const [, prefix] = IPv4.parseCIDR(text)
      expect(formatIpv4(c.network), text).toBe(IPv4.networkAddressFromCIDR(text).toString())
      // An address inside the network half of the time, anywhere otherwise.
      const inside = next(2) === 0
      const ipNumber = inside ? (c.network + next(2 ** (32 - prefix))) >>> 0 : (next(65536) * 65536 + next(65536)) >>> 0
      const ip = formatIpv4(ipNumber)
      const contained = IPv4.parse(ip).match(IPv4.parseCIDR(text))
      expect(cidrContains(c, ipNumber), `${ip} in ${text}`).toBe(contained)
      const special = ip === IPv4.networkAddressFromCIDR(text).toString() || ip === IPv4.broadcastAddressFromCIDR(text).toString()
      expect(isHostOf(c, ipNumber), `${ip} host of ${text}`).toBe(contained && (prefix >= 31 || !special))
    }
  })

  it('Given random pairs of networks, When overlap is computed, Then it matches "one contains the other\'s network address"', () => {
    let overlaps = 0
    for (let i = 0; i < 3000; i++) {
      const [a, b] = [nearbyCidr(), nearbyCidr()]
      const [na, pa] = IPv4.parseCIDR(a)
      const [nb, pb] = IPv4.parseCIDR(b)
      const overlap = IPv4.networkAddressFromCIDR(a).match(nb, pb) || IPv4.networkAddressFromCIDR(b).match(na, pa)
      expect(cidrsOverlap(parseCidr(a)!, parseCidr(b)!), `${a} / ${b}`).toBe(overlap)
      if (overlap) overlaps++
    }
    expect(overlaps).toBeGreaterThan(300)
    expect(overlaps).toBeLessThan(2700)
  })

  it('Given malformed networks, When parsed, Then alpi refuses what ipaddr.js refuses as a four-part CIDR', () => {
    for (const text of ['10.0.0.0/33', '10.0.0.0', '10.0.0/8', '10.0.0.0/-1', '10.0.0.0/ 8', '10.0.0.0/8/8', '010.0.0.0/8', '10.0.0.0/']) {
      expect(IPv4.isValidCIDRFourPartDecimal(text), text).toBe(false)
      expect(parseCidr(text), text).toBeUndefined()
    }
  })
})
