import {readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {sql} from 'kysely'
import {expect} from 'vitest'
import {allocate} from '../../src/laptops/giving.js'
import {openStore} from '../../src/store/db.js'
import {csvLine, CSV_HEADER, validUai} from '../fixtures/firewalls/schools.js'
import {fleet, glpiCsv, lafiCatalogCsv} from '../fixtures/win7/generate.js'
import {runAlpi, type CliRun} from '../helpers/cli.js'
import {tempDir, testContext} from '../helpers/context.js'
import {seedBeneficiaries, seedLaptops, seedSites} from '../integration/laptops/seed.js'

/** The member whose PCs are left to order (win7 order), and the one staged by the bed. */
export const ORDER_MEMBER = 'mairie-de-geloux'
export const STAGE_MEMBER = 'mairie-de-pissos'
export const NEW_PC = 'NEWPIS01'
export const JOIN_PASSWORD = 'Bed-J0in-pw'

export interface WritersBed {
  dir: string
  db: string
  /** The binary over the bed's store, from the bed's folder; fails the test on a crash (BUG). */
  alpi(args: string[], env?: Record<string, string | undefined>): Promise<CliRun>
  /** Laptops allocated at site DAX, and beneficiaries of DAX without a laptop. */
  allocated: string[]
  beneficiaries: string[]
  uai: string
  cleanup(): void
}

/**
 * A store with something to write about in every campaign (generated data only): laptops
 * allocated at a site with beneficiaries, two schools, a win7 fleet with one member left to
 * order and one with a replacement PC received (ready to stage and schedule).
 */
export async function writersBed(opts: {laptopSerials?: string[]} = {}): Promise<WritersBed> {
  const tmp = tempDir('alpi-writers-')
  const db = join(tmp.path, 'alpi.sqlite')
  const store = await openStore({url: db})
  let allocated: string[]
  try {
    const ctx = testContext(store)
    await seedSites(ctx, [{code: 'DAX', quota: 20}])
    await seedBeneficiaries(
      ctx,
      ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'].map((ref) => ({ref, site: 'DAX'})),
    )
    const serials = await seedLaptops(ctx, 6, 'ready')
    if (opts.laptopSerials) {
      // serials from the data as they may come from the field (kept by the laptops pattern)
      await store.db.transaction().execute(async (trx) => {
        await sql`PRAGMA defer_foreign_keys = ON`.execute(trx)
        for (const [i, s] of opts.laptopSerials!.entries()) {
          await trx.updateTable('laptops').set({serial: s}).where('serial', '=', serials[i]!).execute()
          await trx.updateTable('laptop_wipe_certificates').set({serial: s}).where('serial', '=', serials[i]!).execute()
        }
      })
    }
    allocated = (await allocate(ctx, {site: 'DAX', count: 6})).allocated
  } finally {
    await store.close()
  }
  const alpi = async (args: string[], env: Record<string, string | undefined> = {}) => {
    const r = await runAlpi([...args, '--db', db], {
      cwd: tmp.path,
      env: {LANG: 'C', LC_ALL: undefined, LC_MESSAGES: undefined, ALPI_JOIN_PASSWORD: JOIN_PASSWORD, ...env},
    })
    expect(r.stderr).not.toMatch(/BUG|at .*\.js:\d+/)
    return r
  }
  const must = async (args: string[]) => {
    const r = await alpi(args)
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
  }
  writeFileSync(join(tmp.path, 'schools.csv'), [CSV_HEADER, csvLine(1), csvLine(2)].join('\n') + '\n')
  const pcs = fleet(
    [
      {entity: 'Mairie de Geloux', commune: 'Geloux', prefix: 'GEL'},
      {entity: 'Mairie de Pissos', commune: 'Pissos', prefix: 'PIS'},
    ],
    ['win7Tower', 'win7Tower'],
    'WR',
  )
  writeFileSync(join(tmp.path, 'glpi.csv'), glpiCsv(pcs))
  writeFileSync(join(tmp.path, 'lafi.csv'), lafiCatalogCsv())
  await must(['firewalls', 'schools', 'import', 'schools.csv'])
  await must(['win7', 'inventory', 'import', 'glpi.csv'])
  await must(['win7', 'assess'])
  await must(['win7', 'catalog', 'import', 'lafi.csv'])
  await must(['win7', 'order', '--member', STAGE_MEMBER, '--date', '2026-03-02', '--out', 'order-pissos.csv'])
  await must(['win7', 'receive', NEW_PC, '--replaces', 'WR000003'])
  await must(['win7', 'member', 'set', STAGE_MEMBER, '--domain', 'pissos.local', '--naming-rule', 'PIS-{serial:6}'])
  return {dir: tmp.path, db, alpi, allocated, beneficiaries: ['B1', 'B2', 'B3', 'B4', 'B5', 'B6'], uai: validUai(1), cleanup: tmp.cleanup}
}

/**
 * A laptop on the bench, diagnosed and graded, whose one disk is a real loop device: what
 * `laptops wipe --device` needs to write certificates. Returns the env that tells alpi the
 * loop device's serial (loop devices have none).
 */
export async function wipeBench(
  bed: WritersBed,
  serial: string,
): Promise<{device: string; env: Record<string, string>; cleanup(): Promise<void>}> {
  const {createLoop, loopSerialsEnv} = await import('../helpers/loopdev.js')
  const {snapshotWithDisk} = await import('../integration/laptops/flow.js')
  const loop = await createLoop({sizeBytes: 4 << 20, fill: 'random'})
  const env = {ALPI_TEST_DEVICE_SERIALS: loopSerialsEnv([[loop, `${serial}-DISK`]])}
  writeFileSync(join(bed.dir, `${serial}.csv`), `serial\n${serial}\n`)
  writeFileSync(
    join(bed.dir, `${serial}.jsonl`),
    JSON.stringify({...snapshotWithDisk(`${serial}-DISK`), system: {...snapshotWithDisk('x').system, serial}}) + '\n',
  )
  writeFileSync(join(bed.dir, `${serial}-grade.csv`), `serial;grade\n${serial};A\n`)
  for (const args of [
    ['laptops', 'import', `${serial}.csv`],
    ['laptops', 'probe', '--from', `${serial}.jsonl`],
    ['laptops', 'grade', '--sheet', `${serial}-grade.csv`],
  ]) {
    const r = await bed.alpi(args, env)
    expect(r.code, r.stderr).toBe(0)
  }
  return {device: loop.device, env, cleanup: () => loop.cleanup()}
}

/** Every file under `dir` (relative paths), folders left out. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort()
}
