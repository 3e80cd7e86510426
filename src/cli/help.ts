import {CommandHelp, Help, type Command, type HelpSection, type Interfaces} from '@oclif/core'
import {language, setLanguage} from '../core/i18n.js'
import {ARGS_FR, COMMAND_FLAGS_FR, FLAGS_FR} from './messages/help-flags.fr.js'
import {COMMANDS_FR, EXIT_CODES_FR, HEADINGS_FR, HINTS_FR, ROOT_FR, TOPICS_FR} from './messages/help.fr.js'

type SectionBody = Parameters<CommandHelp['section']>[1]
const french = () => language() === 'fr'

/** oclif's section heading, in French when the language is French (the English is kept as it is). */
function heading(header: string): string {
  return french() ? (HEADINGS_FR[header] ?? header) : header
}

/** The placeholders of a usage line or a flag's label in French: <valeur>, <choix>, AAAA-MM-JJ. */
function placeholders(text: string): string {
  return text.replaceAll('<value>', HINTS_FR.value).replaceAll('<option>', HINTS_FR.option).replaceAll('YYYY-MM-DD', HINTS_FR.date)
}

/** The hints oclif writes around a flag's or an argument's (already French) description. */
function hints(text: string): string {
  return text
    .replace('(required)', HINTS_FR.required)
    .replace('[default: ', `[${HINTS_FR.default} `)
    .replace(/(\[|, )env: /, `$1${HINTS_FR.env} `)
    .replace('<options: ', `<${HINTS_FR.options} `)
}

/**
 * A command's help: oclif's, with French headings, placeholders and hints when the language is
 * French (the command it is given is already localised()). English is oclif's, byte for byte.
 */
class AlpiCommandHelp extends CommandHelp {
  public override section(header: string, body: SectionBody): string {
    return super.section(heading(header), body)
  }

  /** The usage line before oclif wraps it to the terminal. */
  protected override defaultUsage(): string {
    return french() ? placeholders(super.defaultUsage()) : super.defaultUsage()
  }

  protected override flagHelpLabel(flag: Command.Flag.Any, showOptions?: boolean): string {
    const label = super.flagHelpLabel(flag, showOptions)
    return french() ? placeholders(label) : label
  }

  protected override flags(flags: Command.Flag.Any[]): [string, string | undefined][] | undefined {
    return frenchHints(super.flags(flags))
  }

  protected override args(args: Command.Arg.Any[]): [string, string | undefined][] | undefined {
    return frenchHints(super.args(args))
  }
}

function frenchHints(rows: [string, string | undefined][] | undefined): [string, string | undefined][] | undefined {
  return french() && rows ? rows.map(([left, right]) => [left, right && hints(right)]) : rows
}

/**
 * alpi's help: in French when the language is French (--lang fr anywhere in the line, or
 * LANG=fr_*), from the catalog keyed by command id (src/cli/messages/help.fr.ts); English stays
 * in the command classes. package.json's oclif.helpClass names its bundle (./dist/run/src/cli/help.js).
 */
class AlpiHelp extends Help {
  protected override CommandHelpClass = AlpiCommandHelp

  public override async showHelp(argv: string[]): Promise<void> {
    const at = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='))
    const lang = at === -1 ? undefined : argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1]
    if (lang === 'fr' || lang === 'en') setLanguage(lang)
    if (at === -1) return super.showHelp(argv)
    const inline = argv[at]!.includes('=')
    return super.showHelp(argv.filter((_, i) => !(i === at || (i === at + 1 && !inline))))
  }

  /**
   * The root help's first line (package.json's description), its headings and its usage line in
   * French too. oclif builds it with its own RootHelp: its headings are the lines that start at
   * the margin.
   */
  public override formatRoot(): string {
    const root = super.formatRoot()
    const en = this.config.pjson.description
    if (!french() || !en) return root
    return root
      .replace(en, ROOT_FR)
      .split('\n')
      .map((line) =>
        line.replace(/^((?:\u001B\[[\d;]*m)*)([A-Z][A-Z ]*)(?=(?:\u001B\[[\d;]*m)*$)/, (_, ansi: string, h: string) => ansi + heading(h)),
      )
      .join('\n')
      .replace('[COMMAND]', `[${HINTS_FR.command}]`)
  }

  /** The headings of a topic's help and of the lists of topics and commands; a topic's usage line. */
  public override section(header: string, body: SectionBody | HelpSection): string {
    const usage = header === 'USAGE' && french() && typeof body === 'string'
    return super.section(heading(header), usage ? body.replace(/\bCOMMAND\b/, HINTS_FR.command) : body)
  }

  protected override getCommandHelpClass(command: Command.Loadable): ReturnType<Help['getCommandHelpClass']> {
    return super.getCommandHelpClass(localised(command))
  }

  /** True while a list of commands is formatted: its table wraps each summary to its own column. */
  private listing = false

  /**
   * The summary at the top of a command's help, wrapped to the terminal like every other section
   * (oclif prints it on one line); left whole in a list of commands, which wraps it itself (wrapped
   * twice, a summary broke in the middle of its column).
   */
  protected override summary(command: Command.Loadable): string | undefined {
    const summary = super.summary(localised(command))
    return summary === undefined || this.listing ? summary : this.wrap(summary)
  }

  protected override description(command: Command.Loadable): string {
    return super.description(localised(command))
  }

  protected override formatCommand(command: Command.Loadable): string {
    return super.formatCommand(localised(command))
  }

  protected override formatCommands(commands: Command.Loadable[]): string {
    this.listing = true
    try {
      return super.formatCommands(commands.map(localised))
    } finally {
      this.listing = false
    }
  }

  protected override formatTopic(topic: Interfaces.Topic): string {
    return super.formatTopic(localisedTopic(topic))
  }

  protected override formatTopics(topics: Interfaces.Topic[]): string {
    return super.formatTopics(topics.map(localisedTopic))
  }
}

/** The heading of the exit-code block that commands append to their description (EXIT_CODES_HELP). */
const EXIT_CODES = /(?:^|\n\n)EXIT CODES\n/

/**
 * The command with its French summary, description, flags and arguments when the language is
 * French. A French description never repeats the exit codes: they come after it in French when
 * the English description lists them. (oclif may already have written the id with spaces.)
 */
export function localised(command: Command.Loadable): Command.Loadable {
  if (!french() || LOCALISED.has(command)) return command
  const id = command.id.replaceAll(' ', ':')
  const flags = mapEntries(command.flags ?? {}, (name, f) => {
    // a French text replaces the English summary too (oclif prints the summary first)
    const fr = flagFr(id, name)
    return fr ? {...f, summary: undefined, description: fr} : f
  })
  const args = mapEntries(command.args ?? {}, (name, a) => ({...a, description: argFr(id, name) ?? a.description}))
  const fr = COMMANDS_FR[id]
  const exitCodes = EXIT_CODES.test(command.description ?? '') ? EXIT_CODES_FR : undefined
  const description = fr && ([fr.description, exitCodes].filter(Boolean).join('\n\n') || undefined)
  const result = fr ? {...command, flags, args, summary: fr.summary, description} : {...command, flags, args}
  LOCALISED.add(result)
  return result
}

/** The commands localised() returned: oclif hands them back to it (getCommandHelpClass after formatCommand). */
const LOCALISED = new WeakSet<Command.Loadable>()

/** A flag's French: the command's own text, else the one shared by every command that has this flag. */
export function flagFr(id: string, name: string): string | undefined {
  return COMMAND_FLAGS_FR[id]?.flags?.[name] ?? FLAGS_FR[name]
}

/** An argument's French, the same way. */
export function argFr(id: string, name: string): string | undefined {
  return COMMAND_FLAGS_FR[id]?.args?.[name] ?? ARGS_FR[name]
}

function mapEntries<T>(record: Record<string, T>, f: (name: string, value: T) => T): Record<string, T> {
  return Object.fromEntries(Object.entries(record).map(([name, value]) => [name, f(name, value)]))
}

function localisedTopic(topic: Interfaces.Topic): Interfaces.Topic {
  return french() && TOPICS_FR[topic.name] ? {...topic, description: TOPICS_FR[topic.name]} : topic
}

// eslint-disable-next-line no-restricted-syntax -- oclif loads the help class (package.json oclif.helpClass) from the default export
export default AlpiHelp
