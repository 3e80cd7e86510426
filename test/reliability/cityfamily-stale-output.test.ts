import {chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import iconv from 'iconv-lite'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../helpers/cli.js'
import {tempDir} from '../helpers/context.js'
import {snapshotFolder} from '../helpers/output-folder.js'

// Issue 10 items 4 and 5: an output folder holds exactly what the last run produced (no stale
// health file, no old rejects file), a folder holding a user's files is refused rather than
// emptied, and what a killed run left (temporaries, staged folders) is removed by the next run.
const tmp = tempDir('alpi-cf-stale-')
const db = join(tmp.path, 'alpi.sqlite')
const run = (args: string[]) => runAlpi([...args, '--db', db], {env: {ALPI_NOW: '2026-01-15T10:00:00Z'}})
const SRC = join(tmp.path, 'abelium')
const CLEAN = join(tmp.path, 'clean')

/** Files a migrate run says it produced: its files, its reports, its rejects file if any. */
function producedBy(out: string): string[] {
  const r = JSON.parse(readFileSync(join(out, 'rapport.json'), 'utf8')) as {files: {file: string}[]; rejectsFile: string | null}
  return [...r.files.map((f) => f.file), 'rapport.html', 'rapport.json', ...(r.rejectsFile ? ['rejets.tsv'] : [])].sort()
}

beforeAll(async () => {
  expect((await run(['cityfamily', 'sample', '--families', '40', '--seed', '3', '--out', SRC])).code).toBe(0)
  expect((await run(['cityfamily', 'sample', '--families', '40', '--seed', '3', '--out', CLEAN, '--clean'])).code).toBe(0)
})
afterAll(() => tmp.cleanup())

describe('cityfamily output folders hold exactly the last run', () => {
  it('Given migrate --include-health then migrate without it into the same folder, Then no cf_sante.csv (health data) is left', async () => {
    const out = join(tmp.path, 'cf-health')
    expect((await run(['cityfamily', 'migrate', CLEAN, '--out', out, '--include-health'])).code).toBe(0)
    expect(existsSync(join(out, 'cf_sante.csv'))).toBe(true)
    expect((await run(['cityfamily', 'migrate', CLEAN, '--out', out])).code).toBe(0)
    expect(existsSync(join(out, 'cf_sante.csv'))).toBe(false)
    expect(readdirSync(out).sort()).toEqual(producedBy(out))
  })

  it('Given a run with rejects then a clean run into the same folder, Then no old rejets.tsv is left', async () => {
    const out = join(tmp.path, 'cf-rejects')
    expect((await run(['cityfamily', 'migrate', SRC, '--out', out])).code).toBe(3)
    expect(existsSync(join(out, 'rejets.tsv'))).toBe(true)
    expect((await run(['cityfamily', 'migrate', CLEAN, '--out', out])).code).toBe(0)
    expect(existsSync(join(out, 'rejets.tsv'))).toBe(false)
    expect(readdirSync(out).sort()).toEqual(producedBy(out))
  })

  it('Given validate found problems, When the export is fixed and validated again, Then its old rejects file and the temporary of a killed run are removed (a user file at that path is kept)', async () => {
    const dir = join(tmp.path, 'export-fixed')
    cpSync(CLEAN, dir, {recursive: true})
    const file = join(dir, 'QUOTIENTS.csv')
    const good = readFileSync(file)
    const lines = iconv.decode(good, 'win1252').split('\r\n')
    lines[1] = lines[1]!.replace(/\d{2}\/\d{2}\/\d{4}/, '31/02/2025')
    writeFileSync(file, iconv.encode(lines.join('\r\n'), 'win1252'))
    expect((await run(['cityfamily', 'validate', dir])).code).toBe(3)
    expect(existsSync(`${dir}.rejects.tsv`)).toBe(true)
    writeFileSync(file, good)
    // A validate killed while writing its rejects file left its temporary (personal data) beside it.
    const killed = join(tmp.path, '.export-fixed.rejects.tsv.4194304.0badc0de.tmp')
    writeFileSync(killed, 'QUOTIENTS.csv\t2\tDate début\t31/02/2025\n', {mode: 0o600})
    expect((await run(['cityfamily', 'validate', dir])).code).toBe(0)
    expect(existsSync(`${dir}.rejects.tsv`)).toBe(false)
    expect(existsSync(killed)).toBe(false)
    // A file of the user's at the --rejects path is not ours to remove.
    const mine = join(tmp.path, 'my-notes.tsv')
    writeFileSync(mine, 'my own notes\n')
    expect((await run(['cityfamily', 'validate', dir, '--rejects', mine])).code).toBe(0)
    expect(readFileSync(mine, 'utf8')).toBe('my own notes\n')
  })

  it('Given a folder holding files alpi did not write, When migrate, anonymize or sample targets it, Then exit 2 naming them, and nothing in it changes', async () => {
    const out = join(tmp.path, 'users-folder')
    mkdirSync(out)
    writeFileSync(join(out, 'notes.txt'), 'important')
    writeFileSync(join(out, 'cf_foyers.csv'), 'an older file of the same name')
    mkdirSync(join(out, 'photos'))
    const before = snapshotFolder(out)
    for (const args of [
      ['cityfamily', 'migrate', CLEAN, '--out', out],
      ['cityfamily', 'anonymize', CLEAN, '--out', out],
      ['cityfamily', 'sample', '--out', out],
    ]) {
      const r = await run(args)
      expect(r.code, args[1]).toBe(2)
      // cf_foyers.csv is a name migrate writes (replaced with the folder); anonymize and sample do not write it.
      const foreign =
        args[1] === 'migrate'
          ? '2 items that this command did not write (notes.txt, photos)'
          : '3 items that this command did not write (cf_foyers.csv, notes.txt, photos)'
      expect(r.stderr).toContain(`${out} holds ${foreign}`)
      expect(r.stderr).toMatch(/Give a new or empty folder for --out/)
      expect(snapshotFolder(out)).toEqual(before)
    }
    const j = await run(['cityfamily', 'migrate', CLEAN, '--out', out, '--json', '--lang', 'fr'])
    expect(j.json()).toMatchObject({status: 2, code: 'USAGE'})
    expect(j.json().message).toContain("que cette commande n'a pas écrits (notes.txt, photos)")
    expect(readdirSync(tmp.path).filter((n) => n.includes('alpi-new'))).toEqual([])

    // The export itself, through a symlink: anonymize would otherwise replace it by its copy.
    const src = join(tmp.path, 'export-copy')
    cpSync(CLEAN, src, {recursive: true})
    symlinkSync(src, join(tmp.path, 'export-link'))
    const exportBefore = snapshotFolder(src)
    for (const cmd of ['anonymize', 'migrate']) {
      const s = await run(['cityfamily', cmd, src, '--out', join(tmp.path, 'export-link')])
      expect(s.code, cmd).toBe(2)
      expect(s.stderr).toContain('--out must differ from the export folder')
    }
    expect(snapshotFolder(src)).toEqual(exportBefore)

    // A file where the folder should be: refused, kept.
    const file = join(tmp.path, 'a-file')
    writeFileSync(file, 'keep me')
    const f = await run(['cityfamily', 'migrate', CLEAN, '--out', file])
    expect(f.code).toBe(2)
    expect(f.stderr).toContain(`${file} exists and is not a folder`)
    expect(readFileSync(file, 'utf8')).toBe('keep me')
  })

  it('Given an empty folder made by the user (0750) or a symlink to a folder, Then the output goes there, the mode and the link are kept', async () => {
    const out = join(tmp.path, 'made-by-user')
    mkdirSync(out)
    chmodSync(out, 0o750)
    expect((await run(['cityfamily', 'migrate', CLEAN, '--out', out])).code).toBe(0)
    expect(statSync(out).mode & 0o777).toBe(0o750)
    expect(readdirSync(out).sort()).toEqual(producedBy(out))

    const real = join(tmp.path, 'real-target')
    const link = join(tmp.path, 'link-to-target')
    mkdirSync(real)
    symlinkSync(real, link)
    expect((await run(['cityfamily', 'migrate', CLEAN, '--out', link])).code).toBe(0)
    expect((await run(['cityfamily', 'migrate', CLEAN, '--out', link, '--include-health'])).code).toBe(0)
    expect(statSync(link).isDirectory()).toBe(true)
    expect(existsSync(join(real, 'cf_sante.csv'))).toBe(true)
    expect(readdirSync(real).sort()).toEqual(producedBy(real))
  })

  it('Given what killed runs left (a writer temporary in the folder, a staged folder, the previous output set aside), Then the next run restores or removes it', async () => {
    const out = join(tmp.path, 'cf-left')
    expect((await run(['cityfamily', 'migrate', CLEAN, '--out', out])).code).toBe(0)
    const complete = snapshotFolder(out)
    // An older alpi wrote temporaries beside the final files; killed, it left one (personal data).
    writeFileSync(join(out, '.cf_individus.csv.4242.0badc0de.tmp'), 'I0000001;Dupont;Léa;2015-03-02\r\n', {mode: 0o600})
    // A killed run's staged folder (its process is gone: pid 2^22 is above Linux's pid_max default).
    const dead = join(tmp.path, '.cf-left.alpi-new-4194304-0badc0de')
    mkdirSync(dead, {mode: 0o700})
    writeFileSync(join(dead, 'cf_individus.csv'), 'personal')
    // A running process's staged folder (this test's): not ours to touch.
    const live = join(tmp.path, `.cf-left.alpi-new-${process.pid}-0badc0de`)
    mkdirSync(live, {mode: 0o700})
    expect((await run(['cityfamily', 'migrate', CLEAN, '--out', out])).code).toBe(0)
    expect(snapshotFolder(out)).toEqual(complete)
    expect(existsSync(dead)).toBe(false)
    expect(existsSync(live)).toBe(true)

    // Killed between the two renames of the swap: the output is absent, the previous one set aside.
    const aside = join(tmp.path, '.cf-left.alpi-old-4194304-0badc0de')
    cpSync(out, aside, {recursive: true})
    rmSync(out, {recursive: true})
    const r = await run(['cityfamily', 'migrate', CLEAN, '--out', out, '--verbose'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/restored the previous output from \.cf-left\.alpi-old-4194304-0badc0de/)
    expect(existsSync(aside)).toBe(false)
    expect(snapshotFolder(out)).toEqual(complete)
    rmSync(live, {recursive: true})
  })
})
