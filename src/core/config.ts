import {mkdirSync, readFileSync} from 'node:fs'
import {homedir, userInfo} from 'node:os'
import {dirname, join} from 'node:path'
import type {z} from 'zod'
import {UsageError} from './errors.js'
import {writeFileAtomic} from './fs.js'
import {coreMessages} from './messages/index.js'

const c = coreMessages.core

/**
 * Technician settings, one JSON file at the XDG config path. Campaign sections are free
 * objects that each campaign validates with its own schema (defaults live in the campaign).
 */
export interface AlpiConfig {
  technician?: string
  organisation?: string
  lang?: 'fr' | 'en'
  db?: string
  laptops?: Record<string, unknown>
  firewalls?: Record<string, unknown>
  cityfamily?: Record<string, unknown>
  win7?: Record<string, unknown>
}

interface ConfigIssue {
  path: string[]
  message: string
}
type ConfigParse = {success: true; data: AlpiConfig} | {success: false; error: {issues: ConfigIssue[]}}

const TEXT_KEYS = ['technician', 'organisation', 'db'] as const
const SECTION_KEYS = ['laptops', 'firewalls', 'cityfamily', 'win7'] as const

/** The first problem of a config object (zod's wording for the same rules), or undefined. */
function configIssue(raw: unknown): ConfigIssue | undefined {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v)
  if (kind(raw) !== 'object') return {path: [], message: `Invalid input: expected object, received ${kind(raw)}`}
  const obj = raw as Record<string, unknown>
  const known: readonly string[] = [...TEXT_KEYS, 'lang', ...SECTION_KEYS]
  const unknown = Object.keys(obj).filter((key) => !known.includes(key))
  if (unknown.length > 0)
    return {path: [], message: `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map((k) => `"${k}"`).join(', ')}`}
  for (const key of TEXT_KEYS) {
    const v = obj[key]
    if (v === undefined) continue
    if (typeof v !== 'string') return {path: [key], message: `Invalid input: expected string, received ${kind(v)}`}
    if (v.length < 1) return {path: [key], message: 'Too small: expected string to have >=1 characters'}
  }
  if (obj.lang !== undefined && obj.lang !== 'fr' && obj.lang !== 'en')
    return {path: ['lang'], message: 'Invalid option: expected one of "fr"|"en"'}
  for (const key of SECTION_KEYS) {
    const v = obj[key]
    if (v !== undefined && kind(v) !== 'object') return {path: [key], message: `Invalid input: expected record, received ${kind(v)}`}
  }
  return undefined
}

/**
 * The top-level rules, written by hand rather than with zod: every command reads the config
 * at start-up, and loading zod there cost about as much as starting Node (bench/cli-startup.mjs).
 * Same interface as the zod schema it replaces (safeParse / parse).
 */
export const ConfigSchema = {
  safeParse(raw: unknown): ConfigParse {
    const issue = configIssue(raw)
    return issue ? {success: false, error: {issues: [issue]}} : {success: true, data: raw as AlpiConfig}
  },
  parse(raw: unknown): AlpiConfig {
    const parsed = ConfigSchema.safeParse(raw)
    if (!parsed.success)
      throw new UsageError(c.m('configInvalidAt', {at: parsed.error.issues[0]!.path.join('.'), detail: parsed.error.issues[0]!.message}))
    return parsed.data
  },
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ALPI_CONFIG) return env.ALPI_CONFIG
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config')
  return join(base, 'alpi', 'config.json')
}

export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share')
  return join(base, 'alpi')
}

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dataDir(env), 'alpi.sqlite')
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AlpiConfig {
  const path = configPath(env)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw error
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new UsageError(c.m('configNotJson', {path, detail: (error as Error).message}), {
      actions: [c.m('configNotJsonAction', {path})],
    })
  }
  const parsed = ConfigSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UsageError(c.m('configInvalid', {path, at: issue?.path.join('.') ?? '', detail: issue?.message ?? ''}), {
      actions: [c.m('configInvalidAction')],
    })
  }
  return parsed.data
}

export function saveConfig(config: AlpiConfig, env: NodeJS.ProcessEnv = process.env): string {
  const checked = ConfigSchema.parse(config)
  const path = configPath(env)
  mkdirSync(dirname(path), {recursive: true, mode: 0o700})
  writeFileAtomic(path, JSON.stringify(checked, null, 2) + '\n', {mode: 0o600})
  return path
}

/** Who is acting: the configured technician, else the OS user. */
export function currentActor(config: AlpiConfig, env: NodeJS.ProcessEnv = process.env): string {
  if (env.ALPI_TECHNICIAN) return env.ALPI_TECHNICIAN
  if (config.technician) return config.technician
  try {
    return userInfo().username
  } catch {
    return env.USER || 'unknown'
  }
}

/** A campaign's config section: its key and the zod schema that validates it and supplies its defaults. */
export interface ConfigSection<T extends z.ZodTypeAny> {
  key: CampaignKey
  schema: T
  /** The section of this config, validated (an invalid value is a usage error naming it). */
  read(config: AlpiConfig): z.infer<T>
}

export type CampaignKey = 'laptops' | 'firewalls' | 'cityfamily' | 'win7'

/** The one way a campaign declares its config section (in src/<campaign>/config.ts). */
export function defineConfigSection<T extends z.ZodTypeAny>(key: CampaignKey, schema: T): ConfigSection<T> {
  return {key, schema, read: (config) => configSection(config, key, schema)}
}

/** A campaign's section validated by the campaign's schema (which supplies defaults). */
export function configSection<T extends z.ZodTypeAny>(config: AlpiConfig, key: CampaignKey, schema: T): z.infer<T> {
  const parsed = schema.safeParse(config[key] ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UsageError(c.m('configSectionInvalid', {key, at: issue?.path.join('.') ?? '', detail: issue?.message ?? ''}), {
      actions: [c.m('configSectionInvalidAction', {key})],
    })
  }
  return parsed.data
}

export function getPath(obj: unknown, key: string): unknown {
  let cur: unknown = obj
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string, unknown>)[part]
  }
  return cur
}

export function setPath(obj: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.')
  let cur: Record<string, unknown> = obj
  for (const part of parts.slice(0, -1)) {
    const next = cur[part]
    if (next === null || typeof next !== 'object') cur[part] = {}
    cur = cur[part] as Record<string, unknown>
  }
  const last = parts.at(-1)!
  if (value === undefined) delete cur[last]
  else cur[last] = value
}
