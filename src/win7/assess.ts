import {audit, type ServiceContext} from '../context/service-context.js'
import {NotFound} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {moveTo, type PipelineState} from './states.js'
import {assessPc, loadCpuList, type Requirement, type Verdict} from './readiness.js'
import {t} from './messages/index.js'

export interface AssessOptions {
  member?: string
}

export interface AssessedPc {
  serial: string
  member: string
  verdict: Verdict
  state: PipelineState
  reasons: {requirement: Requirement; status: 'fail' | 'unknown'; reason: string; code: string; params: Record<string, string | number>}[]
}

export interface MemberSummary {
  member: string
  total: number
  upgrade_in_place: number
  replace: number
  unknown: number
  /** how many PCs fail / are unknown on each requirement */
  fail: Partial<Record<Requirement, number>>
  unknownFacts: Partial<Record<Requirement, number>>
}

export interface AssessResult {
  assessed: number
  /** PCs past the assessment (ordered or later): their verdict is kept */
  frozen: number
  pcs: AssessedPc[]
  members: MemberSummary[]
}

const ASSESSABLE: PipelineState[] = ['inventoried', 'assessed', 'upgrade_in_place', 'to_replace']
const STATE_OF: Record<Verdict, PipelineState> = {upgrade_in_place: 'upgrade_in_place', replace: 'to_replace', unknown: 'assessed'}

/** Verdict per old PC against Windows 11's requirements, every reason kept; summary per member. */
export async function assessFleet(ctx: ServiceContext, opts: AssessOptions = {}): Promise<AssessResult> {
  const list = loadCpuList(ctx.templatesDir)
  if (opts.member) {
    const m = await ctx.store.db.selectFrom('win7_members').select('code').where('code', '=', opts.member).executeTakeFirst()
    if (!m) throw new NotFound(t('member.unknown', {member: opts.member}), {actions: [t('act.statusMembers')]})
  }
  return ctx.store.transaction(async (trx) => {
    let q = trx.selectFrom('win7_pcs').selectAll().where('role', '=', 'old').orderBy('member_code').orderBy('serial')
    if (opts.member) q = q.where('member_code', '=', opts.member)
    const all = await q.execute()
    const pcs: AssessedPc[] = []
    const summaries = new Map<string, MemberSummary>()
    let frozen = 0
    const now = nowIso()
    for (const pc of all) {
      if (!ASSESSABLE.includes(pc.state as PipelineState)) {
        frozen++
        continue
      }
      const v = assessPc(pc, list)
      const state = STATE_OF[v.verdict]
      await moveTo(trx, pc.serial, state)
      // Stored as codes and parameters: shown later in the reader's language (readiness.ts reasonText).
      await trx
        .updateTable('win7_pcs')
        .set({verdict: v.verdict, verdict_reasons: JSON.stringify(v.checks.map(({reason: _reason, ...c}) => c)), updated_at: now})
        .where('serial', '=', pc.serial)
        .execute()
      const reasons = v.reasons.map((r) => ({
        requirement: r.requirement,
        status: r.status as 'fail' | 'unknown',
        reason: r.reason,
        code: r.code,
        params: r.params,
      }))
      pcs.push({serial: pc.serial, member: pc.member_code, verdict: v.verdict, state, reasons})
      let s = summaries.get(pc.member_code)
      if (!s)
        summaries.set(
          pc.member_code,
          (s = {member: pc.member_code, total: 0, upgrade_in_place: 0, replace: 0, unknown: 0, fail: {}, unknownFacts: {}}),
        )
      s.total++
      s[v.verdict]++
      for (const r of v.reasons) {
        const bucket = r.status === 'fail' ? s.fail : s.unknownFacts
        bucket[r.requirement] = (bucket[r.requirement] ?? 0) + 1
      }
    }
    const members = [...summaries.values()]
    const count = (v: Verdict) => pcs.filter((p) => p.verdict === v).length
    await audit(ctx, trx, {
      entity: 'win7_pc',
      entityId: opts.member ?? null,
      action: 'assess',
      summary: {code: 'win7Assessed', params: {n: pcs.length}},
      data: {
        assessed: pcs.length,
        frozen,
        upgrade_in_place: count('upgrade_in_place'),
        replace: count('replace'),
        unknown: count('unknown'),
        members: members.length,
      },
    })
    ctx.out.info(
      t('assess.done', {total: pcs.length, upgrade: count('upgrade_in_place'), replace: count('replace'), unknown: count('unknown')}),
    )
    return {assessed: pcs.length, frozen, pcs, members}
  })
}
