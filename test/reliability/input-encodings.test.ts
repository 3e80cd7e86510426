import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, describe, expect, it} from 'vitest'
import type {Store} from '../../src/store/db.js'
import {runAlpi, type CliRun} from '../helpers/cli.js'
import {DIALECTS, postgresStore, sqliteStore, tempDir} from '../helpers/context.js'

/**
 * Issue 10 item 3: a UTF-8 file with a few Windows-1252 rows was decoded entirely as
 * Windows-1252, every accented valid row stored as mojibake ("HÃ©lÃ¨ne"). Now the encoding is
 * decided for the whole input: consistent Windows-1252 is read as such; UTF-8 with stray rows
 * keeps its UTF-8 rows and rejects the others with their row numbers (or repairs them with
 * --repair-encoding, saying so); a file and the same bytes on stdin give the same result.
 * Through the built binary (laptops import), on SQLite and PostgreSQL.
 */

const utf8 = (s: string) => Buffer.from(s, 'utf8')
const cp1252 = (s: string) => iconv.encode(s, 'windows-1252')
const HEADER = utf8('serial;maker;model;notes\n')

/** ENC-1 and ENC-3 in UTF-8; ENC-2 (row 3) and ENC-4 (row 5) pasted from a Windows-1252 export. */
function mixedFile(): Buffer {
  return Buffer.concat([
    HEADER,
    utf8('ENC-1;Dell;Latitude;Hélène a signé\n'),
    cp1252('ENC-2;HP;EliteBook;Bébé à l’école\n'),
    utf8('ENC-3;Lenovo;ThinkPad;Œuvre été\n'),
    cp1252('ENC-4;Acer;Travel;cœur 5 €\n'),
  ])
}

/** More than the 64 KiB a stream is sniffed on: ASCII rows, then the rows that decide. */
function longFile(tail: Buffer[]): Buffer {
  const rows: string[] = []
  for (let i = 0; i < 3000; i++) rows.push(`PAD-${String(i).padStart(4, '0')};Dell;Latitude 5400;plain ascii note ${i}\n`)
  return Buffer.concat([HEADER, utf8(rows.join('')), ...tail])
}

async function freshStore(dialect: (typeof DIALECTS)[number]): Promise<{url: string; store: Store; cleanup: () => Promise<void>}> {
  if (dialect === 'sqlite') {
    const s = await sqliteStore()
    return {url: join(s.dir, 'alpi.sqlite'), store: s.store, cleanup: s.cleanup}
  }
  return postgresStore()
}

interface Outcome {
  code: number | null
  rejects: {row: number; message: string}[]
  notes: Record<string, string | null>
  stderr: string
  run: CliRun
}

describe.each(DIALECTS)('mixed encodings through laptops import on %s', {timeout: 120_000}, (dialect) => {
  const dir = tempDir('alpi-rel-enc-')
  afterAll(() => dir.cleanup())

  /** Import `bytes` from a file (or stdin) into a fresh store; the rows' notes as stored. */
  async function importBytes(bytes: Buffer, via: 'file' | 'stdin', extra: string[] = []): Promise<Outcome> {
    const s = await freshStore(dialect)
    try {
      const cwd = join(dir.path, `${via}-${Math.random().toString(36).slice(2)}`)
      mkdirSync(cwd)
      const file = join(cwd, 'lot.csv')
      writeFileSync(file, bytes)
      const run = await runAlpi(['laptops', 'import', via === 'file' ? file : '-', '--json', ...extra], {
        env: {ALPI_DB: s.url},
        cwd,
        ...(via === 'stdin' ? {input: bytes} : {}),
      })
      const out = run.json()
      const result = out.status === 0 ? out.result : out.data
      const rows = await s.store.db.selectFrom('laptops').select(['serial', 'notes']).orderBy('serial').execute()
      return {
        code: run.code,
        rejects: (result?.rejects ?? []).map((r: {row: number; message: string}) => ({row: r.row, message: r.message})),
        notes: Object.fromEntries(rows.map((r) => [r.serial, r.notes])),
        stderr: run.stderr,
        run,
      }
    } finally {
      await s.cleanup()
    }
  }

  it('Given a UTF-8 file with two Windows-1252 rows, When imported from a file and from stdin, Then both keep the UTF-8 rows as written and reject rows 3 and 5 by number', async () => {
    const bytes = mixedFile()
    const file = await importBytes(bytes, 'file')
    const stdin = await importBytes(bytes, 'stdin')
    for (const r of [file, stdin]) {
      expect(r.code, r.stderr).toBe(3)
      expect(r.rejects.map((x) => x.row)).toEqual([3, 5])
      expect(r.rejects[0]!.message).toMatch(/not UTF-8/)
      expect(r.notes).toEqual({'ENC-1': 'Hélène a signé', 'ENC-3': 'Œuvre été'})
      expect(JSON.stringify(r.notes)).not.toMatch(/Ã|Å|â€/)
    }
    expect(stdin.rejects).toEqual(file.rejects)
  })

  it('Given the rejects file of that import, Then it is readable UTF-8 (the bad rows shown as Windows-1252 text) and re-imports once converted', async () => {
    const cwd = join(dir.path, 'rejects')
    mkdirSync(cwd)
    const s = await freshStore(dialect)
    try {
      writeFileSync(join(cwd, 'lot.csv'), mixedFile())
      const r = await runAlpi(['laptops', 'import', join(cwd, 'lot.csv')], {env: {ALPI_DB: s.url}, cwd})
      expect(r.code).toBe(3)
      const rejects = readFileSync(join(cwd, 'lot.rejects.csv'), 'utf8')
      expect(rejects).toContain('ENC-2;HP;EliteBook;Bébé à l’école')
      expect(rejects).toContain('ENC-4;Acer;Travel;cœur 5 €')
      const again = await runAlpi(['laptops', 'import', join(cwd, 'lot.rejects.csv')], {env: {ALPI_DB: s.url}, cwd})
      expect(again.code, again.stderr).toBe(0)
      const rows = await s.store.db
        .selectFrom('laptops')
        .select(['serial', 'notes'])
        .where('serial', 'in', ['ENC-2', 'ENC-4'])
        .orderBy('serial')
        .execute()
      expect(rows.map((x) => x.notes)).toEqual(['Bébé à l’école', 'cœur 5 €'])
    } finally {
      await s.cleanup()
    }
  })

  it('Given --repair-encoding, When imported from a file and from stdin, Then the stray rows are read as Windows-1252 and a warning names them', async () => {
    const bytes = mixedFile()
    for (const via of ['file', 'stdin'] as const) {
      const r = await importBytes(bytes, via, ['--repair-encoding'])
      expect(r.code, r.stderr).toBe(0)
      expect(r.notes).toEqual({'ENC-1': 'Hélène a signé', 'ENC-2': 'Bébé à l’école', 'ENC-3': 'Œuvre été', 'ENC-4': 'cœur 5 €'})
      const warnings = r.run.json().warnings as string[]
      expect(warnings.join('\n')).toMatch(/2 row\(s\) were not UTF-8.*Windows-1252 \(rows 3, 5\)/)
    }
  })

  it('Given a consistent Windows-1252 export (Excel), When imported from a file and from stdin, Then every accent is right', async () => {
    const bytes = Buffer.concat([
      cp1252('serial;maker;model;notes\r\n'),
      cp1252('W-1;Dell;Latitude;Hélène, coût 5 €\r\nW-2;HP;EliteBook;Œuvre « été »\r\n'),
    ])
    for (const via of ['file', 'stdin'] as const) {
      const r = await importBytes(bytes, via)
      expect(r.code, r.stderr).toBe(0)
      expect(r.notes).toEqual({'W-1': 'Hélène, coût 5 €', 'W-2': 'Œuvre « été »'})
    }
  })

  it('Given 64 KiB of ASCII, then a Windows-1252 row, then a UTF-8 row, When imported from a file and from stdin, Then both reject the Windows-1252 row only', async () => {
    const bytes = longFile([cp1252('LATE-1;HP;EliteBook;Bébé\n'), utf8('LATE-2;Dell;Latitude;Hélène\n')])
    const file = await importBytes(bytes, 'file')
    const stdin = await importBytes(bytes, 'stdin')
    for (const r of [file, stdin]) {
      expect(r.code, r.stderr).toBe(3)
      expect(r.rejects.map((x) => x.row)).toEqual([3002])
      expect(r.notes['LATE-2']).toBe('Hélène')
      expect(r.notes['LATE-1']).toBeUndefined()
      expect(Object.keys(r.notes)).toHaveLength(3001)
    }
  })

  it('Given 64 KiB of ASCII then only Windows-1252 rows, When imported from a file and from stdin, Then both read them as Windows-1252 (no reject)', async () => {
    const bytes = longFile([cp1252('LATE-1;HP;EliteBook;Bébé\nLATE-2;Dell;Latitude;coût 5 €\n')])
    for (const via of ['file', 'stdin'] as const) {
      const r = await importBytes(bytes, via)
      expect(r.code, r.stderr).toBe(0)
      expect([r.notes['LATE-1'], r.notes['LATE-2']]).toEqual(['Bébé', 'coût 5 €'])
    }
  })

  it('Given a UTF-8 BOM and one Windows-1252 row, Then the BOM says UTF-8: that row is rejected, not the whole file read as Windows-1252', async () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      HEADER,
      utf8('B-1;Dell;Latitude;plain\n'),
      cp1252('B-2;HP;EliteBook;Bébé\n'),
    ])
    const file = await importBytes(bytes, 'file')
    const stdin = await importBytes(bytes, 'stdin')
    for (const r of [file, stdin]) {
      expect(r.code).toBe(3)
      expect(r.rejects.map((x) => x.row)).toEqual([3])
      expect(r.notes).toEqual({'B-1': 'plain'})
    }
  })
})
