import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Writable} from 'node:stream'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {createCsvWriter, formatCell, neutraliseFormula, writeCsv} from '../../../src/csv/write.js'
import {tempDir} from '../../helpers/context.js'

let dir: {path: string; cleanup: () => void}
beforeEach(() => {
  dir = tempDir('alpi-csv-write-')
})
afterEach(() => dir.cleanup())

const columns = [
  {key: 'id', header: 'id'},
  {key: 'note', header: 'note'},
]

describe('formula injection', () => {
  it.each(['=1+2', '+33 5 58', '-2+3', '@SUM(A1)', '\tx', '\rx', '=HYPERLINK("http://example.invalid","x")'])(
    'neutralises the string %j',
    (s) => {
      expect(neutraliseFormula(s)).toBe(`'${s}`)
    },
  )
  it('leaves plain strings and numbers typed as numbers alone', () => {
    expect(neutraliseFormula('Dupont')).toBe('Dupont')
    expect(neutraliseFormula('a=b')).toBe('a=b')
    expect(formatCell(-12.5)).toBe('-12.5')
    expect(formatCell('-12.5')).toBe("'-12.5")
    expect(formatCell(null)).toBe('')
    expect(formatCell(undefined)).toBe('')
    expect(formatCell(true)).toBe('true')
    expect(formatCell(new Date('2024-02-01T00:00:00Z'))).toBe('2024-02-01T00:00:00.000Z')
    expect(formatCell(Number.NaN)).toBe('')
  })

  it('writes neutralised cells into the file (Given formula cells / When written / Then each starts with an apostrophe)', async () => {
    const path = join(dir.path, 'out.csv')
    await writeCsv(
      path,
      [
        {id: 1, note: '=cmd|"/c calc"!A1'},
        {id: -2, note: '@x'},
      ],
      {columns},
    )
    expect(readFileSync(path, 'utf8')).toBe('id,note\n1,"\'=cmd|""/c calc""!A1"\n-2,\'@x\n')
  })
})

describe('writeCsv', () => {
  it('uses the delimiter, eol and BOM options and quotes what must be', async () => {
    const path = join(dir.path, 'x.csv')
    await writeCsv(
      path,
      [
        {id: 'a;b', note: 'line1\nline2'},
        {id: 'c"d', note: ''},
      ],
      {columns, delimiter: ';', eol: '\r\n', bom: true},
    )
    expect(readFileSync(path, 'utf8')).toBe('\ufeffid;note\r\n"a;b";"line1\nline2"\r\n"c""d";\r\n')
  })

  it('can write Windows-1252 for old tools (no BOM then)', async () => {
    const path = join(dir.path, 'cp.csv')
    await writeCsv(path, [{id: 'é', note: '€ œ ’'}], {columns, delimiter: ';', eol: '\r\n', bom: true, encoding: 'windows-1252'})
    expect(readFileSync(path)).toEqual(
      Buffer.concat([Buffer.from('id;note\r\n'), Buffer.from([0xe9, 0x3b, 0x80, 0x20, 0x9c, 0x20, 0x92, 0x0d, 0x0a])]),
    )
  })

  it('takes array rows by position and async iterables', async () => {
    const path = join(dir.path, 'y.csv')
    async function* gen() {
      yield ['1', 'x']
      yield ['2', 'y']
    }
    const res = await writeCsv(path, gen(), {columns: ['a', 'b'], eol: '\n'})
    expect(res.rows).toBe(2)
    expect(readFileSync(path, 'utf8')).toBe('a,b\n1,x\n2,y\n')
  })

  it('applies the file mode (0600 for personal data)', async () => {
    const path = join(dir.path, 'private.csv')
    await writeCsv(path, [{id: 1}], {columns, mode: 0o600})
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })

  it('writes to a stream without closing it', async () => {
    const chunks: string[] = []
    const stream = new Writable({
      write(chunk, _enc, cb) {
        chunks.push(String(chunk))
        cb()
      },
    })
    await writeCsv(stream, [{id: 1, note: 'a'}], {columns})
    expect(chunks.join('')).toBe('id,note\n1,a\n')
    expect(stream.writableEnded).toBe(false)
  })

  it('leaves no half-written file when the rows fail mid-way, and keeps the old file', async () => {
    const path = join(dir.path, 'keep.csv')
    writeFileSync(path, 'old content\n')
    function* rows() {
      yield {id: 1, note: 'a'}
      throw new Error('source died')
    }
    await expect(writeCsv(path, rows(), {columns})).rejects.toThrow('source died')
    expect(readFileSync(path, 'utf8')).toBe('old content\n')
    expect(readdirSync(dir.path)).toEqual(['keep.csv'])
  })
})

describe('createCsvWriter', () => {
  it('streams many rows; nothing appears under the final name before end()', async () => {
    const path = join(dir.path, 'big.csv')
    const w = await createCsvWriter(path, {columns, eol: '\r\n'})
    for (let i = 0; i < 20_000; i++) await w.write({id: i, note: `n${i}`})
    expect(existsSync(path)).toBe(false)
    const res = await w.end()
    expect(res.rows).toBe(20_000)
    const text = readFileSync(path, 'utf8')
    expect(text.split('\r\n')).toHaveLength(20_002)
    expect(text.endsWith('19999,n19999\r\n')).toBe(true)
  })

  it('abort() removes the temporary file', async () => {
    const path = join(dir.path, 'aborted.csv')
    const w = await createCsvWriter(path, {columns})
    await w.write({id: 1})
    await w.abort()
    expect(readdirSync(dir.path)).toEqual([])
  })
})
