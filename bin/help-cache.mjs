#!/usr/bin/env node
// Part of `npm run build`, after the manifest: every help text alpi prints for `--help` (the root,
// each topic, each command), in English and in French, at 80 columns, written to
// dist/help/<lang>/<id>.txt. bin/run.js answers `alpi <command> --help` from these files without
// loading oclif (a script or a technician asking for help should not wait for the whole CLI).
// The texts come from oclif itself, through alpi's help class, in this process: the same
// function a run without the files calls (test/e2e/spine/help-cache.test.ts compares both).
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = join(root, 'dist', 'help')

// oclif reads the width once, when it loads; the language is read at each call (src/core/i18n.ts).
process.env.OCLIF_COLUMNS = '80'
for (const v of ['LANG', 'LC_MESSAGES', 'LANGUAGE']) delete process.env[v]
const {run} = await import('../dist/run/src/cli/main.js')

const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'))
const commands = Object.keys(manifest.commands)
const topics = new Set()
for (const id of commands) {
  const parts = id.split(':')
  for (let n = 1; n < parts.length; n++) topics.add(parts.slice(0, n).join(':'))
}
const ids = ['', ...[...topics].filter((t) => !commands.includes(t)), ...commands].sort()

/** What oclif writes on stdout while it answers argv. */
async function capture(argv) {
  const chunks = []
  const write = process.stdout.write
  process.stdout.write = (chunk, encoding, done) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))
    if (typeof encoding === 'function') encoding()
    else if (typeof done === 'function') done()
    return true
  }
  try {
    await run(argv, root)
  } finally {
    process.stdout.write = write
  }
  return chunks.join('')
}

rmSync(out, {recursive: true, force: true})
for (const [lang, locale] of [
  ['en', 'C.UTF-8'],
  ['fr', 'fr_FR.UTF-8'],
]) {
  process.env.LC_ALL = locale
  mkdirSync(join(out, lang), {recursive: true})
  for (const id of ids) {
    const text = await capture([...(id ? id.split(':') : []), '--help'])
    if (!text.trim()) throw new Error(`help-cache: no help for '${id}' (${lang})`)
    writeFileSync(join(out, lang, `${id || '_root'}.txt`), text)
  }
}
console.error(`help-cache: ${ids.length} help texts in English and French in dist/help/`)
