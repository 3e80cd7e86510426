import {defineMessages} from '../../core/i18n.js'
import {en, type MessageKey} from './en.js'
import {fr} from './fr.js'

export type {MessageKey}

/** `t(key, params)`: the text in the current language; `t.m(key, params)`: a message whose text is made when shown. */
export const t = defineMessages({en, fr})

/** An amount in cents as French money: 1\u202f234,50 € (a narrow no-break space between thousands). */
export function formatEuros(cents: number): string {
  const neg = cents < 0
  const a = Math.abs(cents)
  const int = String(Math.floor(a / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')
  return `${neg ? '−' : ''}${int},${String(a % 100).padStart(2, '0')} €`
}
