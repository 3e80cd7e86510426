// CSV writer benchmark (not a test): the writer's line formatter (built once per writer)
// against csv-stringify called per line with the options the writer used before. First
// checks that both give the same bytes on many random cells (delimiters, quotes, CR, LF,
// tabs, empty cells, accents), for each delimiter and line end; then times both. Usage:
//   npx tsx bench/csv-write.ts [lines=200000] [checks=200000]
import {stringify} from 'csv-stringify/sync'
import {lineFormatter} from '../src/csv/write.js'

const lines = Number(process.argv[2] ?? 200_000)
const checks = Number(process.argv[3] ?? 200_000)

let seed = 42
const rand = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff
  return seed % n
}
const ALPHABET = ['a', 'Z', '0', ' ', ';', ',', '\t', '"', "'", '\r', '\n', 'é', 'œ', '€', '=', '-', '\u00a0']
const randomCell = () => {
  const len = rand(4) === 0 ? 0 : rand(8)
  let s = ''
  for (let i = 0; i < len; i++) s += ALPHABET[rand(ALPHABET.length)]
  return s
}
const reference = (delimiter: string, eol: string) => (cells: string[]) =>
  stringify([cells], {delimiter, record_delimiter: eol === '\r\n' ? 'windows' : 'unix', quoted_match: [/[\r\n]/], eof: true})

let mismatches = 0
for (const delimiter of [';', ',', '\t'] as const) {
  for (const eol of ['\n', '\r\n'] as const) {
    const mine = lineFormatter(delimiter, eol)
    const ref = reference(delimiter, eol)
    for (let k = 0; k < checks / 6; k++) {
      const cells = Array.from({length: rand(6)}, randomCell)
      const a = mine(cells)
      const b = ref(cells)
      if (a !== b && mismatches++ < 5) console.error('MISMATCH', JSON.stringify({delimiter, eol, cells, mine: a, csvStringify: b}))
    }
  }
}
console.log(`equivalence: ${checks} random lines, ${mismatches} mismatches`)
if (mismatches > 0) process.exit(1)

const rows = Array.from({length: 1000}, (_, i) => [`F${i}`, 'Dupont', `${i} rue de l’Église`, '40000', 'Mont-de-Marsan', i % 3 ? '' : 'note; with "quotes"', String(i * 7)])
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
