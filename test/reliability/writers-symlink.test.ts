import {existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {JOIN_PASSWORD, NEW_PC, ORDER_MEMBER, writersBed, type WritersBed} from './writers-bed.js'

/**
 * Issue 10.6: a symlink planted at an output path must not make alpi write through it (nor
 * chmod its target). Each output path gets a real symlink to a "victim" file (0640, known
 * content) before the command runs through the built binary; afterwards the victim is
 * byte-for-byte and mode-for-mode what it was, and the output is a regular file of its own.
 */
describe('writers and symlinks planted at output paths (real symlinks, the built binary)', {timeout: 300_000}, () => {
  let bed: WritersBed
  beforeAll(async () => {
    bed = await writersBed()
    writeFileSync(
      join(bed.dir, 'sites-bad.csv'),
      'code;nom;commune;convention;signée le;fin;quota\nMDM;Lieu MDM;Mont-de-Marsan;CONV-1;01/01/2026;31/12/2027;10\nX;Lieu X;Dax;CONV-2;01/01/2026;31/12/2027;abc\n',
    )
  })
  afterAll(() => bed?.cleanup())

  /** A victim file and a symlink to it at `rel` (relative to the bed's folder). */
  function plant(rel: string): {victim: string; link: string} {
    const victim = join(bed.dir, 'victims', rel.replace(/\//g, '__'))
    mkdirSync(dirname(victim), {recursive: true})
    writeFileSync(victim, `precious ${rel}\n`, {mode: 0o640})
    const link = join(bed.dir, rel)
    mkdirSync(dirname(link), {recursive: true})
    symlinkSync(victim, link)
    return {victim, link}
  }
  function untouched(p: {victim: string; link: string}, rel: string): void {
    expect(readFileSync(p.victim, 'utf8'), `victim of ${rel}`).toBe(`precious ${rel}\n`)
    expect(statSync(p.victim).mode & 0o777, `mode of the victim of ${rel}`).toBe(0o640)
  }

  const cases: {name: string; args: string[]; outputs: string[]; exit?: number; check?: (rel: string, text: string) => void}[] = [
    {name: 'laptops report --out', args: ['laptops', 'report', '--out', 'rapport-portables.html'], outputs: ['rapport-portables.html']},
    {name: 'firewalls worksheet --output', args: ['firewalls', 'worksheet', '0400001J', '--output', 'fiche.html'], outputs: ['fiche.html']},
    {
      name: 'firewalls compliance --html --output',
      args: ['firewalls', 'compliance', '--html', '--output', 'conformite.html'],
      outputs: ['conformite.html'],
    },
    {
      name: 'firewalls compliance --csv --output',
      args: ['firewalls', 'compliance', '--csv', '--output', 'conformite.csv'],
      outputs: ['conformite.csv'],
    },
    {
      name: 'win7 stage (./staging/SERIAL: the answer file holds the join password)',
      args: ['win7', 'stage', NEW_PC],
      outputs: [`staging/${NEW_PC}/autounattend.xml`, `staging/${NEW_PC}/stage.ps1`, `staging/${NEW_PC}/scanstate.cmd`],
      check: (rel, text) => {
        if (rel.endsWith('autounattend.xml')) expect(text).toContain(JOIN_PASSWORD)
      },
    },
    {
      name: 'win7 schedule --out-dir (ICS and CSV)',
      args: ['win7', 'schedule', '--from', '2026-04-06', '--per-day', '2', '--out-dir', 'planning'],
      outputs: ['planning/planning-installations.ics', 'planning/planning-installations.csv'],
    },
    {
      name: 'win7 order (default ./commande-lafi-MEMBER-DATE.csv)',
      args: ['win7', 'order', '--member', ORDER_MEMBER, '--date', '2026-03-02'],
      outputs: [`commande-lafi-${ORDER_MEMBER}-2026-03-02.csv`],
    },
    {
      name: "an import's rejects file (default path next to the source)",
      args: ['laptops', 'sites', 'import', 'sites-bad.csv'],
      outputs: ['sites-bad.rejects.csv'],
      exit: 3,
    },
  ]

  it.each(cases)('$name: the victim keeps its content and mode; the output is a regular file', async (c) => {
    const planted = c.outputs.map((rel) => ({rel, ...plant(rel)}))
    const r = await bed.alpi(c.args)
    expect(r.code, r.stderr).toBe(c.exit ?? 0)
    for (const p of planted) {
      untouched(p, p.rel)
      expect(lstatSync(p.link).isFile(), `${p.rel} is a regular file`).toBe(true)
      const text = readFileSync(p.link, 'utf8')
      expect(text).not.toContain('precious')
      c.check?.(p.rel, text)
    }
  })

  it('the answer file replaces a planted link with a 0600 file of its own; the victim is not chmodded', async () => {
    const rel = 'pkg2/autounattend.xml'
    const p = plant(rel)
    const r = await bed.alpi(['win7', 'stage', NEW_PC, '--out', 'pkg2'])
    expect(r.code, r.stderr).toBe(0)
    untouched(p, rel)
    expect(statSync(p.link).mode & 0o777).toBe(0o600)
  })

  it('db backup --output onto a planted link is refused (a backup never overwrites) and the victim is untouched', async () => {
    const p = plant('backup.sqlite')
    const r = await bed.alpi(['db', 'backup', '--output', 'backup.sqlite'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/exists already/)
    untouched(p, 'backup.sqlite')
  })

  it('db backup --output onto a dangling link is refused too: nothing is created where it points', async () => {
    const target = join(bed.dir, 'victims', 'created-by-backup.sqlite')
    symlinkSync(target, join(bed.dir, 'dangling.sqlite'))
    const r = await bed.alpi(['db', 'backup', '--output', 'dangling.sqlite'])
    expect(r.code).not.toBe(0)
    expect(existsSync(target)).toBe(false)
  })
})
