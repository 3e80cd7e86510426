import {dirname, resolve} from 'node:path'
import type {ServiceContext} from '../context/service-context.js'
import {ensureDir, writeFileAtomic} from '../core/fs.js'
import {nowIso} from '../core/ids.js'
import {escapeXml, renderTemplate} from '../core/templates.js'
import type {LaptopState} from './states.js'
import {laptopStatus, type LaptopStatus} from './status.js'

/** French labels of the states, for documents. */
export const STATE_FR: Record<LaptopState, string> = {
  received: 'Reçus', diagnosed: 'Diagnostiqués', wiped: 'Effacés', imaged: 'Installés', ready: 'Prêts', allocated: 'Attribués', handed_over: 'Remis', on_hold: 'En attente de pièce', scrapped: 'Réformés', returned: 'Retournés', lost: 'Perdus ou volés',
}
const COLORS: Record<LaptopState, string> = {received: '#9aa5b1', diagnosed: '#5b8def', wiped: '#7b61ff', imaged: '#b05bef', ready: '#2bb673', allocated: '#f5a623', handed_over: '#0b7a3e', on_hold: '#e8833a', scrapped: '#d0021b', returned: '#8b572a', lost: '#4a4a4a'}

/** Horizontal bars: one row per label. Values and labels escaped; nothing else is user data. */
export function barChart(rows: {label: string; value: number; color?: string; max?: number}[], opts: {width?: number; unit?: string} = {}): string {
  const width = opts.width ?? 640
  const labelW = 190
  const rowH = 26
  const max = Math.max(1, ...rows.map((r) => r.max ?? r.value))
  const h = rows.length * rowH + 10
  const bars = rows.map((r, i) => {
    const y = 5 + i * rowH
    const w = Math.round(((width - labelW - 70) * r.value) / max)
    const cap = r.max === undefined ? '' : `<rect x="${labelW}" y="${y + 4}" width="${Math.round(((width - labelW - 70) * r.max) / max)}" height="16" fill="none" stroke="#888" stroke-dasharray="3 2"/>`
    return `<text x="${labelW - 8}" y="${y + 17}" text-anchor="end">${escapeXml(r.label)}</text>${cap}<rect x="${labelW}" y="${y + 4}" width="${w}" height="16" fill="${r.color ?? '#5b8def'}"><title>${escapeXml(`${r.label} : ${r.value}`)}</title></rect><text x="${labelW + w + 6}" y="${y + 17}">${r.value}${r.max === undefined ? '' : ` / ${r.max}`}${escapeXml(opts.unit ?? '')}</text>`
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" font-family="sans-serif" font-size="13">${bars.join('')}</svg>`
}

/** Per-day columns of laptops handed over and made ready. */
export function dayChart(perDay: LaptopStatus['perDay']): string {
  const days = perDay.slice(-60)
  const width = 640
  const h = 180
  const max = Math.max(1, ...days.flatMap((d) => [d.counts.handed_over ?? 0, d.counts.ready ?? 0]))
  const colW = Math.max(4, Math.floor((width - 40) / Math.max(1, days.length)))
  const cols = days.map((d, i) => {
    const x = 30 + i * colW
    const ready = d.counts.ready ?? 0
    const given = d.counts.handed_over ?? 0
    const hr = Math.round(((h - 40) * ready) / max)
    const hg = Math.round(((h - 40) * given) / max)
    return `<g><title>${escapeXml(`${d.day} : ${ready} prêts, ${given} remis`)}</title><rect x="${x}" y="${h - 20 - hr}" width="${Math.max(2, Math.floor(colW / 2) - 1)}" height="${hr}" fill="${COLORS.ready}"/><rect x="${x + Math.floor(colW / 2)}" y="${h - 20 - hg}" width="${Math.max(2, Math.floor(colW / 2) - 1)}" height="${hg}" fill="${COLORS.handed_over}"/></g>`
  })
  const first = days[0]?.day ?? ''
  const last = days.at(-1)?.day ?? ''
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${h}" viewBox="0 0 ${width} ${h}" font-family="sans-serif" font-size="12"><line x1="28" y1="${h - 20}" x2="${width}" y2="${h - 20}" stroke="#444"/>${cols.join('')}<text x="30" y="${h - 4}">${escapeXml(first)}</text><text x="${width - 4}" y="${h - 4}" text-anchor="end">${escapeXml(last)}</text><text x="30" y="12">max ${max} / jour</text></svg>`
}

export interface ReportResult {
  file: string
  total: number
  status: LaptopStatus
}

/** `laptops report --html`: one standalone French page (inline SVG, no script, no external file). */
export async function htmlReport(ctx: ServiceContext, opts: {out: string; organisation?: string}): Promise<ReportResult> {
  const status = await laptopStatus(ctx)
  const states = (Object.keys(STATE_FR) as LaptopState[]).map((s) => ({label: STATE_FR[s], value: status.byState[s], color: COLORS[s]}))
  const html = renderTemplate(ctx.templatesDir, 'laptops/report.html.eta', {
    organisation: opts.organisation ?? 'ALPI - Agence Landaise Pour l\'Informatique',
    generatedAt: nowIso(),
    status,
    stateFr: STATE_FR,
    given: status.byState.handed_over,
    stateChart: barChart(states),
    siteChart: barChart(status.bySite.map((s) => ({label: s.name, value: s.handed_over + s.allocated, max: s.quota, color: COLORS.handed_over}))),
    modelChart: barChart(status.byModel.slice(0, 12).map((m) => ({label: `${m.maker ?? ''} ${m.model ?? ''}`.trim() || 'inconnu', value: m.total}))),
    dayChart: dayChart(status.perDay),
  })
  const file = resolve(opts.out)
  ensureDir(dirname(file))
  writeFileAtomic(file, html)
  return {file, total: status.total, status}
}
