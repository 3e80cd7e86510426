import {execFileSync} from 'node:child_process'
import {closeSync, constants, ftruncateSync, fstatSync, mkdtempSync, openSync, rmSync, statfsSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export interface SmallTmpfs {
  path: string
  /** Free bytes as the file system reports them. */
  free(): number
  /**
   * Fill the file system with one file, then give back `leave` bytes (whole pages): a
   * write larger than that is then cut short by the kernel (a short write, then ENOSPC).
   */
  fill(leave?: number): void
  /** Remove the filler. */
  unfill(): void
  cleanup(): void
}

/** A real tmpfs of `size` bytes mounted on a fresh folder (the tests run as root). */
export function mountTmpfs(size: number): SmallTmpfs {
  const path = mkdtempSync(join(tmpdir(), 'alpi-tmpfs-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', path])
  const filler = join(path, '.filler')
  return {
    path,
    free: () => {
      const s = statfsSync(path)
      return Number(s.bavail) * Number(s.bsize)
    },
    fill(leave = 0) {
      const fd = openSync(filler, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o600)
      const chunk = Buffer.alloc(64 << 10, 0x41)
      try {
        for (;;) writeSync(fd, chunk)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
      }
      if (leave > 0) ftruncateSync(fd, Math.max(0, fstatSync(fd).size - Math.ceil(leave / 4096) * 4096))
      closeSync(fd)
    },
    unfill: () => rmSync(filler, {force: true}),
    cleanup() {
      try {
        execFileSync('umount', [path])
      } catch {
        execFileSync('umount', ['-l', path])
      }
      rmSync(path, {recursive: true, force: true})
    },
  }
}
