import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../helpers/cli.js'
import {freshPgDatabase} from '../helpers/pg.js'
import {mountTmpfs, type SmallTmpfs} from '../helpers/tmpfs.js'
import {filesUnder, NEW_PC, ORDER_MEMBER, wipeBench, writersBed, type WritersBed} from './writers-bed.js'

/**
 * Issue 10.2: every writer writes all its bytes or fails, and never leaves a short file under
 * its final name. A real 2 MiB tmpfs is filled to the last page; each command writes its
 * output there through the built binary: exit 1 with a clear error (ENOSPC), nothing
 * under the final name, no temporary left, and nothing recorded in the store that points to a
 * missing file. Then the disk is freed and the same command succeeds (so the failure was the
 * disk, not the command line).
 */
describe('writers on a full disk (a real tmpfs, the built binary)', {timeout: 300_000}, () => {
  let bed: WritersBed
  let disk: SmallTmpfs
  beforeAll(async () => {
    bed = await writersBed()
    disk = mountTmpfs(2 << 20)
    writeFileSync(
      join(bed.dir, 'sites-bad.csv'),
      'code;nom;commune;convention;signée le;fin;quota\nMDM;Lieu MDM;Mont-de-Marsan;CONV-1;01/01/2026;31/12/2027;10\n../../etc;Lieu X;Dax;CONV-2;01/01/2026;31/12/2027;abc\n',
    )
    writeFileSync(join(bed.dir, 'handover.csv'), `serial;beneficiary\n${bed.allocated[1]};B2\n${bed.allocated[2]};B3\n`)
  })
  afterAll(() => {
    disk?.cleanup()
    bed?.cleanup()
  })

  /** Files left under `dir` (the case's output folder) or at the disk's root. */
  const leftovers = (dir: string) => [
    ...(existsSync(dir) ? filesUnder(dir) : []),
    ...filesUnder(disk.path).filter((f) => !f.includes('/') && f.startsWith('.') && f !== '.filler'),
  ]

  const cases: {name: string; args: (out: string) => string[]; outputs: (out: string) => string[]; code?: string}[] = [
    {
      name: 'laptops report --out',
      args: (o) => ['laptops', 'report', '--out', join(o, 'rapport-portables.html')],
      outputs: (o) => [join(o, 'rapport-portables.html')],
    },
    {
      name: 'firewalls worksheet --output',
      args: (o) => ['firewalls', 'worksheet', bed.uai, '--output', join(o, 'fiche.html')],
      outputs: (o) => [join(o, 'fiche.html')],
    },
    {
      name: 'firewalls compliance --html --output',
      args: (o) => ['firewalls', 'compliance', '--html', '--output', join(o, 'conformite.html')],
      outputs: (o) => [join(o, 'conformite.html')],
    },
    {
      name: 'firewalls compliance --csv --output',
      args: (o) => ['firewalls', 'compliance', '--csv', '--output', join(o, 'conformite.csv')],
      outputs: (o) => [join(o, 'conformite.csv')],
    },
    {
      name: 'win7 stage --out (answer file with the join password)',
      args: (o) => ['win7', 'stage', NEW_PC, '--out', join(o, 'pkg')],
      outputs: (o) => ['autounattend.xml', 'stage.ps1', 'scanstate.cmd'].map((f) => join(o, 'pkg', f)),
    },
    {
      name: 'win7 schedule --out-dir (ICS and CSV)',
      args: (o) => ['win7', 'schedule', '--from', '2026-04-06', '--per-day', '2', '--out-dir', o],
      outputs: (o) => [join(o, 'planning-installations.ics'), join(o, 'planning-installations.csv')],
    },
    {
      name: 'win7 order --out (CSV for LAFI)',
      args: (o) => ['win7', 'order', '--member', ORDER_MEMBER, '--date', '2026-03-02', '--out', join(o, 'commande.csv')],
      outputs: (o) => [join(o, 'commande.csv')],
    },
    {
      name: "an import's rejects file (laptops sites import --rejects)",
      args: (o) => ['laptops', 'sites', 'import', 'sites-bad.csv', '--rejects', join(o, 'sites.rejects.csv')],
      outputs: (o) => [join(o, 'sites.rejects.csv')],
      code: 'REJECTS_NOT_WRITABLE',
    },
    {
      name: 'laptops handover (the receipt PDF)',
      args: (o) => ['laptops', 'handover', bed.allocated[0]!, '--beneficiary', 'B1', '--out', join(o, 'receipts')],
      outputs: () => [],
    },
    {
      name: 'laptops handover --from (a day of receipts)',
      args: (o) => ['laptops', 'handover', '--from', 'handover.csv', '--out', join(o, 'receipts-day')],
      outputs: () => [],
    },
    // a backup never creates folders: it goes to the disk's root
    {
      name: 'db backup --output',
      args: () => ['db', 'backup', '--output', join(disk.path, 'backup.sqlite')],
      outputs: () => [join(disk.path, 'backup.sqlite')],
      code: 'STORE_FULL',
    },
  ]

  it.each(cases)('$name: exit 1 with ENOSPC, no file, no temporary; with room, the same command succeeds', async (c) => {
    // the output folder exists (worksheet, compliance and backup never create one)
    const out = join(disk.path, c.name.replace(/[^a-z0-9]+/gi, '-'))
    mkdirSync(out)
    disk.fill()
    try {
      const r = await bed.alpi([...c.args(out), '--json'])
      expect(r.code, r.stdout + r.stderr).toBe(1)
      const e = r.json()
      expect(e.code).toBe(c.code ?? 'ENOSPC')
      expect(e.message).toMatch(/no space left|disk is full|ENOSPC/i)
      for (const f of c.outputs(out)) expect(existsSync(f), f).toBe(false)
      expect(leftovers(out), 'files left on the full disk').toEqual([])
    } finally {
      disk.unfill()
    }
    const again = await bed.alpi(c.args(out))
    // the rejects case ends in exit 3 (rows rejected) once its file can be written
    expect(again.code, again.stderr).toBe(c.name.includes('rejects') ? 3 : 0)
    for (const f of c.outputs(out)) expect(existsSync(f), f).toBe(true)
    expect(leftovers(out).filter((f) => /\.tmp$|\.partial-/.test(f))).toEqual([])
  })

  it('db backup, human output: the error says the disk is full and what to do', async () => {
    disk.fill()
    try {
      const r = await bed.alpi(['db', 'backup', '--output', join(disk.path, 'b2.sqlite')])
      expect(r.code).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/full|no space/i)
      expect(existsSync(join(disk.path, 'b2.sqlite'))).toBe(false)
    } finally {
      disk.unfill()
    }
  })

  it('db backup of a PostgreSQL store (pg_dump) on a full disk: exit 1, no copy, no partial file; with room it succeeds', async () => {
    const pg = await freshPgDatabase()
    try {
      expect((await runAlpi(['db', 'migrate', '--db', pg.url])).code).toBe(0)
      const output = join(disk.path, 'pg.dump')
      disk.fill()
      try {
        const r = await runAlpi(['db', 'backup', '--db', pg.url, '--output', output, '--json'])
        expect(r.code, r.stderr).toBe(1)
        expect(r.stdout + r.stderr).toMatch(/No space left|ENOSPC|could not write/i)
        expect(existsSync(output)).toBe(false)
        expect(leftovers(join(disk.path, 'none'))).toEqual([])
      } finally {
        disk.unfill()
      }
      const again = await runAlpi(['db', 'backup', '--db', pg.url, '--output', output])
      expect(again.code, again.stderr).toBe(0)
      expect(existsSync(output)).toBe(true)
    } finally {
      await pg.drop()
    }
  })

  it('handover on a full disk records nothing: the laptop is still allocated, no handover row', async () => {
    disk.fill()
    try {
      const r = await bed.alpi(['laptops', 'handover', bed.allocated[3]!, '--beneficiary', 'B4', '--out', join(disk.path, 'r3'), '--json'])
      expect(r.code).toBe(1)
      expect(r.json().code).toBe('ENOSPC')
    } finally {
      disk.unfill()
    }
    const show = await bed.alpi(['laptops', 'show', bed.allocated[3]!, '--json'])
    expect(show.json().result.laptop.state).toBe('allocated')
  })

  it('laptops wipe --out: the disk is wiped but no certificate can be written: exit 1, no certificate file, the laptop is not "wiped"', async () => {
    const bench = await wipeBench(bed, 'FULL-0')
    try {
      disk.fill()
      try {
        const r = await bed.alpi(
          ['laptops', 'wipe', '--device', bench.device, '--confirm', 'FULL-0', '--out', join(disk.path, 'certs'), '--json'],
          bench.env,
        )
        expect(r.code, r.stderr).toBe(1)
        expect(JSON.stringify(r.json())).toMatch(/ENOSPC/)
        expect(leftovers(join(disk.path, 'certs'))).toEqual([])
      } finally {
        disk.unfill()
      }
      const show = await bed.alpi(['laptops', 'show', 'FULL-0', '--json'])
      expect(show.json().result.laptop.state).toBe('diagnosed')
    } finally {
      await bench.cleanup()
    }
  })
})
