import {randomBytes} from 'node:crypto'
import {closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync} from 'node:fs'
import {basename, dirname, join} from 'node:path'

/**
 * Write a whole file or nothing: a temporary file in the same folder, created with the
 * final mode (0600 for anything personal or secret), synced, then renamed over the target.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: {mode?: number} = {}): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${randomBytes(4).toString('hex')}`)
  const fd = openSync(tmp, 'wx', opts.mode ?? 0o644)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
    fsyncSync(fd)
    closeSync(fd)
    renameSync(tmp, path)
  } catch (error) {
    try {
      closeSync(fd)
    } catch {
      // already closed
    }
    rmSync(tmp, {force: true})
    throw error
  }
}
