import {execFileSync} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {appendFileSync, closeSync, constants, openSync, readFileSync, writeFileSync, writeSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {saveSnapshot} from '../../../src/laptops/probe.js'
import {addImage, listImages, verifyImage} from '../../../src/laptops/images.js'
import {reimage} from '../../../src/laptops/reimage.js'
import {getLaptop} from '../../../src/laptops/records.js'
import {sqliteStore, tempDir, testContext} from '../../helpers/context.js'
import {createLoop, loopSerialsEnv, type LoopDevice} from '../../helpers/loopdev.js'
import {laptopWipedOn, snapshotWithDisk} from './flow.js'

describe('laptops images and reimage on real loop devices', () => {
  let s: Awaited<ReturnType<typeof sqliteStore>>
  const loops: LoopDevice[] = []
  const dir = tempDir('alpi-reimage-')
  let raw: Buffer
  beforeAll(async () => {
    s = await sqliteStore()
    for (let i = 0; i < 3; i++) loops.push(await createLoop({sizeBytes: 16 << 20, fill: 'random'}))
    // an image that is not a multiple of 4 MiB, with compressible and random parts
    raw = Buffer.concat([Buffer.alloc(3 << 20, 0x41), randomBytes((5 << 20) + 12345)])
    writeFileSync(join(dir.path, 'golden.img'), raw)
    execFileSync('zstd', ['-q', '-3', join(dir.path, 'golden.img'), '-o', join(dir.path, 'golden.img.zst')])
    process.env.ALPI_TEST_DEVICE_SERIALS = loopSerialsEnv(loops.map((l, i) => [l, `DISK-RI-${i + 1}`]))
    const ctx = testContext(s.store)
    for (let i = 0; i < 3; i++) await laptopWipedOn(ctx, `RI-${i + 1}`, loops[i]!, dir.path)
  })
  afterAll(async () => {
    delete process.env.ALPI_TEST_DEVICE_SERIALS
    for (const l of loops) await l.cleanup()
    await s?.cleanup()
    dir.cleanup()
  })

  it('adds raw and zstd images with the sha256 and size of the raw content; verify detects a changed file', async () => {
    const ctx = testContext(s.store)
    const sha = createHash('sha256').update(raw).digest('hex')
    const a = await addImage(ctx, {name: 'golden-raw', file: join(dir.path, 'golden.img')})
    const z = await addImage(ctx, {name: 'golden', file: join(dir.path, 'golden.img.zst')})
    expect([a.compression, a.sha256, a.size]).toEqual(['none', sha, raw.length])
    expect([z.compression, z.sha256, z.size]).toEqual(['zstd', sha, raw.length])
    expect((await addImage(ctx, {name: 'golden', file: join(dir.path, 'golden.img.zst')})).existed).toBe(true)
    writeFileSync(join(dir.path, 'other.img'), randomBytes(1000))
    await expect(addImage(ctx, {name: 'golden', file: join(dir.path, 'other.img')})).rejects.toMatchObject({code: 'IMAGE_NAME_TAKEN'})
    expect((await listImages(ctx)).map((i) => [i.name, i.present])).toEqual([
      ['golden', true],
      ['golden-raw', true],
    ])
    expect(await verifyImage(ctx, 'golden')).toMatchObject({ok: true})
    writeFileSync(join(dir.path, 'copy.img'), raw)
    await addImage(ctx, {name: 'copy', file: join(dir.path, 'copy.img')})
    appendFileSync(join(dir.path, 'copy.img'), 'x')
    expect(await verifyImage(ctx, 'copy')).toMatchObject({ok: false, problem: 'content differs from the recorded hash'})
  })

  it('writes one decompression to three devices, reads each back, records the image and makes the laptops ready', async () => {
    const ctx = testContext(s.store)
    let confirmed: unknown
    const r = await reimage(ctx, {image: 'golden', devices: loops.map((l) => l.device), confirm: async (t) => void (confirmed = t)})
    expect(confirmed).toEqual(loops.map((l, i) => ({device: l.device, laptop: `RI-${i + 1}`})))
    expect(r.devices.map((d) => [d.laptop, d.status, d.bytesWritten, d.state])).toEqual(
      [1, 2, 3].map((i) => [`RI-${i}`, 'ok', raw.length, 'ready']),
    )
    const sha = createHash('sha256').update(raw).digest('hex')
    for (const l of loops) {
      expect(createHash('sha256').update(readFileSync(l.file).subarray(0, raw.length)).digest('hex')).toBe(sha)
    }
    const l1 = await getLaptop(s.store.db, 'RI-1')
    expect([l1.state, l1.image_name, l1.image_sha256]).toEqual(['ready', 'golden', sha])
    expect(ctx.out.lines.some((x) => /reimage golden to .+: \d+ \/ \d+ bytes \(\d+%\)/.test(x))).toBe(true)
    // one device alone: zstd writes straight into the device; spoil its start first
    const fd = openSync(loops[0]!.file, 'r+')
    writeSync(fd, randomBytes(1 << 20), 0, 1 << 20, 0)
    closeSync(fd)
    const one = await reimage(ctx, {image: 'golden', devices: [loops[0]!.device], confirm: async () => undefined})
    expect(one.devices).toEqual([expect.objectContaining({status: 'ok', bytesWritten: raw.length, readBackSha256: sha, state: 'ready'})])
    expect(createHash('sha256').update(readFileSync(loops[0]!.file).subarray(0, raw.length)).digest('hex')).toBe(sha)
  })

  it('refuses a device of no known laptop and an unwiped laptop; a changed image file is a failure for all devices', async () => {
    const ctx = testContext(s.store)
    const stray = await createLoop({sizeBytes: 16 << 20})
    try {
      await expect(reimage(ctx, {image: 'golden', devices: [stray.device], confirm: async () => undefined})).rejects.toMatchObject({
        code: 'DEVICE_UNKNOWN',
      })
      // the disk of a laptop only received (never wiped): refused, saying what comes first
      await saveSnapshot(ctx, snapshotWithDisk('DISK-STRAY'), {serial: 'RI-X'})
      process.env.ALPI_TEST_DEVICE_SERIALS += `,${stray.device}=DISK-STRAY`
      await expect(reimage(ctx, {image: 'golden', devices: [stray.device], confirm: async () => undefined})).rejects.toMatchObject({
        code: 'LAPTOP_TRANSITION_REFUSED',
        message: expect.stringMatching(/must be diagnosed, then wiped/),
      })
    } finally {
      await stray.cleanup()
    }
    // a ready laptop can be imaged again; change the file under the recorded hash
    writeFileSync(join(dir.path, 'golden.img.zst'), execFileSync('zstd', ['-q', '-c', join(dir.path, 'other.img')]))
    await expect(reimage(ctx, {image: 'golden', devices: [loops[0]!.device], confirm: async () => undefined})).rejects.toMatchObject({
      code: 'IMAGE_CHANGED',
    })
    expect((await getLaptop(s.store.db, 'RI-1')).state).toBe('ready')
  })

  it('a device held by another program stops all untouched; a damaged zstd image fails each device alone (exit 4), laptops unchanged', async () => {
    const ctx = testContext(s.store)
    // Given a zstd image whose file is damaged after it was added (same size, bytes changed mid-frame)
    writeFileSync(join(dir.path, 'damaged.img'), Buffer.concat([randomBytes(2 << 20), Buffer.alloc(2 << 20, 0x42)]))
    execFileSync('zstd', ['-q', '-f', join(dir.path, 'damaged.img'), '-o', join(dir.path, 'damaged.img.zst')])
    await addImage(ctx, {name: 'damaged', file: join(dir.path, 'damaged.img.zst')})
    const fd = openSync(join(dir.path, 'damaged.img.zst'), 'r+')
    writeSync(fd, randomBytes(4096), 0, 4096, 1 << 20)
    closeSync(fd)
    const before = loops.map((l) => createHash('sha256').update(readFileSync(l.file)).digest('hex'))
    // When one of two devices is held open exclusively by someone else
    const held = openSync(loops[1]!.device, constants.O_RDWR | constants.O_EXCL)
    try {
      await expect(
        reimage(ctx, {image: 'damaged', devices: [loops[0]!.device, loops[1]!.device], confirm: async () => undefined}),
      ).rejects.toMatchObject({code: 'DEVICE_IN_USE'})
    } finally {
      closeSync(held)
    }
    // Then neither was written
    expect(loops.map((l) => createHash('sha256').update(readFileSync(l.file)).digest('hex'))).toEqual(before)
    // When both are free: each device's zstd fails on the damage, each device is reported failed
    const failure = await reimage(ctx, {
      image: 'damaged',
      devices: [loops[0]!.device, loops[1]!.device],
      confirm: async () => undefined,
    }).catch((error: unknown) => error)
    expect(failure).toMatchObject({code: 'PARTIAL_FAILURE', exitCode: 4})
    const devices = (failure as {data: {devices: {status: string; error?: {code: string}; state: string}[]}}).data.devices
    expect(devices.map((d) => [d.status, d.error?.code, d.state])).toEqual([
      ['failed', 'TOOL_FAILED', 'ready'],
      ['failed', 'TOOL_FAILED', 'ready'],
    ])
    expect((await getLaptop(s.store.db, 'RI-2')).image_name).toBe('golden')
  })
})
