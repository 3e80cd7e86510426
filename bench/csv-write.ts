// CSV writer benchmark (not a test): the writer's line formatter (built once per writer)
// against csv-stringify called per line with the options the writer used before. That both
// give the same bytes is a test (test/unit/csv/line-formatter.test.ts). Usage:
//   npx tsx bench/csv-write.ts [lines=200000]
import {stringify} from 'csv-stringify/sync'
import {lineFormatter} from '../src/csv/write.js'

const lines = Number(process.argv[2] ?? 200_000)

const reference = (delimiter: string, eol: string) => (cells: string[]) =>
  stringify([cells], {delimiter, record_delimiter: eol === '\r\n' ? 'windows' : 'unix', quoted_match: [/[\r\n]/], eof: true})

const rows = Array.from({length: 1000}, (_, i) => [
  `F${i}`,
  'Dupont',
  `${i} rue de l’Église`,
  '40000',
  'Mont-de-Marsan',
  i % 3 ? '' : 'note; with "quotes"',
  String(i * 7),
])
const time = (f: (cells: string[]) => string) => {
  const t0 = process.cpuUsage()
  let n = 0
  for (let i = 0; i < lines; i++) n += f(rows[i % rows.length]!).length
  const t = process.cpuUsage(t0)
  return {s: (t.user + t.system) / 1e6, n}
}
const ref = time(reference(';', '\r\n'))
const mine = time(lineFormatter(';', '\r\n'))
if (ref.n !== mine.n) throw new Error('different output sizes')
console.log(`csv-stringify per line: ${ref.s.toFixed(2)} s CPU (${((ref.s * 1e6) / lines).toFixed(2)} µs/line)`)
console.log(`lineFormatter:          ${mine.s.toFixed(2)} s CPU (${((mine.s * 1e6) / lines).toFixed(2)} µs/line)`)
console.log(`ratio:                  ${(ref.s / mine.s).toFixed(1)}x faster`)
