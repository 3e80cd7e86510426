import {cpSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../../helpers/cli.js'
import {TEMPLATES_DIR, tempDir} from '../../helpers/context.js'

// Issue 16 items 1 and 2 through the real binary: a run that leaves rows behind prints its
// summary all the same (exit 3), and reconcile accounts for every row of the export.
const tmp = tempDir('alpi-cf-summary-')
const db = join(tmp.path, 'alpi.sqlite')
const run = (args: string[]) => runAlpi([...args, '--db', db], {env: {ALPI_NOW: '2026-01-15T10:00:00Z'}})
const SRC = join(tmp.path, 'abelium')
const CLEAN = join(tmp.path, 'clean')
const mapping = JSON.parse(readFileSync(join(TEMPLATES_DIR, 'cityfamily', 'abelium.mapping.json'), 'utf8')) as {
  entities: Record<string, {file: string; columns: Record<string, {header: string}>}>
}

/** The export's file as rows of cells, indexed by physical line (header = line 1). */
function sourceLines(dir: string, entity: string): {header: string[]; line: (n: number) => Record<string, string>} {
  const lines = iconv.decode(readFileSync(join(dir, mapping.entities[entity]!.file)), 'win1252').split('\r\n')
  const header = lines[0]!.split(';')
  const cols = mapping.entities[entity]!.columns
  return {
    header,
    line: (n) => {
      const cells = lines[n - 1]!.split(';')
      return Object.fromEntries(Object.entries(cols).map(([f, c]) => [f, cells[header.indexOf(c.header)] ?? '']))
    },
  }
}
const cents = (s: string) => Math.round(Number(s.replace(',', '.')) * 100)

/** rejets.tsv as distinct "file:row". */
function rejectedRows(out: string): string[] {
  return [
    ...new Set(
      readFileSync(join(out, 'rejets.tsv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t').slice(0, 2).join(':')),
    ),
  ].sort()
}

interface LeftRow {
  file: string
  entity: string
  row: number
  key?: string
  householdId?: string
  invoiced?: number
  paid?: number
  fields: string[]
}

beforeAll(async () => {
  expect((await run(['cityfamily', 'sample', '--families', '80', '--seed', '9', '--out', SRC])).code).toBe(0)
  expect((await run(['cityfamily', 'sample', '--families', '40', '--seed', '2', '--out', CLEAN, '--clean'])).code).toBe(0)
})
afterAll(() => tmp.cleanup())

describe('cityfamily batch runs tell the whole truth (issue 16)', () => {
  it('Given the sample with its planted defects, When migrated, Then exit 3 with the summary table on stdout and the error and rejects path on stderr', async () => {
    const out = join(tmp.path, 'cf-human')
    const m = await run(['cityfamily', 'migrate', SRC, '--out', out])
    expect(m.code).toBe(3)
    expect(m.stdout).toMatch(/ENTITY\s+IN\s+OUT\s+REJECTED\s+MERGED/)
    expect(m.stdout).toMatch(/^person\s+\d+\s+\d+\s+[1-9]\d*\s+\d+$/m)
    expect(m.stdout).toMatch(/merges? to review/)
    expect(m.stdout).toMatch(/Left behind: \d+ rows?, \d+ households? touched, invoiced 0,00 €, paid \d+,\d\d €/)
    expect(m.stdout).toContain(`Written to ${out}`)
    expect(m.stderr).toMatch(/INPUT_REJECTED/)
    expect(m.stderr).toContain(join(out, 'rejets.tsv'))
    expect(m.stdout).not.toMatch(/INPUT_REJECTED/)

    // validate too: the table on stdout, the error on stderr.
    const v = await run(['cityfamily', 'validate', SRC, '--rejects', join(tmp.path, 'v.tsv')])
    expect(v.code).toBe(3)
    expect(v.stdout).toMatch(/ENTITY\s+FILE\s+ROWS\s+REJECTED/)
    expect(v.stdout).not.toMatch(/No problem found/)
    expect(v.stderr).toMatch(/INPUT_REJECTED.*v\.tsv/)
  })

  it('Given the same run with --json, Then the failure envelope carries the summary (counts, ids, rows) in data', async () => {
    const out = join(tmp.path, 'cf-json')
    const m = await run(['cityfamily', 'migrate', SRC, '--out', out, '--json'])
    expect(m.code).toBe(3)
    expect(m.stderr).toBe('')
    const e = m.json()
    expect(e).toMatchObject({status: 3, code: 'INPUT_REJECTED', data: {target: out, rejectsFile: join(out, 'rejets.tsv')}})
    expect(e.data.entities.person).toMatchObject({
      in: expect.any(Number),
      out: expect.any(Number),
      rejected: expect.any(Number),
      merged: expect.any(Number),
    })
    expect(e.data.leftBehind.rows).toBe(rejectedRows(out).length)
    expect(e.data.merges.length).toBeGreaterThan(0)
    for (const mg of e.data.merges) expect(Object.keys(mg).sort()).toEqual(['kept', 'keptRow', 'merged', 'mergedRow', 'score'])
    // The same summary as a clean run's result: same keys.
    const c = await run(['cityfamily', 'migrate', CLEAN, '--out', join(tmp.path, 'cf-clean-json'), '--json'])
    expect(c.code, c.stderr).toBe(0)
    expect(Object.keys(e.data).sort()).toEqual(Object.keys(c.json().result).sort())
  })

  it('Given that output, When reconciled, Then exit 3 and the list is exactly the rows of rejets.tsv, with the households and amounts they carry; the HTML report gives the same totals', async () => {
    const out = join(tmp.path, 'cf-rec')
    expect((await run(['cityfamily', 'migrate', SRC, '--out', out])).code).toBe(3)
    const r = await run(['cityfamily', 'reconcile', SRC, out, '--json'])
    expect(r.code).toBe(3)
    const e = r.json()
    expect(e.code).toBe('INPUT_REJECTED')
    expect(e.data.differences).toEqual([])
    const rows = e.data.leftBehind.rows as LeftRow[]
    expect(rows.map((l) => `${l.file}:${l.row}`).sort()).toEqual(rejectedRows(out))
    // Amounts: each allocation left behind carries its own amount, read here from the export.
    const alloc = sourceLines(SRC, 'allocation')
    const allocations = rows.filter((l) => l.entity === 'allocation')
    expect(allocations.length).toBeGreaterThan(0)
    for (const l of allocations) {
      const cells = alloc.line(l.row)
      expect(l.paid).toBe(cents(cells.amount!))
      expect(l.key).toBe(`${cells.paymentId}+${cells.invoiceId}`)
      expect(l.householdId).toMatch(/^F\d{6}$/) // the payment's household (the invoice is not in the export)
    }
    const report = JSON.parse(readFileSync(join(out, 'rapport.json'), 'utf8'))
    expect(e.data.leftBehind.totals).toEqual(report.leftBehind)
    expect(e.data.leftBehind.totals.paid).toBe(report.totals.before.paid - report.totals.after.paid)
    const html = readFileSync(join(out, 'rapport.html'), 'utf8')
    const euros = (c: number) => `${Math.floor(c / 100)},${String(c % 100).padStart(2, '0')} €` // under 1 000 €
    expect(html).toContain('Les totaux diffèrent')
    expect(html).toContain(
      `<td>${report.leftBehind.rows}</td><td>${report.leftBehind.households}</td><td>0,00 €</td><td>${euros(report.leftBehind.paid)}</td>`,
    )

    // The human view lists each row; the error on stderr gives the totals and the file.
    const h = await run(['cityfamily', 'reconcile', SRC, out])
    expect(h.code).toBe(3)
    for (const l of rows) expect(h.stdout).toMatch(new RegExp(`^${l.file.replace('.', '\\.')}\\s+${l.row}\\s`, 'm'))
    expect(h.stdout).not.toMatch(/no difference/)
    expect(h.stderr).toMatch(new RegExp(`${rows.length} rows? of the export (were|was) left behind`))
  })

  it('Given an invoice left behind, Then reconcile carries its amount as invoiced (on its household) and the amounts of its allocations as paid', async () => {
    const src = join(tmp.path, 'abelium-inv')
    cpSync(CLEAN, src, {recursive: true})
    const file = join(src, 'FACTURES.csv')
    const lines = iconv.decode(readFileSync(file), 'win1252').split('\r\n')
    const inv = sourceLines(CLEAN, 'invoice')
    const target = inv.line(2)
    // Line 2's invoice now points to a household that is not in the export.
    lines[1] = lines[1]!.replace(`;${target.householdId};`, ';F8888888;')
    writeFileSync(file, iconv.encode(lines.join('\r\n'), 'win1252'))
    const out = join(tmp.path, 'cf-inv')
    expect((await run(['cityfamily', 'migrate', src, '--out', out])).code).toBe(3)
    const r = await run(['cityfamily', 'reconcile', src, out, '--json'])
    expect(r.code).toBe(3)
    const rows = r.json().data.leftBehind.rows as LeftRow[]
    expect(rows.map((l) => `${l.file}:${l.row}`).sort()).toEqual(rejectedRows(out))
    const invoice = rows.find((l) => l.entity === 'invoice')!
    expect(invoice).toMatchObject({row: 2, key: target.id, householdId: 'F8888888', invoiced: cents(target.amount!)})
    const alloc = sourceLines(src, 'allocation')
    const allocLines = readFileSync(join(src, 'VENTILATIONS.csv'), 'latin1')
      .split('\r\n')
      .map((_, i) => i + 1)
      .slice(1)
      .filter((n) => alloc.line(n).invoiceId === target.id)
    expect(rows.filter((l) => l.entity === 'allocation').map((l) => [l.row, l.paid])).toEqual(
      allocLines.map((n) => [n, cents(alloc.line(n).amount!)]),
    )
    const report = JSON.parse(readFileSync(join(out, 'rapport.json'), 'utf8'))
    expect(r.json().data.leftBehind.totals.invoiced).toBe(cents(target.amount!))
    expect(report.totals.before.invoiced - report.totals.after.invoiced).toBe(cents(target.amount!))
    expect(r.json().data.leftBehind.totals).toEqual(report.leftBehind)
  })

  it('Given a clean sample, When migrated and reconciled, Then both exit 0 and reconcile says no difference', async () => {
    const out = join(tmp.path, 'cf-clean')
    const m = await run(['cityfamily', 'migrate', CLEAN, '--out', out])
    expect(m.code, m.stderr).toBe(0)
    expect(m.stderr).toBe('')
    const r = await run(['cityfamily', 'reconcile', CLEAN, out])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/every row of the export is in the output; unpaid .* on both sides; no difference/)
    expect(r.stderr).toBe('')
  })

  it('Given an output cut short or its rejects file removed, When reconciled, Then exit 1 with the differences listed, never "no difference"', async () => {
    const out = join(tmp.path, 'cf-cut')
    expect((await run(['cityfamily', 'migrate', SRC, '--out', out])).code).toBe(3)
    // The rejects file removed: the rows left behind are no longer documented.
    const saved = readFileSync(join(out, 'rejets.tsv'))
    rmSync(join(out, 'rejets.tsv'))
    const a = await run(['cityfamily', 'reconcile', SRC, out, '--json'])
    expect(a.code).toBe(1)
    expect(a.json().code).toBe('RECONCILE_MISMATCH')
    expect(a.json().data.differences.map((d: {entity?: string; measure: string}) => `${d.entity}:${d.measure}`)).toEqual(
      expect.arrayContaining(['person:rows', 'membership:rows', 'allocation:rows']),
    )
    writeFileSync(join(out, 'rejets.tsv'), saved)
    // A registration row dropped from the output (a file cut short).
    const reg = join(out, 'cf_inscriptions.csv')
    const lines = readFileSync(reg, 'utf8').split('\r\n')
    writeFileSync(reg, [...lines.slice(0, -2), ''].join('\r\n'))
    const b = await run(['cityfamily', 'reconcile', SRC, out])
    expect(b.code).toBe(1)
    expect(b.stdout).toMatch(/^registration\s+rows\s+\d+\s+\d+$/m)
    expect(b.stderr).toMatch(/RECONCILE_MISMATCH/)
  })
})
