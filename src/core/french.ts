/**
 * French as documents handed to people write it (receipts, certificates, worksheets, reports):
 * dates "1er décembre 2026" and times in Europe/Paris whatever the machine's zone, decimal commas,
 * "12 345,50 €", and the no-break spaces of French typography. Dates and times come from
 * the Paris clock (paris-time.ts), amounts from one Intl formatter built when first used;
 * documents use these and never slice ISO strings.
 */
import {onFirstUse} from './lazy.js'
import {parisClock, parisTime} from './paris-time.js'

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']
const EUROS = onFirstUse(() => new Intl.NumberFormat('fr-FR', {style: 'currency', currency: 'EUR'}))

/** No-break space (before ":" and inside « »), narrow no-break space (before ; ? !), as the Imprimerie nationale sets them. */
export const NBSP = '\u00A0'
export const NNBSP = '\u202F'

/**
 * A calendar day 'YYYY-MM-DD' is that day (never moved by a time zone); any other ISO date-time
 * (or Date) is the day it is in Paris. → "1er décembre 2026", "2 décembre 2026".
 */
export function frDate(value: string | Date): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number) as [number, number, number]
    // Noon UTC is the same calendar day in Paris in every season.
    return day(new Date(Date.UTC(y, m - 1, d, 12)))
  }
  return day(toDate(value))
}

/** An instant in Paris time: "1er décembre 2026 à 14:05:09". */
export function frDateTime(value: string | Date): string {
  const d = toDate(value)
  return `${day(d)} à ${parisTime(d)}`
}

/** The day in Paris, the first of a month as French writes it: "1er" (Intl says "1"). */
function day(d: Date): string {
  const c = parisClock(d)
  return `${c.day === 1 ? '1er' : c.day} ${MONTHS[c.month - 1]} ${c.year}`
}

/** A number with a decimal comma and grouped thousands: 1234.5 → "1 234,5". */
export function frNumber(n: number, maxDecimals = 2): string {
  return new Intl.NumberFormat('fr-FR', {maximumFractionDigits: maxDecimals}).format(n)
}

/** An amount in cents → "12 345,50 €". */
export function frEuros(cents: number): string {
  return EUROS().format(cents / 100)
}

/**
 * French typography on a text written with ordinary spaces: the space before ":" and » and
 * after « becomes a no-break space, the one before ; ? ! a narrow one. Only existing spaces
 * change: "14:05", a URL or an HTML entity ("&amp;") stay as they are.
 */
export function frTypography(text: string): string {
  return text
    .replace(/« +/g, `«${NBSP}`)
    .replace(/ +»/g, `${NBSP}»`)
    .replace(/ +:/g, `${NBSP}:`)
    .replace(/ +([;?!])/g, `${NNBSP}$1`)
}

/** frTypography on the text of an HTML page, never inside its tags, styles or scripts. */
export function frTypographyHtml(html: string): string {
  return html
    .split(/(<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>|<[^>]*>)/i)
    .map((part, i) => (i % 2 === 1 ? part : frTypography(part)))
    .join('')
}

/** What a French document template gets as `it.fr`. */
export const FR = {date: frDate, dateTime: frDateTime, number: frNumber, euros: frEuros}

function toDate(value: string | Date): Date {
  const d = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(d.getTime())) throw new RangeError(`Not a date: ${String(value)}`)
  return d
}
