import {chmodSync, copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {anonymizeExport} from '../../../src/cityfamily/anonymize.js'
import {inspectExport} from '../../../src/cityfamily/inspect.js'
import {migrateExport, validateExport, type MigrateReport} from '../../../src/cityfamily/migrate.js'
import {reconcile, type ReconcileResult} from '../../../src/cityfamily/reconcile.js'
import {generateSample, type SampleTruth} from '../../../src/cityfamily/sample.js'
import {InputRejected} from '../../../src/core/errors.js'
import {memoryOutput} from '../../../src/core/output.js'
import {DIALECTS, storeFor, TEMPLATES_DIR, tempDir, testContext} from '../../helpers/context.js'

const fctx = () => ({templatesDir: TEMPLATES_DIR, signal: new AbortController().signal, out: memoryOutput()})
const tmp = tempDir('alpi-cf-rt-')
const SRC = join(tmp.path, 'abelium')
const CLEAN = join(tmp.path, 'abelium-clean')
let truth: SampleTruth
let cleanTruth: SampleTruth

async function expectRejected<T>(p: Promise<T>): Promise<InputRejected> {
  try {
    await p
  } catch (error) {
    expect(error).toBeInstanceOf(InputRejected)
    return error as InputRejected
  }
  throw new Error('expected InputRejected')
}

function allBytes(dir: string): string {
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n')
}

beforeAll(async () => {
  process.env.ALPI_NOW = '2026-01-15T10:00:00Z'
  truth = await generateSample({families: 300, seed: 11, out: SRC, templatesDir: TEMPLATES_DIR})
  cleanTruth = await generateSample({families: 120, seed: 5, out: CLEAN, clean: true, templatesDir: TEMPLATES_DIR})
})
afterAll(() => {
  delete process.env.ALPI_NOW
  tmp.cleanup()
})

describe.each(DIALECTS)('cityfamily round trip on sample data (%s store)', (dialect) => {
  let store: Awaited<ReturnType<typeof storeFor>>
  beforeAll(async () => {
    store = await storeFor(dialect)
  })
  afterAll(async () => store.cleanup())

  it('validate → migrate → reconcile: rejects are exactly the planted orphans, merges exactly the planted duplicates, zero differences', async () => {
    expect(truth.duplicates.length).toBeGreaterThan(5)
    // Validate: exit 3 with the orphans (child → no household: membership + person; allocation → no invoice).
    const v = await expectRejected(validateExport(fctx(), {dir: SRC, rejectsPath: join(tmp.path, `v-${dialect}.tsv`)}))
    const tsv = readFileSync(join(tmp.path, `v-${dialect}.tsv`), 'utf8')
      .trim()
      .split('\n')
    expect(tsv[0]).toBe('file\trow\tfield\tvalue\tmessage')
    const orphans = truth.orphans.childrenWithoutHousehold.length
    expect(orphans).toBeGreaterThan(0)
    expect(tsv.length - 1).toBe(2 * orphans + truth.orphans.allocationsWithoutInvoice)
    expect(tsv.filter((l) => l.startsWith('RATTACHEMENTS.csv') && l.includes('household F9')).length).toBe(orphans)
    expect(tsv.filter((l) => l.startsWith('VENTILATIONS.csv') && l.includes('invoice FA9')).length).toBe(
      truth.orphans.allocationsWithoutInvoice,
    )
    expect((v.data as {rejected: number}).rejected).toBe(tsv.length - 1)

    // Migrate: the same rows stay behind (exit 3), everything else is written.
    const out = join(tmp.path, `cf-${dialect}`)
    const ctx = testContext(store.store, {command: 'cityfamily migrate'})
    const err = await expectRejected(migrateExport(ctx, {dir: SRC, out}))
    const report = err.data as MigrateReport
    expect(report.rejected).toBe(tsv.length - 1)
    const planted = truth.duplicates.map((d) => `${d.original}>${d.duplicate}`).sort()
    expect(report.merges.map((m) => `${m.kept}>${m.merged}`).sort()).toEqual(planted)
    for (const e of Object.values(report.entities)) if (!e!.skipped) expect(e!.in).toBe(e!.out + e!.rejected + e!.merged)
    expect(report.totals.before.invoiced).toBe(truth.totals.invoiced)
    expect(report.totals.after.invoiced).toBe(truth.totals.invoiced)
    expect(report.totals.after.paid).toBe(truth.totals.paid)
    expect(report.totals.before.paid - report.totals.after.paid).toBe(1000 * truth.orphans.allocationsWithoutInvoice)

    // Files: 0600, UTF-8; the report in French.
    for (const f of readdirSync(out)) expect(statSync(join(out, f)).mode & 0o777).toBe(0o600)
    expect(readFileSync(join(out, 'rapport.html'), 'utf8')).toContain('Doublons fusionnés')
    const persons = readFileSync(join(out, 'cf_individus.csv'), 'utf8').trim().split('\r\n')
    expect(persons.length - 1).toBe(report.entities.person!.out)
    expect(persons.filter((l) => planted.some((p) => l.startsWith(p.split('>')[1]! + ';')))).toEqual([])

    // Reconcile: every row accounted for; the rows left behind are exactly those of rejets.tsv (exit 3).
    const rec = await expectRejected(reconcile(fctx(), {source: SRC, target: out}))
    const r = rec.data as ReconcileResult
    expect(r.differences).toEqual([])
    expect(r.households.source).toBe(300)
    expect(r.totals.target.unpaid).toBe(truth.totals.unpaid)
    const rejectedRows = new Set(
      readFileSync(join(out, 'rejets.tsv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t').slice(0, 2).join(':')),
    )
    expect(r.leftBehind.rows.map((l) => `${l.file}:${l.row}`).sort()).toEqual([...rejectedRows].sort())
    expect(r.leftBehind.totals).toEqual(report.leftBehind)
    expect(r.leftBehind.totals.paid).toBe(report.totals.before.paid - report.totals.after.paid)

    // One audit entry and one run record, counts only (no names).
    const runs = await store.store.db.selectFrom('cityfamily_runs').selectAll().execute()
    expect(runs).toHaveLength(1)
    expect(Number(runs[0]!.merges)).toBe(planted.length)
    const audit = await store.store.db.selectFrom('audit_log').selectAll().where('entity', '=', 'cityfamily_run').execute()
    expect(audit).toHaveLength(1)
    const someName = (JSON.parse(readFileSync(join(out, 'rapport.json'), 'utf8')) as MigrateReport).merges[0]!.keptName.split(' ')[0]!
    expect(JSON.stringify(audit)).not.toContain(someName)
  })

  it('a clean sample validates and migrates with exit 0', async () => {
    const v = await validateExport(fctx(), {dir: CLEAN})
    expect(v.rejected).toBe(0)
    const out = join(tmp.path, `clean-${dialect}`)
    const report = await migrateExport(testContext(store.store), {dir: CLEAN, out})
    expect(report.merges).toHaveLength(cleanTruth.duplicates.length)
    expect((await reconcile(fctx(), {source: CLEAN, target: out})).differences).toEqual([])
  })
})

describe('cityfamily migrate output', () => {
  let store: Awaited<ReturnType<typeof storeFor>>
  beforeAll(async () => {
    store = await storeFor('sqlite')
  })
  afterAll(async () => store.cleanup())
  const migrate = (dir: string, out: string, extra: object = {}) =>
    migrateExport(testContext(store.store), {dir, out, ...extra}).catch((e) => (e as InputRejected).data as MigrateReport)

  it('same input, same bytes (report included, with ALPI_NOW); the sample is deterministic for a seed', async () => {
    await migrate(SRC, join(tmp.path, 'det1'))
    await migrate(SRC, join(tmp.path, 'det2'))
    for (const f of readdirSync(join(tmp.path, 'det1'))) {
      if (f === 'rapport.json' || f === 'rapport.html') continue
      expect(readFileSync(join(tmp.path, 'det2', f)).equals(readFileSync(join(tmp.path, 'det1', f))), f).toBe(true)
    }
    const again = join(tmp.path, 'abelium-again')
    await generateSample({families: 300, seed: 11, out: again, templatesDir: TEMPLATES_DIR})
    for (const f of readdirSync(SRC)) expect(readFileSync(join(again, f)).equals(readFileSync(join(SRC, f))), f).toBe(true)
  })

  it('Windows-1252 bytes (€ ’ œ Œ) survive into UTF-8 output; a UTF-8 export with BOM gives the same files', async () => {
    const raw = Buffer.concat(
      readdirSync(SRC)
        .filter((f) => f.endsWith('.csv'))
        .map((f) => readFileSync(join(SRC, f))),
    )
    for (const b of [0x80, 0x92, 0x9c, 0x8c]) expect(raw.includes(b), `byte 0x${b.toString(16)}`).toBe(true)
    const out = join(tmp.path, 'w1252')
    await migrate(SRC, out)
    const text = allBytes(out)
    for (const ch of ['€', '’', 'œ', 'Œ']) expect(text).toContain(ch)
    expect(text).not.toContain('\ufffd')

    // The same export re-encoded as UTF-8 with a BOM.
    const utf = join(tmp.path, 'abelium-utf8')
    mkdirSync(utf)
    for (const f of readdirSync(SRC).filter((x) => x.endsWith('.csv')))
      writeFileSync(
        join(utf, f),
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(iconv.decode(readFileSync(join(SRC, f)), 'win1252'), 'utf8')]),
      )
    const out2 = join(tmp.path, 'utf8bom')
    const rep = await migrate(utf, out2, {bom: true})
    expect(rep.formats.person).toEqual({encoding: 'utf-8', delimiter: ';', bom: true})
    for (const f of readdirSync(out).filter((x) => x.startsWith('cf_'))) {
      const a = readFileSync(join(out, f))
      const b = readFileSync(join(out2, f))
      expect(b.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), f).toBe(true)
      expect(b.subarray(3).equals(a), f).toBe(true)
    }
  })

  it('health data: not a single health value in the output folder without --include-health; present with it', async () => {
    const sante = iconv
      .decode(readFileSync(join(SRC, 'SANTE.csv')), 'win1252')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(';'))
    const values = [...new Set(sante.flatMap((c) => [c[3], c[5]]).filter((v): v is string => Boolean(v)))]
    expect(values.length).toBeGreaterThan(3)
    const out = join(tmp.path, 'nohealth')
    const rep = await migrate(SRC, out)
    expect(rep.entities.health!.skipped).toBe('health')
    const text = allBytes(out)
    for (const v of values) expect(text.includes(v), v).toBe(false)
    const out2 = join(tmp.path, 'health')
    await migrate(SRC, out2, {includeHealth: true})
    const santeOut = readFileSync(join(out2, 'cf_sante.csv'), 'utf8')
    expect(values.filter((v) => santeOut.includes(v)).length).toBe(values.length)
  })

  it('a changed mapping file changes the output columns, with no code change', async () => {
    const mapping = JSON.parse(readFileSync(join(TEMPLATES_DIR, 'cityfamily', 'cityfamily.mapping.json'), 'utf8'))
    const persons = mapping.files.find((f: {entity: string}) => f.entity === 'person')
    persons.file = 'PERSONNES.txt'
    persons.columns = [
      {header: 'Naissance', field: 'birthDate', format: 'dd/mm/yyyy'},
      {header: 'Identifiant', field: 'id'},
      {header: 'Nom de famille', field: 'lastName'},
      {header: 'Source', constant: 'ABELIUM'},
    ]
    mapping.delimiter = ','
    mapping.eol = '\n'
    mapping.formats.cents = 'cents'
    const path = join(tmp.path, 'custom.mapping.json')
    writeFileSync(path, JSON.stringify(mapping))
    const out = join(tmp.path, 'custom')
    await migrate(SRC, out, {mapping: path})
    const lines = readFileSync(join(out, 'PERSONNES.txt'), 'utf8').split('\n')
    expect(lines[0]).toBe('Naissance,Identifiant,Nom de famille,Source')
    expect(lines[1]).toMatch(/^(\d{2}\/\d{2}\/\d{4})?,I\d{7},[^,]+,ABELIUM$/)
    expect(readdirSync(out)).not.toContain('cf_individus.csv')
    expect(readFileSync(join(out, 'cf_factures.csv'), 'utf8').split('\n')[1]).toMatch(/,\d+$/)
  })

  it('--dry-run writes nothing', async () => {
    const out = join(tmp.path, 'dry')
    const rep = await migrate(SRC, out, {dryRun: true})
    expect(rep.dryRun).toBe(true)
    expect(() => readdirSync(out)).toThrow()
  })
})

describe('cityfamily inspect, validate on broken exports, anonymize', () => {
  it('inspect reports encoding, delimiter, fill rates, suspicious values and missing mapping columns', async () => {
    const dir = join(tmp.path, 'broken')
    mkdirSync(dir)
    for (const f of readdirSync(CLEAN).filter((x) => x.endsWith('.csv'))) copyFileSync(join(CLEAN, f), join(dir, f))
    // A ragged row, an impossible date, a column dropped from the quotients, a stray file.
    const fam = iconv.decode(readFileSync(join(dir, 'FAMILLES.csv')), 'win1252').split('\r\n')
    fam.splice(3, 0, 'F777777;Ragged')
    writeFileSync(join(dir, 'FAMILLES.csv'), iconv.encode(fam.join('\r\n'), 'win1252'))
    const qf = readFileSync(join(dir, 'QUOTIENTS.csv'), 'latin1')
      .split('\r\n')
      .map((l) =>
        l
          .split(';')
          .filter((_, i) => i !== 5)
          .join(';'),
      )
    qf[2] = qf[2]!.replace(/\d{2}\/\d{2}\/\d{4}/, '31/02/2025')
    writeFileSync(join(dir, 'QUOTIENTS.csv'), qf.join('\r\n'), 'latin1')
    writeFileSync(join(dir, 'notes.txt'), 'x')
    const r = await inspectExport(fctx(), {dir})
    const fa = r.files.find((f) => f.file === 'FAMILLES.csv')!
    expect(fa).toMatchObject({encoding: 'windows-1252', delimiter: ';', raggedRows: 1})
    const q = r.files.find((f) => f.file === 'QUOTIENTS.csv')!
    expect(q.missingColumns).toEqual(['Origine'])
    const start = q.columns.find((c) => c.field === 'startDate')!
    expect(start.suspicious).toBe(1)
    expect(start.examples[0]!.row).toBe(3)
    expect(r.unknownFiles).toEqual(['notes.txt'])

    // validate: both problems in the TSV, exit 3.
    const err = await expectRejected(validateExport(fctx(), {dir, rejectsPath: join(tmp.path, 'broken.tsv')}))
    const tsv = readFileSync(join(tmp.path, 'broken.tsv'), 'utf8')
    expect(tsv).toMatch(/^FAMILLES\.csv\t4\t\t\t/m)
    expect(tsv).toMatch(/^QUOTIENTS\.csv\t3\tDate début\t31\/02\/2025\t/m)
    expect((err.data as {rejected: number}).rejected).toBe(2)
    chmodSync(dir, 0o700)
  })

  it('anonymize: no original name left, health free text gone, ids and amounts kept, the copy reconciles after migrate', async () => {
    const out = join(tmp.path, 'anon')
    await anonymizeExport(fctx(), {dir: CLEAN, out, secret: 'test-secret'})
    const src = iconv.decode(readFileSync(join(CLEAN, 'INDIVIDUS.csv')), 'win1252')
    const anon = readFileSync(join(out, 'INDIVIDUS.csv'), 'utf8')
    const lastNames = new Set(
      src
        .trim()
        .split('\r\n')
        .slice(1)
        .map((l) => l.split(';')[1]!.trim())
        .filter((n) => n.length > 4),
    )
    // Communes are not personal data and stay (Saint-Vincent-de-Tyrosse holds a family name).
    const all = allBytes(out).replace(/Saint-Vincent-de-Tyrosse/g, '')
    for (const n of lastNames) expect(all.includes(n), n).toBe(false)
    expect(anon.split('\r\n').length).toBe(src.split('\r\n').length)
    const sante = readFileSync(join(out, 'SANTE.csv'), 'utf8')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((l) => l.split(';'))
    expect(sante.every((c) => c[3] === '(retiré)' && c[5] === '')).toBe(true)
    // The same family name gives the same pseudonym in FAMILLES and INDIVIDUS.
    const famName = readFileSync(join(out, 'FAMILLES.csv'), 'utf8').split('\r\n')[1]!.split(';')[1]!
    expect(anon).toContain(famName)
    const {store, cleanup} = await storeFor('sqlite')
    try {
      const cf = join(tmp.path, 'anon-cf')
      const rep = await migrateExport(testContext(store), {dir: out, out: cf})
      expect(rep.merges.length).toBeGreaterThanOrEqual(cleanTruth.duplicates.filter((d) => d.variant !== 'typo').length)
      expect((await reconcile(fctx(), {source: out, target: cf})).differences).toEqual([])
    } finally {
      await cleanup()
    }
  })
})
