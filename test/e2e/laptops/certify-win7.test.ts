import {execFileSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {openStore} from '../../../src/store/db.js'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'
import {createLoop, loopSerialsEnv, type LoopDevice} from '../../helpers/loopdev.js'
import {fleet, glpiCsv, lafiCatalogCsv} from '../../fixtures/win7/generate.js'

const MEMBER = 'mairie-de-geloux'

/**
 * An old win7 PC's disk certified by `laptops certify --win7-pc` on a real loop device, through
 * the binary, then that certificate JSON accepted by `win7 retire --wiped-certificate`: the PC is
 * retired as wiped with the certificate's id. Another PC's certificate is refused. The PCs come
 * from a generated GLPI export and go through the real pipeline up to "installed".
 */
describe('laptops certify --win7-pc, then win7 retire --wiped-certificate (binary, loop devices)', () => {
  const dir = tempDir('alpi-e2e-certify-win7-')
  const db = join(dir.path, 'alpi.sqlite')
  const loops: LoopDevice[] = []
  let env: Record<string, string | undefined> = {}
  const alpi = (args: string[], extra: Record<string, string | undefined> = {}) =>
    runAlpi([...args, '--db', db], {cwd: dir.path, env: {LANG: 'C', LC_ALL: undefined, ALPI_JOIN_PASSWORD: undefined, ...env, ...extra}})

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) loops.push(await createLoop({sizeBytes: 8 << 20, fill: 'random'}))
    // loop devices have no serial: each stands for the disk of one old PC
    env = {
      ALPI_TEST_DEVICE_SERIALS: loopSerialsEnv([
        [loops[0]!, 'WD-RT1-DISK'],
        [loops[1]!, 'WD-RT2-DISK'],
      ]),
    }
  })
  afterAll(async () => {
    for (const l of loops) await l.cleanup()
    dir.cleanup()
  })

  it('certifies an old PC disk and retires the PC with that certificate; another PC certificate is refused', async () => {
    const pcs = fleet([{entity: 'Mairie de Geloux', commune: 'Geloux', prefix: 'GEL'}], ['win7Tower', 'win7Tower'], 'RT')
    writeFileSync(join(dir.path, 'glpi.csv'), glpiCsv(pcs))
    writeFileSync(join(dir.path, 'lafi.csv'), lafiCatalogCsv())
    const ok = async (args: string[], extra: Record<string, string | undefined> = {}) => {
      const r = await alpi(args, extra)
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
      return r
    }
    await ok(['win7', 'inventory', 'import', 'glpi.csv'])
    await ok(['win7', 'assess'])
    await ok(['win7', 'catalog', 'import', 'lafi.csv'])
    await ok(['win7', 'order', '--member', MEMBER, '--date', '2026-11-02', '--out', 'commande.csv'])
    await ok(['win7', 'receive', 'NEWRT01', '--replaces', 'RT000001'])
    await ok(['win7', 'member', 'set', MEMBER, '--domain', 'geloux.local', '--naming-rule', 'GEL-{serial:6}'])
    await ok(['win7', 'stage', 'NEWRT01', '--out', 'pkg'], {ALPI_JOIN_PASSWORD: 'E2e-pw-1'})
    await ok(['win7', 'installed', 'NEWRT01'])

    const certs = join(dir.path, 'certificats')
    const certify = (device: string, pc: string, confirm = pc) =>
      alpi(['laptops', 'certify', '--device', device, '--win7-pc', pc, '--confirm', confirm, '--out', certs, '--json'])

    // only an old PC of the win7 campaign: its replacement or an unknown serial is not one
    let r = await certify(loops[0]!.device, 'NEWRT01')
    expect(r.code).toBe(1)
    expect(r.json().code).toBe('NOT_FOUND')
    r = await certify(loops[0]!.device, 'RT999999')
    expect(r.json().code).toBe('NOT_FOUND')
    // the confirmation must name the PC
    r = await certify(loops[0]!.device, 'RT000001', 'RT000002')
    expect(r.code).not.toBe(0)
    expect(readFileSync(loops[0]!.file).some((b) => b !== 0)).toBe(true)

    const one = await certify(loops[0]!.device, 'rt000001')
    expect(one.code, one.stderr).toBe(0)
    const c1 = one.json().result
    expect(c1.subject).toEqual({kind: 'win7_pc', ref: 'RT000001'})
    expect(c1.certificate).toMatchObject({
      laptopSerial: 'RT000001',
      result: 'success',
      level: 'Clear',
      subject: {kind: 'win7_pc', ref: 'RT000001'},
    })
    expect(c1.certificate.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(c1.certificate.disk.serial).toBe('WD-RT1-DISK')
    expect(readFileSync(loops[0]!.file).every((b) => b === 0)).toBe(true)
    const two = await certify(loops[1]!.device, 'RT000002')
    expect(two.code, two.stderr).toBe(0)
    const c2 = two.json().result

    // the human line on stdout, the progress on stderr
    expect(one.stdout).not.toMatch(/%/)

    // another PC's certificate is refused, and RT000001 does not move
    r = await alpi(['win7', 'retire', 'RT000001', '--wiped-certificate', c2.json, '--json'])
    expect(r.code).toBe(1)
    expect(r.json().code).toBe('WIN7_CERTIFICATE_SERIAL')
    // the way out it names is the command that makes this PC's certificate
    expect(r.json().actions).toContain(
      'Give the certificate of this PC, or wipe its disk: alpi laptops certify --device DEV --win7-pc RT000001',
    )
    // its own: retired as wiped, the certificate's id, level and SHA-256 recorded
    r = await alpi(['win7', 'retire', 'RT000001', '--wiped-certificate', c1.json, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json().result).toMatchObject({
      serial: 'RT000001',
      state: 'wiped',
      kind: 'wiped',
      certificate: c1.certificate.id,
      level: 'Clear',
      sha256: execFileSync('sha256sum', [c1.json]).toString().split(' ')[0],
    })
    r = await alpi(['win7', 'retire', 'RT000001', '--wiped-certificate', c1.json])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/WIN7_TRANSITION_REFUSED/)
    // RT000002 is certified, but still in the pipeline (ordered): retiring it says what comes first
    r = await alpi(['win7', 'retire', 'RT000002', '--wiped-certificate', c2.json, '--json'])
    expect(r.json().code).toBe('WIN7_TRANSITION_REFUSED')

    const s = await openStore({url: db, readOnly: true})
    try {
      const pc = await s.db
        .selectFrom('win7_pcs')
        .select(['state', 'retired_kind', 'retired_ref'])
        .where('serial', '=', 'RT000001')
        .executeTakeFirstOrThrow()
      expect(pc).toMatchObject({state: 'wiped', retired_kind: 'wiped'})
      expect(JSON.parse(pc.retired_ref!).certificate).toBe(c1.certificate.id)
      const other = await s.db.selectFrom('win7_pcs').select('state').where('serial', '=', 'RT000002').executeTakeFirstOrThrow()
      expect(other.state).toBe('ordered')
      const stored = await s.db
        .selectFrom('disk_certificates')
        .select(['id', 'subject_kind', 'subject_ref'])
        .orderBy('subject_ref')
        .execute()
      expect(stored).toEqual([
        {id: c1.certificate.id, subject_kind: 'win7_pc', subject_ref: 'RT000001'},
        {id: c2.certificate.id, subject_kind: 'win7_pc', subject_ref: 'RT000002'},
      ])
    } finally {
      await s.close()
    }

    // both PCs' disks go on the WEEE list with their real certificate ids, whole in the PDF
    const pdf = join(dir.path, 'bordereau-deee.pdf')
    r = await alpi(['laptops', 'weee', '--collector', 'Ecologic Landes', '--date', '2026-12-03', '--pdf', pdf, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json().result.items.map((x: {kind: string; serial: string}) => [x.kind, x.serial])).toEqual([
      ['win7_pc', 'RT000001'],
      ['win7_pc', 'RT000002'],
    ])
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString()
    expect(text).toContain('Ancien poste (Windows 7)')
    for (const c of [c1, c2]) expect(text).toContain(c.certificate.id)
  }, 180_000)
})
