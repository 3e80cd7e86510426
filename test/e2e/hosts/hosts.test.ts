import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runAlpi} from '../../helpers/cli.js'
import {tempDir} from '../../helpers/context.js'
import {createLab, type Lab} from '../../helpers/netns.js'
import {startSshd, type Sshd} from '../../helpers/sshd.js'

// `alpi hosts trust|list|forget` as a process, against a real sshd in a namespace.
describe('alpi hosts (binary)', () => {
  let lab: Lab
  let sshd: Sshd
  let other: Sshd
  const dir = tempDir('alpi-e2e-hosts-')
  const db = join(dir.path, 'alpi.sqlite')
  const alpi = (args: string[]) => runAlpi([...args, '--db', db])

  beforeAll(async () => {
    lab = await createLab({hosts: 2})
    sshd = await startSshd(lab, 'h1')
    other = await startSshd(lab, 'h2', {port: 2222})
  })
  afterAll(async () => {
    await lab?.cleanup()
    dir.cleanup()
  })

  it('Given --no-input and neither --yes nor --fingerprint, exits 2 and pins nothing', async () => {
    const r = await alpi(['hosts', 'trust', sshd.ip, '--no-input', '--json'])
    expect(r.code).toBe(2)
    const e = r.json()
    expect(e).toMatchObject({status: 2, code: 'USAGE'})
    expect(e.actions.join(' ')).toContain('--yes')
    expect(r.stderr).toContain(sshd.hostKeyFingerprint) // the offered key is shown (stderr)
    const list = await alpi(['hosts', 'list', '--json'])
    expect(list.json().result).toEqual([])
  })

  it('Given a wrong --fingerprint, refuses (exit 1, HOST_KEY_MISMATCH) and pins nothing', async () => {
    const r = await alpi(['hosts', 'trust', sshd.ip, '--fingerprint', other.hostKeyFingerprint, '--json'])
    expect(r.code).toBe(1)
    expect(r.json()).toMatchObject({code: 'HOST_KEY_MISMATCH', data: {offeredFingerprint: sshd.hostKeyFingerprint}})
    const bad = await alpi(['hosts', 'trust', sshd.ip, '--fingerprint', 'not-a-fingerprint'])
    expect(bad.code).toBe(2)
    expect(bad.stdout).toBe('')
  })

  it('pins with the right --fingerprint (JSON envelope on stdout only), then reports unchanged', async () => {
    const r = await alpi(['hosts', 'trust', sshd.ip, '--fingerprint', sshd.hostKeyFingerprint, '--json'])
    expect(r.code).toBe(0)
    expect(r.json()).toEqual({
      status: 0,
      result: {host: sshd.ip, port: 22, keyType: 'ssh-ed25519', fingerprint: sshd.hostKeyFingerprint, status: 'pinned'},
      warnings: [],
    })
    const again = await alpi(['hosts', 'trust', sshd.ip, '--fingerprint', sshd.hostKeyFingerprint])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('already pinned')
  })

  it('pins with --yes (human output), and from a .pub file without connecting', async () => {
    const r = await alpi(['hosts', 'trust', other.ip, '--port', '2222', '--yes'])
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe(`Pinned ${other.ip}:2222 ssh-ed25519 ${other.hostKeyFingerprint}`)
    const pub = join(dir.path, 'box.pub')
    writeFileSync(pub, `${other.hostKeyPub} root@box\n`)
    const f = await alpi(['hosts', 'trust', '198.18.0.250', '--public-key-file', pub, '--json'])
    expect(f.code).toBe(0)
    expect(f.json().result).toMatchObject({host: '198.18.0.250', status: 'pinned', fingerprint: other.hostKeyFingerprint})
  })

  it('lists pinned keys (table or JSON) and forgets one (then NOT_FOUND)', async () => {
    const human = await alpi(['hosts', 'list'])
    expect(human.code).toBe(0)
    expect(human.stdout).toMatch(/HOST\s+PORT\s+TYPE\s+FINGERPRINT/)
    expect(human.stdout).toContain(sshd.hostKeyFingerprint)
    const list = await alpi(['hosts', 'list', '--json'])
    expect(
      list
        .json()
        .result.map((k: {host: string; port: number}) => `${k.host}:${k.port}`)
        .sort(),
    ).toEqual([`198.18.0.250:22`, `${other.ip}:2222`, `${sshd.ip}:22`].sort())
    const f = await alpi(['hosts', 'forget', other.ip, '--port', '2222', '--json'])
    expect(f.code).toBe(0)
    expect(f.json().result).toMatchObject({host: other.ip, port: 2222, fingerprint: other.hostKeyFingerprint})
    const again = await alpi(['hosts', 'forget', other.ip, '--port', '2222', '--json'])
    expect(again.code).toBe(1)
    expect(again.json().code).toBe('NOT_FOUND')
    const audit = await alpi(['audit', 'list', '--entity', 'host_key', '--json'])
    expect(audit.json().result.map((a: {action?: string; summary: string}) => a.summary.split(' ')[0])).toEqual(
      expect.arrayContaining(['pinned', 'forgot']),
    )
  })

  it('Given a reinstalled host (new key), --yes alone is refused (exit 2); the checked fingerprint replaces the pin', async () => {
    const old = sshd.hostKeyFingerprint
    await sshd.restart({newHostKey: true})
    const r = await alpi(['hosts', 'trust', sshd.ip, '--yes', '--json'])
    expect(r.code).toBe(2)
    expect(r.json()).toMatchObject({code: 'USAGE', data: {pinnedFingerprint: old, offeredFingerprint: sshd.hostKeyFingerprint}})
    const ok = await alpi(['hosts', 'trust', sshd.ip, '--fingerprint', sshd.hostKeyFingerprint, '--json'])
    expect(ok.code).toBe(0)
    expect(ok.json().result).toMatchObject({status: 'replaced', previousFingerprint: old, fingerprint: sshd.hostKeyFingerprint})
  })

  it('Given nothing listening, exits 1 with REMOTE_UNREACHABLE', async () => {
    const r = await alpi(['hosts', 'trust', sshd.ip, '--port', '2999', '--yes', '--json', '--timeout', '5'])
    expect(r.code).toBe(1)
    expect(r.json().code).toBe('REMOTE_UNREACHABLE')
  })
})
