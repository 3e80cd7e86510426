import {randomBytes} from 'node:crypto'
import {readFile} from 'node:fs/promises'
import type {Client, ClientChannel, ConnectConfig, SFTPWrapper} from 'ssh2'
import {AlpiError, Cancelled, HostKeyError, RemoteHostError, UsageError} from '../core/errors.js'
import {shellQuote} from '../core/templates.js'
import type {Store} from '../store/db.js'
import {checkKnownHosts, fingerprint, keyTypeOf, knownKeyTypes, loadKnownHosts} from './known-hosts.js'
import {t} from './messages/index.js'

/**
 * The one SSH client (ssh2). Host keys are pinned: first the host_keys table (SHA256
 * fingerprints recorded by `alpi hosts trust`), then the known_hosts files given. An
 * unknown key is refused (HOST_KEY_UNKNOWN), a changed or revoked one always
 * (HOST_KEY_CHANGED). Commands are built from argument arrays, each argument quoted.
 * A lost connection, a dead host or a timeout is a RemoteHostError, never a hang.
 * Secrets (password, key contents) never go into errors or logs.
 *
 * RemoteHostError codes: REMOTE_UNREACHABLE (connect failed or timed out),
 * REMOTE_AUTH (authentication refused), REMOTE_DISCONNECTED (connection lost mid-way),
 * REMOTE_TIMEOUT (a command ran longer than its timeout), REMOTE_COMMAND_FAILED
 * (non-zero exit without allowFailure), REMOTE_SFTP (a file transfer failed).
 */

export interface SshTarget {
  host: string
  port?: number
  username: string
  /** Private key file (OpenSSH or PEM format, no passphrase). */
  privateKeyPath?: string
  /** Use the SSH agent: true for $SSH_AUTH_SOCK, or a socket path. */
  agent?: boolean | string
  /** Password in a file (first line). Never a flag: it would land in shell history. */
  passwordFile?: string
  /** TCP connect + handshake + auth (default 20 s). */
  connectTimeoutMs?: number
  /** SSH keepalive (default 10 s, 3 unanswered → disconnected). */
  keepaliveIntervalMs?: number
  keepaliveCountMax?: number
}

export interface SshEnv {
  store: Store
  /** known_hosts files consulted after the host_keys table (default: none). */
  knownHostsFiles?: readonly string[]
  /** Aborting closes the connection; pending commands fail with Cancelled. */
  signal?: AbortSignal
  /** Debug lines (never secrets). */
  log?: (line: string) => void
}

export interface ExecOptions {
  /** Kill the remote command and fail with REMOTE_TIMEOUT after this long. */
  timeoutMs?: number
  stdin?: string | Buffer
  /** Return non-zero exits instead of throwing REMOTE_COMMAND_FAILED. */
  allowFailure?: boolean
}

export interface ExecResult {
  code: number
  signal?: string
  stdout: string
  stderr: string
}

export interface SshSession {
  readonly host: string
  readonly port: number
  readonly hostKey: {keyType: string; fingerprint: string}
  /** Run a program with arguments: each argument is shell-quoted, nothing is interpreted. */
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>
  /** Run a shell script you built yourself from quoted parts (shellQuote). */
  execShell(script: string, opts?: ExecOptions): Promise<ExecResult>
  /** SFTP upload to `<path>.alpi-tmp-<random>`, optional chmod, then an atomic rename. */
  upload(source: string | Buffer, remotePath: string, opts?: {mode?: number}): Promise<void>
  download(remotePath: string): Promise<Buffer>
  close(): Promise<void>
}

export interface OfferedHostKey {
  keyType: string
  fingerprint: string
  /** OpenSSH public key line "type base64". */
  publicKey: string
}

/** Build the remote command line from arguments: each one quoted for a POSIX shell. */
export function buildCommand(argv: readonly string[]): string {
  if (argv.length === 0) throw new UsageError(t.m('noRemoteCommand'))
  return argv.map((a) => shellQuote(a)).join(' ')
}

const DEFAULT_HOST_KEY_ALGOS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
]

/** Ask the server for the key types we have pinned first (a server offers one key per algorithm). */
function hostKeyAlgorithms(pinnedTypes: string[]): string[] {
  const first: string[] = []
  for (const t of pinnedTypes) {
    if (t === 'ssh-rsa') first.push('rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa')
    else if (DEFAULT_HOST_KEY_ALGOS.includes(t)) first.push(t)
  }
  return [...new Set([...first, ...DEFAULT_HOST_KEY_ALGOS])]
}

function where(host: string, port: number) {
  return port === 22 ? host : `${host}:${port}`
}

function trustAction(host: string, port: number) {
  return t.m('trustAction', {host, port})
}

/** Turn ssh2/socket errors into RemoteHostError (messages carry no secret: ssh2's never do). */
function connectError(err: Error & {level?: string; code?: string}, host: string, port: number): AlpiError {
  if (err instanceof AlpiError) return err
  const at = where(host, port)
  if (err.level === 'client-authentication' || /authentication methods failed/i.test(err.message)) {
    return new RemoteHostError(t.m('authRefused', {at}), {
      code: 'REMOTE_AUTH',
      actions: [t.m('authAction'), t.m('authAgentAction')],
      data: {host, port},
    })
  }
  return new RemoteHostError(t.m('unreachable', {at, detail: err.message}), {
    code: 'REMOTE_UNREACHABLE',
    actions: [t.m('unreachableAction', {host, port}), t.m('retryAction')],
    data: {host, port, cause: err.code ?? err.level ?? null},
  })
}

interface Verification {
  error?: AlpiError
  offered?: OfferedHostKey
}

/** The hostVerifier: host_keys table first, then known_hosts files. */
function makeVerifier(
  env: SshEnv,
  host: string,
  port: number,
  state: Verification,
  pinnedRow: {fingerprint: string; key_type: string} | undefined,
) {
  return (key: Buffer, verify: (ok: boolean) => void) => {
    const offered: OfferedHostKey = {
      keyType: keyTypeOf(key),
      fingerprint: fingerprint(key),
      publicKey: `${keyTypeOf(key)} ${key.toString('base64')}`,
    }
    state.offered = offered
    const data = {host, port, offeredFingerprint: offered.fingerprint, offeredKeyType: offered.keyType}
    const changed = (expected: string, source: string) =>
      new HostKeyError(
        'HOST_KEY_CHANGED',
        t.m('keyChanged', {at: where(host, port), type: offered.keyType, fp: offered.fingerprint, expected, source}),
        {
          actions: [
            t.m('keyChangedCheck', {kind: offered.keyType.replace(/^ssh-|-sha2-.*$/g, '')}),
            t.m('keyChangedReinstalled', {fp: offered.fingerprint, host, port}),
          ],
          data: {...data, expected, source},
        },
      )
    if (pinnedRow) {
      if (pinnedRow.fingerprint === offered.fingerprint) return verify(true)
      state.error = changed(pinnedRow.fingerprint, 'alpi host_keys')
      return verify(false)
    }
    const entries = loadKnownHosts(env.knownHostsFiles ?? [])
    const verdict = checkKnownHosts(entries, host, port, key)
    if (verdict.status === 'ok') return verify(true)
    if (verdict.status === 'revoked') {
      state.error = new HostKeyError(
        'HOST_KEY_CHANGED',
        t.m('keyRevoked', {at: where(host, port), fp: offered.fingerprint, source: `${verdict.file}:${verdict.line}`}),
        {actions: [t.m('keyRevokedAction')], data: {...data, source: `${verdict.file}:${verdict.line}`}},
      )
      return verify(false)
    }
    if (verdict.status === 'changed') {
      state.error = changed(verdict.expectedFingerprints.join(', '), `${verdict.file}:${verdict.line}`)
      return verify(false)
    }
    state.error = new HostKeyError(
      'HOST_KEY_UNKNOWN',
      t.m('keyUnknown', {at: where(host, port), type: offered.keyType, fp: offered.fingerprint}),
      {actions: [`alpi hosts trust ${host} --port ${port}`, trustAction(host, port)], data},
    )
    return verify(false)
  }
}

async function sshModule() {
  return import('ssh2')
}

/**
 * Connect and authenticate; the host key must be pinned. The steps: refuse when already
 * cancelled, build the connection settings (host key types, credentials), shake hands (the
 * host key checked by the verifier), then watch the connection so that a loss, a keepalive
 * timeout or a cancel fails whatever is pending on the session.
 */
export async function connectSsh(target: SshTarget, env: SshEnv): Promise<SshSession> {
  const host = target.host
  const port = target.port ?? 22
  if (env.signal?.aborted)
    throw env.signal.reason instanceof AlpiError ? env.signal.reason : new Cancelled(t.m('cancelledBeforeConnecting'))
  const pinnedRow = await env.store.db
    .selectFrom('host_keys')
    .select(['fingerprint', 'key_type'])
    .where('host', '=', host)
    .where('port', '=', port)
    .executeTakeFirst()
  const pinnedTypes = pinnedRow ? [pinnedRow.key_type] : knownKeyTypes(loadKnownHosts(env.knownHostsFiles ?? []), host, port)
  const config = connectionSettings(target, host, port, pinnedTypes)
  await addCredentials(config, target, host, port)

  const {Client} = await sshModule()
  const conn: Client = new Client()
  const state: Verification = {}
  config.hostVerifier = makeVerifier(env, host, port, state, pinnedRow)
  await handshake(conn, config, state, env, target.username)
  const link = new Connection(conn, host, port, env.signal)
  env.log?.(`ssh: connected to ${where(host, port)} (${state.offered?.keyType} ${state.offered?.fingerprint})`)
  return openSession(link, state.offered)
}

/** Timeouts, keepalive, and the host key types to ask for (the pinned ones first). */
function connectionSettings(target: SshTarget, host: string, port: number, pinnedTypes: string[]): ConnectConfig {
  return {
    host,
    port,
    username: target.username,
    readyTimeout: target.connectTimeoutMs ?? 20_000,
    keepaliveInterval: target.keepaliveIntervalMs ?? 10_000,
    keepaliveCountMax: target.keepaliveCountMax ?? 3,
    algorithms: {serverHostKey: hostKeyAlgorithms(pinnedTypes) as any},
  }
}

/** Key file, password file, agent (any of them); none at all is a usage error. Unreadable files name their path, never their content. */
async function addCredentials(config: ConnectConfig, target: SshTarget, host: string, port: number): Promise<void> {
  if (target.privateKeyPath)
    config.privateKey = await readFile(target.privateKeyPath).catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(t.m('cannotReadKey', {path: String(target.privateKeyPath), code: String(e.code)}), {
        actions: [t.m('checkPathAction')],
      })
    })
  if (target.passwordFile) {
    const text = await readFile(target.passwordFile, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new UsageError(t.m('cannotReadPassword', {path: String(target.passwordFile), code: String(e.code)}), {
        actions: [t.m('checkPasswordPathAction')],
      })
    })
    config.password = text.split(/\r?\n/)[0] ?? ''
  }
  if (target.agent) {
    const sock = typeof target.agent === 'string' ? target.agent : process.env.SSH_AUTH_SOCK
    if (!sock) throw new UsageError(t.m('noAgent'), {actions: [t.m('noAgentAction')]})
    config.agent = sock
  }
  if (!config.privateKey && !config.password && !config.agent) {
    throw new UsageError(t.m('noCredentials', {at: where(host, port)}), {actions: [t.m('noCredentialsAction')]})
  }
}

/**
 * Connect and wait until authenticated. A refused host key fails with the verifier's error
 * (state.error), anything else with a RemoteHostError; a cancel ends the attempt.
 */
function handshake(conn: Client, config: ConnectConfig, state: Verification, env: SshEnv, username: string): Promise<void> {
  const host = config.host!
  const port = config.port!
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      conn.end()
      reject(env.signal?.reason instanceof AlpiError ? env.signal.reason : new Cancelled(t.m('cancelledWhileConnecting')))
    }
    env.signal?.addEventListener('abort', onAbort, {once: true})
    conn.once('ready', () => {
      env.signal?.removeEventListener('abort', onAbort)
      resolve()
    })
    conn.once('error', (err: Error & {level?: string}) => {
      env.signal?.removeEventListener('abort', onAbort)
      reject(state.error ?? connectError(err, host, port))
    })
    conn.once('close', () => {
      env.signal?.removeEventListener('abort', onAbort)
      reject(
        state.error ??
          new RemoteHostError(t.m('handshakeClosed', {at: where(host, port)}), {
            code: 'REMOTE_UNREACHABLE',
            actions: [t.m('sshdRunsAction', {host, port})],
            data: {host, port},
          }),
      )
    })
    env.log?.(`ssh: connecting to ${username}@${where(host, port)}`)
    try {
      conn.connect(config)
    } catch (error) {
      reject(connectError(error as Error, host, port))
    }
  })
}

/**
 * A connected client and what the session's operations share. From here on, an error or
 * a close of the connection (lost host, keepalive timeout, cancel, our own close) fails
 * every pending operation with its reason, and new ones fail at once.
 */
class Connection {
  closed = false
  closeReason: AlpiError | undefined
  private readonly pending = new Set<(err: AlpiError) => void>()
  private readonly onAbort: () => void

  constructor(
    readonly conn: Client,
    readonly host: string,
    readonly port: number,
    private readonly signal: AbortSignal | undefined,
  ) {
    conn.on('error', (err: Error) => {
      this.closeReason ??= err.message.includes('Keepalive timeout')
        ? new RemoteHostError(t.m('keepaliveTimeout', {at: where(host, port)}), {
            code: 'REMOTE_DISCONNECTED',
            actions: [t.m('stillOnAction')],
            data: {host, port},
          })
        : this.disconnected()
    })
    conn.on('close', () => {
      this.closed = true
      this.failAll(this.lost())
    })
    this.onAbort = () => {
      this.closeReason = signal?.reason instanceof AlpiError ? signal.reason : new Cancelled()
      this.failAll(this.closeReason)
      conn.end()
    }
    signal?.addEventListener('abort', this.onAbort, {once: true})
  }

  /** host, or host:port when not 22 (for messages). */
  get at(): string {
    return where(this.host, this.port)
  }

  /** Why an operation cannot go on: the reason the connection closed, else a lost connection. */
  lost(): AlpiError {
    return this.closeReason ?? this.disconnected()
  }

  /** Track a pending operation so a lost connection rejects it. */
  track<T>(run: (resolve: (v: T) => void, reject: (e: AlpiError) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) return reject(this.lost())
      let settled = false
      const rej = (e: AlpiError) => {
        if (settled) return
        settled = true
        this.pending.delete(rej)
        reject(e)
      }
      this.pending.add(rej)
      run((v) => {
        if (settled) return
        settled = true
        this.pending.delete(rej)
        resolve(v)
      }, rej)
    })
  }

  /** Close the session: stop listening to the signal, end the connection, wait for it (2 s at most). */
  async close(): Promise<void> {
    this.signal?.removeEventListener('abort', this.onAbort)
    if (this.closed) return
    this.closeReason ??= new RemoteHostError(t.m('sessionClosed', {at: this.at}), {
      code: 'REMOTE_DISCONNECTED',
      data: {host: this.host, port: this.port},
    })
    await new Promise<void>((resolve) => {
      this.conn.once('close', () => resolve())
      this.conn.end()
      setTimeout(resolve, 2000).unref()
    })
  }

  private disconnected(): RemoteHostError {
    return new RemoteHostError(t.m('connectionLost', {at: this.at}), {
      code: 'REMOTE_DISCONNECTED',
      actions: [t.m('stillOnAction')],
      data: {host: this.host, port: this.port},
    })
  }

  private failAll(err: AlpiError): void {
    for (const reject of [...this.pending]) reject(err)
  }
}

/** The session the caller gets: commands, file transfers and close, over one watched connection. */
function openSession(link: Connection, offered: OfferedHostKey | undefined): SshSession {
  const sftpCall = sftpCaller(link)
  return {
    host: link.host,
    port: link.port,
    hostKey: {keyType: offered?.keyType ?? 'unknown', fingerprint: offered?.fingerprint ?? ''},
    exec(argv, opts) {
      return runCommand(link, buildCommand(argv), argv[0] ?? 'command', opts)
    },
    execShell(script, opts) {
      return runCommand(link, script, 'shell script', opts)
    },
    upload(source, remotePath, opts = {}) {
      return uploadAtomically(link, sftpCall, source, remotePath, opts)
    },
    download(remotePath) {
      return sftpCall<Buffer>(`download of ${remotePath}`, (s, cb) =>
        s.readFile(remotePath, (e: Error | null | undefined, b?: Buffer) => cb(e, b)),
      )
    },
    close() {
      return link.close()
    },
  }
}

/** Run a command line; its output is collected until the channel closes. */
function runCommand(link: Connection, command: string, label: string, opts: ExecOptions = {}): Promise<ExecResult> {
  return link.track<ExecResult>((resolve, reject) => {
    link.conn.exec(command, (err, stream: ClientChannel) => {
      if (err)
        return reject(
          link.closed
            ? link.lost()
            : new RemoteHostError(t.m('cannotStart', {label, at: link.at, detail: err.message}), {
                code: 'REMOTE_DISCONNECTED',
                data: {host: link.host, port: link.port},
              }),
        )
      collectCommand(link, stream, label, opts, resolve, reject)
      if (opts.stdin !== undefined) stream.end(opts.stdin)
      else stream.end()
    })
  })
}

/**
 * Collect a running command's output and exit status. When the channel closes: its result,
 * REMOTE_COMMAND_FAILED for a non-zero exit (unless allowFailure), or the connection's loss
 * when it ended without an exit status (the session died with the host).
 */
function collectCommand(
  link: Connection,
  stream: ClientChannel,
  label: string,
  opts: ExecOptions,
  resolve: (v: ExecResult) => void,
  reject: (e: AlpiError) => void,
): void {
  const out: Buffer[] = []
  const errb: Buffer[] = []
  let exitCode: number | undefined
  let exitSignal: string | undefined
  const timer = opts.timeoutMs === undefined ? undefined : killAfter(link, stream, label, opts.timeoutMs, reject)
  stream.on('data', (d: Buffer) => out.push(d))
  stream.stderr.on('data', (d: Buffer) => errb.push(d))
  stream.on('exit', (code: number | null, signal?: string) => {
    if (typeof code === 'number') exitCode = code
    if (signal) exitSignal = signal
  })
  stream.on('close', () => {
    if (timer) clearTimeout(timer)
    if (exitCode === undefined && exitSignal === undefined) {
      setImmediate(() => reject(link.lost()))
      return
    }
    const result: ExecResult = {
      code: exitCode ?? -1,
      signal: exitSignal,
      stdout: Buffer.concat(out).toString('utf8'),
      stderr: Buffer.concat(errb).toString('utf8'),
    }
    if (result.code !== 0 && !opts.allowFailure) return reject(commandFailed(link, label, result))
    resolve(result)
  })
}

/** The command's timeout: kill it (KILL, then close the channel) and fail with REMOTE_TIMEOUT. */
function killAfter(
  link: Connection,
  stream: ClientChannel,
  label: string,
  timeoutMs: number,
  reject: (e: AlpiError) => void,
): NodeJS.Timeout {
  return setTimeout(() => {
    try {
      stream.signal('KILL')
    } catch {
      /* older servers */
    }
    stream.close()
    reject(
      new RemoteHostError(t.m('timedOut', {label, at: link.at, ms: timeoutMs}), {
        code: 'REMOTE_TIMEOUT',
        actions: [t.m('timedOutAction')],
        data: {host: link.host, port: link.port, timeoutMs},
      }),
    )
  }, timeoutMs)
}

/** REMOTE_COMMAND_FAILED with the exit code or signal and the last lines of stderr. */
function commandFailed(link: Connection, label: string, result: ExecResult): RemoteHostError {
  const exitSignal = result.signal
  const tail = result.stderr.trim().split('\n').slice(-3).join(' | ')
  const at = link.at
  return new RemoteHostError(
    exitSignal
      ? t.m('commandFailedSignal', {label, at, signal: exitSignal, tail: tail ? `: ${tail}` : ''})
      : t.m('commandFailed', {label, at, code: String(result.code), tail: tail ? `: ${tail}` : ''}),
    {
      code: 'REMOTE_COMMAND_FAILED',
      actions: [t.m('commandFailedAction')],
      data: {host: link.host, port: link.port, exitCode: result.code, signal: exitSignal ?? null, stderr: result.stderr.slice(-2000)},
    },
  )
}

type SftpCall = <T>(what: string, fn: (s: SFTPWrapper, cb: (err: Error | null | undefined, v?: T) => void) => void) => Promise<T>

/** SFTP calls over the connection: one SFTP channel, opened on first use; a failed call is REMOTE_SFTP naming `what`. */
function sftpCaller(link: Connection): SftpCall {
  const {host, port} = link
  let sftpPromise: Promise<SFTPWrapper> | undefined
  const sftp = () =>
    (sftpPromise ??= link.track<SFTPWrapper>((resolve, reject) => {
      link.conn.sftp((err, s) =>
        err
          ? reject(
              new RemoteHostError(t.m('sftpUnavailable', {at: where(host, port), detail: err.message}), {
                code: 'REMOTE_SFTP',
                actions: [t.m('sftpUnavailableAction')],
                data: {host, port},
              }),
            )
          : resolve(s),
      )
    }))
  return <T>(what: string, fn: (s: SFTPWrapper, cb: (err: Error | null | undefined, v?: T) => void) => void): Promise<T> =>
    sftp().then((s) =>
      link.track<T>((resolve, reject) => {
        const fail = (err: Error) =>
          reject(
            new RemoteHostError(t.m('sftpFailed', {what, at: where(host, port), detail: err.message}), {
              code: 'REMOTE_SFTP',
              actions: [t.m('sftpFailedAction')],
              data: {host, port},
            }),
          )
        try {
          fn(s, (err, v) => (err ? fail(err) : resolve(v as T)))
        } catch (error) {
          fail(error as Error) // e.g. an extension the server does not support
        }
      }),
    )
}

/**
 * Upload to `<path>.alpi-tmp-<random>`, chmod, then rename over the target (posix-rename,
 * else remove and rename), so that the target is never half-written; the temporary file is
 * removed on failure while the connection is up.
 */
async function uploadAtomically(
  link: Connection,
  sftpCall: SftpCall,
  source: string | Buffer,
  remotePath: string,
  opts: {mode?: number},
): Promise<void> {
  const tmp = `${remotePath}.alpi-tmp-${randomBytes(6).toString('hex')}`
  try {
    if (typeof source === 'string') {
      await sftpCall<void>(`upload to ${remotePath}`, (s, cb) => s.fastPut(source, tmp, (e) => cb(e)))
    } else {
      await sftpCall<void>(`upload to ${remotePath}`, (s, cb) => s.writeFile(tmp, source, (e) => cb(e)))
    }
    if (opts.mode !== undefined) await sftpCall<void>(`chmod ${remotePath}`, (s, cb) => s.chmod(tmp, opts.mode!, (e) => cb(e)))
    try {
      await sftpCall<void>(`rename to ${remotePath}`, (s, cb) => s.ext_openssh_rename(tmp, remotePath, (e) => cb(e)))
    } catch (error) {
      // No posix-rename extension: plain SFTP rename fails on an existing target.
      if (!/not support/i.test(String((error as Error).message))) throw error
      await sftpCall<void>(`remove ${remotePath}`, (s, cb) => s.unlink(remotePath, () => cb(null)))
      await sftpCall<void>(`rename to ${remotePath}`, (s, cb) => s.rename(tmp, remotePath, (e) => cb(e)))
    }
  } catch (error) {
    if (!link.closed) await sftpCall<void>('cleanup', (s, cb) => s.unlink(tmp, () => cb(null))).catch(() => undefined)
    throw error
  }
}

/** The key a server offers, without authenticating (for `alpi hosts trust`). */
export async function fetchHostKey(opts: {host: string; port?: number; timeoutMs?: number; signal?: AbortSignal}): Promise<OfferedHostKey> {
  const host = opts.host
  const port = opts.port ?? 22
  const {Client} = await sshModule()
  const conn = new Client()
  let offered: OfferedHostKey | undefined
  return new Promise<OfferedHostKey>((resolve, reject) => {
    const finish = () => {
      if (offered) resolve(offered)
    }
    conn.on('error', (err: Error & {level?: string}) => {
      if (offered) return finish()
      reject(connectError(err, host, port))
    })
    conn.on('close', () => {
      if (offered) return finish()
      reject(new RemoteHostError(t.m('closedBeforeKey', {at: where(host, port)}), {code: 'REMOTE_UNREACHABLE', data: {host, port}}))
    })
    opts.signal?.addEventListener('abort', () => conn.end(), {once: true})
    conn.connect({
      host,
      port,
      username: 'alpi-host-key-probe',
      readyTimeout: opts.timeoutMs ?? 20_000,
      hostVerifier: (key: Buffer) => {
        offered = {keyType: keyTypeOf(key), fingerprint: fingerprint(key), publicKey: `${keyTypeOf(key)} ${key.toString('base64')}`}
        return false // stop here: we only wanted the key
      },
    })
  })
}
