// reimage benchmark (not a test): a zstd image of SIZE MiB (half compressible, half random)
// restored onto a loop device (a file on this machine's disk) by
//   A) zstd -dc IMG | dd of=DEV bs=4M conv=fsync     (the reference; conv=fsync so that both
//      runs end with the data on the device, as alpi's does before reading back)
//   B) alpi's reimage write phase for one device (zstd -dc writing into the device's fd, fsync)
//   C) alpi's multi-device path (one zstd -dc read by Node, 4 MiB blocks teed to the devices)
// in the same run, alternating, best of RUNS each. Prints throughputs and the ratio B/A (issue:
// at least 0.9). alpi's read-back verification is timed apart (it is extra work dd does not do).
//   npx tsx bench/laptops-reimage.ts [sizeMiB=2048] [runs=2]      (root: losetup)
import {execFileSync, spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {closeSync, mkdtempSync, openSync, rmSync, writeSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
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
rmSync(rawPath)
const backing = join(dir, 'disk.img')
execFileSync('truncate', ['-s', `${sizeMiB + 64}M`, backing])
const dev = execFileSync('losetup', ['-f', '--show', backing]).toString().trim()
const ctx = {out: memoryOutput(), signal: new AbortController().signal} as unknown as ServiceContext

function pipeline(): Promise<void> {
  return new Promise((res, rej) => {
    const z = spawn('zstd', ['-dc', '-q', zst], {stdio: ['ignore', 'pipe', 'inherit']})
    const d = spawn('dd', [`of=${dev}`, 'bs=4M', 'conv=fsync', 'status=none'], {stdio: ['pipe', 'ignore', 'inherit']})
    z.stdout.pipe(d.stdin)
    d.on('close', (c) => (c === 0 ? res() : rej(new Error(`dd exit ${c}`))))
  })
}
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
  const b: number[] = []
  const c: number[] = []
  for (let i = 0; i < runs; i++) {
    execFileSync('blockdev', ['--flushbufs', dev])
    a.push(await secs(pipeline))
    execFileSync('blockdev', ['--flushbufs', dev])
    b.push(await secs(() => writeAll(ctx, img, [{dev: device, laptop: {} as Laptop, written: 0}])))
    execFileSync('blockdev', ['--flushbufs', dev])
    c.push(await secs(() => streamToTargets(ctx, img, [{dev: device, laptop: {} as Laptop, written: 0}], () => openRaw(zst, 'zstd'), 'bench')))
  }
  const verify = await secs(async () => {
    if ((await readBackHash(ctx, dev, size)) !== sha256) throw new Error('read-back hash differs')
  })
  const mibs = (s: number) => (size / 1048576 / s).toFixed(0)
  const bestA = Math.min(...a)
  const bestB = Math.min(...b)
  console.log(`image ${sizeMiB} MiB raw (zstd), loop device ${dev}, best of ${runs}`)
  console.log(`zstd -dc | dd bs=4M conv=fsync   ${bestA.toFixed(2)} s   ${mibs(bestA)} MiB/s`)
  console.log(`alpi reimage (write + fsync)     ${bestB.toFixed(2)} s   ${mibs(bestB)} MiB/s   (one device: zstd writes into the device fd)`)
  console.log(`alpi tee path (several devices)  ${Math.min(...c).toFixed(2)} s   ${mibs(Math.min(...c))} MiB/s   (one decompression through Node, here to 1 device)`)
  console.log(`alpi read-back verification      ${verify.toFixed(2)} s   ${mibs(verify)} MiB/s (extra work)`)
  console.log(`ratio alpi/dd throughput: ${(bestA / bestB).toFixed(2)} (target >= 0.90)`)
} finally {
  execFileSync('losetup', ['-d', dev])
  rmSync(dir, {recursive: true, force: true})
}
