import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {execute, type Command, type Interfaces} from '@oclif/core'
import {BugError} from '../core/errors.js'

/**
 * What bin/run.js starts for one of alpi's own commands (issue 15, start-up): oclif's own
 * `execute`, with the same argv, flags, errors, exit codes and flush as always, but with a
 * configuration that holds only the command asked for. oclif would otherwise read the whole
 * command manifest, sort every command of every plugin and load its three plugins (help,
 * autocomplete, not-found) at every start, which is about as long as the command itself.
 *
 * bin/run.js comes here only when argv names a command of dist/run/routes.json (written at build
 * from the manifest, bin/routes.mjs) with no help flag: help, topics, unknown commands and
 * oclif's own commands (autocomplete...) still go through the full configuration. None of
 * alpi's hooks has anything to do for a command that exists (src/cli/hooks.ts: they deal with
 * unknown commands), so the one-command plugin has none. test/e2e/spine/fast-run.test.ts checks
 * that both ways give the same exit code, stdout and stderr.
 */
export async function runCommand(root: string, id: string, load: () => Promise<Record<string, unknown>>, argv: string[]): Promise<void> {
  const Cmd = commandClass(await load(), id)
  const pjson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Interfaces.PJSON
  const plugin = oneCommandPlugin(root, pjson, id, Cmd)
  await execute({args: argv, loadOptions: {root, pjson, plugins: new Map([[plugin.name, plugin]])}})
}

type CommandClass = Command.Class & {id: string; plugin?: Interfaces.Plugin; isESM?: boolean}

/** The command class a module of dist/run/commands exports (oclif takes the same one). */
function commandClass(module: Record<string, unknown>, id: string): CommandClass {
  const found = [module.default, ...Object.values(module)].find(
    (v): v is CommandClass => typeof v === 'function' && typeof (v as {run?: unknown}).run === 'function',
  )
  // Only a broken build gets here (bin/routes.mjs checks every command is in the bundles).
  if (found === undefined) throw new BugError(`no command class in the module of '${id}'`)
  return found
}

/**
 * The root plugin oclif's configuration sees: alpi's package.json and this one command, with
 * what oclif's manifest would say of it (id, aliases, arguments, strictness) and a `load` that
 * gives the class already imported, set up as oclif's plugin sets a class it loads.
 */
function oneCommandPlugin(root: string, pjson: Interfaces.PJSON, id: string, Cmd: CommandClass): Interfaces.Plugin {
  const name = pjson.name
  const cached = {
    id,
    aliases: Cmd.aliases ?? [],
    hiddenAliases: Cmd.hiddenAliases ?? [],
    args: Cmd.args ?? {},
    flags: {},
    strict: Cmd.strict ?? true,
    hidden: Cmd.hidden ?? false,
    summary: Cmd.summary,
    pluginName: name,
    pluginAlias: name,
    pluginType: 'core',
    isESM: true,
    load: async () => Cmd,
  } as unknown as Command.Loadable
  const plugin = {
    name,
    alias: name,
    version: pjson.version,
    root,
    pjson,
    type: 'core',
    isRoot: true,
    valid: true,
    alreadyLoaded: true,
    hasManifest: true,
    moduleType: 'module',
    options: {root, isRoot: true},
    hooks: {},
    commands: [cached],
    commandIDs: [id],
    topics: [],
    async findCommand(wanted: string) {
      return wanted === id ? Cmd : undefined
    },
    async load() {},
  } as unknown as Interfaces.Plugin
  Object.assign(Cmd, {id, plugin, isESM: true})
  return plugin
}
