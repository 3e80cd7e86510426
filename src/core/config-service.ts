import {z} from 'zod'
import {redactUrl} from '../store/db.js'
import {ConfigSchema, configPath, dataDir, getPath, loadConfig, saveConfig, setPath, type AlpiConfig} from './config.js'
import {UsageError} from './errors.js'
import {coreMessages} from './messages/index.js'

const c = coreMessages.core

/** The campaign sections of the config file and the schemas that read each (given by the caller: core knows no campaign). */
export type SectionSchemas = Partial<Record<'laptops' | 'firewalls' | 'cityfamily' | 'win7', z.ZodType[]>>

/** Parse a CLI value: JSON when it parses (numbers, booleans, objects), else the string. */
function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw)
  } catch {
    return raw
  }
}

export function getConfigValue(key?: string): {path: string; key: string | null; value: unknown} {
  const config = loadConfig()
  return {path: configPath(), key: key ?? null, value: key ? getPath(config, key) : config}
}

export function setConfigValue(
  key: string,
  raw: string | undefined,
  sections: SectionSchemas = {},
): {path: string; key: string; value: unknown} {
  const config = structuredClone(loadConfig()) as Record<string, unknown>
  const value = raw === undefined ? undefined : parseValue(raw)
  setPath(config, key, value)
  const parsed = ConfigSchema.safeParse(config)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UsageError(c.m('configCannotSet', {key, detail: issue?.message ?? '', at: issue?.path.join('.') ?? ''}), {
      actions: [c.m('configKnownKeys')],
    })
  }
  const [section, ...rest] = key.split('.') as [keyof SectionSchemas, ...string[]]
  const schemas = sections[section]
  if (schemas && rest.length > 0) checkSection(key, rest, config[section] ?? {}, schemas, value === undefined)
  const path = saveConfig(parsed.data as AlpiConfig)
  return {path, key, value}
}

/**
 * A key of a campaign section must be one a schema of that section reads, and the section
 * with the new value must pass every schema: `laptops.grading.batteryMinHealthPct 150` is refused
 * with its range, `laptops.grading.batteryMinHealth` with the keys that exist.
 */
function checkSection(key: string, path: string[], section: unknown, schemas: z.ZodType[], unset: boolean): void {
  if (!unset && !schemas.some((schema) => knowsPath(schema, path))) {
    const known = [...new Set(schemas.flatMap((schema) => keysAt(schema, path.slice(0, -1))))].sort()
    throw new UsageError(c.m('configNoSuchSetting', {key}), {
      actions: [
        known.length > 0
          ? c.m('configSettingsThere', {list: known.map((k) => [key.split('.')[0], ...path.slice(0, -1), k].join('.')).join(', ')})
          : c.m('configSeeHelp'),
      ],
    })
  }
  for (const schema of schemas) {
    const result = schema.safeParse(section)
    if (result.success) continue
    const issue = result.error.issues[0]!
    throw new UsageError(
      c.m('configBadValue', {key, detail: issue.message, at: issue.path.length > 0 ? c('configAt', {path: issue.path.join('.')}) : ''}),
      {actions: [range(schema, issue) ?? expected(issue) ?? c.m('configSeeHelp')]},
    )
  }
}

/** A number's whole accepted range ("from 0 to 100"), read from the schema at the issue's path. */
function range(schema: z.ZodType, issue: z.core.$ZodIssue): string | undefined {
  let s = unwrap(schema)
  for (const part of issue.path) {
    if (!(s instanceof z.ZodObject)) return undefined
    const next = (s.shape as Record<string, z.ZodType>)[String(part)]
    if (!next) return undefined
    s = unwrap(next)
  }
  if (!(s instanceof z.ZodNumber)) return undefined
  const {minValue, maxValue} = s
  if (
    minValue === null ||
    maxValue === null ||
    !Number.isFinite(minValue) ||
    !Number.isFinite(maxValue) ||
    Math.abs(maxValue) >= Number.MAX_SAFE_INTEGER
  )
    return undefined
  return c('configRange', {min: minValue, max: maxValue})
}

/** The accepted range or values, from the schema's own bounds. */
function expected(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    const {minimum, maximum} = issue as {minimum?: number | bigint; maximum?: number | bigint}
    return issue.code === 'too_big' ? c('configAtMost', {max: String(maximum)}) : c('configAtLeast', {min: String(minimum)})
  }
  if (issue.code === 'invalid_value') return c('configOneOf', {list: (issue as {values: unknown[]}).values.map(String).join(', ')})
  if (issue.code === 'invalid_type') return c('configType', {type: issue.expected})
  return undefined
}

/** The object schema under wrappers (optional, default, prefault, nullable, pipe). */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema as z.ZodType & {unwrap?: () => z.ZodType; def?: {innerType?: z.ZodType; in?: z.ZodType}}
  for (let i = 0; i < 10; i++) {
    const inner = s.def?.innerType ?? s.def?.in
    if (!inner) break
    s = inner as typeof s
  }
  return s
}

function keysAt(schema: z.ZodType, path: string[]): string[] {
  let s = unwrap(schema)
  for (const part of path) {
    if (!(s instanceof z.ZodObject)) return []
    const next = (s.shape as Record<string, z.ZodType>)[part]
    if (!next) return []
    s = unwrap(next)
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : []
}

function knowsPath(schema: z.ZodType, path: string[]): boolean {
  let s = unwrap(schema)
  for (const part of path) {
    if (s instanceof z.ZodRecord || s instanceof z.ZodAny || s instanceof z.ZodUnknown) return true
    if (!(s instanceof z.ZodObject)) return false
    const next = (s.shape as Record<string, z.ZodType>)[part]
    if (!next) return false
    s = unwrap(next)
  }
  return true
}

/** `config path`: where the config file, the data folder and the store are (the store URL without its password). */
export function configPaths(dbUrl: string): {config: string; dataDir: string; db: string} {
  return {config: configPath(), dataDir: dataDir(), db: redactUrl(dbUrl)}
}
