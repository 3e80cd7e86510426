/**
 * Message catalogs in French and English. Each module defines its own catalog with
 * `defineMessages`; the language is French when LANG/LC_ALL start with "fr" or when
 * `--lang fr` is given (setLanguage). Documents handed to people are always French.
 */
export type Lang = 'fr' | 'en'

let current: Lang | undefined

export function detectLanguage(env: NodeJS.ProcessEnv = process.env): Lang {
  const v = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  return v.toLowerCase().startsWith('fr') ? 'fr' : 'en'
}

export function setLanguage(lang: Lang | undefined): void {
  current = lang
}

export function language(): Lang {
  return current ?? detectLanguage()
}

type Params = Record<string, string | number>
type Catalog<K extends string> = Record<K, string>

function interpolate(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m))
}

/** Define a catalog; returns `t(key, params)` in the current language. */
export function defineMessages<K extends string>(catalog: {en: Catalog<K>; fr: Catalog<K>}) {
  return (key: K, params?: Params, lang: Lang = language()): string => interpolate(catalog[lang][key] ?? catalog.en[key] ?? key, params)
}
