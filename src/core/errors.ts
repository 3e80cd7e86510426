/**
 * Typed errors with stable codes and exit codes. Every error says what to do next
 * (`actions`). Commands never call process.exit; BaseCommand maps these to exit codes.
 *
 * Exit codes: 0 ok, 1 failure, 2 usage, 3 input rows rejected, 4 partial failure,
 * 130 cancelled.
 */
import {render, type Text} from './i18n.js'
import {coreMessages} from './messages/index.js'

const c = coreMessages.core

export const EXIT = {ok: 0, failure: 1, usage: 2, rejected: 3, partial: 4, cancelled: 130} as const

export interface AlpiErrorOptions {
  /** What to do next: catalog messages (rendered when shown) or plain strings. */
  actions?: Text[]
  data?: unknown
  cause?: unknown
}

/**
 * The message is a `Text`: a catalog `Message` (key + params) is made into a sentence each time
 * `message` or `actions` is read, in the language in force then (BaseCommand sets it from --lang
 * before showing the error); a plain string stays as it is (a tool's own output).
 */
export class AlpiError extends Error {
  readonly code: string
  readonly exitCode: number
  readonly data: unknown
  /** The message and actions as given (keys and params); `message`/`actions` are their texts. */
  readonly text: Text
  readonly actionTexts: readonly Text[]

  constructor(code: string, message: Text, exitCode: number = EXIT.failure, opts: AlpiErrorOptions = {}) {
    super(undefined, opts.cause === undefined ? undefined : {cause: opts.cause})
    this.name = new.target.name
    this.code = code
    this.exitCode = exitCode
    this.text = message
    this.actionTexts = opts.actions ?? []
    this.data = opts.data
    Object.defineProperty(this, 'message', {get: () => render(this.text), set: () => undefined, enumerable: false, configurable: true})
    // The stack's first line was made before the message existed: say it now (language of the moment).
    if (typeof this.stack === 'string') this.stack = this.stack.replace(/^[^\n]*/, `${this.name}: ${render(this.text)}`)
  }

  get actions(): string[] {
    return this.actionTexts.map((a) => render(a))
  }
}

/** Wrong flags, arguments or missing input (exit 2). */
export class UsageError extends AlpiError {
  constructor(message: Text, opts: AlpiErrorOptions = {}) {
    super('USAGE', message, EXIT.usage, opts)
  }
}

/** Some input rows were rejected; accepted ones were kept (exit 3). */
export class InputRejected extends AlpiError {
  constructor(message: Text, opts: AlpiErrorOptions = {}) {
    super('INPUT_REJECTED', message, EXIT.rejected, opts)
  }
}

/** Some targets failed, the others succeeded (exit 4). */
export class PartialFailure extends AlpiError {
  constructor(message: Text, opts: AlpiErrorOptions = {}) {
    super('PARTIAL_FAILURE', message, EXIT.partial, opts)
  }
}

/** The user cancelled (Ctrl-C, a refused confirmation) (exit 130). */
export class Cancelled extends AlpiError {
  constructor(message: Text = c.m('cancelled'), opts: AlpiErrorOptions = {}) {
    super('CANCELLED', message, EXIT.cancelled, opts)
  }
}

/** A record that should exist does not. */
export class NotFound extends AlpiError {
  constructor(message: Text, opts: AlpiErrorOptions = {}) {
    super('NOT_FOUND', message, EXIT.failure, opts)
  }
}

/** A business rule refused the action (a state transition, a quota, a policy). */
export class RuleViolation extends AlpiError {
  constructor(code: string, message: Text, opts: AlpiErrorOptions = {}) {
    super(code, message, EXIT.failure, opts)
  }
}

/** A local tool failed, timed out or is missing. */
export class ExternalToolError extends AlpiError {
  constructor(message: Text, opts: AlpiErrorOptions & {code?: string} = {}) {
    super(opts.code ?? 'EXTERNAL_TOOL', message, EXIT.failure, opts)
  }
}

/** A remote host failed: unreachable, died mid-command, command failed. */
export class RemoteHostError extends AlpiError {
  constructor(message: Text, opts: AlpiErrorOptions & {code?: string} = {}) {
    super(opts.code ?? 'REMOTE_HOST', message, EXIT.failure, opts)
  }
}

/** An SSH host key was unknown or changed. Never bypassed silently. */
export class HostKeyError extends AlpiError {
  constructor(code: 'HOST_KEY_UNKNOWN' | 'HOST_KEY_CHANGED', message: Text, opts: AlpiErrorOptions = {}) {
    super(code, message, EXIT.failure, opts)
  }
}

/** The store failed (migration, integrity, connection). */
export class StoreError extends AlpiError {
  constructor(message: Text, opts: AlpiErrorOptions & {code?: string} = {}) {
    super(opts.code ?? 'STORE', message, EXIT.failure, opts)
  }
}

/** An invariant failed: a bug in alpi. Shows the stack. */
export class BugError extends AlpiError {
  constructor(message: Text, opts: AlpiErrorOptions = {}) {
    super('BUG', message, EXIT.failure, {
      actions: [c.m('bugAction')],
      ...opts,
    })
  }
}

/** Node system errors that are the environment's fault, not a bug. */
const ENV_CODES = new Set([
  'EACCES',
  'EPERM',
  'ENOENT',
  'ENOSPC',
  'EROFS',
  'EEXIST',
  'ENOTDIR',
  'EISDIR',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
])

/** Turn anything thrown into an AlpiError (environment errors are not bugs). */
export function toAlpiError(err: unknown): AlpiError {
  if (err instanceof AlpiError) return err
  const e = err as NodeJS.ErrnoException | undefined
  if (e && typeof e === 'object' && typeof e.code === 'string' && ENV_CODES.has(e.code)) {
    return new AlpiError(e.code, e.message, EXIT.failure, {
      actions: [e.path ? c.m('checkPath', {path: e.path}) : c.m('checkEnvironment')],
      cause: err,
    })
  }
  const storeError = fromDatabaseError(e)
  if (storeError) return storeError
  if (e && typeof e === 'object' && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError')) {
    return new Cancelled(c.m('promptCancelled'), {cause: err})
  }
  const message = err instanceof Error ? err.message : String(err)
  return new BugError(message, {cause: err})
}

/** SQLite and PostgreSQL errors that are the environment's, not alpi's bugs. */
function fromDatabaseError(e: (NodeJS.ErrnoException & {severity?: string}) | undefined): StoreError | undefined {
  if (!e || typeof e !== 'object' || typeof e.code !== 'string') return undefined
  const code = e.code
  const busy = [c.m('storeBusyAction')]
  const detail = e.message
  if (code.startsWith('SQLITE_')) {
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      return new StoreError(c.m('storeBusy', {detail}), {code: 'STORE_BUSY', actions: busy, cause: e})
    if (code === 'SQLITE_FULL')
      return new StoreError(c.m('diskFull', {detail}), {code: 'STORE_FULL', actions: [c.m('diskFullAction')], cause: e})
    if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM'))
      return new StoreError(c.m('storeReadOnly', {detail}), {code: 'STORE_READONLY', actions: [c.m('storeReadOnlyAction')], cause: e})
    if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB')
      return new StoreError(c.m('storeCorrupt', {detail}), {code: 'STORE_CORRUPT', actions: [c.m('storeCorruptAction')], cause: e})
    if (code === 'SQLITE_IOERR' || code.startsWith('SQLITE_IOERR'))
      return new StoreError(c.m('storeIo', {detail}), {code: 'STORE_IO', actions: [c.m('storeIoAction')], cause: e})
    return undefined
  }
  if (typeof e.severity === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    if (code.startsWith('08') || code === '57P01' || code === '57P03')
      return new StoreError(c.m('pgLost', {detail}), {code: 'STORE_CONNECTION', actions: [c.m('pgLostAction')], cause: e})
    if (code === '40P01' || code === '40001' || code === '55P03')
      return new StoreError(c.m('storeBusyPg', {detail}), {code: 'STORE_BUSY', actions: busy, cause: e})
    if (code === '53100')
      return new StoreError(c.m('pgDiskFull', {detail}), {code: 'STORE_FULL', actions: [c.m('pgDiskFullAction')], cause: e})
    if (code === '42501' || code === '28000' || code === '28P01')
      return new StoreError(c.m('pgAccess', {detail}), {code: 'STORE_ACCESS', actions: [c.m('pgAccessAction')], cause: e})
  }
  return undefined
}
