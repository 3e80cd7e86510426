import {realpathSync} from 'node:fs'
import {join, sep} from 'node:path'
import type {Hook} from '@oclif/core'

/**
 * oclif hooks of the root plugin (package.json oclif.hooks). They run on every invocation, so
 * this file stays tiny: the work for a mistyped command is imported only when there is one.
 *
 * A command that does not exist is a usage error (exit 2, like any parse error). Where nobody
 * can answer a prompt (no TTY on stdin, CI, --no-input, --json) `unknownCommand` refuses it
 * before @oclif/plugin-not-found would ask "Did you mean ...?", with the suggestion as an
 * action and the --json envelope on stdout. At a terminal the plugin asks; if the person says
 * no, `unknownCommandExit` turns the plugin's exit 127 into 2.
 */
export const unknownCommand: Hook<'init'> = async function ({id, argv, config}) {
  if (!isUnknown(id, argv, config)) return
  const {refuseUnknownCommand} = await import('./unknown-command.js')
  refuseUnknownCommand(id!, argv, config)
}

export const unknownCommandExit: Hook<'finally'> = async function ({id, argv, config, error}) {
  const exit = (error as {oclif?: {exit?: number}} | undefined)?.oclif
  if (exit?.exit === NOT_FOUND_EXIT && isUnknown(id, argv, config)) exit.exit = 2
}

/** What @oclif/plugin-not-found exits with when the person declines its suggestion. */
const NOT_FOUND_EXIT = 127

function isUnknown(
  id: string | undefined,
  argv: string[],
  config: {root: string; findCommand(id: string): unknown; findTopic(id: string): unknown},
): boolean {
  if (!id || config.findCommand(id) || config.findTopic(id) || !ownBinary(config.root)) return false
  // oclif answers `alpi --version` and `alpi --help` itself, before looking a command up.
  return id !== '--version' && id !== '--help'
}

/**
 * Only alpi's own binary (bin/run.js, bin/dev.js): other tools load alpi's config and run its
 * init hooks with their own command (`oclif readme` runs them with the id "readme").
 */
function ownBinary(root: string): boolean {
  try {
    return realpathSync(process.argv[1] ?? '').startsWith(join(realpathSync(root), 'bin') + sep)
  } catch {
    return false
  }
}
