import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {allocate} from '../../../src/laptops/giving.js'
import {openStore} from '../../../src/store/db.js'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir, testContext} from '../../helpers/context.js'
import {seedBeneficiaries, seedLaptops, seedSites} from '../../integration/laptops/seed.js'

// Given a site with allocated laptops and beneficiaries (generated), when a scanner feeds
// `laptops handover --scan` card then laptop, then each pair is handed over with its receipt,
// and each wrong scan is one line on stderr after which the next card is awaited.
describe('laptops handover --scan (binary)', {timeout: 120_000}, () => {
  const dir = tempDir('alpi-e2e-handover-scan-')
  const db = join(dir.path, 'alpi.sqlite')
  const env = {ALPI_NOW: '2026-11-28T09:00:00Z'}
  let serials: string[]
  beforeAll(async () => {
    const store = await openStore({url: db})
    const ctx = testContext(store)
    await seedSites(ctx, [{code: 'SMALAH', quota: 10}])
    await seedBeneficiaries(ctx, [
      {ref: 'SMA-0001', site: 'SMALAH'},
      {ref: 'SMA-0002', site: 'SMALAH'},
      {ref: 'SMA-0003', site: 'SMALAH', training: false},
    ])
    serials = await seedLaptops(ctx, 3, 'ready', {prefix: 'HS'})
    await store.db.updateTable('laptops').set({asset_tag: 'ALPI-0902'}).where('serial', '=', serials[1]!).execute()
    await allocate(ctx, {site: 'SMALAH', count: 3})
    await store.close()
  })
  afterAll(() => dir.cleanup())

  it('card then laptop hands over; refusals are one line each and the station goes on', async () => {
    const out = join(dir.path, 'recus')
    const scans =
      [
        serials[0], // a laptop before any card: refused, one line
        'SMA-0001',
        serials[0], // handed over
        'SMA-0001',
        serials[2], // already equipped: refused
        'SMA-0003',
        serials[2], // no training path: refused
        'NOBODY-9', // unknown card
        'SMA-0002',
        'ALPI-0902', // by asset tag
        'QUIT',
        'SMA-0003', // after QUIT: not read
      ].join('\n') + '\n'
    const r = await runAlpi(['laptops', 'handover', '--scan', '--out', out, '--db', db], {env, input: scans})
    expect(r.code, r.stderr).toBe(0)
    const done = r.stdout.trim().split('\n')
    expect(done).toHaveLength(3)
    expect(done[0]).toMatch(
      new RegExp(`^${serials[0]} handed over to SMA-0001; receipt: .*attestation-remise-${serials[0]}-2026-11-28-\\w+\\.pdf$`),
    )
    expect(done[1]).toMatch(new RegExp(`^${serials[1]} handed over to SMA-0002`))
    expect(done[2]).toBe('2 laptop(s) handed over, 4 scan(s) refused')
    const refusals = r.stderr.split('\n').filter((l) => l.startsWith('! '))
    expect(refusals).toEqual([
      "! That is a laptop: scan the beneficiary's convention card first",
      expect.stringMatching(/^! \[ALREADY_EQUIPPED\] /),
      expect.stringMatching(/^! \[NO_ACTIVE_TRAINING\] /),
      '! No beneficiary with reference NOBODY-9',
    ])
    // after each refusal, the card prompt again
    expect(r.stderr.match(/Scan the beneficiary's convention card/g)).toHaveLength(7)
    for (const l of done.slice(0, 2)) expect(existsSync(l.split('receipt: ')[1]!)).toBe(true)
    const show = await runAlpi(['laptops', 'show', serials[1]!, '--db', db, '--json'], {env})
    expect(show.json().result.laptop).toMatchObject({state: 'handed_over', beneficiary_ref: 'SMA-0002'})
  })

  it('--json carries the handovers; French lines with --lang fr', async () => {
    const r = await runAlpi(['laptops', 'handover', '--scan', '--out', join(dir.path, 'recus'), '--db', db, '--json', '--lang', 'fr'], {
      env,
      input: `SMA-0003\n${serials[2]}\n`,
    })
    expect(r.code).toBe(0)
    expect(r.json().result).toMatchObject({handovers: [], refused: 1})
    expect(r.stderr).toContain('Scannez la carte de convention du bénéficiaire')
    expect(r.stderr).toContain("Carte SMA-0003 : scannez l'ordinateur")
    const both = await runAlpi(['laptops', 'handover', serials[2]!, '--scan', '--db', db], {env})
    expect(both.code).toBe(2)
  })
})
