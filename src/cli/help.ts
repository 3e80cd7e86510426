import {Help, type Command, type Interfaces} from '@oclif/core'
import {language, setLanguage} from '../core/i18n.js'
import {COMMANDS_FR, EXIT_CODES_FR, FLAGS_FR, ROOT_FR, TOPICS_FR} from './messages/help.fr.js'

/**
 * alpi's help: in French when the language is French (--lang fr anywhere in the line, or
 * LANG=fr_*), from the catalog keyed by command id (src/cli/messages/help.fr.ts); English stays
 * in the command classes. package.json's oclif.helpClass names this file (./dist/src/cli/help.js).
 */
class AlpiHelp extends Help {
  public override async showHelp(argv: string[]): Promise<void> {
    const at = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='))
    const lang = at === -1 ? undefined : argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1]
    if (lang === 'fr' || lang === 'en') setLanguage(lang)
    if (at === -1) return super.showHelp(argv)
    const inline = argv[at]!.includes('=')
    return super.showHelp(argv.filter((_, i) => !(i === at || (i === at + 1 && !inline))))
  }

  /** The root help's first line (package.json's description) in French too. */
  public override formatRoot(): string {
    const root = super.formatRoot()
    const en = this.config.pjson.description
    return language() === 'fr' && en ? root.replace(en, ROOT_FR) : root
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
 * The command with its French summary, description and global flags when the language is French.
 * A French description never repeats the exit codes: they come after it in French when the
 * English description lists them.
 */
export function localised(command: Command.Loadable): Command.Loadable {
  if (language() !== 'fr') return command
  const fr = COMMANDS_FR[command.id]
  const flags = Object.fromEntries(
    Object.entries(command.flags ?? {}).map(([name, f]) => [
      name,
      FLAGS_FR[name] && f.helpGroup === 'GLOBAL' ? {...f, description: FLAGS_FR[name]} : f,
    ]),
  )
  if (!fr) return {...command, flags: flags as Command.Loadable['flags']}
  const exitCodes = EXIT_CODES.test(command.description ?? '') ? EXIT_CODES_FR : undefined
  const description = [fr.description, exitCodes].filter(Boolean).join('\n\n') || undefined
  return {...command, flags: flags as Command.Loadable['flags'], summary: fr.summary, description}
}

function localisedTopic(topic: Interfaces.Topic): Interfaces.Topic {
  return language() === 'fr' && TOPICS_FR[topic.name] ? {...topic, description: TOPICS_FR[topic.name]} : topic
}

// eslint-disable-next-line no-restricted-syntax -- oclif loads the help class (package.json oclif.helpClass) from the default export
export default AlpiHelp
