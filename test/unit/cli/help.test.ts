import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Config} from '@oclif/core'
import {afterEach, describe, expect, it} from 'vitest'
import {EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import AlpiHelp from '../../../src/cli/help.js'
import {COMMANDS_FR, EXIT_CODES_FR, TOPICS_FR} from '../../../src/cli/messages/help.fr.js'
import {setLanguage} from '../../../src/core/i18n.js'
import {REPO_ROOT} from '../../helpers/context.js'

/**
 * The help class on the real manifest (npm run build): French from the catalog keyed by command
 * id with --lang fr, English from the command classes otherwise. (Through the binary once
 * package.json's oclif.helpClass names ./dist/src/cli/help.js.)
 */
class CapturedHelp extends AlpiHelp {
  out = ''
  protected override log(...args: string[]): void {
    this.out += args.join(' ') + '\n'
  }
}

async function help(argv: string[]): Promise<string> {
  const h = new CapturedHelp(await Config.load(REPO_ROOT))
  await h.showHelp(argv)
  return h.out
}

afterEach(() => setLanguage(undefined))

describe('help in French', () => {
  it('a command: its summary and the global flags in French with --lang fr, in English with --lang en', async () => {
    const fr = await help(['db:status', '--lang', 'fr'])
    expect(fr).toContain('Montrer où est la base, ses migrations et le nombre de lignes')
    expect(fr).toContain('Ne jamais poser de question')
    expect(fr).not.toContain('Show where the store is')
    const en = await help(['db:status', '--lang', 'en'])
    expect(en).toContain('Show where the store is, its migrations and row counts')
    expect(en).not.toContain('Montrer')
  })

  it("a topic: its commands' summaries in French", async () => {
    const fr = await help(['hosts', '--lang', 'fr'])
    expect(fr).toContain("Lister les clés d'hôte SSH épinglées")
  })

  it('every id of the French catalog is a command', async () => {
    const config = await Config.load(REPO_ROOT)
    for (const id of Object.keys(COMMANDS_FR)) expect(config.findCommand(id), id).toBeDefined()
  })

  it('every topic has a French description, the sub-topics without one in package.json too', async () => {
    const config = await Config.load(REPO_ROOT)
    const topics = config.topics.filter((t) => config.topics.some((sub) => sub.name.startsWith(`${t.name}:`)) && !t.hidden)
    expect(topics.map((t) => t.name)).toEqual(expect.arrayContaining(['laptops:correct', 'laptops:lots', 'win7:member']))
    for (const t of topics) expect(TOPICS_FR[t.name], t.name).toBeTruthy()
    for (const name of Object.keys(TOPICS_FR)) expect(topics.map((t) => t.name)).toContain(name)
  })

  it('the exit codes in French: the same codes, line for line, and in place of the English block', async () => {
    const codes = (text: string) => text.split('\n').map((line) => line.match(/^ {2}(\d+) /)?.[1])
    expect(codes(EXIT_CODES_FR)).toEqual(codes(EXIT_CODES_HELP))
    const fr = await help(['laptops:sites:list', '--lang', 'fr'])
    expect(fr).toContain('CODES DE SORTIE')
    expect(fr).toContain('130  annulé')
    expect(fr).not.toContain('EXIT CODES')
    const withBody = await help(['cityfamily:inspect', '--lang', 'fr'])
    expect(withBody).toContain('Lit chaque fichier nommé dans le mapping Abelium et ne modifie rien.')
    expect(withBody).toContain('CODES DE SORTIE')
    expect(await help(['db:backup', '--lang', 'fr'])).not.toContain('CODES DE SORTIE')
  })

  it('the root help and the list of commands in French', async () => {
    const root = await help(['--lang', 'fr'])
    expect(root).toContain("Boîte à outils de terrain et d'atelier des techniciens de l'ALPI")
    expect(root).not.toContain('Field and workshop toolkit')
    expect(root).not.toContain('Display help for')
  })
})

/**
 * Every command of the manifest (and oclif's help and autocomplete, listed in the root help) has
 * its French summary, and its French description when it has an English one: a new command
 * without French fails here. The French keeps the flags, the command lines, the error codes
 * and the file names of the English.
 */
describe('the French catalog covers every command', () => {
  const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as {
    commands: Record<string, {id: string; summary?: string; description?: string}>
  }
  const commands = Object.values(manifest.commands)
  const body = (description: string | undefined) => (description ?? '').split(/(?:^|\n\n)EXIT CODES\n/)[0]!.trim()
  const kept = (text: string) =>
    [
      ...text.matchAll(
        /--[a-z][a-z0-9-]*|`[^`]+`|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b[\w.-]+\.(?:tsv|json|html|ics|csv|xml|ps1|cmd|gz|zst|img)\b/g,
      ),
    ]
      .map((m) => m[0])
      .sort()

  it('reads the whole manifest', () => {
    expect(commands.length).toBeGreaterThan(70)
  })

  it.each(commands.map((c) => [c.id, c] as const))('%s', (id, c) => {
    const fr = COMMANDS_FR[id]
    expect(fr?.summary, `${id}: no French summary in src/cli/messages/help.fr.ts`).toBeTruthy()
    const en = body(c.description)
    if (en) expect(fr!.description, `${id}: no French description`).toBeTruthy()
    else expect(fr!.description, `${id}: a French description the English lacks`).toBeUndefined()
    expect([...new Set(kept(`${fr!.summary}\n${fr!.description ?? ''}`))]).toEqual([...new Set(kept(`${c.summary}\n${en}`))])
    const prose = `${fr!.summary} ${fr!.description ?? ''}`.replace(/`[^`]*`|«[^»]*»|--[a-z][a-z0-9-]*/g, '')
    expect(prose, `${id}: English left in the French`).not.toMatch(/\b(the|and|with|when|which|should|must)\b/i)
  })

  it('oclif commands in the root help: help and autocomplete', async () => {
    const config = await Config.load(REPO_ROOT)
    for (const c of config.commands.filter((x) => !x.hidden && !manifest.commands[x.id]))
      expect(COMMANDS_FR[c.id]?.summary, c.id).toBeTruthy()
  })
})
