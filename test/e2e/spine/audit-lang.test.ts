import {join} from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {entryHash, GENESIS} from '../../../src/audit/journal.js'
import {runAlpi} from '../../helpers/cli.js'
import {REPO_ROOT, tempDir} from '../../helpers/context.js'

interface Listed {
  seq: number
  summary: string
  code: string | null
  params: Record<string, string | number> | null
}

/** Words of the English summaries that French never uses, and the reverse. */
const ENGLISH = /\b(rows?|read|new|updated|unchanged|rejected|laptops?|allocated|handed|verification|stored|targets?)\b/
const FRENCH = /[éèàç]|\b(lignes?|lues?|nouvelles?|inchangées?|rejetées?|ordinateurs?)\b|\s:\s/

// The journal as a technician reads it: new entries keep a code and params and read in the
// language asked; an entry written by an older alpi (an English sentence) is shown as written,
// and the chain of old and new entries still verifies and anchors.
describe('audit list in both languages, over a journal mixing old and new entries', () => {
  const dir = tempDir('alpi-e2e-audit-lang-')
  const db = join(dir.path, 'alpi.sqlite')
  const env = {ALPI_DB: db, ALPI_CONFIG: join(dir.path, 'config.json'), XDG_DATA_HOME: join(dir.path, 'data')}
  const OLD = 'laptops.csv: 3 rows read, 3 new laptops, 0 updated, 0 unchanged, 0 rejected'

  beforeAll(async () => {
    expect((await runAlpi(['db', 'migrate'], {env})).code).toBe(0)
    // Given an entry written as an alpi before this change wrote it: the English sentence in `summary`
    const raw = new BetterSqlite3(db)
    const row = {
      seq: 1,
      at: new Date().toISOString(),
      actor: 'tech',
      command: 'laptops import',
      entity: 'laptop',
      entity_id: null,
      action: 'import',
      summary: OLD,
      result: 'ok',
      data: JSON.stringify({file: 'laptops.csv', rows: 3}),
      prev_hash: GENESIS,
    }
    const hash = entryHash(row)
    raw
      .prepare(
        'insert into audit_log (seq, at, actor, command, entity, entity_id, action, summary, result, data, prev_hash, hash) values (@seq, @at, @actor, @command, @entity, @entity_id, @action, @summary, @result, @data, @prev_hash, @hash)',
      )
      .run({...row, hash})
    raw.prepare('insert into audit_head (id, seq, hash) values (1, 1, ?)').run(hash)
    raw.close()
    // When a real command writes new entries after it
    const sample = join(REPO_ROOT, 'templates/samples/laptops.csv')
    for (let i = 0; i < 2; i++)
      expect((await runAlpi(['laptops', 'import', sample, '--rejects', join(dir.path, `rej${i}.csv`)], {env})).code).toBeLessThan(4)
  }, 120_000)
  afterAll(() => dir.cleanup())

  it('--lang fr: the new entries read in French, the old one as written; --lang en: no French', async () => {
    const fr = await runAlpi(['audit', 'list', '--lang', 'fr', '--json'], {env})
    expect(fr.code).toBe(0)
    const frEntries = fr.json().result as Listed[]
    expect(frEntries.length).toBe(3)
    expect(frEntries[0]).toMatchObject({seq: 1, summary: OLD, code: null, params: null})
    for (const e of frEntries.slice(1)) {
      expect(e.code).toBe('csvImport')
      expect(e.params).toMatchObject({file: 'laptops.csv'})
      expect(e.summary).toMatch(/^laptops\.csv : \d+ lignes lues/)
      expect(e.summary.replace('laptops.csv', '')).not.toMatch(ENGLISH)
    }
    const en = await runAlpi(['audit', 'list', '--lang', 'en', '--json'], {env})
    const enEntries = en.json().result as Listed[]
    expect(enEntries[0]!.summary).toBe(OLD)
    for (const e of enEntries.slice(1)) {
      expect(e.summary).toMatch(/^laptops\.csv: \d+ rows read, \d+ new/)
      expect(e.summary.replace('laptops.csv', '')).not.toMatch(FRENCH)
    }
    // the table says the same as --json, in the language asked (LANG too)
    const table = await runAlpi(['audit', 'list'], {env: {...env, LANG: 'fr_FR.UTF-8'}})
    expect(table.code).toBe(0)
    for (const e of frEntries) expect(table.stdout).toContain(e.summary)
    const tableEn = await runAlpi(['audit', 'list', '--lang', 'en'], {env})
    for (const e of enEntries) expect(tableEn.stdout).toContain(e.summary)
  })

  it('the store keeps codes, not sentences, for new entries; the old sentence is untouched', () => {
    const raw = new BetterSqlite3(db, {readonly: true})
    const rows = raw.prepare('select seq, summary from audit_log order by seq').all() as {seq: number; summary: string}[]
    raw.close()
    expect(rows[0]!.summary).toBe(OLD)
    for (const r of rows.slice(1)) expect(JSON.parse(r.summary)).toMatchObject({code: 'csvImport', params: {file: 'laptops.csv'}})
  })

  it('audit verify and audit anchor pass over the old and new entries', async () => {
    const v = await runAlpi(['audit', 'verify', '--json'], {env})
    expect(v.code).toBe(0)
    expect(v.json().result).toMatchObject({ok: true, entries: 3})
    const anchor = join(dir.path, 'anchor.json')
    expect((await runAlpi(['audit', 'anchor', '--out', anchor], {env})).code).toBe(0)
    const again = await runAlpi(['audit', 'verify', '--anchor', anchor, '--lang', 'fr'], {env})
    expect(again.code).toBe(0)
  })
})
