import {accessSync, constants, existsSync} from 'node:fs'
import {dirname} from 'node:path'
import {createRequire} from 'node:module'
import {configPath, loadConfig} from '../core/config.js'
import {coreMessages} from '../core/messages/index.js'
import {language} from '../core/i18n.js'
import {AlpiError, EXIT} from '../core/errors.js'

/**
 * `alpi doctor`: can this machine do the work? The runtime (and the embedded store's native
 * module under it), the store, every external tool each campaign calls with its version and
 * the Debian package that provides it, the config, the clock and the locale. One report, so
 * that a workshop PC gets everything it lacks installed at once, not one refusal at a time.
 */

export type Campaign = 'laptops' | 'firewalls' | 'cityfamily' | 'win7' | 'store'

export interface ToolSpec {
  tool: string
  /** Debian package that provides it. */
  pkg: string
  campaigns: Campaign[]
  /** What alpi uses it for (English, for --json and the catalogs' key). */
  use: ToolUse
  versionArgs: string[]
  /** Needed only in some setups (a PostgreSQL store): missing is a warning, not a failure. */
  optional?: boolean
}

type ToolUse = 'diagnosis' | 'disks' | 'purge' | 'imaging' | 'multicast' | 'dnsCheck' | 'pgBackup' | 'listsArchive'

/** Every local tool alpi runs (src/ calls them through src/tools/exec.ts). */
export const TOOLS: ToolSpec[] = [
  {tool: 'lsblk', pkg: 'util-linux', campaigns: ['laptops'], use: 'disks', versionArgs: ['--version']},
  {tool: 'blockdev', pkg: 'util-linux', campaigns: ['laptops'], use: 'disks', versionArgs: ['--version']},
  {tool: 'smartctl', pkg: 'smartmontools', campaigns: ['laptops'], use: 'diagnosis', versionArgs: ['--version']},
  {tool: 'dmidecode', pkg: 'dmidecode', campaigns: ['laptops'], use: 'diagnosis', versionArgs: ['--version']},
  {tool: 'nvme', pkg: 'nvme-cli', campaigns: ['laptops'], use: 'purge', versionArgs: ['version']},
  {tool: 'hdparm', pkg: 'hdparm', campaigns: ['laptops'], use: 'purge', versionArgs: ['-V']},
  {tool: 'zstd', pkg: 'zstd', campaigns: ['laptops'], use: 'imaging', versionArgs: ['--version']},
  // udpcast has no version flag: --license prints its release date (e.g. "Udpcast 20120424").
  {tool: 'udp-sender', pkg: 'udpcast', campaigns: ['laptops'], use: 'multicast', versionArgs: ['--license']},
  {tool: 'udp-receiver', pkg: 'udpcast', campaigns: ['laptops'], use: 'multicast', versionArgs: ['--license']},
  {tool: 'dig', pkg: 'dnsutils', campaigns: ['firewalls'], use: 'dnsCheck', versionArgs: ['-v']},
  {tool: 'tar', pkg: 'tar', campaigns: ['firewalls'], use: 'listsArchive', versionArgs: ['--version']},
  {tool: 'pg_dump', pkg: 'postgresql-client', campaigns: ['store'], use: 'pgBackup', versionArgs: ['--version'], optional: true},
]

export type CheckStatus = 'ok' | 'warning' | 'missing' | 'failed'

export interface DoctorCheck {
  /** runtime, store, config, clock, locale, or tool:NAME */
  check: string
  status: CheckStatus
  /** A version, a path, a value: what was found. */
  detail: string
  /** The Debian package to install, for a missing tool. */
  pkg?: string
  campaigns?: Campaign[]
}

export interface DoctorReport {
  checks: DoctorCheck[]
  /** Debian packages that would make every needed tool available, one apt-get line. */
  install: string[]
  ok: boolean
}

export const t = coreMessages.doctor

export interface DoctorOptions {
  dbUrl: string
  /** Only the tools of these campaigns (default: all). */
  campaigns?: Campaign[]
  env?: NodeJS.ProcessEnv
  now?: Date
}

/** The error of a machine not ready (exit 1): how many needed checks failed, and the one apt-get line that fixes what is missing. */
export function notReady(report: DoctorReport): AlpiError {
  const failed = report.checks.filter((c) => c.status === 'missing' || c.status === 'failed').length
  const actions = [
    ...(report.install.length > 0 ? [t('installAll', {pkgs: report.install.join(' ')})] : []),
    ...(report.checks.some((c) => c.status === 'failed') ? [t('fixListed')] : []),
  ]
  return new AlpiError('NOT_READY', t(failed === 1 ? 'notReadyOne' : 'notReadyMany', {n: failed}), EXIT.failure, {actions, data: report})
}

export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  const env = opts.env ?? process.env
  const checks: DoctorCheck[] = [
    checkRuntime(),
    await checkStore(opts.dbUrl),
    checkConfig(env),
    checkClock(opts.now ?? new Date()),
    checkLocale(env),
  ]
  const wanted = TOOLS.filter((s) => !opts.campaigns || s.campaigns.some((c) => opts.campaigns!.includes(c)))
  checks.push(...(await Promise.all(wanted.map((s) => checkTool(s, env)))))
  const install = [...new Set(checks.filter((c) => c.status === 'missing' && c.pkg).map((c) => c.pkg!))].sort()
  const ok = checks.every((c) => c.status === 'ok' || c.status === 'warning')
  return {checks, install, ok}
}

function checkRuntime(): DoctorCheck {
  const version = process.version
  const major = Number(process.versions.node.split('.')[0])
  try {
    // The native module must have been built for this runtime's ABI (the offline bundle ships it so).
    const BetterSqlite3 = createRequire(import.meta.url)('better-sqlite3') as new (p: string) => {close(): void}
    new BetterSqlite3(':memory:').close()
  } catch (error) {
    return {check: 'runtime', status: 'failed', detail: t('runtimeDriver', {version, error: firstLine((error as Error).message)})}
  }
  if (![20, 22, 24].includes(major)) return {check: 'runtime', status: 'warning', detail: t('runtimeUnsupported', {version})}
  return {check: 'runtime', status: 'ok', detail: t('runtimeOk', {version, platform: process.platform, arch: process.arch})}
}

async function checkStore(url: string): Promise<DoctorCheck> {
  const {isPostgresUrl, openStore, readSchemaState, redactUrl} = await import('../store/db.js')
  const location = isPostgresUrl(url) ? redactUrl(url) : url
  if (!isPostgresUrl(url) && !existsSync(url)) return {check: 'store', status: 'ok', detail: t('storeMissing', {location})}
  let store: Awaited<ReturnType<typeof openStore>> | undefined
  try {
    // Read-only, no schema check, no migration, no lock: doctor looks and never changes the store.
    store = await openStore({url, readOnly: true, checkSchema: false})
    const state = await readSchemaState(store)
    const known = state.pending.length + state.applied.length - state.unknown.length
    const applied = state.applied.length
    if (store.dialect === 'sqlite' && state.applied.length === 0 && (await hasOtherTables(store))) {
      return {check: 'store', status: 'failed', detail: t('storeForeign', {location})}
    }
    if (state.unknown.length > 0)
      return {check: 'store', status: 'failed', detail: t('storeNewer', {location, dialect: store.dialect, applied, known})}
    if (state.pending.length > 0)
      return {
        check: 'store',
        status: 'warning',
        detail: t('storePending', {location, dialect: store.dialect, applied, known, pending: state.pending.length}),
      }
    const access = store.dialect === 'sqlite' && !writable(url) ? t('readOnly') : t('writable')
    return {check: 'store', status: 'ok', detail: t('storeOk', {location, dialect: store.dialect, applied, known, access})}
  } catch (error) {
    return {check: 'store', status: 'failed', detail: t('storeFailed', {location, error: firstLine((error as Error).message)})}
  } finally {
    await store?.close()
  }
}

/** An SQLite file with tables but no alpi migrations: another program's database. */
async function hasOtherTables(store: {db: unknown}): Promise<boolean> {
  const {sql} = await import('../store/kysely.js')
  const r = await sql<{
    n: number
  }>`select count(*) as n from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'alpi_migrations%'`.execute(
    store.db as never,
  )
  return Number(r.rows[0]?.n ?? 0) > 0
}

function writable(file: string): boolean {
  try {
    accessSync(file, constants.W_OK)
    accessSync(dirname(file), constants.W_OK)
    return true
  } catch {
    return false
  }
}

function checkConfig(env: NodeJS.ProcessEnv): DoctorCheck {
  const path = configPath(env)
  try {
    loadConfig(env)
    return {check: 'config', status: 'ok', detail: existsSync(path) ? t('configOk', {path}) : t('configNone', {path})}
  } catch (error) {
    return {check: 'config', status: 'failed', detail: t('configBad', {error: firstLine((error as Error).message)})}
  }
}

function checkClock(now: Date): DoctorCheck {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const shown = now.toLocaleString(language() === 'fr' ? 'fr-FR' : 'en-GB')
  // A workshop PC with a flat CMOS battery boots in 2000 or so: every document would be misdated.
  const plausible = now.getUTCFullYear() >= 2025 && now.getUTCFullYear() < 2100
  return {
    check: 'clock',
    status: plausible ? 'ok' : 'failed',
    detail: plausible ? t('clockOk', {now: shown, zone}) : t('clockWrong', {now: shown, zone}),
  }
}

function checkLocale(env: NodeJS.ProcessEnv): DoctorCheck {
  return {check: 'locale', status: 'ok', detail: t('localeOk', {lang: language(), lang_env: env.LC_ALL || env.LANG || ''})}
}

async function checkTool(spec: ToolSpec, env: NodeJS.ProcessEnv): Promise<DoctorCheck> {
  const {runTool} = await import('./exec.js')
  const base = {check: `tool:${spec.tool}`, pkg: spec.pkg, campaigns: spec.campaigns}
  try {
    // Through the one wrapper for local tools; some print their version with a non-zero exit.
    const r = await runTool(spec.tool, spec.versionArgs, {allowFailure: true, timeoutMs: 5000, env, input: ''})
    return {...base, status: 'ok', detail: versionOf(`${r.stdout}\n${r.stderr}`) || t('foundNoVersion')}
  } catch (error) {
    const code = (error as {code?: string}).code
    // Not there, or not runnable: to install. Anything else (a timeout, a signal): it is there.
    if (code === 'TOOL_MISSING' || code === 'TOOL_START_FAILED')
      return {...base, status: spec.optional ? 'warning' : 'missing', detail: t('notFound')}
    return {...base, status: 'ok', detail: t('foundNoVersion')}
  }
}

/** The first line that names a version, trimmed to what a table can show. */
export function versionOf(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.replace(/^[\s*]+|[\s*]+$/g, ''))
    .filter(Boolean)
  const line = lines.find((l) => /\d+\.\d+|\b\d{8}\b/.test(l)) ?? ''
  return line.length > 70 ? `${line.slice(0, 67)}...` : line
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim()
}
