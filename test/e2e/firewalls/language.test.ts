import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi, type CliRun} from '../../helpers/cli.js'
import {REPO_ROOT, tempDir} from '../../helpers/context.js'
import {ENGLISH, FRENCH, foreignLines} from '../../helpers/language.js'

// One message policy (issue 11): with --lang fr every line firewalls prints (errors, actions, table
// headers, states, summaries) reads in French, and with --lang en in English. Values (UAIs, names of
// schools and communes, paths, codes) are left out by the detector.
const tmp = tempDir('alpi-fw-lang-')
const db = join(tmp.path, 'alpi.sqlite')
const SAMPLE = join(REPO_ROOT, 'templates', 'samples', 'ecoles-autorite.csv')
const alpi = (args: string[], lang: 'fr' | 'en') =>
  runAlpi([...args, '--db', db, '--lang', lang], {env: {LANG: undefined, LC_ALL: undefined, LC_MESSAGES: undefined}})
let uai = ''

beforeAll(async () => {
  const r = await runAlpi(['firewalls', 'schools', 'import', SAMPLE, '--db', db, '--json'])
  expect(r.code, r.stderr).toBe(0)
  uai = (await runAlpi(['firewalls', 'schools', 'list', '--db', db, '--json'])).json().result[0].uai
})
afterAll(() => tmp.cleanup())

/** Commands that fail (usage, unknown school, bad UAI, missing lists) and commands that succeed. */
const COMMANDS = (): {args: string[]; code: number}[] => [
  {args: ['firewalls', 'schools', 'import', SAMPLE], code: 0},
  {args: ['firewalls', 'schools', 'list'], code: 0},
  {args: ['firewalls', 'schools', 'show', uai], code: 0},
  {args: ['firewalls', 'plan'], code: 0},
  {args: ['firewalls', 'deploy', '--school', uai, '--dry-run'], code: 0},
  {args: ['firewalls', 'compliance'], code: 0},
  {args: ['firewalls', 'deploy'], code: 2},
  {args: ['firewalls', 'deploy', '--all', '--school', uai, '--dry-run'], code: 2},
  {args: ['firewalls', 'schools', 'show', '0400000A'], code: 2},
  {args: ['firewalls', 'schools', 'show', '0409999B'], code: 1},
  {args: ['firewalls', 'verify', '--from-lan'], code: 2},
  {args: ['firewalls', 'lists', 'update', '--from', join(tmp.path, 'no-such-folder')], code: 2},
]

async function runAll(lang: 'fr' | 'en'): Promise<CliRun[]> {
  const runs: CliRun[] = []
  for (const c of COMMANDS()) {
    const r = await alpi(c.args, lang)
    expect(r.code, `${c.args.join(' ')}\n${r.stderr}`).toBe(c.code)
    runs.push(r)
  }
  return runs
}

describe('firewalls speaks one language at a time (process)', () => {
  it('--lang fr: no English sentence left on stdout or stderr, failing or not', async () => {
    const runs = await runAll('fr')
    const all = runs.map((r) => r.stdout + '\n' + r.stderr).join('\n')
    expect(foreignLines(all, ENGLISH)).toEqual([])
    // and it is French: the error prefix, a plural, a table header, a state
    expect(all).toContain('Erreur [USAGE]: Indiquez les écoles à déployer')
    expect(all).toMatch(/6 écoles planifiées : 6 à déployer/)
    expect(all).toMatch(/6 lignes lues, 0 nouveau, 0 modifié, 6 inchangés, 0 ligne rejetée/)
    expect(all).toMatch(/^UAI\s+ÉTAT\s+CONFIG\s+FICHIERS/m)
    expect(all).toMatch(/\snouvelle\s/)
  })

  it('--lang en: no French sentence left (names of schools and communes aside)', async () => {
    const runs = await runAll('en')
    // School and commune names are French values: the lines of the register tables are data.
    const data = /^0\d{6}[A-Z]\s|^(name|communeName|authorityName|address)\s|^(commune|epci): /
    const all = runs
      .map((r) => r.stdout + '\n' + r.stderr)
      .join('\n')
      .split('\n')
      .filter((l) => !data.test(l))
      .join('\n')
    expect(foreignLines(all, FRENCH)).toEqual([])
    expect(all).toContain('Error [USAGE]: Say which schools to deploy')
    expect(all).toMatch(/6 schools planned: 6 to deploy/)
  })
})
