import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {PartialFailure} from '../../../src/core/errors.js'
import {runFleet, throwIfFailed} from '../../../src/remote/fleet.js'
import {trustHostKey} from '../../../src/remote/host-keys.js'
import {connectSsh} from '../../../src/remote/ssh.js'
import type {Store} from '../../../src/store/db.js'
import {sqliteStore, testContext} from '../../helpers/context.js'
import {createLab, type Lab} from '../../helpers/netns.js'
import {acceptedLogins, startSshd, type Sshd} from '../../helpers/sshd.js'

// A fleet of 10 real sshd hosts in namespaces, one of them down.
describe('runFleet over 10 namespaces with real sshd', () => {
  let lab: Lab
  let store: Store
  let cleanupStore: () => Promise<void>
  const sshds: Sshd[] = []
  beforeAll(async () => {
    lab = await createLab({hosts: 10})
    const s = await sqliteStore()
    store = s.store
    cleanupStore = s.cleanup
    for (const h of lab.hosts) {
      const d = await startSshd(lab, h.label)
      sshds.push(d)
      await trustHostKey(testContext(store), {host: d.ip, publicKey: d.hostKeyPub})
    }
  })
  afterAll(async () => {
    await lab?.cleanup()
    await cleanupStore?.()
  })

  it('Given h7 down, reports 9 ok / 1 failed (exit 4); a re-run with h7 back only touches h7', async () => {
    const down = sshds[6]!
    await down.stop()
    const targets = sshds.map((d, i) => ({
      id: lab.hosts[i]!.label,
      ip: d.ip,
      key: d.clientKeyPath,
      marker: join(lab.hostDir(lab.hosts[i]!.label), 'pushed'),
    }))
    const tries = new Map<string, number>()
    const task = async (t: (typeof targets)[number], {signal, log}: {signal: AbortSignal; log: (s: string) => void}) => {
      tries.set(t.id, (tries.get(t.id) ?? 0) + 1)
      const s = await connectSsh({host: t.ip, username: 'root', privateKeyPath: t.key, connectTimeoutMs: 5000}, {store, signal})
      try {
        log('writing marker')
        await s.exec(['sh', '-c', 'echo pushed >> "$1"; hostname -I', 'sh', t.marker])
        return {marker: t.marker}
      } finally {
        await s.close()
      }
    }
    const ctx = testContext(store)
    const job = 'firewalls push test-config-v1'
    const report = await runFleet(ctx, {job, targets, concurrency: 4, retries: 1, backoffMs: 50, task})
    expect(report).toMatchObject({total: 10, ok: 9, failed: 1, skipped: 0})
    const failed = report.results.find((r) => r.status === 'failed')!
    expect(failed).toMatchObject({target: 'h7', attempts: 2, error: {code: 'REMOTE_UNREACHABLE'}})
    expect(tries.get('h7')).toBe(2)
    const err = (() => {
      try {
        throwIfFailed(report)
      } catch (e) {
        return e as PartialFailure
      }
    })()
    expect(err).toBeInstanceOf(PartialFailure)
    expect(err!.exitCode).toBe(4)
    for (const [i, t] of targets.entries()) {
      expect(existsSync(t.marker)).toBe(i !== 6)
      expect(acceptedLogins(sshds[i]!)).toBe(i === 6 ? 0 : 1)
    }

    await down.restart()
    tries.clear()
    const again = await runFleet(ctx, {job, targets, concurrency: 4, retries: 1, backoffMs: 50, task})
    expect(again).toMatchObject({total: 10, ok: 1, failed: 0, skipped: 9})
    expect([...tries.keys()]).toEqual(['h7'])
    for (const [i, t] of targets.entries()) {
      expect(readFileSync(t.marker, 'utf8')).toBe('pushed\n')
      expect(acceptedLogins(sshds[i]!)).toBe(1)
    }
  })
})
