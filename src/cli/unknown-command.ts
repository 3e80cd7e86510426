import type {Interfaces} from '@oclif/core'
import {closest} from 'fastest-levenshtein'
import {loadConfig} from '../core/config.js'
import {UsageError} from '../core/errors.js'
import {setLanguage} from '../core/i18n.js'
import {errorEnvelope, writeHumanError} from './base-command.js'
import {t} from './messages/index.js'
import {canPrompt} from './prompt.js'

/**
 * A mistyped command (`alpi laptops stauts`) or an argument given to a command that takes
 * none (oclif then reads `laptops allocate extra` as one unknown command), or a flag before
 * any command (`alpi --bogus`). When nobody can
 * answer the plugin's "Did you mean" prompt, refuse it here: a usage error (exit 2) whose action
 * is the closest command, on stderr, or the --json envelope on stdout. At a terminal, return
 * and let @oclif/plugin-not-found ask.
 */
export function refuseUnknownCommand(id: string, argv: string[], config: Interfaces.Config): void {
  const json = argv.includes('--json')
  // With --help, oclif's help would answer "not found" (exit 1) before the plugin could ask.
  if (!json && !argv.includes('--help') && canPrompt(argv.includes('--no-input') || Boolean(process.env.ALPI_NO_INPUT))) return
  setLanguage(languageOf(argv))
  const err = unknownCommandError(id, config)
  if (json) process.stdout.write(JSON.stringify(errorEnvelope(err), null, 2) + '\n')
  else writeHumanError(err)
  // Printed already: oclif only exits with the code.
  throw Object.assign(err, {oclif: {exit: err.exitCode}, skipOclifErrorHandling: true})
}

export function unknownCommandError(id: string, config: Interfaces.Config): UsageError {
  if (id.startsWith('-')) return new UsageError(t('unknownFlag', {flag: id}), {actions: [t('listCommands', {topic: ''})]})
  const words = id.split(':')
  const spaced = (ids: string[]) => ids.join(' ')
  for (let n = words.length - 1; n > 0; n--) {
    const command = config.findCommand(words.slice(0, n).join(':'))
    if (command) {
      const name = spaced(words.slice(0, n))
      return new UsageError(t('unexpectedArgument', {command: name, argument: spaced(words.slice(n))}), {
        actions: [t('seeHelp', {command: name})],
      })
    }
  }
  const visible = config.commands.filter((c) => !c.hidden).flatMap((c) => [c.id, ...c.aliases])
  const suggestion = visible.length > 0 ? closest(id, visible) : undefined
  const topic = config.findTopic(words[0]!) ? ` ${words[0]}` : ''
  const actions = suggestion ? [t('didYouMean', {command: spaced(suggestion.split(':'))})] : []
  actions.push(t('listCommands', {topic}))
  return new UsageError(t('unknownCommand', {command: spaced(words)}), {actions})
}

/** --lang, else the config file's language, else LANG (as BaseCommand decides it). */
function languageOf(argv: string[]): 'fr' | 'en' | undefined {
  const at = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='))
  const given = at === -1 ? undefined : argv[at]!.includes('=') ? argv[at]!.split('=')[1] : argv[at + 1]
  if (given === 'fr' || given === 'en') return given
  try {
    return loadConfig().lang
  } catch {
    return undefined
  }
}
