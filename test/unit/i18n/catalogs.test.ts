import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {AlpiError, UsageError} from '../../../src/core/errors.js'
import {defineMessages, format, Message, setLanguage} from '../../../src/core/i18n.js'
import {REPO_ROOT} from '../../helpers/context.js'

/**
 * Every catalog of alpi: each `defineMessages` result a module exports (t, msg, th...) carries
 * its two languages. A campaign's catalog is checked as soon as its messages module is listed.
 */
const MODULES = [
  'src/cli/messages/index.ts',
  'src/core/messages/index.ts',
  'src/csv/messages/index.ts',
  'src/store/messages/index.ts',
  'src/remote/messages/index.ts',
  'src/laptops/messages/index.ts',
  'src/firewalls/messages/index.ts',
  'src/win7/messages/index.ts',
  'src/cityfamily/messages/index.ts',
]

/**
 * French texts that are the English ones by nature (a column named by its acronym, a word both
 * languages share). Keep it short: anything else equal in both languages is a forgotten line.
 */
const SAME_IN_BOTH = new Set([
  'check_webcam',
  'check_wifi',
  'check_ports',
  'kind.commune',
  'check.services',
  'act.status',
  'id',
  'port',
  'type',
  'migration',
  'table',
  'flagParse',
  'quota',
  'total',
  'code',
  'convention',
  'compression',
  'sha256',
  'sshNotTargetAction',
])

type Catalog = {en: Record<string, string>; fr: Record<string, string>}

async function catalogs(): Promise<[string, Catalog][]> {
  const out: [string, Catalog][] = []
  for (const file of MODULES) {
    const mod = (await import(join(REPO_ROOT, file))) as Record<string, unknown>
    const seen = new Set<unknown>()
    const visit = (name: string, v: unknown) => {
      const c = (v as {catalog?: Catalog} | undefined)?.catalog
      if (typeof v === 'function' && c?.en && c.fr && !seen.has(c)) {
        seen.add(c)
        out.push([`${file} ${name}`, c])
      } else if (v && typeof v === 'object' && !Array.isArray(v) && typeof v !== 'function')
        for (const [k, x] of Object.entries(v)) if (typeof x === 'function') visit(`${name}.${k}`, x)
    }
    for (const [name, v] of Object.entries(mod)) visit(name, v)
  }
  return out
}

/** The parameters a template uses: {name}, and the selector of {n, plural, ...} with those of its options. */
function params(s: string): string[] {
  const found = new Set<string>()
  const walk = (text: string) => {
    let depth = 0
    let start = -1
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '{' && depth++ === 0) start = i
      else if (text[i] === '}' && --depth === 0) {
        const inner = text.slice(start + 1, i)
        const plural = /^(\w+), plural,([\s\S]*)$/.exec(inner)
        if (plural) {
          found.add(plural[1]!)
          for (const option of plural[2]!.matchAll(/\{([^{}]*(?:\{[^{}]*\}[^{}]*)*)\}/g)) walk(option[1]!)
        } else if (/^\w+$/.test(inner)) found.add(inner)
      }
    }
  }
  walk(s)
  return [...found].sort()
}

afterEach(() => setLanguage(undefined))

describe('message catalogs: both languages, same parameters, nothing left untranslated', async () => {
  const all = await catalogs()

  it('finds the catalogs of the frame and of the four campaigns', () => {
    for (const file of MODULES)
      expect(
        all.some(([name]) => name.startsWith(file)),
        file,
      ).toBe(true)
  })

  for (const [name, c] of all) {
    it(`${name}: every key in both languages, with the same parameters`, () => {
      expect(Object.keys(c.fr).sort()).toEqual(Object.keys(c.en).sort())
      for (const key of Object.keys(c.en)) {
        expect(c.fr[key]?.trim(), `${name} ${key} in French`).toBeTruthy()
        expect(params(c.fr[key]!), `${name} ${key}`).toEqual(params(c.en[key]!))
      }
    })

    it(`${name}: no French text equal to an untranslated English sentence`, () => {
      const same = Object.keys(c.en).filter(
        (k) => c.fr[k] === c.en[k] && !SAME_IN_BOTH.has(k) && /[a-z]{3,}/.test(c.en[k]!.replace(/\{[^{}]*\}/g, '')),
      )
      expect(same).toEqual([])
    })
  }
})

describe('messages: a key and its parameters, made into text when shown', () => {
  const t = defineMessages({
    en: {unknown: '{n, plural, one {# unknown} other {# unknowns}} in {file}', hi: 'Hello {who}'},
    fr: {unknown: '{n, plural, one {# inconnu} other {# inconnus}} dans {file}', hi: 'Bonjour {who}'},
  })

  it('plurals follow the language: "0 inconnu", "1 inconnu", "2 inconnus"; "0 unknowns", "1 unknown"', () => {
    expect([0, 1, 2].map((n) => t('unknown', {n, file: 'a.csv'}, 'fr'))).toEqual([
      '0 inconnu dans a.csv',
      '1 inconnu dans a.csv',
      '2 inconnus dans a.csv',
    ])
    expect([0, 1, 2].map((n) => t('unknown', {n, file: 'a.csv'}, 'en'))).toEqual([
      '0 unknowns in a.csv',
      '1 unknown in a.csv',
      '2 unknowns in a.csv',
    ])
    expect(format('{n, plural, =0 {none} other {# left}}', {n: 0}, 'en')).toBe('none')
    expect(format('{missing} stays', {}, 'en')).toBe('{missing} stays')
  })

  it('an error keeps the key and params; its message and actions are told in the language in force when shown', () => {
    const err = new UsageError(t.m('hi', {who: 'Marie'}), {actions: [t.m('unknown', {n: 2, file: 'b.csv'}), 'alpi hosts list']})
    setLanguage('fr')
    expect(err.message).toBe('Bonjour Marie')
    expect(err.actions).toEqual(['2 inconnus dans b.csv', 'alpi hosts list'])
    setLanguage('en')
    expect(err.message).toBe('Hello Marie')
    expect(err.actions[0]).toBe('2 unknowns in b.csv')
    expect(err.text).toBeInstanceOf(Message)
    expect(JSON.parse(JSON.stringify(err.text))).toEqual({key: 'hi', params: {who: 'Marie'}})
    // a plain string (a tool's own words) stays as it is
    expect(new AlpiError('X', 'dd: No space left on device').message).toBe('dd: No space left on device')
  })

  it('a parameter may be a message or a list, told in the same language', () => {
    const m = t.m('hi', {who: [t.m('hi', {who: 'A'}), 'B']})
    expect(m.text('fr')).toBe('Bonjour Bonjour A, B')
    expect(m.text('en')).toBe('Hello Hello A, B')
  })
})

/**
 * The frame's errors take their text from a catalog: no `throw new XError('sentence')` or
 * template literal in src/cli, src/core, src/csv, src/store, src/remote and the frame's commands.
 * BugError (an alpi bug, for developers) and plain Error (internal, turned into a BugError)
 * are not shown to technicians as such. msg-campaigns' modules join the list once converted.
 */
const FRAME_DIRS = [
  'src/cli',
  'src/core',
  'src/csv',
  'src/store',
  'src/remote',
  'commands/db',
  'commands/audit',
  'commands/hosts',
  'commands/config',
  'commands/doctor.ts',
]

function sources(path: string): string[] {
  const abs = join(REPO_ROOT, path)
  if (statSync(abs).isFile()) return [abs]
  return readdirSync(abs)
    .flatMap((e) => sources(join(path, e)))
    .filter((f) => f.endsWith('.ts'))
}

describe('every error of the frame has a catalog text', () => {
  it('no literal sentence as the message of a typed error', () => {
    const literal =
      /new (UsageError|InputRejected|PartialFailure|Cancelled|NotFound|ExternalToolError|RemoteHostError|StoreError|OutputError|UnsafePathError)\(\s*['"`]|new (AlpiError|RuleViolation|HostKeyError)\(\s*[^,]+,\s*['"`]/
    const found = FRAME_DIRS.flatMap(sources)
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((l, i) => ({l, at: `${relative(REPO_ROOT, f)}:${i + 1}`})),
      )
      .filter(({l}) => literal.test(l))
      .map(({at, l}) => `${at}: ${l.trim().slice(0, 120)}`)
    expect(found).toEqual([])
  })

  it('no literal English action next to a catalog message', () => {
    const action = /actions: \[\s*['"`][A-Z][a-z]+ [a-z]/
    const found = FRAME_DIRS.flatMap(sources)
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((l, i) => ({l, at: `${relative(REPO_ROOT, f)}:${i + 1}`})),
      )
      .filter(({l}) => action.test(l))
      .map(({at, l}) => `${at}: ${l.trim().slice(0, 120)}`)
    expect(found).toEqual([])
  })
})
