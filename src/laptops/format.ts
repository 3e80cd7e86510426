import {formatTable} from '../cli/table.js'
// The summary line alone (csv/summary.js, not csv/index.js): `laptops show` loads this view, and must not load the CSV reader.
import {importSummaryLine} from '../csv/summary.js'
import type {ImportResult} from '../csv/import.js'
import {frNumber} from '../core/french.js'
import {language} from '../core/i18n.js'
import type {WeeeResult} from './certify.js'
import type {CorrectionResult} from './corrections.js'
import type {HandoverBatchResult, SiteListItem} from './giving.js'
import type {GradeSheetResult} from './grade.js'
import type {GoldenImage} from './images.js'
import type {BeneficiaryListItem, LaptopListItem} from './list.js'
import type {LotStatus} from './lots.js'
import {localDateTime, reasonLine, type StoredText, st, stateName, t, th, ws} from './messages/index.js'
import type {DiskSmart, ProbeSnapshot} from './probe-parse.js'
import type {LaptopDetail} from './records.js'
import type {ReimageResult} from './reimage.js'
import type {LaptopStatus, StageTime} from './status.js'

/** Human views of the batch results (stdout): the same line on a clean run and before an exit 3. */
export function importSummary(r: ImportResult, what: 'whatLaptops' | 'whatSites' | 'whatBeneficiaries'): string {
  return importSummaryLine(r, (n) => t.m(what, {n}))
}

export function gradeSheetSummary(r: GradeSheetResult): string {
  return t('gradedSheet', {
    file: r.file,
    rows: r.rows,
    n: r.updated,
    ready: r.verdicts.ready,
    needs: r.verdicts.needs_part,
    scrap: r.verdicts.scrap,
    rejected: r.rejected,
    dry: r.dryRun ? t('dryRun') : '',
  })
}

export function handoverBatchSummary(r: HandoverBatchResult, dir: string): string {
  return t('handedOverBatch', {
    file: r.file,
    n: r.handovers.length,
    rows: r.rows,
    rejected: r.rejected,
    dir,
    dry: r.dryRun ? t('dryRun') : '',
  })
}

/** One line per device, the failed ones included (status failed, read back DIFFERS). */
export function reimageSummary(r: ReimageResult): string {
  return r.devices
    .map((d) =>
      t('reimaged', {
        device: d.device,
        laptop: d.laptop,
        status: d.status,
        bytes: d.bytesWritten,
        match: t(d.readBackSha256 === r.sha256 ? 'matches' : 'differs'),
        state: stateName(String(d.state)),
      }),
    )
    .join('\n')
}

function smartText(s: DiskSmart | null | undefined): string {
  if (!s) return ws('smartNone')
  const health = ws(s.passed === true ? 'smartPassed' : s.passed === false ? 'smartFailed' : 'smartUnknown')
  const n = (v: number | null | undefined) => (v === null || v === undefined ? '-' : String(v))
  if (s.protocol === 'ATA')
    return ws('smartAta', {
      health,
      hours: n(s.powerOnHours),
      realloc: n(s.reallocated),
      pending: n(s.pending),
      unc: n(s.offlineUncorrectable),
    })
  if (s.protocol === 'NVMe')
    return ws('smartNvme', {
      health,
      hours: n(s.powerOnHours),
      used: n(s.percentageUsed),
      spare: n(s.availableSpare),
      media: n(s.mediaErrors),
    })
  return health
}

/** The probe's facts a technician checks before believing a verdict. */
function probeLines(snapshot: ProbeSnapshot, probedAt: string | null): string[] {
  const out = [ws('showProbe', {at: localDateTime(probedAt)})]
  const sys = snapshot.system
  const cores = sys.cores ? ` (${sys.cores}/${sys.threads ?? sys.cores})` : ''
  out.push(ws('showCpu', {cpu: `${sys.cpu ?? '-'}${cores}`}))
  out.push(ws('showRam', {ram: Math.round((sys.ramBytes / 1024 ** 3) * 10) / 10}))
  for (const d of snapshot.disks ?? []) {
    out.push(
      ws('showDisk', {
        path: d.path,
        model: d.model ?? '',
        size: Math.round(d.sizeBytes / 1e9),
        serial: d.serial ?? '-',
        removable: d.removable ? ws('showRemovable') : '',
        smart: smartText(d.smart),
      }),
    )
  }
  if ((snapshot.batteries ?? []).length === 0) out.push(ws('showNoBattery'))
  for (const b of snapshot.batteries ?? [])
    out.push(
      ws('showBattery', {
        name: b.name,
        health: b.healthPct === null ? ws('showBatteryUnknown') : ws('showBatteryHealth', {pct: b.healthPct}),
      }),
    )
  return out
}

/** `laptops show` for a person: the record, the verdict's reasons, the probe, certificates, handovers, history. */
export function showText(d: LaptopDetail): string {
  const l = d.laptop
  const lines = [
    ws('showHeader', {
      serial: l.serial,
      maker: l.maker ?? '',
      model: l.model ?? '',
      state: stateName(l.state),
      grade: l.grade ?? '-',
      verdict: l.verdict ?? '-',
      site: l.site_code ?? '-',
      image: l.image_name ?? '-',
    }),
    ws('showAsset', {tag: l.asset_tag ?? '-', lot: l.lot ?? '-', received: localDateTime(l.created_at)}),
  ]
  const reasons = Array.isArray(l.verdictReasons) ? (l.verdictReasons as {part?: string; reason?: StoredText}[]) : []
  if (l.verdict && reasons.length === 0) lines.push(ws('showNoReasons'))
  if (reasons.length > 0) {
    lines.push(ws('showReasons'))
    for (const r of reasons) lines.push(reasonLine(r))
  }
  lines.push(d.snapshot ? probeLines(d.snapshot as ProbeSnapshot, l.probed_at).join('\n') : ws('showNoProbe'))
  if (d.wipeCertificates.length === 0) lines.push(ws('showNoCertificates'))
  else {
    lines.push(ws('showCertificates'))
    for (const c of d.wipeCertificates)
      lines.push(
        ws('showCertificate', {
          id: c.id,
          ended: localDateTime(c.ended_at),
          method: c.method,
          level: c.level,
          verified: ws(c.verified ? 'certVerified' : 'certNotVerified'),
        }),
      )
  }
  if (d.handovers.length > 0) {
    lines.push(ws('showHandovers'))
    for (const h of d.handovers) {
      const end = h.cancelled_at
        ? ws('showCancelled', {at: localDateTime(h.cancelled_at)})
        : h.returned_at
          ? ws('showReturned', {at: localDateTime(h.returned_at)})
          : ''
      lines.push(ws('showHandover', {id: h.id, site: h.site, at: localDateTime(h.handed_at), returned: end}))
    }
  }
  lines.push(ws('showHistory'))
  lines.push(
    formatTable(
      d.events.map((e) => ({...e, at: localDateTime(e.at), from: e.from ? stateName(e.from) : '', to: stateName(e.to)})),
      [
        {key: 'at', header: 'AT'},
        {key: 'from', header: 'FROM'},
        {key: 'to', header: 'TO'},
        {key: 'actor', header: 'BY'},
        {key: 'reason', header: 'REASON'},
      ],
    ),
  )
  return lines.join('\n')
}

const CORRECTION_WHAT = {
  regrade: 'whatRegrade',
  rewipe: 'whatRewipe',
  unallocate: 'whatUnallocate',
  'cancel-handover': 'whatCancelHandover',
  lost: 'whatLost',
  found: 'whatFound',
} as const

/** The line of a correction done. */
export function correctedLine(r: CorrectionResult): string {
  const what = r.correction === 'lost' && r.kind === 'stolen' ? 'whatStolen' : CORRECTION_WHAT[r.correction]
  return ws('corrected', {serial: r.serial, from: stateName(r.from), to: stateName(r.to), what: ws(what)})
}

/** `laptops list`: one line per laptop. */
export function laptopsListView(rows: LaptopListItem[]): string {
  return formatTable(rows, [
    {key: 'serial', header: 'SERIAL'},
    {key: 'asset_tag', header: 'ASSET'},
    {key: 'model', header: 'MODEL'},
    {key: 'lot', header: 'LOT'},
    {key: 'state', header: 'STATE'},
    {key: 'grade', header: 'GRADE'},
    {key: 'site_code', header: 'SITE'},
    {key: 'state_changed_at', header: 'SINCE'},
  ])
}

/** `laptops status`: what a manager reads; the moves per day only when `days` is asked. */
export function laptopsStatusView(s: LaptopStatus, days: number | undefined): string {
  const num = (n: number | null) => (n === null ? st('noValue') : language() === 'fr' ? frNumber(n, 1) : String(n))
  const stage = (key: 'stageReceivedToReady' | 'stageReadyToGiven', v: StageTime) => ({
    stage: st(key),
    median: num(v.median_days),
    laptops: v.laptops,
  })
  const out = [
    t('statusTotal', {n: s.total}),
    formatTable(
      Object.entries(s.byState).map(([state, n]) => ({state: stateName(state), n})),
      [
        {key: 'state', header: st('hState')},
        {key: 'n', header: st('hCount')},
      ],
    ),
    `\n${st('weeksTitle', {n: s.weeks.length})}\n` +
      formatTable(s.weeks, [
        {key: 'week', header: st('hWeek')},
        {key: 'from', header: st('hFrom')},
        {key: 'received', header: st('hReceived')},
        {key: 'wiped', header: st('hWiped')},
        {key: 'ready', header: st('hReady')},
        {key: 'given', header: st('hGiven')},
      ]),
    s.readyByModel.length === 0
      ? `\n${st('readyNone')}`
      : `\n${st('readyTitle')}\n` +
        formatTable(
          s.readyByModel.map((m) => ({...m, maker: m.maker ?? '-', model: m.model ?? '-'})),
          [
            {key: 'maker', header: st('hMaker')},
            {key: 'model', header: st('hModel')},
            {key: 'ready', header: st('hReady')},
          ],
        ),
    `\n${st('stagesTitle')}\n` +
      formatTable(
        [stage('stageReceivedToReady', s.stages.received_to_ready), stage('stageReadyToGiven', s.stages.ready_to_given)],
        [
          {key: 'stage', header: st('hStage')},
          {key: 'median', header: st('hMedian')},
          {key: 'laptops', header: st('hLaptops')},
        ],
      ),
  ]
  if (s.bySite.length > 0)
    out.push(
      `\n${st('sitesTitle')}\n` +
        formatTable(s.bySite, [
          {key: 'site', header: st('hSite')},
          {key: 'quota', header: st('hQuota')},
          {key: 'used', header: st('hUsed')},
          {key: 'remaining', header: st('hLeft')},
          {key: 'convention_end', header: st('hConventionEnds')},
        ]),
    )
  if (days && s.perDay.length > 0)
    out.push(
      `\n${st('daysTitle', {n: days})}\n` +
        formatTable(
          s.perDay.map((d) => ({
            day: d.day,
            counts: Object.entries(d.counts)
              .map(([k, v]) => `${stateName(k)}=${v}`)
              .join(' '),
          })),
          [
            {key: 'day', header: st('hDay')},
            {key: 'counts', header: st('hEntered')},
          ],
        ),
    )
  return out.join('\n')
}

/** `laptops weee`: the certificates handed over (or that would be, with --dry-run). */
export function weeeView(r: WeeeResult): string {
  return formatTable(r.items, [
    {key: 'kind', header: 'KIND'},
    {key: 'serial', header: 'SERIAL'},
    {key: 'disk_serial', header: 'DISK'},
    {key: 'certificate', header: 'CERTIFICATE'},
    {key: 'level', header: 'LEVEL'},
    {key: 'certified_at', header: 'WIPED'},
  ])
}

/** The line on stderr after `laptops weee`. */
export function weeeDoneLine(r: WeeeResult, dryRun: boolean): string {
  return ws('weeeDone', {collector: r.collector, date: r.date, n: r.items.length, dry: dryRun ? t('dryRun') : ''})
}

/** `laptops images list`. */
export function imagesListView(images: (GoldenImage & {present: boolean})[]): string {
  return formatTable(
    images.map((i) => ({...i, sha: i.sha256.slice(0, 16), present: i.present ? th('yes') : th('missing')})),
    [
      {key: 'name', header: th('name')},
      {key: 'size', header: th('rawBytes')},
      {key: 'compression', header: th('compression')},
      {key: 'sha', header: th('sha256')},
      {key: 'present', header: th('file')},
      {key: 'path', header: th('path')},
    ],
  )
}

/** `laptops lots list`: one line per lot. */
export function lotsListView(lots: LotStatus[]): string {
  return formatTable(lots, [
    {key: 'code', header: 'LOT'},
    {key: 'donor', header: 'DONOR'},
    {key: 'received_on', header: 'DATE'},
    {key: 'expected', header: 'ANNOUNCED'},
    {key: 'received', header: 'RECEIVED'},
    {key: 'in_progress', header: 'IN PROGRESS'},
    {key: 'ready', header: 'READY'},
    {key: 'given', header: 'GIVEN'},
    {key: 'scrapped', header: 'SCRAPPED'},
    {key: 'lost', header: 'LOST'},
    {key: 'certified', header: 'CERTIFIED'},
  ])
}

/** `laptops sites list`: the sites, their conventions and the quota left. */
export function sitesListView(sites: SiteListItem[]): string {
  return formatTable(
    sites.map((s) => ({...s, active: s.active ? th('yes') : th('no')})),
    [
      {key: 'code', header: th('code')},
      {key: 'name', header: th('name')},
      {key: 'convention_ref', header: th('convention')},
      {key: 'convention_end', header: th('ends')},
      {key: 'active', header: th('active')},
      {key: 'quota', header: th('quota')},
      {key: 'used', header: th('used')},
      {key: 'remaining', header: th('left')},
    ],
  )
}

/** `laptops beneficiaries list`: the NAME column only when names may be shown (a terminal). */
export function beneficiariesListView(rows: BeneficiaryListItem[], withNames: boolean): string {
  return formatTable(rows, [
    {key: 'ref', header: 'REF'},
    ...(withNames ? [{key: 'name' as const, header: 'NAME'}] : []),
    {key: 'commune', header: 'COMMUNE'},
    {key: 'site_code', header: 'SITE'},
    {key: 'training_start', header: 'TRAINING'},
    {key: 'laptop', header: 'LAPTOP'},
  ])
}
