import {z} from 'zod'
import {rawText, text} from '../csv/fields.js'
import {checkUai} from './uai.js'
import {cidrContains, isHostOf, normaliseDomain, parseCidr, parseIpv4} from './net.js'

/**
 * The school register's models. The same schemas validate a CSV row, the overrides JSON
 * and what the store gives back. Values that end up in box configs are validated here
 * (domains, addresses, CIDRs, names of things), so a rendered file never gets an extra line.
 */
export const uaiField = z.string().transform((v, ctx) => {
  const r = checkUai(v)
  if (!r.ok) {
    ctx.addIssue({code: 'custom', message: r.reason})
    return z.NEVER
  }
  return r.uai
})

export const ipv4Field = z.string().trim().refine((v) => parseIpv4(v) !== undefined, {message: 'not an IPv4 address (a.b.c.d)'})
export const cidrField = z.string().trim().refine((v) => parseCidr(v) !== undefined, {message: 'not an IPv4 network (a.b.c.d/nn)'})
export const domainField = z.string().transform((v, ctx) => {
  const d = normaliseDomain(v)
  if (!d) {
    ctx.addIssue({code: 'custom', message: `not a domain name: ${JSON.stringify(v.slice(0, 80))}`})
    return z.NEVER
  }
  return d
})
/** A UT1 category name (folder name): letters, digits, _ and -. */
export const categoryField = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'not a category name (a-z, 0-9, _ and -)')
/** Profile variables: names are identifiers; values are checked against the profile's declarations. */
export const varsField = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'not a variable name'), rawText({max: 512}))

export const OverridesSchema = z
  .object({
    /** Extra domains blocked at this school (on top of the categories). */
    blockDomains: z.array(domainField).max(10_000).optional(),
    /** Domains always allowed (blacklist mode) or the allowed list (whitelist mode). */
    allowDomains: z.array(domainField).max(10_000).optional(),
    /** UT1 categories blocked here instead of the profile's default ones. */
    categories: z.array(categoryField).max(200).optional(),
    /** Whitelist mode: only allowDomains (and the profile's allowed ones) resolve. */
    whitelist: z.boolean().optional(),
    blockAddress: ipv4Field.optional(),
    upstreamDns: z.array(ipv4Field).min(1).max(4).optional(),
    /** Network allowed to reach the box's management (SSH). */
    managementCidr: cidrField.optional(),
    /** Profile variables (box root prefix, interface names...), see the profile's README. */
    vars: varsField.optional(),
  })
  .strict()
export type Overrides = z.infer<typeof OverridesSchema>

/** The overrides cell: JSON text (CSV) or an object (store, tests); empty = none. */
const overridesInput = z
  .unknown()
  .transform((v, ctx) => {
    if (v === undefined || v === null) return {}
    if (typeof v !== 'string') return v
    if (v.trim() === '') return {}
    try {
      return JSON.parse(v) as unknown
    } catch (error) {
      ctx.addIssue({code: 'custom', message: `overrides are not valid JSON: ${(error as Error).message}`})
      return z.NEVER
    }
  })
  .pipe(OverridesSchema)

export const WAN_MODES = ['dhcp', 'static', 'pppoe'] as const
export const AUTHORITY_KINDS = ['commune', 'epci'] as const

const lowerEnum = <T extends readonly [string, ...string[]]>(values: T) => z.string().trim().toLowerCase().pipe(z.enum(values))

/** One school as the register holds it (canonical field names, also the CSV's). */
export const SchoolSchema = z
  .object({
    uai: uaiField,
    name: text(),
    communeInsee: z.string().trim().toUpperCase().regex(/^(\d{5}|2[AB]\d{3})$/, 'an INSEE commune code has 5 characters (e.g. 40192)'),
    authorityKind: lowerEnum(AUTHORITY_KINDS),
    authorityName: text(),
    wanMode: lowerEnum(WAN_MODES),
    wanAddress: cidrField.optional(),
    wanGateway: ipv4Field.optional(),
    lanCidr: cidrField,
    lanGateway: ipv4Field,
    dhcpStart: ipv4Field,
    dhcpEnd: ipv4Field,
    vpn: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a VPN name is letters, digits, _ . and -').optional(),
    boxSerial: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/, 'a serial is letters, digits and _ . : / -').optional(),
    mgmtHost: z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, 'a management address is a host name or an IPv4 address').optional(),
    mgmtPort: z.coerce.number().int().min(1).max(65535).default(22),
    mgmtUser: z.string().trim().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'not a Unix user name').optional(),
    profile: z.string().trim().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a profile name is a-z, 0-9 and -').default('debian-dnsmasq'),
    overrides: overridesInput.optional().transform((v): Overrides => v ?? {}),
  })
  .superRefine((s, ctx) => {
    const lan = parseCidr(s.lanCidr)
    if (!lan) return
    if (lan.prefix > 30) ctx.addIssue({code: 'custom', path: ['lanCidr'], message: 'the LAN must be /30 or larger'})
    for (const field of ['lanGateway', 'dhcpStart', 'dhcpEnd'] as const) {
      const ip = parseIpv4(s[field])
      if (ip !== undefined && !isHostOf(lan, ip)) ctx.addIssue({code: 'custom', path: [field], message: `${s[field]} is not a host address of the LAN ${s.lanCidr}`})
    }
    const start = parseIpv4(s.dhcpStart)
    const end = parseIpv4(s.dhcpEnd)
    const gw = parseIpv4(s.lanGateway)
    if (start !== undefined && end !== undefined && start > end) ctx.addIssue({code: 'custom', path: ['dhcpEnd'], message: 'the DHCP range ends before it starts'})
    if (start !== undefined && end !== undefined && gw !== undefined && gw >= start && gw <= end) ctx.addIssue({code: 'custom', path: ['lanGateway'], message: 'the box LAN address is inside the DHCP range'})
    if (s.wanMode === 'static') {
      if (!s.wanAddress) ctx.addIssue({code: 'custom', path: ['wanAddress'], message: 'a static WAN needs an address (a.b.c.d/nn)'})
      if (!s.wanGateway) ctx.addIssue({code: 'custom', path: ['wanGateway'], message: 'a static WAN needs a gateway'})
      const wan = s.wanAddress ? parseCidr(s.wanAddress) : undefined
      const wgw = s.wanGateway ? parseIpv4(s.wanGateway) : undefined
      if (wan && wgw !== undefined && !cidrContains(wan, wgw)) ctx.addIssue({code: 'custom', path: ['wanGateway'], message: `the WAN gateway is outside ${s.wanAddress}`})
    }
  })
export type School = z.output<typeof SchoolSchema>

/** CSV columns: canonical names and the French/English headers members send. */
export const SCHOOL_COLUMNS = {
  uai: {aliases: ['code uai', 'rne', 'uai ecole'], required: true},
  name: {aliases: ['nom', 'ecole', 'nom ecole', 'etablissement'], required: true},
  communeInsee: {aliases: ['insee', 'code insee', 'commune insee', 'code commune'], required: true},
  authorityKind: {aliases: ['type autorite', 'autorite type', 'competence'], required: true},
  authorityName: {aliases: ['autorite', 'nom autorite', 'collectivite'], required: true},
  wanMode: {aliases: ['mode wan', 'wan'], required: true},
  wanAddress: {aliases: ['adresse wan', 'ip wan']},
  wanGateway: {aliases: ['passerelle wan']},
  lanCidr: {aliases: ['reseau lan', 'lan'], required: true},
  lanGateway: {aliases: ['passerelle lan', 'ip lan boitier', 'adresse lan'], required: true},
  dhcpStart: {aliases: ['debut dhcp', 'dhcp debut'], required: true},
  dhcpEnd: {aliases: ['fin dhcp', 'dhcp fin'], required: true},
  vpn: {aliases: ['reseau vpn']},
  boxSerial: {aliases: ['numero de serie', 'serie boitier', 'serial']},
  mgmtHost: {aliases: ['adresse administration', 'ip administration', 'management']},
  mgmtPort: {aliases: ['port administration', 'port ssh']},
  mgmtUser: {aliases: ['utilisateur administration', 'utilisateur ssh']},
  profile: {aliases: ['profil']},
  overrides: {aliases: ['surcharges', 'personnalisation']},
}
