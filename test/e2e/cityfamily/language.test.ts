import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runAlpi, type CliRun} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'
import {ENGLISH, FRENCH, foreignLines} from '../../helpers/language.js'

// One message policy (issue 11): with --lang fr every line cityfamily prints (errors, actions,
// tables, summaries) reads in French, and with --lang en in English. The HTML report is French.
const tmp = tempDir('alpi-cf-lang-')
const alpi = (args: string[], lang: 'fr' | 'en') =>
  runAlpi([...args, '--lang', lang], {env: {ALPI_NOW: '2026-01-15T10:00:00Z', LANG: undefined, LC_ALL: undefined, LC_MESSAGES: undefined}})
afterAll(() => tmp.cleanup())

async function runAll(lang: 'fr' | 'en'): Promise<string> {
  const at = (name: string) => join(tmp.path, `${lang}-${name}`)
  const commands: {args: string[]; code: number}[] = [
    {args: ['cityfamily', 'sample', '--families', '30', '--seed', '2', '--out', at('src')], code: 0},
    {args: ['cityfamily', 'sample', '--families', '30', '--seed', '2', '--out', at('clean'), '--clean'], code: 0},
    {args: ['cityfamily', 'inspect', at('clean')], code: 0},
    {args: ['cityfamily', 'validate', at('clean')], code: 0},
    {args: ['cityfamily', 'migrate', at('clean'), '--out', at('out')], code: 0},
    {args: ['cityfamily', 'reconcile', at('clean'), at('out')], code: 0},
    {args: ['cityfamily', 'validate', at('src')], code: 3},
    {args: ['cityfamily', 'validate', at('nowhere')], code: 2},
    {args: ['cityfamily', 'migrate', at('clean'), '--out', at('clean')], code: 2},
    {args: ['cityfamily', 'migrate', at('clean'), '--out', at('out2'), '--threshold', '2'], code: 2},
  ]
  const runs: CliRun[] = []
  for (const c of commands) {
    const r = await alpi(c.args, lang)
    expect(r.code, `${c.args.join(' ')}\n${r.stderr}`).toBe(c.code)
    runs.push(r)
  }
  // Entity and field names (household, person, firstName...) are identifiers of the model, not sentences.
  return runs
    .map((r) => r.stdout + '\n' + r.stderr)
    .join('\n')
    .replace(/^\s*\w+(?=\s{2})/gm, ' ')
}

describe('cityfamily speaks one language at a time (process)', () => {
  it('--lang fr: no English sentence left on stdout or stderr, failing or not', async () => {
    const all = await runAll('fr')
    expect(foreignLines(all, ENGLISH)).toEqual([])
    expect(all).toMatch(/30 foyers, \d+ lignes/)
    expect(all).toContain('Aucun problème trouvé.')
    expect(all).toMatch(/Erreur \[INPUT_REJECTED\]: \d+ problèmes dans l'export/)
  })

  it('--lang en: no French sentence left', async () => {
    const all = await runAll('en')
    expect(foreignLines(all, FRENCH)).toEqual([])
    expect(all).toMatch(/30 households, \d+ rows/)
    expect(all).toContain('No problem found.')
  })
})
