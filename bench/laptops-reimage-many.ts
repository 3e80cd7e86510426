// Many-disk reimage benchmark (issue 15, not a test): aggregate write throughput of one zstd
// golden image (SIZE MiB raw, half random, half compressible) restored onto N = 1, 4, 8 loop
// devices over files in /dev/shm, against two references measured in the same run, interleaved
// round by round, best of RUNS each:
//   par-zstd  N parallel `zstd -dc --no-sparse IMG -o DEV` (--no-sparse: zstd's default for a file
//             output skips zero blocks by seeking, which leaves the device's old bytes there), then
//             `blockdev --flushbufs` so that the data is on the device, as alpi's fsync ensures
//   tee-dd    one `zstd -dc IMG | tee FIFO...` into N `dd bs=4M iflag=fullblock oflag=direct conv=fsync`
//             (fsync: a loop device completes a direct write in its backing file's page cache)
//   alpi      alpi's write phase (writeAll: what `alpi laptops reimage DEV...` runs, fsync included)
//   alpi-tee  the former design: one decompression read by Node, 4 MiB blocks written to every device
// Aggregate = N x SIZE / seconds. alpi's read-back verification (flush, then each device hashed)
// is timed apart: it is extra work no reference does. Every design's result is checked by hash.
//   npx tsx bench/laptops-reimage-many.ts [sizeMiB=512] [runs=3] [counts=1,4,8]   (root: losetup)
import {execFileSync, spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync} from 'node:fs'
import {cpus} from 'node:os'
import {join} from 'node:path'
import type {ServiceContext} from '../src/context/service-context.js'
import {memoryOutput} from '../src/core/output.js'
import {describeDevice} from '../src/laptops/devices.js'
import {hashRaw, openRaw, type GoldenImage} from '../src/laptops/images.js'
import type {Laptop} from '../src/laptops/records.js'
import {flushBuffers, readBackHash, streamToTargets, writeAll, type Target} from '../src/laptops/reimage.js'

const sizeMiB = Number(process.argv[2] ?? 512)
const runs = Number(process.argv[3] ?? 3)
const counts = (process.argv[4] ?? '1,4,8').split(',').map(Number)
const dir = mkdtempSync(join('/dev/shm', 'alpi-bench-reimage-many-'))
const zst = join(dir, 'golden.img.zst')
const ctx = {out: memoryOutput(), signal: new AbortController().signal} as unknown as ServiceContext
const loops: string[] = []

function makeImage(): void {
  const raw = join(dir, 'golden.img')
  const fd = openSync(raw, 'w')
  const rnd = randomBytes(4 << 20)
  for (let i = 0; i < sizeMiB / 4; i++) writeSync(fd, i % 2 === 0 ? rnd : Buffer.alloc(4 << 20, i & 0xff))
  closeSync(fd)
  execFileSync('zstd', ['-q', '-T0', '-3', raw, '-o', zst])
  rmSync(raw)
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((res, rej) => {
    const p = spawn(cmd, args, {stdio: ['ignore', 'ignore', 'inherit']})
    p.on('error', rej)
    p.on('close', (c) => (c === 0 ? res() : rej(new Error(`${cmd} ${args.join(' ')}: exit ${c}`))))
  })
}

async function parZstd(devs: string[]): Promise<void> {
  await Promise.all(devs.map((d) => run('zstd', ['-dc', '-q', '--no-sparse', zst, '-o', d])))
  execFileSync('blockdev', ['--flushbufs', ...devs])
}

async function teeDd(devs: string[]): Promise<void> {
  const fifos = devs.map((_, i) => join(dir, `fifo${i}`))
  for (const f of fifos) execFileSync('mkfifo', [f])
  try {
    const dds = devs.map((d, i) =>
      run('dd', [`if=${fifos[i]}`, `of=${d}`, 'bs=4M', 'iflag=fullblock', 'oflag=direct', 'conv=fsync', 'status=none']),
    )
    await run('sh', ['-c', 'img=$1; shift; zstd -dc -q -- "$img" | tee -- "$@" >/dev/null', 'sh', zst, ...fifos])
    await Promise.all(dds)
  } finally {
    for (const f of fifos) rmSync(f, {force: true})
  }
}

const secs = async (fn: () => Promise<unknown>) => {
  const t0 = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - t0) / 1e9
}

try {
  makeImage()
  const {sha256, size} = await hashRaw(zst, 'zstd')
  const img: GoldenImage = {name: 'bench', path: zst, compression: 'zstd', sha256, size, added_at: ''}
  for (let i = 0; i < Math.max(...counts); i++) {
    const backing = join(dir, `disk${i}.img`)
    execFileSync('truncate', ['-s', `${sizeMiB + 16}M`, backing])
    loops.push(execFileSync('losetup', ['-f', '--show', backing]).toString().trim())
  }
  const targetsOf = async (devs: string[]): Promise<Target[]> =>
    Promise.all(devs.map(async (d) => ({dev: await describeDevice(d), laptop: {} as Laptop, written: 0})))
  const check = async (name: string, devs: string[]) => {
    await flushBuffers(ctx, devs)
    for (const d of devs) if ((await readBackHash(ctx, d, size, true)) !== sha256) throw new Error(`${name}: ${d} read back differs`)
  }
  const scrub = (devs: string[]) => {
    // the next design starts on devices that do not already hold the image
    for (const d of devs)
      execFileSync('dd', ['if=/dev/zero', `of=${d}`, 'bs=4M', `count=${Math.ceil(sizeMiB / 4)}`, 'oflag=direct', 'status=none'])
  }
  console.log(
    `image ${sizeMiB} MiB raw, ${(statSync(zst).size / 1048576).toFixed(0)} MiB in zstd; loop devices over /dev/shm files;`,
    `${cpus().length} cores; best of ${runs}; ${process.version}`,
  )
  console.log('devices  design     best s   aggregate MiB/s   ratio to the better reference')
  for (const n of counts) {
    const devs = loops.slice(0, n)
    // the devices are described (lsblk) before the clock starts, as alpi does before its confirmation
    const described = await targetsOf(devs)
    const fresh = () => described.map((t) => ({...t, fh: undefined, written: 0, error: undefined}))
    const designs: Record<string, () => Promise<unknown>> = {
      'par-zstd': () => parZstd(devs),
      'tee-dd': () => teeDd(devs),
      alpi: async () => {
        const targets = fresh()
        await writeAll(ctx, img, targets)
        const failed = targets.find((t) => t.error)
        if (failed) throw failed.error
      },
      'alpi-tee': async () => streamToTargets(ctx, img, fresh(), () => openRaw(zst, 'zstd'), 'bench'),
    }
    const best: Record<string, number> = {}
    for (let r = 0; r < runs; r++) {
      for (const [name, fn] of Object.entries(designs)) {
        scrub(devs)
        execFileSync('blockdev', ['--flushbufs', ...devs])
        const s = await secs(fn)
        best[name] = Math.min(best[name] ?? Infinity, s)
        if (r === 0) await check(name, devs)
      }
    }
    const verify = await secs(() => check('alpi', devs))
    const ref = Math.min(best['par-zstd']!, best['tee-dd']!)
    for (const [name, s] of Object.entries(best)) {
      console.log(
        `${String(n).padStart(7)}  ${name.padEnd(9)} ${s.toFixed(2).padStart(7)}   ${((n * size) / 1048576 / s).toFixed(0).padStart(15)}   ${(ref / s).toFixed(2)}x`,
      )
    }
    console.log(
      `${String(n).padStart(7)}  read-back ${verify.toFixed(2).padStart(7)}   ${((n * size) / 1048576 / verify).toFixed(0).padStart(15)}   (alpi's verification, extra work)`,
    )
  }
} finally {
  for (const d of loops) execFileSync('losetup', ['-d', d])
  rmSync(dir, {recursive: true, force: true})
}
