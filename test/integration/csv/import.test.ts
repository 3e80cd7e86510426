import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {Readable} from 'node:stream'
import {sql, type Kysely} from 'kysely'
import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'
import {InputRejected} from '../../../src/core/errors.js'
import {setLanguage} from '../../../src/core/i18n.js'
import {importCsv, type ImportResult} from '../../../src/csv/import.js'
import type {Store} from '../../../src/store/db.js'
import {upsertRows} from '../../../src/store/upsert.js'
import {DIALECTS, storeFor, tempDir, testContext} from '../../helpers/context.js'
import {deviceColumns, deviceSchema, writeCsvFixture, type Device} from '../../fixtures/csv/make.js'

beforeAll(() => setLanguage('en'))

/** A small test table created by the test (campaign tables are not the CSV pipeline's). */
async function createTables(db: Kysely<any>) {
  await db.schema.dropTable('csv_test_devices').ifExists().execute()
  await db.schema
    .createTable('csv_test_devices')
    .addColumn('serial', 'text', (c) => c.primaryKey())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('received', 'text')
    .addColumn('price', 'integer')
    .addColumn('note', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('updated_at', 'text')
    .execute()
  await db.schema.dropTable('csv_test_pairs').ifExists().execute()
  await db.schema
    .createTable('csv_test_pairs')
    .addColumn('site', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('qty', 'integer')
    .addColumn('active', 'integer')
    .addPrimaryKeyConstraint('csv_test_pairs_pk', ['site', 'code'])
    .execute()
}

const toRow = (d: Device) => ({serial: d.serial, model: d.model, received: d.received, price: d.price, note: d.note})

describe.each(DIALECTS)('importCsv and upsertRows on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  let dir: {path: string; cleanup: () => void}
  let db: Kysely<any>

  beforeAll(async () => {
    const s = await storeFor(dialect)
    store = s.store
    cleanup = s.cleanup
    db = store.db as unknown as Kysely<any>
    dir = tempDir('alpi-csv-import-')
  })
  afterAll(async () => {
    await cleanup()
    dir.cleanup()
  })
  beforeEach(async () => {
    await createTables(db)
    await db.deleteFrom('audit_log').execute()
  })

  const run = (source: string | NodeJS.ReadableStream, extra: Partial<Parameters<typeof importCsv<Device>>[1]> = {}) =>
    importCsv(testContext(store), {
      source,
      schema: deviceSchema,
      columns: deviceColumns,
      entity: 'csv_test_devices',
      key: (d) => d.serial,
      upsert: (trx, rows) => upsertRows(trx, 'csv_test_devices', ['serial'], rows.map(toRow)),
      ...extra,
    })
  const rejected = async (p: Promise<unknown>): Promise<InputRejected & {data: ImportResult}> => {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(InputRejected)
    return err as InputRejected & {data: ImportResult}
  }
  const devices = () => db.selectFrom('csv_test_devices').selectAll().orderBy('serial').execute()

  it('Given a clean file, When imported twice, Then rows are inserted once, the re-run reports all unchanged, and each run is audited', async () => {
    const path = writeCsvFixture(
      dir.path,
      'clean.csv',
      'N° de série;Modèle;Date d’entrée;Prix\r\nPC-1;Dell;01/02/2024;12,50\r\nPC-2;HP;;\r\nPC-3;Acer;2024-03-01;0\r\n',
      {encoding: 'windows-1252'},
    )
    const first = await run(path)
    expect(first).toMatchObject({
      file: path,
      rows: 3,
      inserted: 3,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      rejectsFile: null,
      encoding: 'windows-1252',
      delimiter: ';',
    })
    expect(await devices()).toMatchObject([
      {serial: 'PC-1', model: 'Dell', received: '2024-02-01', price: 1250, note: null, status: 'new'},
      {serial: 'PC-2', model: 'HP', received: null, price: null},
      {serial: 'PC-3', model: 'Acer', received: '2024-03-01', price: 0},
    ])
    const again = await run(path)
    expect(again).toMatchObject({rows: 3, inserted: 0, updated: 0, unchanged: 3, rejected: 0})
    const audits = await db.selectFrom('audit_log').selectAll().orderBy('seq').execute()
    expect(audits).toHaveLength(2)
    expect(audits[0]).toMatchObject({entity: 'csv_test_devices', action: 'import', result: 'ok', actor: 'test-technician'})
    expect(JSON.parse(audits[0].data)).toMatchObject({file: 'clean.csv', rows: 3, inserted: 3, updated: 0, unchanged: 0, rejected: 0})
    expect(JSON.parse(audits[1].data)).toMatchObject({unchanged: 3})
    // No personal data in the journal: counts and the file name only.
    expect(audits[0].summary).not.toContain('Dell')
  })

  it('Given a changed and an emptied cell, When re-imported, Then only those rows are updated and an empty cell clears the value', async () => {
    writeCsvFixture(dir.path, 'v1.csv', 'serial;model;note\nPC-1;Dell;first\nPC-2;HP;keep\n')
    await run(join(dir.path, 'v1.csv'))
    const res = await run(writeCsvFixture(dir.path, 'v2.csv', 'serial;model;note\nPC-1;Dell;\nPC-2;HP;keep\nPC-4;Asus;new\n'))
    expect(res).toMatchObject({inserted: 1, updated: 1, unchanged: 1})
    expect((await devices()).map((d) => [d.serial, d.note])).toEqual([
      ['PC-1', null],
      ['PC-2', 'keep'],
      ['PC-4', 'new'],
    ])
  })

  it('Given bad rows and a duplicate key, When imported, Then good rows are kept, InputRejected (exit 3) carries the result, and the rejects file holds exactly the bad rows', async () => {
    const path = writeCsvFixture(
      dir.path,
      'mixed.csv',
      'serial;model;received\nPC-1;Dell;01/02/2024\nPC-2;;\nPC-1;Dell bis;\nPC-3;HP;31/02/2024\nPC-4;Acer;\n',
    )
    const err = await rejected(run(path))
    expect(err.exitCode).toBe(3)
    const rejectsFile = join(dir.path, 'mixed.rejects.csv')
    expect(err.data).toMatchObject({rows: 5, inserted: 2, updated: 0, unchanged: 0, rejected: 3, rejectsFile})
    expect(err.data.rejects).toEqual([
      {row: 3, field: 'model', message: 'value required'},
      {row: 4, field: '', message: 'duplicate of row 2 (same key PC-1)'},
      // cell values stay in the 0600 rejects file: the result (stdout under --json) has none
      {row: 5, field: 'received', message: 'impossible date (no such day)'},
    ])
    expect(err.message).toContain('3 row(s) rejected out of 5')
    expect(err.actions.join(' ')).toContain(rejectsFile)
    expect((await devices()).map((d) => [d.serial, d.model])).toEqual([
      ['PC-1', 'Dell'],
      ['PC-4', 'Acer'],
    ])
    expect(readFileSync(rejectsFile, 'utf8')).toBe(
      '\ufeffrow;field;message;serial;model;received\r\n' +
        '3;model;value required;PC-2;;\r\n' +
        '4;;duplicate of row 2 (same key PC-1);PC-1;Dell bis;\r\n' +
        '5;received;impossible date (no such day);PC-3;HP;31/02/2024\r\n',
    )
    const audit = await db.selectFrom('audit_log').selectAll().executeTakeFirstOrThrow()
    expect(audit.result).toBe('partial')
    expect(JSON.parse(audit.data)).toMatchObject({rows: 5, inserted: 2, rejected: 3})

    // When the source is corrected, the stale rejects file goes away.
    writeFileSync(path, 'serial;model;received\nPC-1;Dell;01/02/2024\nPC-2;Lenovo;\nPC-3;HP;28/02/2024\nPC-4;Acer;\n')
    expect(await run(path)).toMatchObject({inserted: 2, unchanged: 2, rejected: 0, rejectsFile: null})
    expect(existsSync(rejectsFile)).toBe(false)
  })

  it('Given an upsert that throws after inserting half, When imported, Then nothing is left: no rows, no audit entry', async () => {
    const path = writeCsvFixture(dir.path, 'crash.csv', 'serial;model\nPC-1;A\nPC-2;B\nPC-3;C\nPC-4;D\n')
    const err = await run(path, {
      upsert: async (trx, rows) => {
        await upsertRows(trx, 'csv_test_devices', ['serial'], rows.slice(0, 2).map(toRow))
        const seen = await trx
          .selectFrom('csv_test_devices' as never)
          .select(sql<number>`count(*)`.as('n'))
          .executeTakeFirstOrThrow()
        expect(Number((seen as {n: number}).n)).toBe(2)
        throw new Error('disk unplugged')
      },
    }).catch((e: unknown) => e)
    expect((err as Error).message).toBe('disk unplugged')
    expect(await devices()).toEqual([])
    expect(await db.selectFrom('audit_log').selectAll().execute()).toEqual([])
  })

  it('Given a dry run, When imported, Then the rows are validated but nothing is written', async () => {
    const res = await run(writeCsvFixture(dir.path, 'dry.csv', 'serial;model\nPC-1;A\n'), {dryRun: true})
    expect(res).toMatchObject({rows: 1, inserted: 0, dryRun: true})
    expect(await devices()).toEqual([])
    expect(await db.selectFrom('audit_log').selectAll().execute()).toEqual([])
  })

  it('Given standard input, When imported with a rejects path, Then it reads the stream and writes rejects there', async () => {
    const rejectsPath = join(dir.path, 'from-stdin.rejects.csv')
    const err = await rejected(run('-', {stdin: Readable.from([Buffer.from('serial,model\nPC-9,X\nPC-10,\n')]), rejectsPath}))
    expect(err.data).toMatchObject({file: 'stdin', rows: 2, inserted: 1, rejected: 1, rejectsFile: rejectsPath, delimiter: ','})
    expect(readFileSync(rejectsPath, 'utf8').split('\r\n')[1]).toBe('3;model;value required;PC-10;')
  })

  it('Given the rejects file corrected by hand, When imported again, Then its rows go in and its row/field/message columns are not reported', async () => {
    const path = writeCsvFixture(dir.path, 'loop.csv', 'serial;model;note\nPC-1;A;=1+1\nPC-2;;@x\n')
    const err = await rejected(run(path))
    const rejectsFile = err.data.rejectsFile!
    const fixed = readFileSync(rejectsFile, 'utf8').replace("PC-2;;'@x", "PC-2;B;'@x")
    writeFileSync(rejectsFile, fixed)
    const ctx = testContext(store)
    const res = await importCsv(ctx, {
      source: rejectsFile,
      schema: deviceSchema,
      columns: deviceColumns,
      entity: 'csv_test_devices',
      key: (d) => d.serial,
      upsert: (trx, rows) => upsertRows(trx, 'csv_test_devices', ['serial'], rows.map(toRow)),
    })
    expect(res).toMatchObject({rows: 1, inserted: 1, rejected: 0, unknownHeaders: []})
    expect(ctx.out.warnings).toEqual([])
    expect((await devices()).map((d) => [d.serial, d.model, d.note])).toEqual([
      ['PC-1', 'A', '=1+1'],
      ['PC-2', 'B', '@x'],
    ])
  })

  it('Given a rejects path that cannot be written, When imported, Then a clear error and nothing imported', async () => {
    const path = writeCsvFixture(dir.path, 'nowrite.csv', 'serial;model\nPC-1;A\nPC-2;\n')
    const err = (await run(path, {rejectsPath: join(path, 'sub', 'r.csv')}).catch((e: unknown) => e)) as {code: string; actions: string[]}
    expect(err.code).toBe('REJECTS_NOT_WRITABLE')
    expect(err.actions[0]).toMatch(/another place/)
    expect(await devices()).toEqual([])
  })

  it('warns about unknown columns through ctx.out', async () => {
    const ctx = testContext(store)
    await importCsv(ctx, {
      source: writeCsvFixture(dir.path, 'unknown.csv', 'serial;model;colour\nPC-1;A;red\n'),
      schema: deviceSchema,
      columns: deviceColumns,
      entity: 'csv_test_devices',
      key: (d) => d.serial,
      upsert: (trx, rows) => upsertRows(trx, 'csv_test_devices', ['serial'], rows.map(toRow)),
    })
    expect(ctx.out.warnings.join('\n')).toContain('"colour"')
  })

  describe('upsertRows', () => {
    it('handles composite keys, more rows than a chunk, booleans and the compare option', async () => {
      const rows = Array.from({length: 1234}, (_, i) => ({site: `S${i % 7}`, code: `C${i}`, label: `L${i}`, qty: i, active: i % 2 === 0}))
      const first = await store.transaction((trx) => upsertRows(trx, 'csv_test_pairs', ['site', 'code'], rows))
      expect(first).toEqual({inserted: 1234, updated: 0, unchanged: 0})
      const n = await db
        .selectFrom('csv_test_pairs')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow()
      expect(Number(n.n)).toBe(1234)
      const again = await store.transaction((trx) => upsertRows(trx, 'csv_test_pairs', ['site', 'code'], rows, {chunkSize: 100}))
      expect(again).toEqual({inserted: 0, updated: 0, unchanged: 1234})
      const changed = rows.map((r, i) => (i < 10 ? {...r, qty: r.qty + 1} : i < 20 ? {...r, label: `new ${i}`} : r))
      // Only qty decides "changed": the label edits are not counted (and not written).
      const res = await store.transaction((trx) => upsertRows(trx, 'csv_test_pairs', ['site', 'code'], changed, {compare: ['qty']}))
      expect(res).toEqual({inserted: 0, updated: 10, unchanged: 1224})
      const r10 = await db.selectFrom('csv_test_pairs').selectAll().where('code', '=', 'C10').executeTakeFirstOrThrow()
      expect(r10).toMatchObject({label: 'L10', qty: 10, active: 1})
      const r3 = await db.selectFrom('csv_test_pairs').selectAll().where('code', '=', 'C3').executeTakeFirstOrThrow()
      expect(r3).toMatchObject({qty: 4, active: 0})
    })

    it('keeps column defaults for properties absent from the row and leaves them alone on update', async () => {
      await store.transaction((trx) => upsertRows(trx, 'csv_test_devices', ['serial'], [{serial: 'A', model: 'M'}]))
      await db.updateTable('csv_test_devices').set({status: 'wiped'}).execute()
      const res = await store.transaction((trx) =>
        upsertRows(
          trx,
          'csv_test_devices',
          ['serial'],
          [
            {serial: 'A', model: 'M2', updated_at: '2026-01-01'},
            {serial: 'B', model: 'N'},
          ],
          {compare: ['model']},
        ),
      )
      expect(res).toEqual({inserted: 1, updated: 1, unchanged: 0})
      expect(await devices()).toMatchObject([
        {serial: 'A', model: 'M2', status: 'wiped', updated_at: '2026-01-01'},
        {serial: 'B', model: 'N', status: 'new', updated_at: null},
      ])
    })

    it('writes onInsert values only on insert and onUpdate values only on update, never comparing them', async () => {
      const opts = {onInsert: () => ({status: 'received', updated_at: 'created'}), onUpdate: () => ({updated_at: 'touched'})}
      await store.transaction((trx) =>
        upsertRows(
          trx,
          'csv_test_devices',
          ['serial'],
          [
            {serial: 'A', model: 'M'},
            {serial: 'B', model: 'N'},
          ],
          opts,
        ),
      )
      const res = await store.transaction((trx) =>
        upsertRows(
          trx,
          'csv_test_devices',
          ['serial'],
          [
            {serial: 'A', model: 'M'},
            {serial: 'B', model: 'N2'},
          ],
          opts,
        ),
      )
      expect(res).toEqual({inserted: 0, updated: 1, unchanged: 1})
      expect(await devices()).toMatchObject([
        {serial: 'A', model: 'M', status: 'received', updated_at: 'created'},
        {serial: 'B', model: 'N2', status: 'received', updated_at: 'touched'},
      ])
    })

    it('refuses rows with the same key twice (a caller bug) before writing anything', async () => {
      const err = await store
        .transaction((trx) =>
          upsertRows(
            trx,
            'csv_test_devices',
            ['serial'],
            [
              {serial: 'A', model: 'M'},
              {serial: 'A', model: 'N'},
            ],
          ),
        )
        .catch((e: unknown) => e)
      expect(err).toMatchObject({code: 'BUG', message: expect.stringContaining('appears twice')})
      expect(await devices()).toEqual([])
    })

    it('does nothing for no rows', async () => {
      expect(await store.transaction((trx) => upsertRows(trx, 'csv_test_devices', ['serial'], []))).toEqual({
        inserted: 0,
        updated: 0,
        unchanged: 0,
      })
    })
  })
})
