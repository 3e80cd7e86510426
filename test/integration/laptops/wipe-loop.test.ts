import {execFileSync} from 'node:child_process'
import {closeSync, mkdirSync, openSync, readFileSync, readSync} from 'node:fs'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {RuleViolation, UsageError} from '../../../src/core/errors.js'
import {assertWritable, describeDevice, rootDisk} from '../../../src/laptops/devices.js'
import {gradeLaptop} from '../../../src/laptops/grade.js'
import {saveSnapshot} from '../../../src/laptops/probe.js'
import {getLaptop} from '../../../src/laptops/records.js'
import {wipe} from '../../../src/laptops/wipe.js'
import {sqliteStore, tempDir, testContext} from '../../helpers/context.js'
import {createLoop, type LoopDevice} from '../../helpers/loopdev.js'
import {snapshotWithDisk} from './flow.js'

function nonZeroBytes(file: string): number {
  const fd = openSync(file, 'r')
  const buf = Buffer.alloc(1 << 20)
  let n = 0
  try {
    for (let r; (r = readSync(fd, buf, 0, buf.length, null)) > 0; ) for (let i = 0; i < r; i++) if (buf[i] !== 0) n++
  } finally {
    closeSync(fd)
  }
  return n
}

describe('laptops wipe on real loop devices', () => {
  let s: Awaited<ReturnType<typeof sqliteStore>>
  let loop: LoopDevice
  let other: LoopDevice
  const out = tempDir('alpi-wipe-')
  beforeAll(async () => {
    s = await sqliteStore()
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
    const e = await wipe(ctx, {device: loop.device, serial: 'WIPE-001', deviceSerial: 'LOOPDISK-1', outDir: out.path, confirm: async () => undefined}).catch((error: unknown) => error)
    expect(e).toBeInstanceOf(RuleViolation)
    expect((e as RuleViolation).actions[0]).toMatch(/laptops grade/)
    expect(nonZeroBytes(loop.file)).toBe(before)
    await gradeLaptop(ctx, {serial: 'WIPE-001', cosmetic: 'A'})
    await gradeLaptop(ctx, {serial: 'WIPE-002', cosmetic: 'A'})
  })

  it('refuses a device whose serial is not the laptop\'s disk, or undeclared; confirm never called', async () => {
    const ctx = testContext(s.store)
    let asked = 0
    const confirm = async () => void asked++
    await expect(wipe(ctx, {device: other.device, serial: 'WIPE-001', deviceSerial: 'LOOPDISK-2', outDir: out.path, confirm})).rejects.toMatchObject({code: 'DEVICE_SERIAL_MISMATCH'})
    await expect(wipe(ctx, {device: loop.device, serial: 'WIPE-001', outDir: out.path, confirm})).rejects.toMatchObject({code: 'DEVICE_SERIAL_MISMATCH', message: expect.stringMatching(/\(none\)/)})
    expect(asked).toBe(0)
  })

  it('refuses a mounted device (a partition-less ext4 mounted from the loop) and the system disk', async () => {
    const ctx = testContext(s.store)
    execFileSync('mkfs.ext4', ['-q', '-F', other.device])
    const mnt = join(out.path, 'mnt')
    mkdirSync(mnt)
    execFileSync('mount', [other.device, mnt])
    try {
      await expect(wipe(ctx, {device: other.device, serial: 'WIPE-002', deviceSerial: 'LOOPDISK-2', outDir: out.path, confirm: async () => undefined})).rejects.toMatchObject({code: 'DEVICE_IN_USE', message: expect.stringContaining(mnt)})
    } finally {
      execFileSync('umount', [mnt])
    }
    const root = rootDisk()
    expect(root).toMatch(/^\/dev\//)
    const sys = await describeDevice(root!)
    expect(() => assertWritable(sys, root, 'the wipe')).toThrow(expect.objectContaining({code: 'DEVICE_IS_SYSTEM'}))
    await expect(wipe(ctx, {device: root!, serial: 'WIPE-002', deviceSerial: 'X', outDir: out.path, confirm: async () => undefined})).rejects.toBeInstanceOf(RuleViolation)
  })

  it('--device-serial is refused for a device that is not a loop device', async () => {
    const {declaredLoopSerial} = await import('../../../src/laptops/devices.js')
    const sys = await describeDevice(rootDisk()!)
    expect(() => declaredLoopSerial(sys, 'FAKE')).toThrow(UsageError)
    expect(declaredLoopSerial(await describeDevice(loop.device), undefined, {ALPI_TEST_DEVICE_SERIALS: `/dev/loopX=A,${loop.device}=LOOPDISK-1`})).toBe('LOOPDISK-1')
  })

  it('overwrites the whole device with zeros, verifies, writes the certificate and moves the laptop to wiped', async () => {
    const ctx = testContext(s.store)
    expect(nonZeroBytes(loop.file)).toBeGreaterThan(1000)
    let asked = 0
    const prev = process.env.ALPI_TEST_DEVICE_SERIALS
    process.env.ALPI_TEST_DEVICE_SERIALS = `${loop.device}=LOOPDISK-1`
    try {
      const r = await wipe(ctx, {device: loop.device, serial: 'WIPE-001', outDir: out.path, verify: 'all', confirm: async () => void asked++})
      expect(asked).toBe(1)
      expect(r.certificate).toMatchObject({method: 'overwrite', level: 'Clear', bytesWritten: loop.sizeBytes, errors: 0, result: 'success', disk: {serial: 'LOOPDISK-1', sizeBytes: loop.sizeBytes}, verification: {mode: 'all', mismatches: 0, passed: true, bytesChecked: loop.sizeBytes}})
      expect(nonZeroBytes(loop.file)).toBe(0)
      expect(JSON.parse(readFileSync(r.json, 'utf8')).id).toBe(r.certificate.id)
      const text = execFileSync('pdftotext', ['-layout', r.pdf, '-']).toString().replace(/\s+/g, ' ')
      for (const needle of ['CERTIFICAT D\'EFFACEMENT', 'NIST SP 800-88 Rev. 2', 'Clear', 'LOOPDISK-1', 'WIPE-001', 'test-technician', `${loop.sizeBytes} octets`, 'CONFORME', 'EFFACEMENT RÉUSSI', 'Durée', 'Erreurs', 'UUID']) expect(text).toContain(needle)
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
})
