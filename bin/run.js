#!/usr/bin/env node
// `alpi --version` and every help text (`alpi --help`, `alpi <topic> --help`, `alpi <command>
// --help`, English or French) are answered from files the build wrote (package.json and
// dist/help/, see bin/help-cache.mjs) when they go to a pipe, so that a script asking does not pay for
// loading the CLI framework. One of alpi's commands (dist/run/routes.json, see bin/routes.mjs) runs
// through oclif with a configuration that holds that command alone (src/cli/fast-run.ts). Anything
// else goes to oclif with its whole configuration, bundled with the commands in dist/run/.
// ALPI_NO_FAST_PATH=1 sends everything there (the tests compare both ways).
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import module, {createRequire} from 'node:module'
import {basename, dirname, isAbsolute, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import vm from 'node:vm'

// NO_COLOR wins over FORCE_COLOR (alpi's contract: never colour with NO_COLOR). Node 24 would
// otherwise print a warning on stderr that it ignores NO_COLOR because FORCE_COLOR is set.
if (process.env.NO_COLOR && process.env.FORCE_COLOR !== undefined) delete process.env.FORCE_COLOR

/** What oclif prints after name/version: the running platform, arch and Node version. */
function runtime() {
  return `${process.platform}-${process.arch} node-${process.version}`
}

/** The language of the help: --lang, else the locale (the rule of src/core/i18n.ts). */
function languageOf(lang) {
  if (lang !== undefined) return lang
  const v = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || ''
  return v.toLowerCase().startsWith('fr') ? 'fr' : 'en'
}

/**
 * `[words...] --help [--lang fr|en]` (or `help [words...]`, or nothing at all): the id of the help
 * asked for ('' for the root) and its language; undefined for anything else.
 */
function helpAsked(argv) {
  const words = []
  let help = argv.length === 0
  let lang
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--help') help = true
    else if (a === '--lang' && (argv[i + 1] === 'fr' || argv[i + 1] === 'en')) lang = argv[++i]
    else if (a === '--lang=fr' || a === '--lang=en') lang = a.slice(7)
    else if (/^[a-z][a-z0-9-]*$/.test(a) && !help) words.push(a)
    else return undefined
  }
  if (words[0] === 'help' && !help) {
    words.shift()
    help = true
  }
  return help ? {id: words.join(':'), lang: languageOf(lang)} : undefined
}

function fastPath(argv) {
  if (process.env.ALPI_NO_FAST_PATH) return false
  if (argv.length === 1 && argv[0] === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    process.stdout.write(`${pkg.name}/${pkg.version} ${runtime()}\n`)
    return true
  }
  const asked = helpAsked(argv)
  if (asked === undefined) return false
  // The files are what oclif writes to a pipe (80 columns, no bold): a terminal gets oclif's own
  // rendering, to its width and with its emphasis.
  const columns = process.env.OCLIF_COLUMNS
  if (process.stdout.isTTY || (columns !== undefined && columns !== '80')) return false
  const file = new URL(`../dist/help/${asked.lang}/${asked.id || '_root'}.txt`, import.meta.url)
  if (!existsSync(file)) return false
  // The root help's VERSION line names the runtime that built it: say the running one.
  const text = readFileSync(file, 'utf8').replace(/^(\s+alpi\/\S+ )\S+ node-v\S+$/m, `$1${runtime()}`)
  process.stdout.write(text)
  return true
}

/**
 * The command argv names, found as oclif finds it (collateSpacedCmdIDFromArgs in
 * @oclif/core/lib/help/util.js): the longest run of words that leads to a command id, stopping
 * at a flag or after a command that takes arguments. Undefined when argv asks for help or the
 * version (oclif answers those before looking for a command) or names no command of alpi.
 */
function commandAsked(argv, routes) {
  if (argv.length === 0 || argv[0] === '--version') return undefined
  for (const a of argv) {
    if (a === '--help') return undefined
    if (a === '--') break
  }
  let id = argv[0]
  if (argv.length > 1 && !argv[0].includes(':')) {
    const usable = new Set(Object.keys(routes).flatMap((c) => c.split(':').map((_, i, parts) => parts.slice(0, i + 1).join(':'))))
    const words = []
    for (const a of argv) {
      if (usable.has([...words, a].join(':'))) words.push(a)
      else if (a.includes('=') || a.startsWith('-') || routes[words.join(':')]?.args) break
      else words.push(a)
    }
    if (words.length > 0) id = words.join(':')
  }
  return Object.hasOwn(routes, id) && /^[a-z0-9-]+$/.test(routes[id].group) ? {id, group: routes[id].group} : undefined
}

/** Run the command argv names from its bundle (false when argv names none of alpi's commands). */
async function commandPath(argv) {
  if (process.env.ALPI_NO_FAST_PATH) return false
  const file = new URL('../dist/run/routes.json', import.meta.url)
  if (!existsSync(file)) return false
  const routes = JSON.parse(readFileSync(file, 'utf8'))
  const asked = commandAsked(argv, routes.commands)
  if (asked === undefined) return false
  prepare()
  const alpi = compiledBundle(routes.build, asked)
  await alpi.runCommand(fileURLToPath(new URL('..', import.meta.url)), asked.id, alpi.commands[asked.id], argv)
  return true
}

/**
 * The file of dist/run/fast/ that holds the command (bin/esbuild.mjs), compiled from V8's code
 * cache of this command when there is one: ~/.cache/alpi/compiled/<build>-<node>-<arch>/
 * <command>.v8 (or under $XDG_CACHE_HOME), written when the command first ends well (exit 0),
 * through alpi's atomic writer. A cache V8 refuses (another Node, other V8 flags, a damaged
 * file) is compiled afresh and written again; one that cannot be read or written is only slower.
 */
function compiledBundle(build, {id, group}) {
  const file = fileURLToPath(new URL(`../dist/run/fast/${group}.cjs`, import.meta.url))
  const cacheDir = compileCacheDir(build)
  const cacheFile = cacheDir && /^[a-z0-9-]+(:[a-z0-9-]+)*$/.test(id) ? join(cacheDir, `${id.replaceAll(':', '.')}.v8`) : undefined
  let cachedData
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile)
  } catch {
    // no cache yet
  }
  const source = readFileSync(file, 'latin1')
  const script = new vm.Script(source, {filename: file, cachedData})
  const bundle = {exports: {}}
  const wrapped = script.runInThisContext()
  wrapped.call(bundle.exports, bundle.exports, createRequire(file), bundle, file, dirname(file), (specifier) => import(specifier))
  const alpi = bundle.exports
  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    process.once('exit', (code) => {
      if (code !== 0) return
      try {
        alpi.ensureDir(cacheDir, {private: true})
        alpi.writeFileAtomic(cacheFile, script.createCachedData(), {mode: 0o600})
        forgetOtherBuilds(cacheDir)
      } catch {
        // a cache is never worth failing a command for
      }
    })
  }
  return alpi
}

/** Where the compiled code of this build, on this Node, is kept (undefined without a home). */
function compileCacheDir(build) {
  const xdg = process.env.XDG_CACHE_HOME
  const home = xdg && isAbsolute(xdg) ? xdg : process.env.HOME ? join(process.env.HOME, '.cache') : undefined
  if (!home || !/^[0-9a-f]+$/.test(build)) return undefined
  return join(home, 'alpi', 'compiled', `${build}-${process.version}-${process.arch}`)
}

/** The caches of the builds this one replaced, on this runtime, are of no more use. */
function forgetOtherBuilds(cacheDir) {
  const parent = dirname(cacheDir)
  const runtime = basename(cacheDir).replace(/^[0-9a-f]+-/, '-')
  for (const d of readdirSync(parent))
    if (d !== basename(cacheDir) && d.endsWith(runtime)) rmSync(join(parent, d), {recursive: true, force: true})
}

/** What every start that loads the bundle does first. */
function prepare() {
  // Node 22.1+ keeps the compiled code of the modules it loads (a no-op on Node 20): later starts
  // of the same alpi skip most of the parsing of oclif and the store's libraries.
  module.enableCompileCache?.()
  // oclif checks its own engines (node >= 18) at load, with semver; alpi's narrower range is
  // package.json's, checked by npm at install. Skipping it spares loading semver at every start.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
}

/**
 * `help WORDS [--lang fr|en]` as `WORDS --help [--lang fr|en]`: oclif's help command knows no
 * --lang flag and would refuse it, where alpi's help class takes it after --help.
 */
function helpCommandArgs(argv) {
  if (argv[0] !== 'help' || argv.includes('--help') || helpAsked(argv) === undefined) return argv
  const rest = argv.slice(1)
  const lang = rest.findIndex((a) => a.startsWith('--lang'))
  return lang === -1 ? [...rest, '--help'] : [...rest.slice(0, lang), '--help', ...rest.slice(lang)]
}

const argv = process.argv.slice(2)
if (!fastPath(argv) && !(await commandPath(argv))) {
  prepare()
  const {execute} = await import('../dist/run/src/cli/main.js')
  await execute({dir: import.meta.url, args: helpCommandArgs(argv)})
}
