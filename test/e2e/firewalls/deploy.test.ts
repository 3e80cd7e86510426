/**
 * `alpi firewalls deploy` as a process against a real namespace box (sshd + dnsmasq + nft):
 * host key trusted with `alpi hosts trust`-equivalent service, register imported by the
 * binary, deploy --json envelope on success, exit 4 envelope with per-school results when
 * the box is down, then a re-run that succeeds.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {trustHostKey} from '../../../src/remote/host-keys.js'
import {openStore} from '../../../src/store/db.js'
import {CSV_HEADER, csvLine, validUai} from '../../fixtures/firewalls/schools.js'
import {writeUt1} from '../../fixtures/firewalls/ut1.js'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir, testContext} from '../../helpers/context.js'
import {createSchoolBed, type SchoolBed} from '../../helpers/schoolbox.js'

describe('alpi firewalls deploy (process, real box)', () => {
  let bed: SchoolBed
  let dir: ReturnType<typeof tempDir>
  let db: string
  const uai = validUai(31)
  beforeAll(async () => {
    bed = await createSchoolBed({boxes: 1, rollbackSeconds: 20})
    dir = tempDir('alpi-fw-e2e-deploy-')
    db = join(dir.path, 'alpi.sqlite')
    const box = bed.boxes[0]!
    const file = join(dir.path, 'ecoles.csv')
    writeFileSync(
      file,
      [
        CSV_HEADER,
        csvLine(31, {
          lan: box.lanCidr.replace(/\.0\/24$/, ''),
          mgmtHost: box.sshd.ip,
          overrides: JSON.stringify(box.overrides({blockDomains: ['casino.test']})),
        }),
      ].join('\n') + '\n',
    )
    const imp = await runAlpi(['firewalls', 'schools', 'import', file, '--db', db])
    expect(imp.code, imp.stderr).toBe(0)
    const store = await openStore({url: db})
    await trustHostKey(testContext(store), {host: box.sshd.ip, port: box.sshd.port, publicKey: box.sshd.hostKeyPub})
    await store.close()
  })
  afterAll(async () => {
    await bed?.cleanup()
    dir?.cleanup()
  })

  it('box down → exit 4 with the per-school result; box back → the re-run deploys it', async () => {
    const box = bed.boxes[0]!
    await box.sshd.stop()
    const args = [
      'firewalls',
      'deploy',
      '--school',
      uai,
      '--yes',
      '--retries',
      '0',
      '--identity',
      box.sshd.clientKeyPath,
      '--db',
      db,
      '--json',
    ]
    const down = await runAlpi(args)
    expect(down.code, down.stderr).toBe(4)
    expect(down.json()).toMatchObject({
      status: 4,
      code: 'PARTIAL_FAILURE',
      data: {total: 1, ok: 0, failed: 1, results: [{uai, status: 'failed', error: {code: 'REMOTE_UNREACHABLE'}}]},
    })
    await box.sshd.restart()
    const up = await runAlpi(args)
    expect(up.code, up.stderr).toBe(0)
    expect(up.json()).toMatchObject({status: 0, result: {ok: 1, failed: 0, results: [{uai, status: 'ok', outcome: 'confirmed'}]}})
    expect(await bed.digFromPupil(box, 'casino.test', box.lanGateway)).toEqual({status: 'NOERROR', answers: ['0.0.0.0']})
    const plan = (await runAlpi(['firewalls', 'plan', '--school', uai, '--db', db, '--json'])).json()
    expect(plan.result.schools[0].status).toBe('unchanged')
  })

  it('lists update --push with the box down: the lists and the push counts on stdout, the failure on stderr, exit 4', async () => {
    const box = bed.boxes[0]!
    const ut1 = writeUt1(join(dir.path, 'ut1'))
    await box.sshd.stop()
    try {
      const r = await runAlpi([
        'firewalls',
        'lists',
        'update',
        '--from',
        ut1,
        '--push',
        '--yes',
        '--identity',
        box.sshd.clientKeyPath,
        '--db',
        db,
      ])
      expect(r.code, r.stderr).toBe(4)
      expect(r.stdout).toMatch(/^\S+ \(new\): \d+ categories read, \d+ domains; 0 kept from -$/m)
      expect(r.stdout).toMatch(/^pushed: 0 ok, 0 already done, 1 failed$/m)
      expect(r.stderr).toMatch(new RegExp(`PARTIAL_FAILURE\\]: 1 of 1 school failed: ${uai}`))
    } finally {
      await box.sshd.restart()
    }
  }, 120_000)
})
