import {Cancelled, ExternalToolError} from '../core/errors.js'

/**
 * The one wrapper for local tools (dd, zstd, smartctl, udp-sender, pg_dump...): an
 * argument array and never a shell, a timeout, an AbortSignal, and a missing tool turned
 * into "install package Y". runTool keeps output in memory; spawnTool streams it.
 */
export interface ToolOptions {
  /** Debian package that provides the tool, for the "missing" message. */
  pkg?: string
  timeoutMs?: number
  signal?: AbortSignal
  input?: string | Buffer
  cwd?: string
  env?: Record<string, string | undefined>
  /** Do not throw on a non-zero exit (the caller branches on exitCode). */
  allowFailure?: boolean
  /** Keep stdout as a Buffer (binary output). */
  binary?: boolean
}

export interface ToolResult {
  command: string
  exitCode: number
  stdout: string
  stdoutBuffer?: Buffer
  stderr: string
}

function missing(tool: string, pkg?: string): ExternalToolError {
  return new ExternalToolError(`Tool ${tool} missing${pkg ? `: install package ${pkg}` : ''}`, {
    code: 'TOOL_MISSING',
    actions: [pkg ? `apt-get install ${pkg}` : `Install ${tool} and make sure it is on PATH.`],
  })
}

export async function runTool(tool: string, args: readonly string[], opts: ToolOptions = {}): Promise<ToolResult> {
  const {execa} = await import('execa')
  // For messages and error data: never a password given inside a URL argument.
  const command = [tool, ...args].map((a) => a.replace(/(\/\/[^:/@\s]*):[^@/\s]*@/g, '$1:***@')).join(' ')
  try {
    const r = await execa(tool, args, {
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
    const failedToStart = (r as {code?: string}).code === 'ENOENT' || /ENOENT/.test(String((r as {originalMessage?: string}).originalMessage ?? ''))
    if (failedToStart && r.exitCode === undefined) throw missing(tool, opts.pkg)
    const stdoutBuffer = opts.binary ? Buffer.from(r.stdout as unknown as Uint8Array) : undefined
    const stdout = opts.binary ? '' : String(r.stdout ?? '')
    const stderr = opts.binary ? Buffer.from(r.stderr as unknown as Uint8Array).toString('utf8') : String(r.stderr ?? '')
    if (r.timedOut) throw new ExternalToolError(`${tool} timed out after ${opts.timeoutMs} ms`, {code: 'TOOL_TIMEOUT', actions: ['Check the device or target; retry with a longer timeout.'], data: {command}})
    if (r.isCanceled) throw new Cancelled(`${tool} was stopped (cancelled)`)
    const exitCode = r.exitCode ?? -1
    if (exitCode !== 0 && !opts.allowFailure) {
      throw new ExternalToolError(`${tool} failed (exit ${exitCode}): ${lastLine(stderr) || lastLine(stdout)}`, {code: 'TOOL_FAILED', data: {command, exitCode, stderr: stderr.slice(-4000)}})
    }
    return {command, exitCode, stdout, stdoutBuffer, stderr}
  } catch (error) {
    if (error instanceof ExternalToolError || error instanceof Cancelled) throw error
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missing(tool, opts.pkg)
    throw error
  }
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
export async function spawnTool(tool: string, args: readonly string[], opts: {pkg?: string; signal?: AbortSignal; stdin?: 'pipe' | 'ignore'; failureHint?: string} = {}): Promise<SpawnedTool> {
  const {execa} = await import('execa')
  const child = execa(tool, args, {buffer: false, stdin: opts.stdin ?? 'ignore', stdout: 'pipe', stderr: 'pipe', cancelSignal: opts.signal, reject: false})
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000)
  })
  const command = [tool, ...args].join(' ')
  const done = child.then((r) => {
    if ((r as {code?: string}).code === 'ENOENT' || /ENOENT/.test(String((r as {originalMessage?: string}).originalMessage ?? ''))) throw missing(tool, opts.pkg)
    if (r.isCanceled) throw new Cancelled(`${tool} was stopped (cancelled)`)
    if (r.exitCode !== 0) {
      throw new ExternalToolError(`${tool} failed (exit ${r.exitCode}): ${lastLine(stderr)}`, {code: 'TOOL_FAILED', actions: opts.failureHint ? [opts.failureHint] : [], data: {command, exitCode: r.exitCode, stderr}})
    }
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

/** Fail early, with the package name, when a tool is missing. */
export async function requireTool(tool: string, pkg: string): Promise<void> {
  if (!(await hasTool(tool))) throw missing(tool, pkg)
}

function lastLine(s: string): string {
  return s.trim().split('\n').at(-1)?.trim() ?? ''
}
