import type {Readable} from 'node:stream'
import type {ServiceContext} from '../core/context.js'
import {ExternalToolError, UsageError} from '../core/errors.js'
import {getImage, type RawStream} from './images.js'
import {finishTargets, prepareTargets, streamToTargets, type ReimageResult} from './reimage.js'

/**
 * Batches of network-booted laptops through udpcast: one `udp-sender` streams the image file
 * as stored (compressed images stay compressed on the wire), each laptop runs
 * `alpi laptops multicast receive`, which decompresses, writes its disk, reads it back,
 * checks the hash and records the laptop (shared store).
 */
export interface SendOptions {
  image: string
  interface: string
  minReceivers: number
  maxWait: number
  portbase?: number
}

export interface SendResult {
  image: string
  file: string
  bytes: number
  minReceivers: number
  log: string
}

function udpArgs(o: {interface: string; portbase?: number}): string[] {
  return ['--nokbd', '--interface', o.interface, ...(o.portbase ? ['--portbase', String(o.portbase)] : [])]
}

export async function multicastSend(ctx: ServiceContext, opts: SendOptions): Promise<SendResult> {
  if (!Number.isInteger(opts.minReceivers) || opts.minReceivers < 1) throw new UsageError('--min-receivers must be at least 1', {actions: ['Pass --min-receivers N (the number of laptops in the batch).']})
  const img = await getImage(ctx, opts.image)
  const {statSync} = await import('node:fs')
  const bytes = statSync(img.path).size
  const {execa} = await import('execa')
  ctx.out.info(`udp-sender: waiting for ${opts.minReceivers} receiver(s) on ${opts.interface} (at most ${opts.maxWait} s), then sending ${img.name}`)
  const r = await execa('udp-sender', ['--file', img.path, ...udpArgs(opts), '--min-receivers', String(opts.minReceivers), '--max-wait', String(opts.maxWait), '--no-progress'], {reject: false, cancelSignal: ctx.signal, all: true, timeout: (opts.maxWait + 3600) * 1000})
  if ((r as {code?: string}).code === 'ENOENT') throw new ExternalToolError('Tool udp-sender missing: install package udpcast', {code: 'TOOL_MISSING', actions: ['apt-get install udpcast']})
  if (r.exitCode !== 0) throw new ExternalToolError(`udp-sender failed (exit ${r.exitCode}): ${String(r.all ?? '').trim().split('\n').at(-1) ?? ''}`, {code: 'TOOL_FAILED', actions: ['Check the interface name (ip -br link) and that the receivers are on the same segment.']})
  return {image: img.name, file: img.path, bytes, minReceivers: opts.minReceivers, log: String(r.all ?? '').slice(-2000)}
}

export interface ReceiveOptions {
  image: string
  device: string
  interface: string
  portbase?: number
  /** seconds to wait for the sender (udp-receiver --start-timeout) */
  startTimeout?: number
}

/** Receive one image stream onto one disk, verify, record. */
export async function multicastReceive(ctx: ServiceContext, opts: ReceiveOptions): Promise<ReimageResult> {
  const img = await getImage(ctx, opts.image)
  const targets = await prepareTargets(ctx, img, [opts.device])
  const t0 = Date.now()
  const {execa} = await import('execa')
  const open = async (): Promise<RawStream> => {
    const rx = execa('udp-receiver', [...udpArgs(opts), '--start-timeout', String(opts.startTimeout ?? 600), '--no-progress'], {buffer: false, stdout: 'pipe', stderr: 'pipe', cancelSignal: ctx.signal, reject: false})
    let rxErr = ''
    rx.stderr?.on('data', (d: Buffer) => (rxErr += d.toString()))
    const rxDone = rx.then((r) => {
      if ((r as {code?: string}).code === 'ENOENT') throw new ExternalToolError('Tool udp-receiver missing: install package udpcast', {code: 'TOOL_MISSING', actions: ['apt-get install udpcast']})
      if (r.exitCode !== 0 && !r.isCanceled) throw new ExternalToolError(`udp-receiver failed (exit ${r.exitCode}): ${rxErr.trim().split('\n').at(-1) ?? ''}`, {code: 'TOOL_FAILED', actions: ['Check the interface and that a sender runs for this image.']})
    })
    rxDone.catch(() => undefined)
    if (img.compression === 'none') return {stream: rx.stdout as Readable, done: rxDone, kill: () => rx.kill()}
    const z = execa('zstd', ['-dc', '-q'], {buffer: false, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', cancelSignal: ctx.signal, reject: false})
    ;(rx.stdout as Readable).pipe(z.stdin!)
    const zDone = z.then((r) => {
      if (r.exitCode !== 0 && !r.isCanceled) throw new ExternalToolError(`zstd -dc failed on the received stream (exit ${r.exitCode})`, {code: 'TOOL_FAILED', actions: ['The stream was damaged: receive again.']})
    })
    zDone.catch(() => undefined)
    return {stream: z.stdout as Readable, done: Promise.all([rxDone, zDone]).then(() => undefined), kill: () => {
      rx.kill()
      z.kill()
    }}
  }
  ctx.out.info(`udp-receiver on ${opts.interface}: waiting for ${img.name} for ${opts.device}`)
  await streamToTargets(ctx, img, targets, open, 'the multicast stream')
  return finishTargets(ctx, img, targets, t0, 'multicast-receive')
}
