// laptops list / status benchmark (not a test): 2000 generated laptops in five lots (the e2e's
// generator), then `alpi laptops list` (all, and filtered), `alpi laptops list --json` and
// `alpi laptops status` against `alpi --version` through the built binary, in the same run;
// prints each median and its ratio to --version (the goal: within 1.5x, store work
// under 50 ms). Build first (npm run build).
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
const env = {...process.env, NO_COLOR: '1', ALPI_CONFIG: join(dir, 'none.json'), XDG_DATA_HOME: join(dir, 'xdg')}
function median(args: string[]): number {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint()
    const r = spawnSync(process.execPath, [bin, ...args], {env, stdio: ['ignore', 'ignore', 'pipe']})
    if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}: ${r.stderr}`)
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!
}
const base = median(['--version'])
const cases: [string, string[]][] = [
  ['laptops list', ['laptops', 'list', '--db', db]],
  ['laptops list --state ready --model l380', ['laptops', 'list', '--state', 'ready', '--model', 'l380', '--db', db]],
  ['laptops list --json', ['laptops', 'list', '--json', '--db', db]],
  ['laptops status', ['laptops', 'status', '--db', db]],
]
console.log(`alpi --version                            ${base.toFixed(0)} ms (median of ${runs})`)
for (const [name, args] of cases) {
  const ms = median(args)
  console.log(`${name.padEnd(42)}${ms.toFixed(0)} ms   ratio ${(ms / base).toFixed(2)}x   above --version ${(ms - base).toFixed(0)} ms`)
}
rmSync(dir, {recursive: true, force: true})
