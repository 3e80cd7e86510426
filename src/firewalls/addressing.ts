import {z} from 'zod'
import {t} from './messages/index.js'
import {cidrsOverlap, formatIpv4, parseCidr, type Cidr} from './net.js'

/**
 * ALPI's addressing plan: the network facts a school list does not give are derived by one
 * documented rule (config `firewalls.addressing`), never demanded.
 *
 * - LAN: given by the list, else allocated once from the pool: the first free block of
 *   `lanPrefix` bits in the pool's order, new schools taken in UAI order, skipping every LAN
 *   of the register (given or allocated). Once allocated it is stored and kept: a re-import,
 *   another school's arrival or a change of the pool never moves it.
 * - Box LAN address: host number `gatewayHost` of the LAN (.1 of a /24 by default).
 * - DHCP range: hosts `dhcpFirst`..`dhcpLast` of the LAN (.100-.199 of a /24); a LAN too
 *   small for them gets the upper half of its hosts (the box address stays below).
 * - WAN mode: the profile's default (`defaults.wanMode` in profile.json, dhcp when absent).
 */
const cidrText = z
  .string()
  .trim()
  .refine((v) => parseCidr(v) !== undefined, {error: () => t('notCidr')})

export const AddressingConfigSchema = z
  .object({
    /** Where LANs are allocated: one network or a list, in order. */
    pool: z
      .union([cidrText, z.array(cidrText).min(1)])
      .default('10.40.0.0/15')
      .transform((v) => (Array.isArray(v) ? v : [v])),
    /** Size of an allocated LAN. */
    lanPrefix: z.coerce.number().int().min(16).max(29).default(24),
    gatewayHost: z.coerce.number().int().min(1).default(1),
    dhcpFirst: z.coerce.number().int().min(1).default(100),
    dhcpLast: z.coerce.number().int().min(1).default(199),
  })
  .refine((a) => a.dhcpFirst <= a.dhcpLast, {error: () => t('dhcpFirstAfterLast'), path: ['dhcpFirst']})
export type AddressingConfig = z.output<typeof AddressingConfigSchema>

export interface LanPlan {
  lanGateway: string
  dhcpStart: string
  dhcpEnd: string
}

function hostCount(lan: Cidr): number {
  return lan.prefix >= 31 ? 2 ** (32 - lan.prefix) : 2 ** (32 - lan.prefix) - 2
}

/** The box address and DHCP range of a LAN by the rule (undefined for a LAN too small: /30 and smaller have no room for both). */
export function deriveFromLan(lanText: string, rule: AddressingConfig): LanPlan | undefined {
  const lan = parseCidr(lanText)
  if (!lan || lan.prefix > 29) return undefined
  const hosts = hostCount(lan)
  const host = (n: number) => formatIpv4((lan.network + n) >>> 0)
  const gateway = rule.gatewayHost <= hosts ? rule.gatewayHost : 1
  if (rule.dhcpLast <= hosts && (gateway < rule.dhcpFirst || gateway > rule.dhcpLast)) {
    return {lanGateway: host(gateway), dhcpStart: host(rule.dhcpFirst), dhcpEnd: host(rule.dhcpLast)}
  }
  // Too small for the configured range: the upper half of the hosts, the box address below it.
  const first = Math.floor(hosts / 2) + 1
  return {lanGateway: host(gateway < first ? gateway : 1), dhcpStart: host(first), dhcpEnd: host(hosts)}
}

export class PoolExhausted extends Error {
  constructor(
    readonly needed: number,
    readonly pool: string[],
    readonly prefix: number,
  ) {
    super(`the addressing pool ${pool.join(', ')} has no free /${prefix} left for ${needed} school(s)`)
  }
}

/**
 * Allocate one LAN per UAI (in UAI order) from the pool, avoiding `taken` (every LAN of the
 * register and of the import). Deterministic: the same register and file give the same plan.
 */
export function allocateLans(uais: string[], taken: string[], rule: AddressingConfig): Map<string, string> {
  const used = taken.map((t) => parseCidr(t)).filter((c): c is Cidr => c !== undefined)
  const out = new Map<string, string>()
  const todo = [...new Set(uais)].sort()
  let i = 0
  for (const poolText of rule.pool) {
    const pool = parseCidr(poolText)!
    if (pool.prefix > rule.lanPrefix) continue
    const size = 2 ** (32 - rule.lanPrefix)
    const blocks = 2 ** (rule.lanPrefix - pool.prefix)
    for (let b = 0; b < blocks && i < todo.length; b++) {
      const network = (pool.network + b * size) >>> 0
      const candidate: Cidr = {network, prefix: rule.lanPrefix, address: network, text: `${formatIpv4(network)}/${rule.lanPrefix}`}
      if (used.some((u) => cidrsOverlap(u, candidate))) continue
      used.push(candidate)
      out.set(todo[i++]!, candidate.text)
    }
  }
  if (i < todo.length) throw new PoolExhausted(todo.length - i, rule.pool, rule.lanPrefix)
  return out
}

export type AuthorityKind = 'commune' | 'epci'

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’']/g, "'")
    .replace(/\s+/g, ' ')
    .trim()

const COMMUNE = /^(commune|ville|mairie)( de| d'| du| des|\b)/
const EPCI = [
  /^communaute (de communes|d'agglomeration|urbaine)\b/,
  /^(cc|ca|cu|cda)\b[ .]/,
  /^(metropole|agglomeration)\b/,
  /\bagglomeration$/,
  /^(syndicat intercommunal|sivu|sivom|sivos|sirp)\b/,
]

/** The authority kind from its name when the name says it unambiguously ("Commune de ...", "CC ..."), else undefined. */
export function authorityKindFromName(name: string): AuthorityKind | undefined {
  const n = fold(name)
  const commune = COMMUNE.test(n)
  const epci = EPCI.some((r) => r.test(n))
  if (commune === epci) return undefined
  return commune ? 'commune' : 'epci'
}

/** The authority of a public primary school when a list names none: its commune. */
export function communeAuthority(communeName: string): string {
  const n = communeName.trim()
  return /^[aeiouyéèêàâîôû]/i.test(n) ? `Commune d'${n}` : `Commune de ${n}`
}
