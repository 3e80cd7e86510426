import {execFileSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import type {ServiceContext} from '../../../src/context/service-context.js'
import {InputRejected, RuleViolation} from '../../../src/core/errors.js'
import {allocate, handover, handoverBatch, listSites, purgeBeneficiaries, returnLaptop} from '../../../src/laptops/giving.js'
import {getLaptop, showLaptop} from '../../../src/laptops/records.js'
import {laptopStatus} from '../../../src/laptops/status.js'
import {DIALECTS, storeFor, tempDir, testContext} from '../../helpers/context.js'
import {seedBeneficiaries, seedLaptops, seedSites} from './seed.js'

async function refusal(p: Promise<unknown>): Promise<RuleViolation> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  )
  expect(e).toBeInstanceOf(RuleViolation)
  return e as RuleViolation
}

describe.each(DIALECTS)('laptops giving out (%s)', (dialect) => {
  let s: Awaited<ReturnType<typeof storeFor>>
  let ctx: ServiceContext
  const dir = tempDir('alpi-laptops-giving-')
  beforeAll(async () => {
    process.env.ALPI_NOW = '2026-11-28T10:00:00Z'
    s = await storeFor(dialect)
  })
  afterAll(async () => {
    delete process.env.ALPI_NOW
    await s.cleanup()
    dir.cleanup()
  })
  beforeEach(async () => {
    ctx = testContext(s.store)
    for (const t of [
      'laptop_events',
      'laptop_handovers',
      'laptop_wipe_certificates',
      'laptops',
      'laptop_beneficiaries',
      'laptop_sites',
    ] as const)
      await s.store.db.deleteFrom(t).execute()
  })

  it('allocates within the quota, all or nothing, grade A first', async () => {
    await seedSites(ctx, [{code: 'SMALAH', quota: 5}])
    await seedLaptops(ctx, 4, 'ready', {prefix: 'B'})
    await seedLaptops(ctx, 2, 'ready', {prefix: 'A', grade: 'A'})
    const r = await allocate(ctx, {site: 'SMALAH', count: 3})
    expect(r.allocated).toEqual(['A00001', 'A00002', 'B00001'])
    expect(r.remaining).toBe(2)
    const e = await refusal(allocate(ctx, {site: 'SMALAH', count: 3}))
    expect(e.code).toBe('QUOTA_EXCEEDED')
    expect(e.actions[0]).toMatch(/--count 2/)
    // nothing moved by the refused call
    expect((await laptopStatus(ctx)).byState.allocated).toBe(3)
    const audit = await s.store.db.selectFrom('audit_log').select(['action', 'summary']).where('action', '=', 'allocate').execute()
    expect(audit).toHaveLength(1)
  })

  it('refuses an expired or not yet signed convention, and too few ready laptops', async () => {
    await seedSites(ctx, [
      {code: 'OLD', quota: 10, end: '2026-06-30'},
      {code: 'FUTURE', quota: 10, signed: '2027-01-01'},
      {code: 'CCLA', quota: 10},
    ])
    await seedLaptops(ctx, 2, 'ready')
    await seedLaptops(ctx, 2, 'wiped', {prefix: 'W'})
    expect((await refusal(allocate(ctx, {site: 'OLD', count: 1}))).code).toBe('CONVENTION_EXPIRED')
    expect((await refusal(allocate(ctx, {site: 'FUTURE', count: 1}))).code).toBe('CONVENTION_NOT_STARTED')
    expect((await refusal(allocate(ctx, {site: 'CCLA', count: 3}))).code).toBe('NOT_ENOUGH_READY')
    const sites = await listSites(ctx)
    expect(sites.map((x) => [x.code, x.active])).toEqual([
      ['CCLA', true],
      ['FUTURE', false],
      ['OLD', false],
    ])
  })

  it('hands over with a French receipt, refuses without training, on the wrong site, unwiped or unallocated', async () => {
    await seedSites(ctx, [
      {code: 'SMALAH', quota: 5},
      {code: 'CCLA', quota: 5},
    ])
    await seedBeneficiaries(ctx, [
      {ref: 'BEN1', site: 'SMALAH'},
      {ref: 'BEN2', site: 'SMALAH', training: false},
      {ref: 'BEN3', site: 'CCLA'},
      {ref: 'BEN4', site: 'SMALAH', start: '2027-02-01'},
    ])
    const [s1] = await seedLaptops(ctx, 1, 'ready')
    const [u1] = await seedLaptops(ctx, 1, 'allocated', {prefix: 'U', wiped: false})
    await s.store.db.updateTable('laptops').set({site_code: 'SMALAH'}).where('serial', '=', u1!).execute()
    const [w1] = await seedLaptops(ctx, 1, 'wiped', {prefix: 'W'})
    // not allocated yet: the refusal says what must happen first
    const first = await refusal(handover(ctx, {serial: w1!, beneficiary: 'BEN1', outDir: dir.path}))
    expect(first.code).toBe('LAPTOP_TRANSITION_REFUSED')
    expect(first.message).toMatch(/must be imaged, then ready, then allocated/)
    expect((await refusal(handover(ctx, {serial: u1!, beneficiary: 'BEN1', outDir: dir.path}))).code).toBe('NOT_WIPED')
    await allocate(ctx, {site: 'SMALAH', count: 1})
    expect((await refusal(handover(ctx, {serial: s1!, beneficiary: 'BEN2', outDir: dir.path}))).code).toBe('NO_ACTIVE_TRAINING')
    expect((await refusal(handover(ctx, {serial: s1!, beneficiary: 'BEN4', outDir: dir.path}))).code).toBe('NO_ACTIVE_TRAINING')
    expect((await refusal(handover(ctx, {serial: s1!, beneficiary: 'BEN3', outDir: dir.path}))).code).toBe('WRONG_SITE')
    const r = await handover(ctx, {serial: s1!, beneficiary: 'BEN1', outDir: dir.path})
    expect(existsSync(r.receipt)).toBe(true)
    const text = execFileSync('pdftotext', ['-layout', r.receipt, '-']).toString().replace(/\s+/g, ' ')
    for (const needle of [
      'ATTESTATION DE REMISE',
      s1!,
      'ThinkPad L380',
      'Personne BEN1',
      'Lieu SMALAH',
      'Date de remise : 28 novembre 2026',
      'Don gratuit',
      'L.3212-2',
      '300,00 €',
      'Le bénéficiaire',
      'Date et signature',
    ])
      expect(text).toContain(needle)
    // A French document: no ISO or slashed dates, euros as "€"
    expect(text).not.toMatch(/\bEUR\b|\d{4}-\d{2}-\d{2}|\d{2}\/\d{2}\/\d{4}/)
    // (pdftotext gives no-break spaces back as plain ones: frTypography's own test checks them)
    expect(text).toContain('« Lieu SMALAH »')
    // every glyph comes from an embedded TrueType font (DejaVu), none from the unembedded standard 14
    const fonts = execFileSync('pdffonts', [r.receipt]).toString().split('\n').slice(2).filter(Boolean)
    expect(fonts.length).toBeGreaterThan(0)
    for (const f of fonts) expect(f).toMatch(/DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes/)
    const l = await getLaptop(s.store.db, s1!)
    expect([l.state, l.beneficiary_ref, l.site_code]).toEqual(['handed_over', 'BEN1', 'SMALAH'])
    // the audit has ids only, no names
    const audit = await s.store.db.selectFrom('audit_log').select(['summary', 'data']).where('action', '=', 'handover').execute()
    expect(JSON.stringify(audit)).not.toContain('Personne')
  })

  it('refuses a second laptop to a person who already holds one, until the first is returned', async () => {
    await seedSites(ctx, [{code: 'SMALAH', quota: 5}])
    await seedBeneficiaries(ctx, [{ref: 'BEN1', site: 'SMALAH'}])
    const [a, b] = await seedLaptops(ctx, 2, 'ready')
    await allocate(ctx, {site: 'SMALAH', count: 2})
    await handover(ctx, {serial: a!, beneficiary: 'BEN1', outDir: dir.path})
    const e = await refusal(handover(ctx, {serial: b!, beneficiary: 'BEN1', outDir: dir.path}))
    expect(e.code).toBe('ALREADY_EQUIPPED')
    expect(e.actions[0]).toContain(`alpi laptops return ${a}`)
    await returnLaptop(ctx, {serial: a!})
    expect((await handover(ctx, {serial: b!, beneficiary: 'BEN1', outDir: dir.path})).serial).toBe(b)
  })

  it('hands over a distribution day from a CSV: refused rows with their row numbers, the others handed over with receipts', async () => {
    await seedSites(ctx, [
      {code: 'SMALAH', quota: 10},
      {code: 'CCLA', quota: 10},
    ])
    await seedBeneficiaries(ctx, [
      ...[1, 2, 3, 4].map((i) => ({ref: `BEN${i}`, site: 'SMALAH'})),
      {ref: 'NOTRAIN', site: 'SMALAH', training: false},
      {ref: 'CCLA1', site: 'CCLA'},
    ])
    const serials = await seedLaptops(ctx, 6, 'ready')
    await allocate(ctx, {site: 'SMALAH', count: 6})
    const [held] = await seedLaptops(ctx, 1, 'ready', {prefix: 'H'})
    const out = join(dir.path, `batch-${dialect}`)
    const file = join(dir.path, `remises-${dialect}.csv`)
    writeFileSync(
      file,
      [
        'N° de série;Bénéficiaire',
        `${serials[0]};BEN1`,
        `${serials[1]};NOTRAIN`,
        `${serials[2]};CCLA1`,
        `${serials[3]};BEN2`,
        `${serials[4]};BEN2`,
        `${held};BEN3`,
        `${serials[0]};BEN4`,
        `NOPE;BEN4`,
      ].join('\n'),
    )
    const handoverAudits = async () =>
      (await s.store.db.selectFrom('audit_log').select('action').where('action', '=', 'handover').execute()).length
    const auditsBefore = await handoverAudits()
    // a dry run checks everything and changes nothing: no receipt, no state
    const dry = await handoverBatch(ctx, {file, outDir: out, dryRun: true}).catch((error: unknown) => error)
    expect(dry).toBeInstanceOf(InputRejected)
    expect(existsSync(out)).toBe(false)
    expect((await laptopStatus(ctx)).byState.handed_over).toBe(0)

    const e = await handoverBatch(ctx, {file, outDir: out}).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(InputRejected)
    const data = (e as InputRejected).data as {
      rows: number
      inserted: number
      rejected: number
      rejects: {row: number; field: string; message: string}[]
      handovers: {serial: string; receipt: string}[]
      rejectsFile: string
    }
    expect(data).toMatchObject({rows: 8, inserted: 2, rejected: 6})
    expect(data.rejects.map((r) => [r.row, r.message.split(':')[0]])).toEqual([
      [3, 'NO_ACTIVE_TRAINING'],
      [4, 'WRONG_SITE'],
      [6, 'ALREADY_EQUIPPED'],
      [7, 'LAPTOP_TRANSITION_REFUSED'],
      [8, 'DUPLICATE_ROW'],
      [9, 'NOT_FOUND'],
    ])
    expect(readFileSync(data.rejectsFile, 'utf8')).toContain('NOTRAIN')
    // the accepted rows were handed over, each with its receipt
    expect(data.handovers.map((h) => h.serial)).toEqual([serials[0], serials[3]])
    expect(readdirSync(out).sort()).toEqual(data.handovers.map((h) => h.receipt.split('/').at(-1)).sort())
    const text = execFileSync('pdftotext', [data.handovers[1]!.receipt, '-']).toString().replace(/\s+/g, ' ')
    expect(text).toContain('Personne BEN2')
    expect(text).toContain(serials[3]!)
    expect((await getLaptop(s.store.db, serials[3]!)).beneficiary_ref).toBe('BEN2')
    expect((await getLaptop(s.store.db, serials[4]!)).state).toBe('allocated')
    // the same file again: the handed-over rows are now refused, nothing changes
    const again = await handoverBatch(ctx, {file, outDir: out}).catch((error: unknown) => error)
    expect(((again as InputRejected).data as {inserted: number}).inserted).toBe(0)
    expect(readdirSync(out)).toHaveLength(2)
    const audit = await s.store.db
      .selectFrom('audit_log')
      .select(['entity', 'action', 'summary', 'data'])
      .where('action', 'in', ['handover', 'import'])
      .execute()
    expect(await handoverAudits()).toBe(auditsBefore + 2)
    expect(JSON.stringify(audit)).not.toContain('Personne')
  })

  it('a refused row gives nothing: the person or laptop of a refused row can be on a later row', async () => {
    await seedSites(ctx, [{code: 'SMALAH', quota: 10}])
    await seedBeneficiaries(
      ctx,
      [1, 3, 4].map((i) => ({ref: `BEN${i}`, site: 'SMALAH'})),
    )
    const [sn1, sn2, sn3] = await seedLaptops(ctx, 3, 'ready')
    await allocate(ctx, {site: 'SMALAH', count: 3})
    const [r1] = await seedLaptops(ctx, 1, 'ready', {prefix: 'R'})
    const file = join(dir.path, `order-${dialect}.csv`)
    writeFileSync(file, ['serial;beneficiary', `${sn1};BEN1`, `${sn1};BEN3`, `${sn2};BEN3`, `${r1};BEN4`, `${sn3};BEN4`].join('\n'))
    const e = await handoverBatch(ctx, {file, outDir: join(dir.path, `order-${dialect}`)}).catch((error: unknown) => error)
    const data = (e as InputRejected).data as {
      inserted: number
      rejects: {row: number; message: string}[]
      handovers: {serial: string; beneficiary: string}[]
    }
    expect(data.rejects.map((r) => [r.row, r.message.split(':')[0]])).toEqual([
      [3, 'DUPLICATE_ROW'],
      [5, 'LAPTOP_TRANSITION_REFUSED'],
    ])
    expect(data.handovers.map((h) => [h.serial, h.beneficiary])).toEqual([
      [sn1, 'BEN1'],
      [sn2, 'BEN3'],
      [sn3, 'BEN4'],
    ])
  })

  it('a return frees the quota place and sends the laptop back to diagnosis', async () => {
    await seedSites(ctx, [{code: 'SMALAH', quota: 1}])
    await seedBeneficiaries(ctx, [{ref: 'BEN1', site: 'SMALAH'}])
    const [a, b] = await seedLaptops(ctx, 2, 'ready')
    await allocate(ctx, {site: 'SMALAH', count: 1})
    await handover(ctx, {serial: a!, beneficiary: 'BEN1', outDir: dir.path})
    expect((await refusal(allocate(ctx, {site: 'SMALAH', count: 1}))).code).toBe('QUOTA_EXCEEDED')
    const r = await returnLaptop(ctx, {serial: a!, reason: 'screen'})
    expect(r).toEqual({serial: a, from: 'handed_over', state: 'returned'})
    expect((await allocate(ctx, {site: 'SMALAH', count: 1})).allocated).toEqual([b])
    const e = await refusal(allocate(ctx, {site: 'SMALAH', count: 1}))
    expect(e.code).toBe('QUOTA_EXCEEDED')
    const h = await s.store.db.selectFrom('laptop_handovers').selectAll().where('serial', '=', a!).executeTakeFirstOrThrow()
    expect(h.returned_at).not.toBeNull()
    const shown = await showLaptop(ctx, a!)
    expect(shown.events.map((e) => e.to)).toEqual(['allocated', 'handed_over', 'returned'])
    expect(shown.handovers).toEqual([expect.objectContaining({site: 'SMALAH', returned_at: expect.any(String)})])
    expect(shown.wipeCertificates).toHaveLength(1)
    expect(JSON.stringify(shown)).not.toContain('Personne')
    await expect(returnLaptop(ctx, {serial: a!})).rejects.toThrow(/returned/)
  })

  it('status counts by state, site, model and day', async () => {
    await seedSites(ctx, [{code: 'S1', quota: 10}])
    await seedLaptops(ctx, 3, 'ready')
    await seedLaptops(ctx, 2, 'received', {prefix: 'R'})
    await allocate(ctx, {site: 'S1', count: 2})
    const st = await laptopStatus(ctx)
    expect(st.total).toBe(5)
    expect(st.byState).toMatchObject({ready: 1, received: 2, allocated: 2})
    expect(st.bySite).toEqual([
      {site: 'S1', name: 'Lieu S1', quota: 10, allocated: 2, handed_over: 0, used: 2, remaining: 8, convention_end: '2027-12-31'},
    ])
    expect(st.byModel).toEqual([{maker: 'Lenovo', model: 'ThinkPad L380', total: 5, ready: 1, handed_over: 0}])
    expect(st.perDay).toEqual([{day: '2026-11-28', counts: {allocated: 2}}])
  })

  it('purges old beneficiaries and keeps the handover without the reference', async () => {
    await seedSites(ctx, [{code: 'S1', quota: 10}])
    await seedBeneficiaries(ctx, [{ref: 'OLD1', site: 'S1'}])
    const [a] = await seedLaptops(ctx, 1, 'ready')
    await allocate(ctx, {site: 'S1', count: 1})
    await handover(ctx, {serial: a!, beneficiary: 'OLD1', outDir: dir.path})
    expect((await purgeBeneficiaries(ctx, {olderThanDays: 30})).purged).toBe(0)
    process.env.ALPI_NOW = '2028-01-15T10:00:00Z'
    try {
      expect((await purgeBeneficiaries(ctx, {olderThanDays: 365})).purged).toBe(1)
    } finally {
      process.env.ALPI_NOW = '2026-11-28T10:00:00Z'
    }
    const h = await s.store.db.selectFrom('laptop_handovers').selectAll().executeTakeFirstOrThrow()
    expect([h.serial, h.site_code, h.beneficiary_ref]).toEqual([a, 'S1', null])
    expect(await s.store.db.selectFrom('laptop_beneficiaries').selectAll().execute()).toEqual([])
  })
})
