import {defineMessages, language} from '../../core/i18n.js'
import {en, type MessageKey} from './en.js'
import {fr} from './fr.js'

export type {MessageKey}

/** A message kept for later (stored data, a result shown afterwards): its key and parameters, never its text. */
export interface StoredMessage {
  code: MessageKey
  params?: Record<string, string | number>
}

/** `t(key, params)`: the text in the current language; `t.m(key, params)`: a message whose text is made when shown. */
export const t = defineMessages({en, fr})

/**
 * A check's reason in the reader's language (rows assessed before codes hold English text).
 * Sizes are kept in MiB (`mb`) and written in the reader's units and decimal mark.
 */
export function reasonText(c: {reason?: string; code?: string; params?: Record<string, string | number>}): string {
  if (!c.code) return c.reason ?? ''
  const params = c.params ?? {}
  return t(c.code as MessageKey, typeof params.mb === 'number' ? {...params, size: formatGb(params.mb)} : params)
}

/** A size, in the current language ("3.9 GB", "3,9 Go"). */
function formatGb(mb: number): string {
  const gb = mb / 1024
  const n = gb >= 10 ? Math.round(gb) : Math.round(gb * 10) / 10
  return t('gb', {n: language() === 'fr' ? String(n).replace('.', ',') : String(n)})
}
