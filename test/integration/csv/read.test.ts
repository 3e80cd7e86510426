import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {PassThrough, Readable} from 'node:stream'
import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {z} from 'zod'
import {UsageError} from '../../../src/core/errors.js'
import {setLanguage} from '../../../src/core/i18n.js'
import {readCsv, streamCsv} from '../../../src/csv/read.js'
import {writeRejects} from '../../../src/csv/rejects.js'
import {writeCsv} from '../../../src/csv/write.js'
import {tempDir} from '../../helpers/context.js'
import {deviceColumns, deviceSchema, writeCsvFixture} from '../../fixtures/csv/make.js'

beforeAll(() => setLanguage('en'))
let dir: {path: string; cleanup: () => void}
beforeEach(() => {
  dir = tempDir('alpi-csv-read-')
})
afterEach(() => dir.cleanup())

const read = (source: string | NodeJS.ReadableStream, extra: Record<string, unknown> = {}) =>
  readCsv({source, schema: deviceSchema, columns: deviceColumns, ...extra})

/** The rejects file read back: its lines without the BOM. */
async function rejectsLines(result: Awaited<ReturnType<typeof read>>): Promise<string[]> {
  const path = join(dir.path, 'out.rejects.csv')
  await writeRejects(path, result.rejects, result.headers)
  const text = readFileSync(path, 'utf8')
  expect(text.startsWith('\ufeff')).toBe(true)
  return text
    .slice(1)
    .split('\r\n')
    .filter((l) => l !== '')
}

describe('encodings', () => {
  it('Given a Windows-1252 file with € ’ œ Œ, When read, Then the characters come back right', async () => {
    const path = writeCsvFixture(dir.path, 'cp1252.csv', 'N° de série;Modèle;Remarque\r\nPC-1;Œuvre 5;coûte 5 € l’unité, cœur\r\n', {
      encoding: 'windows-1252',
    })
    const r = await read(path)
    expect(r.encoding).toBe('windows-1252')
    expect(r.rows[0].value).toEqual({serial: 'PC-1', model: 'Œuvre 5', note: 'coûte 5 € l’unité, cœur'})
  })

  it('Given UTF-8 with a BOM, When read, Then the BOM is not part of the first header', async () => {
    const path = writeCsvFixture(dir.path, 'bom.csv', 'serial;model\nPC-1;Dell\n', {bom: true})
    const r = await read(path)
    expect(r).toMatchObject({encoding: 'utf-8', bom: true, headers: ['serial', 'model'], unknownHeaders: []})
    expect(r.rows[0].value).toEqual({serial: 'PC-1', model: 'Dell'})
  })

  it('Given UTF-8 without a BOM, When read, Then it is utf-8', async () => {
    const path = writeCsvFixture(dir.path, 'utf8.csv', 'serial;model;note\nPC-1;Dell;été œ €\n')
    const r = await read(path)
    expect(r).toMatchObject({encoding: 'utf-8', bom: false})
    expect(r.rows[0].value.note).toBe('été œ €')
  })

  it('Given a big file valid at the start but with a Windows-1252 byte after the sample, When read, Then the whole file is windows-1252', async () => {
    const lines = ['serial;model;note']
    for (let i = 0; i < 5000; i++) lines.push(`PC-${i};Model ${i};plain ascii`)
    lines.push('PC-LAST;Model;coûte 5 €')
    const path = writeCsvFixture(dir.path, 'late.csv', lines.join('\n') + '\n', {encoding: 'windows-1252'})
    const r = await read(path)
    expect(r.encoding).toBe('windows-1252')
    expect(r.rows.at(-1)!.value.note).toBe('coûte 5 €')
  })

  it('Given Excel\'s "Unicode text" (UTF-16LE with a BOM, tab-delimited), When read, Then decoded and split right', async () => {
    const body = Buffer.from('N° de série\tModèle\tRemarque\r\nPC-1\tŒuvre\t5 € l’unité\r\n', 'utf16le')
    const r = await read(writeCsvFixture(dir.path, 'u16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), body])))
    expect(r).toMatchObject({encoding: 'utf-16le', bom: true, delimiter: '\t'})
    expect(r.rows[0].value).toEqual({serial: 'PC-1', model: 'Œuvre', note: '5 € l’unité'})
  })

  it('honours an explicit encoding', async () => {
    const path = writeCsvFixture(dir.path, 'forced.csv', 'serial;model\nPC-1;Ã©\n')
    const r = await read(path, {encoding: 'windows-1252'})
    expect(r.encoding).toBe('windows-1252')
    expect(r.rows[0].value.model).toBe('ÃƒÂ©')
  })
})

describe('delimiters', () => {
  it.each([
    [';', 'semicolon'],
    [',', 'comma'],
    ['\t', 'tab'],
  ])('Given a file delimited by %j (%s), When read, Then it is detected and rows parse', async (d) => {
    const content = ['serial', 'model', 'price'].join(d) + '\n' + ['PC-1', 'Dell', d === ',' ? '"12,50"' : '12,50'].join(d) + '\n'
    const path = writeCsvFixture(dir.path, 'd.csv', content)
    const r = await read(path)
    expect(r.delimiter).toBe(d)
    expect(r.rows[0].value).toEqual({serial: 'PC-1', model: 'Dell', price: 1250})
  })

  it('honours an explicit delimiter', async () => {
    const path = writeCsvFixture(dir.path, 'x.csv', 'serial|model\n')
    await expect(read(path, {delimiter: ';'})).rejects.toThrow(/missing columns/)
  })
})

describe('structure', () => {
  it('Given CRLF and quoted newlines, When read, Then rows are numbered by the line where they start', async () => {
    const content = 'serial;model;note\r\nPC-1;Dell;"two\r\nlines"\r\nPC-2;HP;"three\nmixed\r\nlines"\r\n\r\nPC-3;Lenovo;\r\n'
    const r = await read(writeCsvFixture(dir.path, 'q.csv', content))
    expect(r.rows.map((x) => [x.row, x.value.serial])).toEqual([
      [2, 'PC-1'],
      [4, 'PC-2'],
      [8, 'PC-3'],
    ])
    expect(r.rows[0].value.note).toBe('two\r\nlines')
    expect(r.rows[1].value.note).toBe('three\nmixed\r\nlines')
  })

  it('Given ragged rows, When read, Then each gets a clear reject and the good rows pass; the rejects file holds exactly those rows', async () => {
    const content = 'serial;model;note\nPC-1;Dell;ok\nPC-2;HP\nPC-3;Acer;x;extra\nPC-4;Asus;y;;\nPC-5;Lenovo;z\n'
    const r = await read(writeCsvFixture(dir.path, 'ragged.csv', content))
    expect(r.rows.map((x) => x.value.serial)).toEqual(['PC-1', 'PC-4', 'PC-5'])
    expect(r.rejects).toEqual([
      {row: 3, field: '', message: 'this row has 2 cells, the header has 3', raw: ['PC-2', 'HP']},
      {row: 4, field: '', message: 'this row has 4 cells, the header has 3 (extra cells not empty)', raw: ['PC-3', 'Acer', 'x', 'extra']},
    ])
    expect(await rejectsLines(r)).toEqual([
      'row;field;message;serial;model;note',
      '3;;this row has 2 cells, the header has 3;PC-2;HP',
      '4;;this row has 4 cells, the header has 3 (extra cells not empty);PC-3;Acer;x;extra',
    ])
  })

  it('Given an empty file (0 bytes, BOM only, blank lines), When read, Then UsageError "the file is empty" (exit 2)', async () => {
    for (const [name, bytes] of [
      ['empty.csv', Buffer.alloc(0)],
      ['bom.csv', Buffer.from([0xef, 0xbb, 0xbf])],
      ['blank.csv', Buffer.from('\r\n\n  \n')],
    ] as const) {
      const path = writeCsvFixture(dir.path, name, bytes)
      const err = await read(path).catch((e: unknown) => e)
      expect(err, name).toBeInstanceOf(UsageError)
      expect((err as UsageError).message).toMatch(/the file is empty/)
      expect((err as UsageError).exitCode).toBe(2)
    }
  })

  it('Given a header-only file, When read, Then 0 rows and no rejects', async () => {
    const r = await read(writeCsvFixture(dir.path, 'h.csv', 'serial;model\r\n'))
    expect(r).toMatchObject({rows: [], rejects: [], rowCount: 0, headers: ['serial', 'model']})
  })

  it('Given a 10 MB field, When read, Then it comes back whole', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024) + '\n"quoted"; end'
    const content = `serial;model;note\nPC-1;Dell;"${big.replace(/"/g, '""')}"\nPC-2;HP;small\n`
    const r = await read(writeCsvFixture(dir.path, 'big.csv', content))
    expect(r.rows).toHaveLength(2)
    expect(r.rows[0].value.note!.length).toBe(big.length)
    expect(r.rows[0].value.note).toBe(big)
    expect(r.rows[1].row).toBe(4)
  })

  it('Given a quote never closed, When read, Then UsageError naming the line', async () => {
    const path = writeCsvFixture(dir.path, 'open.csv', 'serial;model\nPC-1;Dell\nPC-2;"HP\nPC-3;Acer\n')
    await expect(read(path)).rejects.toThrow(/quoted cell starting on line 3 is never closed/)
  })

  it('tolerates a bare quote inside an unquoted cell (Écran 15")', async () => {
    const r = await read(writeCsvFixture(dir.path, 'inch.csv', 'serial;model\nPC-1;Écran 15"\n'))
    expect(r.rows[0].value.model).toBe('Écran 15"')
  })

  it('Given a file that does not exist, When read, Then UsageError', async () => {
    await expect(read(join(dir.path, 'nope.csv'))).rejects.toBeInstanceOf(UsageError)
  })
})

describe('headers', () => {
  it('Given Excel\'s "sep=;" first line, When read, Then it gives the delimiter and the header is line 2', async () => {
    const r = await read(writeCsvFixture(dir.path, 'sep.csv', 'sep=;\r\nserial;model;note\r\nPC-1;Dell;a,b\r\nPC-2\r\n'))
    expect(r.delimiter).toBe(';')
    expect(r.headers).toEqual(['serial', 'model', 'note'])
    expect(r.rows).toMatchObject([{row: 3, value: {serial: 'PC-1', note: 'a,b'}}])
    expect(r.rejects).toMatchObject([{row: 4}])
  })

  it("a field's canonical name wins over another field's alias", async () => {
    const r = await read(writeCsvFixture(dir.path, 'canon.csv', 'model;serial\nM;S\n'), {
      columns: {serial: {aliases: ['model']}, model: {}},
    })
    expect(r.rows[0].value).toMatchObject({serial: 'S', model: 'M'})
  })

  it('Given French headers with accents, case, spaces and punctuation, When read, Then they map to the canonical fields', async () => {
    const content = 'N° DE SÉRIE;  modele ;Date_d-Entree;PRIX;Couleur;\nPC-1;Dell;1/2/2024;1 234,5;noir;\n'
    const r = await read(writeCsvFixture(dir.path, 'fr.csv', content))
    expect(r.columns).toEqual({serial: 'N° DE SÉRIE', model: 'modele', received: 'Date_d-Entree', price: 'PRIX'})
    expect(r.unknownHeaders).toEqual(['Couleur'])
    expect(r.rows[0].value).toEqual({serial: 'PC-1', model: 'Dell', received: '2024-02-01', price: 123450})
    expect(r.rows[0].raw).toEqual({'N° DE SÉRIE': 'PC-1', modele: 'Dell', 'Date_d-Entree': '1/2/2024', PRIX: '1 234,5', Couleur: 'noir'})
  })

  it('Given English headers, When read, Then they map too', async () => {
    const r = await read(writeCsvFixture(dir.path, 'en.csv', 'Serial Number,Model Name,Received on\nPC-1,Dell,2024-02-01\n'))
    expect(r.rows[0].value).toEqual({serial: 'PC-1', model: 'Dell', received: '2024-02-01'})
  })

  it('Given missing required headers, When read, Then UsageError listing them with the accepted names', async () => {
    const err = (await read(writeCsvFixture(dir.path, 'm.csv', 'prix;remarque\n1;x\n')).catch((e: unknown) => e)) as UsageError
    expect(err).toBeInstanceOf(UsageError)
    expect(err.message).toContain('missing columns')
    expect(err.message).toContain('serial (accepted names: "serial", "N° de série", "numéro de série", "serial number", "sn")')
    expect(err.message).toContain('model (accepted names: "model", "modèle", "model name")')
    expect(err.message).not.toContain('received')
    expect(err.data).toMatchObject({missing: ['serial', 'model']})
  })

  it('Given two columns for the same field, When read, Then UsageError', async () => {
    await expect(read(writeCsvFixture(dir.path, 'dup.csv', 'serial;sn;model\n1;2;3\n'))).rejects.toThrow(/both give the field serial/)
  })

  it('an explicit required: true on an optional field makes its column mandatory', async () => {
    const path = writeCsvFixture(dir.path, 'r.csv', 'serial;model\nPC-1;Dell\n')
    await expect(read(path, {columns: {...deviceColumns, note: {required: true}}})).rejects.toThrow(/missing columns.*note/)
  })
})

describe('validation', () => {
  it('Given bad cells, When read, Then one reject per problem with row, field, value and raw; the rejects file has one line per bad row', async () => {
    const content = 'serial;model;received;price\nPC-1;Dell;01/02/2024;12\n;HP;31/02/2024;abc\nPC-3;;;\nPC-4;Asus;29/02/2024;1,5\n'
    const r = await read(writeCsvFixture(dir.path, 'v.csv', content))
    expect(r.rows.map((x) => x.row)).toEqual([2, 5])
    expect(r.rejects).toEqual([
      {row: 3, field: 'serial', column: 'serial', message: 'value required', raw: ['', 'HP', '31/02/2024', 'abc']},
      {
        row: 3,
        field: 'received',
        column: 'received',
        message: 'impossible date (no such day)',
        value: '31/02/2024',
        raw: ['', 'HP', '31/02/2024', 'abc'],
      },
      {
        row: 3,
        field: 'price',
        column: 'price',
        message: 'invalid amount (a number with at most 2 decimals)',
        value: 'abc',
        raw: ['', 'HP', '31/02/2024', 'abc'],
      },
      {row: 4, field: 'model', column: 'model', message: 'value required', raw: ['PC-3', '', '', '']},
    ])
    expect(r.rowCount).toBe(4)
    expect(await rejectsLines(r)).toEqual([
      'row;field;message;serial;model;received;price',
      '3;serial, received, price;value required | impossible date (no such day) | invalid amount (a number with at most 2 decimals);;HP;31/02/2024;abc',
      '4;model;value required;PC-3;;;',
    ])
  })

  it('Given formula cells, When read and rejected, Then the rejects file neutralises them', async () => {
    const content = 'serial;model;received\n=1+1;@SUM(A1);+33\n-PC;Dell;01/01/2024\n'
    const r = await read(writeCsvFixture(dir.path, 'f.csv', content))
    // The values themselves are kept as written (the store is not a spreadsheet).
    expect(r.rows).toEqual([expect.objectContaining({row: 3, value: {serial: '-PC', model: 'Dell', received: '2024-01-01'}})])
    expect(await rejectsLines(r)).toEqual([
      'row;field;message;serial;model;received',
      `2;received;invalid date (expected dd/mm/yyyy);'=1+1;'@SUM(A1);'+33`,
    ])
  })

  it('never quotes the cell in a message (it may be personal data); the cell goes to the value column only', async () => {
    const schema = z.object({kind: z.enum(['pc', 'mac']), name: z.string().max(5)})
    const r = await readCsv({source: writeCsvFixture(dir.path, 'e.csv', 'kind,name\nlinux,Ann\npc,Hélène-Marie\n'), schema})
    expect(r.rejects).toHaveLength(2)
    expect(r.rejects[0]).toMatchObject({row: 2, field: 'kind', value: 'linux'})
    expect(r.rejects[0].message).not.toContain('linux')
    expect(r.rejects[1]).toMatchObject({row: 3, field: 'name', value: 'Hélène-Marie'})
    expect(r.rejects[1].message).not.toMatch(/Hélène/)
  })

  it('uses the schema over canonical names, with object-level refinements giving field ""', async () => {
    const schema = z.object({a: z.string(), b: z.string().optional()}).refine((v) => v.a !== v.b, {message: 'a and b must differ'})
    const r = await readCsv({source: writeCsvFixture(dir.path, 'o.csv', 'a,b\nx,x\nx,y\n'), schema})
    expect(r.rejects).toEqual([{row: 2, field: '', message: 'a and b must differ', raw: ['x', 'x']}])
    expect(r.rows.map((x) => x.value)).toEqual([{a: 'x', b: 'y'}])
  })
})

describe('stdin and streams', () => {
  it("Given '-' as source, When read, Then standard input (the stdin option) is used", async () => {
    const stdin = Readable.from([Buffer.from('serial,model\nPC-1,Dell\n')])
    const r = await read('-', {stdin})
    expect(r.file).toBe('stdin')
    expect(r.rows[0].value).toEqual({serial: 'PC-1', model: 'Dell'})
  })

  it('Given a byte stream in small chunks with Windows-1252 text, When read, Then decoded right', async () => {
    const bytes = Buffer.concat([
      Buffer.from('serial;model;note\n'),
      Buffer.from([0x50, 0x43, 0x3b, 0x4d, 0x3b, 0x80, 0x92, 0x9c, 0x8c, 0x0a]),
    ])
    const chunks = [...bytes].map((b) => Buffer.from([b]))
    const r = await read(Readable.from(chunks))
    expect(r.encoding).toBe('windows-1252')
    expect(r.rows[0].value.note).toBe('€’œŒ')
  })

  // Issue 10 item 3: a stream is read as the same bytes in a file would be (test/reliability/input-encodings.test.ts).
  it('Given a stream whose only non-UTF-8 byte comes after the sniffed start and no UTF-8 character, When read, Then it is Windows-1252 as the same file is', async () => {
    const head = Buffer.from('serial;model;note\n' + 'PC;M;' + 'a'.repeat(70 * 1024) + '\n')
    const bad = Buffer.concat([Buffer.from('PC-2;M;co'), Buffer.from([0xfb]), Buffer.from('te\nPC-3;M;ok\n')])
    const r = await read(Readable.from([head, bad]))
    const f = await read(writeCsvFixture(dir.path, 'late-cp1252.csv', Buffer.concat([head, bad])))
    expect([r.encoding, f.encoding]).toEqual(['windows-1252', 'windows-1252'])
    expect(r.rows.map((x) => x.value.note?.slice(0, 6))).toEqual(['aaaaaa', 'coûte', 'ok'])
    expect(r.rows.map((x) => [x.row, x.value])).toEqual(f.rows.map((x) => [x.row, x.value]))
  })

  it('Given a UTF-8 stream with one Windows-1252 row after the sniffed start, When read, Then that row is rejected with its number, the others kept in UTF-8', async () => {
    const head = Buffer.from('serial;model;note\n' + 'PC;M;Hélène ' + 'a'.repeat(70 * 1024) + '\n')
    const bad = Buffer.concat([Buffer.from('PC-2;M;co'), Buffer.from([0xfb]), Buffer.from('te\nPC-3;M;ok\n')])
    const r = await read(Readable.from([head, bad]))
    expect(r.encoding).toBe('utf-8')
    expect(r.rows.map((x) => x.value.serial)).toEqual(['PC', 'PC-3'])
    expect(r.rows[0].value.note?.slice(0, 6)).toBe('Hélène')
    expect(r.rejects).toMatchObject([{row: 3, field: '', message: expect.stringContaining('not UTF-8')}])
  })

  it('streamCsv yields rows in order without reading all first, and gives the header metadata', async () => {
    const lines = ['serial;model']
    for (let i = 0; i < 3000; i++) lines.push(i === 1500 ? 'bad' : `PC-${i};M`)
    let meta: unknown
    const gen = streamCsv({
      source: writeCsvFixture(dir.path, 's.csv', lines.join('\n')),
      schema: deviceSchema,
      columns: deviceColumns,
      onHeader: (m) => (meta = m),
    })
    let ok = 0
    const bad: number[] = []
    for await (const item of gen) {
      if (item.ok) ok++
      else bad.push(item.row)
    }
    expect(meta).toMatchObject({delimiter: ';', encoding: 'utf-8', headers: ['serial', 'model']})
    expect(ok).toBe(2999)
    expect(bad).toEqual([1502])
  })

  it('lets a consumer stop early (the file is closed, nothing hangs)', async () => {
    const lines = ['serial;model']
    for (let i = 0; i < 20_000; i++) lines.push(`PC-${i};M`)
    const path = writeCsvFixture(dir.path, 'early.csv', lines.join('\n'))
    let n = 0
    for await (const item of streamCsv({source: path, schema: deviceSchema, columns: deviceColumns})) {
      expect(item.ok).toBe(true)
      if (++n === 5) break
    }
    expect(n).toBe(5)
  })

  it('stops with Cancelled when the signal is aborted', async () => {
    const ac = new AbortController()
    const lines = ['serial;model']
    for (let i = 0; i < 50_000; i++) lines.push(`PC-${i};M`)
    const gen = streamCsv({
      source: writeCsvFixture(dir.path, 'c.csv', lines.join('\n')),
      schema: deviceSchema,
      columns: deviceColumns,
      signal: ac.signal,
    })
    let n = 0
    const run = async () => {
      for await (const _ of gen) if (++n === 10) ac.abort()
    }
    await expect(run()).rejects.toMatchObject({code: 'CANCELLED'})
    expect(n).toBeLessThan(50_000)
  })

  it('stops with Cancelled while standard input has sent nothing yet, or only part of the first 64 KiB', async () => {
    for (const sent of ['', 'serial;model\nPC-1;M\n']) {
      const stdin = new PassThrough()
      if (sent) stdin.write(sent)
      const ac = new AbortController()
      const gen = streamCsv({source: '-', stdin, schema: deviceSchema, columns: deviceColumns, signal: ac.signal})
      const first = gen.next()
      setTimeout(() => ac.abort(), 50)
      // Without the abort the read waits for stdin's end forever (the test's timeout would say so).
      await expect(first).rejects.toMatchObject({code: 'CANCELLED'})
    }
  })

  it('an input already aborted is Cancelled before anything is read', async () => {
    const ac = new AbortController()
    ac.abort()
    const gen = streamCsv({source: '-', stdin: new PassThrough(), schema: deviceSchema, columns: deviceColumns, signal: ac.signal})
    await expect(gen.next()).rejects.toMatchObject({code: 'CANCELLED'})
  })
})

describe('round trip with the writer', () => {
  it.each([
    [';', '\r\n', true, 'utf-8'],
    [',', '\n', false, 'utf-8'],
    ['\t', '\r\n', false, 'windows-1252'],
  ] as const)(
    'Given tricky values written with delimiter %j, eol %j, BOM %s, %s, When read back, Then the values are the same',
    async (delimiter, eol, bom, encoding) => {
      const values = [
        // A tab and line breaks only in the free-text note: one-line fields refuse control characters (issue 10 item 14).
        {serial: 'PC-1', model: 'a;b,c d', note: 'line1\r\nline2\nline3\tend'},
        {serial: 'PC-2', model: 'say "hi"', note: '=SUM(A1:A2)'},
        {serial: '-PC-3', model: 'Œuvre été', note: '@home +33 5 58'},
        {serial: 'PC-4', model: "l'unité 5 €", note: undefined},
      ]
      const path = join(dir.path, 'rt.csv')
      await writeCsv(path, values, {columns: ['serial', 'model', 'note'], delimiter, eol, bom, encoding})
      const r = await read(path)
      expect(r.encoding).toBe(encoding)
      expect(r.delimiter).toBe(delimiter)
      expect(r.rejects).toEqual([])
      expect(r.rows.map((x) => x.value)).toEqual(
        values.map((v) => Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined))),
      )
    },
  )
})
