import type {Kysely} from 'kysely'
import {z} from 'zod'
import type {ServiceContext} from '../context/service-context.js'
import {AlpiError, RuleViolation, UsageError} from '../core/errors.js'
import {foldForMatch} from '../csv/fields.js'
import type {ImportFileOptions, ImportResult} from '../csv/import.js'
import type {CsvMeta} from '../csv/read.js'
import type {Database} from '../store/schema.js'
import {allocateLans, authorityKindFromName, communeAuthority, deriveFromLan, PoolExhausted, type AddressingConfig} from './addressing.js'
import {registerConfig} from './config.js'
import {t} from './messages/index.js'
import {SCHOOL_COLUMNS, schoolSchema, type School} from './model.js'
import {loadProfile} from './profile.js'
import {loadSchools, schoolToRow, upsertSchoolRows, type Provenance, type SchoolRecord} from './schools.js'
import {checkUai} from './uai.js'

/**
 * `firewalls schools import FILE`: the school register from the lists that exist.
 *
 * Two layouts, told apart by the header alone:
 * - `directory`: the Ministry's national directory ("Annuaire de l'éducation", open data,
 *   `;`). Only the public primary schools (Type_etablissement "Ecole", Statut_public_prive
 *   "Public", open, nature maternelle/élémentaire/primaire) of the department (040 by default,
 *   config `firewalls.department`) are kept; the other rows are counted as outside the scope.
 * - `list`: any other school list: an authority's short list (UAI, name, commune and/or INSEE
 *   code, authority, optionally the LAN) or ALPI's own register file with every column.
 *
 * Merge rule (a re-import keeps what ALPI added): a value the file gives replaces the stored
 * one; a column the file does not have, or an empty cell of a network-plan column, keeps the
 * stored value; an empty cell of an optional column the file has (VPN, serial, management
 * address, overrides...) clears it. What no list gives is derived (src/firewalls/addressing.ts):
 * the LAN allocated from the pool, the box address and DHCP range from the LAN, the WAN mode
 * from the profile, the authority from the commune and its kind from its name. Each field's
 * provenance is stored: `firewalls schools show UAI` tells given from derived.
 */
export type RegisterLayout = 'directory' | 'list'

const LAYOUT_REQUIRED: Record<RegisterLayout, string[][]> = {
  directory: [['uai'], ['name'], ['schoolType'], ['sector'], ['communeInsee'], ['communeName']],
  list: [['uai'], ['name'], ['communeInsee', 'communeName']],
}

export function layoutOf(columns: Record<string, string>): RegisterLayout {
  return 'schoolType' in columns && 'sector' in columns ? 'directory' : 'list'
}

type Raw = Record<string, string | undefined>

/** Is a national-directory row one of the schools ALPI serves? (Decided before the UAI is checked.) */
export function inDirectoryScope(raw: Raw, department: string): boolean {
  const f = (v?: string) => foldForMatch(v ?? '').trim()
  if (!f(raw.sector).startsWith('public')) return false
  if (!f(raw.schoolType).startsWith('ecole')) return false
  const dep = (raw.departmentCode ?? '').trim().toUpperCase()
  const wanted = department.replace(/^0+/, '')
  if (dep ? dep.replace(/^0+/, '') !== wanted : !(raw.uai ?? '').trim().startsWith(department.padStart(3, '0'))) return false
  if (raw.state && !f(raw.state).startsWith('ouvert')) return false
  if (raw.nature && !/maternelle|elementaire|primaire/.test(f(raw.nature))) return false
  return true
}

export type ResolvedRow =
  {kind: 'skip'; n: number} | {kind: 'school'; uai: string; school: School; provenance: Provenance; needsLan: boolean}

const PLAN_FIELDS = ['lanGateway', 'dhcpStart', 'dhcpEnd'] as const
const PLAIN_FIELDS = ['name', 'communeInsee', 'communeName', 'address', 'postalCode'] as const
const CLEARABLE_FIELDS = [
  'wanAddress',
  'wanGateway',
  'vpn',
  'boxSerial',
  'mgmtHost',
  'mgmtPort',
  'mgmtUser',
  'profile',
  'overrides',
] as const
const LAN_FIELDS = new Set(['lanCidr', ...PLAN_FIELDS])
/** Stands in for a LAN to be allocated while the rest of the row is validated (TEST-NET-1: never stored). */
const PLACEHOLDER_LAN = '192.0.2.0/24'

interface ResolveEnv {
  layout: RegisterLayout
  present: ReadonlySet<string>
  existing: ReadonlyMap<string, SchoolRecord>
  rule: AddressingConfig
  templatesDir: string
}

function storedValues(s: SchoolRecord): Record<string, unknown> {
  const {deployedHash: _h, deployedAt: _a, deployedListVersion: _v, updatedAt: _u, provenance: _p, ...rest} = s
  return {...rest, communeInsee: s.communeInsee || undefined}
}

/** Merge one row with what the register holds, derive what is missing, validate. */
export function resolveRow(
  raw: Raw,
  env: ResolveEnv,
  ctx: z.RefinementCtx,
): (School & {provenance: Provenance; needsLan: boolean}) | undefined {
  const issue = (field: string, message: string) => ctx.addIssue({code: 'custom', path: field ? [field] : [], message})
  const uaiCheck = checkUai(raw.uai ?? '')
  if (!uaiCheck.ok) {
    issue('uai', uaiCheck.reason)
    return undefined
  }
  const uai = uaiCheck.uai
  const old = env.existing.get(uai)
  const given = (f: string) => raw[f]
  const m: Record<string, unknown> = old ? storedValues(old) : {}
  // Rows stored before provenance was recorded count as given.
  const prov: Provenance = {...(old?.provenance ?? {})}
  const set = (f: string, v: unknown, by: Provenance[string]['by']) => {
    // The same value again keeps its provenance (a directory re-import after a list changes nothing).
    if (by === 'given' && v !== undefined && prov[f]?.by === 'given' && String(m[f] ?? '') === String(v)) return
    m[f] = v
    if (v === undefined) delete prov[f]
    else prov[f] = by === 'given' ? {by, source: env.layout} : {by}
  }
  m.uai = uai
  for (const f of PLAIN_FIELDS) if (given(f) !== undefined) set(f, given(f), 'given')
  for (const f of CLEARABLE_FIELDS) {
    if (given(f) !== undefined) set(f, given(f), 'given')
    else if (env.present.has(f)) set(f, undefined, 'given')
  }
  if (!old && !m.communeInsee && !m.communeName) issue(env.present.has('communeInsee') ? 'communeInsee' : 'communeName', t('noCommune'))

  // Authority: given, else the stored one, else (or when it was derived) the school's commune.
  const nameGiven = given('authorityName')
  const oldName = old?.authorityName
  if (nameGiven !== undefined) set('authorityName', nameGiven, 'given')
  else if (!old || prov.authorityName?.by === 'derived') {
    if (typeof m.communeName === 'string') set('authorityName', communeAuthority(m.communeName), 'derived')
    else if (!old) issue('authorityName', t('noAuthority'))
  }
  const kindGiven = given('authorityKind')
  if (kindGiven !== undefined) set('authorityKind', kindGiven, 'given')
  else if (typeof m.authorityName === 'string' && (m.authorityName !== oldName || prov.authorityKind?.by === 'derived')) {
    const kind = authorityKindFromName(m.authorityName)
    if (kind) set('authorityKind', kind, 'derived')
    else issue('authorityName', t('authorityKindUnknown', {name: m.authorityName.slice(0, 80)}))
  }

  // Network plan: the LAN given, kept, or allocated later (in the transaction, in UAI order).
  const lanGiven = given('lanCidr')
  let needsLan = false
  if (lanGiven !== undefined) {
    set('lanCidr', lanGiven, 'given')
    const derived = deriveFromLan(lanGiven, env.rule)
    for (const f of PLAN_FIELDS) {
      if (given(f) !== undefined) set(f, given(f), 'given')
      else if (derived) set(f, derived[f], 'derived')
      else set(f, undefined, 'derived')
    }
    if (!derived && PLAN_FIELDS.some((f) => given(f) === undefined) && /^[0-9.]+\/\d+$/.test(lanGiven))
      issue('lanCidr', t('lanTooSmall', {lan: lanGiven}))
  } else if (old) {
    for (const f of PLAN_FIELDS) if (given(f) !== undefined) set(f, given(f), 'given')
  } else {
    if (PLAN_FIELDS.some((f) => given(f) !== undefined)) issue('lanCidr', t('planWithoutLan'))
    needsLan = true
  }

  const profileName = typeof m.profile === 'string' ? m.profile : 'debian-dnsmasq'
  if (given('wanMode') !== undefined) set('wanMode', given('wanMode'), 'given')
  else if (m.wanMode === undefined) {
    try {
      set('wanMode', loadProfile(env.templatesDir, profileName).defaults.wanMode, 'default')
    } catch (error) {
      if (!(error instanceof AlpiError) || error.code === 'BUG') throw error
      issue('profile', error.message)
    }
  }

  const candidate = needsLan ? {...m, lanCidr: PLACEHOLDER_LAN, ...deriveFromLan(PLACEHOLDER_LAN, env.rule)} : m
  const parsed = schoolSchema().safeParse(candidate)
  if (!parsed.success) {
    for (const i of parsed.error.issues) {
      const field = String(i.path[0] ?? '')
      if (needsLan && LAN_FIELDS.has(field)) continue
      const cell = raw[field]
      issue(
        field,
        i.code !== 'custom' && cell !== undefined && !i.message.includes(cell) ? `${i.message}: "${cell.slice(0, 60)}"` : i.message,
      )
    }
    return undefined
  }
  prov.profile ??= {by: 'default'}
  prov.mgmtPort ??= {by: 'default'}
  return {...parsed.data, provenance: prov, needsLan}
}

/** Allocate the LANs still missing (inside the import's transaction), derive their plans, upsert. */
async function upsertResolved(trx: Kysely<Database>, rows: ResolvedRow[], rule: AddressingConfig) {
  const schools = rows.filter((r): r is Extract<ResolvedRow, {kind: 'school'}> => r.kind === 'school')
  const needing = schools.filter((s) => s.needsLan)
  if (needing.length > 0) {
    const stored = await trx.selectFrom('fw_schools').select(['uai', 'lan_cidr']).execute()
    const storedLan = new Map(stored.map((r) => [r.uai, r.lan_cidr]))
    const taken = [...stored.map((r) => r.lan_cidr), ...schools.filter((s) => !s.needsLan).map((s) => s.school.lanCidr)]
    let allocated: Map<string, string>
    try {
      allocated = allocateLans(
        needing.filter((s) => !storedLan.has(s.uai)).map((s) => s.uai),
        taken,
        rule,
      )
    } catch (error) {
      if (!(error instanceof PoolExhausted)) throw error
      throw new RuleViolation(
        'ADDRESSING_POOL_FULL',
        t('poolFull', {needed: error.needed, pool: error.pool.join(', '), prefix: error.prefix}),
        {actions: [t('poolFullAction')], data: {needed: error.needed, pool: error.pool}},
      )
    }
    for (const s of needing) {
      // A school another import registered meanwhile keeps its LAN.
      const lan = storedLan.get(s.uai) ?? allocated.get(s.uai)!
      s.school = {...s.school, lanCidr: lan, ...deriveFromLan(lan, rule)}
      s.provenance = {
        ...s.provenance,
        lanCidr: {by: 'allocated'},
        lanGateway: {by: 'derived'},
        dhcpStart: {by: 'derived'},
        dhcpEnd: {by: 'derived'},
      }
    }
  }
  return upsertSchoolRows(
    trx,
    schools.map((s) => schoolToRow(schoolSchema().parse(s.school), s.provenance)),
  )
}

export interface RegisterImportResult extends ImportResult {
  layout: RegisterLayout
  /** National directory rows left aside: other departments, private, not a primary school, closed. */
  outOfScope: number
}

export async function importSchools(ctx: ServiceContext, opts: ImportFileOptions): Promise<RegisterImportResult> {
  const {importCsv} = await import('../csv/import.js')
  const cfg = registerConfig(ctx)
  const existing = new Map((await loadSchools(ctx)).map((s) => [s.uai, s]))
  const state = {layout: 'list' as RegisterLayout, present: new Set<string>(), skipped: 0}
  const onHeader = (meta: CsvMeta) => {
    state.layout = layoutOf(meta.columns)
    state.present = new Set(Object.keys(meta.columns))
    const missing = LAYOUT_REQUIRED[state.layout].filter((group) => !group.some((f) => f in meta.columns))
    if (missing.length > 0) {
      const names = (f: string) => `${f} (${t('accepted')}: ${[f, ...(SCHOOL_COLUMNS[f]?.aliases ?? [])].map((n) => `"${n}"`).join(', ')})`
      throw new UsageError(
        t('missingColumns', {
          file: meta.file,
          layout: t(state.layout === 'directory' ? 'layoutDirectory' : 'layoutList'),
          list: missing.map((g) => g.map(names).join(` ${t('or')} `)).join('; '),
        }),
        {
          actions: [t('missingColumnsAction')],
          data: {layout: state.layout, missing, headers: meta.headers},
        },
      )
    }
    ctx.out.info(t('layoutRead', {file: meta.file, layout: t(state.layout === 'directory' ? 'layoutDirectory' : 'layoutList')}))
  }
  const schema = z
    .custom<Raw>((v) => typeof v === 'object' && v !== null)
    .transform((raw, zctx): ResolvedRow => {
      if (state.layout === 'directory' && !inDirectoryScope(raw, cfg.department)) return {kind: 'skip', n: state.skipped++}
      const r = resolveRow(
        raw,
        {layout: state.layout, present: state.present, existing, rule: cfg.addressing, templatesDir: ctx.templatesDir},
        zctx,
      )
      if (!r) return z.NEVER
      const {provenance, needsLan, ...school} = r
      return {kind: 'school', uai: school.uai, school, provenance, needsLan}
    })
  const extra = () => ({layout: state.layout, outOfScope: state.skipped})
  try {
    const r = await importCsv(ctx, {
      source: opts.file,
      schema,
      columns: SCHOOL_COLUMNS,
      raw: false,
      onHeader,
      entity: 'fw_school',
      key: (v: ResolvedRow) => (v.kind === 'school' ? v.uai : `\0skip${v.n}`),
      rejectsPath: opts.rejectsPath,
      repairEncoding: opts.repairEncoding,
      dryRun: opts.dryRun,
      upsert: (trx, rows) => upsertResolved(trx, rows, cfg.addressing),
    })
    return {...r, ...extra()}
  } catch (error) {
    if (error instanceof AlpiError && error.code === 'INPUT_REJECTED' && error.data && typeof error.data === 'object')
      Object.assign(error.data, extra())
    throw error
  }
}

export interface ShownField {
  field: string
  value: string
  how: 'given' | 'derived' | 'allocated' | 'default' | 'unset'
  /** What gave it, or the rule that derived it. */
  detail: string
}

const SHOWN = [
  'uai',
  'name',
  'communeName',
  'communeInsee',
  'address',
  'postalCode',
  'authorityName',
  'authorityKind',
  'lanCidr',
  'lanGateway',
  'dhcpStart',
  'dhcpEnd',
  'wanMode',
  'wanAddress',
  'wanGateway',
  'vpn',
  'boxSerial',
  'mgmtHost',
  'mgmtPort',
  'mgmtUser',
  'profile',
  'overrides',
] as const

/** `firewalls schools show UAI`: every value of a school and how it came (given by which list, or derived by which rule). */
export async function showSchool(ctx: ServiceContext, uai: string): Promise<{school: SchoolRecord; fields: ShownField[]}> {
  const [school] = await loadSchools(ctx, [uai])
  const s = school!
  const {addressing: rule} = registerConfig(ctx)
  const derivedRule: Record<string, string> = {
    lanGateway: t('ruleGateway', {n: rule.gatewayHost}),
    dhcpStart: t('ruleDhcp', {first: rule.dhcpFirst, last: rule.dhcpLast}),
    dhcpEnd: t('ruleDhcp', {first: rule.dhcpFirst, last: rule.dhcpLast}),
    authorityName: t('ruleAuthority'),
    authorityKind: t('ruleKind'),
  }
  const fields = SHOWN.map((field): ShownField => {
    const raw = field === 'uai' ? s.uai : (s as unknown as Record<string, unknown>)[field]
    const value = raw === undefined || raw === null || raw === '' ? '' : typeof raw === 'object' ? JSON.stringify(raw) : String(raw)
    const p = s.provenance[field]
    if (field === 'uai') return {field, value, how: 'given', detail: ''}
    if (field === 'overrides' && value === '{}') return {field, value: '', how: 'unset', detail: ''}
    if (value === '') return {field, value, how: 'unset', detail: ''}
    if (!p) return {field, value, how: 'given', detail: t('showGivenOld')}
    switch (p.by) {
      case 'given':
        return {
          field,
          value,
          how: 'given',
          detail: t('showGiven', {source: t(p.source === 'directory' ? 'sourceDirectory' : 'sourceList')}),
        }
      case 'derived':
        return {field, value, how: 'derived', detail: t('showDerived', {rule: derivedRule[field] ?? ''})}
      case 'allocated':
        return {field, value, how: 'allocated', detail: t('showAllocated', {pool: rule.pool.join(', '), prefix: rule.lanPrefix})}
      case 'default':
        return {field, value, how: 'default', detail: field === 'wanMode' ? t('ruleWan', {profile: s.profile}) : t('showDefault')}
    }
  })
  return {school: s, fields}
}
