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
/** a serial too long for the donor report's columns */
const LONG = 'PF-REFURB-0123456789-ABCDEFGHIJ'

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
      .values([row('PFSCRAP01', 'scrapped'), row('PFDIAG01', 'diagnosed'), row(LONG, 'scrapped')])
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
    expect(pdfText).toContain('3 décembre 2026')
    expect(pdfText).toContain(lc.certificate.id)
    expect(pdfText).toContain('Disque (pièce détachée)')
    // every id whole, on one line (the PDF is what the recycler signs): the same for the donor's report
    expect(lc.certificate.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    for (const x of items) expect(pdfText).toContain(x.certificate)
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

    // the donor's end-of-lot report: every certificate of the lot, ids whole
    const long = await alpi([
      'laptops',
      'certify',
      '--device',
      loops[0]!.device,
      '--laptop',
      LONG,
      '--device-serial',
      `DISK-${LONG}`,
      '--confirm',
      LONG,
      '--out',
      certs,
      '--json',
    ])
    expect(long.code, long.stderr).toBe(0)
    const lot = await alpi([
      'laptops',
      'lots',
      'add',
      'LOT-1',
      '--donor',
      'Crédit Agricole Aquitaine',
      '--date',
      '2026-10-15',
      '--count',
      '3',
    ])
    expect(lot.code, lot.stderr).toBe(0)
    const bilan = join(dir.path, 'bilan-LOT-1.pdf')
    const report = await alpi(['laptops', 'lots', 'report', 'LOT-1', '--out', bilan, '--json'])
    expect(report.code, report.stderr).toBe(0)
    expect(report.json().result.certificates.map((c: {certificate: string}) => c.certificate)).toEqual([
      long.json().result.certificate.id,
      lc.certificate.id,
    ])
    const bilanText = execFileSync('pdftotext', ['-layout', bilan, '-']).toString()
    for (const c of report.json().result.certificates) expect(bilanText).toContain(c.certificate)
    expect(bilanText).toMatch(new RegExp(`PFSCRAP01\\s+${lc.certificate.id}\\s+Clear\\s+1er décembre 2026`))
    // the long serial on its own line, its certificate id whole on the next
    expect(bilanText).toContain(`${LONG}\n`)
    expect(bilanText).toMatch(new RegExp(`\\n\\s+${long.json().result.certificate.id}\\s+Clear`))
    // every label on one line: the label column is as wide as the French labels
    expect(bilanText).toMatch(/Disques effacés avec certificat :\s+2/)
    expect(bilanText).toMatch(/En cours de reconditionnement :\s+1/)
  }, 120_000)
})
