import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'

// The real binary as a process: exit codes, stdout (results) vs stderr (messages), --json envelopes.
const tmp = tempDir('alpi-cf-e2e-')
const db = join(tmp.path, 'alpi.sqlite')
const env = {ALPI_NOW: '2026-01-15T10:00:00Z'}
const run = (args: string[]) => runAlpi([...args, '--db', db], {env})
const SRC = join(tmp.path, 'abelium')
const CLEAN = join(tmp.path, 'clean')

beforeAll(async () => {
  const a = await run(['cityfamily', 'sample', '--families', '60', '--seed', '4', '--out', SRC])
  expect(a.code, a.stderr).toBe(0)
  expect(a.stdout).toMatch(/60 households/)
  const b = await run(['cityfamily', 'sample', '--families', '60', '--seed', '4', '--out', CLEAN, '--clean', '--json'])
  expect(b.code, b.stderr).toBe(0)
  expect(b.json().result.clean).toBe(true)
})
afterAll(() => tmp.cleanup())

describe('alpi cityfamily (process)', () => {
  it('demo path: sample --clean, migrate, reconcile: exit 0, tables on stdout, nothing on stderr', async () => {
    const out = join(tmp.path, 'cf-clean')
    const m = await run(['cityfamily', 'migrate', CLEAN, '--out', out])
    expect(m.code, m.stderr).toBe(0)
    expect(m.stdout).toMatch(/ENTITY\s+IN\s+OUT\s+REJECTED\s+MERGED/)
    expect(m.stdout).toMatch(/merges? to review/)
    expect(m.stderr).toBe('')
    expect(existsSync(join(out, 'rapport.html'))).toBe(true)
    const r = await run(['cityfamily', 'reconcile', CLEAN, out, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const env = r.json()
    expect(env.status).toBe(0)
    expect(env.result.differences).toEqual([])
  })

  it('a broken export: validate and migrate exit 3, rejects file written, --json error envelope with the data', async () => {
    const v = await run(['cityfamily', 'validate', SRC])
    expect(v.code).toBe(3)
    expect(v.stdout).toMatch(/ENTITY\s+FILE\s+ROWS\s+REJECTED/)
    expect(v.stderr).toMatch(/INPUT_REJECTED/)
    const tsv = readFileSync(`${SRC}.rejects.tsv`, 'utf8')
    expect(tsv.split('\n')[0]).toBe('file\trow\tfield\tvalue\tmessage')
    expect(tsv).toMatch(/RATTACHEMENTS\.csv\t\d+\tN° famille\tF9\d+\trefers to household/)

    const out = join(tmp.path, 'cf')
    const m = await run(['cityfamily', 'migrate', SRC, '--out', out, '--json'])
    expect(m.code).toBe(3)
    const e = m.json()
    expect(e).toMatchObject({status: 3, code: 'INPUT_REJECTED'})
    expect(e.data.rejectsFile).toBe(join(out, 'rejets.tsv'))
    expect(e.data.rejected).toBeGreaterThan(0)
    expect(existsSync(join(out, 'rejets.tsv'))).toBe(true)
    expect(existsSync(join(out, 'cf_foyers.csv'))).toBe(true)
  })

  it('reconcile exits 1 and lists the household when a target balance was changed', async () => {
    const out = join(tmp.path, 'cf-tamper')
    expect((await run(['cityfamily', 'migrate', CLEAN, '--out', out])).code).toBe(0)
    const path = join(out, 'cf_factures.csv')
    const lines = readFileSync(path, 'utf8').split('\r\n')
    const cells = lines[1]!.split(';')
    cells[4] = (Number(cells[4]) + 1).toFixed(2)
    lines[1] = cells.join(';')
    writeFileSync(path, lines.join('\r\n'))
    const r = await run(['cityfamily', 'reconcile', CLEAN, out, '--json'])
    expect(r.code).toBe(1)
    expect(r.json().code).toBe('RECONCILE_MISMATCH')
    const diffs = r.json().data.differences
    expect(diffs.map((d: {householdId: string; measure: string}) => `${d.householdId}:${d.measure}`)).toEqual([
      `${cells[1]}:invoiced`,
      `${cells[1]}:unpaid`,
    ])
  })

  it('usage errors exit 2: missing --out, a bad threshold, a missing folder', async () => {
    const a = await run(['cityfamily', 'migrate', CLEAN])
    expect(a.code).toBe(2)
    expect(a.stderr).toMatch(/Missing required flag out/)
    const b = await run(['cityfamily', 'migrate', CLEAN, '--out', join(tmp.path, 'x'), '--threshold', '3', '--json'])
    expect(b.code).toBe(2)
    expect(b.json().code).toBe('USAGE')
    const c = await run(['cityfamily', 'inspect', join(tmp.path, 'nope')])
    expect(c.code).toBe(2)
  })

  it('inspect and anonymize through the binary', async () => {
    const i = await run(['cityfamily', 'inspect', SRC, '--json'])
    expect(i.code, i.stderr).toBe(0)
    expect(i.json().result.files.find((f: {file: string}) => f.file === 'INDIVIDUS.csv')).toMatchObject({
      encoding: 'windows-1252',
      delimiter: ';',
    })
    const a = await run(['cityfamily', 'anonymize', CLEAN, '--out', join(tmp.path, 'anon')])
    expect(a.code, a.stderr).toBe(0)
    expect(a.stdout).toMatch(/14 files anonymised/)
  })
})
