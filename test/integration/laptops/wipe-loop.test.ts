import {execFileSync} from 'node:child_process'
import {closeSync, mkdirSync, openSync, readFileSync, readSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {PartialFailure, RuleViolation, UsageError} from '../../../src/core/errors.js'
import {WipeCertificateSchema} from '../../../src/core/wipe-certificate.js'
import {assertWritable, describeDevice, rootDisk} from '../../../src/laptops/devices.js'
import {gradeLaptop} from '../../../src/laptops/grade.js'
import {saveSnapshot} from '../../../src/laptops/probe.js'
import {getLaptop} from '../../../src/laptops/records.js'
import {wipe, wipeBatch, type WipeBatchResult} from '../../../src/laptops/wipe.js'
import {DIALECTS, storeFor, tempDir, testContext} from '../../helpers/context.js'
import {createLoop, type LoopDevice} from '../../helpers/loopdev.js'
import {snapshotWithDisk} from './flow.js'

function nonZeroBytes(file: string): number {
  const fd = openSync(file, 'r')
  const buf = Buffer.alloc(1 << 20)
  let n = 0
  try {
    for (let r; (r = readSync(fd, buf, 0, buf.length, null)) > 0;) for (let i = 0; i < r; i++) if (buf[i] !== 0) n++
  } finally {
    closeSync(fd)
  }
  return n
}

describe.each(DIALECTS)('laptops wipe on real loop devices (%s)', (dialect) => {
  let s: Awaited<ReturnType<typeof storeFor>>
  let loop: LoopDevice
  let other: LoopDevice
  const out = tempDir('alpi-wipe-')
  beforeAll(async () => {
    s = await storeFor(dialect)
    loop = await createLoop({sizeBytes: 24 << 20, fill: 'random'})
    other = await createLoop({sizeBytes: 8 << 20, fill: 'random'})
    const ctx = testContext(s.store)
    await saveSnapshot(ctx, snapshotWithDisk('LOOPDISK-1'), {serial: 'WIPE-001'})
    await saveSnapshot(ctx, snapshotWithDisk('LOOPDISK-2'), {serial: 'WIPE-002'})
  })
  afterAll(async () => {
    await loop?.cleanup()
    await other?.cleanup()
    await s?.cleanup()
    out.cleanup()
  })

  it('refuses a laptop not yet diagnosed, saying to grade it first; nothing written', async () => {
    const ctx = testContext(s.store)
    const before = nonZeroBytes(loop.file)
    const e = await wipe(ctx, {
      device: loop.device,
      serial: 'WIPE-001',
      deviceSerial: 'LOOPDISK-1',
      outDir: out.path,
      confirm: async () => undefined,
    }).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(RuleViolation)
    expect((e as RuleViolation).actions[0]).toMatch(/laptops grade/)
    expect(nonZeroBytes(loop.file)).toBe(before)
    await gradeLaptop(ctx, {serial: 'WIPE-001', cosmetic: 'A'})
    await gradeLaptop(ctx, {serial: 'WIPE-002', cosmetic: 'A'})
  })

  it("refuses a device whose serial is not the laptop's disk, or undeclared; confirm never called", async () => {
    const ctx = testContext(s.store)
    let asked = 0
    const confirm = async () => void asked++
    await expect(
      wipe(ctx, {device: other.device, serial: 'WIPE-001', deviceSerial: 'LOOPDISK-2', outDir: out.path, confirm}),
    ).rejects.toMatchObject({code: 'DEVICE_SERIAL_MISMATCH'})
    await expect(wipe(ctx, {device: loop.device, serial: 'WIPE-001', outDir: out.path, confirm})).rejects.toMatchObject({
      code: 'DEVICE_SERIAL_MISMATCH',
      message: expect.stringMatching(/\(none\)/),
    })
    expect(asked).toBe(0)
  })

  it('refuses a mounted device (a partition-less ext4 mounted from the loop) and the system disk', async () => {
    const ctx = testContext(s.store)
    execFileSync('mkfs.ext4', ['-q', '-F', other.device])
    const mnt = join(out.path, 'mnt')
    mkdirSync(mnt)
    execFileSync('mount', [other.device, mnt])
    try {
      await expect(
        wipe(ctx, {device: other.device, serial: 'WIPE-002', deviceSerial: 'LOOPDISK-2', outDir: out.path, confirm: async () => undefined}),
      ).rejects.toMatchObject({code: 'DEVICE_IN_USE', message: expect.stringContaining(mnt)})
    } finally {
      execFileSync('umount', [mnt])
    }
    const root = rootDisk()
    expect(root).toMatch(/^\/dev\//)
    const sys = await describeDevice(root!)
    expect(() => assertWritable(sys, root, 'the wipe')).toThrow(expect.objectContaining({code: 'DEVICE_IS_SYSTEM'}))
    await expect(wipe(ctx, {device: root!, serial: 'WIPE-002', outDir: out.path, confirm: async () => undefined})).rejects.toMatchObject({
      code: 'DEVICE_IS_SYSTEM',
    })
  })

  it('--device-serial is refused for a device that is not a loop device', async () => {
    const {declaredLoopSerial} = await import('../../../src/laptops/devices.js')
    const sys = await describeDevice(rootDisk()!)
    expect(() => declaredLoopSerial(sys, 'FAKE')).toThrow(UsageError)
    expect(
      declaredLoopSerial(await describeDevice(loop.device), undefined, {
        ALPI_TEST_DEVICE_SERIALS: `/dev/loopX=A,${loop.device}=LOOPDISK-1`,
      }),
    ).toBe('LOOPDISK-1')
  })

  it('overwrites the whole device with zeros, verifies, writes the certificate and moves the laptop to wiped', async () => {
    const ctx = testContext(s.store)
    expect(nonZeroBytes(loop.file)).toBeGreaterThan(1000)
    let asked = 0
    const prev = process.env.ALPI_TEST_DEVICE_SERIALS
    process.env.ALPI_TEST_DEVICE_SERIALS = `${loop.device}=LOOPDISK-1`
    try {
      const r = await wipe(ctx, {
        device: loop.device,
        serial: 'WIPE-001',
        outDir: out.path,
        verify: 'all',
        confirm: async () => void asked++,
      })
      expect(asked).toBe(1)
      expect(r.certificate).toMatchObject({
        method: 'overwrite',
        level: 'Clear',
        bytesWritten: loop.sizeBytes,
        errors: 0,
        result: 'success',
        disk: {serial: 'LOOPDISK-1', sizeBytes: loop.sizeBytes},
        verification: {mode: 'all', mismatches: 0, passed: true, bytesChecked: loop.sizeBytes},
      })
      expect(nonZeroBytes(loop.file)).toBe(0)
      expect(JSON.parse(readFileSync(r.json, 'utf8')).id).toBe(r.certificate.id)
      // the certificate file as written is what win7 retire reads: the one shared schema accepts it
      const proof = WipeCertificateSchema.parse(JSON.parse(readFileSync(r.json, 'utf8')))
      expect(proof).toMatchObject({
        id: r.certificate.id,
        laptopSerial: 'WIPE-001',
        level: 'Clear',
        result: 'success',
        verification: {passed: true},
      })
      const text = execFileSync('pdftotext', ['-layout', r.pdf, '-']).toString().replace(/\s+/g, ' ')
      const size = new Intl.NumberFormat('fr-FR').format(loop.sizeBytes).replace(/\s/g, ' ')
      for (const needle of [
        "CERTIFICAT D'EFFACEMENT",
        'NIST SP 800-88 Rev. 2',
        'Clear',
        'LOOPDISK-1',
        'WIPE-001',
        'test-technician',
        `${size} octets`,
        'CONFORME',
        'EFFACEMENT RÉUSSI',
        'Durée',
        'Erreurs',
        'UUID',
        'écrasement de tout le disque par des zéros',
        'zéros (0x00)',
        '(heure de Paris)',
      ])
        expect(text).toContain(needle)
      // French: the start as "1er décembre 2026 à 20:05:09" in Paris time, no English method name, no ISO date
      const day = new Intl.DateTimeFormat('fr-FR', {timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric'})
        .format(new Date(r.certificate.start))
        .replace(/^1 /, '1er ')
      expect(text).toMatch(new RegExp(`Début : ${day} à \\d{2}:\\d{2}:\\d{2}`))
      expect(text).not.toMatch(/overwrite|\d{4}-\d{2}-\d{2}|UTC/i)
      const fonts = execFileSync('pdffonts', [r.pdf]).toString().split('\n').slice(2).filter(Boolean)
      expect(fonts.length).toBeGreaterThan(0)
      for (const f of fonts) expect(f).toMatch(/DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes\s+yes/)
      const l = await getLaptop(s.store.db, 'WIPE-001')
      expect([l.state, l.wipe_certificate_id]).toEqual(['wiped', r.certificate.id])
      expect(ctx.out.lines.some((x) => /wipe \/dev\/loop\d+: \d+ \/ \d+ bytes/.test(x))).toBe(true)
      // sampled verification too
      const r2 = await wipe(ctx, {device: loop.device, serial: 'WIPE-001', outDir: out.path, confirm: async () => undefined})
      expect(r2.certificate.verification).toMatchObject({mode: 'sample', blocksChecked: 1026, passed: true})
    } finally {
      if (prev === undefined) delete process.env.ALPI_TEST_DEVICE_SERIALS
      else process.env.ALPI_TEST_DEVICE_SERIALS = prev
    }
  })

  it('a batch: every disk checked before any write, one confirmation, and a disk failing mid-wipe does not stop the others', async () => {
    const ctx = testContext(s.store)
    const bays = [
      await createLoop({sizeBytes: 8 << 20, fill: 'random'}),
      await createLoop({sizeBytes: 8 << 20, fill: 'random'}),
      await createLoop({sizeBytes: 8 << 20, fill: 'random'}),
    ]
    const prev = process.env.ALPI_TEST_DEVICE_SERIALS
    try {
      for (const [k, b] of bays.entries()) {
        await saveSnapshot(ctx, snapshotWithDisk(`BAY-${k}`), {serial: `BATCH-${k}`})
        await gradeLaptop(ctx, {serial: `BATCH-${k}`, cosmetic: 'B'})
        expect(nonZeroBytes(b.file)).toBeGreaterThan(1000)
      }
      // the third bay holds a disk of no recorded laptop: the whole batch is refused, nothing written
      process.env.ALPI_TEST_DEVICE_SERIALS = `${bays[0]!.device}=BAY-0,${bays[1]!.device}=BAY-1,${bays[2]!.device}=STRANGER`
      let asked = 0
      await expect(
        wipeBatch(ctx, {devices: bays.map((b) => b.device), outDir: out.path, confirm: async () => void asked++}),
      ).rejects.toMatchObject({code: 'DEVICE_UNKNOWN'})
      expect(asked).toBe(0)
      for (const b of bays) expect(nonZeroBytes(b.file)).toBeGreaterThan(1000)
      // the middle disk refuses writes (a failing disk): the two others are wiped and certified
      process.env.ALPI_TEST_DEVICE_SERIALS = bays.map((b, k) => `${b.device}=BAY-${k}`).join(',')
      execFileSync('blockdev', ['--setro', bays[1]!.device])
      const e = await wipeBatch(ctx, {
        devices: bays.map((b) => b.device),
        outDir: out.path,
        concurrency: 2,
        confirm: async (targets) => {
          asked++
          expect(targets.map((t) => [t.laptop.serial, t.devSerial])).toEqual([
            ['BATCH-0', 'BAY-0'],
            ['BATCH-1', 'BAY-1'],
            ['BATCH-2', 'BAY-2'],
          ])
        },
      }).catch((error: unknown) => error)
      expect(asked).toBe(1)
      expect(e).toBeInstanceOf(PartialFailure)
      const r = (e as PartialFailure).data as WipeBatchResult
      expect(r.disks.map((d) => [d.laptop, d.status, d.error?.code])).toEqual([
        ['BATCH-0', 'ok', undefined],
        ['BATCH-1', 'failed', 'WIPE_NOT_VERIFIED'],
        ['BATCH-2', 'ok', undefined],
      ])
      expect([r.ok, r.failed]).toEqual([2, 1])
      expect(nonZeroBytes(bays[0]!.file)).toBe(0)
      expect(nonZeroBytes(bays[2]!.file)).toBe(0)
      expect(r.disks[1]!.certificate).toMatchObject({result: 'failed', verification: {passed: false}})
      expect(r.disks[1]!.certificate!.errors).toBeGreaterThan(0)
      expect((await getLaptop(s.store.db, 'BATCH-1')).state).toBe('diagnosed')
      expect((await getLaptop(s.store.db, 'BATCH-0')).state).toBe('wiped')
      const failedCert = await s.store.db
        .selectFrom('laptop_wipe_certificates')
        .select(['verified'])
        .where('serial', '=', 'BATCH-1')
        .execute()
      expect(failedCert).toEqual([{verified: 0}])
    } finally {
      if (prev === undefined) delete process.env.ALPI_TEST_DEVICE_SERIALS
      else process.env.ALPI_TEST_DEVICE_SERIALS = prev
      execFileSync('blockdev', ['--setrw', bays[1]!.device])
      for (const b of bays) await b.cleanup()
    }
  })

  it('a laptop with two internal disks counts as wiped only once both are, in one batch or in two runs', async () => {
    const ctx = testContext(s.store)
    const bays = [await createLoop({sizeBytes: 4 << 20, fill: 'random'}), await createLoop({sizeBytes: 4 << 20, fill: 'random'})]
    const prev = process.env.ALPI_TEST_DEVICE_SERIALS
    const twoDisks = (serial: string) => {
      const snap = snapshotWithDisk(`${serial}-A`)
      return {...snap, disks: [...snap.disks, {...snap.disks[0]!, path: '/dev/sda', serial: `${serial}-B`}]}
    }
    try {
      for (const l of ['DUO-1', 'DUO-2']) {
        await saveSnapshot(ctx, twoDisks(l), {serial: l})
        await gradeLaptop(ctx, {serial: l, cosmetic: 'A'})
      }
      process.env.ALPI_TEST_DEVICE_SERIALS = `${bays[0]!.device}=DUO-1-A,${bays[1]!.device}=DUO-1-B`
      const both = await wipeBatch(ctx, {devices: bays.map((b) => b.device), outDir: out.path, confirm: async () => undefined})
      expect(both.disks.map((d) => d.status)).toEqual(['ok', 'ok'])
      expect((await getLaptop(s.store.db, 'DUO-1')).state).toBe('wiped')
      // one disk now, the other later: the laptop waits for its second disk
      process.env.ALPI_TEST_DEVICE_SERIALS = `${bays[0]!.device}=DUO-2-A,${bays[1]!.device}=DUO-2-B`
      const first = await wipe(ctx, {device: bays[0]!.device, serial: 'DUO-2', outDir: out.path, confirm: async () => undefined})
      expect(first.remaining).toEqual(['DUO-2-B'])
      expect((await getLaptop(s.store.db, 'DUO-2')).state).toBe('diagnosed')
      const second = await wipe(ctx, {device: bays[1]!.device, outDir: out.path, confirm: async () => undefined})
      expect(second.remaining).toEqual([])
      expect((await getLaptop(s.store.db, 'DUO-2')).state).toBe('wiped')
    } finally {
      if (prev === undefined) delete process.env.ALPI_TEST_DEVICE_SERIALS
      else process.env.ALPI_TEST_DEVICE_SERIALS = prev
      for (const b of bays) await b.cleanup()
    }
  })
})
