// laptops import + allocate benchmark (not a test): 2000 laptops from a generated CSV through
// `laptops import` (the CSV pipeline + upsert + events + audit in one transaction), a re-run
// that changes nothing, then 2000 allocations to 5 sites. Prints the store work (import time
// minus reading the file alone) and the ratio to the 1 s budget of the issue.
//   npx tsx bench/laptops-import.ts [laptops=2000] [db=sqlite|postgres://...]
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import type {ServiceContext} from '../src/context/service-context.js'
import {memoryOutput} from '../src/core/output.js'
import {readCsv} from '../src/csv/read.js'
import {allocate} from '../src/laptops/giving.js'
import {importLaptops, importSites} from '../src/laptops/intake.js'
import {LAPTOP_COLUMNS, LaptopIntakeSchema} from '../src/laptops/model.js'
import {openStore} from '../src/store/db.js'

const n = Number(process.argv[2] ?? 2000)
const dir = mkdtempSync(join(tmpdir(), 'alpi-bench-laptops-'))
const file = join(dir, 'laptops.csv')
const models = [
  ['LENOVO', 'ThinkPad L380'],
  ['Dell Inc.', 'Latitude 3190'],
  ['HP', 'ProBook 430 G5'],
]
writeFileSync(
  file,
  [
    'N° de série;N° inventaire;Fabricant;Modèle;Lot',
    ...Array.from(
      {length: n},
      (_, i) => `BENCH-${String(i).padStart(6, '0')};INV-${i};${models[i % 3]![0]};${models[i % 3]![1]};LOT-${i >> 9}`,
    ),
  ].join('\n'),
)
const sites = join(dir, 'sites.csv')
writeFileSync(
  sites,
  [
    'code;nom;convention;date signature;date fin;quota',
    ...Array.from({length: 5}, (_, i) => `S${i};Lieu ${i};CONV-${i};01/01/2020;31/12/2099;${Math.ceil(n / 5)}`),
  ].join('\n'),
)

const store = await openStore({url: process.argv[3] ?? join(dir, 'alpi.sqlite')})
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
const [readMs] = await time(() => readCsv({source: file, schema: LaptopIntakeSchema, columns: LAPTOP_COLUMNS}))
const [importMs, first] = await time(() => importLaptops(ctx, {file}))
const [againMs, again] = await time(() => importLaptops(ctx, {file}))
await importSites(ctx, {file: sites})
// not measured: the wipe/reimage steps that make laptops ready need real disks
await store.db.updateTable('laptops').set({state: 'ready', wipe_certificate_id: 'bench'}).execute()
const [allocMs, allocated] = await time(async () => {
  let total = 0
  for (let i = 0; i < 5; i++) total += (await allocate(ctx, {site: `S${i}`, count: Math.floor(n / 5)})).allocated.length
  return total
})
await store.close()
rmSync(dir, {recursive: true, force: true})
if (first.inserted !== n || again.unchanged !== n || allocated !== Math.floor(n / 5) * 5) throw new Error('unexpected counts')
const storeMs = importMs - readMs + allocMs
console.log(`laptops: ${n} (${store.dialect})`)
console.log(`read CSV alone        ${readMs.toFixed(0)} ms`)
console.log(`import (first)        ${importMs.toFixed(0)} ms   store work ${(importMs - readMs).toFixed(0)} ms`)
console.log(`import (re-run)       ${againMs.toFixed(0)} ms   (all unchanged)`)
console.log(`allocate to 5 sites   ${allocMs.toFixed(0)} ms`)
console.log(
  `store work import+allocate ${storeMs.toFixed(0)} ms; ratio to the 1 s budget: ${(storeMs / 1000).toFixed(2)} (${storeMs < 1000 ? 'under' : 'OVER'})`,
)
