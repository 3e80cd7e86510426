import {Help, type Command, type Interfaces} from '@oclif/core'
import {language, setLanguage} from '../core/i18n.js'
import {COMMANDS_FR, FLAGS_FR, TOPICS_FR} from './messages/help.fr.js'

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

  protected override getCommandHelpClass(command: Command.Loadable): ReturnType<Help['getCommandHelpClass']> {
    return super.getCommandHelpClass(localised(command))
  }

  /** The summary at the top of a command's help, wrapped to the terminal like every other section (oclif prints it on one line). */
  protected override summary(command: Command.Loadable): string | undefined {
    const summary = super.summary(localised(command))
    return summary === undefined ? undefined : this.wrap(summary)
  }

  protected override description(command: Command.Loadable): string {
    return super.description(localised(command))
  }

  protected override formatCommand(command: Command.Loadable): string {
    return super.formatCommand(localised(command))
  }

  protected override formatCommands(commands: Command.Loadable[]): string {
    return super.formatCommands(commands.map(localised))
  }

  protected override formatTopic(topic: Interfaces.Topic): string {
    return super.formatTopic(localisedTopic(topic))
  }

  protected override formatTopics(topics: Interfaces.Topic[]): string {
    return super.formatTopics(topics.map(localisedTopic))
  }
}

/** The command with its French summary, description and global flags when the language is French. */
export function localised(command: Command.Loadable): Command.Loadable {
  if (language() !== 'fr') return command
  const fr = COMMANDS_FR[command.id]
  const flags = Object.fromEntries(
    Object.entries(command.flags ?? {}).map(([name, f]) => [
      name,
      FLAGS_FR[name] && f.helpGroup === 'GLOBAL' ? {...f, description: FLAGS_FR[name]} : f,
    ]),
  )
  return {...command, flags: flags as Command.Loadable['flags'], ...(fr ? {summary: fr.summary, description: fr.description} : {})}
}

function localisedTopic(topic: Interfaces.Topic): Interfaces.Topic {
  return language() === 'fr' && TOPICS_FR[topic.name] ? {...topic, description: TOPICS_FR[topic.name]} : topic
}

// eslint-disable-next-line no-restricted-syntax -- oclif loads the help class (package.json oclif.helpClass) from the default export
export default AlpiHelp
