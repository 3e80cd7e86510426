import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../helpers/cli.js'
import {tempDir} from '../helpers/context.js'
import {snapshotFolder} from '../helpers/output-folder.js'

// Issue 10 item 2 (multi-file outputs): a real 1 MiB tmpfs fills up while cityfamily migrate,
// anonymize and sample write. Each output folder is all or nothing: the previous output stays
// byte for byte, a new target is not created, no short file and no temporary is left.
const tmp = tempDir('alpi-cf-full-')
const MNT = join(tmp.path, 'small-disk')
const db = join(tmp.path, 'alpi.sqlite')
const run = (args: string[]) => runAlpi([...args, '--db', db], {env: {ALPI_NOW: '2026-01-15T10:00:00Z'}})
const SMALL = join(tmp.path, 'small')
const BIG = join(tmp.path, 'big')
let mounted = false

beforeAll(async () => {
  mkdirSync(MNT)
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', MNT])
  mounted = true
  expect((await run(['cityfamily', 'sample', '--families', '30', '--seed', '1', '--out', SMALL, '--clean'])).code).toBe(0)
  // About 3 MB of output: three times the disk.
  expect((await run(['cityfamily', 'sample', '--families', '1500', '--seed', '2', '--out', BIG, '--clean'])).code).toBe(0)
})
afterAll(() => {
  if (mounted) execFileSync('umount', [MNT])
  tmp.cleanup()
})

/** Nothing on the small disk but the expected folders: no staged folder, no temporary left. */
function expectOnly(names: string[]) {
  expect(readdirSync(MNT).sort()).toEqual(names.sort())
}

describe('cityfamily outputs on a full disk (real tmpfs)', () => {
  it('Given a previous migrate output, When a run fills the disk, Then exit 1 (ENOSPC) saying the folder is unchanged, and it is byte for byte', async () => {
    const out = join(MNT, 'cf')
    expect((await run(['cityfamily', 'migrate', SMALL, '--out', out])).code).toBe(0)
    const before = snapshotFolder(out)
    expect(Object.keys(before!)).toContain('cf_foyers.csv')

    const r = await run(['cityfamily', 'migrate', BIG, '--out', out])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`Error [ENOSPC]: nothing was written to ${out} (ENOSPC); what it held before is unchanged`)
    expect(snapshotFolder(out)).toEqual(before)
    expectOnly(['cf'])

    const j = await run(['cityfamily', 'migrate', BIG, '--out', out, '--include-health', '--json'])
    expect(j.code).toBe(1)
    expect(j.json()).toMatchObject({status: 1, code: 'ENOSPC'})
    expect(snapshotFolder(out)).toEqual(before)
    expectOnly(['cf'])
  })

  it('Given no previous output, When the disk fills, Then the target folder is not created at all', async () => {
    const out = join(MNT, 'new-cf')
    const r = await run(['cityfamily', 'migrate', BIG, '--out', out])
    expect(r.code).toBe(1)
    expect(existsSync(out)).toBe(false)
    expectOnly(['cf'])
  })

  it('anonymize and sample: the same, a folder of many files is written whole or not at all', async () => {
    const anon = join(MNT, 'anon')
    expect((await run(['cityfamily', 'anonymize', SMALL, '--out', anon, '--secret', 's'])).code).toBe(0)
    const before = snapshotFolder(anon)
    const a = await run(['cityfamily', 'anonymize', BIG, '--out', anon, '--secret', 's'])
    expect(a.code).toBe(1)
    expect(a.stderr).toContain('ENOSPC')
    expect(snapshotFolder(anon)).toEqual(before)

    const s = await run(['cityfamily', 'sample', '--families', '1500', '--out', join(MNT, 'sample')])
    expect(s.code).toBe(1)
    expect(s.stderr).toContain('ENOSPC')
    expectOnly(['cf', 'anon'])
  })
})
