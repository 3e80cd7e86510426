import {mkdirSync, readFileSync} from 'node:fs'
import {homedir, userInfo} from 'node:os'
import {dirname, join} from 'node:path'
import {z} from 'zod'
import {UsageError} from './errors.js'
import {writeFileAtomic} from './fs.js'
import {coreMessages} from './messages/index.js'

const c = coreMessages.core

/**
 * Technician settings, one JSON file at the XDG config path. Campaign sections are free
 * objects that each campaign validates with its own schema (defaults live in the campaign).
 */
export const ConfigSchema = z
  .object({
    technician: z.string().min(1).optional(),
    organisation: z.string().min(1).optional(),
    lang: z.enum(['fr', 'en']).optional(),
    db: z.string().min(1).optional(),
    laptops: z.record(z.string(), z.unknown()).optional(),
    firewalls: z.record(z.string(), z.unknown()).optional(),
    cityfamily: z.record(z.string(), z.unknown()).optional(),
    win7: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
export type AlpiConfig = z.infer<typeof ConfigSchema>

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

/** A campaign's section validated by the campaign's schema (which supplies defaults). */
export function configSection<T extends z.ZodTypeAny>(config: AlpiConfig, key: 'laptops' | 'firewalls' | 'cityfamily' | 'win7', schema: T): z.infer<T> {
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
