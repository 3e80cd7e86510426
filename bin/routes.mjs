#!/usr/bin/env node
// Part of `npm run build`, after the manifest: dist/run/routes.json, which bin/run.js reads to
// tell, without loading oclif, which of alpi's commands argv names (it then runs it from its
// file of dist/run/fast/, through oclif with that command alone: src/cli/fast-run.ts).
// For each command, that file, and whether it takes arguments (oclif stops reading the command's
// name at such a command: `alpi laptops show list` is `laptops show` with the serial "list");
// and the build's name, which keys the compile cache.
import {createHash} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'))
const fast = join(root, 'dist', 'run', 'fast')
const groups = JSON.parse(readFileSync(join(fast, 'groups.json'), 'utf8'))
const routes = {}
const hash = createHash('sha256')
for (const group of [...new Set(Object.values(groups))].sort()) hash.update(readFileSync(join(fast, `${group}.cjs`)))
for (const [id, c] of Object.entries(manifest.commands)) {
  // Every command of the manifest is in one of the files of dist/run/fast, under the same id.
  if (!Object.hasOwn(groups, id)) throw new Error(`routes: ${id} is in no file of dist/run/fast`)
  routes[id] = {group: groups[id], args: c.strict === false || Object.keys(c.args ?? {}).length > 0}
}
// The build's name in the compile cache (bin/run.js): a new bundle never reads an old one's code.
const build = hash.digest('hex').slice(0, 16)
writeFileSync(join(root, 'dist', 'run', 'routes.json'), `${JSON.stringify({build, commands: routes}, null, 1)}\n`)
console.error(`routes: ${Object.keys(routes).length} commands in dist/run/routes.json`)
