import {execFile} from 'node:child_process'
import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {afterAll, describe, expect, it} from 'vitest'
import {createLab, tcpReachable, type Lab} from '../../helpers/netns.js'
import {acceptedLogins, startSshd} from '../../helpers/sshd.js'

const pexec = promisify(execFile)

// Self-test of the test bed other suites stand on: real namespaces, real sshd, OpenSSH client.
describe('test bed: netns lab + sshd', () => {
  const labs: Lab[] = []
  afterAll(async () => {
    for (const l of labs) await l.cleanup()
  })

  it('gives each lab its own /24 and reaches every host from the root namespace', async () => {
    const [a, b] = await Promise.all([createLab({hosts: 2}), createLab({hosts: ['box', 'pc']})])
    labs.push(a!, b!)
    expect(a!.subnet).toMatch(/^198\.1[89]\.\d+\.0\/24$/)
    expect(a!.subnet).not.toBe(b!.subnet)
    expect(b!.hosts.map((h) => h.label)).toEqual(['box', 'pc'])
    const r = await b!.exec('pc', ['ip', '-o', '-4', 'addr', 'show', 'dev', 'eth0'])
    expect(r.stdout).toContain(`${b!.hosts[1]!.ip}/24 brd`)
    const routes = await b!.exec('pc', ['ip', 'route'])
    expect(routes.stdout).toContain('224.0.0.0/4 dev eth0')
    expect(routes.stdout).not.toContain('default')
  })

  it('runs a real sshd the OpenSSH client logs into with the pinned host key', async () => {
    const lab = await createLab({hosts: 1})
    labs.push(lab)
    const sshd = await startSshd(lab, 'h1', {port: 2222})
    expect(sshd.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/)
    const kh = join(lab.dir, 'known_hosts')
    writeFileSync(kh, sshd.knownHostsLine + '\n')
    const {stdout} = await pexec('ssh', [
      '-i',
      sshd.clientKeyPath,
      '-p',
      '2222',
      '-o',
      `UserKnownHostsFile=${kh}`,
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'BatchMode=yes',
      `root@${sshd.ip}`,
      'echo',
      'hello-from-ns',
    ])
    expect(stdout.trim()).toBe('hello-from-ns')
    expect(acceptedLogins(sshd)).toBe(1)
    const {stdout: fp} = await pexec('ssh-keygen', ['-lf', sshd.hostKeyPath + '.pub'])
    expect(fp).toContain(sshd.hostKeyFingerprint)
    sshd.kill()
    await new Promise((r) => setTimeout(r, 200))
    expect(await tcpReachable(sshd.ip, 2222, 500)).toBe(false)
    await sshd.restart({newHostKey: true})
    expect(await tcpReachable(sshd.ip, 2222, 2000)).toBe(true)
  })

  it('without a bridge, gives each host its own veth pair to the root namespace', async () => {
    const lab = await createLab({hosts: 2, bridge: false})
    labs.push(lab)
    expect(lab.bridge).toBeUndefined()
    for (const h of lab.hosts) {
      lab.spawn(h.label, [process.execPath, '-e', `require('net').createServer((s) => s.end('ok')).listen(7002, '${h.ip}')`])
    }
    for (const h of lab.hosts) {
      let up = false
      for (let i = 0; i < 50 && !up; i++) {
        up = await tcpReachable(h.ip, 7002, 500)
        if (!up) await new Promise((r) => setTimeout(r, 100))
      }
      expect(up).toBe(true)
    }
  })

  it('links namespaces the root namespace cannot reach, and cleans everything up', async () => {
    const lab = await createLab({hosts: ['box']})
    labs.push(lab)
    const pupil = await lab.addNamespace('pupil')
    const link = await lab.linkNamespaces('box', 'pupil')
    await lab.addRoute('pupil', 'default', link.a.ip)
    const r = await lab.exec('pupil', ['ip', 'route'])
    expect(r.stdout).toContain(`default via ${link.a.ip}`)
    // the box reaches the pupil over the link; the root namespace does not
    const server = lab.spawn('pupil', [
      process.execPath,
      '-e',
      `require('net').createServer((s) => s.end('pupil-ok')).listen(7001, '${link.b.ip}')`,
    ])
    await new Promise((res) => setTimeout(res, 400))
    const probe = await lab.exec(
      'box',
      [
        process.execPath,
        '-e',
        `require('net').connect(7001, '${link.b.ip}').on('data', (d) => { process.stdout.write(d); process.exit(0) })`,
      ],
      {timeoutMs: 5000},
    )
    expect(probe.stdout).toBe('pupil-ok')
    expect(await tcpReachable(link.b.ip, 7001, 500)).toBe(false)
    expect(server.exitCode).toBeNull()
    const {stdout} = await pexec('ip', ['netns', 'list'])
    expect(stdout).toContain(pupil)
    await lab.cleanup()
    const after = await pexec('ip', ['netns', 'list'])
    expect(after.stdout).not.toContain(`alpi-${lab.id}`)
    const links = await pexec('ip', ['-o', 'link'])
    expect(links.stdout).not.toContain(lab.id)
    expect(existsSync(lab.dir)).toBe(false)
  })
})
