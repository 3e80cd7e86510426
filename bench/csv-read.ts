// CSV pipeline benchmark (not a test): the full pipeline (detect, decode, parse, header
// aliases, zod per row) against bare csv-parse on the same bytes, and against Miller
// (`mlr cat`) as a peer. Prints medians and ratios. Usage:
//   npx tsx bench/csv-read.ts [rows=100000] [runs=5]
import {spawnSync} from 'node:child_process'
import {createReadStream, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parse} from 'csv-parse'
import iconv from 'iconv-lite'
import {z} from 'zod'
import {cents, frDate, text} from '../src/csv/fields.js'
import {streamCsv} from '../src/csv/read.js'

const rows = Number(process.argv[2] ?? 100_000)
const runs = Number(process.argv[3] ?? 5)
const dir = mkdtempSync(join(tmpdir(), 'alpi-bench-csv-'))
const path = join(dir, 'devices.csv')
const lines = ['N° de série;Modèle;Date d’entrée;Prix;Remarque']
for (let i = 0; i < rows; i++)
  lines.push(`PC-${i};Modèle ${i % 37};${(i % 28) + 1}/0${(i % 9) + 1}/2024;${i % 900},${i % 100};"note ${i}; with ""quotes"" and œ €"`)
writeFileSync(path, iconv.encode(lines.join('\r\n') + '\r\n', 'windows-1252'))

const schema = z.object({serial: text(), model: text(), received: frDate().optional(), price: cents().optional(), note: text().optional()})
const columns = {
  serial: {aliases: ['N° de série']},
  model: {aliases: ['modèle']},
  received: {aliases: ['date d’entrée']},
  price: {aliases: ['prix']},
  note: {aliases: ['remarque']},
}

async function pipeline(): Promise<number> {
  let n = 0
  for await (const item of streamCsv({source: path, schema, columns})) if (item.ok) n++
  return n
}
async function bare(): Promise<number> {
  let n = 0
  const p = createReadStream(path)
    .pipe(iconv.decodeStream('windows-1252'))
    .pipe(parse({delimiter: ';', from_line: 2}))
  for await (const _ of p) n++
  return n
}
function mlr(): number {
  const r = spawnSync('mlr', ['--icsv', '--ifs', 'semicolon', '--ocsv', 'cat', path], {stdio: ['ignore', 'ignore', 'pipe']})
  if (r.status !== 0) throw new Error(`mlr failed: ${r.stderr}`)
  return rows
}

const cases: Record<string, () => Promise<number> | number> = {'bare csv-parse': bare, 'alpi streamCsv': pipeline, 'mlr cat': mlr}
const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]))
for (let i = 0; i < runs + 1; i++) {
  for (const [name, fn] of Object.entries(cases)) {
    const t0 = process.hrtime.bigint()
    const n = await fn()
    const ms = Number(process.hrtime.bigint() - t0) / 1e6
    if (n !== rows) throw new Error(`${name}: ${n} rows instead of ${rows}`)
    if (i > 0) times[name].push(ms)
  }
}
rmSync(dir, {recursive: true, force: true})
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]
const base = median(times['bare csv-parse'])
for (const [name, t] of Object.entries(times)) {
  console.log(
    `${name.padEnd(16)} median ${median(t).toFixed(0).padStart(6)} ms  ${((rows / median(t)) * 1000).toFixed(0).padStart(8)} rows/s  ratio ${(median(t) / base).toFixed(2)}x of bare csv-parse`,
  )
}
