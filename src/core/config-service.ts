import {ConfigSchema, configPath, getPath, loadConfig, saveConfig, setPath, type AlpiConfig} from './config.js'
import {UsageError} from './errors.js'
import {coreMessages} from './messages/index.js'

const c = coreMessages.core

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

export function setConfigValue(key: string, raw: string | undefined): {path: string; key: string; value: unknown} {
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
  const path = saveConfig(parsed.data as AlpiConfig)
  return {path, key, value}
}
