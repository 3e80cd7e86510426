// laptops list / status benchmark (not a test): 2000 generated laptops in five lots (the e2e's
// generator), then `alpi laptops list` (all, and filtered), `alpi laptops list --json` and
// `alpi laptops status` against `alpi --version` through the built binary, in the same run;
// prints each median and its ratio to --version (the goal: within 1.5x, store work
// under 50 ms). The machine's limit is timed too: bench/laptops-list-floor.cjs prints the same
// table with no framework (Node, better-sqlite3, the same query), checked byte for byte against
// alpi's, and its ratio to --version says how much of the 1.5x any Node program already takes.
// Build first (npm run build).
//   npx tsx bench/laptops-list.ts [runs=7] [db=sqlite|postgres://...]
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {openStore} from '../src/store/db.js'
import {seedWorkshop} from '../test/e2e/laptops/workshop-seed.js'

const runs = Number(process.argv[2] ?? 7)
const dir = mkdtempSync(join(tmpdir(), 'alpi-bench-list-'))
const db = process.argv[3] ?? join(dir, 'alpi.sqlite')
const store = await openStore({url: db})
await seedWorkshop(store.db, 2000)
await store.close()

const bin = resolve('bin/run.js')
const floor = resolve('bench/laptops-list-floor.cjs')
const env = {...process.env, NO_COLOR: '1', ALPI_CONFIG: join(dir, 'none.json'), XDG_DATA_HOME: join(dir, 'xdg')}
/** One timed start: [script, ...args] under the bench's environment, in ms. */
function timed(script: string, args: string[]): number {
  const t0 = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [script, ...args], {env, stdio: ['ignore', 'ignore', 'pipe']})
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr}`)
  return Number(process.hrtime.bigint() - t0) / 1e6
}
const sqlite = !/^postgres(ql)?:/.test(db)
const output = (script: string, args: string[]) => spawnSync(process.execPath, [script, ...args], {env, encoding: 'utf8'}).stdout
if (sqlite && output(floor, [db]) !== output(bin, ['laptops', 'list', '--db', db]))
  throw new Error('the floor does not print what alpi prints')
const cases: [string, string, string[]][] = [
  ['alpi --version', bin, ['--version']],
  ...(sqlite ? [['floor: the same table, no framework', floor, [db]] as [string, string, string[]]] : []),
  ['laptops list', bin, ['laptops', 'list', '--db', db]],
  ['laptops list --state ready --model l380', bin, ['laptops', 'list', '--state', 'ready', '--model', 'l380', '--db', db]],
  ['laptops list --json', bin, ['laptops', 'list', '--json', '--db', db]],
  ['laptops status', bin, ['laptops', 'status', '--db', db]],
]
// Round by round, every case once per round: a change of the machine's load falls on all of them.
const times = cases.map((): number[] => [])
for (let i = 0; i < runs; i++) cases.forEach(([, script, args], c) => times[c]!.push(timed(script, args)))
const medians = times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!)
const base = medians[0]!
console.log(`${'alpi --version'.padEnd(42)}${base.toFixed(0)} ms (median of ${runs})`)
cases.slice(1).forEach(([name], c) => {
  const ms = medians[c + 1]!
  console.log(`${name.padEnd(42)}${ms.toFixed(0)} ms   ratio ${(ms / base).toFixed(2)}x   above --version ${(ms - base).toFixed(0)} ms`)
})
rmSync(dir, {recursive: true, force: true})
