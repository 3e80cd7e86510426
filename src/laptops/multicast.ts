import type {Readable} from 'node:stream'
import type {ServiceContext} from '../context/service-context.js'
import {runTool, spawnTool} from '../tools/exec.js'
import {UsageError} from '../core/errors.js'
import {getImage, type RawStream} from './images.js'
import {msg, t} from './messages/index.js'
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
  if (!Number.isInteger(opts.minReceivers) || opts.minReceivers < 1)
    throw new UsageError(msg('minReceivers'), {actions: [msg('minReceiversAction')]})
  const img = await getImage(ctx, opts.image)
  const {statSync} = await import('node:fs')
  const bytes = statSync(img.path).size
  ctx.out.info(
    `udp-sender: waiting for ${opts.minReceivers} receiver(s) on ${opts.interface} (at most ${opts.maxWait} s), then sending ${img.name}`,
  )
  const r = await runTool(
    'udp-sender',
    [
      '--file',
      img.path,
      ...udpArgs(opts),
      '--min-receivers',
      String(opts.minReceivers),
      '--max-wait',
      String(opts.maxWait),
      '--no-progress',
    ],
    {pkg: 'udpcast', signal: ctx.signal, timeoutMs: (opts.maxWait + 3600) * 1000, failureHint: msg('udpSenderAction')},
  )
  return {image: img.name, file: img.path, bytes, minReceivers: opts.minReceivers, log: (r.stdout + r.stderr).slice(-2000)}
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
  const open = async (): Promise<RawStream> => {
    const rx = await spawnTool('udp-receiver', [...udpArgs(opts), '--start-timeout', String(opts.startTimeout ?? 600), '--no-progress'], {
      pkg: 'udpcast',
      signal: ctx.signal,
      failureHint: msg('udpReceiverAction'),
    })
    if (img.compression === 'none') return {stream: rx.stdout as Readable, done: rx.done, kill: rx.kill}
    const z = await spawnTool('zstd', ['-dc', '-q'], {
      pkg: 'zstd',
      stdin: 'pipe',
      signal: ctx.signal,
      failureHint: msg('streamDamagedAction'),
    })
    ;(rx.stdout as Readable).pipe(z.stdin!)
    // The receiver's verdict first (zstd only fails because its input stopped), then zstd's;
    // handled at once so that a receiver dying early is an error, never an unhandled rejection.
    const done = rx.done.then(
      () => z.done,
      (error: unknown) => {
        z.kill()
        throw error
      },
    )
    done.catch(() => undefined)
    return {
      stream: z.stdout as Readable,
      done,
      kill: () => {
        rx.kill()
        z.kill()
      },
    }
  }
  ctx.out.info(t('multicastWaiting', {iface: opts.interface, image: img.name, device: opts.device}))
  await streamToTargets(ctx, img, targets, open, msg('sourceMulticast'))
  return finishTargets(ctx, img, targets, t0, 'multicast-receive')
}
