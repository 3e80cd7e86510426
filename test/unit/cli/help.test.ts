import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {Config} from '@oclif/core'
import {afterEach, describe, expect, it} from 'vitest'
import {EXIT_CODES_HELP} from '../../../src/cli/base-command.js'
import AlpiHelp, {argFr, flagFr} from '../../../src/cli/help.js'
import {ARGS_FR, COMMAND_FLAGS_FR, FLAGS_FR} from '../../../src/cli/messages/help-flags.fr.js'
import {COMMANDS_FR, EXIT_CODES_FR, HEADINGS_FR, TOPICS_FR} from '../../../src/cli/messages/help.fr.js'
import {setLanguage} from '../../../src/core/i18n.js'
import {REPO_ROOT} from '../../helpers/context.js'

/**
 * The help class on the real manifest (npm run build): French from the catalog keyed by command
 * id with --lang fr, English from the command classes otherwise. (Through the binary once
 * package.json's oclif.helpClass names its bundle, ./dist/run/src/cli/help.js.)
 */
class CapturedHelp extends AlpiHelp {
  out = ''
  protected override log(...args: string[]): void {
    this.out += args.join(' ') + '\n'
  }
}

async function help(argv: string[], config?: Config): Promise<string> {
  const h = new CapturedHelp(config ?? (await Config.load(REPO_ROOT)))
  await h.showHelp(argv)
  return h.out
}

/** The words of a text, whatever its wrapping and indentation. */
const words = (text: string) => text.replace(/[ \n]+/g, ' ')

afterEach(() => setLanguage(undefined))

describe('help in French', () => {
  it('a command: its summary and the global flags in French with --lang fr, in English with --lang en', async () => {
    const fr = await help(['db:status', '--lang', 'fr'])
    expect(fr).toContain('Montrer où est la base, ses migrations et le nombre de lignes')
    expect(words(fr)).toContain('Ne jamais poser de question')
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

/**
 * Every flag and argument of every command (alpi's and the oclif plugins' it lists) has its French
 * in src/cli/messages/help-flags.fr.ts, keeping the flags, quoted commands, variables and file
 * names of the English. A text shared by name is only used where the English is the same: a
 * command whose English for a flag differs needs its own French (COMMAND_FLAGS_FR).
 */
describe('the French catalog covers every flag and argument', async () => {
  const config = await Config.load(REPO_ROOT)
  const commands = config.commands.filter((c) => !c.hidden)
  const visible = <T extends {hidden?: boolean; description?: string}>(record: Record<string, T> | undefined) =>
    Object.entries(record ?? {}).filter(([, x]) => !x.hidden && x.description)
  const kept = (text: string) =>
    [...text.matchAll(/--[a-z][a-z0-9-]*|`[^`]+`|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|\b[\w.-]+\.(?:tsv|json|csv|pdf|gz)\b/g)]
      .map((m) => m[0])
      .sort()

  it('reads alpi and the plugins', () => {
    expect(commands.length).toBeGreaterThan(70)
    expect(commands.map((c) => c.id)).toEqual(expect.arrayContaining(['help', 'autocomplete', 'laptops:wipe']))
  })

  it.each(commands.map((c) => [c.id, c] as const))('%s', (id, c) => {
    for (const [kind, entries, fr] of [
      ['flag', visible(c.flags), flagFr],
      ['argument', visible(c.args), argFr],
    ] as const) {
      for (const [name, x] of entries) {
        const text = fr(id, name)
        expect(text, `${id}: no French for the ${kind} ${name} in src/cli/messages/help-flags.fr.ts`).toBeTruthy()
        expect(kept(text!), `${id} ${name}`).toEqual(kept(x.description!))
        const prose = text!.replace(/`[^`]*`|--[a-z][a-z0-9-]*/g, '')
        expect(prose, `${id} ${name}: English left in the French`).not.toMatch(/\b(the|and|with|when|which|only|this|file|folder)\b/i)
      }
    }
  })

  it('a text shared by name is used by commands that all have the same English', () => {
    for (const [kind, shared, own, of] of [
      ['flag', FLAGS_FR, (id: string) => COMMAND_FLAGS_FR[id]?.flags, (c: (typeof commands)[number]) => c.flags],
      ['argument', ARGS_FR, (id: string) => COMMAND_FLAGS_FR[id]?.args, (c: (typeof commands)[number]) => c.args],
    ] as const) {
      for (const name of Object.keys(shared)) {
        const english = new Map<string, string[]>()
        for (const c of commands) {
          const x = (of(c) as Record<string, {description?: string}> | undefined)?.[name]
          if (x && !own(c.id)?.[name]) english.set(x.description ?? '', [...(english.get(x.description ?? '') ?? []), c.id])
        }
        expect(english.size, `${kind} ${name}: used by no command (remove it)`).toBeGreaterThan(0)
        expect([...english.entries()], `${kind} ${name}: the English differs; give the odd commands their own French`).toHaveLength(1)
      }
    }
  })

  it('examples are command lines only (a line of prose would stay English in the French help)', () => {
    for (const c of commands)
      for (const example of c.examples ?? [])
        for (const line of (typeof example === 'string' ? example : example.description).split('\n').filter(Boolean))
          expect(line, c.id).toMatch(/^(\$ )?<%= config\.bin %> /)
  })

  it('every text of a command is for a flag or an argument it has', () => {
    for (const [id, {flags, args}] of Object.entries(COMMAND_FLAGS_FR)) {
      const c = config.findCommand(id)
      expect(c, id).toBeDefined()
      for (const name of Object.keys(flags ?? {})) expect(c!.flags, `${id} --${name}`).toHaveProperty([name])
      for (const name of Object.keys(args ?? {})) expect(c!.args, `${id} ${name}`).toHaveProperty([name])
    }
  })
})

/**
 * The help of every command as printed with --lang fr (the help class in one process; the
 * binary is checked in test/e2e/spine/help.test.ts): French headings and hints, none of the
 * command's English flag or argument descriptions. With --lang en, oclif's English headings.
 */
describe('the help of every command in French', async () => {
  const config = await Config.load(REPO_ROOT)
  const commands = config.commands.filter((c) => !c.hidden)
  const english = Object.keys(HEADINGS_FR).filter((h) => HEADINGS_FR[h] !== h)
  const heading = (h: string) => new RegExp(`^${h}$`, 'm')

  it.each(commands.map((c) => [c.id, c] as const))('%s', async (id, c) => {
    const fr = await help([id, '--lang', 'fr'], config)
    for (const h of english) expect(fr, `${id}: heading ${h}`).not.toMatch(heading(h))
    // a heading: a line in capitals after a blank line, its section indented under it
    const headings = [...fr.matchAll(/(?<=\n\n)([A-ZÀ-Ý][A-ZÀ-Ý ]+)\n(?= )/g)].map((m) => m[1]!)
    expect(headings).toContain('UTILISATION')
    for (const h of headings) expect(Object.values(HEADINGS_FR), `${id}: a heading without French`).toContain(h)
    expect(fr).toMatch(heading('UTILISATION'))
    if (c.flags?.['no-input']) expect(fr).toMatch(heading('OPTIONS GLOBALES'))
    expect(fr).not.toMatch(/<value>|<option>|\(required\)|\[default:|env:|<options:|YYYY-MM-DD/)
    for (const x of [...Object.values(c.flags ?? {}), ...Object.values(c.args ?? {})].filter((x) => !x.hidden && x.description))
      expect(words(fr), `${id}: English description left`).not.toContain(words(x.description!))
    const en = await help([id, '--lang', 'en'], config)
    expect(en).toMatch(heading('USAGE'))
    expect(en).not.toMatch(/^(UTILISATION|OPTIONS)$|<valeur>|par défaut/m)
  })

  it('the hints of a flag: required, default, environment variable, choices, a date', async () => {
    const wipe = words(await help(['laptops:wipe', '--lang', 'fr'], config))
    expect(wipe).toContain('--device=<valeur>... (obligatoire) Disque entier à effacer')
    expect(wipe).toContain('--jobs=<valeur> [par défaut\u00A0: 8] Disques effacés en même temps')
    expect(wipe).toContain('<choix\u00A0: sample|all>')
    expect(wipe).toContain("[variable d'environnement\u00A0: ALPI_DB]")
    const weee = await help(['laptops:weee', '--lang', 'fr'], config)
    expect(weee).toContain('--date=AAAA-MM-JJ')
    expect(await help(['laptops:correct:lost', '--lang', 'fr'], config)).toMatch(
      /ARGUMENTS\n {2}SERIAL {2}Numéro de série de l'ordinateur\n/,
    )
  })

  it('the root help and a topic: headings and the COMMAND placeholder in French', async () => {
    // oclif writes the ids of the listed commands with spaces into the config: a config of its own
    const config = await Config.load(REPO_ROOT)
    const root = await help(['--lang', 'fr'], config)
    for (const h of ['VERSION', 'UTILISATION', 'THÈMES', 'COMMANDES']) expect(root).toMatch(heading(h))
    expect(root).toContain('$ alpi [COMMANDE]')
    for (const h of ['USAGE', 'TOPICS', 'COMMANDS']) expect(root).not.toMatch(heading(h))
    const topic = await help(['laptops', '--lang', 'fr'], config)
    expect(topic).toContain('$ alpi laptops COMMANDE')
    for (const h of ['UTILISATION', 'THÈMES']) expect(topic).toMatch(heading(h))
    expect(await help(['laptops:correct', '--lang', 'fr'], config)).toMatch(heading('COMMANDES'))
    const en = await help(['laptops', '--lang', 'en'], config)
    expect(en).toContain('$ alpi laptops COMMAND\n')
    for (const h of ['USAGE', 'TOPICS']) expect(en).toMatch(heading(h))
  })
})
