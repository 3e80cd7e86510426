import {Cancelled, ExternalToolError} from '../core/errors.js'
import {t} from '../remote/messages/index.js'

/**
 * The one wrapper for local tools (dd, zstd, smartctl, udp-sender, pg_dump...): an
 * argument array and never a shell, a timeout, an AbortSignal. Every way a tool can fail
 * (missing, cannot start, non-zero exit, killed by a signal, timed out) is an
 * ExternalToolError with a stable code, the tool, its exit code or signal, the last lines of
 * its stderr (scrubbed of addresses, phone numbers and URL passwords) and an action.
 * runTool keeps output in memory; spawnTool streams it.
 */
export interface ToolOptions {
  /** Debian package that provides the tool, for the "missing" message. */
  pkg?: string
  timeoutMs?: number
  signal?: AbortSignal
  input?: string | Buffer
  cwd?: string
  env?: Record<string, string | undefined>
  /** Do not throw on a non-zero exit (the caller branches on exitCode). A kill or a missing tool still throws. */
  allowFailure?: boolean
  /** Keep stdout as a Buffer (binary output). */
  binary?: boolean
  /** The action for a failure (non-zero exit or kill), in the person's language. */
  failureHint?: string
}

export interface ToolResult {
  command: string
  exitCode: number
  stdout: string
  stdoutBuffer?: Buffer
  stderr: string
}

/** What the error data of a tool failure holds (never the tool's stdout, never personal data). */
export interface ToolFailureData {
  tool: string
  command: string
  exitCode: number | null
  signal: string | null
  /** The last lines of the tool's stderr, scrubbed. */
  stderr: string
}

const STDERR_LINES = 8
const STDERR_CHARS = 2000

/**
 * Remove what must not reach a log: URL passwords, e-mail addresses, phone numbers. Tools
 * print file names and device paths, which stay (they are what the technician needs).
 */
export function scrubToolOutput(s: string): string {
  return s
    .replace(/(\/\/[^:/@\s]*):[^@\s]*@/g, '$1:***@')
    .replace(/[^\s@"'<>()[\],;:]+@[^\s@"'<>()[\],;:]+\.[A-Za-z]{2,}/g, '<email>')
    .replace(/(?<![\w.:/-])(?:(?:\+|00)33[ .]?(?:\(0\)[ .]?)?[1-9]|0[1-9])(?:[ .-]?\d{2}){4}(?![\w.:/-])/g, '<phone>')
}

/** The last lines of a tool's stderr, scrubbed, at most STDERR_CHARS characters. */
export function stderrTail(stderr: string): string {
  const tail = stderr.replace(/\r\n?/g, '\n').trimEnd().split('\n').slice(-STDERR_LINES).join('\n')
  return scrubToolOutput(tail.length > STDERR_CHARS ? tail.slice(-STDERR_CHARS) : tail)
}

function lastLine(s: string): string {
  return s.trim().split('\n').at(-1)?.trim() ?? ''
}

function commandLine(tool: string, args: readonly string[]): string {
  return scrubToolOutput([tool, ...args].join(' '))
}

function missing(tool: string, command: string, pkg?: string): ExternalToolError {
  return new ExternalToolError(pkg ? t('toolMissingPkg', {tool, pkg}) : t('toolMissing', {tool}), {
    code: 'TOOL_MISSING',
    actions: [pkg ? `apt-get install ${pkg}` : t('toolMissingAction', {tool})],
    data: {tool, command, exitCode: null, signal: null, stderr: ''} satisfies ToolFailureData,
  })
}

/**
 * The error for a tool that ran and failed: an exit code other than 0 (TOOL_FAILED) or a
 * signal (TOOL_KILLED); also used by callers that spawn a tool themselves (zstd into a disk).
 */
export function toolFailure(
  tool: string,
  r: {command: string; exitCode?: number | null; signal?: string | null; stderr: string; hint?: string},
): ExternalToolError {
  const tail = stderrTail(r.stderr)
  const data: ToolFailureData = {tool, command: r.command, exitCode: r.exitCode ?? null, signal: r.signal ?? null, stderr: tail}
  const detail = lastLine(tail)
  if (r.signal) {
    return new ExternalToolError(t('toolKilled', {tool, signal: r.signal}) + (detail ? `: ${detail}` : ''), {
      code: 'TOOL_KILLED',
      actions: [r.hint ?? t('toolKilledAction', {tool})],
      data,
    })
  }
  return new ExternalToolError(t('toolFailed', {tool, code: String(r.exitCode ?? '?')}) + (detail ? `: ${detail}` : ''), {
    code: 'TOOL_FAILED',
    actions: [r.hint ?? t('toolFailedAction', {tool})],
    data,
  })
}

/** A tool that could not be started at all (ENOENT → missing; EACCES, ENOEXEC... → cannot start). */
export function startFailure(tool: string, command: string, code: string | undefined, pkg?: string): ExternalToolError {
  if (code === 'ENOENT') return missing(tool, command, pkg)
  return new ExternalToolError(t('toolStartFailed', {tool, code: code ?? 'unknown'}), {
    code: 'TOOL_START_FAILED',
    actions: [t('toolStartFailedAction', {tool})],
    data: {tool, command, exitCode: null, signal: null, stderr: ''} satisfies ToolFailureData,
  })
}

interface ExecaOutcome {
  exitCode?: number
  signal?: string
  code?: string
  timedOut?: boolean
  isCanceled?: boolean
  failed?: boolean
  originalMessage?: string
}

/** The spawn error code of an execa result that never ran (ENOENT, EACCES...), if any. */
function spawnErrorCode(r: ExecaOutcome): string | undefined {
  if (r.exitCode !== undefined || r.signal) return undefined
  if (typeof r.code === 'string') return r.code
  const m = /\b(E[A-Z]{2,})\b/.exec(String(r.originalMessage ?? ''))
  return m?.[1]
}

export async function runTool(tool: string, args: readonly string[], opts: ToolOptions = {}): Promise<ToolResult> {
  const {execa} = await import('execa')
  // For messages and error data: never a password given inside a URL argument.
  const command = commandLine(tool, args)
  let r
  try {
    r = await execa(tool, args, {
      timeout: opts.timeoutMs,
      cancelSignal: opts.signal,
      input: opts.input,
      cwd: opts.cwd,
      env: opts.env,
      extendEnv: true,
      reject: false,
      stripFinalNewline: false,
      encoding: opts.binary ? 'buffer' : 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      forceKillAfterDelay: 5000,
    })
  } catch (error) {
    // execa throws (rather than returning) only for bad options or a spawn that fails synchronously.
    throw startFailure(tool, command, (error as NodeJS.ErrnoException).code, opts.pkg)
  }
  const outcome = r as unknown as ExecaOutcome
  const stdoutBuffer = opts.binary ? Buffer.from(r.stdout as unknown as Uint8Array) : undefined
  const stdout = opts.binary ? '' : String(r.stdout ?? '')
  const stderr = opts.binary ? Buffer.from(r.stderr as unknown as Uint8Array).toString('utf8') : String(r.stderr ?? '')
  if (r.isCanceled || opts.signal?.aborted) throw new Cancelled(t('toolCancelled', {tool}))
  if (r.timedOut) {
    throw new ExternalToolError(t('toolTimeout', {tool, ms: String(opts.timeoutMs)}), {
      code: 'TOOL_TIMEOUT',
      actions: [t('toolTimeoutAction')],
      data: {tool, command, exitCode: null, signal: outcome.signal ?? null, stderr: stderrTail(stderr)} satisfies ToolFailureData,
    })
  }
  const startCode = spawnErrorCode(outcome)
  if (startCode) throw startFailure(tool, command, startCode, opts.pkg)
  if (outcome.signal) throw toolFailure(tool, {command, signal: outcome.signal, stderr, hint: opts.failureHint})
  const exitCode = r.exitCode ?? -1
  if (exitCode !== 0 && !opts.allowFailure) throw toolFailure(tool, {command, exitCode, stderr: stderr || stdout, hint: opts.failureHint})
  return {command, exitCode, stdout, stdoutBuffer, stderr}
}

export interface SpawnedTool {
  /** The tool's standard input (only with `stdin: 'pipe'`). */
  stdin: NodeJS.WritableStream | null
  stdout: NodeJS.ReadableStream
  /** Resolves when the tool exited 0; rejects with an ExternalToolError otherwise (missing tool included). */
  done: Promise<void>
  kill(): void
}

/**
 * A tool whose output is a stream (zstd -dc, udp-receiver...): argument array, no shell,
 * AbortSignal; `done` carries the verdict the same way runTool does.
 */
export async function spawnTool(
  tool: string,
  args: readonly string[],
  opts: {pkg?: string; signal?: AbortSignal; stdin?: 'pipe' | 'ignore'; failureHint?: string} = {},
): Promise<SpawnedTool> {
  const {execa} = await import('execa')
  const command = commandLine(tool, args)
  let child
  try {
    child = execa(tool, args, {
      buffer: false,
      stdin: opts.stdin ?? 'ignore',
      stdout: 'pipe',
      stderr: 'pipe',
      cancelSignal: opts.signal,
      reject: false,
    })
  } catch (error) {
    const failure = startFailure(tool, command, (error as NodeJS.ErrnoException).code, opts.pkg)
    const done = Promise.reject(failure)
    done.catch(() => undefined)
    const {PassThrough} = await import('node:stream')
    const stdout = new PassThrough()
    stdout.end()
    return {stdin: null, stdout, done, kill: () => undefined}
  }
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-16_000)
  })
  // A tool that dies while we still write to it: EPIPE on its stdin. The verdict is `done`'s.
  child.stdin?.on('error', () => undefined)
  const done = child.then((r) => {
    const outcome = r as unknown as ExecaOutcome
    if (r.isCanceled || opts.signal?.aborted) throw new Cancelled(t('toolCancelled', {tool}))
    const startCode = spawnErrorCode(outcome)
    if (startCode) throw startFailure(tool, command, startCode, opts.pkg)
    if (outcome.signal) throw toolFailure(tool, {command, signal: outcome.signal, stderr, hint: opts.failureHint})
    if (r.exitCode !== 0) throw toolFailure(tool, {command, exitCode: r.exitCode ?? null, stderr, hint: opts.failureHint})
  })
  done.catch(() => undefined) // the caller awaits it; never an unhandled rejection meanwhile
  return {stdin: child.stdin ?? null, stdout: child.stdout!, done, kill: () => child.kill()}
}

/** Is the tool on PATH? */
export async function hasTool(tool: string): Promise<boolean> {
  const {execa} = await import('execa')
  const r = await execa('sh', ['-c', 'command -v "$1"', 'sh', tool], {reject: false})
  return r.exitCode === 0
}

/** A tool's JSON output; output that is not JSON is the tool's failure (TOOL_OUTPUT), not a bug in alpi. */
export function parseToolJson<T>(tool: string, stdout: string): T {
  try {
    return JSON.parse(stdout) as T
  } catch {
    throw new ExternalToolError(t('toolBadOutput', {tool}), {
      code: 'TOOL_OUTPUT',
      actions: [t('toolBadOutputAction', {tool})],
      data: {tool, command: tool, exitCode: 0, signal: null, stderr: ''} satisfies ToolFailureData,
    })
  }
}
