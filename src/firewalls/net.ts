/**
 * IPv4 addressing of a school network plan: parse, CIDR membership, overlap. Everything a
 * profile writes into a box config goes through these checks first, so a value can never
 * carry a newline, a quote or a second directive.
 */
export interface Cidr {
  /** Network address as an unsigned 32-bit number. */
  network: number
  prefix: number
  /** The address as written (may be a host address inside the network, e.g. 10.1.2.1/24). */
  address: number
  text: string
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

export function parseIpv4(text: string): number | undefined {
  if (!IPV4.test(text)) return undefined
  return text.split('.').reduce((acc, part) => acc * 256 + Number(part), 0)
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0
}

export function parseCidr(text: string): Cidr | undefined {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(text)
  if (!m) return undefined
  const address = parseIpv4(m[1]!)
  const prefix = Number(m[2])
  if (address === undefined || prefix > 32) return undefined
  return {network: (address & maskOf(prefix)) >>> 0, prefix, address, text}
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return (ip & maskOf(c.prefix)) >>> 0 === c.network
}

/** Usable host inside the network (not the network or broadcast address for prefixes < 31). */
export function isHostOf(c: Cidr, ip: number): boolean {
  if (!cidrContains(c, ip)) return false
  if (c.prefix >= 31) return true
  const broadcast = (c.network | (~maskOf(c.prefix) >>> 0)) >>> 0
  return ip !== c.network && ip !== broadcast
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix)
  return (a.network & maskOf(p)) >>> 0 === (b.network & maskOf(p)) >>> 0
}

/** A DNS name (lower case, LDH labels, underscores tolerated as UT1 lists carry them). */
const DOMAIN = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

export function normaliseDomain(raw: string): string | undefined {
  const v = raw.trim().toLowerCase().replace(/\.$/, '')
  if (!DOMAIN.test(v)) return undefined
  // An address is not a domain (dnsmasq would take it as one and block nothing useful).
  if (parseIpv4(v) !== undefined) return undefined
  return v
}
