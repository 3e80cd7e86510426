import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {trustHostKey} from '../../../src/remote/host-keys.js'
import {openStore} from '../../../src/store/db.js'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir, testContext} from '../../helpers/context.js'
import {createLab, type Lab} from '../../helpers/netns.js'
import {startSshd, type Sshd} from '../../helpers/sshd.js'
import {stagedFleet} from '../../fixtures/win7/pipeline.js'
import {join} from 'node:path'

/**
 * `alpi win7 stage SERIAL --execute --ssh` as a process, against a real sshd in a network
 * namespace. There is no Windows here: the first real step (powershell.exe) does not exist
 * on this host, so the run must report that step failed, block the others, and exit 4 with
 * the report in the --json envelope. (The success and resume path with POSIX stand-ins is in
 * test/integration/win7/execute-ssh.test.ts.)
 */
describe('alpi win7 stage --execute (the binary, sshd in a netns, no Windows)', () => {
  let lab: Lab
  let sshd: Sshd
  const dir = tempDir('alpi-win7-e2e-exec-')
  const db = join(dir.path, 'alpi.sqlite')
  let serial: string
  beforeAll(async () => {
    lab = await createLab({hosts: ['newpc']})
    sshd = await startSshd(lab, 'newpc')
    const store = await openStore({url: db})
    try {
      const staged = await stagedFleet(
        store,
        dir.path,
        [{entity: 'Mairie de Brocas', commune: 'Brocas', prefix: 'BRO'}],
        ['win7Tower'],
        'XE',
      )
      serial = staged[0]!.new
    } finally {
      await store.close()
    }
  })
  afterAll(async () => {
    await sshd?.stop()
    await lab?.cleanup()
    dir.cleanup()
  })

  it('refuses an unknown host key, then reports the failed step with exit 4 and a --json report', async () => {
    const args = () => [
      'win7',
      'stage',
      serial,
      '--execute',
      '--ssh',
      `${sshd.user}@${sshd.ip}:${sshd.port}`,
      '--identity',
      sshd.clientKeyPath,
      '--db',
      db,
    ]
    let r = await runAlpi([...args(), '--json'], {cwd: dir.path})
    expect(r.code).toBe(1)
    expect(r.json()).toMatchObject({code: 'HOST_KEY_UNKNOWN'})

    const store = await openStore({url: db})
    try {
      await trustHostKey(testContext(store), {host: sshd.ip, port: sshd.port, fingerprint: sshd.hostKeyFingerprint})
    } finally {
      await store.close()
    }
    r = await runAlpi([...args(), '--json'], {cwd: dir.path})
    expect(r.code).toBe(4)
    const env = r.json()
    expect(env).toMatchObject({status: 4, code: 'PARTIAL_FAILURE'})
    const results = env.data.report.results as {target: string; status: string; error?: {code: string}}[]
    expect(env.data).toMatchObject({serial, staged: false})
    expect(results.map((x) => `${x.target}:${x.status}:${x.error?.code}`)).toEqual([
      'check-os:failed:WIN7_STEP_FAILED',
      ...results.slice(1).map((x) => `${x.target}:failed:WIN7_STEP_BLOCKED`),
    ])
    expect(r.stderr).toMatch(/check-os/)

    // human view: the failure on stderr, exit 4 again (the failed step is retried, not skipped)
    r = await runAlpi(args(), {cwd: dir.path})
    expect(r.code).toBe(4)
    expect(r.stderr).toMatch(/PARTIAL_FAILURE/)
    // ... after the same summary as a clean run on stdout: each step, and the PC not staged
    expect(r.stdout).toMatch(/^failed {2}check-os$/m)
    expect(r.stdout).toMatch(new RegExp(`${serial}: not staged \\(a step failed\\)`))
  }, 180_000)
})
