/**
 * A fleet deploy where one school fails for its own reason keeps that school's own action:
 * two real namespace boxes, one host key pinned, the other not. The failed school says
 * `alpi hosts trust IP --port P` (in the table, in --json, in the envelope's actions), not
 * only "re-run"; once trusted with the binary, the re-run deploys it and skips the other.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {trustHostKey} from '../../../src/remote/host-keys.js'
import {openStore} from '../../../src/store/db.js'
import {CSV_HEADER, csvLine, validUai} from '../../fixtures/firewalls/schools.js'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir, testContext} from '../../helpers/context.js'
import {createSchoolBed, type SchoolBed} from '../../helpers/schoolbox.js'

describe('alpi firewalls deploy: per-school actions in a fleet run (process, real boxes)', () => {
  let bed: SchoolBed
  let dir: ReturnType<typeof tempDir>
  let db: string
  const trusted = validUai(41)
  const unknown = validUai(42)
  beforeAll(async () => {
    bed = await createSchoolBed({boxes: 2, full: 0, rollbackSeconds: 20})
    dir = tempDir('alpi-fw-e2e-fleet-errors-')
    db = join(dir.path, 'alpi.sqlite')
    const file = join(dir.path, 'ecoles.csv')
    const lines = bed.boxes.map((box, i) =>
      csvLine(41 + i, {lan: box.lanCidr.replace(/\.0\/24$/, ''), mgmtHost: box.sshd.ip, overrides: JSON.stringify(box.overrides())}),
    )
    writeFileSync(file, [CSV_HEADER, ...lines].join('\n') + '\n')
    const imp = await runAlpi(['firewalls', 'schools', 'import', file, '--db', db])
    expect(imp.code, imp.stderr).toBe(0)
    const store = await openStore({url: db})
    const box = bed.boxes[0]!
    await trustHostKey(testContext(store), {host: box.sshd.ip, port: box.sshd.port, publicKey: box.sshd.hostKeyPub})
    await store.close()
  }, 120_000)
  afterAll(async () => {
    await bed?.cleanup()
    dir?.cleanup()
  })

  it('HOST_KEY_UNKNOWN keeps `alpi hosts trust ...` as its action; trusting it then re-running deploys only that school', async () => {
    const other = bed.boxes[1]!
    const args = ['firewalls', 'deploy', '--all', '--yes', '--retries', '0', '--identity', bed.boxes[0]!.sshd.clientKeyPath, '--db', db]
    const first = await runAlpi([...args, '--json'])
    expect(first.code, first.stderr).toBe(4)
    const j = first.json()
    const trustCmd = `alpi hosts trust ${other.sshd.ip} --port ${other.sshd.port}`
    expect(j.data.results).toEqual([
      expect.objectContaining({uai: trusted, status: 'ok'}),
      expect.objectContaining({
        uai: unknown,
        status: 'failed',
        error: expect.objectContaining({code: 'HOST_KEY_UNKNOWN', actions: expect.arrayContaining([trustCmd])}),
      }),
    ])
    // The envelope's first action is the failed school's own; "re-run" comes last, as the step after the fix.
    expect(j.actions[0]).toBe(`${unknown}: ${trustCmd}`)
    expect(j.actions.at(-1)).toMatch(/re-run the same command/i)

    // The human table says it on the school's line (stdout), the summary on stderr.
    const human = await runAlpi(args)
    expect(human.code).toBe(4)
    const line = human.stdout.split('\n').find((l) => l.startsWith(unknown))
    expect(line).toContain('HOST_KEY_UNKNOWN')
    expect(line).toContain(trustCmd)

    // The action, run as written (with the key file instead of a fingerprint), then the same command again.
    const pub = join(dir.path, 'box2.pub')
    writeFileSync(pub, other.sshd.hostKeyPub + '\n')
    const trust = await runAlpi(['hosts', 'trust', other.sshd.ip, '--port', String(other.sshd.port), '--public-key-file', pub, '--db', db])
    expect(trust.code, trust.stderr).toBe(0)
    const again = await runAlpi([...args, '--json'])
    expect(again.code, again.stderr).toBe(0)
    expect(again.json().result).toMatchObject({ok: 1, skipped: 1, failed: 0})
  }, 180_000)
})
