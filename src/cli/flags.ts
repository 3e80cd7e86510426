import {Flags} from '@oclif/core'
import {UsageError} from '../core/errors.js'
import {textProblem} from '../csv/text.js'
import {t} from './messages/index.js'

/**
 * The one set of value parsers for flags (integers, calendar dates, durations). Each bad
 * value is a UsageError (exit 2) whose message names the flag; the plain functions are
 * exported for services that take the same values from elsewhere.
 */

/** A whole number written in decimal digits (an optional minus sign), within [min, max]. */
export function parseIntegerFlag(flag: string, input: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
  const s = input.trim()
  const n = /^[+-]?\d+$/.test(s) ? Number(s) : Number.NaN
  if (!Number.isSafeInteger(n))
    throw new UsageError(t('flagNotInteger', {flag, value: input}), {actions: [t('flagIntegerAction', {flag, range: range(min, max)})]})
  if (n < min)
    throw new UsageError(t('flagTooSmall', {flag, value: input, min}), {actions: [t('flagIntegerAction', {flag, range: range(min, max)})]})
  if (n > max)
    throw new UsageError(t('flagTooLarge', {flag, value: input, max}), {actions: [t('flagIntegerAction', {flag, range: range(min, max)})]})
  return n
}

function range(min: number, max: number): string {
  const lo = min === Number.MIN_SAFE_INTEGER ? undefined : min
  const hi = max === Number.MAX_SAFE_INTEGER ? undefined : max
  if (lo !== undefined && hi !== undefined) return `${lo}-${hi}`
  if (lo !== undefined) return `≥ ${lo}`
  if (hi !== undefined) return `≤ ${hi}`
  return '…'
}

/**
 * A calendar date 'YYYY-MM-DD' that exists (2026-02-30 is refused, never moved to March):
 * it must read back to the same digits through a UTC date.
 */
export function parseIsoDateFlag(flag: string, input: string): string {
  const s = input.trim()
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) throw new UsageError(t('flagNotDate', {flag, value: input}), {actions: [t('flagDateAction', {flag})]})
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== s || Number(m[1]) < 1900) {
    throw new UsageError(t('flagImpossibleDate', {flag, value: input}), {actions: [t('flagDateAction', {flag})]})
  }
  return s
}

const DAYS_PER_UNIT = {d: 1, m: 30, y: 365} as const
/** The longest duration accepted by default: 100 years (a date arithmetic stays far inside JS dates). */
export const MAX_DURATION_DAYS = 36_500

/**
 * A duration in days: '365', '365d', '12m' (30 days each), '3y' (365 days each), at least
 * 1 day and at most `maxDays` (default 100 years).
 */
export function parseDurationDaysFlag(flag: string, input: string, maxDays = MAX_DURATION_DAYS): number {
  const m = /^(\d{1,9})\s*([dmy]?)$/i.exec(input.trim())
  if (!m) throw new UsageError(t('flagNotDuration', {flag, value: input}), {actions: [t('flagDurationAction', {flag})]})
  const days = Number(m[1]) * DAYS_PER_UNIT[(m[2] || 'd').toLowerCase() as keyof typeof DAYS_PER_UNIT]
  if (days < 1) throw new UsageError(t('flagDurationTooShort', {flag, value: input}), {actions: [t('flagDurationAction', {flag})]})
  if (days > maxDays)
    throw new UsageError(t('flagDurationTooLong', {flag, value: input, max: maxDays}), {actions: [t('flagDurationAction', {flag})]})
  return days
}

/**
 * A point in time for filters: an ISO date (YYYY-MM-DD, checked as parseIsoDateFlag), an ISO
 * date-time with its zone, or a duration back from now ('7d', '12h'). → ISO string (UTC).
 */
export function parseSinceFlag(flag: string, input: string, now: Date = new Date()): string {
  const s = input.trim()
  const rel = /^(\d{1,6})([dh])$/.exec(s)
  if (rel) {
    const hours = Number(rel[1]) * (rel[2] === 'd' ? 24 : 1)
    if (hours > MAX_DURATION_DAYS * 24)
      throw new UsageError(t('flagDurationTooLong', {flag, value: input, max: MAX_DURATION_DAYS}), {
        actions: [t('flagSinceAction', {flag})],
      })
    return new Date(now.getTime() - hours * 3_600_000).toISOString()
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return `${parseIsoDateFlag(flag, s)}T00:00:00.000Z`
  const dt = /^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/.exec(s)
  if (dt) {
    parseIsoDateFlag(flag, dt[1]!)
    const d = new Date(s)
    if (!Number.isNaN(d.getTime())) return d.toISOString()
  }
  throw new UsageError(t('flagNotSince', {flag, value: input}), {actions: [t('flagSinceAction', {flag})]})
}

/** Flags.integer's twin whose bad values are usage errors (exit 2) naming the flag. */
export const integer = Flags.custom<number, {min?: number; max?: number}>({
  parse: async (input, _ctx, opts) => parseIntegerFlag(`--${opts.name}`, input, opts.min, opts.max),
})

/** One line of free text (a reason, a maker): the rule of the CSV text fields, at most `max` characters (default 200). */
export const lineText = Flags.custom<string, {max?: number}>({
  parse: async (input, _ctx, opts) => {
    const problem = textProblem(input.trim(), {max: opts.max})
    if (problem)
      throw new UsageError(t.m('flagParse', {flag: `--${opts.name}`, detail: problem}), {
        actions: [t('flagTextAction', {flag: `--${opts.name}`})],
      })
    return input.trim()
  },
})

/** A calendar date YYYY-MM-DD that exists. */
export const isoDate = Flags.custom<string>({
  parse: async (input, _ctx, opts) => parseIsoDateFlag(`--${opts.name}`, input),
  helpValue: 'YYYY-MM-DD',
})

/** A duration → days (365, 365d, 12m, 3y), at most `maxDays`. */
export const durationDays = Flags.custom<number, {maxDays?: number}>({
  parse: async (input, _ctx, opts) => parseDurationDaysFlag(`--${opts.name}`, input, opts.maxDays),
  helpValue: '365|12m|3y',
})

/** A date, a date-time, or a duration back from now (7d, 12h) → ISO string. */
export const since = Flags.custom<string>({
  parse: async (input, _ctx, opts) => parseSinceFlag(`--${opts.name}`, input),
  helpValue: 'YYYY-MM-DD|7d|12h',
})

/**
 * oclif wraps the error a flag's parser throws as "Parsing --NAME \n\t<message>\nSee more
 * help with --help" (and its own integer/option parsers throw plain Errors): the flag and the
 * inner message, or undefined when this is not a flag parsing error.
 */
export function unwrapFlagParseError(message: string): {flag: string; message: string} | undefined {
  const m = /^Parsing (--[\w-]+) ?\n\t([\s\S]*?)\nSee more help with --help$/.exec(message)
  return m ? {flag: m[1]!, message: m[2]!} : undefined
}
