import {stringify} from 'csv-stringify/sync'
import {describe, expect, it} from 'vitest'
import {lineFormatter} from '../../../src/csv/write.js'

// The writer formats lines itself (for speed); csv-stringify is the reference it must match
// byte for byte, on random cells full of delimiters, quotes, CR, LF, tabs and accents.
describe('CSV line formatter', () => {
  it.each([
    [';', '\n'],
    [';', '\r\n'],
    [',', '\n'],
    [',', '\r\n'],
    ['\t', '\n'],
    ['\t', '\r\n'],
  ] as const)('matches csv-stringify for delimiter %j and line end %j', (delimiter, eol) => {
    let seed = 42 + delimiter.charCodeAt(0) + eol.length
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    const alphabet = ['a', 'Z', '0', ' ', ';', ',', '\t', '"', "'", '\r', '\n', 'é', 'œ', '€', '=', '-', '\u00a0']
    const cell = () => Array.from({length: rand(4) === 0 ? 0 : rand(8)}, () => alphabet[rand(alphabet.length)]).join('')
    const mine = lineFormatter(delimiter, eol)
    for (let k = 0; k < 5000; k++) {
      const cells = Array.from({length: rand(6)}, cell)
      const reference = stringify([cells], {
        delimiter,
        record_delimiter: eol === '\r\n' ? 'windows' : 'unix',
        quoted_match: [/[\r\n]/],
        eof: true,
      })
      expect(mine(cells), JSON.stringify(cells)).toBe(reference)
    }
  })
})
