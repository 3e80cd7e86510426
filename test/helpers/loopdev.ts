/**
 * Test bed: real loop devices over temporary files (needs root). Each test gets its own
 * file and whatever /dev/loopN `losetup -f --show` hands out; cleanup detaches it.
 *
 *   const loop = await createLoop({sizeBytes: 64 << 20, fill: 'random'})
 *   loop.device   '/dev/loop7'
 *   loop.file     the backing file
 *   await loop.cleanup()
 *
 * Loop devices have no serial: the wipe and reimage code is told the expected one through
 * ALPI_TEST_DEVICE_SERIALS='/dev/loop7=SER123' (loopSerialsEnv builds that value).
 */
import {execFileSync} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {closeSync, mkdtempSync, openSync, rmSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

export interface LoopDevice {
  device: string
  file: string
  sizeBytes: number
  cleanup(): Promise<void>
}

const live = new Set<LoopDevice>()
process.once('exit', () => {
  for (const l of live) {
    try {
      execFileSync('losetup', ['-d', l.device], {stdio: 'ignore'})
    } catch {
      /* already gone */
    }
  }
})

export async function createLoop(opts: {sizeBytes: number; fill?: 'zero' | 'random'}): Promise<LoopDevice> {
  const dir = mkdtempSync(join(tmpdir(), 'alpi-loop-'))
  const file = join(dir, 'disk.img')
  const fd = openSync(file, 'w')
  try {
    const chunk = 4 << 20
    for (let off = 0; off < opts.sizeBytes; off += chunk) {
      const n = Math.min(chunk, opts.sizeBytes - off)
      writeSync(fd, opts.fill === 'random' ? randomBytes(n) : Buffer.alloc(n), 0, n, off)
    }
  } finally {
    closeSync(fd)
  }
  const device = execFileSync('losetup', ['-f', '--show', file]).toString().trim()
  // the read-only flag of a loop device outlives a detach (a test that crashed after setro)
  execFileSync('blockdev', ['--setrw', device])
  const loop: LoopDevice = {
    device,
    file,
    sizeBytes: opts.sizeBytes,
    async cleanup() {
      live.delete(loop)
      try {
        execFileSync('losetup', ['-d', device], {stdio: 'ignore'})
      } catch {
        /* already detached */
      }
      rmSync(dir, {recursive: true, force: true})
    },
  }
  live.add(loop)
  return loop
}

export function loopSerialsEnv(pairs: [LoopDevice, string][]): string {
  return pairs.map(([l, s]) => `${l.device}=${s}`).join(',')
}
