import {existsSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Readable} from 'node:stream'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {defaultRejectsPath, removeStaleRejects, writeRejects} from '../../../src/csv/rejects.js'
import {tempDir} from '../../helpers/context.js'

let dir: {path: string; cleanup: () => void}
beforeEach(() => {
  dir = tempDir('alpi-csv-rejects-')
})
afterEach(() => dir.cleanup())

describe('defaultRejectsPath', () => {
  it('puts the rejects next to the source, or in the current folder for stdin', () => {
    expect(defaultRejectsPath('/data/in/devices.csv')).toBe('/data/in/devices.rejects.csv')
    expect(defaultRejectsPath('/data/in/Export.TXT')).toBe('/data/in/Export.rejects.csv')
    expect(defaultRejectsPath('/data/in/devices')).toBe('/data/in/devices.rejects.csv')
    expect(defaultRejectsPath('rel/x.csv', '/home/tech')).toBe('/home/tech/rel/x.rejects.csv')
    expect(defaultRejectsPath('-', '/home/tech')).toBe('/home/tech/stdin.rejects.csv')
    expect(defaultRejectsPath(Readable.from([]), '/home/tech')).toBe('/home/tech/stdin.rejects.csv')
  })
})

describe('writeRejects', () => {
  it('writes UTF-8 with BOM, ";", CRLF, mode 0600, one line per row sorted by row, cells neutralised', async () => {
    const path = join(dir.path, 'r.csv')
    await writeRejects(
      path,
      [
        {row: 9, field: 'b', column: 'B col', message: 'bad b', value: '=x', raw: ['1', '=x']},
        {row: 3, field: '', message: 'this row has 1 cells, the header has 2', raw: ['only']},
        {row: 9, field: 'a', column: 'A col', message: 'bad a', raw: ['1', '=x']},
      ],
      ['A col', 'B col'],
    )
    expect(readFileSync(path, 'utf8')).toBe(
      "\ufeffrow;field;message;A col;B col\r\n3;;this row has 1 cells, the header has 2;only\r\n9;B col, A col;bad b | bad a;1;'=x\r\n",
    )
    expect(statSync(path).mode & 0o777).toBe(0o600)
  })
})

describe('removeStaleRejects', () => {
  it('removes only a rejects file of ours', async () => {
    const ours = join(dir.path, 'ours.csv')
    await writeRejects(ours, [{row: 2, field: '', message: 'x', raw: ['a']}], ['h'])
    const theirs = join(dir.path, 'theirs.csv')
    writeFileSync(theirs, 'row;field;message\n')
    expect(removeStaleRejects(ours)).toBe(true)
    expect(existsSync(ours)).toBe(false)
    expect(removeStaleRejects(theirs)).toBe(false)
    expect(existsSync(theirs)).toBe(true)
    expect(removeStaleRejects(join(dir.path, 'none.csv'))).toBe(false)
  })
})
