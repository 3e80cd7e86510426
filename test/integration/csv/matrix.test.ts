import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {execa} from 'execa'
import iconv from 'iconv-lite'
import type {Kysely} from 'kysely'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {InputRejected} from '../../../src/core/errors.js'
import {setLanguage} from '../../../src/core/i18n.js'
import {importCsv, type ImportResult} from '../../../src/csv/import.js'
import type {Store} from '../../../src/store/db.js'
import {upsertRows} from '../../../src/store/upsert.js'
import {REPO_ROOT, sqliteStore, tempDir, testContext} from '../../helpers/context.js'
import {deviceColumns, deviceSchema, writeCsvFixture} from '../../fixtures/csv/make.js'

/**
 * The matrix: each kind of generated file, imported, gives the documented result
 * and its rejects file holds exactly the bad rows (by line number and original cells).
 */
beforeAll(() => setLanguage('en'))

const big = 'y'.repeat(10 * 1024 * 1024)
const cases: {
  name: string
  bytes: () => Buffer
  inserted: number
  bad: {row: number; cells: string}[]
  encoding?: string
  delimiter?: string
}[] = [
  {
    name: 'Windows-1252',
    bytes: () => iconv.encode('N° de série;Modèle;Remarque\r\nPC-1;Œuvre;5 € l’unité\r\nPC-2;;cœur\r\n', 'windows-1252'),
    inserted: 1,
    bad: [{row: 3, cells: 'PC-2;;cœur'}],
    encoding: 'windows-1252',
  },
  {
    name: 'UTF-8 with BOM',
    bytes: () => Buffer.from('\ufeffserial,model,received\nPC-1,Dell,01/01/2024\nPC-2,HP,32/01/2024\n'),
    inserted: 1,
    bad: [{row: 3, cells: 'PC-2;HP;32/01/2024'}],
    delimiter: ',',
  },
  {
    name: 'semicolon',
    bytes: () => Buffer.from('serial;model\nPC-1;A\nPC-2;B;extra\n'),
    inserted: 1,
    bad: [{row: 3, cells: 'PC-2;B;extra'}],
    delimiter: ';',
  },
  {
    name: 'comma',
    bytes: () => Buffer.from('serial,model,price\nPC-1,A,"1,5"\nPC-2,B,1;5\n'),
    inserted: 1,
    bad: [{row: 3, cells: 'PC-2;B;"1;5"'}],
    delimiter: ',',
  },
  {name: 'tab', bytes: () => Buffer.from('serial\tmodel\nPC-1\tA\nPC-2\n'), inserted: 1, bad: [{row: 3, cells: 'PC-2'}], delimiter: '\t'},
  {
    name: 'quoted newlines',
    bytes: () => Buffer.from('serial;model;note\r\nPC-1;A;"l1\r\nl2"\r\nPC-2;"";"l1\nl2\nl3"\r\nPC-3;C;x\r\n'),
    inserted: 2,
    bad: [{row: 4, cells: 'PC-2;;"l1\nl2\nl3"'}],
  },
  {
    name: 'ragged rows',
    bytes: () => Buffer.from('serial;model;note\nPC-1;A\nPC-2;B;c;d\nPC-3;C;;\n'),
    inserted: 1,
    bad: [
      {row: 2, cells: 'PC-1;A'},
      {row: 3, cells: 'PC-2;B;c;d'},
    ],
  },
  {name: 'header only', bytes: () => Buffer.from('serial;model\r\n'), inserted: 0, bad: []},
  {
    name: 'a 10 MB field',
    bytes: () => Buffer.from(`serial;model;note\nPC-1;A;${big}\nPC-2;;${big}\n`),
    inserted: 1,
    bad: [{row: 3, cells: `PC-2;;${big}`}],
  },
  {
    name: 'formula cells',
    bytes: () => Buffer.from('serial;model;price\n=1+1;A;2\n@x;B;=2*3\n'),
    inserted: 1,
    bad: [{row: 3, cells: "'@x;B;'=2*3"}],
  },
  {name: 'duplicate keys', bytes: () => Buffer.from('serial;model\nPC-1;A\nPC-1;B\n'), inserted: 1, bad: [{row: 3, cells: 'PC-1;B'}]},
]

describe('the CSV matrix, imported into SQLite', () => {
  let store: Store
  let cleanup: () => Promise<void>
  let dir: {path: string; cleanup: () => void}
  beforeAll(async () => {
    const s = await sqliteStore()
    store = s.store
    cleanup = s.cleanup
    dir = tempDir('alpi-csv-matrix-')
    await (store.db as unknown as Kysely<any>).schema
      .createTable('csv_matrix')
      .addColumn('file', 'text', (c) => c.notNull())
      .addColumn('serial', 'text', (c) => c.notNull())
      .addColumn('model', 'text')
      .addColumn('price', 'integer')
      .addPrimaryKeyConstraint('csv_matrix_pk', ['file', 'serial'])
      .execute()
  })
  afterAll(async () => {
    await cleanup()
    dir.cleanup()
  })

  it.each(cases)('$name', async (c) => {
    const file = c.name.replace(/\W+/g, '-') + '.csv'
    const source = writeCsvFixture(dir.path, file, c.bytes())
    let result: ImportResult
    try {
      result = await importCsv(testContext(store), {
        source,
        schema: deviceSchema,
        columns: deviceColumns,
        entity: 'csv_matrix',
        key: (d) => d.serial,
        upsert: (trx, rows) =>
          upsertRows(
            trx,
            'csv_matrix',
            ['file', 'serial'],
            rows.map((d) => ({file, serial: d.serial, model: d.model, price: d.price})),
          ),
      })
      expect(c.bad).toEqual([])
    } catch (error) {
      expect(error).toBeInstanceOf(InputRejected)
      result = (error as InputRejected).data as ImportResult
      const lines = readFileSync(result.rejectsFile!, 'utf8').slice(1).split('\r\n')
      expect(lines.at(-1)).toBe('')
      // Header + one line per bad row; each line = row;field;message;original cells.
      expect(lines.length - 2).toBe(c.bad.length)
      const body = lines.slice(1, -1)
      c.bad.forEach((b, i) => {
        expect(body[i].startsWith(`${b.row};`)).toBe(true)
        expect(body[i].endsWith(';' + b.cells)).toBe(true)
      })
    }
    expect(result.inserted).toBe(c.inserted)
    expect(result.rejected).toBe(c.bad.length)
    if (c.encoding) expect(result.encoding).toBe(c.encoding)
    if (c.delimiter) expect(result.delimiter).toBe(c.delimiter)
  })

  it('Given an empty file, When imported, Then UsageError (exit 2) and nothing written', async () => {
    const source = writeCsvFixture(dir.path, 'empty.csv', Buffer.alloc(0))
    const err = await importCsv(testContext(store), {
      source,
      schema: deviceSchema,
      columns: deviceColumns,
      entity: 'csv_matrix',
      key: (d) => d.serial,
      upsert: async () => ({inserted: 0, updated: 0, unchanged: 0}),
    }).catch((e: unknown) => e)
    expect(err).toMatchObject({code: 'USAGE', exitCode: 2, message: expect.stringContaining('the file is empty')})
  })
})

describe("the real standard input ('-')", () => {
  const script = join(REPO_ROOT, 'test/fixtures/csv/read-stdin.ts')
  const run = (input: Buffer) =>
    execa(process.execPath, ['--import', 'tsx', script], {input, reject: false, cwd: REPO_ROOT, env: {LANG: 'C', LC_ALL: ''}})

  it('Given Windows-1252 CSV piped on stdin, When read from "-", Then decoded and validated', async () => {
    const r = await run(iconv.encode('serial;model;note\r\nPC-1;A;€ œ\r\nPC-2\r\n', 'windows-1252'))
    expect(r.exitCode).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({
      file: 'stdin',
      encoding: 'windows-1252',
      delimiter: ';',
      rows: [{row: 2, value: {serial: 'PC-1', model: 'A', note: '€ œ'}}],
    })
    expect(out.rejects).toMatchObject([{row: 3, raw: ['PC-2']}])
  })

  it('Given nothing on stdin, When read from "-", Then exit 2 "the file is empty"', async () => {
    const r = await run(Buffer.alloc(0))
    expect(r.exitCode).toBe(2)
    expect(JSON.parse(r.stderr)).toMatchObject({code: 'USAGE', message: 'the file is empty: stdin'})
  })
})
