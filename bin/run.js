#!/usr/bin/env node
// `alpi --version` and the root help are answered from files the build wrote (package.json,
// dist/root-help-80.txt, the same text oclif prints at 80 columns) so that scripts probing
// alpi do not pay for loading the CLI framework. Anything else goes to oclif.
import {existsSync, readFileSync} from 'node:fs'
import module from 'node:module'

// NO_COLOR wins over FORCE_COLOR (alpi's contract: never colour with NO_COLOR). Node 24 would
// otherwise print a warning on stderr that it ignores NO_COLOR because FORCE_COLOR is set.
if (process.env.NO_COLOR && process.env.FORCE_COLOR !== undefined) delete process.env.FORCE_COLOR

/** What oclif prints after name/version: the running platform, arch and Node version. */
function runtime() {
  return `${process.platform}-${process.arch} node-${process.version}`
}

/** French asked (LANG=fr_*, LC_ALL...): the root help is then oclif's, in French; the cached file is English. */
function french(argv) {
  const v = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG || ''
  return v.toLowerCase().startsWith('fr') || argv.includes('--lang')
}

function fastPath(argv) {
  if (process.env.ALPI_NO_FAST_PATH) return false
  if (argv.length === 1 && argv[0] === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    process.stdout.write(`${pkg.name}/${pkg.version} ${runtime()}\n`)
    return true
  }
  if (!french(argv) && (argv.length === 0 || (argv.length === 1 && (argv[0] === '--help' || argv[0] === 'help')))) {
    const width = Number.parseInt(process.env.OCLIF_COLUMNS ?? '', 10) || (process.stdout.isTTY ? process.stdout.getWindowSize()[0] : 80)
    const cached = new URL(`../dist/root-help-${width}.txt`, import.meta.url)
    if (!existsSync(cached)) return false
    // The file was written by whatever Node built it: its VERSION line names the running runtime.
    const text = readFileSync(cached, 'utf8').replace(/^(\s+alpi\/\S+ )\S+ node-v\S+$/m, `$1${runtime()}`)
    process.stdout.write(text)
    return true
  }
  return false
}

if (!fastPath(process.argv.slice(2))) {
  // Node 22.1+ keeps the compiled code of the modules it loads (a no-op on Node 20): later starts
  // of the same alpi skip most of the parsing of oclif and the store's libraries.
  module.enableCompileCache?.()
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
