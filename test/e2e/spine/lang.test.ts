import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'

/**
 * One message policy, checked through the binary: a failing command of every topic, with
 * --lang fr, says everything (error, actions, --json message) in French, and with --lang en in
 * English. The failures go through the frame (a missing store, a parse error, a flag, the
 * config, a pinned key, a backup); the campaigns' own refusals join once their catalogs are
 * converted (firewalls deploy without a school, win7 schedule's window, cityfamily's export).
 */
const dir = tempDir('alpi-lang-')
afterAll(() => dir.cleanup())
const missing = join(dir.path, 'none.sqlite')
const store = join(dir.path, 'alpi.sqlite')
const existing = join(dir.path, 'existing.bak')
writeFileSync(existing, 'x')

const FAILURES: Record<string, {args: string[]; exit: number; code: string}> = {
  laptops: {args: ['laptops', 'status', '--db', missing], exit: 1, code: 'STORE_NOT_FOUND'},
  firewalls: {args: ['firewalls', 'plan', '--db', missing], exit: 1, code: 'STORE_NOT_FOUND'},
  cityfamily: {args: ['cityfamily', 'migrate'], exit: 2, code: 'USAGE'},
  win7: {args: ['win7', 'schedule', '--db', store], exit: 2, code: 'USAGE'},
  db: {args: ['db', 'backup', '--db', store, '--output', existing], exit: 2, code: 'USAGE'},
  audit: {args: ['audit', 'list', '--since', 'hier', '--db', store], exit: 2, code: 'USAGE'},
  hosts: {args: ['hosts', 'forget', 'nohost.example', '--db', store], exit: 1, code: 'NOT_FOUND'},
  config: {args: ['config', 'set', 'technician'], exit: 2, code: 'USAGE'},
  laptopsFlag: {args: ['laptops', 'status', '--bogus', '--db', store], exit: 2, code: 'USAGE'},
}

/** What is not a sentence: paths, flags, commands in backticks, codes, key=value, the arrow. */
function prose(text: string): string {
  return text
    .replace(/`[^`]*`/g, ' ')
    .replace(/\[[A-Z_]+\]/g, ' ')
    .replace(/(^|\s)(\/|\.\/)\S*/g, ' ')
    .replace(/--[\w-]+/g, ' ')
    .replace(/\balpi( [\w-]+)+/g, ' ')
    .replace(/postgres:\/\/\S*/g, ' ')
}
// whole words (a letter, accented or not, on neither side: "passées" is not "pass")
const ENGLISH =
  /(?<!\p{L})(the|is|not|of|and|give|check|cannot|missing|required|see|pass|found|with|must|yet|this|exists|already|unknown|error|nonexistent|no store)(?!\p{L})/iu
const FRENCH =
  /(?<!\p{L})(le|la|les|des|est|pas|une|vérifiez|donnez|aucune?|erreur|voir|impossible|passez|déjà|manquante?)(?!\p{L})|[éèàçùê]/iu

describe('every topic fails in the language asked (no English left in French, no French in English)', () => {
  for (const [topic, f] of Object.entries(FAILURES)) {
    it(`${topic}: ${f.args.slice(0, 2).join(' ')} → exit ${f.exit}, stderr and --json in French with --lang fr, in English with --lang en`, async () => {
      const fr = await runAlpi([...f.args, '--lang', 'fr'])
      expect(fr.code).toBe(f.exit)
      expect(fr.stdout).toBe('')
      expect(fr.stderr).toMatch(new RegExp(`^Erreur \\[${f.code}\\]: `))
      expect(prose(fr.stderr), fr.stderr).not.toMatch(ENGLISH)
      expect(prose(fr.stderr)).toMatch(FRENCH)

      const en = await runAlpi([...f.args, '--lang', 'en'])
      expect(en.code).toBe(f.exit)
      expect(en.stderr).toMatch(new RegExp(`^Error \\[${f.code}\\]: `))
      expect(prose(en.stderr), en.stderr).not.toMatch(FRENCH)
      expect(prose(en.stderr)).toMatch(ENGLISH)

      // LANG=fr_FR.UTF-8 is the same as --lang fr; the envelope's message and actions too
      const j = await runAlpi([...f.args, '--json'], {env: {LANG: 'fr_FR.UTF-8', LC_ALL: undefined, LC_MESSAGES: undefined}})
      expect(j.code).toBe(f.exit)
      const env = j.json<{code: string; message: string; actions: string[]}>()
      expect(env.code).toBe(f.code)
      const told = [env.message, ...env.actions].join('\n')
      expect(prose(told), told).not.toMatch(ENGLISH)
      expect(prose(told)).toMatch(FRENCH)
    })
  }

  it('doctor: the verdict and its actions in French on stderr, in English with --lang en', async () => {
    const fr = await runAlpi(['doctor', '--db', missing, '--lang', 'fr'])
    const en = await runAlpi(['doctor', '--db', missing, '--lang', 'en'])
    expect(fr.code).toBe(en.code)
    if (fr.code === 0) {
      // every check passed on this machine: the table's headers say the language
      expect(fr.stdout).toMatch(/^VÉRIFICATION/)
      expect(en.stdout).not.toMatch(/VÉRIFICATION/)
    } else {
      expect(fr.stderr).toMatch(/^Erreur \[NOT_READY\]: /)
      expect(prose(fr.stderr), fr.stderr).not.toMatch(ENGLISH)
      expect(en.stderr).toMatch(/^Error \[NOT_READY\]: /)
      expect(prose(en.stderr), en.stderr).not.toMatch(FRENCH)
    }
  })
})
