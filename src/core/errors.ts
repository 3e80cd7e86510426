/**
 * Typed errors with stable codes and exit codes. Every error says what to do next
 * (`actions`). Commands never call process.exit; BaseCommand maps these to exit codes.
 *
 * Exit codes: 0 ok, 1 failure, 2 usage, 3 input rows rejected, 4 partial failure,
 * 130 cancelled.
 */
export const EXIT = {ok: 0, failure: 1, usage: 2, rejected: 3, partial: 4, cancelled: 130} as const

export interface AlpiErrorOptions {
  actions?: string[]
  data?: unknown
  cause?: unknown
}

export class AlpiError extends Error {
  readonly code: string
  readonly exitCode: number
  readonly actions: string[]
  readonly data: unknown

  constructor(code: string, message: string, exitCode: number = EXIT.failure, opts: AlpiErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : {cause: opts.cause})
    this.name = new.target.name
    this.code = code
    this.exitCode = exitCode
    this.actions = opts.actions ?? []
    this.data = opts.data
  }
}

/** Wrong flags, arguments or missing input (exit 2). */
export class UsageError extends AlpiError {
  constructor(message: string, opts: AlpiErrorOptions = {}) {
    super('USAGE', message, EXIT.usage, opts)
  }
}

/** Some input rows were rejected; accepted ones were kept (exit 3). */
export class InputRejected extends AlpiError {
  constructor(message: string, opts: AlpiErrorOptions = {}) {
    super('INPUT_REJECTED', message, EXIT.rejected, opts)
  }
}

/** Some targets failed, the others succeeded (exit 4). */
export class PartialFailure extends AlpiError {
  constructor(message: string, opts: AlpiErrorOptions = {}) {
    super('PARTIAL_FAILURE', message, EXIT.partial, opts)
  }
}

/** The user cancelled (Ctrl-C, a refused confirmation) (exit 130). */
export class Cancelled extends AlpiError {
  constructor(message = 'Cancelled', opts: AlpiErrorOptions = {}) {
    super('CANCELLED', message, EXIT.cancelled, opts)
  }
}

/** A record that should exist does not. */
export class NotFound extends AlpiError {
  constructor(message: string, opts: AlpiErrorOptions = {}) {
    super('NOT_FOUND', message, EXIT.failure, opts)
  }
}

/** A business rule refused the action (a state transition, a quota, a policy). */
export class RuleViolation extends AlpiError {
  constructor(code: string, message: string, opts: AlpiErrorOptions = {}) {
    super(code, message, EXIT.failure, opts)
  }
}

/** A local tool failed, timed out or is missing. */
export class ExternalToolError extends AlpiError {
  constructor(message: string, opts: AlpiErrorOptions & {code?: string} = {}) {
    super(opts.code ?? 'EXTERNAL_TOOL', message, EXIT.failure, opts)
  }
}

/** A remote host failed: unreachable, died mid-command, command failed. */
export class RemoteHostError extends AlpiError {
  constructor(message: string, opts: AlpiErrorOptions & {code?: string} = {}) {
    super(opts.code ?? 'REMOTE_HOST', message, EXIT.failure, opts)
  }
}

/** An SSH host key was unknown or changed. Never bypassed silently. */
export class HostKeyError extends AlpiError {
  constructor(code: 'HOST_KEY_UNKNOWN' | 'HOST_KEY_CHANGED', message: string, opts: AlpiErrorOptions = {}) {
    super(code, message, EXIT.failure, opts)
  }
}

/** The store failed (migration, integrity, connection). */
export class StoreError extends AlpiError {
  constructor(message: string, opts: AlpiErrorOptions & {code?: string} = {}) {
    super(opts.code ?? 'STORE', message, EXIT.failure, opts)
  }
}

/** An invariant failed: a bug in alpi. Shows the stack. */
export class BugError extends AlpiError {
  constructor(message: string, opts: AlpiErrorOptions = {}) {
    super('BUG', message, EXIT.failure, {
      actions: ['This is a bug in alpi: report it with the command line and the stack trace (run with --verbose).'],
      ...opts,
    })
  }
}

/** Node system errors that are the environment's fault, not a bug. */
const ENV_CODES = new Set(['EACCES', 'EPERM', 'ENOENT', 'ENOSPC', 'EROFS', 'EEXIST', 'ENOTDIR', 'EISDIR', 'ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH'])

/** Turn anything thrown into an AlpiError (environment errors are not bugs). */
export function toAlpiError(err: unknown): AlpiError {
  if (err instanceof AlpiError) return err
  const e = err as NodeJS.ErrnoException | undefined
  if (e && typeof e === 'object' && typeof e.code === 'string' && ENV_CODES.has(e.code)) {
    return new AlpiError(e.code, e.message, EXIT.failure, {
      actions: [e.path ? `Check the path ${e.path} (exists, permissions, free space).` : 'Check the environment (network, permissions, free space).'],
      cause: err,
    })
  }
  if (e && typeof e === 'object' && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError')) {
    return new Cancelled('Prompt cancelled', {cause: err})
  }
  const message = err instanceof Error ? err.message : String(err)
  return new BugError(message, {cause: err})
}
