import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import ICAL from 'ical.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Store} from '../../../src/store/db.js'
import {markInstalled, retirePc} from '../../../src/win7/end-of-life.js'
import {scheduleVisits} from '../../../src/win7/schedule.js'
import {pipelineStatus} from '../../../src/win7/status.js'
import {DIALECTS, storeFor, tempDir, testContext} from '../../helpers/context.js'
import {stagedFleet} from '../../fixtures/win7/pipeline.js'
import {setLanguage} from '../../../src/core/i18n.js'

function certificate(serial: string, over: Record<string, unknown> = {}) {
  // the shape `alpi laptops wipe` writes (src/laptops/wipe.ts WipeCertificate)
  return {
    id: '3f1c2a9e-1111-4222-8333-444455556666',
    organisation: 'ALPI',
    technician: 't',
    laptopSerial: serial,
    host: {name: 'atelier', serial: null, uuid: null},
    disk: {device: '/dev/sda', maker: null, model: null, serial: 'D1', sizeBytes: 1, transport: 'sata'},
    method: 'overwrite',
    methodDetail: '',
    tool: 'alpi',
    standard: 'NIST SP 800-88 Rev. 2',
    level: 'Clear',
    pattern: '0x00',
    verification: {mode: 'sample', blocksChecked: 1, bytesChecked: 1, mismatches: 0, passed: true},
    start: '2026-02-01T09:00:00.000Z',
    end: '2026-02-01T09:10:00.000Z',
    durationSeconds: 600,
    bytesWritten: 1,
    errors: 0,
    result: 'success',
    ...over,
  }
}

// messages are matched in English
setLanguage('en')

describe.each(DIALECTS)('win7 schedule, install, retire and status on %s', (dialect) => {
  let store: Store
  let cleanup: () => Promise<void>
  const dir = tempDir('alpi-win7-life-')
  let staged: {old: string; new: string}[]
  beforeAll(async () => {
    const s = await storeFor(dialect)
    store = s.store
    cleanup = s.cleanup
    staged = await stagedFleet(
      store,
      dir.path,
      [
        {entity: 'Mairie de Mimizan', commune: 'Mimizan', prefix: 'MIM'},
        {entity: 'Mairie de Labouheyre', commune: 'Labouheyre', prefix: 'LBH'},
      ],
      ['win7Tower', 'win7Laptop', 'win7Tower', 'win10Ready'],
      'SC',
    )
  })
  afterAll(async () => {
    await cleanup?.()
    dir.cleanup()
  })

  it('plans visits by member and commune, N PCs a working day, skipping weekends and holidays; the ICS parses', async () => {
    expect(staged).toHaveLength(6)
    // Friday 3 April 2026, 2 PCs a day: Fri 3, then Tue 7 (weekend + Easter Monday), Wed 8
    const r = await scheduleVisits(testContext(store), {from: '2026-04-03', perDay: 2, outDir: dir.path})
    expect(r.pcs).toBe(6)
    expect(r.visits.map((v) => `${v.day} ${v.member} ${v.serials.length}`)).toEqual([
      '2026-04-03 mairie-de-labouheyre 2',
      '2026-04-07 mairie-de-labouheyre 1',
      '2026-04-07 mairie-de-mimizan 1',
      '2026-04-08 mairie-de-mimizan 2',
    ])
    const jcal = ICAL.parse(readFileSync(r.ics, 'utf8'))
    const comp = new ICAL.Component(jcal)
    const events = comp.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e))
    expect(events).toHaveLength(4)
    expect(events[0]!.startDate.toString()).toBe('2026-04-03')
    expect(events[0]!.summary).toBe('Installation de 2 PC – Mairie de Labouheyre (Labouheyre)')
    expect(events[0]!.location).toBe('Labouheyre')
    // RFC 5545 3.3.6: a whole day is "P1D" ("P1DT" is not a duration); each event lasts one day
    const ics = readFileSync(r.ics, 'utf8')
    const durations = ics.match(/^DURATION:.*$/gm)!.map((l) => l.trim())
    expect(durations).toEqual(Array(4).fill('DURATION:P1D'))
    for (const line of durations) expect(line).toMatch(/^DURATION:[+-]?P(\d+W|(\d+D)?(T(\d+H)?(\d+M)?(\d+S)?)?)$/)
    expect(events[0]!.endDate.toString()).toBe('2026-04-04')
    expect(events[0]!.duration.toSeconds()).toBe(86_400)
    const csv = readFileSync(r.csv, 'utf8')
    expect(csv).toContain('Date;Adhérent;Commune;Nombre de PC;PC (numéros de série)')
    expect(csv).toContain('2026-04-08;Mairie de Mimizan;Mimizan;2;')
    // planning again replaces the earlier visits of the same PCs
    await scheduleVisits(testContext(store), {from: '2026-04-13', perDay: 10, outDir: dir.path})
    expect(await store.db.selectFrom('win7_visits').select('day').execute()).toEqual([{day: '2026-04-13'}, {day: '2026-04-13'}])
  })

  it('installs, then retires with a wipe certificate (checked) or as WEEE; refuses a wrong certificate', async () => {
    const [a, b, c] = staged
    const ctx = testContext(store)
    // Given a PC not installed yet, retiring it is refused and says what must happen first
    await expect(retirePc(ctx, {serial: a!.old, disposal: 'WEEE'})).rejects.toThrow(/must be "installed" first/)
    await markInstalled(ctx, {serial: a!.new})
    await markInstalled(ctx, {serial: b!.old})
    await markInstalled(ctx, {serial: c!.new})

    const certPath = join(dir.path, 'cert.json')
    writeFileSync(certPath, JSON.stringify(certificate('SOMEONE-ELSE')))
    await expect(retirePc(ctx, {serial: a!.old, wipedCertificate: certPath})).rejects.toThrow(/for PC SOMEONE-ELSE/)
    writeFileSync(certPath, JSON.stringify(certificate(a!.old, {result: 'failed', verification: {passed: false}})))
    await expect(retirePc(ctx, {serial: a!.old, wipedCertificate: certPath})).rejects.toMatchObject({code: 'WIN7_WIPE_FAILED'})
    writeFileSync(certPath, JSON.stringify({hello: 'world'}))
    await expect(retirePc(ctx, {serial: a!.old, wipedCertificate: certPath})).rejects.toMatchObject({code: 'WIN7_CERTIFICATE_INVALID'})
    writeFileSync(certPath, JSON.stringify(certificate(a!.old)))
    const r = await retirePc(ctx, {serial: a!.old, wipedCertificate: certPath})
    expect(r).toMatchObject({state: 'wiped', certificate: '3f1c2a9e-1111-4222-8333-444455556666', level: 'Clear'})
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/)
    const w = await retirePc(ctx, {serial: b!.old, disposal: 'WEEE'})
    expect(w.state).toBe('disposed')
    await expect(retirePc(ctx, {serial: b!.old, disposal: 'WEEE'})).rejects.toThrow(/end of its pipeline/)
    await expect(retirePc(ctx, {serial: c!.old})).rejects.toThrow(/either --disposal/)
  })

  it('counts per state and member, per site for one member, and lists PCs stuck in a state', async () => {
    const ctx = testContext(store)
    const r = await pipelineStatus(ctx)
    expect(r.total).toMatchObject({total: 8, wiped: 1, disposed: 1, installed: 1, staged: 3, upgrade_in_place: 2})
    expect(r.members.map((m) => m.member)).toEqual(['mairie-de-labouheyre', 'mairie-de-mimizan'])
    expect(r.stuck).toEqual([])
    const one = await pipelineStatus(ctx, {member: 'mairie-de-mimizan'})
    expect(one.total.total).toBe(4)
    expect(one.sites.length).toBe(4)
    // 30 days later, every PC in a non-final state is stuck
    const prev = process.env.ALPI_NOW
    process.env.ALPI_NOW = new Date(Date.now() + 30 * 86_400_000).toISOString()
    try {
      const later = await pipelineStatus(ctx, {stuckDays: 14})
      expect(later.stuck).toHaveLength(6)
      expect(later.stuck.every((s) => s.days >= 29)).toBe(true)
      expect(later.stuck.map((s) => s.state)).not.toContain('wiped')
    } finally {
      if (prev === undefined) delete process.env.ALPI_NOW
      else process.env.ALPI_NOW = prev
    }
  })
})
