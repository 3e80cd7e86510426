import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi, type CliRun} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'
import {ENGLISH, FRENCH, foreignLines} from '../../helpers/language.js'
import {fleet, glpiCsv, lafiCatalogCsv} from '../../fixtures/win7/generate.js'

// One message policy (issue 11): with --lang fr every line win7 prints (errors, actions, headers,
// states, verdicts and their reasons, summaries) reads in French, and with --lang en in English.
const MEMBER = 'mairie-de-geloux'
const dir = tempDir('alpi-win7-lang-')
const langDb = (lang: string) => join(dir.path, `${lang}.sqlite`)
const alpi = (args: string[], lang: 'fr' | 'en') =>
  runAlpi([...args, '--db', langDb(lang), '--lang', lang], {
    cwd: dir.path,
    env: {ALPI_JOIN_PASSWORD: undefined, LANG: undefined, LC_ALL: undefined, LC_MESSAGES: undefined},
  })

beforeAll(() => {
  writeFileSync(
    join(dir.path, 'glpi.csv'),
    glpiCsv(fleet([{entity: 'Mairie de Geloux', commune: 'Geloux', prefix: 'GEL'}], ['win7Tower', 'win7Laptop', 'win10Ready'], 'EE')),
  )
  writeFileSync(join(dir.path, 'lafi.csv'), lafiCatalogCsv())
})
afterAll(() => dir.cleanup())

/** Succeeding commands first (they fill the store), then refusals of every kind. */
const COMMANDS: {args: string[]; code: number}[] = [
  {args: ['win7', 'inventory', 'import', 'glpi.csv'], code: 0},
  {args: ['win7', 'assess', '--detail'], code: 0},
  {args: ['win7', 'catalog', 'import', 'lafi.csv'], code: 0},
  {args: ['win7', 'order', '--member', MEMBER, '--date', '2020-05-04', '--dry-run'], code: 0},
  {args: ['win7', 'status', '--member', MEMBER], code: 0},
  {args: ['win7', 'installed', 'EE000001'], code: 1},
  {args: ['win7', 'retire', 'EE000001'], code: 2},
  {args: ['win7', 'receive', 'NEW00001', '--replaces', 'NOPE0001'], code: 1},
  {args: ['win7', 'receive', 'EE000003', '--replaces', 'EE000001'], code: 1},
  {args: ['win7', 'order', '--member', 'nobody'], code: 1},
  {args: ['win7', 'schedule', '--from', '2026-03-02', '--per-day', '4'], code: 1},
  {args: ['win7', 'stage', 'NEW00001', '--execute', '--ssh', 'bad'], code: 2},
]

async function runAll(lang: 'fr' | 'en'): Promise<string> {
  const runs: CliRun[] = []
  for (const c of COMMANDS) {
    const r = await alpi(c.args, lang)
    expect(r.code, `${c.args.join(' ')}\n${r.stderr}`).toBe(c.code)
    runs.push(r)
  }
  // Processor names and catalogue references are values, not sentences.
  return runs
    .map((r) => r.stdout + '\n' + r.stderr)
    .join('\n')
    .replace(/Intel\(R\)[^;:\n]*|\([^()]*gen\)/g, ' ')
}

describe('win7 speaks one language at a time (process)', () => {
  it('--lang fr: no English sentence left on stdout or stderr, failing or not', async () => {
    const all = await runAll('fr')
    expect(foreignLines(all, ENGLISH)).toEqual([])
    expect(all).toMatch(/3 PC évalués : 1 à mettre à niveau sur place, 2 à remplacer, 0 inconnu$/m)
    expect(all).toContain('Le PC EE000001 est « à remplacer » : il ne peut pas passer à « installé »')
    expect(all).toMatch(/^ADHÉRENT\s+PC\s+MISE À NIVEAU/m)
    expect(all).toMatch(/3 lignes, total 1527,90 € HT/)
    expect(all).toContain('pas de TPM (2.0 exigé)')
  })

  it('--lang en: no French sentence left', async () => {
    const all = await runAll('en')
    expect(foreignLines(all, FRENCH)).toEqual([])
    expect(all).toMatch(/3 PCs assessed: 1 upgrade in place, 2 to replace, 0 unknown$/m)
    expect(all).toContain('PC EE000001 is "to replace": it cannot become "installed"')
    expect(all).toContain('no TPM (2.0 required)')
  })
})
