#!/usr/bin/env node
// The runnable build (part of `npm run build`, after tsc): esbuild bundles what tsc wrote in dist/
// into dist/run/, one file per command plus shared chunks, with @oclif/core, Kysely and the other
// small pure-JavaScript libraries inside. Node then starts a command by reading a few files
// instead of resolving and compiling some 600 modules (bench/cli-startup.mjs measures it).
// Left outside, loaded from node_modules when a command needs them: native modules, the libraries
// that find data files next to their own code (pdfkit's fonts), oclif's plugins (oclif loads them
// as packages) and the big libraries only remote or interactive work loads.
// package.json's oclif block names dist/run/commands, the help class and the hooks in dist/run/.
import {existsSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join, relative, sep} from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const dist = join(root, 'dist')
const out = join(dist, 'run')

/** Libraries bundled, with whatever they import themselves. Anything else stays a package. */
const BUNDLED = new Set([
  '@oclif/core',
  'chalk',
  'csv-parse',
  'csv-stringify',
  'diff',
  'eta',
  'fastest-levenshtein',
  'iconv-lite',
  'kysely',
  'zod',
])
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

const packages = {
  name: 'alpi-packages',
  setup(b) {
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

const banner = [
  "import {createRequire as __alpiCreateRequire} from 'node:module';",
  "import {existsSync as __alpiExists} from 'node:fs';",
  "import {join as __alpiJoin} from 'node:path';",
  'const require = __alpiCreateRequire(import.meta.url);',
  'const __alpiPackageDir = (name, dir) => {',
  '  const at = (require.resolve.paths(name) ?? []).map((p) => __alpiJoin(p, name)).find((d) => __alpiExists(__alpiJoin(d, "package.json")));',
  '  return at === undefined ? undefined : __alpiJoin(at, dir);',
  '};',
].join('\n')

function jsFiles(dir) {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'})
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(dir, f))
}

const entryPoints = [
  ...jsFiles(join(dist, 'commands')),
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
  entryPoints,
  outdir: out,
  outbase: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Names and line numbers stay readable in a stack trace a technician sends.
  minify: false,
  sourcemap: 'linked',
  chunkNames: 'chunks/[name]-[hash]',
  banner: {js: banner},
  plugins: [packages],
  logLevel: 'warning',
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
