import {Readable} from 'node:stream'
import {describe, expect, it} from 'vitest'
import {setLanguage} from '../../../src/core/i18n.js'
import {readCsv} from '../../../src/csv/read.js'
import {sizeDoubts} from '../../../src/win7/inventory.js'
import {
  implausibleSize,
  INVENTORY_COLUMNS,
  InventoryRowSchema,
  parseSizeMb,
  PLAUSIBLE_MB,
  type InventoryRow,
} from '../../../src/csv/inventory.js'
import {assessPc, loadCpuList, type PcFacts} from '../../../src/win7/readiness.js'
import {TEMPLATES_DIR} from '../../helpers/context.js'

setLanguage('en')

/**
 * Export lines in the layout GLPI and OCS Inventory write them (header names, quoting,
 * delimiter, units as the tools print them); the values are generated (no real PC).
 * - GLPI 10 Computer search, CSV export: ';', every cell quoted, CRLF; "Mémoire" (option 111)
 *   and "Disque dur : Capacité par défaut" (option 115) are MiB shown with GLPI's automatic
 *   unit (Toolbox::getSize: "7.75 Gio", "238.47 Gio", "1.82 Tio").
 * - Older GLPI: "Mémoire (Mio)", a bare number of MiB.
 * - OCS Inventory (hardware + bios + accountinfo + storages): ',' separated, MEMORY and
 *   DISKSIZE bare integers in MB (MiB).
 */
const GLPI10_HEADER =
  '"Nom";"Entité";"Statut";"Fabricant";"Modèle";"Type";"Numéro de série";"Système d\'exploitation - Nom";"Lieu";"Processeur";"Mémoire";"Disque dur : Capacité par défaut"'
const glpi10 = (serial: string, memory: string, disk: string) =>
  `"GEN-PC01";"Entité racine > Mairie de Test";"En service";"Dell Inc.";"OptiPlex 7060";"Tour";"${serial}";"Microsoft Windows 10 Professionnel";"Test > Mairie";"Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz";"${memory}";"${disk}"`
const GLPI9_HEADER = '"Nom";"Entité";"Numéro de série";"Composants - Processeur";"Mémoire (Mio)";"Composants - Disque dur"'
const glpi9 = (serial: string, memory: string, disk: string) =>
  `"GEN-PC02";"Entité racine > Mairie de Test";"${serial}";"Intel(R) Core(TM) i3-2120 CPU @ 3.30GHz";"${memory}";"${disk}"`
const OCS_HEADER = 'NAME,TAG,SMANUFACTURER,SMODEL,SSN,OSNAME,OSVERSION,USERID,PROCESSORT,MEMORY,DISKSIZE'
const ocs = (serial: string, memory: string, disk: string) =>
  `GEN-PC03,Mairie de Test,LENOVO,ThinkCentre M720s,${serial},Microsoft Windows 7 Professionnel,6.1.7601,agent001,Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz,${memory},${disk}`

async function read(lines: string[], eol = '\r\n'): Promise<{rows: {row: number; value: InventoryRow}[]; rejects: unknown[]}> {
  const r = await readCsv({source: Readable.from([lines.join(eol) + eol]), schema: InventoryRowSchema, columns: INVENTORY_COLUMNS})
  return {rows: r.rows.map((x) => ({row: x.row, value: x.value})), rejects: r.rejects}
}

const list = loadCpuList(TEMPLATES_DIR)
const facts = (v: InventoryRow): PcFacts => ({
  cpu: v.cpu ?? null,
  tpm: '2.0',
  firmware: 'uefi',
  secure_boot: 1,
  ram_mb: v.ram ?? null,
  disk_mb: v.disk ?? null,
})

describe('units of the inventories: GLPI and OCS export lines', () => {
  it('GLPI 10: "7.75 Gio" and "238.47 Gio" (automatic unit) are read in MiB, plausible, no warning', async () => {
    const {rows, rejects} = await read([
      GLPI10_HEADER,
      glpi10('GEN0001', '7.75 Gio', '238.47 Gio'),
      glpi10('GEN0002', '16 Gio', '1.82 Tio'),
      glpi10('GEN0003', '512 Mio', '931.51 Gio'),
    ])
    expect(rejects).toEqual([])
    expect(rows.map((r) => [r.value.ram, r.value.disk])).toEqual([
      [7936, 244_193],
      [16_384, 1_908_408],
      [512, 953_866],
    ])
    expect(rows.flatMap((r) => sizeDoubts(r.value))).toEqual([])
    expect(assessPc(facts(rows[0]!.value), list).verdict).toBe('upgrade_in_place')
  })

  it('GLPI: a unitless "256" in the disk column is 256 MiB, said with its row, and the disk check is unknown, not "fail"', async () => {
    const {rows} = await read([GLPI10_HEADER, glpi10('GEN0004', '8 Gio', '238.47 Gio'), glpi10('GEN0005', '8 Gio', '256')])
    expect(rows[1]).toMatchObject({row: 3, value: {disk: 256}})
    expect(sizeDoubts(rows[0]!.value)).toEqual([])
    expect(sizeDoubts(rows[1]!.value)).toEqual([
      expect.stringMatching(
        /^disk size read as 256 MiB \(0\.25 GiB\), below the plausible 16 GB to 64 TB: GLPI and OCS write bare sizes in MiB/,
      ),
    ])
    const v = assessPc(facts(rows[1]!.value), list)
    expect(v.verdict).toBe('unknown')
    expect(v.reasons).toEqual([
      {
        requirement: 'disk',
        status: 'unknown',
        code: 'r.diskImplausible',
        params: {mb: 256},
        reason: expect.stringMatching(/disk size of 256 MiB \(0\.3 GB\) is outside the plausible 16 GB to 64 TB/),
      },
    ])
  })

  it('older GLPI: "Mémoire (Mio)" holds bare MiB ("4096", "4 096" with a thousands space)', async () => {
    const {rows, rejects} = await read([GLPI9_HEADER, glpi9('GEN0006', '4096', '238475'), glpi9('GEN0007', '4\u00a0096', '476 940')])
    expect(rejects).toEqual([])
    expect(rows.map((r) => [r.value.ram, r.value.disk])).toEqual([
      [4096, 238_475],
      [4096, 476_940],
    ])
  })

  it('OCS: MEMORY and DISKSIZE are bare MB; "8" (someone\'s GB) is 8 MiB of memory, a warning and an unknown memory check', async () => {
    const {rows, rejects} = await read([OCS_HEADER, ocs('GEN0008', '4096', '238475'), ocs('GEN0009', '8', '238475')], '\n')
    expect(rejects).toEqual([])
    expect(rows.map((r) => [r.value.ram, r.value.disk])).toEqual([
      [4096, 238_475],
      [8, 238_475],
    ])
    expect(sizeDoubts(rows[0]!.value)).toEqual([])
    expect(sizeDoubts(rows[1]!.value)).toEqual([expect.stringMatching(/^memory read as 8 MiB .*below the plausible 256 MB to 2 TB/)])
    const v = assessPc(facts(rows[1]!.value), list)
    expect(v.reasons.map((r) => [r.requirement, r.status])).toEqual([['ram', 'unknown']])
    // the row with 4096 (MiB, 4 GB) passes every check
    expect(assessPc(facts(rows[0]!.value), list).reasons).toEqual([])
  })

  it('too big is a doubt too: "80000 Gio" of disk (78 TiB), "3 Tio" of memory', async () => {
    const {rows} = await read([GLPI10_HEADER, glpi10('GEN0010', '3 Tio', '80000 Gio')])
    expect(sizeDoubts(rows[0]!.value)).toEqual([
      expect.stringMatching(/^memory .*above the plausible/),
      expect.stringMatching(/^disk size .*above the plausible/),
    ])
    expect(assessPc(facts(rows[0]!.value), list).reasons.map((r) => [r.requirement, r.status])).toEqual([
      ['ram', 'unknown'],
      ['disk', 'unknown'],
    ])
  })

  it('the plausible ranges at their edges: 16 GB (decimal) to 64 TB of disk, 256 MiB to 2 TiB of memory', () => {
    expect(PLAUSIBLE_MB.disk).toEqual({min: 15_258, max: 61_035_157})
    expect([
      implausibleSize('disk', 15_257),
      implausibleSize('disk', 15_258),
      implausibleSize('disk', 61_035_157),
      implausibleSize('disk', 61_035_158),
    ]).toEqual(['low', null, null, 'high'])
    expect([
      implausibleSize('ram', 255),
      implausibleSize('ram', 256),
      implausibleSize('ram', 2 * 1024 * 1024),
      implausibleSize('ram', 2 * 1024 * 1024 + 1),
    ]).toEqual(['low', null, null, 'high'])
    // units: binary, as GLPI and OCS count
    expect([
      parseSizeMb('8 Go', 'MB'),
      parseSizeMb('8 GB', 'MB'),
      parseSizeMb('1 Tio', 'MB'),
      parseSizeMb('512', 'MB'),
      parseSizeMb('7,9 Go', 'MB'),
    ]).toEqual([8192, 8192, 1_048_576, 512, 8090])
  })

  it('the warning is in French with --lang fr (decimal comma, French units)', async () => {
    setLanguage('fr')
    try {
      const {rows} = await read([GLPI10_HEADER, glpi10('GEN0011', '8 Gio', '256')])
      expect(sizeDoubts(rows[0]!.value)).toEqual([
        expect.stringMatching(/^taille de disque lue comme 256 Mio \(0,25 Gio\), en dessous de la plage plausible de 16 Go à 64 To/),
      ])
    } finally {
      setLanguage('en')
    }
  })
})
