import type {ServiceContext} from '../context/service-context.js'
import {nowIso} from '../core/ids.js'
import {parisDay as parisDayOf} from '../core/paris-time.js'
import {LAPTOP_STATES, type LaptopState} from './states.js'

/** One ISO week (Monday to Sunday, Europe/Paris): how many laptops entered each of these states. */
export interface WeekThroughput {
  /** '2026-W49' */
  week: string
  /** the Monday, 'YYYY-MM-DD' */
  from: string
  received: number
  wiped: number
  ready: number
  given: number
}

/** Median days a laptop spent between two moves, over every laptop that made both. */
export interface StageTime {
  median_days: number | null
  laptops: number
}

export interface LaptopStatus {
  total: number
  byState: Record<LaptopState, number>
  /** quotas: used = allocated + handed over, remaining = what the convention still allows */
  bySite: {
    site: string
    name: string
    quota: number
    allocated: number
    handed_over: number
    used: number
    remaining: number
    convention_end: string
  }[]
  byModel: {maker: string | null; model: string | null; total: number; ready: number; handed_over: number}[]
  /** the stock ready to allocate, per model, most first */
  readyByModel: {maker: string | null; model: string | null; ready: number}[]
  /** the last `weeks` ISO weeks (Europe/Paris), oldest first, empty weeks included; from the events */
  weeks: WeekThroughput[]
  /** received → first ready after it; last ready → first handover */
  stages: {received_to_ready: StageTime; ready_to_given: StageTime}
  /** per day: how many laptops entered each state that day (from the events) */
  perDay: {day: string; counts: Partial<Record<LaptopState, number>>}[]
}

const WEEK_STATES = {received: 'received', wiped: 'wiped', ready: 'ready', handed_over: 'given'} as const
const DAY_MS = 86_400_000

/**
 * Model names and ISO days in code-point order: the first localeCompare of a process sets up
 * ICU's collator (about 10 ms), which a status read at every start cannot afford.
 */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** The calendar day in Paris of an instant, 'YYYY-MM-DD'. */
function parisDay(at: string | Date): string {
  return parisDayOf(at instanceof Date ? at : new Date(at))
}

/** The ISO week of a calendar day: its Monday and its '2026-W49' label. */
export function isoWeek(day: string): {week: string; from: string} {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(y, m - 1, d))
  const dow = (date.getUTCDay() + 6) % 7 // Monday 0
  const monday = new Date(date.getTime() - dow * DAY_MS)
  const thursday = new Date(monday.getTime() + 3 * DAY_MS)
  const year = thursday.getUTCFullYear()
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1
  return {week: `${year}-W${String(week).padStart(2, '0')}`, from: monday.toISOString().slice(0, 10)}
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null
  const v = [...values].sort((a, b) => a - b)
  const mid = Math.floor(v.length / 2)
  const m = v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2
  return Math.round(m * 10) / 10
}

/** Counts by state, site, model, week and day, ready stock and stage times. The same data for the table, --json and the report. */
export async function laptopStatus(ctx: ServiceContext, opts: {days?: number; weeks?: number} = {}): Promise<LaptopStatus> {
  const db = ctx.store.db
  const byState = Object.fromEntries(LAPTOP_STATES.map((s) => [s, 0])) as Record<LaptopState, number>
  const states = await db
    .selectFrom('laptops')
    .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('state')
    .execute()
  let total = 0
  for (const r of states) {
    byState[r.state] = Number(r.n)
    total += Number(r.n)
  }
  const sites = await db.selectFrom('laptop_sites').select(['code', 'name', 'quota', 'convention_end']).orderBy('code').execute()
  const siteCounts = await db
    .selectFrom('laptops')
    .select(['site_code', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('site_code', 'is not', null)
    .groupBy(['site_code', 'state'])
    .execute()
  const bySite = sites.map((s) => {
    const allocated = Number(siteCounts.find((c) => c.site_code === s.code && c.state === 'allocated')?.n ?? 0)
    const handedOver = Number(siteCounts.find((c) => c.site_code === s.code && c.state === 'handed_over')?.n ?? 0)
    return {
      site: s.code,
      name: s.name,
      quota: s.quota,
      allocated,
      handed_over: handedOver,
      used: allocated + handedOver,
      remaining: Math.max(0, s.quota - allocated - handedOver),
      convention_end: s.convention_end,
    }
  })
  const models = await db
    .selectFrom('laptops')
    .select(['maker', 'model', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['maker', 'model', 'state'])
    .execute()
  const modelMap = new Map<string, LaptopStatus['byModel'][number]>()
  for (const m of models) {
    const k = `${m.maker ?? ''}\0${m.model ?? ''}`
    const e = modelMap.get(k) ?? {maker: m.maker, model: m.model, total: 0, ready: 0, handed_over: 0}
    e.total += Number(m.n)
    if (m.state === 'ready') e.ready += Number(m.n)
    if (m.state === 'handed_over') e.handed_over += Number(m.n)
    modelMap.set(k, e)
  }
  const byModel = [...modelMap.values()].sort((a, b) => b.total - a.total || byCodePoint(String(a.model), String(b.model)))
  const readyByModel = byModel
    .filter((m) => m.ready > 0)
    .map((m) => ({maker: m.maker, model: m.model, ready: m.ready}))
    .sort((a, b) => b.ready - a.ready || byCodePoint(String(a.model), String(b.model)))
  const events = await db
    .selectFrom('laptop_events')
    .select(['serial', 'to_state', 'at'])
    .where('to_state', 'in', Object.keys(WEEK_STATES))
    .orderBy('serial')
    .orderBy('at')
    .execute()
  return {
    total,
    byState,
    bySite,
    byModel,
    readyByModel,
    weeks: weekly(events, opts.weeks ?? 12),
    stages: stageTimes(events),
    perDay: await perDay(ctx, opts.days),
  }
}

type Move = {serial: string; to_state: string; at: string}

/** The last `count` ISO weeks up to now (Paris), each with the moves into received, wiped, ready and handed over. */
function weekly(events: Move[], count: number): WeekThroughput[] {
  const weeks: WeekThroughput[] = []
  let monday = isoWeek(parisDay(nowIso())).from
  for (let i = 0; i < count; i++) {
    weeks.unshift({...isoWeek(monday), received: 0, wiped: 0, ready: 0, given: 0})
    monday = new Date(Date.parse(`${monday}T12:00:00Z`) - 7 * DAY_MS).toISOString().slice(0, 10)
  }
  const index = new Map(weeks.map((w) => [w.week, w]))
  // The Paris week of an instant only changes on the hour: one date format per hour, not per event.
  const weekOfHour = new Map<string, string>()
  for (const e of events) {
    const at = String(e.at)
    const hour = at.slice(0, 13)
    let week = weekOfHour.get(hour)
    if (week === undefined) weekOfHour.set(hour, (week = isoWeek(parisDay(at)).week))
    const w = index.get(week)
    if (w) w[WEEK_STATES[e.to_state as keyof typeof WEEK_STATES]]++
  }
  return weeks
}

/** Days from received to the first ready after it, and from the last ready to the first handover, per laptop; their medians. */
function stageTimes(events: Move[]): LaptopStatus['stages'] {
  const toReady: number[] = []
  const toGiven: number[] = []
  let i = 0
  while (i < events.length) {
    const serial = events[i]!.serial
    let received: number | undefined
    let firstReady: number | undefined
    let lastReady: number | undefined
    let given: number | undefined
    for (; i < events.length && events[i]!.serial === serial; i++) {
      const e = events[i]!
      const at = Date.parse(String(e.at))
      if (e.to_state === 'received' && received === undefined) received = at
      else if (e.to_state === 'ready' && given === undefined) {
        if (received !== undefined && firstReady === undefined) firstReady = at
        lastReady = at
      } else if (e.to_state === 'handed_over' && given === undefined && lastReady !== undefined) given = at
    }
    if (received !== undefined && firstReady !== undefined) toReady.push((firstReady - received) / DAY_MS)
    if (lastReady !== undefined && given !== undefined) toGiven.push((given - lastReady) / DAY_MS)
  }
  return {
    received_to_ready: {median_days: median(toReady), laptops: toReady.length},
    ready_to_given: {median_days: median(toGiven), laptops: toGiven.length},
  }
}

async function perDay(ctx: ServiceContext, days: number | undefined): Promise<LaptopStatus['perDay']> {
  let q = ctx.store.db
    .selectFrom('laptop_events')
    .select(['day', 'to_state', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['day', 'to_state'])
    .orderBy('day')
  if (days) q = q.where('day', '>=', new Date(Date.parse(nowIso()) - days * DAY_MS).toISOString().slice(0, 10))
  const map = new Map<string, Partial<Record<LaptopState, number>>>()
  for (const r of await q.execute()) {
    const c = map.get(r.day) ?? {}
    c[r.to_state as LaptopState] = Number(r.n)
    map.set(r.day, c)
  }
  return [...map.entries()].sort(([a], [b]) => byCodePoint(a, b)).map(([day, counts]) => ({day, counts}))
}
