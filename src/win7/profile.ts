import {textProblem} from '../csv/fields.js'
import type {AlpiConfig} from '../core/config.js'
import {RuleViolation, UsageError} from '../core/errors.js'
import {win7Config} from './config.js'
import type {Win7MembersTable} from './tables.js'
import {t} from './messages/index.js'

/**
 * A member's staging profile: the member's own settings (win7 member set) over the
 * defaults of the "win7" config section. Domain join uses a dedicated account that can
 * only join computers (its password is stored in clear in the answer file).
 */
export interface MemberProfile {
  code: string
  name: string
  commune: string | null
  domain: string
  ou: string | null
  joinAccount: string
  namingRule: string
  usmtStore: string
  usmtDir: string
  software: string[]
}

/** What may go into command lines unquoted by cmd.exe (scanstate.cmd): checked, not escaped. */
export const DOMAIN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/
export const ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/
export const WINGET_ID = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/

export function memberProfile(config: AlpiConfig, m: Win7MembersTable): MemberProfile {
  const d = win7Config.read(config)
  const domain = m.domain ?? d.domain
  if (!domain) {
    throw new UsageError(t('noDomain', {member: m.code}), {
      actions: [`alpi win7 member set ${m.code} --domain DOMAIN`, t('noDomainAction')],
    })
  }
  const joinAccount = m.join_account ?? d.joinAccount
  if (!DOMAIN.test(domain))
    throw new UsageError(t('notDomainOf', {value: domain, member: m.code}), {actions: [`alpi win7 member set ${m.code} --domain DOMAIN`]})
  if (!ACCOUNT.test(joinAccount))
    throw new UsageError(t('notAccountOf', {value: joinAccount, member: m.code}), {
      actions: [`alpi win7 member set ${m.code} --join-account NAME`],
    })
  const software = m.software ? (JSON.parse(m.software) as string[]) : d.software
  // A value stored before values were checked must still not reach the answer file with a line break.
  for (const [flag, value, max] of [
    ['--ou', m.ou, 500],
    ['--usmt-store', m.usmt_store, 260],
  ] as const) {
    const problem = value ? textProblem(value, {max}) : undefined
    if (problem)
      throw new UsageError(t('memberValue', {flag, member: m.code, problem}), {actions: [`alpi win7 member set ${m.code} ${flag} VALUE`]})
  }
  return {
    code: m.code,
    name: m.name,
    commune: m.commune,
    domain,
    ou: m.ou ?? d.ou ?? null,
    joinAccount,
    namingRule: m.naming_rule ?? d.namingRule,
    usmtStore: m.usmt_store ?? d.usmtStore,
    usmtDir: d.usmtDir,
    software,
  }
}

function clean(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '')
}

/**
 * Computer name by the member's rule. Tokens: {code}, {code:N} (first N letters/digits of
 * the member code), {site:N}, {serial:N} (last N characters of the serial). Windows limits
 * NetBIOS names to 15 characters, letters, digits and dashes, not all digits.
 */
export function computerName(rule: string, v: {code: string; site?: string | null; serial: string}): string {
  const name = rule
    .replace(/\{(code|site|serial)(?::(\d+))?\}/g, (_m, token: string, n?: string) => {
      const value = clean(token === 'code' ? v.code : token === 'site' ? (v.site ?? '') : v.serial)
      if (!n) return value
      return token === 'serial' ? value.slice(-Number(n)) : value.slice(0, Number(n))
    })
    .toUpperCase()
    .replace(/[^A-Z0-9-]/g, '')
    .replace(/^-+|-+$/g, '')
  if (name.length === 0 || name.length > 15 || /^\d+$/.test(name)) {
    throw new RuleViolation('WIN7_COMPUTER_NAME', t('computerName', {rule, name}), {
      actions: [`alpi win7 member set ${v.code} --naming-rule "{code:6}-{serial:6}"`],
    })
  }
  return name
}
