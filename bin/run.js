#!/usr/bin/env node
// `alpi --version` and every help text (`alpi --help`, `alpi <topic> --help`, `alpi <command>
// --help`, English or French) are answered from files the build wrote (package.json and
// dist/help/, see bin/help-cache.mjs) when they go to a pipe, so that a script asking does not pay for
// loading the CLI framework. Anything else goes to oclif, bundled with the commands in dist/run/.
import {existsSync, readFileSync} from 'node:fs'
import module from 'node:module'

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

if (!fastPath(process.argv.slice(2))) {
  // Node 22.1+ keeps the compiled code of the modules it loads (a no-op on Node 20): later starts
  // of the same alpi skip most of the parsing of oclif and the store's libraries.
  module.enableCompileCache?.()
  // oclif checks its own engines (node >= 18) at load, with semver; alpi's narrower range is
  // package.json's, checked by npm at install. Skipping it spares loading semver at every start.
  process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1'
  const {execute} = await import('../dist/run/src/cli/main.js')
  await execute({dir: import.meta.url})
}
