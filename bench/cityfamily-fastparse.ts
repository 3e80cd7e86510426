// Check and time (not a test): migrate reads Abelium rows with a hand-written twin of the
// zod row schema (fastSourceParser, streamCsv's `fastParse`). On every file of an export,
// read all rows once with zod alone and once with the twin: rows (values, field order,
// undefined fields), rejects and messages must be identical. Prints CPU seconds of both.
// Usage: npx tsx bench/cityfamily-fastparse.ts DIR   (DIR: `alpi cityfamily sample --out DIR`)
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {readCsv} from '../src/csv/read.js'
import {columnSpec, fastSourceParser, loadSourceMapping, sourceMappingPath, sourceSchema} from '../src/cityfamily/mapping.js'
import {ENTITY_ORDER} from '../src/cityfamily/model.js'

const dir = process.argv[2]
if (!dir) throw new Error('usage: bench/cityfamily-fastparse.ts DIR')
const mapping = loadSourceMapping(sourceMappingPath(join(import.meta.dirname, '..', 'templates')))
const show = (x: unknown) => JSON.stringify(x, (_k, v) => (v === undefined ? '<undefined>' : v))
let zodCpu = 0
let fastCpu = 0
let rows = 0
let differences = 0
for (const entity of ENTITY_ORDER) {
  const m = mapping.entities[entity]
  if (!m || !existsSync(join(dir, m.file))) continue
  const opts = {source: join(dir, m.file), schema: sourceSchema(mapping, entity), columns: columnSpec(mapping, entity), encoding: mapping.encoding, delimiter: mapping.delimiter}
  let t = process.cpuUsage()
  const a = await readCsv(opts)
  let d = process.cpuUsage(t)
  zodCpu += (d.user + d.system) / 1e6
  t = process.cpuUsage()
  const b = await readCsv({...opts, fastParse: fastSourceParser(mapping, entity)})
  d = process.cpuUsage(t)
  fastCpu += (d.user + d.system) / 1e6
  rows += a.rowCount
  const same = show(a.rows.map((r) => [r.row, r.value])) === show(b.rows.map((r) => [r.row, r.value])) && show(a.rejects) === show(b.rejects)
  if (!same) {
    differences++
    console.error(`DIFFERENT: ${m.file}`)
  }
}
console.log(`${rows} rows: zod ${zodCpu.toFixed(2)} s CPU, zod + fastParse ${fastCpu.toFixed(2)} s CPU; ${differences} file(s) different`)
if (differences > 0) process.exit(1)
