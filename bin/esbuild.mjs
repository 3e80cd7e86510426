#!/usr/bin/env node
// The runnable build (part of `npm run build`, after tsc): esbuild bundles what tsc wrote in dist/
// into dist/run/, one file per command plus shared chunks, with @oclif/core, Kysely and the other
// small pure-JavaScript libraries inside. Node then starts a command by reading a few files
// instead of resolving and compiling some 600 modules (bench/cli-startup.mjs measures it).
// Left outside, loaded from node_modules when a command needs them: native modules, the libraries
// that find data files next to their own code (pdfkit's fonts), oclif's plugins (oclif loads them
// as packages) and the big libraries only remote or interactive work loads.
// package.json's oclif block names dist/run/commands, the help class and the hooks in dist/run/.
import {existsSync, mkdirSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist')
const out = join(dist, 'run')

/** Libraries bundled, with whatever they import themselves. Anything else stays a package. */
const BUNDLED = new Set(['@oclif/core', 'chalk', 'csv-parse', 'csv-stringify', 'diff', 'eta', 'fastest-levenshtein', 'kysely', 'zod'])
/** Never bundled, even when a bundled library asks: optional compilers oclif looks for. */
const NEVER = /^(typescript|ts-node)(\/|$)/

const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/')

/** Which package a file of node_modules belongs to, and its folder inside that package. */
function whereInPackage(file) {
  const parts = file.split(`${sep}node_modules${sep}`).pop().split(sep)
  const size = parts[0].startsWith('@') ? 2 : 1
  return {name: parts.slice(0, size).join('/'), dir: parts.slice(size, -1).join('/')}
}

/**
 * oclif's util/os.js loads node:child_process when it loads, and its getPlatform() imports
 * wsl-utils (child_process again, PowerShell helpers) at every start, only to read is-wsl's
 * answer: about 4 ms of every command for what Windows and WSL need. Here both wait until used:
 * child_process through a proxy, wsl-utils through a module giving is-wsl's answer at once and
 * the rest of wsl-utils when asked. The build stops if oclif's code changed under these.
 */
const OCLIF_OS = /[\\/]@oclif[\\/]core[\\/]lib[\\/]util[\\/]os\.js$/
const EAGER_CHILD_PROCESS = 'const node_child_process_1 = require("node:child_process");'
const LAZY_CHILD_PROCESS = 'const node_child_process_1 = new Proxy({}, {get: (_, name) => require("node:child_process")[name]});'
/** The module oclif's util/os.js gets for wsl-utils: is-wsl (bundled, by path) and wsl-utils on use. */
function wslOnUse(oclifOs) {
  const wslUtils = createRequire(oclifOs).resolve('wsl-utils')
  const isWsl = createRequire(wslUtils).resolve('is-wsl')
  return [
    `export {default as isWsl} from ${JSON.stringify(isWsl)}`,
    "export const powerShellPath = async (...args) => (await import('wsl-utils')).powerShellPath(...args)",
  ].join('\n')
}

const packages = {
  name: 'alpi-packages',
  setup(b) {
    b.onResolve({filter: /^wsl-utils$/}, (args) =>
      OCLIF_OS.test(args.importer) ? {path: 'wsl-utils', namespace: 'alpi-wsl-on-use', pluginData: args.importer} : undefined,
    )
    b.onLoad({filter: /.*/, namespace: 'alpi-wsl-on-use'}, (args) => ({
      contents: wslOnUse(args.pluginData),
      loader: 'js',
      resolveDir: root,
    }))
    b.onLoad({filter: OCLIF_OS}, async (args) => {
      const text = await readFile(args.path, 'utf8')
      if (!text.includes(EAGER_CHILD_PROCESS))
        throw new Error(`esbuild: ${args.path} no longer loads child_process as bin/esbuild.mjs expects`)
      return {contents: text.replace(EAGER_CHILD_PROCESS, LAZY_CHILD_PROCESS), loader: 'js'}
    })
    b.onResolve({filter: /^[^./]/}, (args) => {
      if (args.path.startsWith('node:') || NEVER.test(args.path)) return {external: true}
      const fromLibrary = args.importer.includes(`${sep}node_modules${sep}`)
      return BUNDLED.has(packageOf(args.path)) || fromLibrary ? undefined : {external: true}
    })
    // A bundled CommonJS library that finds files next to its own code (__dirname) finds them in
    // its installed package, wherever the install is, not next to the bundle.
    b.onLoad({filter: /[\\/]node_modules[\\/].*\.c?js$/}, async (args) => {
      const text = await readFile(args.path, 'utf8')
      if (!/\b__(dirname|filename)\b/.test(text)) return undefined
      const {name, dir} = whereInPackage(args.path)
      const base = args.path.split(sep).pop()
      const head =
        `var __dirname = __alpiPackageDir(${JSON.stringify(name)}, ${JSON.stringify(dir)});` +
        `var __filename = __dirname + ${JSON.stringify(`/${base}`)};`
      return {contents: head + text, loader: 'js'}
    })
  },
}

const packageDir = [
  'const __alpiPackageDir = (name, dir) => {',
  '  const at = (require.resolve.paths(name) ?? []).map((p) => __alpiJoin(p, name)).find((d) => __alpiExists(__alpiJoin(d, "package.json")));',
  '  return at === undefined ? undefined : __alpiJoin(at, dir);',
  '};',
]
const banner = [
  "import {createRequire as __alpiCreateRequire} from 'node:module';",
  "import {existsSync as __alpiExists} from 'node:fs';",
  "import {join as __alpiJoin} from 'node:path';",
  'const require = __alpiCreateRequire(import.meta.url);',
  ...packageDir,
].join('\n')

/** What both builds share: bundled for Node 20+, readable (names and lines stay in a stack trace a technician sends), with maps. */
const BOTH = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: false,
  sourcemap: 'linked',
  plugins: [packages],
  logLevel: 'warning',
}

function jsFiles(dir) {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'})
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(dir, f))
}

const commandsDir = join(dist, 'commands')
const commandFiles = jsFiles(commandsDir)
const entryPoints = [
  ...commandFiles,
  join(dist, 'src', 'cli', 'main.js'),
  join(dist, 'src', 'cli', 'help.js'),
  join(dist, 'src', 'cli', 'hooks.js'),
]
for (const e of entryPoints) if (!existsSync(e)) throw new Error(`esbuild: ${relative(root, e)} is missing (run tsc first)`)

rmSync(out, {recursive: true, force: true})
/** A module's name in modules.json: node_modules/<package>/... or its path from the root (dist/...). */
const inputName = (input) =>
  input.includes('node_modules/') ? input.slice(input.lastIndexOf('node_modules/')) : relative(root, join(root, input))

const result = await build({
  ...BOTH,
  entryPoints,
  outdir: out,
  outbase: dist,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunks/[name]-[hash]',
  banner: {js: banner},
  metafile: true,
})
// Which modules each output file holds: test/e2e/spine/startup-loads.test.ts reads it to tell
// which libraries a command loaded, now that most of them are inside the bundle's files.
const holds = Object.fromEntries(
  Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, o]) => [relative(out, join(root, file)), Object.keys(o.inputs).map(inputName)]),
)
writeFileSync(join(out, 'modules.json'), `${JSON.stringify(holds, null, 1)}\n`)
console.error(`esbuild: ${entryPoints.length} entries bundled into ${relative(root, out)}${sep}`)

// The same code again as CommonJS, one file per campaign (dist/run/fast/laptops.cjs...; the
// frame's commands, audit, db, config, hosts and doctor, in core.cjs), for bin/run.js to start
// alpi's own commands with (src/cli/fast-run.ts). A CommonJS script can be compiled from V8's
// code cache, which Node 20 offers for no ES module: bin/run.js keeps one cache per command, so
// that a command's second start reads its compiled code instead of parsing oclif, Kysely and
// its own modules again. One file per campaign, because a file's size costs every start that
// reads it; each command in it is initialised only when it runs (esbuild's lazy wrappers). The
// files are latin1 (esbuild escapes the rest), so bin/run.js reads them without decoding UTF-8.
// dist/run/fast/groups.json says which file holds which command (bin/routes.mjs reads it).
const CAMPAIGNS = ['laptops', 'firewalls', 'cityfamily', 'win7']
const groups = {}
for (const f of commandFiles) {
  const id = relative(commandsDir, f).replace(/\.js$/, '').split(sep).join(':')
  const group = CAMPAIGNS.includes(id.split(':')[0]) ? id.split(':')[0] : 'core'
  ;(groups[group] ??= []).push({id, file: `./${relative(dist, f).split(sep).join('/')}`})
}
const fastOut = join(out, 'fast')
mkdirSync(fastOut, {recursive: true})
for (const [group, commands] of Object.entries(groups)) {
  const entry = [
    "export {runCommand} from './src/cli/fast-run.js'",
    "export {ensureDir, writeFileAtomic} from './src/core/fs.js'",
    'export const commands = {',
    ...commands.map(({id, file}) => `  ${JSON.stringify(id)}: () => import(${JSON.stringify(file)}),`),
    '}',
  ].join('\n')
  const fast = await build({
    ...BOTH,
    stdin: {contents: entry, resolveDir: dist, sourcefile: `fast-${group}.js`, loader: 'js'},
    outfile: join(fastOut, `${group}.cjs`),
    format: 'cjs',
    charset: 'ascii',
    // The file is one function expression: bin/run.js compiles it as it is and calls it with these
    // parameters (see compiledBundle there), like Node's own module wrapper.
    banner: {
      js: [
        '(function (exports, require, module, __filename, __dirname, __alpiImport) {"use strict";',
        'const {existsSync: __alpiExists} = require("node:fs");',
        'const {join: __alpiJoin} = require("node:path");',
        ...packageDir,
        'const __alpiImportMetaUrl = require("node:url").pathToFileURL(__filename).href;',
      ].join('\n'),
    },
    footer: {js: '})'},
    define: {'import.meta.url': '__alpiImportMetaUrl'},
    write: false,
  })
  for (const file of fast.outputFiles) {
    let text = file.text
    if (file.path.endsWith('.cjs')) {
      // A script compiled from a code cache cannot use import() (Node loses its loader for it):
      // the packages it loads when used (better-sqlite3, pdfkit, ssh2...) come through
      // __alpiImport, bin/run.js's own import().
      text = text.replace(/(?<![\w$.'"`])import\(/g, '__alpiImport(')
      // esbuild escapes strings but keeps a comment's characters: escaped too, the file stays latin1.
      text = text.replace(/[^\x00-\xff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
      writeFileSync(file.path, text, 'latin1')
    } else writeFileSync(file.path, text)
  }
}
writeFileSync(
  join(fastOut, 'groups.json'),
  `${JSON.stringify(Object.fromEntries(Object.entries(groups).flatMap(([g, cs]) => cs.map(({id}) => [id, g]))), null, 1)}\n`,
)
const count = Object.values(groups).reduce((n, cs) => n + cs.length, 0)
console.error(`esbuild: ${count} commands bundled into ${relative(root, fastOut)}${sep}{${Object.keys(groups).join(',')}}.cjs`)
