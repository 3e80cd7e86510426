// win7 fleet benchmark (not a test): a GLPI export of N PCs through the CSV pipeline alone
// (validation only), then `win7 inventory import` (first run, then a re-run that changes
// nothing) and `win7 assess` on SQLite. Prints times and ratios against the bare pipeline,
// i.e. what the store, the upsert and the readiness rules cost on top of reading the file.
//   npx tsx bench/win7-fleet.ts [pcs=10000]
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import type {ServiceContext} from '../src/context/service-context.js'
import {memoryOutput} from '../src/core/output.js'
import {readCsv} from '../src/csv/read.js'
import {openStore} from '../src/store/db.js'
import {assessFleet} from '../src/win7/assess.js'
import {importInventory} from '../src/win7/inventory.js'
import {INVENTORY_COLUMNS, InventoryRowSchema} from '../src/csv/inventory.js'
import {fleet, glpiCsv, PROFILES} from '../test/fixtures/win7/generate.js'

const pcs = Number(process.argv[2] ?? 10_000)
const dir = mkdtempSync(join(tmpdir(), 'alpi-bench-win7-'))
const members = Array.from({length: Math.ceil(pcs / 50)}, (_, i) => ({entity: `Commune ${i}`, commune: `Commune ${i}`, prefix: `C${i}`}))
const profiles = Object.keys(PROFILES) as (keyof typeof PROFILES)[]
const perMember = Array.from({length: 50}, (_, i) => profiles[i % profiles.length]!)
const file = join(dir, 'glpi.csv')
writeFileSync(file, glpiCsv(fleet(members, perMember).slice(0, pcs)))

const store = await openStore({url: join(dir, 'alpi.sqlite')})
const ctx: ServiceContext = {
  store,
  actor: 'bench',
  command: 'bench',
  out: memoryOutput(),
  config: {},
  templatesDir: resolve('templates'),
  signal: new AbortController().signal,
  interactive: false,
  yes: false,
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = process.hrtime.bigint()
  const r = await fn()
  return [Number(process.hrtime.bigint() - t0) / 1e6, r]
}
const [readMs, read] = await time(() => readCsv({source: file, schema: InventoryRowSchema, columns: INVENTORY_COLUMNS}))
const [firstMs, first] = await time(() => importInventory(ctx, {source: file}))
const [againMs, again] = await time(() => importInventory(ctx, {source: file}))
const [assessMs, assessed] = await time(() => assessFleet(ctx))
await store.close()
rmSync(dir, {recursive: true, force: true})
if (read.rows.length !== pcs || first.inserted !== pcs || again.unchanged !== pcs || assessed.assessed !== pcs)
  throw new Error('unexpected counts')
const line = (name: string, ms: number) =>
  console.log(
    `${name.padEnd(38)} ${ms.toFixed(0).padStart(7)} ms  ${(ms / readMs).toFixed(2).padStart(6)}× read  ${Math.round(pcs / (ms / 1000))} PCs/s`,
  )
console.log(`${pcs} PCs, ${members.length} members (SQLite)`)
line('CSV pipeline only (validation)', readMs)
line('inventory import, first run', firstMs)
line('inventory import, re-run (no change)', againMs)
line('assess (readiness + pipeline)', assessMs)
