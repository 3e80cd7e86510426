import {mkdirSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {audit, type ServiceContext} from '../context/service-context.js'
import {RuleViolation, UsageError} from '../core/errors.js'
import {writeFileAtomic} from '../core/fs.js'
import {newId, nowIso} from '../core/ids.js'
import {parseFrDate} from '../csv/fields.js'
import {writeCsv} from '../csv/write.js'
import {nextWorkingDay} from './calendar.js'
import {t} from './messages/index.js'
import {oldPcsWithMemberAndSite} from './pcs.js'

export interface ScheduleOptions {
  from: string
  perDay: number
  member?: string
  /** Folder for planning.ics and planning.csv (default: the current folder). */
  outDir?: string
}

export interface Visit {
  id: string
  day: string
  member: string
  memberName: string
  commune: string | null
  serials: string[]
}

export interface ScheduleResult {
  from: string
  perDay: number
  visits: Visit[]
  pcs: number
  lastDay: string | null
  ics: string
  csv: string
}

/**
 * Installation visits for the staged PCs: grouped by member and commune, at most `perDay`
 * PCs a working day (no weekends, no French public holidays). Writes an ICS calendar and a
 * CSV, and records the visits (replacing the planned visits of the same PCs).
 */
export async function scheduleVisits(ctx: ServiceContext, opts: ScheduleOptions): Promise<ScheduleResult> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.from) || !parseFrDate(opts.from).ok)
    throw new UsageError(t('notADate', {flag: '--from', value: opts.from}))
  if (!Number.isInteger(opts.perDay) || opts.perDay < 1) throw new UsageError('--per-day must be a whole number ≥ 1')
  const db = ctx.store.db
  const pcs = await oldPcsWithMemberAndSite(db, {member: opts.member, state: 'staged'})
  if (pcs.length === 0)
    throw new RuleViolation('WIN7_NOTHING_TO_SCHEDULE', t('nothingToSchedule'), {
      actions: ['alpi win7 stage NEW_SERIAL', 'alpi win7 status'],
    })

  // groups: member + commune, in a stable order (commune, member, site, serial)
  const groups = new Map<string, {member: string; memberName: string; commune: string | null; serials: string[]}>()
  const sorted = [...pcs].sort((a, b) =>
    `${a.siteCommune ?? a.memberCommune ?? ''}|${a.member_code}|${a.siteName ?? ''}|${a.serial}`.localeCompare(
      `${b.siteCommune ?? b.memberCommune ?? ''}|${b.member_code}|${b.siteName ?? ''}|${b.serial}`,
    ),
  )
  for (const p of sorted) {
    const commune = p.siteCommune ?? p.memberCommune ?? null
    const key = `${p.member_code}\0${commune ?? ''}`
    let g = groups.get(key)
    if (!g) groups.set(key, (g = {member: p.member_code, memberName: p.memberName, commune, serials: []}))
    g.serials.push(p.serial)
  }
  const visits: Visit[] = []
  let day = nextWorkingDay(opts.from)
  let left = opts.perDay
  for (const g of groups.values()) {
    let i = 0
    while (i < g.serials.length) {
      if (left === 0) {
        day = nextWorkingDay(day, true)
        left = opts.perDay
      }
      const take = g.serials.slice(i, i + left)
      visits.push({id: newId(), day, member: g.member, memberName: g.memberName, commune: g.commune, serials: take})
      i += take.length
      left -= take.length
    }
  }

  const dir = resolve(opts.outDir ?? '.')
  const icsPath = join(dir, 'planning-installations.ics')
  const csvPath = join(dir, 'planning-installations.csv')
  const {createEvents} = await import('ics')
  const {error, value} = createEvents(
    visits.map((v) => {
      const [y, m, d] = v.day.split('-').map(Number) as [number, number, number]
      return {
        uid: `${v.id}@alpi`,
        title: `Installation de ${v.serials.length} PC – ${v.memberName}${v.commune ? ` (${v.commune})` : ''}`,
        description: `PC à remplacer (numéros de série) : ${v.serials.join(', ')}`,
        location: v.commune ?? undefined,
        start: [y, m, d] as [number, number, number],
        duration: {days: 1},
        productId: 'alpi/win7',
        calName: 'ALPI – installations des PC',
      }
    }),
  )
  if (error || !value) throw new RuleViolation('WIN7_ICS', t('icsFailed', {detail: error?.message ?? '-'}))
  // ics 3 writes a duration of whole days as "P1DT", which RFC 5545 (3.3.6) does not allow: the
  // "T" comes only before hours, minutes or seconds. An all-day event takes "P1D".
  const calendar = value.replace(/^DURATION:(P(?:\d+W)?(?:\d+D)?)T\r?$/gm, (line, duration: string) =>
    line.replace(`${duration}T`, duration),
  )
  // --out-dir may name a folder that does not exist yet: create it (the planning holds no personal data).
  mkdirSync(dir, {recursive: true, mode: 0o755})
  writeFileAtomic(icsPath, calendar, {mode: 0o644})
  await writeCsv(
    csvPath,
    visits.map((v) => ({
      day: v.day,
      member: v.memberName,
      commune: v.commune ?? '',
      count: v.serials.length,
      serials: v.serials.join(' '),
    })),
    {
      columns: [
        {key: 'day', header: 'Date'},
        {key: 'member', header: 'Adhérent'},
        {key: 'commune', header: 'Commune'},
        {key: 'count', header: 'Nombre de PC'},
        {key: 'serials', header: 'PC (numéros de série)'},
      ],
      delimiter: ';',
      bom: true,
      eol: '\r\n',
    },
  )
  const scheduled = new Set(pcs.map((p) => p.serial))
  await ctx.store.transaction(async (trx) => {
    // a PC is in one planned visit: drop its earlier plans
    const earlier = await trx.selectFrom('win7_visits').select(['id', 'serials']).execute()
    for (const e of earlier)
      if ((JSON.parse(e.serials) as string[]).some((s) => scheduled.has(s)))
        await trx.deleteFrom('win7_visits').where('id', '=', e.id).execute()
    const now = nowIso()
    for (const v of visits)
      await trx
        .insertInto('win7_visits')
        .values({id: v.id, member_code: v.member, commune: v.commune, day: v.day, serials: JSON.stringify(v.serials), created_at: now})
        .execute()
    await audit(ctx, trx, {
      entity: 'win7_visit',
      entityId: opts.member ?? null,
      action: 'schedule',
      summary: {code: 'win7Scheduled', params: {visits: visits.length, pcs: pcs.length, from: opts.from}},
      data: {visits: visits.length, pcs: pcs.length, perDay: opts.perDay, from: opts.from, lastDay: visits.at(-1)?.day ?? null},
    })
  })
  return {from: opts.from, perDay: opts.perDay, visits, pcs: pcs.length, lastDay: visits.at(-1)?.day ?? null, ics: icsPath, csv: csvPath}
}
