import {createHash} from 'node:crypto'
import {open, type FileHandle} from 'node:fs/promises'
import {audit, type ServiceContext} from '../context/service-context.js'
import {Cancelled, PartialFailure, RuleViolation, UsageError} from '../core/errors.js'
import {progress} from '../core/progress.js'
import {runTool, startFailure, toolFailure} from '../tools/exec.js'
import {disksToWrite, openExclusive, unknownDisk, type BlockDevice} from './devices.js'
import {assertTransition} from './states.js'
import {getImage, openRaw, STREAM_CHUNK, type GoldenImage, type RawStream} from './images.js'
import {msg, t as line} from './messages/index.js'
import {getLaptop, moveLaptop, type Laptop} from './records.js'

export interface DeviceOutcome {
  device: string
  laptop: string
  status: 'ok' | 'failed'
  bytesWritten: number
  readBackSha256: string | null
  state: string | null
  error?: {code: string; message: string}
}

export interface ReimageResult {
  image: string
  sha256: string
  size: number
  seconds: number
  devices: DeviceOutcome[]
}

export interface Target {
  dev: BlockDevice
  laptop: Laptop
  fh?: FileHandle
  written: number
  error?: Error
}

/**
 * Restore a golden image onto one or more disks at once (a zstd image by one zstd per device,
 * no byte through Node: see zstdToDevices; a raw image read once and teed to every device),
 * then each device read back and hashed. Each laptop gets the image's name and hash
 * and moves to imaged (then ready when its grade said so). A failed device does not stop the
 * others: PartialFailure (exit 4) lists it.
 */
export async function reimage(
  ctx: ServiceContext,
  opts: {image: string; devices: string[]; confirm: (targets: {device: string; laptop: string}[]) => Promise<void>},
): Promise<ReimageResult> {
  if (opts.devices.length === 0) throw new UsageError(msg('noDevice'), {actions: [msg('noDeviceAction')]})
  if (new Set(opts.devices).size !== opts.devices.length) throw new UsageError(msg('deviceTwice'), {actions: [msg('deviceTwiceAction')]})
  const img = await getImage(ctx, opts.image)
  const targets = await prepareTargets(ctx, img, opts.devices)
  await opts.confirm(targets.map((t) => ({device: t.dev.path, laptop: t.laptop.serial})))
  const t0 = Date.now()
  await writeAll(ctx, img, targets)
  return finishTargets(ctx, img, targets, t0, 'reimage')
}

/** Check each device (not mounted, not the system, big enough) and find its laptop (wiped or later). */
export async function prepareTargets(ctx: ServiceContext, img: GoldenImage, devices: string[]): Promise<Target[]> {
  const disks = await disksToWrite(
    ctx.store.db,
    devices.map((device) => ({device})),
    msg('opReimage'),
  )
  const targets: Target[] = []
  for (const d of disks) {
    if (d.dev.sizeBytes < img.size)
      throw new RuleViolation('DEVICE_TOO_SMALL', msg('deviceTooSmall', {device: d.dev.path, size: d.dev.sizeBytes, imageSize: img.size}), {
        actions: [msg('deviceTooSmallAction')],
      })
    const laptop = d.owner
    if (!laptop) throw unknownDisk(d, msg('deviceUnknownReimageAction'))
    assertTransition(laptop.serial, laptop.state, 'imaged')
    if (targets.some((t) => t.laptop.serial === laptop.serial))
      throw new UsageError(msg('twoDevicesOneLaptop', {serial: laptop.serial}), {actions: [msg('twoDevicesOneLaptopAction')]})
    targets.push({dev: d.dev, laptop, written: 0})
  }
  return targets
}

/** Read each device back, record the good ones (imaged, then ready), PartialFailure for the rest. */
export async function finishTargets(
  ctx: ServiceContext,
  img: GoldenImage,
  targets: Target[],
  t0: number,
  action: string,
): Promise<ReimageResult> {
  const outcomes: DeviceOutcome[] = []
  await flushBuffers(
    ctx,
    targets.filter((t) => !t.error).map((t) => t.dev.path),
  )
  for (const t of targets) {
    if (t.error) {
      outcomes.push({
        device: t.dev.path,
        laptop: t.laptop.serial,
        status: 'failed',
        bytesWritten: t.written,
        readBackSha256: null,
        state: t.laptop.state,
        error: {code: (t.error as {code?: string}).code ?? 'WRITE_FAILED', message: t.error.message},
      })
      continue
    }
    const sha = await readBackHash(ctx, t.dev.path, img.size, true)
    if (sha !== img.sha256) {
      outcomes.push({
        device: t.dev.path,
        laptop: t.laptop.serial,
        status: 'failed',
        bytesWritten: t.written,
        readBackSha256: sha,
        state: t.laptop.state,
        error: {code: 'READBACK_MISMATCH', message: msg('readBackMismatch', {sha: sha.slice(0, 12)})},
      })
      continue
    }
    const state = await ctx.store.transaction(async (trx) => {
      const l = await getLaptop(trx, t.laptop.serial)
      await moveLaptop(ctx, trx, l, 'imaged', {image_name: img.name, image_sha256: img.sha256}, {image: img.name, device: t.dev.path})
      let to: Laptop['state'] = 'imaged'
      if (l.verdict === 'ready' && l.grade && l.wipe_certificate_id) {
        await moveLaptop(ctx, trx, {serial: l.serial, state: 'imaged'}, 'ready', {}, {by: 'reimage'})
        to = 'ready'
      }
      await audit(ctx, trx, {
        entity: 'laptop',
        entityId: l.serial,
        action,
        summary: {code: 'laptopReimaged', params: {image: img.name, size: img.size, state: to}},
        data: {image: img.name, sha256: img.sha256},
      })
      return to
    })
    outcomes.push({device: t.dev.path, laptop: t.laptop.serial, status: 'ok', bytesWritten: t.written, readBackSha256: sha, state})
  }
  const result: ReimageResult = {
    image: img.name,
    sha256: img.sha256,
    size: img.size,
    seconds: Math.round((Date.now() - t0) / 100) / 10,
    devices: outcomes,
  }
  const failed = outcomes.filter((o) => o.status === 'failed')
  if (failed.length > 0) {
    throw new PartialFailure(
      msg('reimagePartial', {
        failed: failed.length,
        total: outcomes.length,
        list: failed.map((f) => `${f.device} (${f.error?.message})`).join('; '),
      }),
      {
        actions: [msg('reimagePartialAction')],
        data: result,
      },
    )
  }
  return result
}

/** Write the image to the targets: a zstd image by one zstd per device, else one stream teed to all. */
export async function writeAll(ctx: ServiceContext, img: GoldenImage, targets: Target[]): Promise<void> {
  if (img.compression === 'zstd') return zstdToDevices(ctx, img, targets)
  await streamToTargets(ctx, img, targets, () => openRaw(img.path, img.compression, ctx.signal), msg('sourceImageFile', {path: img.path}))
}

/** Write one raw stream to every target (one block in flight while the next is read). */
export async function streamToTargets(
  ctx: ServiceContext,
  img: GoldenImage,
  targets: Target[],
  openSource: () => Promise<RawStream>,
  sourceName: string,
): Promise<void> {
  for (const t of targets) t.fh = await openExclusive(t.dev.path)
  const raw = await openSource()
  let offset = 0
  const tick = progress(ctx.out, {label: line('progressReimageMany', {image: img.name, n: targets.length}), total: img.size})
  let inflight: Promise<void> = Promise.resolve()
  const flush = (buf: Buffer, at: number) =>
    Promise.all(
      targets.map(async (t) => {
        if (t.error) return
        try {
          let done = 0
          while (done < buf.length) {
            const {bytesWritten} = await t.fh!.write(buf, done, buf.length - done, at + done)
            done += bytesWritten
          }
          t.written += done
        } catch (error) {
          t.error = error as Error
        }
      }),
    ).then(() => undefined)
  try {
    let parts: Buffer[] = []
    let len = 0
    const emit = async () => {
      const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, len)
      parts = []
      len = 0
      await inflight
      inflight = flush(buf, offset)
      offset += buf.length
      tick(offset)
    }
    for await (const chunk of raw.stream) {
      parts.push(chunk as Buffer)
      len += (chunk as Buffer).length
      if (len >= STREAM_CHUNK) await emit()
    }
    if (len > 0) await emit()
    await inflight
    await raw.done
    for (const t of targets) if (!t.error) await t.fh!.sync().catch((error: Error) => void (t.error = error))
  } finally {
    raw.kill()
    for (const t of targets) await t.fh?.close().catch(() => undefined)
  }
  tick(offset)
  // the content is checked by each device's read-back hash; a size change is caught here
  if (offset !== img.size) {
    throw new RuleViolation('IMAGE_CHANGED', msg('imageChangedStream', {source: sourceName, name: img.name, bytes: offset}), {
      actions: [msg('imageChangedAction', {name: img.name})],
    })
  }
}

/**
 * A zstd image onto its devices, one zstd per device writing straight into it: no byte goes
 * through Node, the devices are written in parallel, and a device that fails fails alone. Chosen
 * from bench/laptops-reimage-many.ts (bench/README.md): at 4 and 8 loop devices this beat one
 * decompression teed to every device (by Node: about a quarter of the speed; by `tee` into
 * `dd oflag=direct`: about 0.8x), the decompressions costing less than the copies they save.
 * One progress line: the position of the slowest device.
 */
export async function zstdToDevices(ctx: ServiceContext, img: GoldenImage, targets: Target[]): Promise<void> {
  const label =
    targets.length === 1
      ? line('progressReimageOne', {image: img.name, device: targets[0]!.dev.path})
      : line('progressReimageMany', {image: img.name, n: targets.length})
  const tick = progress(ctx.out, {label, total: img.size})
  const at = new Map<Target, number>()
  const report = () => {
    const healthy = targets.filter((t) => !t.error)
    if (healthy.length > 0) tick(Math.min(...healthy.map((t) => at.get(t) ?? 0)))
  }
  try {
    // every device claimed before any is written: one refused (in use) stops them all untouched
    for (const t of targets) t.fh = await openExclusive(t.dev.path)
  } catch (error) {
    for (const t of targets) await t.fh?.close().catch(() => undefined)
    throw error
  }
  const settled = await Promise.allSettled(targets.map((t) => zstdToDevice(ctx, img, t, (pos) => (at.set(t, pos), report()))))
  const thrown = settled.find((r) => r.status === 'rejected')
  if (thrown) throw thrown.reason
  tick(img.size)
}

/**
 * One zstd image onto one device: zstd writes straight into the device (its stdout is the
 * device's file descriptor; not `-o DEV`, whose sparse writing would skip zero blocks and leave
 * the device's old bytes there); progress is read from /proc/PID/fdinfo/1 (the write position).
 */
export async function zstdToDevice(ctx: ServiceContext, img: GoldenImage, t: Target, tick: (position: number) => void): Promise<void> {
  const {spawn} = await import('node:child_process')
  const {readFileSync} = await import('node:fs')
  t.fh ??= await openExclusive(t.dev.path)
  try {
    const child = spawn('zstd', ['-dc', '-q', '--', img.path], {stdio: ['ignore', t.fh.fd, 'pipe'], signal: ctx.signal})
    let stderr = ''
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer = setInterval(() => {
      try {
        const pos = /pos:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/fdinfo/1`, 'utf8'))?.[1]
        if (pos) tick(Number(pos))
      } catch {
        /* finished */
      }
    }, 1000)
    const command = `zstd -dc -q -- ${img.path}`
    const {code, signal} = await new Promise<{code: number | null; signal: NodeJS.Signals | null}>((res, rej) => {
      child.on('error', rej)
      child.on('close', (c, s) => res({code: c, signal: s}))
    })
      .catch((error: NodeJS.ErrnoException) => {
        if (ctx.signal?.aborted) throw new Cancelled()
        throw startFailure('zstd', command, error.code, 'zstd')
      })
      .finally(() => clearInterval(timer))
    if (code !== 0) {
      if (ctx.signal?.aborted) throw new Cancelled()
      t.error = toolFailure('zstd', {command, exitCode: code, signal, stderr, hint: msg('imageDamagedAction')})
      return
    }
    await t.fh.sync()
    // zstd shares our open file description: its offset is the number of bytes written
    const written = Number(/pos:\s+(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${t.fh.fd}`, 'utf8'))?.[1] ?? -1)
    t.written = written
    if (written !== img.size) {
      throw new RuleViolation('IMAGE_CHANGED', msg('imageChangedSize', {path: img.path, name: img.name, written, size: img.size}), {
        actions: [msg('imageChangedAction', {name: img.name})],
      })
    }
  } finally {
    await t.fh.close().catch(() => undefined)
  }
  tick(img.size)
}

/** Hash the first `size` bytes of a device after dropping its buffers (reads hit the disk). */
/** Drop the devices' buffers (one blockdev call), so the reads that follow come from the media. */
export async function flushBuffers(ctx: ServiceContext, devices: string[]): Promise<void> {
  if (devices.length > 0) await runTool('blockdev', ['--flushbufs', ...devices], {pkg: 'util-linux', signal: ctx.signal})
}

export async function readBackHash(ctx: ServiceContext, device: string, size: number, flushed = false): Promise<string> {
  if (!flushed) await flushBuffers(ctx, [device])
  const fh = await open(device, 'r')
  const h = createHash('sha256')
  const buf = Buffer.allocUnsafe(Math.max(1, Math.min(STREAM_CHUNK, size)))
  try {
    for (let off = 0; off < size;) {
      const {bytesRead} = await fh.read(buf, 0, Math.min(buf.length, size - off), off)
      if (bytesRead === 0) break
      h.update(buf.subarray(0, bytesRead))
      off += bytesRead
    }
  } finally {
    await fh.close()
  }
  return h.digest('hex')
}
