import {execFileSync, spawn} from 'node:child_process'
import {existsSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {type AlpiError, Cancelled, HostKeyError, RemoteHostError} from '../../../src/core/errors.js'
import {trustHostKey} from '../../../src/remote/host-keys.js'
import {connectSsh, type SshSession} from '../../../src/remote/ssh.js'
import type {Store} from '../../../src/store/db.js'
import {sqliteStore, testContext} from '../../helpers/context.js'
import {createLab, type Lab} from '../../helpers/netns.js'
import {acceptedLogins, startSshd, type Sshd} from '../../helpers/sshd.js'

async function caught(p: Promise<unknown>): Promise<AlpiError> {
  try {
    await p
  } catch (error) {
    return error as AlpiError
  }
  throw new Error('expected a rejection')
}

// Real OpenSSH servers in network namespaces; a real SQLite store for pinned keys.
describe('connectSsh against real sshd in namespaces', () => {
  let lab: Lab
  let store: Store
  let storeCleanup: () => Promise<void>
  let a: Sshd // h1:22, pinned in host_keys
  let b: Sshd // h2:2222, for known_hosts and changed-key cases
  const sessions: SshSession[] = []
  const ctx = () => testContext(store)
  const open = async (
    s: Sshd,
    extra: Partial<Parameters<typeof connectSsh>[0]> = {},
    env: Partial<Parameters<typeof connectSsh>[1]> = {},
  ) => {
    const session = await connectSsh(
      {host: s.ip, port: s.port, username: 'root', privateKeyPath: s.clientKeyPath, connectTimeoutMs: 10_000, ...extra},
      {store, ...env},
    )
    sessions.push(session)
    return session
  }

  beforeAll(async () => {
    lab = await createLab({hosts: 2})
    const st = await sqliteStore()
    store = st.store
    storeCleanup = st.cleanup
    a = await startSshd(lab, 'h1')
    b = await startSshd(lab, 'h2', {port: 2222})
    await trustHostKey(ctx(), {host: a.ip, port: 22, fingerprint: a.hostKeyFingerprint})
  })
  afterAll(async () => {
    for (const s of sessions) await s.close().catch(() => undefined)
    await lab?.cleanup()
    await storeCleanup?.()
  })

  it('Given a pinned key, runs a command and returns its output and exit code', async () => {
    const s = await open(a)
    expect(s.hostKey.fingerprint).toBe(a.hostKeyFingerprint)
    const r = await s.exec(['sh', '-c', 'echo out; echo err >&2; exit 0'])
    expect(r).toMatchObject({code: 0, stdout: 'out\n', stderr: 'err\n'})
    const fail = await s.exec(['sh', '-c', 'exit 7'], {allowFailure: true})
    expect(fail.code).toBe(7)
    const err = await caught(s.exec(['false']))
    expect(err).toBeInstanceOf(RemoteHostError)
    expect(err.code).toBe('REMOTE_COMMAND_FAILED')
    const piped = await s.exec(['cat'], {stdin: 'from stdin\n'})
    expect(piped.stdout).toBe('from stdin\n')
  })

  it('Given an unknown key, refuses before authenticating and says how to trust it', async () => {
    const before = acceptedLogins(b)
    const err = await caught(open(b))
    expect(err).toBeInstanceOf(HostKeyError)
    expect(err.code).toBe('HOST_KEY_UNKNOWN')
    expect(err.actions[0]).toBe(`alpi hosts trust ${b.ip} --port 2222`)
    expect(err.data).toMatchObject({offeredFingerprint: b.hostKeyFingerprint, host: b.ip, port: 2222})
    expect(acceptedLogins(b)).toBe(before)
  })

  it('accepts a hashed known_hosts entry and a [host]:port entry; refuses a mismatching and a @revoked one', async () => {
    const plain = join(lab.dir, 'kh-plain')
    writeFileSync(plain, `# comment\n${b.knownHostsLine} some-comment\n`)
    expect(b.knownHostsLine.startsWith(`[${b.ip}]:2222 `)).toBe(true)
    await open(b, {}, {knownHostsFiles: [join(lab.dir, 'missing'), plain]})

    const hashed = join(lab.dir, 'kh-hashed')
    writeFileSync(hashed, `${b.knownHostsLine}\n`)
    execFileSync('ssh-keygen', ['-H', '-f', hashed], {stdio: 'ignore'})
    const text = execFileSync('cat', [hashed]).toString()
    expect(text).toMatch(/^\|1\|/)
    expect(text).not.toContain(b.ip)
    const s = await open(b, {}, {knownHostsFiles: [hashed]})
    expect((await s.exec(['echo', 'hashed-ok'])).stdout).toBe('hashed-ok\n')

    const other = join(lab.dir, 'kh-other')
    writeFileSync(other, `[${b.ip}]:2222 ${a.hostKeyPub}\n`)
    const changed = await caught(open(b, {}, {knownHostsFiles: [other]}))
    expect(changed.code).toBe('HOST_KEY_CHANGED')

    const revoked = join(lab.dir, 'kh-revoked')
    writeFileSync(revoked, `@revoked * ${b.hostKeyPub}\n${b.knownHostsLine}\n`)
    const rev = await caught(open(b, {}, {knownHostsFiles: [revoked]}))
    expect(rev.code).toBe('HOST_KEY_CHANGED')
    expect(rev.message).toContain('revoked')
  })

  it('Given a pinned key and a reinstalled host (new host key), always refuses with HOST_KEY_CHANGED', async () => {
    await trustHostKey(ctx(), {host: b.ip, port: 2222, publicKey: b.hostKeyPub})
    await open(b)
    const oldFp = b.hostKeyFingerprint
    await b.restart({newHostKey: true})
    expect(b.hostKeyFingerprint).not.toBe(oldFp)
    const err = await caught(open(b))
    expect(err).toBeInstanceOf(HostKeyError)
    expect(err.code).toBe('HOST_KEY_CHANGED')
    expect(err.message).toMatch(/man-in-the-middle/)
    expect(err.message).toContain(b.hostKeyFingerprint)
    expect(err.actions.join('\n')).toContain(`alpi hosts trust ${b.ip} --port 2222 --fingerprint ${b.hostKeyFingerprint}`)
    // even a known_hosts file that has the new key does not override the pinned one
    const kh = join(lab.dir, 'kh-new')
    writeFileSync(kh, `${b.knownHostsLine}\n`)
    expect((await caught(open(b, {}, {knownHostsFiles: [kh]}))).code).toBe('HOST_KEY_CHANGED')
    // --yes alone never replaces a pinned key; a checked fingerprint does
    const yes = await caught(trustHostKey(testContext(store, {yes: true}), {host: b.ip, port: 2222}))
    expect(yes.code).toBe('USAGE')
    expect(yes.actions[0]).toContain(`--fingerprint ${b.hostKeyFingerprint}`)
    // re-pin after checking: works again
    expect((await trustHostKey(ctx(), {host: b.ip, port: 2222, fingerprint: b.hostKeyFingerprint})).status).toBe('replaced')
    await open(b)
  })

  it('passes shell metacharacters through literally and runs none of them', async () => {
    const s = await open(a)
    const marker = join(lab.hostDir('h1'), 'pwned')
    const nasty = [
      `a'; touch ${marker} #`,
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      '*',
      '$HOME',
      'x && touch ' + marker,
      'multi\nline',
      '',
      ' spaced  out ',
      '"dq"',
      "it's",
      '\\back',
      '|',
      ';',
      '>out',
      '~',
      '-n',
    ]
    const r = await s.exec(['printf', '[%s]\\n', ...nasty])
    expect(r.stdout).toBe(nasty.map((x) => `[${x}]\n`).join(''))
    expect(existsSync(marker)).toBe(false)
    expect(existsSync(join(lab.hostDir('h1'), '>out'))).toBe(false)
  })

  it('Given a host dying mid-command, fails with REMOTE_DISCONNECTED instead of hanging', async () => {
    const lab2 = await createLab({hosts: 1})
    try {
      const d = await startSshd(lab2, 'h1')
      await trustHostKey(ctx(), {host: d.ip, port: 22, fingerprint: d.hostKeyFingerprint})
      const s = await open(d)
      const running = s.exec(['sleep', '30'])
      await new Promise((r) => setTimeout(r, 500))
      d.kill()
      const err = await caught(running)
      expect(err).toBeInstanceOf(RemoteHostError)
      expect(err.code).toBe('REMOTE_DISCONNECTED')
      const again = await caught(s.exec(['true']))
      expect(again.code).toBe('REMOTE_DISCONNECTED')
    } finally {
      await lab2.cleanup()
    }
  })

  it('Given a host that silently drops off the network, keepalive ends the wait with REMOTE_DISCONNECTED', async () => {
    const lab3 = await createLab({hosts: 1})
    try {
      const d = await startSshd(lab3, 'h1')
      await trustHostKey(ctx(), {host: d.ip, port: 22, fingerprint: d.hostKeyFingerprint})
      const s = await open(d, {keepaliveIntervalMs: 300, keepaliveCountMax: 2})
      const running = s.exec(['sleep', '30'])
      await new Promise((r) => setTimeout(r, 300))
      await lab3.setLinkUp('h1', false)
      const err = await caught(running)
      expect(err.code).toBe('REMOTE_DISCONNECTED')
    } finally {
      await lab3.cleanup()
    }
  })

  it('Given a command timeout, kills the command with REMOTE_TIMEOUT and keeps the session usable', async () => {
    const s = await open(a)
    const err = await caught(s.exec(['sleep', '30'], {timeoutMs: 300}))
    expect(err).toBeInstanceOf(RemoteHostError)
    expect(err.code).toBe('REMOTE_TIMEOUT')
    expect((await s.exec(['echo', 'still-here'])).stdout).toBe('still-here\n')
  })

  it('Given an AbortSignal, aborting closes the connection and fails the pending command as Cancelled', async () => {
    const ac = new AbortController()
    const s = await open(a, {}, {signal: ac.signal})
    const running = s.exec(['sleep', '30'])
    setTimeout(() => ac.abort(), 200)
    expect(await caught(running)).toBeInstanceOf(Cancelled)
  })

  it('uploads over SFTP through a temporary name and an atomic rename, with a mode; downloads back', async () => {
    const s = await open(a)
    const dir = lab.hostDir('h1')
    const target = join(dir, 'conf', 'box.conf')
    await s.exec(['mkdir', '-p', join(dir, 'conf')])
    await s.upload(Buffer.from('version=1\n'), target, {mode: 0o640})
    await s.upload(Buffer.from('version=2\n'), target, {mode: 0o600})
    expect((await s.download(target)).toString()).toBe('version=2\n')
    const stat = await s.exec(['stat', '-c', '%a', target])
    expect(stat.stdout.trim()).toBe('600')
    const local = join(lab.dir, 'local.bin')
    const big = Buffer.alloc(3 * 1024 * 1024, 7)
    writeFileSync(local, big)
    await s.upload(local, join(dir, 'conf', 'big.bin'))
    expect((await s.download(join(dir, 'conf', 'big.bin'))).equals(big)).toBe(true)
    expect(readdirSync(join(dir, 'conf')).sort()).toEqual(['big.bin', 'box.conf'])
    const missing = await caught(s.upload(Buffer.from('x'), join(dir, 'no-such-dir', 'f')))
    expect(missing.code).toBe('REMOTE_SFTP')
  })

  it('Given a password file the server refuses, fails with REMOTE_AUTH and never shows the password', async () => {
    const pw = join(lab.dir, 'password')
    writeFileSync(pw, 'S3cret-Pa55word!\n', {mode: 0o600})
    const err = await caught(connectSsh({host: a.ip, port: 22, username: 'root', passwordFile: pw}, {store}))
    expect(err.code).toBe('REMOTE_AUTH')
    expect(JSON.stringify({m: err.message, a: err.actions, d: err.data, s: err.stack})).not.toContain('S3cret')
  })

  it('authenticates through a real ssh-agent (socket path or SSH_AUTH_SOCK), with no key file given', async () => {
    const sock = join(lab.dir, 'agent.sock')
    const agent = spawn('ssh-agent', ['-D', '-a', sock], {stdio: 'ignore'})
    try {
      for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50))
      execFileSync('ssh-add', ['-q', a.clientKeyPath], {env: {...process.env, SSH_AUTH_SOCK: sock}, stdio: 'ignore'})
      const s = await open(a, {privateKeyPath: undefined, agent: sock})
      expect((await s.exec(['echo', 'via-agent'])).stdout).toBe('via-agent\n')
      const saved = process.env.SSH_AUTH_SOCK
      process.env.SSH_AUTH_SOCK = sock
      try {
        const s2 = await open(a, {privateKeyPath: undefined, agent: true})
        expect((await s2.exec(['true'])).code).toBe(0)
      } finally {
        if (saved === undefined) delete process.env.SSH_AUTH_SOCK
        else process.env.SSH_AUTH_SOCK = saved
      }
      const none = await caught(connectSsh({host: a.ip, username: 'root'}, {store}))
      expect(none.code).toBe('USAGE')
    } finally {
      agent.kill()
    }
  })

  it('Given nothing listening, fails with REMOTE_UNREACHABLE', async () => {
    const err = await caught(
      connectSsh({host: a.ip, port: 2999, username: 'root', privateKeyPath: a.clientKeyPath, connectTimeoutMs: 3000}, {store}),
    )
    expect(err).toBeInstanceOf(RemoteHostError)
    expect(err.code).toBe('REMOTE_UNREACHABLE')
  })
})
