/**
 * Test bed: a real OpenSSH sshd inside a lab host (see netns.ts). Needs root and openssh-server.
 *
 *   const lab = await createLab({hosts: 2})
 *   const sshd = await startSshd(lab, 'h1')             // port 22, user root
 *   sshd.ip, sshd.port, sshd.user
 *   sshd.hostKeyPub            'ssh-ed25519 AAAA...'  (no comment)
 *   sshd.hostKeyFingerprint    'SHA256:...'           (as `ssh-keygen -lf` shows it)
 *   sshd.knownHostsLine        '198.19.77.2 ssh-ed25519 AAAA...' (or '[ip]:port ...' when port ≠ 22)
 *   sshd.clientKeyPath         ed25519 private key, no passphrase (one per lab, shared by its sshds)
 *   sshd.logPath               sshd's log (LogLevel VERBOSE: one "Accepted publickey" line per login)
 *   sshd.dir                   this sshd's folder (config, keys, pid, log)
 *   await sshd.stop()          SIGTERM the listener and its sessions, wait for exit
 *   sshd.kill()                abrupt: SIGKILL the listener and every session process it started
 *                              (simulates the host dying; the kernel resets the TCP connections).
 *                              For a silent death (no RST) unplug the link: lab.setLinkUp(host, false).
 *   await sshd.restart({newHostKey: true})   same address and port, optionally a new host key
 *                              (for "changed host key" tests); the handle's fields are updated.
 *   acceptedLogins(sshd)       number of successful logins seen in the log (count retries)
 *
 * Commands run as the given user with the machine's filesystem: namespaces share it, so use
 * per-host paths (lab.hostDir(host)) for anything a test writes on a "host". The user's
 * ~/.bashrc is hidden (bind-mounted empty file in sshd's own mount namespace) so that each
 * host behaves like a fresh install and commands do not run the machine's shell set-up.
 */
import {execFileSync, type ChildProcess} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {tcpReachable, type HostRef, type Lab} from './netns.js'

export interface Sshd {
  host: string
  ip: string
  port: number
  user: string
  dir: string
  hostKeyPath: string
  hostKeyPub: string
  hostKeyFingerprint: string
  clientKeyPath: string
  clientKeyPub: string
  knownHostsLine: string
  logPath: string
  pid: number
  stop(): Promise<void>
  kill(): void
  restart(opts?: {newHostKey?: boolean}): Promise<void>
}

/** SHA256 fingerprint of an OpenSSH public key line, as ssh-keygen prints it. */
export function fingerprintOf(pubLine: string): string {
  const blob = Buffer.from(pubLine.trim().split(/\s+/)[1]!, 'base64')
  return 'SHA256:' + createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')
}

function keygen(path: string, type = 'ed25519') {
  rmSync(path, {force: true})
  rmSync(path + '.pub', {force: true})
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', path], {stdio: 'ignore'})
}

function readPub(path: string): string {
  const [type, b64] = readFileSync(path, 'utf8').trim().split(/\s+/)
  return `${type} ${b64}`
}

/** Child pids of a process, recursively (from /proc). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      const list = children.get(ppid) ?? []
      list.push(Number(entry))
      children.set(ppid, list)
    } catch {
      /* exited */
    }
  }
  const out: number[] = []
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c)
      walk(c)
    }
  }
  walk(pid)
  return out
}

function homeOf(user: string): string {
  const line = execFileSync('getent', ['passwd', user], {encoding: 'utf8'}).trim()
  return line.split(':')[5] || '/'
}

/** Successful logins recorded in an sshd log. */
export function acceptedLogins(sshd: Pick<Sshd, 'logPath'>): number {
  if (!existsSync(sshd.logPath)) return 0
  return (readFileSync(sshd.logPath, 'utf8').match(/Accepted publickey for /g) ?? []).length
}

export async function startSshd(
  lab: Lab,
  hostRef: HostRef,
  opts: {port?: number; user?: string; keyType?: 'ed25519' | 'rsa' | 'ecdsa'} = {},
): Promise<Sshd> {
  const host = lab.host(hostRef)
  const port = opts.port ?? 22
  const user = opts.user ?? 'root'
  mkdirSync('/run/sshd', {recursive: true, mode: 0o755})
  const dir = join(lab.hostDir(host), `sshd-${port}`)
  mkdirSync(dir, {recursive: true, mode: 0o700})

  // One client key per lab: a fleet test can use the same key for all its hosts.
  const clientKeyPath = join(lab.dir, 'client_ed25519')
  if (!existsSync(clientKeyPath)) keygen(clientKeyPath)
  const clientKeyPub = readPub(clientKeyPath + '.pub')
  const authorizedKeys = join(dir, 'authorized_keys')
  writeFileSync(authorizedKeys, clientKeyPub + '\n', {mode: 0o600})

  const hostKeyPath = join(dir, `ssh_host_${opts.keyType ?? 'ed25519'}_key`)
  keygen(hostKeyPath, opts.keyType ?? 'ed25519')
  const emptyFile = join(dir, 'empty-bashrc')
  writeFileSync(emptyFile, '')
  const configPath = join(dir, 'sshd_config')
  const logPath = join(dir, 'sshd.log')
  const pidPath = join(dir, 'sshd.pid')
  writeFileSync(
    configPath,
    [
      `ListenAddress ${host.ip}:${port}`,
      `HostKey ${hostKeyPath}`,
      `PidFile ${pidPath}`,
      `AuthorizedKeysFile ${authorizedKeys}`,
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      `AllowUsers ${user}`,
      'Subsystem sftp internal-sftp',
      'LogLevel VERBOSE',
      'MaxStartups 100:30:200',
      'MaxSessions 50',
      'UseDNS no',
      '',
    ].join('\n'),
  )

  let child: ChildProcess
  const handle: Sshd = {
    host: host.name,
    ip: host.ip,
    port,
    user,
    dir,
    hostKeyPath,
    hostKeyPub: '',
    hostKeyFingerprint: '',
    clientKeyPath,
    clientKeyPub,
    knownHostsLine: '',
    logPath,
    pid: 0,
    async stop() {
      const pid = handle.pid
      const all = [...descendants(pid)]
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        try {
          process.kill(pid, 'SIGTERM')
        } catch {
          resolve()
        }
      })
      // The listener's exit does not end open sessions: end them too.
      for (const p of all) {
        try {
          process.kill(p, 'SIGKILL')
        } catch {
          /* gone */
        }
      }
    },
    kill() {
      const pid = handle.pid
      const all = [pid, ...descendants(pid)]
      for (const p of all) {
        try {
          process.kill(p, 'SIGKILL')
        } catch {
          /* gone */
        }
      }
    },
    async restart(o = {}) {
      await handle.stop()
      if (o.newHostKey) keygen(hostKeyPath, opts.keyType ?? 'ed25519')
      await launch()
    },
  }

  const launch = async () => {
    handle.hostKeyPub = readPub(hostKeyPath + '.pub')
    handle.hostKeyFingerprint = fingerprintOf(handle.hostKeyPub)
    handle.knownHostsLine = `${port === 22 ? host.ip : `[${host.ip}]:${port}`} ${handle.hostKeyPub}`
    // -D: stay in the foreground as our child (its pid is the listener); -E: log to a file.
    // `ip netns exec` execs sshd in place, so the child's pid is sshd's.
    // A "fresh host": the machine's own ~/.bashrc (here pyenv set-up, slow and lock-bound)
    // would run for every SSH command (bash reads it for sshd sessions). Hide it behind an
    // empty file in a private mount namespace for this sshd only. `exec` keeps the pid.
    const bashrc = join(homeOf(user), '.bashrc')
    const argv = ['/usr/sbin/sshd', '-D', '-E', logPath, '-f', configPath]
    child = existsSync(bashrc)
      ? lab.spawn(
          host,
          [
            'unshare',
            '--mount',
            '--propagation',
            'private',
            'sh',
            '-c',
            'mount --bind "$1" "$2" && shift 2 && exec "$@"',
            'sh',
            emptyFile,
            bashrc,
            ...argv,
          ],
          {stdio: ['ignore', 'ignore', 'pipe']},
        )
      : lab.spawn(host, argv, {stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr?.on('data', (d) => (stderr += d))
    handle.pid = child.pid!
    const deadline = Date.now() + 15_000
    while (!(await tcpReachable(host.ip, port, 500))) {
      if (child.exitCode !== null)
        throw new Error(`sshd exited (${child.exitCode}): ${stderr} ${existsSync(logPath) ? readFileSync(logPath, 'utf8') : ''}`)
      if (Date.now() > deadline) throw new Error(`sshd on ${host.ip}:${port} did not start: ${stderr}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  await launch()
  return handle
}
