import {closeSync, constants, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, unlinkSync, writeSync} from 'node:fs'
import {open, rename, unlink, type FileHandle} from 'node:fs/promises'
import {basename, dirname, join, resolve, sep} from 'node:path'
import {AlpiError, EXIT} from './errors.js'
import {coreMessages} from './messages/index.js'

/**
 * The one way alpi writes a file (every output: CSV, rejects, reports, PDFs, certificates,
 * receipts, answer files, calendars, config):
 * - a temporary file in the target's folder, created with O_CREAT|O_EXCL|O_NOFOLLOW (a
 *   symlink or a file planted under its name makes it fail; nothing is ever opened through a
 *   link), with its final mode from the start (0600 for anything personal or secret);
 * - every byte written (write(2) may write less than asked on a full disk: loop until all is
 *   written or the system says why not), fsync, close;
 * - renamed over the final name (a symlink planted there is replaced, its target untouched;
 *   an existing file is replaced, never chmodded), then the folder is fsynced so the rename
 *   survives a power cut;
 * - errors are OutputError (code ENOSPC on a full disk), naming the file and what to do.
 * Names taken from the data go into paths only through safeJoin (one plain name each, the
 * result inside its folder); folders for personal files are created 0700 by ensureDir.
 * - on any failure the temporary file is removed and the final name is as it was before.
 */

const t = coreMessages.fs

/**
 * A file could not be written (disk full, permissions...): the final name was left as it was.
 * Its code is the system's (ENOSPC, EDQUOT, EACCES, EROFS...), as for any environment error
 * (toAlpiError), so a full disk is ENOSPC whichever writer met it; `errno` says the same.
 */
export class OutputError extends AlpiError {
  readonly errno: string
  constructor(path: string, cause: unknown) {
    const errno = (cause as NodeJS.ErrnoException | undefined)?.code
    const full = errno === 'ENOSPC' || errno === 'EDQUOT'
    const dir = dirname(path)
    super(errno ?? 'OUTPUT_FAILED', t(full ? 'noSpace' : 'failed', {path, code: errno ?? 'error'}), EXIT.failure, {
      actions: [t(full ? 'noSpaceAction' : 'failedAction', {dir})],
      cause,
      data: {path, errno: errno ?? null},
    })
    this.errno = errno ?? 'OUTPUT_FAILED'
  }
}

/** A value from the data would not stay a single name inside its folder. */
export class UnsafePathError extends AlpiError {
  constructor(message: string, data: unknown) {
    super('UNSAFE_PATH', message, EXIT.failure, {actions: [t('unsafeAction')], data})
  }
}

const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW
/** `.<name>.<pid>.<8 hex>.tmp`: hidden, next to the target, the owner's pid to find leftovers. */
const TEMP_NAME = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/

/**
 * Random bytes as hex, from Web Crypto's global: node:crypto (5 to 8 ms to load) only when a
 * file is written, not at the start of every command.
 */
function randomHex(bytes: number): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString('hex')
}

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomHex(4)}.tmp`)
}

function asBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data
}

/** fsync a folder so that a rename in it is on disk; file systems that cannot do it are skipped. */
export function syncDir(dir: string): void {
  let fd: number
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY)
  } catch {
    return
  }
  try {
    fsyncSync(fd)
  } catch (error) {
    if (!['EINVAL', 'ENOTSUP', 'EBADF'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error
  } finally {
    closeSync(fd)
  }
}

/** write(2) until every byte is written; a full disk ends with ENOSPC, never with a short file. */
export function writeAllSync(fd: number, bytes: Uint8Array): void {
  let offset = 0
  while (offset < bytes.length) {
    const n = writeSync(fd, bytes, offset, bytes.length - offset)
    if (n <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC', syscall: 'write'})
    offset += n
  }
}

async function writeAll(fh: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0
  while (offset < bytes.length) {
    const {bytesWritten} = await fh.write(bytes, offset, bytes.length - offset)
    if (bytesWritten <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC', syscall: 'write'})
    offset += bytesWritten
  }
}

/**
 * Write a whole file or nothing (see the top of this file). `mode` is the final mode (default
 * 0644, the umask applies); 0600 for anything personal or secret. Throws OutputError.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: {mode?: number} = {}): void {
  const final = resolve(path)
  const tmp = tempPathFor(final)
  let fd: number
  try {
    fd = openSync(tmp, TEMP_FLAGS, opts.mode ?? 0o644)
  } catch (error) {
    throw new OutputError(final, error)
  }
  try {
    writeAllSync(fd, asBytes(data))
    fsyncSync(fd)
    closeSync(fd)
    fd = -1
    renameSync(tmp, final)
  } catch (error) {
    if (fd !== -1) {
      try {
        closeSync(fd)
      } catch {
        // already closed
      }
    }
    rmSync(tmp, {force: true})
    throw new OutputError(final, error)
  }
  syncDir(dirname(final))
}

/** A file being written by pieces: nothing appears under `path` before `commit()`. */
export interface AtomicFile {
  /** The final path (absolute). */
  readonly path: string
  /** Append bytes (all of them, or it throws OutputError and the temporary file is gone). */
  write(data: string | Uint8Array): Promise<void>
  /** fsync, close, rename over the final name, fsync the folder. */
  commit(): Promise<void>
  /** Give up: the temporary file is removed, the final name is untouched. Safe to call twice. */
  abort(): Promise<void>
}

/** The streaming twin of writeFileAtomic, for outputs written piece by piece (CSV, PDF). */
export async function openFileAtomic(path: string, opts: {mode?: number} = {}): Promise<AtomicFile> {
  const final = resolve(path)
  const tmp = tempPathFor(final)
  let fh: FileHandle
  try {
    fh = await open(tmp, TEMP_FLAGS, opts.mode ?? 0o644)
  } catch (error) {
    throw new OutputError(final, error)
  }
  let state: 'open' | 'committed' | 'aborted' = 'open'
  const abort = async () => {
    if (state !== 'open') return
    state = 'aborted'
    await fh.close().catch(() => undefined)
    await unlink(tmp).catch(() => undefined)
  }
  const failed = async (error: unknown): Promise<never> => {
    await abort()
    throw error instanceof OutputError ? error : new OutputError(final, error)
  }
  return {
    path: final,
    async write(data) {
      if (state !== 'open') throw new Error(`${final}: write after ${state}`)
      try {
        await writeAll(fh, asBytes(data))
      } catch (error) {
        await failed(error)
      }
    },
    async commit() {
      if (state !== 'open') throw new Error(`${final}: commit after ${state}`)
      try {
        await fh.sync()
        await fh.close()
        await rename(tmp, final)
      } catch (error) {
        await failed(error)
      }
      state = 'committed'
      syncDir(dirname(final))
    },
    abort,
  }
}

/**
 * Create a folder (and its parents) if missing. `private: true` is for folders of files with
 * personal data: the folders alpi creates are 0700, and the temporaries a killed writer left
 * there (they may hold personal data) are removed. An existing folder keeps its mode.
 */
export function ensureDir(dir: string, opts: {private?: boolean} = {}): string {
  const abs = resolve(dir)
  try {
    mkdirSync(abs, {recursive: true, mode: opts.private ? 0o700 : 0o777})
  } catch (error) {
    throw new OutputError(abs, error)
  }
  if (opts.private) removeStaleTemporaries(abs)
  return abs
}

/**
 * Remove the temporary files of writers that died (kill -9, power cut) in `dir`: ours by
 * their name, and only when the process that made them is gone; with `of`, only those of
 * that one file. Returns the names removed.
 */
export function removeStaleTemporaries(dir: string, opts: {of?: string} = {}): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    const m = TEMP_NAME.exec(name)
    if (!m || (opts.of !== undefined && m[1] !== opts.of) || processAlive(Number(m[2]))) continue
    try {
      unlinkSync(join(dir, name))
      removed.push(name)
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed
}

/** Is the process still running (EPERM: it runs, under another user)? */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Why `part` cannot be one name inside a folder, or undefined if it can. */
export function pathPartProblem(part: string): string | undefined {
  if (part === '') return t('empty')
  if (part === '.' || part === '..') return t('dots')
  if (/[/\\]/.test(part)) return t('separator')
  if (/[\u0000-\u001f\u007f-\u009f]/.test(part)) return t('control')
  if (Buffer.byteLength(part) > 255) return t('tooLong')
  return undefined
}

/**
 * Join names taken from data (serials, codes, member names...) under `root`: each part must be
 * one plain name (no separator, no . or .., no NUL or control character), and the result must
 * stay inside `root`. Throws UnsafePathError otherwise. Returns an absolute path.
 */
export function safeJoin(root: string, ...parts: string[]): string {
  for (const part of parts) {
    const reason = pathPartProblem(part)
    if (reason)
      throw new UnsafePathError(t('unsafePart', {part: JSON.stringify(part.slice(0, 80)), reason}), {part: part.slice(0, 80), reason})
  }
  const base = resolve(root)
  const full = resolve(base, ...parts)
  if (full !== base && !full.startsWith(base.endsWith(sep) ? base : base + sep))
    throw new UnsafePathError(t('unsafeOutside', {path: full, root: base}), {path: full, root: base})
  return full
}

/** A value from the data as a piece of a file name: anything but letters, digits, . _ - becomes _. */
export function fileNamePart(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)
}
