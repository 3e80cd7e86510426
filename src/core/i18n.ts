/**
 * Message catalogs in French and English. Each module defines its own catalog with
 * `defineMessages`, one file per language (`messages/en.ts`, `messages/fr.ts` typed against the
 * English keys); the language is French when LANG/LC_ALL start with "fr" or when `--lang fr` is
 * given (setLanguage). Documents handed to people are always French.
 *
 * The policy: an error (or anything kept for later, stored data included) carries a `Message`,
 * a catalog key and its parameters, never a sentence; its text is made when it is shown, in the
 * language in force then (`render`). `t(key, params)` gives the text now, for lines printed at
 * once. Plurals: `{n, plural, one {# row} other {# rows}}` (Intl.PluralRules of the language;
 * `#` is the number), so French reads "0 inconnu", "1 inconnu", "2 inconnus".
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

/** A parameter may itself be a message (a reason inside a sentence), or a list of texts (joined by ", "), rendered in the same language. */
export type Param = string | number | Message | readonly (string | Message)[]
export type Params = Record<string, Param>
export type Catalog<K extends string> = Record<K, string>

/** A catalog key and its parameters: the text is made when it is shown. JSON keeps {key, params}. */
export class Message {
  constructor(
    readonly catalog: {en: Record<string, string>; fr: Record<string, string>},
    readonly key: string,
    readonly params: Params = {},
  ) {}

  text(lang: Lang = language()): string {
    const params = Object.fromEntries(
      Object.entries(this.params).map(([k, v]) => [
        k,
        Array.isArray(v)
          ? v.map((x: string | Message) => render(x, lang)).join(', ')
          : v instanceof Message
            ? v.text(lang)
            : (v as string | number),
      ]),
    )
    return format(this.catalog[lang][this.key] ?? this.catalog.en[this.key] ?? this.key, params, lang)
  }

  toString(): string {
    return this.text()
  }

  toJSON(): {key: string; params: Params} {
    return {key: this.key, params: this.params}
  }
}

/** Text to show: a plain string (a tool's own output, a name) or a message of a catalog. */
export type Text = string | Message

/** The text of a string or a message, in the given (default: current) language. */
export function render(text: Text, lang: Lang = language()): string {
  return typeof text === 'string' ? text : text.text(lang)
}

/** "1 inconnu", "2 inconnus": the plural category of n in the language. */
export function pluralCategory(n: number, lang: Lang = language()): Intl.LDMLPluralRule {
  return new Intl.PluralRules(lang === 'fr' ? 'fr-FR' : 'en-GB').select(n)
}

/** Replace {name} and {n, plural, one {...} other {...}} (balanced braces, nested placeholders allowed). */
export function format(template: string, params: Record<string, string | number> = {}, lang: Lang = language()): string {
  let out = ''
  let i = 0
  while (i < template.length) {
    const open = template.indexOf('{', i)
    if (open === -1) break
    out += template.slice(i, open)
    const close = matchingBrace(template, open)
    if (close === -1) {
      out += template.slice(open)
      return out
    }
    out += placeholder(template.slice(open, close + 1), params, lang)
    i = close + 1
  }
  return out + template.slice(i)
}

function matchingBrace(s: string, open: number): number {
  let depth = 0
  for (let j = open; j < s.length; j++) {
    if (s[j] === '{') depth++
    else if (s[j] === '}' && --depth === 0) return j
  }
  return -1
}

function placeholder(whole: string, params: Record<string, string | number>, lang: Lang): string {
  const simple = /^\{(\w+)\}$/.exec(whole)
  if (simple) return simple[1]! in params ? String(params[simple[1]!]) : whole
  const plural = /^\{(\w+), plural,([\s\S]*)\}$/.exec(whole)
  if (!plural || !(plural[1]! in params)) return whole
  const n = Number(params[plural[1]!])
  const options = new Map<string, string>()
  const body = plural[2]!
  const re = /\s*(=\d+|zero|one|two|few|many|other)\s*\{/g
  let m: RegExpExecArray | null
  while ((m = re.exec(body))) {
    const start = m.index + m[0].length - 1
    const end = matchingBrace(body, start)
    if (end === -1) break
    options.set(m[1]!, body.slice(start + 1, end))
    re.lastIndex = end + 1
  }
  const chosen = options.get(`=${n}`) ?? options.get(pluralCategory(n, lang)) ?? options.get('other') ?? ''
  return format(chosen.replace(/#/g, String(params[plural[1]!])), params, lang)
}

export type Translate<K extends string> = {
  /** The text now, in the current language (or `lang`). */
  (key: K, params?: Params, lang?: Lang): string
  /** The message itself, made into text when shown (errors, actions, stored data). */
  m(key: K, params?: Params): Message
  /** Both languages, for the catalog test. */
  readonly catalog: {en: Catalog<K>; fr: Catalog<K>}
}

/** Define a catalog; returns `t(key, params)` in the current language, and `t.m(key, params)` for later. */
export function defineMessages<K extends string>(catalog: {en: Catalog<K>; fr: Catalog<K>}): Translate<K> {
  const t = (key: K, params?: Params, lang: Lang = language()): string => new Message(catalog, key, params).text(lang)
  return Object.assign(t, {m: (key: K, params?: Params) => new Message(catalog, key, params), catalog})
}
