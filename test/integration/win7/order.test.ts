import {readFileSync, writeFileSync, existsSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {RuleViolation} from '../../../src/core/errors.js'
import type {Store} from '../../../src/store/db.js'
import {assessFleet} from '../../../src/win7/assess.js'
import {importCatalog} from '../../../src/win7/catalog.js'
import {importInventory} from '../../../src/win7/inventory.js'
import {orderForMember} from '../../../src/win7/order.js'
import {DIALECTS, storeFor, tempDir, testContext} from '../../helpers/context.js'
import {fleet, glpiCsv, lafiCatalogCsv} from '../../fixtures/win7/generate.js'
import {setLanguage} from '../../../src/core/i18n.js'

// messages are matched in English
setLanguage('en')

describe.each(DIALECTS)('win7 catalogue and orders on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  const dir = tempDir('alpi-win7-order-')
  beforeAll(async () => {
    const s = await storeFor(dialect)
    store = s.store
    cleanup = s.cleanup
    const inv = join(dir.path, 'glpi.csv')
    writeFileSync(
      inv,
      glpiCsv([
        ...fleet([{entity: 'Mairie de Labrit', commune: 'Labrit', prefix: 'LAB'}], ['win7Tower', 'win7Laptop', 'win10Ready'], 'LB'),
        ...fleet([{entity: 'Mairie de Sore', commune: 'Sore', prefix: 'SOR'}], ['win7Laptop'], 'SO'),
      ]),
    )
    await importInventory(testContext(store), {file: inv})
    await assessFleet(testContext(store))
  })
  afterAll(async () => {
    await cleanup?.()
    dir.cleanup()
  })

  it('imports the LAFI catalogue (French headers, prices in cents, availability)', async () => {
    const file = join(dir.path, 'lafi.csv')
    writeFileSync(file, lafiCatalogCsv([['=HYPERLINK("x")', 'Tour', 'Formule', '1,00', 'Disponible']]))
    const r = await importCatalog(testContext(store), {file: file})
    expect(r).toMatchObject({rows: 8, inserted: 8, rejected: 0})
    const items = await store.db.selectFrom('win7_catalog_items').selectAll().orderBy('reference').execute()
    const byRef = Object.fromEntries(items.map((i) => [i.reference, i]))
    expect(byRef['TOUR-M720']).toMatchObject({category: 'tower', price_cents: 68_900, available: 1})
    expect(byRef['TOUR-CHEAP']).toMatchObject({available: 0})
    expect(byRef['ECR-24']).toMatchObject({category: 'screen', price_cents: 14_990})
    expect(byRef['PORT-14']).toMatchObject({category: 'laptop'})
    // the formula-looking reference is data; it is made unavailable so it is never ordered
    await store.db.updateTable('win7_catalog_items').set({available: 0}).where('reference', '=', '=HYPERLINK("X")').execute()
  })

  it('in the 2020 shortage a laptop line comes back as a tower and a screen; the order is recorded with its CSV', async () => {
    const out = join(dir.path, 'cmd-labrit.csv')
    const ctx = testContext(store)
    const r = await orderForMember(ctx, {member: 'mairie-de-labrit', date: '2020-05-04', out})
    expect(r.lines.map((l) => `${l.pcSerial}:${l.category}:${l.reference}:${l.substitutes ?? ''}`)).toEqual([
      'LB000001:tower:TOUR-M720:',
      'LB000002:tower:TOUR-M720:laptop',
      'LB000002:screen:ECR-24:laptop',
    ])
    expect(r.totalCents).toBe(68_900 * 2 + 14_990)
    expect(r.substitutions).toBe(2)
    expect(ctx.out.lines.join('\n')).toMatch(/LB000002.*laptop.*penurie-2020.*tower \+ screen/)
    const csv = readFileSync(out, 'utf8')
    expect(csv.charCodeAt(0)).toBe(0xfeff)
    expect(csv).toContain('Référence;Désignation;Catégorie;Quantité;Prix unitaire HT')
    expect(csv).toContain('TOUR-M720;Tour Lenovo ThinkCentre M70s i5 16 Go 512 Go;Tour;1;689,00;689,00;LB000002;Portable;penurie-2020')
    const pcs = await store.db
      .selectFrom('win7_pcs')
      .select(['serial', 'state'])
      .where('member_code', '=', 'mairie-de-labrit')
      .orderBy('serial')
      .execute()
    expect(pcs.map((p) => p.state)).toEqual(['ordered', 'ordered', 'upgrade_in_place'])
    const lines = await store.db.selectFrom('win7_order_lines').selectAll().where('order_id', '=', r.orderId!).execute()
    expect(lines).toHaveLength(3)
    const a = await store.db.selectFrom('audit_log').selectAll().where('entity', '=', 'win7_order').execute()
    expect(a).toHaveLength(1)
    // ordering again: nothing left to replace
    await expect(orderForMember(ctx, {member: 'mairie-de-labrit', date: '2020-05-04', out})).rejects.toThrow(/no PC to replace/)
  })

  it('outside the shortage the laptop is ordered as a laptop (dry run records nothing)', async () => {
    const r = await orderForMember(testContext(store), {member: 'mairie-de-sore', date: '2021-02-01', dryRun: true})
    expect(r.lines.map((l) => `${l.category}:${l.reference}`)).toEqual(['laptop:PORT-14'])
    expect(r.csv).toBeNull()
    const pc = await store.db.selectFrom('win7_pcs').select('state').where('serial', '=', 'SO000001').executeTakeFirstOrThrow()
    expect(pc.state).toBe('to_replace')
  })

  it('all or nothing: with no screen available, the shortage order is refused and nothing is written', async () => {
    await store.db.updateTable('win7_catalog_items').set({available: 0}).where('category', '=', 'screen').execute()
    const out = join(dir.path, 'cmd-sore.csv')
    let err: unknown
    try {
      await orderForMember(testContext(store), {member: 'mairie-de-sore', date: '2020-05-04', out})
    } catch (error) {
      err = error
    }
    expect(err).toBeInstanceOf(RuleViolation)
    expect((err as RuleViolation).code).toBe('WIN7_ORDER_INCOMPLETE')
    expect((err as RuleViolation).actions.join(' ')).toMatch(/catalog import.*screen|screen/)
    expect(existsSync(out)).toBe(false)
    expect((await store.db.selectFrom('win7_pcs').select('state').where('serial', '=', 'SO000001').executeTakeFirstOrThrow()).state).toBe(
      'to_replace',
    )
    await store.db.updateTable('win7_catalog_items').set({available: 1}).where('reference', '=', 'ECR-24').execute()
  })

  it('rejects bad catalogue rows (price, empty reference) and keeps the others; a formula in a label is neutralised in the LAFI CSV', async () => {
    const file = join(dir.path, 'lafi-bad.csv')
    writeFileSync(
      file,
      lafiCatalogCsv([
        ['ECR-BAD', 'Écran', 'Écran sans prix', 'gratuit', 'Disponible'],
        ['', 'Écran', 'Sans référence', '10,00', 'Disponible'],
        ['ECR-EVIL', 'Écran', '=HYPERLINK("http://example.invalid","x")', '0,01', 'Disponible'],
      ]),
    )
    let err: unknown
    try {
      await importCatalog(testContext(store), {file: file, rejectsPath: join(dir.path, 'lafi-bad.rejects.csv')})
    } catch (error) {
      err = error
    }
    expect((err as {code: string}).code).toBe('INPUT_REJECTED')
    const data = (err as {data: {rejected: number; rejects: {row: number}[]}}).data
    expect(data.rejected).toBe(2)
    expect(data.rejects.map((r) => r.row)).toEqual([9, 10])
    // the cheapest screen is now the one with a formula-looking label
    const out = join(dir.path, 'cmd-evil.csv')
    const r = await orderForMember(testContext(store), {member: 'mairie-de-sore', date: '2020-05-04', out})
    expect(r.lines.find((l) => l.category === 'screen')!.reference).toBe('ECR-EVIL')
    const csv = readFileSync(out, 'utf8')
    expect(csv).toContain(`'=HYPERLINK`)
    expect(csv).not.toMatch(/;"?=HYPERLINK/)
  })
})
