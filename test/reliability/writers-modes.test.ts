import {chmodSync, mkdirSync, readdirSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {NEW_PC, wipeBench, writersBed, type WritersBed} from './writers-bed.js'

const mode = (p: string) => statSync(p).mode & 0o7777

/**
 * Issue 10.10: files with personal data are 0600 (handover receipts name the beneficiary,
 * wipe certificates the technician; answer files hold the join password; rejects files hold
 * the rejected rows), in a 0700 folder when alpi creates it. A folder that exists already
 * keeps its mode: alpi never chmods what it did not create.
 */
describe('modes of the files with personal data (the built binary)', {timeout: 300_000}, () => {
  let bed: WritersBed
  beforeAll(async () => {
    bed = await writersBed()
  })
  afterAll(() => bed?.cleanup())

  it('laptops handover: the receipt is 0600 in a 0700 folder created by alpi', async () => {
    const r = await bed.alpi(['laptops', 'handover', bed.allocated[0]!, '--beneficiary', 'B1', '--out', 'receipts/day1', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(mode(r.json().result.receipt)).toBe(0o600)
    expect(mode(join(bed.dir, 'receipts', 'day1'))).toBe(0o700)
    expect(mode(join(bed.dir, 'receipts'))).toBe(0o700)
  })

  it("a receipt temporary left by a killed run (personal data) is removed by the next run into that folder; a live writer's is kept", async () => {
    const dir = join(bed.dir, 'receipts', 'day1')
    const dead = '.attestation-remise-SN00009-2026-11-30-0a1b2c3d.pdf.999999999.0a1b2c3d.tmp'
    const alive = `.attestation-remise-SN00008-2026-11-30-0a1b2c3d.pdf.${process.pid}.0a1b2c3d.tmp`
    writeFileSync(join(dir, dead), '%PDF-1.3 cut short', {mode: 0o600})
    writeFileSync(join(dir, alive), '%PDF-1.3 being written', {mode: 0o600})
    const r = await bed.alpi(['laptops', 'handover', bed.allocated[4]!, '--beneficiary', 'B5', '--out', 'receipts/day1'])
    expect(r.code, r.stderr).toBe(0)
    expect(readdirSync(dir)).not.toContain(dead)
    expect(readdirSync(dir)).toContain(alive)
  })

  it('laptops handover --from: every receipt of the day is 0600; a shared folder that exists keeps its mode (02775)', async () => {
    const shared = join(bed.dir, 'shared-receipts')
    mkdirSync(shared)
    chmodSync(shared, 0o2775)
    writeFileSync(join(bed.dir, 'day.csv'), `serial;beneficiary\n${bed.allocated[1]};B2\n${bed.allocated[2]};B3\n`)
    const r = await bed.alpi(['laptops', 'handover', '--from', 'day.csv', '--out', 'shared-receipts', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const files = readdirSync(shared)
    expect(files).toHaveLength(2)
    for (const f of files) expect(mode(join(shared, f)), f).toBe(0o600)
    expect(mode(shared)).toBe(0o2775)
  })

  it('laptops wipe: the certificate (JSON and PDF) is 0600 in a 0700 folder created by alpi', async () => {
    const bench = await wipeBench(bed, 'MODE-0')
    try {
      const r = await bed.alpi(['laptops', 'wipe', '--device', bench.device, '--confirm', 'MODE-0', '--out', 'certs', '--json'], bench.env)
      expect(r.code, r.stderr).toBe(0)
      const certs = readdirSync(join(bed.dir, 'certs'))
      expect(certs.map((f) => f.replace(/^.*\./, '')).sort()).toEqual(['json', 'pdf'])
      for (const f of certs) expect(mode(join(bed.dir, 'certs', f)), f).toBe(0o600)
      expect(mode(join(bed.dir, 'certs'))).toBe(0o700)
    } finally {
      await bench.cleanup()
    }
  })

  it('win7 stage: ./staging and ./staging/SERIAL are 0700, the answer file 0600', async () => {
    const r = await bed.alpi(['win7', 'stage', NEW_PC, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(mode(join(bed.dir, 'staging'))).toBe(0o700)
    expect(mode(join(bed.dir, 'staging', NEW_PC))).toBe(0o700)
    expect(mode(join(bed.dir, 'staging', NEW_PC, 'autounattend.xml'))).toBe(0o600)
  })

  it("an import's rejects file is 0600", async () => {
    writeFileSync(join(bed.dir, 'b.csv'), 'ref;nom;commune;site\nBX1;Personne X;Dax;NOWHERE\n')
    const r = await bed.alpi(['laptops', 'beneficiaries', 'import', 'b.csv', '--json'])
    expect(r.code, r.stderr).toBe(3)
    expect(mode(r.json().data.rejectsFile)).toBe(0o600)
  })
})
