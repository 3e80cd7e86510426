import {readFileSync} from 'node:fs'
import {ensureDir, pathPartProblem, safeJoin, UnsafePathError, writeFileAtomic} from '../core/fs.js'
import {join} from 'node:path'
import type {Kysely} from 'kysely'
import {audit, type ServiceContext} from '../context/service-context.js'
import {NotFound, RuleViolation, UsageError} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {powershellQuote, renderTemplate} from '../core/templates.js'
import type {Database} from '../store/schema.js'
import {t} from './messages/index.js'
import {assertTransition, moveTo} from './states.js'
import {computerName, memberProfile, WINGET_ID, type MemberProfile} from './profile.js'
import {slug} from './model.js'
import type {Win7PcsTable} from './tables.js'

/** One staging step: a stable id (resume key), a title, and its PowerShell body. */
export interface StagingStep {
  id: string
  title: string
  powershell: string
}

export interface StagingPackage {
  serial: string
  replaces: string
  member: string
  computerName: string
  dir: string
  files: {autounattend: string; script: string; scanstate: string}
  /** Files holding the join password: delete them once the PC is installed. */
  deleteAfterUse: string[]
  software: string[]
  usmt: {scanstate: string[]; loadstate: string[]}
  steps: {id: string; title: string}[]
}

export interface StageOptions {
  serial: string
  /** Output folder (default ./staging/<serial>). */
  outDir?: string
  /** File holding the join account's password; else env ALPI_JOIN_PASSWORD. */
  joinPasswordFile?: string
  env?: NodeJS.ProcessEnv
  /** Leave the state as is (the --execute path moves to "staged" once every step is ok). */
  keepState?: boolean
}

const SAFE_LOGIN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
const SAFE_UNC = /^[^"'`;&|<>\r\n%]+$/

/** The password never leaves this function's result: not logged, not audited, not in errors. */
export function readJoinPassword(file: string | undefined, env: NodeJS.ProcessEnv): string {
  let pw: string | undefined
  if (file) {
    try {
      pw = readFileSync(file, 'utf8').replace(/\r?\n$/, '')
    } catch (error) {
      throw new UsageError(t('passwordUnreadable', {file, code: (error as NodeJS.ErrnoException).code ?? '-'}), {
        actions: [t('passwordUnreadableAction')],
      })
    }
  } else pw = env.ALPI_JOIN_PASSWORD
  if (!pw) {
    throw new UsageError(t('noPassword'), {actions: [t('noPasswordAction')]})
  }
  if (/[\r\n]/.test(pw)) throw new UsageError(t('passwordOneLine'), {actions: [t('passwordOneLineAction')]})
  return pw
}

/** USMT command lines (ScanState on the old PC, LoadState on the new one), as argv. */
export function usmtCommands(
  p: MemberProfile,
  old: Pick<Win7PcsTable, 'serial' | 'user_login'>,
): {scanstate: string[]; loadstate: string[]} {
  // the serial names the PC's folder in the USMT store: one plain name, never a way out of it
  const unsafe = pathPartProblem(old.serial)
  if (unsafe)
    throw new UnsafePathError(t('serialNotFolder', {serial: JSON.stringify(old.serial.slice(0, 80)), detail: unsafe}), {
      serial: old.serial.slice(0, 80),
    })
  const store = `${p.usmtStore.replace(/\\+$/, '')}\\${old.serial}`
  if (!SAFE_UNC.test(store) || !SAFE_UNC.test(p.usmtDir)) throw new UsageError(t('usmtChars', {store}))
  const users = old.user_login ? (SAFE_LOGIN.test(old.user_login) ? ['/ue:*', `/ui:${p.domain}\\${old.user_login}`] : null) : []
  if (users === null) throw new RuleViolation('WIN7_USER_LOGIN', t('userLogin', {serial: old.serial}), {actions: [t('userLoginAction')]})
  const common = ['/i:MigApp.xml', '/i:MigDocs.xml', ...users, '/c', '/v:5']
  return {
    scanstate: [`${p.usmtDir}\\scanstate.exe`, store, ...common, '/o', `/l:${store}\\scanstate.log`],
    loadstate: [`${p.usmtDir}\\loadstate.exe`, store, ...common, `/l:${store}\\loadstate.log`],
  }
}

/** The staging steps of a new PC, in order (ids are the resume keys of --execute). */
export function stagingSteps(p: MemberProfile, usmt: {loadstate: string[]}): StagingStep[] {
  const steps: StagingStep[] = [
    {
      id: 'check-os',
      title: 'Windows 10 1809 or later (winget, OpenSSH)',
      powershell:
        "  $b = [Environment]::OSVersion.Version.Build\n  if ($b -lt 17763) { throw ('Windows 10 1809 or later required, build ' + $b) }",
    },
  ]
  for (const id of p.software) {
    if (!WINGET_ID.test(id))
      throw new UsageError(t('notWinget', {id}), {
        actions: [`alpi win7 member set ${p.code} --software ID,ID (ids as in \`winget search\`)`],
      })
    steps.push({
      id: `winget-${slug(id)}`,
      title: `winget install ${id}`,
      powershell: `  winget install --id ${powershellQuote(id)} -e --silent --accept-package-agreements --accept-source-agreements --scope machine --source winget\n  if ($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne -1978335189) { throw ('winget exit code ' + $LASTEXITCODE) }`,
    })
  }
  const [exe, ...args] = usmt.loadstate
  steps.push({
    id: 'usmt-loadstate',
    title: "USMT LoadState: the user's data from the old PC (applications first)",
    powershell: `  & ${powershellQuote(exe)} ${args.map(powershellQuote).join(' ')}\n  if ($LASTEXITCODE -ne 0) { throw ('loadstate exit code ' + $LASTEXITCODE) }`,
  })
  steps.push({
    id: 'remove-answer-file',
    title: 'Remove the cached answer files (they hold the join password)',
    powershell:
      "  Remove-Item -Force -ErrorAction SilentlyContinue -Path 'C:\\Windows\\Panther\\unattend.xml', 'C:\\Windows\\Panther\\Unattend\\unattend.xml', 'C:\\Windows\\System32\\Sysprep\\unattend.xml'",
  })
  return steps
}

function cmdLine(argv: string[]): string {
  return argv.map((a) => (/[\s"]/.test(a) ? `"${a}"` : a)).join(' ')
}

/** The new PC, its old PC and its member, for staging. */
export async function loadStagingSubject(db: Kysely<Database>, serial: string) {
  const pc = await db.selectFrom('win7_pcs').selectAll().where('serial', '=', serial.toUpperCase()).executeTakeFirst()
  if (!pc) throw new NotFound(t('pc.unknown', {serial}), {actions: ['alpi win7 receive NEW_SERIAL --replaces OLD_SERIAL']})
  if (pc.role !== 'new' || !pc.replaces) {
    throw new RuleViolation('WIN7_NOT_A_REPLACEMENT', t('notReplacement', {serial: pc.serial}), {
      actions: [`alpi win7 receive NEW_SERIAL --replaces ${pc.serial}`],
    })
  }
  const old = await db.selectFrom('win7_pcs').selectAll().where('serial', '=', pc.replaces).executeTakeFirstOrThrow()
  const member = await db.selectFrom('win7_members').selectAll().where('code', '=', old.member_code).executeTakeFirstOrThrow()
  return {pc, old, member}
}

/**
 * Render a new PC's staging package: autounattend.xml (fr-FR, Romance Standard Time, the
 * member's computer name, domain join with the dedicated account; 0600, to delete after
 * use), stage.ps1 (winget software, USMT LoadState, clean-up) and scanstate.cmd for the old
 * PC. The join password goes into the answer file only: never into logs, audit or output.
 */
export async function renderStaging(ctx: ServiceContext, opts: StageOptions): Promise<StagingPackage> {
  const {pc, old, member} = await loadStagingSubject(ctx.store.db, opts.serial)
  assertTransition(old.serial, old.state, 'staged')
  const profile = memberProfile(ctx.config, member)
  const site = old.site_id
    ? await ctx.store.db.selectFrom('win7_sites').select('name').where('id', '=', old.site_id).executeTakeFirst()
    : undefined
  const name = computerName(profile.namingRule, {code: member.code, site: site?.name ?? null, serial: pc.serial})
  const joinPassword = readJoinPassword(opts.joinPasswordFile, opts.env ?? process.env)
  const usmt = usmtCommands(profile, old)
  const steps = stagingSteps(profile, usmt)

  // the serial comes from the data: it must stay one folder under ./staging
  const dir = ensureDir(opts.outDir ?? safeJoin('staging', pc.serial), {private: true})
  const files = {autounattend: join(dir, 'autounattend.xml'), script: join(dir, 'stage.ps1'), scanstate: join(dir, 'scanstate.cmd')}
  const xml = renderTemplate(ctx.templatesDir, 'win7/autounattend.xml.eta', {
    locale: 'fr-FR',
    inputLocale: '040c:0000040c',
    timeZone: 'Romance Standard Time',
    computerName: name,
    organisation: member.name,
    domain: profile.domain,
    ou: profile.ou,
    joinAccount: profile.joinAccount,
    joinPassword,
  })
  writeFileAtomic(files.autounattend, xml, {mode: 0o600})
  writeFileAtomic(files.script, renderTemplate(ctx.templatesDir, 'win7/stage.ps1.eta', {serial: pc.serial, steps}), {mode: 0o644})
  writeFileAtomic(
    files.scanstate,
    `@echo off\r\nrem ScanState on the OLD PC ${old.serial}, elevated, before it leaves the site.\r\n${cmdLine(usmt.scanstate)}\r\n`,
    {mode: 0o644},
  )

  await ctx.store.transaction(async (trx) => {
    await trx
      .insertInto('win7_stagings')
      .values({
        serial: pc.serial,
        dir,
        files: JSON.stringify(files),
        delete_after_use: JSON.stringify([files.autounattend]),
        rendered_at: nowIso(),
      })
      .onConflict((oc) =>
        oc
          .column('serial')
          .doUpdateSet({dir, files: JSON.stringify(files), delete_after_use: JSON.stringify([files.autounattend]), rendered_at: nowIso()}),
      )
      .execute()
    if (!opts.keepState) await moveTo(trx, old.serial, 'staged')
    await audit(ctx, trx, {
      entity: 'win7_pc',
      entityId: pc.serial,
      action: 'stage-render',
      summary: {code: 'win7StagingRendered', params: {serial: pc.serial, old: old.serial}},
      data: {replaces: old.serial, files: 3, steps: steps.length, software: profile.software.length},
    })
  })
  ctx.out.warn(t('stage.deleteAfterUse', {path: files.autounattend}))
  return {
    serial: pc.serial,
    replaces: old.serial,
    member: member.code,
    computerName: name,
    dir,
    files,
    deleteAfterUse: [files.autounattend],
    software: profile.software,
    usmt,
    steps: steps.map((s) => ({id: s.id, title: s.title})),
  }
}
