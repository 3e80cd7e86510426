// reimage benchmark (not a test): a zstd image of SIZE MiB (half compressible, half random)
// restored onto a loop device (a file on this machine's disk) by
//   A) zstd -dc IMG | dd of=DEV bs=4M iflag=fullblock oflag=direct conv=fsync   (a reference:
//      direct writes, full 4 MiB blocks whatever the pipe hands over; conv=fsync because a loop
//      device completes a direct write in its backing file's page cache, and alpi pays the flush)
//   A') zstd -dc --no-sparse IMG -o DEV, then blockdev --flushbufs   (the other reference; zstd's
//      default sparse writing would skip zero blocks and leave the device's old bytes there)
//   B) alpi's reimage write phase for one device (zstd -dc writing into the device's fd, fsync)
//   C) alpi's raw-image path (Node reads, 4 MiB blocks written), here from the zstd stream
//   R) dd of the uncompressed image: the device's raw write speed, which no decompressor can beat
// in the same run, alternating, best of RUNS each. Prints throughputs, the ratio of B to the
// better reference (issue: at least 0.9) and each one's ratio to R. alpi's read-back
// verification is timed apart (it is extra work dd does not do). Several devices at once:
// bench/laptops-reimage-many.ts.
//   npx tsx bench/laptops-reimage.ts [sizeMiB=2048] [runs=2]      (root: losetup)
import {execFileSync, spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {closeSync, mkdtempSync, openSync, rmSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import type {ServiceContext} from '../src/context/service-context.js'
import {memoryOutput} from '../src/core/output.js'
import {describeDevice} from '../src/laptops/devices.js'
import {hashRaw, openRaw, type GoldenImage} from '../src/laptops/images.js'
import type {Laptop} from '../src/laptops/records.js'
import {readBackHash, streamToTargets, writeAll} from '../src/laptops/reimage.js'

const sizeMiB = Number(process.argv[2] ?? 2048)
const runs = Number(process.argv[3] ?? 2)
const dir = mkdtempSync(join(tmpdir(), 'alpi-bench-reimage-'))
const rawPath = join(dir, 'golden.img')
const zst = join(dir, 'golden.img.zst')
const fd = openSync(rawPath, 'w')
const rnd = randomBytes(4 << 20)
for (let i = 0; i < sizeMiB / 4; i++) writeSync(fd, i % 2 === 0 ? rnd : Buffer.alloc(4 << 20, i & 0xff))
closeSync(fd)
execFileSync('zstd', ['-q', '-T0', '-3', rawPath, '-o', zst])
const backing = join(dir, 'disk.img')
execFileSync('truncate', ['-s', `${sizeMiB + 64}M`, backing])
const dev = execFileSync('losetup', ['-f', '--show', backing]).toString().trim()
const ctx = {out: memoryOutput(), signal: new AbortController().signal} as unknown as ServiceContext

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, {stdio: ['ignore', 'ignore', 'inherit']})
    p.on('error', rej)
    p.on('close', (c) => (c === 0 ? res() : rej(new Error(`${cmd} exit ${c}`))))
  })
}
const direct = [`of=${dev}`, 'bs=4M', 'iflag=fullblock', 'oflag=direct', 'conv=fsync', 'status=none']
const pipeline = () => run('sh', ['-c', 'img=$1; shift; zstd -dc -q -- "$img" | dd "$@"', 'sh', zst, ...direct])
const zstdOut = async () => {
  await run('zstd', ['-dc', '-q', '-f', '--no-sparse', zst, '-o', dev])
  execFileSync('blockdev', ['--flushbufs', dev])
}
const rawDd = () => run('dd', [`if=${rawPath}`, ...direct])
const secs = async (fn: () => Promise<unknown>) => {
  const t0 = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - t0) / 1e9
}
try {
  const {sha256, size} = await hashRaw(zst, 'zstd')
  const img: GoldenImage = {name: 'bench', path: zst, compression: 'zstd', sha256, size, added_at: ''}
  const device = await describeDevice(dev)
  const a: number[] = []
  const a2: number[] = []
  const b: number[] = []
  const c: number[] = []
  const r: number[] = []
  for (let i = 0; i < runs; i++) {
    execFileSync('blockdev', ['--flushbufs', dev])
    r.push(await secs(rawDd))
    execFileSync('blockdev', ['--flushbufs', dev])
    a.push(await secs(pipeline))
    execFileSync('blockdev', ['--flushbufs', dev])
    a2.push(await secs(zstdOut))
    execFileSync('blockdev', ['--flushbufs', dev])
    b.push(await secs(() => writeAll(ctx, img, [{dev: device, laptop: {} as Laptop, written: 0}])))
    execFileSync('blockdev', ['--flushbufs', dev])
    c.push(
      await secs(() => streamToTargets(ctx, img, [{dev: device, laptop: {} as Laptop, written: 0}], () => openRaw(zst, 'zstd'), 'bench')),
    )
  }
  const verify = await secs(async () => {
    if ((await readBackHash(ctx, dev, size)) !== sha256) throw new Error('read-back hash differs')
  })
  const mibs = (s: number) => (size / 1048576 / s).toFixed(0)
  const best = (xs: number[]) => Math.min(...xs)
  const bestR = best(r)
  const ref = Math.min(best(a), best(a2))
  const row = (label: string, s: number, note = '') =>
    console.log(`${label.padEnd(44)} ${s.toFixed(2).padStart(6)} s ${mibs(s).padStart(6)} MiB/s  ${(bestR / s).toFixed(2)}x raw${note}`)
  console.log(`image ${sizeMiB} MiB raw (zstd), loop device ${dev}, best of ${runs}`)
  row('dd of the uncompressed image (raw speed)', bestR)
  row('zstd -dc | dd iflag=fullblock oflag=direct', best(a))
  row('zstd -dc --no-sparse -o DEV + flushbufs', best(a2))
  row('alpi reimage (write + fsync)', best(b), '   (zstd writes into the device fd)')
  row("alpi's raw-image path (Node writes)", best(c), '   (the zstd stream read by Node)')
  row('alpi read-back verification', verify, '   (extra work)')
  console.log(`ratio alpi / better reference: ${(ref / best(b)).toFixed(2)} (target >= 0.90)`)
} finally {
  execFileSync('losetup', ['-d', dev])
  rmSync(dir, {recursive: true, force: true})
}
