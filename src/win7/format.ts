import {importSummaryLine, type ImportResult} from '../csv/index.js'
import {formatTable} from '../cli/table.js'
import type {AssessResult} from './assess.js'
import type {ExecuteStagingResult} from './execute.js'
import type {OrderResult} from './order.js'
import {t} from './messages.js'

/** Human views of win7 results (stdout). */
export function importSummary(r: ImportResult): string {
  return importSummaryLine(r)
}

export function assessView(r: AssessResult, detail: boolean): string {
  const lines = [
    formatTable(
      r.members.map((m) => ({...m, fail: fmt(m.fail), unknownFacts: fmt(m.unknownFacts)})),
      [
        {key: 'member', header: 'MEMBER'},
        {key: 'total', header: 'PCS'},
        {key: 'upgrade_in_place', header: 'UPGRADE'},
        {key: 'replace', header: 'REPLACE'},
        {key: 'unknown', header: 'UNKNOWN'},
        {key: 'fail', header: 'FAILING'},
        {key: 'unknownFacts', header: 'MISSING FACTS'},
      ],
    ),
  ]
  if (detail) {
    lines.push('', formatTable(r.pcs.map((p) => ({...p, reasons: p.reasons.map((x) => `${x.status === 'fail' ? '✗' : '?'} ${x.reason}`).join('; ')})), [
      {key: 'serial', header: 'SERIAL'},
      {key: 'member', header: 'MEMBER'},
      {key: 'verdict', header: 'VERDICT'},
      {key: 'reasons', header: 'REASONS'},
    ]))
  }
  if (r.frozen > 0) lines.push(`${r.frozen} PC(s) already ordered or further: verdict kept`)
  return lines.join('\n')
}

function fmt(counts: Record<string, number | undefined>): string {
  return Object.entries(counts).map(([k, v]) => `${k}:${v}`).join(' ')
}

export function orderView(r: OrderResult): string {
  const table = formatTable(r.lines.map((l) => ({...l, price: (l.unitPriceCents / 100).toFixed(2), substitutes: l.substitutes ? `${l.substitutes} (${l.policyRule})` : ''})), [
    {key: 'line', header: '#'},
    {key: 'pcSerial', header: 'REPLACES'},
    {key: 'reference', header: 'REFERENCE'},
    {key: 'category', header: 'CATEGORY'},
    {key: 'price', header: 'PRICE'},
    {key: 'substitutes', header: 'INSTEAD OF'},
  ])
  return `${table}\n${t('out.order', {lines: r.lines.length, total: (r.totalCents / 100).toFixed(2)})} ${r.csv ? `→ ${r.csv}` : t('out.orderDry')}`
}

export function executedView(r: ExecuteStagingResult): string {
  return `${r.steps.map((s) => `${s.status.padEnd(7)} ${s.step}`).join('\n')}\n${t('out.executed', {serial: r.serial, state: t(r.staged ? 'out.staged' : 'out.notStaged')})}`
}
