import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, describe, expect, it} from 'vitest'
import {openStore} from '../../src/store/db.js'
import {runAlpi} from '../helpers/cli.js'
import {tempDir} from '../helpers/context.js'

/**
 * Issue 10 item 16: a file with the bare-CR line endings of old Mac exports (or rows with CR
 * pasted into an LF file) merged three rows into one misleading "this row has 6 cells"
 * reject. Every line break (LF, CRLF, CR, mixed) now ends a record, quoted cells keep theirs,
 * and row numbers stay those an editor shows. Through the built binary, from a file and stdin.
 */
describe('line endings through laptops import', {timeout: 120_000}, () => {
  const dir = tempDir('alpi-rel-eol-')
  afterAll(() => dir.cleanup())
  let n = 0

  async function importBytes(bytes: Buffer, via: 'file' | 'stdin') {
    const cwd = join(dir.path, `run-${n++}`)
    mkdirSync(cwd)
    const db = join(cwd, 'alpi.sqlite')
    writeFileSync(join(cwd, 'lot.csv'), bytes)
    const run = await runAlpi(['laptops', 'import', via === 'file' ? join(cwd, 'lot.csv') : '-', '--json'], {
      env: {ALPI_DB: db},
      cwd,
      ...(via === 'stdin' ? {input: bytes} : {}),
    })
    const store = await openStore({url: db})
    try {
      const rows = await store.db.selectFrom('laptops').select(['serial', 'model']).orderBy('serial').execute()
      const out = run.json()
      const result = out.status === 0 ? out.result : out.data
      return {run, rows: rows.map((r) => `${r.serial}:${r.model}`), rejects: result.rejects as {row: number; message: string}[], cwd}
    } finally {
      await store.close()
    }
  }

  const cases: [string, string][] = [
    ['bare CR (old Mac)', 'serial;maker;model\rCR-1;Dell;Latitude\rCR-2;HP;EliteBook\rCR-3;Lenovo;T480\r'],
    ['LF header, CR rows (pasted)', 'serial;maker;model\nCR-1;Dell;Latitude\rCR-2;HP;EliteBook\rCR-3;Lenovo;T480\n'],
    ['CRLF then CR then LF', 'serial;maker;model\r\nCR-1;Dell;Latitude\rCR-2;HP;EliteBook\nCR-3;Lenovo;T480\r\n'],
    ['bare CR without a final break', 'serial;maker;model\rCR-1;Dell;Latitude\rCR-2;HP;EliteBook\rCR-3;Lenovo;T480'],
  ]

  it.each(cases)('Given %s, When imported from a file and from stdin, Then three laptops, no reject', async (_name, content) => {
    for (const via of ['file', 'stdin'] as const) {
      const r = await importBytes(Buffer.from(content), via)
      expect(r.run.code, r.run.stderr).toBe(0)
      expect(r.rows).toEqual(['CR-1:Latitude', 'CR-2:EliteBook', 'CR-3:T480'])
      expect(r.rejects).toEqual([])
    }
  })

  it('Given a bare-CR Windows-1252 file with a bad row and a quoted line break, Then the reject names the row an editor shows and the quoted break stays in its cell', async () => {
    const content =
      'serial;maker;model;notes\rCR-1;Dell;Latitude;"deux\rlignes"\rDefault string;HP;EliteBook;placeholder\rCR-3;Lenovo;T480;écran\r'
    for (const via of ['file', 'stdin'] as const) {
      const r = await importBytes(iconv.encode(content, 'windows-1252'), via)
      expect(r.run.code).toBe(3)
      expect(r.rows).toEqual(['CR-1:Latitude', 'CR-3:T480'])
      // header = line 1, CR-1 spans lines 2-3, the placeholder serial is line 4
      expect(r.rejects.map((x) => x.row)).toEqual([4])
      expect(r.rejects[0]!.message).not.toMatch(/cells/)
    }
    const store = await openStore({url: join(dir.path, `run-${n - 1}`, 'alpi.sqlite')})
    try {
      const notes = await store.db.selectFrom('laptops').select(['serial', 'notes']).orderBy('serial').execute()
      expect(notes.map((x) => x.notes)).toEqual(['deux\rlignes', 'écran'])
    } finally {
      await store.close()
    }
  })

  it('Given a bare-CR file with a bad row, Then the rejects file has one CRLF line per rejected row (Excel)', async () => {
    const r = await importBytes(Buffer.from('serial;maker\rDefault string;Dell\rOK-1;HP\r'), 'file')
    expect(r.run.code).toBe(3)
    const rejects = readFileSync(join(r.cwd, 'lot.rejects.csv'), 'utf8')
    expect(rejects.split('\r\n').filter(Boolean)).toHaveLength(2)
  })
})
