import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {z} from 'zod'
import {BugError, RuleViolation, UsageError} from '../core/errors.js'
import {renderTemplate} from '../core/templates.js'
import {modelSchemas, WAN_MODES, type Overrides} from './model.js'
import {t} from './messages/index.js'
import {formatIpv4, parseCidr, parseIpv4} from './net.js'
import type {SchoolRecord} from './schools.js'

/**
 * A device profile: what happens on a box, described in templates/firewalls/<name>/profile.json
 * (see templates/firewalls/README.md). alpi renders the profile's files for a school, uploads
 * them to the staging folder and runs the profile's commands (argument arrays, never a shell
 * line) to validate, apply with a rollback timer, check, confirm or roll back.
 */
const VariableSchema = z.discriminatedUnion('kind', [
  z.object({kind: z.literal('path'), default: z.string(), description: z.string()}),
  z.object({kind: z.literal('ifname'), default: z.string(), description: z.string()}),
  z.object({kind: z.literal('int'), min: z.number().int(), max: z.number().int(), default: z.string(), description: z.string()}),
  z.object({kind: z.literal('enum'), values: z.array(z.string()).min(1), default: z.string(), description: z.string()}),
])
type Variable = z.infer<typeof VariableSchema>

const argv = z.array(z.string()).min(1)
export const COMMAND_NAMES = ['prepare', 'validate', 'apply', 'check', 'confirm', 'rollback', 'state'] as const

const {categoryField, cidrField, domainField, ipv4Field} = modelSchemas()

export const ProfileManifestSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    description: z.string(),
    variables: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/), VariableSchema),
    defaults: z
      .object({
        categories: z.array(categoryField),
        blockAddress: ipv4Field,
        upstreamDns: z.array(ipv4Field).min(1),
        wanMode: z.enum(WAN_MODES).default('dhcp'),
      })
      .strict(),
    doh: z.object({domains: z.array(domainField), ips: z.array(z.union([ipv4Field, cidrField])).min(1)}).strict(),
    staging: z.string(),
    /** Named paths for the templates (it.paths.<name>), with {variable} placeholders. */
    paths: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/), z.string()).default({}),
    files: z
      .array(
        z
          .object({
            name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
            template: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.eta$/),
            path: z.string(),
            mode: z.string().regex(/^0[0-7]{3}$/),
          })
          .strict(),
      )
      .min(1),
    commands: z
      .object(Object.fromEntries(COMMAND_NAMES.map((c) => [c, argv])) as Record<(typeof COMMAND_NAMES)[number], typeof argv>)
      .strict(),
  })
  .strict()
export type ProfileManifest = z.infer<typeof ProfileManifestSchema>

export interface Profile extends ProfileManifest {
  dir: string
}

const cache = new Map<string, Profile>()

export function loadProfile(templatesDir: string, name: string): Profile {
  const key = `${templatesDir}\0${name}`
  const hit = cache.get(key)
  if (hit) return hit
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name)) throw new UsageError(t('profileName', {name: JSON.stringify(name)}))
  const dir = join(templatesDir, 'firewalls', name)
  const file = join(dir, 'profile.json')
  if (!existsSync(file)) {
    throw new RuleViolation('PROFILE_UNKNOWN', t('profileUnknown', {name, file}), {actions: [t('profileUnknownAction')]})
  }
  const parsed = ProfileManifestSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  if (!parsed.success)
    throw new BugError(
      `Profile ${name}: profile.json is invalid at ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    )
  if (parsed.data.name !== name) throw new BugError(`Profile folder ${name} declares the name ${parsed.data.name}`)
  const profile = {...parsed.data, dir}
  cache.set(key, profile)
  return profile
}

/** Check a variable value against its declaration (a value ends up in paths, configs and argv). */
export function checkVariable(name: string, decl: Variable, value: string): string | undefined {
  switch (decl.kind) {
    case 'path':
      if (value !== '' && !/^(\/[A-Za-z0-9._-]+)+$/.test(value)) return t('varPath', {name})
      if (value.split('/').some((p) => p === '..' || p === '.')) return t('varDots', {name})
      return undefined
    case 'ifname':
      return /^[A-Za-z0-9_.-]{1,15}$/.test(value) ? undefined : t('varIfname', {name})
    case 'int': {
      if (!/^\d{1,9}$/.test(value)) return t('varInt', {name})
      const n = Number(value)
      return n < decl.min || n > decl.max ? t('varRange', {name, min: decl.min, max: decl.max}) : undefined
    }
    case 'enum':
      return decl.values.includes(value) ? undefined : t('varEnum', {name, values: decl.values.join(', ')})
  }
}

export function resolveVariables(profile: Profile, given: Record<string, string> = {}, uai = ''): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const name of Object.keys(given)) {
    if (!profile.variables[name])
      throw new RuleViolation('PROFILE_VARIABLE_UNKNOWN', t('varUnknown', {uai, profile: profile.name, name}), {
        actions: [t('varUnknownAction', {profile: profile.name, names: Object.keys(profile.variables).join(', ')})],
      })
  }
  for (const [name, decl] of Object.entries(profile.variables)) {
    const value = given[name] ?? decl.default
    const problem = checkVariable(name, decl, value)
    if (problem) throw new RuleViolation('PROFILE_VARIABLE_INVALID', t('varInvalid', {uai, problem}), {actions: [t('varInvalidAction')]})
    vars[name] = value
  }
  return vars
}

/** Replace {name} placeholders in one argv element or path (values were checked by kind). */
export function expand(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-z][a-z0-9_]*)\}/g, (m, k: string) => {
    if (!(k in values)) throw new BugError(`Unknown placeholder ${m} in a profile`)
    return values[k]!
  })
}

export interface RenderedFile {
  name: string
  path: string
  mode: string
  content: string
  sha256: string
}

export interface RenderedConfig {
  uai: string
  profile: string
  vars: Record<string, string>
  staging: string
  files: RenderedFile[]
  /** sha256 over every file's name, path, mode and content hash. */
  hash: string
  listVersion?: string
  /** The list categories whose domains are in the filter (what the box blocks). */
  listCategories: string[]
  commands: Record<(typeof COMMAND_NAMES)[number], string[]>
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex')
}

export function configHash(files: Pick<RenderedFile, 'name' | 'path' | 'mode' | 'sha256'>[]): string {
  return sha256(
    [...files]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((f) => `${f.name} ${f.path} ${f.mode} ${f.sha256}\n`)
      .join(''),
  )
}

export interface FilterInput {
  /** Domains of the chosen list categories (already validated), and the list's version. */
  listDomains?: string[]
  listVersion?: string
  /** The categories whose domains are in listDomains. */
  categories?: string[]
  /** Categories the school's policy requires that the list version does not hold. */
  missingCategories?: string[]
}

function netmask(prefix: number): string {
  return formatIpv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0)
}

/** Render a school's files from the profile's common base and the school's overrides. */
export function renderSchoolConfig(templatesDir: string, school: SchoolRecord, filter: FilterInput = {}): RenderedConfig {
  const profile = loadProfile(templatesDir, school.profile)
  const o: Overrides = school.overrides ?? {}
  const vars = resolveVariables(profile, o.vars, school.uai)
  const staging = expand(profile.staging, vars)
  const lan = parseCidr(school.lanCidr)
  if (!lan || parseIpv4(school.lanGateway) === undefined) throw new BugError(`School ${school.uai}: LAN plan not validated`)
  const allow = [...new Set(o.allowDomains ?? [])].sort()
  const allowSet = new Set(allow)
  const block = [...new Set([...(filter.listDomains ?? []), ...(o.blockDomains ?? [])])].filter((d) => !allowSet.has(d)).sort()
  const filePaths = Object.fromEntries(profile.files.map((f) => [f.name, expand(f.path, vars)]))
  const data = {
    uai: school.uai,
    school: {
      uai: school.uai,
      lanCidr: school.lanCidr,
      lanGateway: school.lanGateway,
      dhcpStart: school.dhcpStart,
      dhcpEnd: school.dhcpEnd,
      wanMode: school.wanMode,
      wanAddress: school.wanAddress ?? '',
      wanGateway: school.wanGateway ?? '',
    },
    net: {lanNetmask: netmask(lan.prefix), lanPrefix: lan.prefix, lanNetwork: formatIpv4(lan.network)},
    vars,
    managementCidr: o.managementCidr ?? '',
    mgmtPort: school.mgmtPort,
    filter: {
      whitelist: o.whitelist ?? false,
      blockAddress: o.blockAddress ?? profile.defaults.blockAddress,
      upstreamDns: o.upstreamDns ?? profile.defaults.upstreamDns,
      // What the filter holds, not what the policy wishes: the box's file never claims more than it blocks.
      categories: o.whitelist ? [] : (filter.categories ?? []),
      missingCategories: o.whitelist ? [] : (filter.missingCategories ?? o.categories ?? profile.defaults.categories),
      listVersion: filter.listVersion ?? 'none',
      block,
      allow,
      dohDomains: profile.doh.domains.filter((d) => !allowSet.has(d)),
      dohIps: profile.doh.ips,
    },
    paths: {...filePaths, ...Object.fromEntries(Object.entries(profile.paths).map(([k, v]) => [k, expand(v, vars)]))},
    files: profile.files.map((f) => ({name: f.name, path: filePaths[f.name]!, mode: f.mode})),
  }
  const files: RenderedFile[] = profile.files.map((f) => {
    const content = renderTemplate(templatesDir, `firewalls/${profile.name}/${f.template}`, data)
    return {name: f.name, path: filePaths[f.name]!, mode: f.mode, content, sha256: sha256(content)}
  })
  const placeholders = {...vars, staging}
  const commands = Object.fromEntries(
    COMMAND_NAMES.map((c) => [c, profile.commands[c].map((a) => expand(a, placeholders))]),
  ) as RenderedConfig['commands']
  return {
    uai: school.uai,
    profile: profile.name,
    vars,
    staging,
    files,
    hash: configHash(files),
    listVersion: filter.listVersion,
    listCategories: o.whitelist ? [] : (filter.categories ?? []),
    commands,
  }
}

/** The output of the profile's check command: `file PATH HASH` and `key=value` lines. */
export function parseCheck(stdout: string): {files: Record<string, string>; values: Record<string, string>} {
  const files: Record<string, string> = {}
  const values: Record<string, string> = {}
  for (const line of stdout.split('\n')) {
    const f = /^file (\S+) (\S+)$/.exec(line.trim())
    if (f) files[f[1]!] = f[2]!
    const kv = /^([a-z_]+)=(\S*)$/.exec(line.trim())
    if (kv) values[kv[1]!] = kv[2]!
  }
  return {files, values}
}
