import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {importSchools} from '../../../src/firewalls/register.js'
import {loadSchools} from '../../../src/firewalls/schools.js'
import type {Store} from '../../../src/store/db.js'
import {CSV_HEADER, csvLine, validUai} from '../../fixtures/firewalls/schools.js'
import {sqliteStore, testContext} from '../../helpers/context.js'

describe('firewalls schools import', () => {
  let store: Store
  let dir: string
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({store, dir, cleanup} = await sqliteStore())
  })
  afterAll(async () => cleanup?.())

  it('keeps good rows, rejects bad ones with row numbers and reasons (exit 3)', async () => {
    const evilName = `L'école "du $(bourg)"; rm -rf / \`id\``
    const lines = [
      CSV_HEADER,
      csvLine(1),
      csvLine(2, {uai: '0740003A'}), // wrong check letter
      csvLine(3, {uai: '040000'}), // wrong length
      csvLine(4, {overrides: '{"blockDomains":["x.test\\nserver=6.6.6.6"]}'}), // injection attempt
      csvLine(5, {name: evilName, overrides: '{"blockDomains":["casino.test"],"whitelist":false}'}),
      csvLine(1), // duplicate UAI
      csvLine(6, {uai: validUai(6).toLowerCase()}),
    ]
    const file = join(dir, 'ecoles.csv')
    writeFileSync(file, lines.join('\r\n') + '\r\n')
    const ctx = testContext(store)
    const err = await importSchools(ctx, {file}).catch((e) => e)
    expect(err.code).toBe('INPUT_REJECTED')
    expect(err.exitCode).toBe(3)
    expect(err.data).toMatchObject({rows: 7, inserted: 3, rejected: 4})
    const byRow = Object.fromEntries(err.data.rejects.map((r: {row: number; message: string}) => [r.row, r.message]))
    expect(byRow[3]).toContain('needs B')
    expect(byRow[4]).toContain('8 characters')
    expect(byRow[5]).toContain('not a domain name')
    expect(byRow[7]).toMatch(/2|duplicate|doublon/i)
    const rejectsText = readFileSync(err.data.rejectsFile, 'utf8')
    expect(rejectsText).toContain('0740003A')
    const schools = await loadSchools(ctx)
    expect(schools.map((s) => s.uai)).toEqual([validUai(1), validUai(5), validUai(6)])
    expect(schools[1]!.name).toBe(evilName)
    // the audit entry carries counts, not names
    const auditRows = await store.db.selectFrom('audit_log').selectAll().execute()
    expect(JSON.stringify(auditRows)).not.toContain('bourg')
  })

  it('a re-run changes nothing; a Windows-1252 file with French headers is read', async () => {
    const text = [CSV_HEADER, csvLine(1), csvLine(6)].join('\r\n') + '\r\n'
    const file = join(dir, 'ecoles-1252.csv')
    writeFileSync(file, iconv.encode(text, 'windows-1252'))
    const r = await importSchools(testContext(store), {file})
    expect(r).toMatchObject({rows: 2, inserted: 0, updated: 0, unchanged: 2, rejected: 0, encoding: 'windows-1252'})
  })
})
