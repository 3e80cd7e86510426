import {z} from 'zod'
import {onFirstUse} from '../core/lazy.js'
import {rawText, text} from '../csv/fields.js'
import {t} from './messages/index.js'
import {checkUai} from './uai.js'
import {cidrContains, isHostOf, normaliseDomain, parseCidr, parseIpv4} from './net.js'

/**
 * The school register's models. The same schemas validate a CSV row, the overrides JSON
 * and what the store gives back. Values that end up in box configs are validated here
 * (domains, addresses, CIDRs, names of things), so a rendered file never gets an extra line.
 */
export const WAN_MODES = ['dhcp', 'static', 'pppoe'] as const
export const AUTHORITY_KINDS = ['commune', 'epci'] as const

/**
 * The register's schemas, built when first used: about 10 ms of zod that a command listing or
 * reading schools (which alpi validated when it took them in) does not pay at start-up.
 */
function buildSchemas() {
  const uaiField = z.string().transform((v, ctx) => {
    const r = checkUai(v)
    if (!r.ok) {
      ctx.addIssue({code: 'custom', message: r.reason})
      return z.NEVER
    }
    return r.uai
  })

  const ipv4Field = z
    .string()
    .trim()
    .refine((v) => parseIpv4(v) !== undefined, {error: () => t('notIpv4')})
  const cidrField = z
    .string()
    .trim()
    .refine((v) => parseCidr(v) !== undefined, {error: () => t('notCidr')})
  const domainField = z.string().transform((v, ctx) => {
    const d = normaliseDomain(v)
    if (!d) {
      ctx.addIssue({code: 'custom', message: t('notDomain', {value: JSON.stringify(v.slice(0, 80))})})
      return z.NEVER
    }
    return d
  })
  /** A UT1 category name (folder name): letters, digits, _ and -. */
  const categoryField = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, {error: () => t('notCategory')})
  /** Profile variables: names are identifiers; values are checked against the profile's declarations. */
  const varsField = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, {error: () => t('notVariable')}), rawText({max: 512}))

  const OverridesSchema = z
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
        ctx.addIssue({code: 'custom', message: t('overridesJson', {detail: (error as Error).message})})
        return z.NEVER
      }
    })
    .pipe(OverridesSchema)

  const lowerEnum = <T extends readonly [string, ...string[]]>(values: T) => z.string().trim().toLowerCase().pipe(z.enum(values))

  /** One school as the register holds it (canonical field names, also the CSV's). */
  const school = z
    .object({
      uai: uaiField,
      name: text(),
      /** Unknown ('' in the store) when a list gave only the commune's name. */
      communeInsee: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^(\d{5}|2[AB]\d{3})$/, 'an INSEE commune code has 5 characters (e.g. 40192)')
        .optional(),
      communeName: text({max: 120}).optional(),
      address: text({max: 300}).optional(),
      postalCode: z
        .string()
        .trim()
        .regex(/^\d{5}$/, {error: () => t('postalCode')})
        .optional(),
      authorityKind: lowerEnum(AUTHORITY_KINDS),
      authorityName: text(),
      wanMode: lowerEnum(WAN_MODES),
      wanAddress: cidrField.optional(),
      wanGateway: ipv4Field.optional(),
      lanCidr: cidrField,
      lanGateway: ipv4Field,
      dhcpStart: ipv4Field,
      dhcpEnd: ipv4Field,
      vpn: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'a VPN name is letters, digits, _ . and -')
        .optional(),
      boxSerial: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/, {error: () => t('boxSerial')})
        .optional(),
      mgmtHost: z
        .string()
        .trim()
        .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/, {error: () => t('mgmtHost')})
        .optional(),
      mgmtPort: z.coerce.number().int().min(1).max(65535).default(22),
      mgmtUser: z
        .string()
        .trim()
        .regex(/^[a-z_][a-z0-9_-]{0,31}$/, {error: () => t('unixUser')})
        .optional(),
      profile: z
        .string()
        .trim()
        .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, {error: () => t('profileChars')})
        .default('debian-dnsmasq'),
      overrides: overridesInput.optional().transform((v): z.infer<typeof OverridesSchema> => v ?? {}),
    })
    .superRefine((s, ctx) => {
      const lan = parseCidr(s.lanCidr)
      if (!lan) return
      if (lan.prefix > 30) ctx.addIssue({code: 'custom', path: ['lanCidr'], message: t('lanTooLarge')})
      for (const field of ['lanGateway', 'dhcpStart', 'dhcpEnd'] as const) {
        const ip = parseIpv4(s[field])
        if (ip !== undefined && !isHostOf(lan, ip))
          ctx.addIssue({code: 'custom', path: [field], message: t('notHostOfLan', {value: s[field], lan: s.lanCidr})})
      }
      const start = parseIpv4(s.dhcpStart)
      const end = parseIpv4(s.dhcpEnd)
      const gw = parseIpv4(s.lanGateway)
      if (start !== undefined && end !== undefined && start > end)
        ctx.addIssue({code: 'custom', path: ['dhcpEnd'], message: t('dhcpReversed')})
      if (start !== undefined && end !== undefined && gw !== undefined && gw >= start && gw <= end)
        ctx.addIssue({code: 'custom', path: ['lanGateway'], message: t('gatewayInDhcp')})
      if (s.wanMode === 'static') {
        if (!s.wanAddress) ctx.addIssue({code: 'custom', path: ['wanAddress'], message: t('staticWanAddress')})
        if (!s.wanGateway) ctx.addIssue({code: 'custom', path: ['wanGateway'], message: t('staticWanGateway')})
        const wan = s.wanAddress ? parseCidr(s.wanAddress) : undefined
        const wgw = s.wanGateway ? parseIpv4(s.wanGateway) : undefined
        if (wan && wgw !== undefined && !cidrContains(wan, wgw))
          ctx.addIssue({code: 'custom', path: ['wanGateway'], message: t('wanGatewayOutside', {wan: s.wanAddress ?? ''})})
      }
    })
  return {ipv4Field, cidrField, domainField, categoryField, overrides: OverridesSchema, school}
}

/** The register's zod schemas (fields, overrides, school). */
export const modelSchemas = onFirstUse(buildSchemas)
type Schemas = ReturnType<typeof buildSchemas>
/** One school as the register holds it (canonical field names, also the CSV's). */
export const schoolSchema = (): Schemas['school'] => modelSchemas().school
/** What a school may change from its profile (the overrides JSON). */
export const overridesSchema = (): Schemas['overrides'] => modelSchemas().overrides
export type Overrides = z.infer<Schemas['overrides']>
export type School = z.output<Schemas['school']>

/**
 * CSV columns of every school list alpi imports, canonical name → the headers people send:
 * ALPI's own register file, an authority's short list ("Nom de l'école", "Autorité
 * compétente", "Réseau LAN"...) and the Ministry's national directory ("Annuaire de
 * l'éducation": Identifiant_de_l_etablissement, Nom_etablissement, Type_etablissement,
 * Statut_public_prive, Code_commune, Nom_commune, Code_departement...). Matching folds case,
 * accents, spaces and punctuation. Which columns a layout needs is checked by
 * src/firewalls/register.ts once the header is read; only the UAI and the name are always needed.
 */
export const SCHOOL_COLUMNS: Record<string, {aliases?: string[]; required?: boolean}> = {
  uai: {
    aliases: [
      'code uai',
      'rne',
      'code rne',
      'uai ecole',
      "uai de l'école",
      'numéro uai',
      'identifiant de l établissement',
      "numéro de l'école",
    ],
    required: true,
  },
  name: {
    aliases: [
      'nom',
      'ecole',
      'nom ecole',
      "nom de l'école",
      'etablissement',
      "nom de l'établissement",
      'nom établissement',
      'appellation officielle',
      'dénomination',
    ],
    required: true,
  },
  communeInsee: {
    aliases: ['insee', 'code insee', 'commune insee', 'code commune', 'code insee commune', 'code insee de la commune', 'insee commune'],
  },
  communeName: {aliases: ['commune', 'nom commune', 'nom de la commune', 'libellé commune', 'ville', 'localité']},
  address: {aliases: ['adresse', 'adresse 1', 'adresse postale', "adresse de l'école"]},
  postalCode: {aliases: ['code postal', 'cp']},
  authorityKind: {
    aliases: ['type autorite', 'autorite type', "type d'autorité", 'type collectivité', 'type de collectivité', 'competence'],
  },
  authorityName: {
    aliases: ['autorite', 'nom autorite', 'autorité compétente', 'collectivite', 'collectivité compétente', 'collectivité de rattachement'],
  },
  wanMode: {aliases: ['mode wan', 'wan']},
  wanAddress: {aliases: ['adresse wan', 'ip wan']},
  wanGateway: {aliases: ['passerelle wan']},
  lanCidr: {aliases: ['reseau lan', 'lan', "plan d'adressage", 'sous-réseau', 'sous-réseau lan', 'réseau']},
  lanGateway: {aliases: ['passerelle lan', 'ip lan boitier', 'adresse lan']},
  dhcpStart: {aliases: ['debut dhcp', 'dhcp debut']},
  dhcpEnd: {aliases: ['fin dhcp', 'dhcp fin']},
  vpn: {aliases: ['reseau vpn']},
  boxSerial: {aliases: ['numero de serie', 'serie boitier', 'serial']},
  mgmtHost: {aliases: ['adresse administration', 'ip administration', 'management']},
  mgmtPort: {aliases: ['port administration', 'port ssh']},
  mgmtUser: {aliases: ['utilisateur administration', 'utilisateur ssh']},
  profile: {aliases: ['profil']},
  overrides: {aliases: ['surcharges', 'personnalisation']},
  // The national directory's columns that select the schools ALPI serves.
  schoolType: {aliases: ['type établissement', "type d'établissement"]},
  sector: {aliases: ['statut public privé', 'secteur', 'secteur public privé']},
  departmentCode: {aliases: ['code département']},
  state: {aliases: ['état', 'état établissement']},
  nature: {aliases: ['libellé nature', 'nature', 'nature uai']},
  // Its other columns, read and left aside (so that importing it warns about nothing).
  ...Object.fromEntries(
    (
      'adresse_2 adresse_3 code_academie code_region ecole_maternelle ecole_elementaire voie_generale voie_technologique voie_professionnelle telephone fax web mail ' +
      'restauration hebergement ulis apprentissage segpa section_arts section_cinema section_theatre section_sport section_internationale section_europeenne ' +
      'lycee_agricole lycee_militaire lycee_des_metiers post_bac appartenance_education_prioritaire greta siren_siret fiche_onisep position type_contrat_prive ' +
      'libelle_departement libelle_academie libelle_region coordx_origine coordy_origine epsg_origine nom_circonscription latitude longitude precision_localisation ' +
      'date_ouverture date_maj_ligne ministere_tutelle multi_uai rpi_concentre rpi_disperse code_nature code_type_contrat_prive pial nombre_d_eleves'
    )
      .split(' ')
      .map((c) => [`directory:${c}`, {aliases: [c]}]),
  ),
}
