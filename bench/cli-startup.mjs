#!/usr/bin/env node
// Start-up benchmark (issue 15): every command's `--help`, `alpi --version`, the root help and
// representative real runs on a small SQLite store made here, each against a bare `node -e 0`
// measured in the same run, interleaved (one `node -e 0` before every case of every round), so
// that the load of a shared machine weighs on both sides alike. Median of the runs per case;
// prints the slowest five with their ratio (all with --all) and exits 1 when one is above 2x.
// Needs a build (npm run build). Usage: node bench/cli-startup.mjs [runs] [--all] [--only TEXT]
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const argv = process.argv.slice(2)
const runs = Number(argv.find((a) => /^\d+$/.test(a)) ?? 9)
const showAll = argv.includes('--all')
const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined
const LIMIT = 2
const root = fileURLToPath(new URL('..', import.meta.url))
const bin = join(root, 'bin', 'run.js')
const samples = join(root, 'templates', 'samples')

const work = mkdtempSync(join(tmpdir(), 'alpi-bench-startup-'))
const env = {
  ...process.env,
  NODE_ENV: 'production',
  ALPI_DB: join(work, 'alpi.sqlite'),
  XDG_CONFIG_HOME: join(work, 'config'),
  XDG_DATA_HOME: join(work, 'data'),
  ALPI_TECHNICIAN: 'bench',
  LANG: 'C.UTF-8',
}
delete env.ALPI_NO_FAST_PATH

function alpi(args) {
  const r = spawnSync(process.execPath, [bin, ...args], {stdio: ['ignore', 'pipe', 'pipe'], env, cwd: work})
  if (r.status !== 0) throw new Error(`alpi ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return r
}

// The small store: the samples the README's demo imports (60 laptops, 30 schools).
alpi(['laptops', 'import', join(samples, 'laptops.csv')])
alpi(['firewalls', 'schools', 'import', join(samples, 'annuaire-education-landes.csv')])
alpi(['firewalls', 'schools', 'import', join(samples, 'ecoles-autorite.csv')])
const serial = readFileSync(join(samples, 'laptops.csv'), 'utf8').split('\n')[1].split(';')[0]

const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'))
const cases = {
  'alpi --version': ['--version'],
  'alpi --help': ['--help'],
  'laptops status': ['laptops', 'status'],
  'laptops show': ['laptops', 'show', serial],
  'audit verify': ['audit', 'verify'],
  'firewalls schools list': ['firewalls', 'schools', 'list'],
  'win7 status': ['win7', 'status'],
}
for (const id of Object.keys(manifest.commands).sort()) cases[`${id.replaceAll(':', ' ')} --help`] = [...id.split(':'), '--help']
for (const name of Object.keys(cases)) if (only && !name.includes(only)) delete cases[name]

function timed(args) {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, args, {stdio: ['ignore', 'pipe', 'pipe'], env, cwd: work})
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  return ms
}

const base = []
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
for (let i = 0; i < runs + 1; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const b = timed(['-e', '0'])
    const ms = timed([bin, ...args])
    if (i === 0) continue // a warm-up round (page cache, the store's first open)
    base.push(b)
    times[name].push(ms)
  }
}
rmSync(work, {recursive: true, force: true})

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]
const b = median(base)
const rows = Object.entries(times)
  .map(([name, t]) => ({name, ms: median(t), ratio: median(t) / b}))
  .sort((x, y) => y.ratio - x.ratio)
const over = rows.filter((r) => r.ratio > LIMIT)
const width = Math.max(...rows.map((r) => r.name.length))
console.log(`node -e 0 median ${b.toFixed(1)} ms (${base.length} runs); ${rows.length} cases, ${runs} runs each, ${process.version}`)
console.log(showAll ? 'all cases:' : 'slowest five:')
for (const r of showAll ? rows : rows.slice(0, 5))
  console.log(`  ${r.name.padEnd(width)}  median ${r.ms.toFixed(1).padStart(7)} ms  ratio ${r.ratio.toFixed(2)}x`)
console.log(
  over.length === 0
    ? `startup: every case within ${LIMIT}x of node -e 0`
    : `startup: ${over.length} of ${rows.length} cases OVER ${LIMIT}x of node -e 0`,
)
process.exitCode = over.length === 0 ? 0 : 1
