import {z} from 'zod'
import {t} from './messages/index.js'
import {textProblem, type TextOptions} from './text.js'

export {DEFAULT_TEXT_MAX, textProblem, type TextOptions} from './text.js'

/**
 * zod helpers for CSV cells (French exports). The reader gives each schema field the
 * trimmed cell text, or `undefined` for an empty cell: every helper takes a string and
 * rejects `undefined` with "value required"; add `.optional()` for optional fields.
 * Outputs are normalised values ready for the store.
 */

const required = {error: () => t('required')}

/** Fold for matching names: lowercase, accents and ligatures removed, spaces collapsed. */
export function foldForMatch(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/\s+/gu, ' ')
    .trim()
}

/**
 * Fold for matching header names: as foldForMatch, the French abbreviations of "numéro"
 * ('N°', 'Nº', 'No', 'Num', 'Num.') read as 'numero' (so 'N° inventaire' matches
 * 'Numéro inventaire'), and spaces, underscores, hyphens and punctuation removed.
 */
export function foldHeader(s: string): string {
  const folded = foldForMatch(s.replace(/[°º]/g, 'o'))
  return folded.replace(/(^|[^\p{L}\p{N}])(no|num|numero)(?:\.|\s|$)\s*/gu, '$1numero ').replace(/[^\p{L}\p{N}]+/gu, '')
}

function fail(ctx: z.RefinementCtx, message: string, input: unknown) {
  ctx.addIssue({code: 'custom', message, input})
  return z.NEVER
}

/**
 * A string taken as it is (possibly empty, not trimmed: JSON values, settings) with the
 * same length limit and character class as `text()`.
 */
export function rawText(opts: TextOptions = {}) {
  return z.string(required).check((ctx) => {
    const problem = textProblem(ctx.value, opts)
    if (problem) ctx.issues.push({code: 'custom', message: problem, input: ctx.value})
  })
}

/**
 * Trimmed text with a length limit (default 200) and a character class: one line without
 * control characters, or with `multiline` free text (tab and line breaks allowed, NUL and
 * other controls refused). An empty cell is `undefined` (so `text()` is required,
 * `text().optional()` is not).
 */
export function text(opts: TextOptions = {}) {
  return z
    .string(required)
    .trim()
    .min(1, required)
    .check((ctx) => {
      const problem = textProblem(ctx.value, opts)
      if (problem) ctx.issues.push({code: 'custom', message: problem, input: ctx.value})
    })
}

/** Parse a French or ISO date to 'YYYY-MM-DD'; undefined when not a date or impossible. */
export function parseFrDate(input: string): {ok: true; value: string} | {ok: false; reason: 'format' | 'impossible'} {
  const s = input.trim()
  let y: number, m: number, d: number
  let match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(s)
  if (match) {
    d = Number(match[1])
    m = Number(match[2])
    y = Number(match[3])
  } else if ((match = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s))) {
    y = Number(match[1])
    m = Number(match[2])
    d = Number(match[3])
  } else {
    return {ok: false, reason: 'format'}
  }
  const date = new Date(Date.UTC(y, m - 1, d))
  if (m < 1 || m > 12 || d < 1 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d || y < 1000)
    return {ok: false, reason: 'impossible'}
  return {ok: true, value: `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`}
}

/**
 * A date: dd/mm/yyyy, d/m/yyyy (also with . or -), or yyyy-mm-dd; a time part after
 * the date is ignored (Excel adds " 00:00:00"). → 'YYYY-MM-DD'. 31/02/2024 is rejected.
 */
export function frDate() {
  return z.string(required).transform((s, ctx) => {
    const r = parseFrDate(s)
    if (r.ok) return r.value
    return fail(ctx, t(r.reason === 'format' ? 'dateInvalid' : 'dateImpossible', {value: s}), s)
  })
}

/**
 * Parse a decimal written the French or the English way: '1 234,56', '1234.56',
 * '1.234,56', '1,234.56', '-12,5', with spaces or non-breaking spaces as thousands
 * separators. With a single separator of one kind, it is the decimal mark
 * ('1,234' = 1.234 in French). Returns the normalised '1234.56' string or undefined.
 */
export function normaliseDecimal(input: string): string | undefined {
  // Fast path: the common '12', '-12,5', '1234.56'.
  const simple = /^(-?\d+)(?:[.,](\d+))?$/.exec(input)
  if (simple) return simple[2] === undefined ? simple[1] : `${simple[1]}.${simple[2]}`
  let s = input.trim().replace(/[\s\u00a0\u202f\u2007']/gu, '')
  if (/^\(.*\)$/.test(s)) s = '-' + s.slice(1, -1)
  s = s.replace(/^\+/, '')
  if (!/^-?[\d.,]+$/.test(s) || !/\d/.test(s)) return undefined
  const lastComma = s.lastIndexOf(',')
  const lastDot = s.lastIndexOf('.')
  let intPart: string
  let decPart = ''
  if (lastComma >= 0 && lastDot >= 0) {
    const decMark = lastComma > lastDot ? ',' : '.'
    const thousands = decMark === ',' ? '.' : ','
    const idx = s.lastIndexOf(decMark)
    intPart = s.slice(0, idx)
    decPart = s.slice(idx + 1)
    if (intPart.includes(decMark) || !/^-?\d{1,3}(\.\d{3})*$|^-?\d{1,3}(,\d{3})*$/.test(intPart)) return undefined
    intPart = intPart.split(thousands).join('')
  } else if (lastComma >= 0 || lastDot >= 0) {
    const mark = lastComma >= 0 ? ',' : '.'
    const parts = s.split(mark)
    if (parts.length > 2) {
      // '1.234.567': thousands separators only.
      if (!parts.slice(1).every((p) => p.length === 3) || !/^-?\d{1,3}$/.test(parts[0])) return undefined
      intPart = parts.join('')
    } else {
      intPart = parts[0]
      decPart = parts[1]
    }
  } else {
    intPart = s
  }
  if (!/^-?\d*$/.test(intPart) || !/^\d*$/.test(decPart)) return undefined
  if (intPart === '' || intPart === '-') intPart = intPart + '0'
  if (decPart === '' && /[.,]$/.test(s)) return undefined
  return decPart ? `${intPart}.${decPart}` : intPart
}

/** A decimal number written the French way ('1 234,56') or the English way ('1234.56'). */
export function frDecimal() {
  return z.string(required).transform((s, ctx) => {
    const n = normaliseDecimal(s)
    if (n === undefined || !Number.isFinite(Number(n))) return fail(ctx, t('decimalInvalid', {value: s}), s)
    return Number(n)
  })
}

/** An amount in euros ('12,50', '1 234,5 €', '12') → integer cents (1250); undefined when not an amount. */
export function parseCents(s: string): number | undefined {
  const n = normaliseDecimal(s.replace(/\s*(€|eur|euros?)\s*$/i, '').replace(/^\s*€\s*/, ''))
  const m = n === undefined ? null : /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(n)
  if (!m) return undefined
  const value = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'))
  if (!Number.isSafeInteger(value)) return undefined
  return m[1] === '-' && value !== 0 ? -value : value
}

/** An amount in euros ('12,50', '1 234,5 €', '12') → integer cents (1250). More than 2 decimals is rejected. */
export function cents() {
  return z.string(required).transform((s, ctx) => parseCents(s) ?? fail(ctx, t('centsInvalid', {value: s}), s))
}

const TRUE = new Set(['oui', 'o', 'x', '1', 'true', 'vrai', 'yes', 'y'])
const FALSE = new Set(['non', 'n', '0', 'false', 'faux', 'no'])

/** oui/non, o/n, x (a ticked box), 1/0, true/false, vrai/faux, yes/no → boolean; undefined otherwise. */
export function parseFrBoolean(s: string): boolean | undefined {
  const f = foldForMatch(s)
  if (TRUE.has(f)) return true
  if (FALSE.has(f)) return false
  return undefined
}

/** oui/non, o/n, x (a ticked box), 1/0, true/false, vrai/faux, yes/no → boolean. */
export function frBoolean() {
  return z.string(required).transform((s, ctx) => parseFrBoolean(s) ?? fail(ctx, t('booleanInvalid', {value: s}), s))
}

/**
 * Normalise a phone number. French numbers (0X…, +33 X…, 0033 X…, +33 (0)X…) →
 * national format '05 58 12 34 56'. Other international numbers (+ and 8 to 15 digits,
 * or 00 prefix) → E.164 '+3225551234'. Anything else → undefined.
 */
export function normalisePhone(input: string): string | undefined {
  let s = input
    .trim()
    .replace(/\(0\)/g, '')
    .replace(/[\s.\-/()\u00a0\u202f]/gu, '')
  if (s.startsWith('00')) s = '+' + s.slice(2)
  if (!/^\+?\d+$/.test(s)) return undefined
  if (s.startsWith('+33')) s = '0' + s.slice(3)
  else if (/^33[1-9]\d{8}$/.test(s)) s = '0' + s.slice(2)
  else if (/^[1-9]\d{8}$/.test(s)) s = '0' + s // Excel dropped the leading zero
  if (/^0[1-9]\d{8}$/.test(s)) return s.replace(/(\d{2})(?=\d)/g, '$1 ')
  if (/^\+[1-9]\d{7,14}$/.test(s)) return s
  return undefined
}

export function frPhone() {
  return z.string(required).transform((s, ctx) => normalisePhone(s) ?? fail(ctx, t('phoneInvalid', {value: s}), s))
}

const EMAIL = /^[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:.]{2,}$/u

/** An email address, trimmed and lowercased. */
export function email() {
  return z.string(required).transform((s, ctx) => {
    const v = s.trim().toLowerCase()
    if (!EMAIL.test(v) || v.includes('..')) return fail(ctx, t('emailInvalid', {value: s}), s)
    return v
  })
}

/** A French postal code: 5 digits. 4 digits get their leading zero back (Excel drops it: 1000 → 01000). */
export function normalisePostalCode(input: string): string | undefined {
  const s = input.trim().replace(/\s/g, '')
  if (/^\d{5}$/.test(s) && s !== '00000') return s
  if (/^[1-9]\d{3}$/.test(s)) return '0' + s
  return undefined
}

export function postalCode() {
  return z.string(required).transform((s, ctx) => normalisePostalCode(s) ?? fail(ctx, t('postalInvalid', {value: s}), s))
}

/** A commune's INSEE code: 5 characters, digits or 2A/2B (Corsica) then 3 digits; 4 digits get a leading zero. */
export function normaliseInseeCode(input: string): string | undefined {
  const s = input.trim().toUpperCase().replace(/\s/g, '')
  if (/^(\d{2}|2A|2B)\d{3}$/.test(s) && s !== '00000') return s
  if (/^[1-9]\d{3}$/.test(s)) return '0' + s
  return undefined
}

export function inseeCode() {
  return z.string(required).transform((s, ctx) => normaliseInseeCode(s) ?? fail(ctx, t('inseeInvalid', {value: s}), s))
}
