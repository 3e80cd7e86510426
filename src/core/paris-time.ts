import {onFirstUse} from './lazy.js'

/**
 * The wall clock in Paris (Europe/Paris) at an instant, without building an Intl formatter:
 * the first `Intl.DateTimeFormat` of a process costs about 20 ms of ICU set-up, more than a
 * whole `alpi laptops status` on a small store (bench/cli-startup.mjs). Since 1996 France keeps
 * the European Union's rule (Directive 2000/84/EC and the 1996 directives before it): UTC+1,
 * and UTC+2 from the last Sunday of March at 01:00 UTC to the last Sunday of October at 01:00
 * UTC. Instants before 1996 (other rules) are read through Intl. test/unit/core/paris-time.test.ts
 * compares both, hour by hour and at every change, from 1996 to 2100.
 */
export interface ParisClock {
  year: number
  /** 1 to 12 */
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000
/** From this instant on (1996-01-01T00:00Z) the EU rule holds. */
const EU_RULE_FROM = Date.UTC(1996, 0, 1)

/** 01:00 UTC on the last Sunday of a month (0-based), when summer time starts or ends. */
function lastSundayAtOne(year: number, month: number): number {
  const lastDay = new Date(Date.UTC(year, month + 1, 0, 1))
  return lastDay.getTime() - lastDay.getUTCDay() * DAY_MS
}

/** Paris's offset from UTC at an instant of 1996 or later, in milliseconds. */
function euOffset(t: number): number {
  const year = new Date(t).getUTCFullYear()
  return t >= lastSundayAtOne(year, 2) && t < lastSundayAtOne(year, 9) ? 2 * HOUR_MS : HOUR_MS
}

const BEFORE_1996 = onFirstUse(
  () =>
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Paris',
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }),
)

/** The date and time a clock in Paris shows at this instant. */
export function parisClock(at: Date): ParisClock {
  const t = at.getTime()
  if (Number.isNaN(t)) throw new RangeError('Not a date')
  if (t < EU_RULE_FROM) {
    const parts = Object.fromEntries(
      BEFORE_1996()
        .formatToParts(at)
        .map((p) => [p.type, Number(p.value)]),
    )
    return {year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second!}
  }
  const local = new Date(t + euOffset(t))
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  }
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** The calendar day in Paris, 'YYYY-MM-DD'. */
export function parisDay(at: Date): string {
  const c = parisClock(at)
  return `${pad(c.year, 4)}-${pad(c.month)}-${pad(c.day)}`
}

/** The time in Paris, 'HH:MM:SS' (24 hours). */
export function parisTime(at: Date): string {
  const c = parisClock(at)
  return `${pad(c.hour)}:${pad(c.minute)}:${pad(c.second)}`
}

/** Day, month and year in Paris as DD/MM/YYYY (both languages write it so). */
export function parisDayNumeric(at: Date): string {
  const c = parisClock(at)
  return `${pad(c.day)}/${pad(c.month)}/${pad(c.year, 4)}`
}
