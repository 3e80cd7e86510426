import {randomBytes} from 'node:crypto'
import {existsSync, lstatSync, readdirSync, realpathSync, statSync} from 'node:fs'
import {chmod, mkdir, readdir, rename, rm} from 'node:fs/promises'
import {basename, dirname, join, resolve} from 'node:path'
import {AlpiError, EXIT, UsageError} from '../core/errors.js'
import {OutputError, processAlive, removeStaleTemporaries} from '../core/fs.js'
import {t} from './messages/index.js'

/**
 * A multi-file output folder (migrate, anonymize, sample), all or nothing:
 * - every file is written into a private folder (0700) next to the target, on the same
 *   filesystem: `.NAME.alpi-new-PID-RAND`; writers' own temporaries live there too, so a
 *   kill -9 leaves nothing with personal data beside the target's files;
 * - `commit()` swaps it in: the previous output is renamed aside (`.NAME.alpi-old-PID-RAND`),
 *   the new folder renamed to the target, the old one removed. The target therefore holds
 *   exactly what the last run produced (no stale cf_sante.csv or rejets.tsv);
 * - on failure (disk full, Ctrl-C, a bug) `discard()` removes the private folder and the
 *   previous output is untouched.
 * POSIX has no portable atomic exchange of two folders: between the two renames (a few
 * microseconds) the target is absent. A run killed exactly there leaves the previous output
 * complete as `.NAME.alpi-old-*`; the next run for that target puts it back before anything
 * else. Leftovers of dead runs (`alpi-new` folders, old writers' `.file.PID.x.tmp`) are removed.
 *
 * A target that exists must look like a previous output of the same command: every entry
 * is a name it writes (`owns`) or a writer's temporary of such a name. Anything else is a
 * user's file: refused with an error, never deleted.
 */
export interface StagedFolder {
  /** The private folder to write into. */
  readonly path: string
  /** The final folder (symlinks resolved). */
  readonly target: string
  /** Swap the private folder in place of the target. */
  commit(): Promise<void>
  /** Remove the private folder; the target is untouched. Safe to call twice or after commit. */
  discard(): Promise<void>
}

export interface StageOptions {
  /** Names (plain file names) the command writes or wrote before into its output folder. */
  owns: (name: string) => boolean
  /** Told what was cleaned up or restored (one line each, for debug output). */
  log?: (line: string) => void
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A writer's temporary: `.NAME.PID.HEX.tmp` (CSV writer) or `.NAME.tmp-HEX` (writeFileAtomic). */
const WRITER_TEMP = /^\.(.+?)\.(?:\d+\.[0-9a-f]+\.tmp|tmp-[0-9a-f]+)$/

/**
 * Temporaries the CSV writer left beside one file when its process was killed
 * (`.NAME.PID.HEX.tmp`, personal data): removed when that process is gone. For single files
 * written outside a staged folder (validate's rejects file).
 */
export function removeDeadTemporaries(path: string): string[] {
  return removeStaleTemporaries(dirname(path), {of: basename(path)})
}

/** Refuse an output folder that is the export itself (also through a symlink or `..`). */
export function checkOutNotSource(dir: string, out: string): void {
  const real = (p: string) => (existsSync(p) ? realpathSync(p) : resolve(p))
  if (real(dir) === real(out)) throw new UsageError(t('outSame'), {actions: [t('outSameAction')]})
}

/** The entries of an existing target that the command did not write. */
export function foreignEntries(dir: string, owns: (name: string) => boolean): string[] {
  return readdirSync(dir, {withFileTypes: true})
    .filter((e) => {
      if (!e.isFile()) return true
      const temp = WRITER_TEMP.exec(e.name)
      return !owns(temp ? temp[1]! : e.name)
    })
    .map((e) => e.name)
    .sort()
}

/**
 * Leftovers of dead runs for this target: restore a previous output a crash left aside
 * (target absent), then remove the private folders and old copies (they hold personal data).
 */
async function recover(parent: string, name: string, target: string, log: (line: string) => void) {
  const re = new RegExp(`^\\.${escape(name)}\\.alpi-(new|old)-(\\d+)-[0-9a-f]+$`)
  const left = readdirSync(parent).flatMap((n) => {
    const m = re.exec(n)
    return m && !processAlive(Number(m[2])) ? [{name: n, kind: m[1] as 'new' | 'old'}] : []
  })
  for (const l of left.filter((x) => x.kind === 'old')) {
    if (!existsSync(target)) {
      await rename(join(parent, l.name), target)
      log(t('restoredPrevious', {name: l.name}))
    }
  }
  for (const l of left) {
    const path = join(parent, l.name)
    if (!existsSync(path)) continue
    await rm(path, {recursive: true, force: true})
    log(t('removedStale', {name: l.name}))
  }
}

export async function stageFolder(out: string, opts: StageOptions): Promise<StagedFolder> {
  const log = opts.log ?? (() => undefined)
  let target = resolve(out)
  // A symlink to a folder: the output goes where it points (the link stays).
  if (existsSync(target) && lstatSync(target).isSymbolicLink()) target = realpathSync(target)
  const parent = dirname(target)
  const name = basename(target)
  await mkdir(parent, {recursive: true, mode: 0o700})
  await recover(parent, name, target, log)

  const check = (): number | undefined => {
    if (!existsSync(target)) return undefined
    const st = statSync(target)
    if (!st.isDirectory()) throw new UsageError(t('outNotDir', {dir: target}), {actions: [t('outNotDirAction')]})
    const foreign = foreignEntries(target, opts.owns)
    if (foreign.length > 0) {
      const list = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ', …' : '')
      throw new UsageError(t('outForeign', {dir: target, count: foreign.length, list}), {actions: [t('outForeignAction')]})
    }
    return st.mode & 0o7777
  }
  const previousMode = check()

  const id = `${process.pid}-${randomBytes(4).toString('hex')}`
  const path = join(parent, `.${name}.alpi-new-${id}`)
  await mkdir(path, {mode: 0o700})
  let state: 'open' | 'committed' | 'discarded' = 'open'
  const discard = async () => {
    if (state !== 'open') return
    state = 'discarded'
    await rm(path, {recursive: true, force: true})
  }
  return {
    path,
    target,
    discard,
    async commit() {
      if (state !== 'open') throw new Error(`staged folder already ${state}`)
      // Files a user put in the target while we ran are not ours to remove either.
      const mode = check() ?? previousMode
      if (mode !== undefined) await chmod(path, mode)
      if (!existsSync(target)) {
        await rename(path, target)
        state = 'committed'
        return
      }
      if ((await readdir(target)).length === 0) {
        await rename(path, target)
        state = 'committed'
        return
      }
      const old = join(parent, `.${name}.alpi-old-${id}`)
      await rename(target, old)
      try {
        await rename(path, target)
      } catch (error) {
        await rename(old, target)
        throw error
      }
      state = 'committed'
      // The new output is in place: a failure to remove the old one must not report the run as
      // failed. What stays is private (0700) and the next run removes it (its process is gone).
      await rm(old, {recursive: true, force: true}).catch(() => undefined)
    },
  }
}

const FS_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EACCES', 'EPERM', 'EROFS', 'EFBIG', 'ENOTDIR', 'ENOENT'])

/**
 * Write an output folder through `write(dir)` into a staged folder, then swap it in; on any
 * failure the staged folder is removed and the error says the previous output is unchanged.
 */
export async function withStagedFolder<T>(out: string, opts: StageOptions, write: (dir: string, target: string) => Promise<T>): Promise<T> {
  const staged = await stageFolder(out, opts)
  try {
    const result = await write(staged.path, staged.target)
    await staged.commit()
    return result
  } catch (error) {
    await staged.discard().catch(() => undefined)
    // A system error from fs, or the one atomic writer's OutputError (which carries the
    // system's code): either way the target folder is unchanged, and that is what to say.
    const code = error instanceof OutputError ? error.errno : (error as NodeJS.ErrnoException)?.code
    if ((error instanceof OutputError || !(error instanceof AlpiError)) && typeof code === 'string' && FS_ERRORS.has(code)) {
      throw new AlpiError(code, t('outFailed', {dir: staged.target, detail: code}), EXIT.failure, {
        actions: [t('outFailedAction', {dir: staged.target})],
        cause: error,
      })
    }
    throw error
  }
}
