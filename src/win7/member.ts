import {audit, type ServiceContext} from '../context/service-context.js'
import {NotFound, UsageError} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {textProblem} from '../csv/fields.js'
import {t} from './messages/index.js'
import {ACCOUNT, computerName, DOMAIN, WINGET_ID} from './profile.js'

export interface MemberSettings {
  commune?: string
  namingRule?: string
  domain?: string
  ou?: string
  joinAccount?: string
  software?: string[]
  usmtStore?: string
}

/** Set a member's staging settings (the rest falls back to the "win7" config section). */
export async function setMember(ctx: ServiceContext, code: string, s: MemberSettings) {
  // Free values that reach the answer file and the planning: one line, bounded.
  for (const [flag, value, max] of [
    ['--commune', s.commune, 100],
    ['--ou', s.ou, 500],
    ['--usmt-store', s.usmtStore, 260],
    ['--naming-rule', s.namingRule, 100],
  ] as const) {
    const problem = value === undefined ? undefined : textProblem(value, {max})
    if (problem) throw new UsageError(t('flagProblem', {flag, problem}))
  }
  if (s.namingRule) computerName(s.namingRule, {code, site: 'SITE', serial: 'ABC123456'})
  for (const id of s.software ?? []) if (!WINGET_ID.test(id)) throw new UsageError(t('notWinget', {id}), {actions: [t('notWingetAction')]})
  if (s.domain && !DOMAIN.test(s.domain)) throw new UsageError(t('notDomain', {value: s.domain}))
  if (s.joinAccount && !ACCOUNT.test(s.joinAccount)) throw new UsageError(t('notAccount', {value: s.joinAccount}))
  return ctx.store.transaction(async (trx) => {
    const m = await trx.selectFrom('win7_members').selectAll().where('code', '=', code).executeTakeFirst()
    if (!m) throw new NotFound(t('member.unknown', {member: code}), {actions: [t('act.statusMembers')]})
    const patch = {
      ...(s.commune !== undefined && {commune: s.commune}),
      ...(s.namingRule !== undefined && {naming_rule: s.namingRule}),
      ...(s.domain !== undefined && {domain: s.domain}),
      ...(s.ou !== undefined && {ou: s.ou}),
      ...(s.joinAccount !== undefined && {join_account: s.joinAccount}),
      ...(s.software !== undefined && {software: JSON.stringify(s.software)}),
      ...(s.usmtStore !== undefined && {usmt_store: s.usmtStore}),
    }
    await trx
      .updateTable('win7_members')
      .set({...patch, updated_at: nowIso()})
      .where('code', '=', code)
      .execute()
    await audit(ctx, trx, {
      entity: 'win7_member',
      entityId: code,
      action: 'set',
      summary: {code: 'win7MemberSet', params: {member: code, n: Object.keys(patch).length, fields: Object.keys(patch).join(', ')}},
      data: {fields: Object.keys(patch)},
    })
    return {...m, ...patch}
  })
}
