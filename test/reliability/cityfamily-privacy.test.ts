import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi, type CliRun} from '../helpers/cli.js'
import {tempDir} from '../helpers/context.js'

// Issue 10 item 9 (cityfamily): personal data goes only to the 0600 files meant for it. The
// exit-3 --json envelope of migrate carries counts, ids and row numbers, not the merged
// children's names and birth dates; messages quoting a cell (an impossible birth date, an
// email) name the row and the column, not the value, on stdout and stderr.
const tmp = tempDir('alpi-cf-privacy-')
const db = join(tmp.path, 'alpi.sqlite')
const run = (args: string[]) => runAlpi([...args, '--db', db], {env: {ALPI_NOW: '2026-01-15T10:00:00Z'}})
const SRC = join(tmp.path, 'abelium')
const BAD_BIRTH = '31/02/2014'
const BAD_EMAIL = 'lea.dupont@@exemple.fr'

/** Every person's "Last First", "First Last" and birth date (as exported and as ISO). */
let personal: string[] = []

function expectNoPersonalData(r: CliRun, what: string) {
  const text = r.stdout + r.stderr
  const leaked = personal.filter((p) => text.includes(p))
  expect(leaked, what).toEqual([])
}

beforeAll(async () => {
  expect((await run(['cityfamily', 'sample', '--families', '80', '--seed', '6', '--out', SRC])).code).toBe(0)
  // Plant an impossible birth date and an invalid email on two persons.
  const file = join(SRC, 'INDIVIDUS.csv')
  const lines = iconv.decode(readFileSync(file), 'win1252').split('\r\n')
  const header = lines[0]!.split(';')
  const at = (name: RegExp) => header.findIndex((h) => name.test(h))
  const [iLast, iFirst, iBirth, iEmail] = [at(/^Nom/), at(/^Pr/), at(/naissance/i), at(/courriel|mail/i)]
  expect(
    [iLast, iFirst, iBirth, iEmail].every((i) => i >= 0),
    header.join(';'),
  ).toBe(true)
  for (const l of lines.slice(1)) {
    const c = l.split(';')
    if (c.length < 4) continue
    personal.push(`${c[iLast]!.trim()} ${c[iFirst]}`, `${c[iFirst]} ${c[iLast]!.trim()}`)
    if (c[iBirth]) personal.push(c[iBirth]!, c[iBirth]!.split('/').reverse().join('-'))
    if (c[iEmail]) personal.push(c[iEmail]!)
  }
  const c5 = lines[5]!.split(';')
  c5[iBirth] = BAD_BIRTH
  lines[5] = c5.join(';')
  const c6 = lines[6]!.split(';')
  c6[iEmail] = BAD_EMAIL
  lines[6] = c6.join(';')
  writeFileSync(file, iconv.encode(lines.join('\r\n'), 'win1252'))
  personal.push(BAD_BIRTH, BAD_EMAIL)
  personal = [...new Set(personal.filter((p) => p.trim().length >= 6))]
})
afterAll(() => tmp.cleanup())

describe('cityfamily: no personal data on stdout or stderr', () => {
  it('Given rows rejected and duplicates merged, When migrate ends with exit 3 (--json and human), Then no name or birth date is printed; they are in the 0600 report and rejects files only', async () => {
    const out = join(tmp.path, 'cf')
    const j = await run(['cityfamily', 'migrate', SRC, '--out', out, '--json'])
    expect(j.code).toBe(3)
    const data = j.json().data
    expect(data.merges.length).toBeGreaterThan(0)
    for (const m of data.merges) {
      expect(m).toEqual({
        kept: expect.stringMatching(/^I\d+$/),
        merged: expect.stringMatching(/^I\d+$/),
        keptRow: expect.any(Number),
        mergedRow: expect.any(Number),
        score: expect.any(Number),
      })
    }
    expectNoPersonalData(j, 'migrate --json')
    // The merge list with names and birth dates is where the reviewer reads it: 0600 files.
    const report = JSON.parse(readFileSync(join(out, 'rapport.json'), 'utf8'))
    expect(report.merges[0]).toMatchObject({keptName: expect.any(String), birthDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/)})
    for (const f of ['rapport.json', 'rapport.html', 'rejets.tsv']) expect(statSync(join(out, f)).mode & 0o777, f).toBe(0o600)
    expect(readFileSync(join(out, 'rejets.tsv'), 'utf8')).toContain(`\t${BAD_BIRTH}\t`)

    const h = await run(['cityfamily', 'migrate', SRC, '--out', out])
    expect(h.code).toBe(3)
    expectNoPersonalData(h, 'migrate')
  })

  it('validate, reconcile and inspect: rows and columns are named, cell values are not', async () => {
    const out = join(tmp.path, 'cf2')
    expect((await run(['cityfamily', 'migrate', SRC, '--out', out])).code).toBe(3)
    for (const args of [
      ['validate', SRC, '--rejects', join(tmp.path, 'v.tsv')],
      ['validate', SRC, '--rejects', join(tmp.path, 'v.tsv'), '--json'],
      ['reconcile', SRC, out],
      ['reconcile', SRC, out, '--json'],
    ]) {
      const r = await run(['cityfamily', ...args])
      expect(r.code, args.join(' ')).toBe(3)
      expectNoPersonalData(r, args.join(' '))
    }
    expect(statSync(join(tmp.path, 'v.tsv')).mode & 0o777).toBe(0o600)

    const i = await run(['cityfamily', 'inspect', SRC, '--json'])
    expect(i.code, i.stderr).toBe(0)
    expectNoPersonalData(i, 'inspect --json')
    const persons = i.json().result.files.find((f: {file: string}) => f.file === 'INDIVIDUS.csv')
    const birth = persons.columns.find((c: {field: string}) => c.field === 'birthDate')
    // The impossible date is reported by its line (header = 1) and the reason, not its value.
    expect(birth.examples).toContainEqual({row: 6, message: 'impossible date (no such day)'})
    const email = persons.columns.find((c: {field: string}) => c.field === 'email')
    expect(email.examples).toContainEqual({row: 7, message: 'not a valid email'})
    const ih = await run(['cityfamily', 'inspect', SRC])
    expect(ih.stdout).toMatch(/line 6: impossible date \(no such day\)/)
    expectNoPersonalData(ih, 'inspect')
  })
})
