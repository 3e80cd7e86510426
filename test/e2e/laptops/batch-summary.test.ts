import {execFileSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'
import {createLoop, loopSerialsEnv, type LoopDevice} from '../../helpers/loopdev.js'
import {snapshotWithDisk} from '../../integration/laptops/flow.js'

/** A generated laptop's snapshot (its disk is DISK-<serial>); without a battery it needs a part. */
function snapshotOf(serial: string, opts: {battery?: boolean} = {}) {
  const s = snapshotWithDisk(`DISK-${serial}`)
  return {...s, system: {...s.system, serial}, batteries: opts.battery === false ? [] : s.batteries}
}

/** The rejects file's data lines (UTF-8 BOM, ';', CRLF), header left out. */
function rejectLines(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n')
    .slice(1)
    .map((l) => l.split(';'))
}

// Given generated laptops (no real serials, no real people), when a batch run ends with exit 3
// (rows rejected) or 4 (a disk failed), then stdout holds the same summary as a clean run,
// stderr the error and the rejects path, and --json the same summary in the failure's data.
describe('laptops batch runs tell the whole truth (binary)', {timeout: 300_000}, () => {
  const dir = tempDir('alpi-e2e-laptops-summary-')
  const db = join(dir.path, 'alpi.sqlite')
  const bays: LoopDevice[] = []
  const small = join(dir.path, 'small')
  let failing = ''
  let env: Record<string, string>
  const alpi = (args: string[]) => runAlpi([...args, '--db', db], {env, cwd: dir.path})

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) bays.push(await createLoop({sizeBytes: 8 << 20, fill: 'random'}))
    env = {
      ALPI_NOW: '2026-11-28T09:00:00Z',
      ALPI_TECHNICIAN: 'tech-e2e',
      LANG: 'C',
      ALPI_TEST_DEVICE_SERIALS: loopSerialsEnv(bays.map((b, i) => [b, `DISK-SUM-${i + 1}`])),
    }
    writeFileSync(join(dir.path, 'lot.csv'), 'serial;maker\nSUM-1;Lenovo\nSUM-2;Lenovo\nSUM-3;Dell\nSUM-4;Dell\nSUM-5;HP\n')
    writeFileSync(
      join(dir.path, 'snapshots.jsonl'),
      [snapshotOf('SUM-1'), snapshotOf('SUM-2'), snapshotOf('SUM-3', {battery: false}), snapshotOf('SUM-4')]
        .map((s) => JSON.stringify(s))
        .join('\n') + '\n',
    )
    for (const args of [
      ['laptops', 'import', 'lot.csv'],
      ['laptops', 'probe', '--from', 'snapshots.jsonl'],
      ['laptops', 'grade', 'SUM-3', '--cosmetic', 'C'],
    ]) {
      const r = await alpi(args)
      expect(r.code, r.stderr).toBe(0)
    }
  })
  afterAll(async () => {
    if (failing) execFileSync('losetup', ['-d', failing])
    if (existsSync(small)) execFileSync('sh', ['-c', `umount ${small} 2>/dev/null || true`])
    for (const b of bays) {
      execFileSync('blockdev', ['--setrw', b.device])
      await b.cleanup()
    }
    dir.cleanup()
  })

  it('grade --sheet: an unknown serial and a laptop already graded (scrapped) go to the rejects file, the others are graded, exit 3', async () => {
    writeFileSync(join(dir.path, 'fiche.csv'), 'Numéro de série;Grade\nSUM-1;a\nINCONNU-9;B\nSUM-2;B\nSUM-3;A\nSUM-4;b\n')
    const r = await alpi(['laptops', 'grade', '--sheet', 'fiche.csv'])
    expect(r.code).toBe(3)
    expect(r.stdout).toBe('fiche.csv: 5 row(s) read, 3 laptop(s) graded: 3 ready, 0 needing a part, 0 to scrap; 2 rejected\n')
    const rejectsFile = join(dir.path, 'fiche.rejects.csv')
    expect(r.stderr).toContain(`Error [INPUT_REJECTED]: 2 row(s) rejected out of 5; see ${rejectsFile}`)
    const lines = rejectLines(rejectsFile)
    expect(lines.map((l) => [l[0], l[1], l[3]])).toEqual([
      ['3', 'Numéro de série', 'INCONNU-9'],
      ['5', 'Numéro de série', 'SUM-3'],
    ])
    expect(lines[0]![2]).toMatch(/^NOT_FOUND: No laptop with serial INCONNU-9/)
    expect(lines[1]![2]).toMatch(/^LAPTOP_TRANSITION_REFUSED: .*SUM-3.*scrapped/)

    const show = await alpi(['laptops', 'status', '--json'])
    expect(show.json().result.byState).toMatchObject({diagnosed: 3, scrapped: 1, received: 1})

    // the same sheet again with --json: a diagnosed laptop is graded again, the same rows refused
    const j = await alpi(['laptops', 'grade', '--sheet', 'fiche.csv', '--json'])
    expect(j.code).toBe(3)
    const env3 = j.json()
    expect(env3).toMatchObject({
      status: 3,
      code: 'INPUT_REJECTED',
      data: {rows: 5, updated: 3, rejected: 2, rejectsFile, verdicts: {ready: 3, needs_part: 0, scrap: 0}},
    })
    expect(env3.data.rejects.map((x: {row: number; message: string}) => [x.row, x.message.split(':')[0]])).toEqual([
      [3, 'NOT_FOUND'],
      [5, 'LAPTOP_TRANSITION_REFUSED'],
    ])
  })

  it('grade --sheet --dry-run checks the rows and grades nothing; a laptop not probed is refused with its row', async () => {
    writeFileSync(join(dir.path, 'fiche2.csv'), 'serial;grade\nSUM-5;A\nSUM-1;C\n')
    const r = await alpi(['laptops', 'grade', '--sheet', 'fiche2.csv', '--dry-run', '--rejects', 'refus.csv'])
    expect(r.code).toBe(3)
    expect(r.stdout).toBe(
      'fiche2.csv: 2 row(s) read, 0 laptop(s) graded: 0 ready, 0 needing a part, 0 to scrap; 1 rejected (dry run: nothing written)\n',
    )
    expect(rejectLines(join(dir.path, 'refus.csv')).map((l) => [l[0], l[2]!.split(':')[0]])).toEqual([['2', 'NO_SNAPSHOT']])
    const fr = await alpi(['laptops', 'grade', '--sheet', 'fiche2.csv', '--dry-run', '--lang', 'fr'])
    expect(fr.code).toBe(3)
    expect(fr.stdout).toBe(
      "fiche2.csv : 2 ligne(s) lue(s), 0 ordinateur(s) évalué(s) : 0 prêt(s), 0 en attente de pièce, 0 à réformer ; 1 rejetée(s) (essai : rien n'est écrit)\n",
    )
    expect(fr.stderr).toMatch(/^Erreur \[INPUT_REJECTED\]: 1 ligne\(s\) rejetée\(s\) sur 2 ; voir /m)
    const show = await alpi(['laptops', 'show', 'SUM-1', '--json'])
    expect(show.json().result.laptop).toMatchObject({grade: 'A'})
    // --rejects without --sheet is a usage error
    const u = await alpi(['laptops', 'grade', 'SUM-1', '--cosmetic', 'A', '--rejects', 'x.csv'])
    expect(u.code).toBe(2)
  })

  it('sites import with a bad row: the summary on stdout, the error and the rejects path on stderr', async () => {
    writeFileSync(
      join(dir.path, 'sites.csv'),
      'code;nom;commune;convention;date signature;date fin;quota\nSMALAH;La Smalah;Mimizan;CONV-1;01/01/2026;31/12/2027;5\nBAD;Mauvais;Mimizan;CONV-2;01/01/2026;31/12/2027;beaucoup\n',
    )
    const r = await alpi(['laptops', 'sites', 'import', 'sites.csv'])
    expect(r.code).toBe(3)
    expect(r.stdout).toBe('sites.csv: 2 rows read, 1 new site, 0 updated, 0 unchanged, 1 rejected\n')
    expect(r.stderr).toContain(join(dir.path, 'sites.rejects.csv'))
    writeFileSync(
      join(dir.path, 'ben.csv'),
      'ref;nom;commune;parcours;debut parcours;site\nB-1;Personne Une;Mimizan;PARC-1;01/10/2026;SMALAH\nB-2;Personne Deux;Mimizan;PARC-1;01/10/2026;SMALAH\nB-3;Personne Trois;Mimizan;PARC-1;01/10/2026;NULLEPART\n',
    )
    const b = await alpi(['laptops', 'beneficiaries', 'import', 'ben.csv'])
    expect(b.code).toBe(3)
    expect(b.stdout).toBe('ben.csv: 3 rows read, 2 new beneficiaries, 0 updated, 0 unchanged, 1 rejected\n')
    expect(b.stderr).toContain(join(dir.path, 'ben.rejects.csv'))
  })

  it('a batch wipe with a failing disk: the certified disk on stdout, the failed one on stderr, exit 4; --json data lists both', async () => {
    // SUM-1 and SUM-2 are diagnosed; their disks sit in the two bays, the second refuses writes
    execFileSync('blockdev', ['--setro', bays[1]!.device])
    const r = await alpi(['laptops', 'wipe', '--device', bays[0]!.device, '--device', bays[1]!.device, '--confirm', '2', '--out', 'certs'])
    expect(r.code).toBe(4)
    expect(r.stdout).toMatch(new RegExp(`^SUM-1: ${bays[0]!.device} wiped by overwrite \\(Clear\\)`, 'm'))
    expect(r.stdout).toMatch(/certificate: .*certs/)
    expect(r.stdout).not.toContain('SUM-2')
    expect(r.stderr).toMatch(new RegExp(`PARTIAL_FAILURE\\]: 1 of 2 disk\\(s\\) not wiped: ${bays[1]!.device} SUM-2`))

    const j = await alpi([
      'laptops',
      'wipe',
      '--device',
      bays[1]!.device,
      '--device',
      bays[0]!.device,
      '--confirm',
      '2',
      '--out',
      'certs',
      '--json',
    ])
    expect(j.code).toBe(4)
    const data = j.json().data
    expect(data).toMatchObject({ok: 1, failed: 1})
    expect(data.disks.map((d: {laptop: string; status: string}) => [d.laptop, d.status])).toEqual([
      ['SUM-2', 'failed'],
      ['SUM-1', 'ok'],
    ])
    execFileSync('blockdev', ['--setrw', bays[1]!.device])
  })

  it("a reimage batch where one disk fails mid-write: every device's line on stdout, the failure on stderr, exit 4; --json data lists both", async () => {
    // SUM-4's disk is a loop device over a file in a small tmpfs: wiped while the tmpfs had
    // room, then its blocks given back and the tmpfs filled, so writing the image fails (ENOSPC
    // under the loop device, EIO for the writer) as a dying disk would.
    mkdirSync(small, {recursive: true})
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=12m', 'tmpfs', small])
    const backing = join(small, 'disk.img')
    execFileSync('truncate', ['-s', '8M', backing])
    failing = execFileSync('losetup', ['-f', '--show', backing]).toString().trim()
    env.ALPI_TEST_DEVICE_SERIALS += `,${failing}=DISK-SUM-4`
    const w = await alpi(['laptops', 'wipe', '--device', failing, '--confirm', 'SUM-4', '--out', 'certs'])
    expect(w.code, w.stderr).toBe(0)
    execFileSync('fallocate', ['--punch-hole', '--offset', '0', '--length', String(8 << 20), backing])
    execFileSync('sh', ['-c', `dd if=/dev/zero of=${join(small, 'filler')} bs=64k 2>/dev/null || true`])

    writeFileSync(join(dir.path, 'golden.img'), randomBytes(1 << 20))
    expect((await alpi(['laptops', 'images', 'add', 'mint-test', 'golden.img'])).code).toBe(0)
    const r = await alpi(['laptops', 'reimage', '--image', 'mint-test', '--device', bays[0]!.device, '--device', failing, '--yes'])
    expect(r.code, r.stderr).toBe(4)
    expect(r.stdout).toMatch(new RegExp(`^${bays[0]!.device} SUM-1: ok, 1048576 bytes, read back matches -> ready$`, 'm'))
    expect(r.stdout).toMatch(new RegExp(`^${failing} SUM-4: failed, .*-> wiped$`, 'm'))
    expect(r.stderr).toMatch(new RegExp(`PARTIAL_FAILURE\\]: 1 of 2 device\\(s\\) failed: ${failing}`))
    const j = await alpi(['laptops', 'reimage', '--image', 'mint-test', '--device', failing, '--yes', '--json'])
    expect(j.code).toBe(4)
    expect(j.json()).toMatchObject({
      status: 4,
      code: 'PARTIAL_FAILURE',
      data: {image: 'mint-test', devices: [{device: failing, laptop: 'SUM-4', status: 'failed'}]},
    })
  })

  it('handover --from with a refused row: the summary on stdout, exit 3, the others handed over', async () => {
    for (const args of [['laptops', 'allocate', '--site', 'SMALAH', '--count', '1']]) {
      const r = await alpi(args)
      expect(r.code, r.stderr).toBe(0)
    }
    writeFileSync(join(dir.path, 'remises.csv'), 'serial;beneficiaire\nSUM-1;B-1\nSUM-4;B-2\n')
    const r = await alpi(['laptops', 'handover', '--from', 'remises.csv', '--out', 'recus'])
    expect(r.code).toBe(3)
    expect(r.stdout).toBe('remises.csv: 1 of 2 laptop(s) handed over, 1 row(s) rejected; receipts in recus\n')
    expect(r.stderr).toContain(join(dir.path, 'remises.rejects.csv'))
    expect(rejectLines(join(dir.path, 'remises.rejects.csv')).map((l) => [l[0], l[2]!.split(':')[0]])).toEqual([
      ['3', 'LAPTOP_TRANSITION_REFUSED'],
    ])
    const j = await alpi(['laptops', 'handover', '--from', 'remises.csv', '--out', 'recus', '--json'])
    expect(j.code).toBe(3)
    // SUM-1 is now handed over: both rows are refused, and the data says so
    expect(j.json().data).toMatchObject({rows: 2, rejected: 2, inserted: 0, handovers: []})
  })
})
