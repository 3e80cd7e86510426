import {formatTable} from '../cli/table.js'
import {language} from '../core/i18n.js'
import type {AssessResult} from './assess.js'
import type {ExecuteStagingResult} from './execute.js'
import type {OrderResult} from './order.js'
import type {ScheduleResult} from './schedule.js'
import {stateText, STATES} from './states.js'
import type {StatusResult} from './status.js'
import {reasonText, t} from './messages/index.js'

/** Human views of win7 results (stdout). */
export function assessView(r: AssessResult, detail: boolean): string {
  const lines = [
    formatTable(
      r.members.map((m) => ({...m, fail: fmt(m.fail), unknownFacts: fmt(m.unknownFacts)})),
      [
        {key: 'member', header: t('h.member')},
        {key: 'total', header: t('h.pcs')},
        {key: 'upgrade_in_place', header: t('h.upgrade')},
        {key: 'replace', header: t('h.replace')},
        {key: 'unknown', header: t('h.unknown')},
        {key: 'fail', header: t('h.failing')},
        {key: 'unknownFacts', header: t('h.missingFacts')},
      ],
    ),
  ]
  if (detail) {
    lines.push(
      '',
      formatTable(
        r.pcs.map((p) => ({
          ...p,
          verdict: t(`verdict.${p.verdict}`),
          reasons: p.reasons.map((x) => `${x.status === 'fail' ? '✗' : '?'} ${reasonText(x)}`).join('; '),
        })),
        [
          {key: 'serial', header: t('h.serial')},
          {key: 'member', header: t('h.member')},
          {key: 'verdict', header: t('h.verdict')},
          {key: 'reasons', header: t('h.reasons')},
        ],
      ),
    )
  }
  if (r.frozen > 0) lines.push(t('frozen', {count: r.frozen}))
  return lines.join('\n')
}

function fmt(counts: Record<string, number | undefined>): string {
  return Object.entries(counts)
    .map(([k, v]) => `${k}:${v}`)
    .join(' ')
}

export function orderView(r: OrderResult): string {
  const table = formatTable(
    r.lines.map((l) => ({...l, price: money(l.unitPriceCents), substitutes: l.substitutes ? `${l.substitutes} (${l.policyRule})` : ''})),
    [
      {key: 'line', header: '#'},
      {key: 'pcSerial', header: t('h.replaces')},
      {key: 'reference', header: t('h.reference')},
      {key: 'category', header: t('h.category')},
      {key: 'price', header: t('h.price')},
      {key: 'substitutes', header: t('h.insteadOf')},
    ],
  )
  return `${table}\n${t('out.order', {lines: r.lines.length, total: money(r.totalCents)})} ${r.csv ? `→ ${r.csv}` : t('out.orderDry')}`
}

/** 1234.50 in English, 1234,50 in French. */
function money(cents: number): string {
  const s = (cents / 100).toFixed(2)
  return language() === 'fr' ? s.replace('.', ',') : s
}

export function executedView(r: ExecuteStagingResult): string {
  const width = Math.max(...r.steps.map((s) => t(`step.${s.status}`).length), 7)
  return `${r.steps.map((s) => `${t(`step.${s.status}`).padEnd(width)} ${s.step}`).join('\n')}\n${t('out.executed', {serial: r.serial, state: t(r.staged ? 'out.staged' : 'out.notStaged')})}`
}

/** `win7 schedule`: the visits, then the counts and the files written. */
export function scheduleView(r: ScheduleResult): string {
  const table = formatTable(
    r.visits.map((v) => ({...v, count: v.serials.length, serials: v.serials.join(' ')})),
    [
      {key: 'day', header: t('h.day')},
      {key: 'member', header: t('h.member')},
      {key: 'commune', header: t('h.commune')},
      {key: 'count', header: t('h.pcs')},
      {key: 'serials', header: t('h.serials')},
    ],
  )
  return `${table}\n${t('out.scheduled', {visits: r.visits.length, pcs: r.pcs, last: r.lastDay ?? '-'})}\n${r.ics}\n${r.csv}`
}

/** `win7 status`: PCs per state and member (per site with `bySite`, the --member flag), then the stuck PCs. */
export function pipelineStatusView(r: StatusResult, bySite: boolean): string {
  const used = STATES.filter((s) => (r.total[s] ?? 0) > 0)
  const cols = used.map((s) => ({key: s, header: stateText(s).toUpperCase()}))
  const out = [
    formatTable([...r.members, {member: t('h.total'), ...r.total}] as Record<string, unknown>[], [
      {key: 'member', header: t('h.member')},
      ...cols,
      {key: 'total', header: t('h.total')},
    ]),
  ]
  if (bySite)
    out.push(
      '\n' +
        formatTable(r.sites as unknown as Record<string, unknown>[], [
          {key: 'name', header: t('h.site')},
          ...cols,
          {key: 'total', header: t('h.total')},
        ]),
    )
  out.push(
    r.stuck.length === 0
      ? `\n${t('out.noStuck', {days: r.stuckDays})}`
      : '\n' +
          formatTable(
            r.stuck.map((p) => ({...p, state: stateText(p.state)})),
            [
              {key: 'serial', header: t('h.stuckPc')},
              {key: 'member', header: t('h.member')},
              {key: 'state', header: t('h.state')},
              {key: 'days', header: t('h.days')},
            ],
          ),
  )
  return out.join('\n')
}
