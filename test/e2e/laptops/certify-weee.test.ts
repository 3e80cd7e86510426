import {execFileSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {openStore} from '../../../src/store/db.js'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'
import {createLoop, type LoopDevice} from '../../helpers/loopdev.js'
import {snapshotWithDisk} from '../../integration/laptops/flow.js'

/**
 * Certify any disk that leaves, through the binary, on real loop devices (filled with random
 * bytes, read back as zeros): a scrapped laptop and a parts disk are wiped outside the
 * reconditioning path and appear on the WEEE hand-off list (CSV and French PDF) with their
 * certificates; a laptop being reconditioned is refused with the way to wipe it.
 */
describe('laptops certify and the WEEE list (binary, loop devices)', () => {
  const dir = tempDir('alpi-e2e-certify-')
  const db = join(dir.path, 'alpi.sqlite')
  const loops: LoopDevice[] = []
  const alpi = (args: string[]) => runAlpi([...args, '--db', db], {cwd: dir.path, env: {ALPI_NOW: '2026-12-01T10:00:00Z'}})

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) loops.push(await createLoop({sizeBytes: 8 << 20, fill: 'random'}))
    const s = await openStore({url: db})
    const at = '2026-11-01T00:00:00.000Z'
    const row = (serial: string, state: 'scrapped' | 'diagnosed') => ({
      serial,
      asset_tag: null,
      maker: 'Dell',
      model: 'Latitude 5490',
      lot: 'LOT-1',
      notes: null,
      state,
      grade: 'C',
      verdict: state === 'scrapped' ? 'scrap' : 'ready',
      verdict_reasons: '[]',
      site_code: null,
      beneficiary_ref: null,
      image_name: null,
      image_sha256: null,
      wipe_certificate_id: null,
      snapshot: JSON.stringify(snapshotWithDisk(`DISK-${serial}`)),
      probed_at: at,
      state_changed_at: at,
      created_at: at,
      updated_at: at,
    })
    await s.db
      .insertInto('laptops')
      .values([row('PFSCRAP01', 'scrapped'), row('PFDIAG01', 'diagnosed')])
      .execute()
    await s.close()
  })
  afterAll(async () => {
    for (const l of loops) await l.cleanup()
    dir.cleanup()
  })

  it('wipes a scrapped laptop and a parts disk, lists both on the WEEE hand-off, once', async () => {
    const certs = join(dir.path, 'certificats')
    const wrongDisk = await alpi([
      'laptops',
      'certify',
      '--device',
      loops[0]!.device,
      '--laptop',
      'PFSCRAP01',
      '--device-serial',
      'OTHER',
      '--confirm',
      'PFSCRAP01',
      '--out',
      certs,
      '--json',
    ])
    expect(wrongDisk.json().code).toBe('DEVICE_SERIAL_MISMATCH')
    const reconditioning = await alpi([
      'laptops',
      'certify',
      '--device',
      loops[0]!.device,
      '--laptop',
      'PFDIAG01',
      '--device-serial',
      'DISK-PFDIAG01',
      '--confirm',
      'PFDIAG01',
      '--out',
      certs,
      '--json',
    ])
    expect(reconditioning.json().code).toBe('CERTIFY_REFUSED')
    expect(reconditioning.json().actions[0]).toContain('alpi laptops wipe --device DEV --serial PFDIAG01')

    const laptop = await alpi([
      'laptops',
      'certify',
      '--device',
      loops[0]!.device,
      '--laptop',
      'PFSCRAP01',
      '--device-serial',
      'DISK-PFSCRAP01',
      '--confirm',
      'PFSCRAP01',
      '--out',
      certs,
      '--json',
    ])
    expect(laptop.code, laptop.stderr).toBe(0)
    const lc = laptop.json().result
    expect(lc.certificate).toMatchObject({
      laptopSerial: 'PFSCRAP01',
      subject: {kind: 'laptop', ref: 'PFSCRAP01'},
      result: 'success',
      level: 'Clear',
    })
    // the disk really holds zeros now
    expect(readFileSync(loops[0]!.file).every((b) => b === 0)).toBe(true)
    const part = await alpi([
      'laptops',
      'certify',
      '--device',
      loops[1]!.device,
      '--part',
      '--device-serial',
      'WD-PART-77',
      '--confirm',
      'WD-PART-77',
      '--out',
      certs,
    ])
    expect(part.code, part.stderr).toBe(0)
    expect(part.stdout).toMatch(/^WD-PART-77: .* wiped by overwrite \(Clear\), verification passed/)

    // the laptop did not move: still scrapped, its certificate on show
    const show = (await alpi(['laptops', 'show', 'PFSCRAP01', '--json'])).json().result
    expect(show.laptop.state).toBe('scrapped')
    expect(show.wipeCertificates.map((c: {id: string}) => c.id)).toEqual([lc.certificate.id])

    const csv = join(dir.path, 'deee.csv')
    const pdf = join(dir.path, 'bordereau-deee.pdf')
    const weee = await alpi([
      'laptops',
      'weee',
      '--collector',
      'Ecologic Landes',
      '--date',
      '2026-12-03',
      '--csv',
      csv,
      '--pdf',
      pdf,
      '--json',
    ])
    expect(weee.code, weee.stderr).toBe(0)
    const items = weee.json().result.items
    expect(items.map((x: {kind: string; serial: string}) => [x.kind, x.serial])).toEqual([
      ['laptop', 'PFSCRAP01'],
      ['part', 'WD-PART-77'],
    ])
    const text = readFileSync(csv, 'utf8')
    expect(text).toContain(`laptop;PFSCRAP01;Latitude 5490;DISK-PFSCRAP01;${lc.certificate.id};Clear`)
    expect(text).toContain('part;WD-PART-77;')
    const pdfText = execFileSync('pdftotext', ['-layout', pdf, '-']).toString()
    expect(pdfText).toContain('Bordereau de remise DEEE')
    expect(pdfText).toContain('Ecologic Landes')
    expect(pdfText).toContain('03/12/2026')
    expect(pdfText).toContain(lc.certificate.id)
    expect(pdfText).toContain('Disque (pièce détachée)')
    // handed over once: the next pickup has nothing
    const next = await alpi(['laptops', 'weee', '--collector', 'Ecologic Landes', '--json'])
    expect(next.json().result.items).toEqual([])
    const s = await openStore({url: db, readOnly: true})
    const journal = await s.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('action', 'in', ['certify-wipe', 'weee-handoff'])
      .orderBy('seq')
      .execute()
    await s.close()
    expect(journal.map((j) => [j.action, j.entity_id])).toEqual([
      ['certify-wipe', 'PFSCRAP01'],
      ['certify-wipe', 'WD-PART-77'],
      ['weee-handoff', '2026-12-03'],
    ])
  }, 120_000)
})
