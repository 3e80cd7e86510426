import {defineMessages, language, type Lang} from '../../core/i18n.js'
import {en, type MessageKey} from './en.js'
import {fr} from './fr.js'

export type {MessageKey}

type Params = Record<string, string | number>

/** A message kept for later (stored data, a result shown afterwards): its key and parameters, never its text. */
export interface StoredMessage {
  code: MessageKey
  params?: Params
}

const catalog = defineMessages({en, fr})

/**
 * `t(key, params)`: the text in the current language. Plurals in the catalog are written
 * `{n, plural, one {# école} other {# écoles}}` (ICU); `plurals` resolves what the core's
 * formatter leaves (a bridge until the core formats plurals itself: it is then a no-op).
 */
export const t = Object.assign((key: MessageKey, params?: Params, lang: Lang = language()): string => plurals(catalog(key, params, lang), params, lang), catalog)

function plurals(text: string, params: Params = {}, lang: Lang): string {
  return text.replace(/\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g, (whole, name: string, body: string) => {
    if (!(name in params)) return whole
    const n = Number(params[name])
    const options = new Map([...body.matchAll(/(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g)].map((m) => [m[1]!, m[2]!]))
    const chosen = options.get(`=${n}`) ?? options.get(new Intl.PluralRules(lang === 'fr' ? 'fr-FR' : 'en-GB').select(n)) ?? options.get('other') ?? ''
    return chosen.replace(/#/g, String(params[name]))
  })
}
