import {dirname, resolve} from 'node:path'
import type {ServiceContext} from '../context/service-context.js'
import {ensureDir, writeFileAtomic} from '../core/fs.js'
import {FR, frDate, frTypographyHtml} from '../core/french.js'
import {nowIso} from '../core/ids.js'
import {escapeXml, renderTemplate} from '../core/templates.js'
import type {LaptopState} from './states.js'
import {laptopStatus, type LaptopStatus, type WeekThroughput} from './status.js'

/** French labels of the states, for documents. */
export const STATE_FR: Record<LaptopState, string> = {
  received: 'Reçus',
  diagnosed: 'Diagnostiqués',
  wiped: 'Effacés',
  imaged: 'Installés',
  ready: 'Prêts',
  allocated: 'Attribués',
  handed_over: 'Remis',
  on_hold: 'En attente de pièce',
  scrapped: 'Réformés',
  returned: 'Retournés',
  lost: 'Perdus ou volés',
}
const COLORS: Record<LaptopState, string> = {
  received: '#9aa5b1',
  diagnosed: '#5b8def',
  wiped: '#7b61ff',
  imaged: '#b05bef',
  ready: '#2bb673',
  allocated: '#f5a623',
  handed_over: '#0b7a3e',
  on_hold: '#e8833a',
  scrapped: '#d0021b',
  returned: '#8b572a',
  lost: '#4a4a4a',
}

/** Horizontal bars: one row per label, a dashed box for a maximum (red bar beyond it). Values and labels escaped; nothing else is user data. */
export function barChart(
  rows: {label: string; value: number; color?: string; max?: number}[],
  opts: {width?: number; unit?: string} = {},
): string {
  const width = opts.width ?? 640
  const labelW = 190
  const rowH = 26
  const max = Math.max(1, ...rows.map((r) => r.max ?? r.value))
  const h = rows.length * rowH + 10
  const bars = rows.map((r, i) => {
    const y = 5 + i * rowH
    const w = Math.round(((width - labelW - 70) * r.value) / max)
    const cap =
      r.max === undefined
        ? ''
        : `<rect x="${labelW}" y="${y + 4}" width="${Math.round(((width - labelW - 70) * r.max) / max)}" height="16" fill="none" stroke="#888" stroke-dasharray="3 2"/>`
    // a long name is cut to fit the left margin; the whole of it is in the bar's tooltip and the table under the chart
    const label = r.label.length > 26 ? `${r.label.slice(0, 25)}…` : r.label
    const over = r.max !== undefined && r.value > r.max
    return `<text x="${labelW - 8}" y="${y + 17}" text-anchor="end">${escapeXml(label)}</text>${cap}<rect x="${labelW}" y="${y + 4}" width="${w}" height="16" fill="${over ? COLORS.scrapped : (r.color ?? '#5b8def')}"><title>${escapeXml(`${r.label} : ${r.value}`)}</title></rect><text x="${labelW + w + 6}" y="${y + 17}">${r.value}${r.max === undefined ? '' : ` / ${r.max}`}${escapeXml(opts.unit ?? '')}</text>`
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" font-family="sans-serif" font-size="13">${bars.join('')}</svg>`
}

/** The four moves counted per week, their French names and colours (the legend and the bars). */
const WEEK_SERIES = [
  {key: 'received', label: 'Reçus', color: COLORS.received},
  {key: 'wiped', label: 'Effacés', color: COLORS.wiped},
  {key: 'ready', label: 'Prêts', color: COLORS.ready},
  {key: 'given', label: 'Remis', color: COLORS.handed_over},
] as const

/** Per ISO week, four columns side by side (received, wiped, ready, given), a legend and the week numbers. */
export function weekChart(weeks: WeekThroughput[]): string {
  const width = 900
  const h = 240
  const left = 40
  const base = h - 50
  const max = Math.max(1, ...weeks.flatMap((w) => WEEK_SERIES.map((s) => w[s.key])))
  const slot = Math.floor((width - left - 10) / Math.max(1, weeks.length))
  const bar = Math.max(2, Math.floor((slot - 6) / WEEK_SERIES.length))
  const cols = weeks.map((w, i) => {
    const x0 = left + i * slot + 3
    const bars = WEEK_SERIES.map((s, j) => {
      const v = w[s.key]
      const bh = Math.round(((base - 30) * v) / max)
      return `<rect x="${x0 + j * bar}" y="${base - bh}" width="${bar - 1}" height="${bh}" fill="${s.color}"><title>${escapeXml(`Semaine du ${frDate(w.from)} : ${v} ${s.label.toLowerCase()}`)}</title></rect>`
    })
    return `<g>${bars.join('')}<text x="${x0 + (slot - 6) / 2}" y="${base + 16}" text-anchor="middle">S${Number(w.week.slice(6))}</text></g>`
  })
  const legend = WEEK_SERIES.map(
    (s, j) =>
      `<rect x="${left + j * 110}" y="${h - 18}" width="12" height="12" fill="${s.color}"/><text x="${left + j * 110 + 17}" y="${h - 8}">${s.label}</text>`,
  )
  const grid = [0, 0.5, 1].map((f) => {
    const y = Math.round(base - (base - 30) * f)
    return `<line x1="${left - 4}" y1="${y}" x2="${width}" y2="${y}" stroke="#ddd"/><text x="${left - 8}" y="${y + 4}" text-anchor="end">${Math.round(max * f)}</text>`
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Débit par semaine" class="chart-weeks" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" font-family="sans-serif" font-size="12">${grid.join('')}<line x1="${left - 4}" y1="${base}" x2="${width}" y2="${base}" stroke="#444"/>${cols.join('')}${legend.join('')}</svg>`
}

export interface ReportResult {
  file: string
  total: number
  status: LaptopStatus
}

/** `laptops report --html`: one standalone French page (inline SVG drawn here, no script, no external file), the figures of `laptops status`. */
export async function htmlReport(ctx: ServiceContext, opts: {out: string; organisation?: string; weeks?: number}): Promise<ReportResult> {
  const status = await laptopStatus(ctx, {weeks: opts.weeks})
  const states = (Object.keys(STATE_FR) as LaptopState[]).map((s) => ({label: STATE_FR[s], value: status.byState[s], color: COLORS[s]}))
  const modelName = (m: {maker: string | null; model: string | null}) => `${m.maker ?? ''} ${m.model ?? ''}`.trim() || 'modèle inconnu'
  const html = renderTemplate(ctx.templatesDir, 'laptops/report.html.eta', {
    organisation: opts.organisation ?? "ALPI - Agence Landaise Pour l'Informatique",
    generatedAt: nowIso(),
    fr: FR,
    status,
    modelName,
    given: status.byState.handed_over,
    stateChart: barChart(states),
    weekChart: weekChart(status.weeks),
    readyChart: barChart(status.readyByModel.slice(0, 15).map((m) => ({label: modelName(m), value: m.ready, color: COLORS.ready}))),
    siteChart: barChart(status.bySite.map((s) => ({label: s.name, value: s.used, max: s.quota, color: COLORS.handed_over}))),
  })
  const file = resolve(opts.out)
  ensureDir(dirname(file))
  writeFileAtomic(file, frTypographyHtml(html))
  return {file, total: status.total, status}
}
