import {randomBytes} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {openStore} from '../../src/store/db.js'
import {CSV_HEADER, csvLine} from '../fixtures/firewalls/schools.js'
import {fleet, glpiCsv} from '../fixtures/win7/generate.js'
import {NEW_PC, writersBed, type WritersBed} from './writers-bed.js'

/** The rejects file as {row, message} (UTF-8 BOM, ';', CRLF, the row number first). */
function rejectsOf(file: string): {row: number; field: string; message: string}[] {
  return readFileSync(file, 'utf8')
    .replace(/^\ufeff/, '')
    .split('\r\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => {
      const [row, field, message] = l.split(';')
      return {row: Number(row), field: field!, message: message!}
    })
}

/**
 * Issue 10.7: values from the data that become part of a path are checked at import (a strict
 * pattern, the reason and the row number in the rejects file) and again where the path is
 * built (safeJoin: one plain name, inside its folder), so a serial like AB/../../../X can never
 * put the answer file (and its join password) outside ./staging.
 */
describe('names from the data in paths (the built binary)', {timeout: 300_000}, () => {
  const escape = `PWNED-${randomBytes(4).toString('hex').toUpperCase()}`
  let bed: WritersBed
  beforeAll(async () => {
    bed = await writersBed({laptopSerials: [`AB/../../${escape}`]})
  })
  afterAll(() => bed?.cleanup())

  it('win7 inventory import: serials with / \\ or .. are rejected with their row numbers and the reason; the others are kept', async () => {
    const pcs = fleet(
      [{entity: 'Mairie de Rion', commune: 'Rion', prefix: 'RIO'}],
      ['win7Tower', 'win7Tower', 'win7Tower', 'win7Tower', 'win7Tower'],
      'TR',
    )
    pcs[1]!.serial = `AB/../../../${escape}`
    pcs[2]!.serial = '..'
    pcs[3]!.serial = 'CD\\..\\..\\X'
    writeFileSync(join(bed.dir, 'traversal.csv'), glpiCsv(pcs))
    const r = await bed.alpi(['win7', 'inventory', 'import', 'traversal.csv', '--json'])
    expect(r.code, r.stderr).toBe(3)
    expect(r.json()).toMatchObject({code: 'INPUT_REJECTED', data: {rejected: 3, inserted: 2}})
    const rejects = rejectsOf(r.json().data.rejectsFile)
    expect(rejects.map((x) => x.row)).toEqual([3, 4, 5])
    for (const x of rejects) expect(x.message).toMatch(/serial may hold only letters, digits and \. _ -/)
  })

  it('win7 receive: a new serial with a / is refused before anything is recorded', async () => {
    const r = await bed.alpi(['win7', 'receive', `AB/../../../${escape}`, '--replaces', 'WR000004', '--json'])
    expect(r.code).toBe(1)
    expect(r.json().code).toBe('WIN7_SERIAL_INVALID')
  })

  it('win7 stage: a serial planted in the store (older alpi, edited store) is refused where the path is built: UNSAFE_PATH, nothing written anywhere', async () => {
    const planted = `AB/../../../${escape}`
    const store = await openStore({url: bed.db})
    try {
      await store.db.updateTable('win7_pcs').set({serial: planted}).where('serial', '=', NEW_PC).execute()
      await store.db.updateTable('win7_pcs').set({replaced_by: planted}).where('replaced_by', '=', NEW_PC).execute()
    } finally {
      await store.close()
    }
    const r = await bed.alpi(['win7', 'stage', planted, '--json'])
    expect(r.code, r.stderr).toBe(1)
    expect(r.json()).toMatchObject({code: 'UNSAFE_PATH', message: expect.stringMatching(/holds a \/ or \\/)})
    expect(r.stdout + r.stderr).not.toContain('Bed-J0in-pw')
    // where the join would have led: the bed's parent folder
    expect(existsSync(join(dirname(bed.dir), escape))).toBe(false)
    expect(existsSync(join(bed.dir, 'staging'))).toBe(false)
  })

  it('win7 stage --out: an old PC serial planted with ..\\ cannot name a folder of the USMT store', async () => {
    const store = await openStore({url: bed.db})
    const planted = 'WR000004\\..\\..\\OTHER'
    try {
      // the second Pissos PC (ordered), its serial edited in the store
      await store.db.updateTable('win7_pcs').set({serial: planted}).where('serial', '=', 'WR000004').execute()
    } finally {
      await store.close()
    }
    const r0 = await bed.alpi(['win7', 'receive', 'NEWPIS02', '--replaces', planted])
    expect(r0.code, r0.stderr).toBe(0)
    const r = await bed.alpi(['win7', 'stage', 'NEWPIS02', '--out', 'pkg-usmt', '--json'])
    expect(r.code, r.stderr).toBe(1)
    expect(r.json()).toMatchObject({code: 'UNSAFE_PATH', message: expect.stringMatching(/USMT store/)})
    expect(existsSync(join(bed.dir, 'pkg-usmt', 'scanstate.cmd'))).toBe(false)
    expect(existsSync(join(bed.dir, 'pkg-usmt', 'autounattend.xml'))).toBe(false)
  })

  it('firewalls schools import: a UAI that would climb out of a folder is rejected with its row number', async () => {
    writeFileSync(
      join(bed.dir, 'schools-bad.csv'),
      [CSV_HEADER, csvLine(3), csvLine(4, {uai: '../../x'}), csvLine(5, {uai: '0400005/..'})].join('\n') + '\n',
    )
    const r = await bed.alpi(['firewalls', 'schools', 'import', 'schools-bad.csv', '--json'])
    expect(r.code).toBe(3)
    expect(rejectsOf(r.json().data.rejectsFile).map((x) => [x.row, x.field])).toEqual([
      [3, 'UAI'],
      [4, 'UAI'],
    ])
  })

  it('laptops sites import: a site code with / or .. is rejected with its row number', async () => {
    writeFileSync(
      join(bed.dir, 'sites-bad.csv'),
      'code;nom;commune;convention;signée le;fin;quota\nMDM;Lieu MDM;Mont-de-Marsan;CONV-1;01/01/2026;31/12/2027;10\n../../etc;Lieu X;Dax;CONV-2;01/01/2026;31/12/2027;5\nA/B;Lieu Y;Dax;CONV-3;01/01/2026;31/12/2027;5\n',
    )
    const r = await bed.alpi(['laptops', 'sites', 'import', 'sites-bad.csv', '--json'])
    expect(r.code).toBe(3)
    expect(rejectsOf(r.json().data.rejectsFile).map((x) => [x.row, x.field])).toEqual([
      [3, 'code'],
      [4, 'code'],
    ])
  })

  it('laptops handover: a laptop serial with / and .. (allowed for laptops) gives a receipt inside --out, its name made safe', async () => {
    const serial = `AB/../../${escape}`
    const r = await bed.alpi(['laptops', 'handover', serial, '--beneficiary', 'B1', '--out', 'receipts', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const receipt = r.json().result.receipt as string
    expect(dirname(receipt)).toBe(join(bed.dir, 'receipts'))
    expect(readdirSync(join(bed.dir, 'receipts'))).toEqual([
      expect.stringMatching(new RegExp(`^attestation-remise-AB_\\.\\._\\.\\._${escape}-\\d{4}-\\d\\d-\\d\\d-[0-9a-f-]{8}\\.pdf$`)),
    ])
    // where an unchecked join would have led: the bed's folder and its parent
    for (const d of [bed.dir, dirname(bed.dir)]) expect(readdirSync(d).filter((f) => f.includes(escape))).toEqual([])
  })
})
