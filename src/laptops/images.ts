import {spawnTool} from '../tools/exec.js'
import {createHash} from 'node:crypto'
import {createReadStream, existsSync, openSync, readSync, closeSync, statSync} from 'node:fs'
import {resolve} from 'node:path'
import type {Readable} from 'node:stream'
import {audit, type ServiceContext} from '../context/service-context.js'
import {NotFound, RuleViolation, UsageError} from '../core/errors.js'
import {nowIso} from '../core/ids.js'
import {msg, t} from './messages/index.js'
import type {LaptopImagesTable} from './tables.js'

/** Golden images: raw .img or zstd-compressed .img.zst; sha256 and size are of the RAW content. */
export type GoldenImage = LaptopImagesTable

const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd])
export const STREAM_CHUNK = 4 << 20

export function detectCompression(path: string): 'none' | 'zstd' {
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(4)
    const n = readSync(fd, head, 0, 4, 0)
    return n === 4 && head.equals(ZSTD_MAGIC) ? 'zstd' : 'none'
  } finally {
    closeSync(fd)
  }
}

export interface RawStream {
  stream: Readable
  /** resolves when the decompressor exited fine; rejects with its error */
  done: Promise<void>
  kill(): void
}

/** The image's raw bytes as a stream: the file itself, or one `zstd -dc` process. */
export async function openRaw(path: string, compression: 'none' | 'zstd', signal?: AbortSignal): Promise<RawStream> {
  if (compression === 'none') {
    const stream = createReadStream(path, {highWaterMark: STREAM_CHUNK})
    return {stream, done: Promise.resolve(), kill: () => stream.destroy()}
  }
  const z = await spawnTool('zstd', ['-dc', '-q', '--', path], {pkg: 'zstd', signal, failureHint: msg('imageDamagedAction')})
  return {stream: z.stdout as Readable, done: z.done, kill: z.kill}
}

export async function hashRaw(path: string, compression: 'none' | 'zstd', signal?: AbortSignal): Promise<{sha256: string; size: number}> {
  const raw = await openRaw(path, compression, signal)
  const h = createHash('sha256')
  let size = 0
  for await (const chunk of raw.stream) {
    h.update(chunk as Buffer)
    size += (chunk as Buffer).length
  }
  await raw.done
  return {sha256: h.digest('hex'), size}
}

export async function addImage(ctx: ServiceContext, opts: {name: string; file: string}): Promise<GoldenImage & {existed: boolean}> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(opts.name))
    throw new UsageError(msg('imageBadName', {name: opts.name}), {actions: [msg('imageBadNameAction')]})
  const path = resolve(opts.file)
  if (!existsSync(path) || !statSync(path).isFile())
    throw new UsageError(msg('imageNotFile', {file: opts.file}), {actions: [msg('imageNotFileAction')]})
  const compression = detectCompression(path)
  ctx.out.info(t(compression === 'zstd' ? 'imageHashingZstd' : 'imageHashingRaw', {path}))
  const {sha256, size} = await hashRaw(path, compression, ctx.signal)
  if (size === 0) throw new UsageError(msg('imageEmpty', {file: opts.file}), {actions: [msg('imageEmptyAction')]})
  const image: GoldenImage = {name: opts.name, path, compression, sha256, size, added_at: nowIso()}
  return ctx.store.transaction(async (trx) => {
    const existing = await trx.selectFrom('laptop_images').selectAll().where('name', '=', opts.name).executeTakeFirst()
    if (existing && existing.sha256 !== sha256) {
      throw new RuleViolation('IMAGE_NAME_TAKEN', msg('imageNameTaken', {name: opts.name, sha: existing.sha256.slice(0, 12)}), {
        actions: [msg('imageNameTakenAction')],
      })
    }
    if (existing) {
      await trx.updateTable('laptop_images').set({path, compression}).where('name', '=', opts.name).execute()
    } else {
      await trx.insertInto('laptop_images').values(image).execute()
    }
    await audit(ctx, trx, {
      entity: 'laptop_image',
      entityId: opts.name,
      action: 'add',
      summary: {code: existing ? 'imagePathUpdated' : 'imageAdded', params: {image: opts.name, size}},
      data: {sha256, size, compression},
    })
    return {...image, added_at: existing?.added_at ?? image.added_at, existed: Boolean(existing)}
  })
}

export async function getImage(ctx: ServiceContext, name: string): Promise<GoldenImage> {
  const img = await ctx.store.db.selectFrom('laptop_images').selectAll().where('name', '=', name).executeTakeFirst()
  if (!img) throw new NotFound(msg('noImage', {name}), {actions: [msg('noImageAction')]})
  return {...img, size: Number(img.size)}
}

export async function listImages(ctx: ServiceContext): Promise<(GoldenImage & {present: boolean})[]> {
  const rows = await ctx.store.db.selectFrom('laptop_images').selectAll().orderBy('name').execute()
  return rows.map((r) => ({...r, size: Number(r.size), present: existsSync(r.path)}))
}

export async function verifyImage(
  ctx: ServiceContext,
  name: string,
): Promise<{name: string; ok: boolean; expected: string; actual: string | null; size: number | null; problem: string | null}> {
  const img = await getImage(ctx, name)
  if (!existsSync(img.path))
    return {name, ok: false, expected: img.sha256, actual: null, size: null, problem: msg('imageFileMissing', {path: img.path})}
  let got: {sha256: string; size: number}
  try {
    got = await hashRaw(img.path, img.compression, ctx.signal)
  } catch (error) {
    return {name, ok: false, expected: img.sha256, actual: null, size: null, problem: (error as Error).message}
  }
  const ok = got.sha256 === img.sha256 && got.size === img.size
  return {name, ok, expected: img.sha256, actual: got.sha256, size: got.size, problem: ok ? null : msg('imageContentDiffers')}
}
