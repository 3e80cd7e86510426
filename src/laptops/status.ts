import type {ServiceContext} from '../context/service-context.js'
import {LAPTOP_STATES, type LaptopState} from './states.js'

export interface LaptopStatus {
  total: number
  byState: Record<LaptopState, number>
  bySite: {site: string; name: string; quota: number; allocated: number; handed_over: number; remaining: number; convention_end: string}[]
  byModel: {maker: string | null; model: string | null; total: number; ready: number; handed_over: number}[]
  /** per day: how many laptops entered each state that day (from the events) */
  perDay: {day: string; counts: Partial<Record<LaptopState, number>>}[]
}

/** Counts by state, by site, by model, and per day. The same data for the table and --json. */
export async function laptopStatus(ctx: ServiceContext, opts: {days?: number} = {}): Promise<LaptopStatus> {
  const db = ctx.store.db
  const byState = Object.fromEntries(LAPTOP_STATES.map((s) => [s, 0])) as Record<LaptopState, number>
  const states = await db.selectFrom('laptops').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute()
  let total = 0
  for (const r of states) {
    byState[r.state] = Number(r.n)
    total += Number(r.n)
  }
  const sites = await db.selectFrom('laptop_sites').select(['code', 'name', 'quota', 'convention_end']).orderBy('code').execute()
  const siteCounts = await db.selectFrom('laptops').select(['site_code', 'state', (eb) => eb.fn.countAll<number>().as('n')]).where('site_code', 'is not', null).groupBy(['site_code', 'state']).execute()
  const bySite = sites.map((s) => {
    const allocated = Number(siteCounts.find((c) => c.site_code === s.code && c.state === 'allocated')?.n ?? 0)
    const handedOver = Number(siteCounts.find((c) => c.site_code === s.code && c.state === 'handed_over')?.n ?? 0)
    return {site: s.code, name: s.name, quota: s.quota, allocated, handed_over: handedOver, remaining: Math.max(0, s.quota - allocated - handedOver), convention_end: s.convention_end}
  })
  const models = await db.selectFrom('laptops').select(['maker', 'model', 'state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['maker', 'model', 'state']).execute()
  const modelMap = new Map<string, LaptopStatus['byModel'][number]>()
  for (const m of models) {
    const k = `${m.maker ?? ''}\0${m.model ?? ''}`
    const e = modelMap.get(k) ?? {maker: m.maker, model: m.model, total: 0, ready: 0, handed_over: 0}
    e.total += Number(m.n)
    if (m.state === 'ready') e.ready += Number(m.n)
    if (m.state === 'handed_over') e.handed_over += Number(m.n)
    modelMap.set(k, e)
  }
  const byModel = [...modelMap.values()].sort((a, b) => b.total - a.total || String(a.model).localeCompare(String(b.model)))
  let q = db.selectFrom('laptop_events').select(['day', 'to_state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['day', 'to_state']).orderBy('day')
  if (opts.days) {
    const from = new Date(Date.now() - opts.days * 86_400_000).toISOString().slice(0, 10)
    q = q.where('day', '>=', from)
  }
  const dayRows = await q.execute()
  const perDayMap = new Map<string, Partial<Record<LaptopState, number>>>()
  for (const r of dayRows) {
    const c = perDayMap.get(r.day) ?? {}
    c[r.to_state as LaptopState] = Number(r.n)
    perDayMap.set(r.day, c)
  }
  const perDay = [...perDayMap.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, counts]) => ({day, counts}))
  return {total, byState, bySite, byModel, perDay}
}
