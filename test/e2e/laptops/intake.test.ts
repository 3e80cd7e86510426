import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'

// Given generated CSV files (no real people), when the commands run as processes, then exit
// codes, stdout (results) vs stderr (messages) and the --json envelope are as documented.
describe('laptops intake, sites, beneficiaries, status (binary)', {timeout: 300_000}, () => {
  const dir = tempDir('alpi-e2e-laptops-intake-')
  const db = join(dir.path, 'alpi.sqlite')
  const env = {ALPI_NOW: '2026-11-28T09:00:00Z', ALPI_TECHNICIAN: 'tech-e2e'}
  afterAll(() => dir.cleanup())

  it('imports laptops, rejects placeholder serials with row numbers, and a re-run changes nothing', async () => {
    const csv = [
      'Numéro de série;Fabricant;Modèle;Lot;Remarques',
      'PF1AAA01;Lenovo;ThinkPad L380;L1;',
      'Default string;Lenovo;ThinkPad L380;L1;carte mère changée',
      'To be filled by O.E.M.;Acer;TravelMate;L1;',
      'System Serial Number;Acer;TravelMate;L1;',
      '0123456789;Acer;TravelMate;L1;',
      ';Dell;Latitude 3190;L1;',
      'PF1AAA02;Lenovo;ThinkPad L380;L1;=HYPERLINK("http://x")',
      'PF1AAA01;Lenovo;ThinkPad L380;L1;doublon',
    ].join('\r\n')
    const file = join(dir.path, 'lot1.csv')
    writeFileSync(file, iconv.encode(csv, 'windows-1252'))
    const r = await runAlpi(['laptops', 'import', file, '--db', db, '--json'], {env})
    expect(r.code).toBe(3)
    const j = r.json()
    expect(j.code).toBe('INPUT_REJECTED')
    expect(j.data).toMatchObject({rows: 8, inserted: 2, rejected: 6, encoding: 'windows-1252'})
    expect(j.data.rejects.map((x: {row: number}) => x.row)).toEqual([3, 4, 5, 6, 7, 9])
    const rejects = readFileSync(j.data.rejectsFile, 'utf8')
    expect(rejects).toContain('Default string')
    expect(rejects).toMatch(/placeholder/)
    // formula in a note: stored as text, neutralised when written back
    const again = await runAlpi(['laptops', 'import', file, '--db', db], {env})
    expect(again.code).toBe(3)
    // the same summary as a clean run on stdout, then the error and the rejects path on stderr
    expect(again.stdout).toBe(`${file}: 8 rows read, 0 new laptops, 0 updated, 2 unchanged, 6 rejected\n`)
    expect(again.stderr).toMatch(/6 row\(s\) rejected out of 8; see .*lot1\.rejects\.csv/)
    const fixed = join(dir.path, 'lot1-ok.csv')
    writeFileSync(
      fixed,
      'serial,maker,model,lot\nPF1AAA01,Lenovo,ThinkPad L380,L1\nPF1AAA02,Lenovo,ThinkPad L380,L1\nPF1AAA03,Dell,Latitude 3190,L2\n',
    )
    const ok = await runAlpi(['laptops', 'import', fixed, '--db', db], {env})
    expect(ok.code).toBe(0)
    // a file without a notes column does not erase the notes already recorded
    expect(ok.stdout).toMatch(/3 rows read, 1 new laptop, 0 updated, 2 unchanged, 0 rejected/)
    const shown = await runAlpi(['laptops', 'show', 'PF1AAA02', '--db', db, '--json'], {env})
    expect(JSON.stringify(shown.json().result)).toContain('=HYPERLINK')
  })

  it('imports sites and beneficiaries; an unknown site is rejected; status --json counts', async () => {
    const sites = join(dir.path, 'sites.csv')
    writeFileSync(
      sites,
      "Code;Nom;Commune;Convention;Date signature;Date fin;Quota;Contact\nSMALAH;La Smalah;Saint-Julien-en-Born;CONV-2026-01;15/01/2026;31/12/2027;20;accueil\nCCLA;CC des Landes d'Armagnac;Roquefort;CONV-2026-02;01/02/2026;31/01/2026;20;\nCCLA2;CC des Landes d'Armagnac;Roquefort;CONV-2026-03;01/02/2026;31/12/2027;abc;\n",
    )
    const s = await runAlpi(['laptops', 'sites', 'import', sites, '--db', db, '--json'], {env})
    expect(s.code).toBe(3)
    expect(s.json().data.rejects).toEqual([
      {row: 3, field: 'Date fin', message: expect.stringMatching(/ends before/)},
      {row: 4, field: 'Quota', message: expect.stringMatching(/whole number/)},
    ])
    const list = await runAlpi(['laptops', 'sites', 'list', '--db', db], {env})
    expect(list.code).toBe(0)
    expect(list.stdout).toMatch(/SMALAH\s+La Smalah\s+CONV-2026-01\s+2027-12-31\s+yes\s+20\s+0\s+20/)
    const ben = join(dir.path, 'ben.csv')
    writeFileSync(
      ben,
      'Référence;Nom;Commune;Parcours;Début parcours;Site\nSMA-001;Personne Un;Mimizan;PARC-1;01/10/2026;SMALAH\nSMA-002;Personne Deux;Mimizan;;;NOWHERE\n',
    )
    const b = await runAlpi(['laptops', 'beneficiaries', 'import', ben, '--db', db, '--json'], {env})
    expect(b.code).toBe(3)
    expect(b.json().data).toMatchObject({inserted: 1, rejected: 1})
    const st = await runAlpi(['laptops', 'status', '--db', db, '--json'], {env})
    expect(st.code).toBe(0)
    const res = st.json()
    expect(res.status).toBe(0)
    expect(res.result.total).toBe(3)
    expect(res.result.byState.received).toBe(3)
    expect(res.result.bySite[0]).toMatchObject({site: 'SMALAH', quota: 20, remaining: 20})
    const human = await runAlpi(['laptops', 'status', '--db', db], {env})
    expect(human.stdout).toMatch(/Laptops: 3/)
    expect(human.stderr).toBe('')
  })

  it('refuses an allocation with nothing ready and a return of a laptop never given, with exit 1 and what to do', async () => {
    const a = await runAlpi(['laptops', 'allocate', '--site', 'SMALAH', '--count', '2', '--db', db], {env})
    expect(a.code).toBe(1)
    expect(a.stdout).toBe('')
    expect(a.stderr).toMatch(/NOT_ENOUGH_READY/)
    const r = await runAlpi(['laptops', 'return', 'PF1AAA01', '--db', db, '--json'], {env})
    expect(r.code).toBe(1)
    expect(r.json()).toMatchObject({code: 'LAPTOP_TRANSITION_REFUSED'})
    const u = await runAlpi(['laptops', 'allocate', '--site', 'SMALAH', '--db', db], {env})
    // how many to allocate, or which ones, is missing: a usage error (exit 2) naming the choices
    expect(u.code).toBe(2)
    expect(u.stdout).toBe('')
    expect(u.stderr).toMatch(/Give exactly one of: --count, --from, --serial/)
    const p = await runAlpi(['laptops', 'beneficiaries', 'purge', '--older-than', '3y', '--db', db], {env})
    expect(p.code).toBe(2)
    expect(p.stderr).toMatch(/--yes/)
    const p2 = await runAlpi(['laptops', 'beneficiaries', 'purge', '--older-than', '3y', '--yes', '--db', db], {env})
    expect(p2.code).toBe(0)
    expect(existsSync(db)).toBe(true)
  })
})
