import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {validUai} from '../../fixtures/firewalls/schools.js'
import {runAlpi} from '../../helpers/cli.js'
import {REPO_ROOT, tempDir} from '../../helpers/context.js'

/**
 * A read-only command (`static readOnly = true` on its class) never creates the store: a
 * mistyped --db is an error, not an empty store reporting "0 laptops". Every command of the
 * manifest is classified below, so a new command fails this test until someone decides which
 * kind it is; every read-only one is run as a process against a missing SQLite file.
 */

/** Read-only commands, with plausible arguments (each must fail on the store, not on them). */
const READ_ONLY: Record<string, (dir: string) => string[]> = {
  'audit:anchor': (dir) => ['--out', join(dir, 'anchor.json')],
  'audit:list': () => ['--entity', 'laptop'],
  'audit:verify': () => [],
  'db:backup': (dir) => ['--output', join(dir, 'backup.sqlite')],
  'db:status': () => [],
  'firewalls:compliance': (dir) => ['--html', '--output', join(dir, 'conformite.html')],
  'firewalls:plan': () => [],
  'firewalls:schools:list': () => [],
  'firewalls:schools:show': () => [validUai(1)],
  'firewalls:worksheet': (dir) => [validUai(1), '--output', join(dir, 'fiche.html')],
  'hosts:list': () => [],
  'laptops:beneficiaries:list': () => [],
  'laptops:images:list': () => [],
  'laptops:label': (dir) => ['PF1AAA01', '--out', join(dir, 'etiquette.pdf')],
  'laptops:list': () => ['--state', 'ready'],
  'laptops:lots:list': () => [],
  'laptops:lots:report': (dir) => ['LOT-1', '--out', join(dir, 'bilan.pdf')],
  'laptops:images:verify': () => ['golden'],
  'laptops:multicast:send': () => ['--image', 'golden', '--interface', 'lo', '--min-receivers', '1', '--max-wait', '1'],
  'laptops:report': (dir) => ['--out', join(dir, 'rapport.html')],
  'laptops:show': () => ['PF1AAA01'],
  'laptops:sites:list': () => [],
  'laptops:status': () => [],
  'win7:status': () => [],
}

/** Commands that record something: they create the store on first use. */
const WRITES = [
  'cityfamily:migrate', // records the run (cityfamily_runs)
  'db:migrate',
  'firewalls:deploy',
  'firewalls:lists:update',
  'firewalls:schools:import',
  'firewalls:verify', // records the verifications
  'hosts:forget',
  'hosts:trust',
  'laptops:allocate',
  'laptops:bench', // records its jobs (laptop_bench_jobs)
  'laptops:beneficiaries:import',
  'laptops:beneficiaries:purge',
  'laptops:certify',
  'laptops:correct:cancel-handover',
  'laptops:correct:found',
  'laptops:correct:lost',
  'laptops:correct:regrade',
  'laptops:correct:rewipe',
  'laptops:correct:unallocate',
  'laptops:grade',
  'laptops:handover',
  'laptops:images:add',
  'laptops:import',
  'laptops:lots:add',
  'laptops:multicast:receive',
  'laptops:probe',
  'laptops:reimage',
  'laptops:return',
  'laptops:sites:import',
  'laptops:weee', // records the hand-off
  'laptops:wipe',
  'win7:assess', // stores the verdicts
  'win7:catalog:import',
  'win7:installed',
  'win7:inventory:import',
  'win7:member:set',
  'win7:order',
  'win7:receive',
  'win7:retire',
  'win7:schedule',
  'win7:stage',
]

/**
 * Commands that never open the store, or (doctor) only look at one that exists and report a
 * missing one as "not created yet" (test/e2e/spine/doctor.test.ts).
 */
const NO_STORE = [
  'doctor',
  'cityfamily:anonymize',
  'cityfamily:inspect',
  'cityfamily:reconcile',
  'cityfamily:sample',
  'cityfamily:validate',
  'config:get',
  'config:path',
  'config:set',
]

interface Manifest {
  commands: Record<string, {readOnly?: boolean}>
}

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'oclif.manifest.json'), 'utf8')) as Manifest

describe('read-only commands and a missing store (binary)', () => {
  const dirs: {cleanup: () => void}[] = []
  afterAll(() => {
    for (const d of dirs) d.cleanup()
  })

  it('every command is classified once, and exactly the read-only ones say so (static readOnly)', () => {
    const all = Object.keys(manifest.commands).sort()
    const classified = [...Object.keys(READ_ONLY), ...WRITES, ...NO_STORE]
    expect(new Set(classified).size).toBe(classified.length)
    expect(all).toEqual([...classified].sort())
    const marked = all.filter((id) => manifest.commands[id]!.readOnly === true)
    expect(marked).toEqual(Object.keys(READ_ONLY).sort())
  })

  it.each(Object.keys(READ_ONLY))('%s: missing --db → exit 1 STORE_NOT_FOUND saying to check --db, and no file', async (id) => {
    const dir = tempDir('alpi-e2e-readonly-')
    dirs.push(dir)
    const missing = join(dir.path, 'typo', 'alpi-typo.sqlite')
    const args = [...id.split(':'), ...READ_ONLY[id]!(dir.path), '--db', missing]

    const json = await runAlpi([...args, '--json'], {cwd: dir.path})
    expect(json.code, json.stdout + json.stderr).toBe(1)
    const e = json.json()
    expect(e).toMatchObject({status: 1, name: 'StoreError', code: 'STORE_NOT_FOUND'})
    expect(e.message).toContain(missing)
    expect(e.actions.join(' ')).toContain('--db')
    expect(json.stderr).toBe('')

    const human = await runAlpi(args, {cwd: dir.path})
    expect(human.code).toBe(1)
    expect(human.stdout).toBe('')
    expect(human.stderr).toContain(`Error [STORE_NOT_FOUND]: No store at ${missing}`)
    expect(human.stderr).toMatch(/→ .*--db/)

    // Nothing at all was written: no store, no -wal/-shm, no folder, no report or backup.
    expect(existsSync(missing)).toBe(false)
    expect(readdirSync(dir.path)).toEqual([])
  })

  it('the store named by ALPI_DB is not created by a read-only command either', async () => {
    const dir = tempDir('alpi-e2e-readonly-env-')
    dirs.push(dir)
    const missing = join(dir.path, 'alpi-typo.sqlite')
    const r = await runAlpi(['laptops', 'status', '--json'], {cwd: dir.path, env: {ALPI_DB: missing}})
    expect(r.code).toBe(1)
    expect(r.json()).toMatchObject({code: 'STORE_NOT_FOUND'})
    expect(readdirSync(dir.path)).toEqual([])
  })

  it('a command that records something still creates the store on first use; read-only ones then read it', async () => {
    const dir = tempDir('alpi-e2e-readonly-create-')
    dirs.push(dir)
    const csv = join(dir.path, 'lot.csv')
    writeFileSync(csv, 'serial,maker,model,lot\nPF1ZZZ01,Lenovo,ThinkPad L380,L1\n')
    const db = join(dir.path, 'new', 'alpi.sqlite')
    // a dry run changes nothing, not even by creating the store: it checks against an empty one
    const dry = await runAlpi(['laptops', 'import', csv, '--db', db, '--dry-run', '--json'], {cwd: dir.path})
    expect(dry.code, dry.stdout + dry.stderr).toBe(0)
    expect(dry.json()).toMatchObject({result: {rows: 1, rejected: 0, dryRun: true}, warnings: [expect.stringContaining(db)]})
    expect(existsSync(join(dir.path, 'new'))).toBe(false)
    const imp = await runAlpi(['laptops', 'import', csv, '--db', db, '--json'], {cwd: dir.path})
    expect(imp.code, imp.stdout + imp.stderr).toBe(0)
    expect(imp.json().result).toMatchObject({inserted: 1})
    expect(existsSync(db)).toBe(true)
    const st = await runAlpi(['laptops', 'status', '--db', db, '--json'], {cwd: dir.path})
    expect(st.code).toBe(0)
    expect(st.json().result.total).toBe(1)
    const show = await runAlpi(['laptops', 'show', 'PF1ZZZ01', '--db', db, '--json'], {cwd: dir.path})
    expect(show.code).toBe(0)
    expect(show.json().result.laptop.serial).toBe('PF1ZZZ01')
  })
})
