import type {ServiceContext} from '../context/service-context.js'
import {NotFound} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {t} from './messages/index.js'
import {oldPcsWithMemberAndSite} from './pcs.js'
import {PIPELINE, type PipelineState} from './states.js'

export interface StatusOptions {
  member?: string
  /** A PC in a non-final state for longer than this is "stuck" (default 14). */
  stuckDays?: number
}

export type StateCounts = Partial<Record<PipelineState, number>> & {total: number}

export interface StatusResult {
  total: StateCounts
  members: ({member: string; name: string} & StateCounts)[]
  /** per site (with --member) */
  sites: ({site: string; name: string} & StateCounts)[]
  stuck: {serial: string; member: string; state: PipelineState; since: string; days: number}[]
  stuckDays: number
}

/** The pipeline's counts per state, per member (and per site for one member), and the PCs stuck in a state. */
export async function pipelineStatus(ctx: ServiceContext, opts: StatusOptions = {}): Promise<StatusResult> {
  const db = ctx.store.db
  const stuckDays = opts.stuckDays ?? 14
  if (opts.member && !(await db.selectFrom('win7_members').select('code').where('code', '=', opts.member).executeTakeFirst())) {
    throw new NotFound(t('member.unknown', {member: opts.member}), {actions: [t('act.statusMembers')]})
  }
  const pcs = await oldPcsWithMemberAndSite(db, {member: opts.member})
  const empty = (): StateCounts => ({total: 0})
  const total = empty()
  const members = new Map<string, {member: string; name: string} & StateCounts>()
  const sites = new Map<string, {site: string; name: string} & StateCounts>()
  const now = Date.parse(nowIso())
  const stuck: StatusResult['stuck'] = []
  for (const p of pcs) {
    const st = p.state as PipelineState
    const bump = (c: StateCounts) => {
      c[st] = (c[st] ?? 0) + 1
      c.total++
    }
    bump(total)
    let m = members.get(p.member_code)
    if (!m) members.set(p.member_code, (m = {member: p.member_code, name: p.memberName, ...empty()}))
    bump(m)
    if (opts.member) {
      const key = p.site_id ?? '-'
      let s = sites.get(key)
      if (!s) sites.set(key, (s = {site: key, name: p.siteName ?? t('noSite'), ...empty()}))
      bump(s)
    }
    const days = Math.floor((now - Date.parse(p.state_since)) / 86_400_000)
    if (PIPELINE.next(st).length > 0 && days > stuckDays)
      stuck.push({serial: p.serial, member: p.member_code, state: st, since: p.state_since, days})
  }
  stuck.sort((a, b) => b.days - a.days)
  return {total, members: [...members.values()], sites: [...sites.values()], stuck, stuckDays}
}
